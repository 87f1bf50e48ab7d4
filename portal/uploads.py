"""Uploaded files, for every app that takes one (documents, evidence, reports).

- `UploadValidator(kinds=..., max_bytes=...)`: a model-field validator that checks the
  size, the extension and the content (a renamed `.exe` is not a PDF). Services call
  `full_clean()`, so it runs on every save, whichever form or import the file came from.
- `UploadPath("documents")`: the `upload_to` of such a field: a random name under
  `MEDIA_ROOT/<prefix>/<yyyy>/<mm>/`, never the user's file name (which the model keeps
  in its own field if it wants to show it).
- `attachment_response(file, filename=...)`: how a view hands a stored file back: always
  as a download, with its checked content type, after the view checked permission.
- `UploadStorage` (the default storage) and `@storing_files` (instead of
  `@transaction.atomic` on a service that stores a file): a full disk or an unwritable
  media folder is a `StorageUnavailable` (a `ValidationError` with a Chinese message),
  the partial file is removed, the transaction rolls back, and the files the service
  had already stored are deleted: no row without its file, no file without its row.

Uploads are never served from `static/` or by a URL of their own: the system check in
`portal.checks` refuses a `MEDIA_ROOT` inside the static directories and a URL pattern
that serves files straight from disk.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django.db.models import Model
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.errors import Refused

logger = logging.getLogger(__name__)

# Reads the start of an open file (an upload, or a stored file) and says whether its
# content is of the kind; any object with seek() and read() will do.
Sniffer = Callable[[Any], bool]

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls


def _starts_with(signature: bytes) -> Sniffer:
    def sniff(stream: Any) -> bool:
        stream.seek(0)
        return bool(stream.read(len(signature)) == signature)

    return sniff


def _zip_containing(member: str) -> Sniffer:
    """An Office Open XML file: a zip archive with the part that makes it that format."""

    def sniff(stream: Any) -> bool:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False

    return sniff


def _plain_text(stream: Any) -> bool:
    """Text as the office saves it: UTF-8 or GB18030 (what Windows Notepad writes in a
    Chinese locale), no NUL bytes. The first 64 KiB decide; a character cut at that
    boundary is not an error."""
    stream.seek(0)
    head = stream.read(64 * 1024)
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_containing_anything(stream: Any) -> bool:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream):
            return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@dataclass(frozen=True)
class FileKind:
    extension: str  # with the dot, lower case
    content_type: str
    sniff: Sniffer


KINDS: dict[str, FileKind] = {
    kind.extension: kind
    for kind in (
        FileKind(".pdf", "application/pdf", _starts_with(b"%PDF-")),
        FileKind(
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _zip_containing("word/document.xml"),
        ),
        FileKind(
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _zip_containing("xl/workbook.xml"),
        ),
        FileKind(".doc", "application/msword", _starts_with(OLE2_SIGNATURE)),
        FileKind(".xls", "application/vnd.ms-excel", _starts_with(OLE2_SIGNATURE)),
        FileKind(".jpg", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
        FileKind(".jpeg", "image/jpeg", _starts_with(b"\xff\xd8\xff")),
        FileKind(".png", "image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
        # What Chinese offices also exchange: OFD (GB/T 33190, the national format for
        # electronic official documents: a zip with OFD.xml at its root), WPS Office's
        # own formats (OLE2 like legacy Office), slides, plain text, zip archives.
        FileKind(".ofd", "application/ofd", _zip_containing("OFD.xml")),
        FileKind(".wps", "application/octet-stream", _starts_with(OLE2_SIGNATURE)),
        FileKind(".et", "application/octet-stream", _starts_with(OLE2_SIGNATURE)),
        FileKind(".ppt", "application/vnd.ms-powerpoint", _starts_with(OLE2_SIGNATURE)),
        FileKind(
            ".pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _zip_containing("ppt/presentation.xml"),
        ),
        FileKind(".txt", "text/plain", _plain_text),
        FileKind(".zip", "application/zip", _zip_containing_anything),
    )
}

# Kinds the apps ask for by purpose.
DOCUMENTS = (".pdf", ".docx", ".doc")
SPREADSHEETS = (".xlsx", ".xls")
IMAGES = (".jpg", ".jpeg", ".png")
EVIDENCE = DOCUMENTS + SPREADSHEETS + IMAGES  # rectification evidence, attachments
# Attachments of official documents: also OFD, WPS files, slides, text and archives.
OFFICE_FILES = EVIDENCE + (".ofd", ".wps", ".et", ".ppt", ".pptx", ".txt", ".zip")


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def kind_of(name: str) -> FileKind | None:
    return KINDS.get(PurePath(name).suffix.lower())


@deconstructible
class UploadValidator:
    """Size, extension and content of an uploaded file; errors in Chinese."""

    def __init__(self, kinds: Iterable[str] = EVIDENCE, max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        unknown = set(self.kinds) - KINDS.keys()
        if unknown:
            raise ValueError(f"no sniffer for {sorted(unknown)}")
        self.max_bytes = max_bytes

    def __call__(self, value: File[Any]) -> None:
        limit = self.max_bytes or max_upload_bytes()
        size = value.size or 0
        if size == 0:
            raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
        if size > limit:
            raise ValidationError(
                _("文件太大（%(size)s），不能超过 %(limit)s。")
                % {"size": _megabytes(size), "limit": _megabytes(limit)},
                code="too_large",
            )
        kind = kind_of(value.name or "")
        if kind is None or kind.extension not in self.kinds:
            raise ValidationError(
                _("不支持这种文件（%(name)s），请上传以下格式之一：%(allowed)s。")
                % {"name": PurePath(value.name or "").suffix or value.name, "allowed": self.label},
                code="kind",
            )
        try:
            matches = kind.sniff(value)
        finally:
            value.seek(0)  # storage reads from the start anyway
        if not matches:
            raise ValidationError(
                _("文件内容与扩展名%(ext)s不符，可能已损坏或被改过扩展名。")
                % {"ext": kind.extension},
                code="content",
            )

    @property
    def label(self) -> str:
        return "、".join(k.lstrip(".").upper() for k in self.kinds)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))


@deconstructible
class UploadPath:
    """`upload_to` that stores a file under a random name: `<prefix>/2026/03/<hex>.pdf`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Model | None, filename: str) -> str:
        today: dt.date = timezone.localdate()
        suffix = PurePath(filename).suffix.lower()
        suffix = suffix if suffix in KINDS else ""
        return f"{self.prefix}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadPath) and self.prefix == other.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


DOWNLOAD_NAME_MAX = 120


def download_name(name: str, fallback: str = "download") -> str:
    """A file name safe to offer for download, made from user text (a title, an
    uploaded file's name): no control or format characters (a U+202E would show
    "abc\u202efdp.exe" as "abcexe.pdf"), no path separators, no leading dots, at most
    `DOWNLOAD_NAME_MAX` characters with the extension kept."""
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in name
        if unicodedata.category(char) != "Cf"
    )
    cleaned = re.sub(r'[/\\:*?"<>|]+', "-", cleaned)
    cleaned = " ".join(cleaned.split()).lstrip(". ")
    if not cleaned:
        return fallback
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = cleaned, ""
    room = DOWNLOAD_NAME_MAX - (len(suffix) + 1 if suffix else 0)
    return f"{stem[:room].rstrip()}.{suffix}" if suffix else stem[:DOWNLOAD_NAME_MAX]


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The Content-Disposition header for a download named `name` (made safe)."""
    from django.utils.http import content_disposition_header

    header: str = content_disposition_header(not inline, download_name(name)) or ""
    return header


def attachment_response(file: File[Any], *, filename: str = "", stem: str = "") -> FileResponse:
    """A stored upload as a download. The view has checked the user may have it. Named
    `filename`, or `stem` plus the stored file's own suffix (“整改报告” → “整改报告.pdf”)."""
    if stem:
        filename = f"{stem}.{(file.name or '').rsplit('.', 1)[-1]}"
    kind = kind_of(file.name or "")
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=download_name(filename),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# Storage faults --------------------------------------------------------------------------

STORAGE_FAULT_MESSAGE = gettext_lazy(
    "文件未能保存：服务器存储空间不足或不可写，请稍后再试或联系管理员。"
)


class StorageUnavailable(ValidationError):
    """The file could not be stored (disk full, quota, read-only or unwritable folder).
    A `ValidationError`, so the service's transaction rolls back and the page shows
    the message like any refusal; the cause is logged for the administrator."""

    def __init__(self) -> None:
        super().__init__(STORAGE_FAULT_MESSAGE, code="storage")


# The files stored by the `storing_files` service running in this context (innermost).
_stored: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "portal_uploads_stored", default=None
)


class FaultsRefused:
    """A storage whose faults while storing are a user's error: the storage's own
    exceptions (`faults`) remove what was half written, are logged for the
    administrator, and become `StorageUnavailable` (the Chinese sentence). Each file
    stored is noted for the `storing_files` service around it. Mixed in before the
    storage class."""

    faults: tuple[type[BaseException], ...] = (OSError,)
    location: Any

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # Choosing a free name asks the storage whether names exist (an object store
        # over the network): its faults are the same refusal as storing.
        try:
            return str(super().get_available_name(name, max_length))  # type: ignore[misc]
        except self.faults as error:
            self._log_fault(name, error)
            raise StorageUnavailable() from error

    def _save(self, name: str, content: File[Any]) -> str:
        try:
            stored = str(super()._save(name, content))  # type: ignore[misc]
        except self.faults as error:
            self._log_fault(name, error)
            self._remove_partial(name)
            raise StorageUnavailable() from error
        noted = _stored.get()
        if noted is not None:
            noted.append((self, stored))  # type: ignore[arg-type]
        return stored

    def _log_fault(self, name: str, error: BaseException) -> None:
        logger.error(
            "could not store %s under %s: %s (%s)",
            name,
            self.location,
            getattr(error, "strerror", None) or error,
            getattr(error, "errno", None) or type(error).__name__,
        )

    def _remove_partial(self, name: str) -> None:
        """Remove what a failed save left (nothing, unless the storage overrides it)."""


class UploadStorage(FaultsRefused, FileSystemStorage):
    """Django's file system storage (`MEDIA_ROOT`), with its faults made a user's error:
    an `OSError` while storing (ENOSPC, EDQUOT, EROFS, EACCES, a folder that is a file)
    is `StorageUnavailable` (`FaultsRefused`); an object store's is in
    `portal.s3storage`."""

    def _remove_partial(self, name: str) -> None:
        # `save()` chose a free (random) name, so a file there now is the half we wrote.
        try:
            path = self.path(name)
            if os.path.isfile(path):
                os.remove(path)
        except (OSError, ValueError):
            logger.warning("could not remove the partial file %s", name)


P = ParamSpec("P")
R = TypeVar("R")


def _discard(stored: list[tuple[Storage, str]]) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except Exception:
            logger.warning("could not remove %s after a failed save", name, exc_info=True)


def storing_files(
    raises: type[Refused] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """`transaction.atomic` for a service that stores files. If the service fails
    (the storage's `StorageUnavailable`, or any later error), its transaction rolls
    back and the files it had already stored are deleted (Django deletes none on a
    rollback). Inside another `storing_files` service, its files go to the outer one,
    which deletes them if it fails. `raises`: the service's own refusal class (e.g.
    `DocumentError`), for views that show only that: the storage fault is re-raised as
    one, with the same message."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            outer = _stored.get()
            stored: list[tuple[Storage, str]] = []
            token = _stored.set(stored)
            try:
                with transaction.atomic():
                    result = func(*args, **kwargs)
            except StorageUnavailable as error:
                _discard(stored)
                if raises is not None:
                    raise raises(str(STORAGE_FAULT_MESSAGE)) from error
                raise
            except BaseException:
                _discard(stored)
                raise
            finally:
                _stored.reset(token)
            if outer is not None:
                outer.extend(stored)
            return result

        return wrapper

    return decorate

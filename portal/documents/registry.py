"""What the portal issues: each app declares its kinds of document here.

One way to declare them: the app's ``<app>/documents.py`` lists its kinds (and the
numbering series they use by default, if new) at module level, and the app's
``AppConfig.ready()`` registers them (portal's own notice and policy:
``portal/documents/kinds.py``)::

    # meetings/documents.py
    SERIES = [SeriesSpec(key="minutes", name=_("会议纪要"), prefix="X统纪", header=…)]
    KINDS = [
        DocumentKind(
            key="minutes",
            label=_("会议纪要"),
            importance=Importance.GENERAL,
            series="minutes",
            pdf_form="minutes",
            creatable=False,  # made from a meeting, not from the generic form
            may_draft=is_office,
            compose=_compose,  # the text, from the record, on every submission
            issued=_issued,  # what issuing it meets (a deadline)
        )
    ]

    # meetings/apps.py, in ready()
    from meetings import documents
    from portal.documents.registry import register_kinds

    register_kinds(documents.KINDS, series=documents.SERIES)

A record issued through a document (work points, the annual report, the minutes)
subclasses `portal.documents.models.DocumentBacked` and is submitted with
`portal.documents.services.document_backed_submit`.

The importance of a kind decides who signs (a rule, not a choice): important documents
the group leader (or the deputy they delegate to for that one document), general ones
the leader in charge of united-front work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from portal.documents.models import Document
    from portal.models import User


class Importance(models.TextChoices):
    GENERAL = "general", _("一般文件")
    IMPORTANT = "important", _("重要文件")


# One line of a 纪要's attendance block: ("出席", "张三、李四…"), ("请假", …), ("列席", …).
AttendanceLine = tuple[str, str]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str | Promise
    importance: Importance
    series: str  # key of the numbering series used when the document is issued
    pdf_form: Literal["document", "minutes"] = "document"
    # Whether the office and units may start one from the generic “新建公文” form.
    creatable: bool = True
    # For the 纪要 form: the attendance lines printed after the body.
    attendance: Callable[[Document], Sequence[AttendanceLine]] | None = None
    # For a kind made from an app's record (work points, minutes): the (title, body) of
    # the document as the record stands now. `document_submit` takes the text from it,
    # so what is signed is always the record's current text, and the text is changed
    # in the app, never typed on the document page.
    compose: Callable[[Document], tuple[str, str]] | None = None
    # Who may follow the document page's link back to the record it was made from
    # (`Document.about`): by default anyone with a role; an app whose record pages are
    # narrower says so, so the link never leads to a refusal.
    source_visible: Callable[[User | AnonymousUser], bool] | None = None
    # Who may start one (besides being allowed to draft at all: the office and the
    # branch commissioners); a kind made from an office record says `is_office`.
    may_draft: Callable[[User | AnonymousUser], bool] | None = None
    # For a kind about an app's record (`DocumentBacked`): what issuing the document
    # means for the record, called with the record, the issued document and the issue
    # time (`document.issued_at`) once the record is linked to it — typically meeting
    # the record's deadline. See `portal.documents.services.document_backed_issued`.
    issued: Callable[[Any, Document, dt.datetime], None] | None = None


@dataclass(frozen=True)
class SeriesSpec:
    """Defaults for a numbering series; the office edits the row once it exists."""

    key: str
    name: str | Promise
    prefix: str  # e.g. "X统": X统〔2026〕3号
    header: str  # 发文机关标志, printed in red; a line break splits it over two lines
    signing_unit: str  # 发文机关署名 at the end of the text
    printed_by: str  # 印发机关 in the 版记


_KINDS: dict[str, DocumentKind] = {}
_SERIES: dict[str, SeriesSpec] = {}


class RegistryError(Exception):
    pass


def register(kind: DocumentKind, *, series: SeriesSpec | None = None) -> DocumentKind:
    """Declare a kind of document (and optionally the defaults of its series).

    Registering the same kind twice (an app's ready() run again) is harmless; a
    different kind under a taken key is an error.
    """
    if series is not None:
        register_series(series)
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise RegistryError(f"document kind {kind.key!r} is already registered differently")
    _KINDS[kind.key] = kind
    return kind


def register_kinds(kinds: Iterable[DocumentKind], *, series: Iterable[SeriesSpec] = ()) -> None:
    """Register what an app's ``documents.py`` declares (``KINDS``, ``SERIES``): the
    one way an app adds kinds of document, from its ``AppConfig.ready()``."""
    for spec in series:
        register_series(spec)
    for kind in kinds:
        register(kind)


def register_series(spec: SeriesSpec) -> SeriesSpec:
    _SERIES.setdefault(spec.key, spec)
    return spec


def unregister(key: str) -> None:
    """Remove a kind (tests that register a temporary kind clean up with this)."""
    _KINDS.pop(key, None)


def get_kind(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise RegistryError(f"unknown document kind {key!r}") from None


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


def kind_choices(*, creatable_only: bool = False) -> list[tuple[str, str]]:
    return [
        (kind.key, str(kind.label))
        for kind in _KINDS.values()
        if kind.creatable or not creatable_only
    ]


def composer(document: Document) -> Callable[[Document], tuple[str, str]] | None:
    """The kind's `compose` for an original document (a correction of an issued one is
    edited by hand), or None."""
    kind = _KINDS.get(document.kind)
    if kind is None or document.supersedes_id is not None:
        return None
    return kind.compose


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


def series_specs() -> list[SeriesSpec]:
    return list(_SERIES.values())


def series_spec(key: str) -> SeriesSpec | None:
    return _SERIES.get(key)

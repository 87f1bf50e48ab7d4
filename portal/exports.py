"""An export is declared, not written: `Export(name=, title=, columns=, rows=)` says what
the workbook holds, and `export_response(export, queryset)` streams it as a download.

The queryset is the one the list itself shows the user (its selector and its filter on
the same `request.GET`), so an export holds exactly the rows the list would, never more.
Columns are `(header, width)`; `rows(queryset)` yields one sequence per row (values as
they are: dates as dates; `write_xlsx` keeps formula-like text as text). A column the
role may not see is left out of `columns` and `rows` by the declaring view, not hidden
by a template. This module names no app: apps import it.

Every list export is *registered* under a key (`register(key, url_name=, declare=,
queryset=, allowed=)`, from the owning app's `AppConfig.ready()`): `url_name` is the
export's own URL (the list's "导出Excel"), `declare(user)` is the `Export`
for that user (its columns by role), `queryset(user, params)` applies the list's own
scope (selector) and filter to a `QueryDict` -- the same function the list view calls,
so the list and its export cannot drift; `allowed(user)` is the list view's own role
check, usually `allowed_for(*roles)`. The background worker (`portal.exportjobs`)
rebuilds an export from the key, the user and the stored querystring alone.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from portal.permissions import has_role
from portal.spreadsheets import XLSX_CONTENT_TYPE, write_xlsx
from portal.uploads import download_name


@dataclass(frozen=True)
class Export:
    name: str  # the file's stem (Chinese), the date is appended
    title: str  # the sheet's name
    columns: Sequence[tuple[str, int]]  # (header, width)
    rows: Callable[[QuerySet[Any]], Iterable[Sequence[Any]]]


def local_date(value: Any) -> Any:
    """A stored instant as the local (Asia/Shanghai) date a cell shows as a date."""
    return timezone.localdate(value) if value is not None else None


@dataclass(frozen=True)
class Registered:
    """A list export: its key, its declaration per user, its rows per user and filter,
    and who may export it at all (the list view's own role check)."""

    key: str
    url_name: str
    declare: Callable[[Any], Export]
    queryset: Callable[[Any, QueryDict], QuerySet[Any]]
    allowed: Callable[[Any], bool]

    def rows_for(self, user: Any, params: QueryDict) -> tuple[Export, QuerySet[Any]]:
        return self.declare(user), self.queryset(user, params)


REGISTRY: dict[str, Registered] = {}


def allowed_for(*roles: str) -> Callable[[Any], bool]:
    """Who may export a list whose view is `role_required(*roles)`: an active user
    holding one of the roles (the worker asks again when it builds a queued file, when
    the login may have been disabled since the click)."""

    def allowed(user: Any) -> bool:
        return bool(getattr(user, "is_active", False)) and has_role(user, *roles)

    return allowed


def register(
    key: str,
    *,
    url_name: str,
    declare: Callable[[Any], Export],
    queryset: Callable[[Any, QueryDict], QuerySet[Any]],
    allowed: Callable[[Any], bool],
) -> Registered:
    """Register a list export under `key` (once; a second registration is a bug)."""
    if key in REGISTRY:
        raise ValueError(f"the export {key!r} is registered twice")
    REGISTRY[key] = Registered(
        key=key, url_name=url_name, declare=declare, queryset=queryset, allowed=allowed
    )
    return REGISTRY[key]


def get(key: str) -> Registered | None:
    return REGISTRY.get(key)


def export_response(export: Export, queryset: QuerySet[Any]) -> FileResponse:
    """The workbook as a download, written to a temporary file (deleted when the
    response closes it) rather than held in memory. The view has checked the user."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(
        handle,
        title=export.title,
        headers=[header for header, _ in export.columns],
        rows=export.rows(queryset),
        widths=[width for _, width in export.columns],
    )
    handle.seek(0)
    day = timezone.localdate()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(f"{export.name}-{day:%Y%m%d}.xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def export_answer(request: HttpRequest, key: str) -> HttpResponse | FileResponse:
    """The one answer to "导出Excel" on a list: the registered export under the list's
    own filter (`request.GET`). Up to `EXPORT_ASYNC_THRESHOLD` rows it is streamed now;
    over it, a page offers to prepare it in the background (`portal.exportjobs`)."""
    registered = REGISTRY[key]
    if not registered.allowed(request.user):
        raise PermissionDenied
    export, queryset = registered.rows_for(request.user, request.GET)
    total = queryset.count()
    if total > settings.EXPORT_ASYNC_THRESHOLD:
        return render(
            request,
            "exports/offer.html",
            {
                "export": export,
                "key": key,
                "total": total,
                "query": request.GET.urlencode(),
                "threshold": settings.EXPORT_ASYNC_THRESHOLD,
            },
        )
    return export_response(export, queryset)

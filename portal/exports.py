"""An export is declared, not written: `Export(name=, title=, columns=, rows=)` says what
the workbook holds, and `export_response(export, queryset)` streams it as a download.

The queryset is the one the list itself shows the user (its selector and its filter on
the same `request.GET`), so an export holds exactly the rows the list would, never more.
Columns are `(header, width)`; `rows(queryset)` yields one sequence per row (values as
they are: dates as dates; `write_xlsx` keeps formula-like text as text). A column the
role may not see is left out of `columns` and `rows` by the declaring view, not hidden
by a template. This module names no app: apps import it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone

from portal.spreadsheets import XLSX_CONTENT_TYPE, write_xlsx
from portal.uploads import download_name


@dataclass(frozen=True)
class Export:
    name: str  # the file's stem (Chinese), the date is appended
    title: str  # the sheet's name
    columns: Sequence[tuple[str, int]]  # (header, width)
    rows: Callable[[QuerySet[Any]], Iterable[Sequence[Any]]]


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

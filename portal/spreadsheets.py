"""The small openpyxl layer the apps' imports and exports share (the roster, the work points,
the outreach register).

Every workbook is written by `write_xlsx` (write-only, streamed; `build_xlsx` is the
same into memory): dates as dates, formula-like text as text, a bold frozen header.

An import is an `.xlsx` checked by `portal.uploads` (the SPREADSHEETS kinds, 2 MB, and
the content must be a real workbook), opened read-only; each data row comes back as
strings keyed by the header, with its Excel row number for the error messages.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.uploads import SPREADSHEETS, UploadValidator

XLSX_MAX_BYTES = 2 * 1024 * 1024
XLSX_MAX_ROWS = 2000
XLSX_MAX_LINES = 10 * XLSX_MAX_ROWS  # rows read, blank ones included
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_VALIDATOR = UploadValidator(kinds=SPREADSHEETS, max_bytes=XLSX_MAX_BYTES)


@dataclass(frozen=True)
class SheetRow:
    line: int  # the Excel row number (the header is row 1)
    cells: dict[str, str]


class SheetError(Exception):
    """The file as a whole cannot be read (not a row's fault)."""


def validate_xlsx(upload: UploadedFile) -> bytes:
    """The upload's bytes, if it is a spreadsheet of acceptable size whose content is
    what its extension says, and an .xlsx (openpyxl cannot read the old .xls)."""
    SPREADSHEET_VALIDATOR(upload)
    if PurePosixPath(upload.name or "").suffix.lower() != ".xlsx":
        raise ValidationError(
            _("旧版 .xls 文件无法读取，请用 Excel 或 WPS 另存为 .xlsx 后再上传（可先下载模板）。")
        )
    upload.seek(0)
    data: bytes = upload.read()
    return data


def cell_text(value: Any) -> str:
    """A cell as the text the user sees: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, headers: Sequence[str], required: Iterable[str]) -> list[SheetRow]:
    """The first sheet's data rows, keyed by header text. Columns are found by their
    header, so their order and extra columns do not matter; blank rows are skipped, but
    count towards `XLSX_MAX_LINES` (a small file can hold millions of blank rows). A
    sheet the XML parser refuses (an entity declaration, broken markup) is a
    `SheetError` like any unreadable file."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise SheetError(_("无法读取这个 Excel 文件，请确认是 .xlsx 格式且未加密。")) from error
    try:
        return _read_sheet(workbook, headers, required)
    except SheetError:
        raise
    except Exception as error:  # noqa: BLE001 - the sheet's XML is read lazily, row by row
        raise SheetError(_("无法读取这个 Excel 文件，请确认是 .xlsx 格式且未加密。")) from error
    finally:
        workbook.close()


def _read_sheet(workbook: Any, headers: Sequence[str], required: Iterable[str]) -> list[SheetRow]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise SheetError(_("表格是空的。"))
    found = {cell_text(value): index for index, value in enumerate(header_row) if value}
    missing = [name for name in required if name not in found]
    if missing:
        raise SheetError(
            _("第1行缺少列：%(columns)s。请使用下载的模板，不要修改第1行的列名。")
            % {"columns": "、".join(f"“{name}”" for name in missing)}
        )
    result: list[SheetRow] = []
    for line, values in enumerate(rows, start=2):
        if line > XLSX_MAX_LINES:
            raise SheetError(
                _("表格行数太多（含空行超过 %(n)d 行）：请删除多余的空行后再上传。")
                % {"n": XLSX_MAX_LINES}
            )
        cells = {
            name: cell_text(values[index]) if index < len(values) else ""
            for name, index in found.items()
            if name in headers
        }
        if not any(cells.values()):
            continue
        if len(result) >= XLSX_MAX_ROWS:
            raise SheetError(_("行数太多：一次最多导入 %(n)d 行。") % {"n": XLSX_MAX_ROWS})
        result.append(SheetRow(line=line, cells=cells))
    return result


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date:
    """2026-03-01, 2026/3/1, 2026.3.1 or 2026年3月1日; ValueError otherwise."""
    match = _DATE.match(text.strip())
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def row_error(line: int, column: str | None, message: str) -> str:
    if column:
        return _("第%(line)d行“%(column)s”列：%(message)s") % {
            "line": line,
            "column": column,
            "message": message,
        }
    return _("第%(line)d行：%(message)s") % {"line": line, "message": message}


# What Excel or WPS would read as a formula when the cell is opened or edited: a name or
# a note typed as "=HYPERLINK(...)" or "+cmd|..." must stay text (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_not_formula(cell: Any) -> None:
    """Store the cell's text as text (openpyxl would write a leading "=" as a formula),
    marked with Excel's quote prefix, as if typed with a leading apostrophe: shown and
    read back exactly as written, never evaluated."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _local_naive(value: dt.datetime) -> dt.datetime:
    """An aware datetime as the local wall-clock time (Excel has no time zones)."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_xlsx(
    target: str | os.PathLike[str] | IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    notes: Sequence[Sequence[str]] = (),
    choices: dict[str, Sequence[str]] | None = None,
) -> int:
    """The one workbook writer: openpyxl's write-only mode, so rows stream through (an
    iterator of 100,000 rows costs the memory of one row) into `target` (a path or a
    binary file). The data sheet has a bold frozen header in Chinese; a date is written
    as a real date (`yyyy-mm-dd`, a datetime as local `yyyy-mm-dd hh:mm`); text that a
    spreadsheet would run as a formula (`FORMULA_STARTS`) is written as text with the
    quote prefix; optional drop-down lists on some columns; a 说明 sheet of notes when
    given. Every other value is handed to openpyxl as it is (the fast path: no cell
    object). Returns the number of data rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # Write-only: widths, panes and validations are set before the first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for column, values in (choices or {}).items():
        letter = get_column_letter(list(headers).index(column) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{XLSX_MAX_ROWS + 1}")
        sheet.data_validations.append(validation)
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    # A plain date needs no cell object: openpyxl gives it the `yyyy-mm-dd` format.
    def special(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value=_local_naive(value))
            cell.number_format = "yyyy-mm-dd hh:mm"
            return cell
        cell = WriteOnlyCell(sheet, value=value)
        text_not_formula(cell)
        return cell

    count = 0
    for row in rows:
        sheet.append(
            [
                special(value)
                if isinstance(value, dt.datetime) or _is_formula_like(value)
                else value
                for value in row
            ]
        )
        count += 1
    if notes:
        help_sheet = workbook.create_sheet(_("说明"))
        help_sheet.column_dimensions["A"].width = 16
        help_sheet.column_dimensions["B"].width = 90
        for line in notes:
            out: list[Any] = []
            for index, value in enumerate(line):
                cell = WriteOnlyCell(help_sheet, value=value)
                if index == 0:
                    cell.font = bold
                elif _is_formula_like(value):
                    text_not_formula(cell)
                out.append(cell)
            help_sheet.append(out)
    workbook.save(target)
    return count


def build_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    notes: Sequence[Sequence[str]] = (),
    choices: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """`write_xlsx` into memory: the workbook's bytes (the small exports and the import
    templates)."""
    buffer = io.BytesIO()
    write_xlsx(
        buffer, title=title, headers=headers, rows=rows, widths=widths, notes=notes, choices=choices
    )
    return buffer.getvalue()

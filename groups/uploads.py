"""Checks on uploaded files, and the small openpyxl layer the imports and exports share.

Evidence attachments: size limit and extension allow-list from settings, and the first
bytes must match the extension (a renamed executable is refused). Spreadsheets: .xlsx
only, size-limited, opened read-only; each data row comes back as strings keyed by the
header, with its Excel row number for the error messages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

XLSX_MAX_BYTES = 2 * 1024 * 1024
XLSX_MAX_ROWS = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The first bytes of each allowed evidence type. Office files (docx, xlsx, pptx) are zip
# archives; old .doc/.xls are OLE compound files; OFD (the Chinese e-document format) is zip.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "ofd": _ZIP,
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
}


def extension_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def validate_evidence(upload: UploadedFile) -> None:
    """Refuse an evidence file that is too large, of a type not allowed, or whose content
    does not match its extension. Messages in Chinese, naming the limit."""
    limit: int = settings.EVIDENCE_MAX_BYTES
    allowed: list[str] = settings.EVIDENCE_EXTENSIONS
    ext = extension_of(upload.name or "")
    if ext not in allowed:
        raise ValidationError(
            _("不支持“.%(ext)s”类型的文件，只能上传：%(allowed)s。")
            % {"ext": ext or "?", "allowed": "、".join(allowed)}
        )
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），佐证材料不能超过 %(limit)s。")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = MAGIC.get(ext)
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(_("文件内容与扩展名“.%(ext)s”不符，请上传原始文件。") % {"ext": ext})


# Spreadsheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    line: int  # the Excel row number (the header is row 1)
    cells: dict[str, str]


class SheetError(Exception):
    """The file as a whole cannot be read (not a row's fault)."""


def validate_xlsx(upload: UploadedFile) -> bytes:
    """The upload's bytes, if it is a plausible .xlsx of acceptable size."""
    if extension_of(upload.name or "") != "xlsx":
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
    if upload.size is None or upload.size > XLSX_MAX_BYTES:
        raise ValidationError(
            _("文件太大，导入文件不能超过 %(limit)s。") % {"limit": filesizeformat(XLSX_MAX_BYTES)}
        )
    data: bytes = upload.read()
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _("文件不是有效的 .xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传。")
        )
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
    header, so their order and extra columns do not matter; blank rows are skipped."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise SheetError(_("无法读取这个 Excel 文件，请确认是 .xlsx 格式且未加密。")) from error
    try:
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
    finally:
        workbook.close()


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


def build_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    notes: Sequence[Sequence[str]] = (),
    choices: dict[str, Sequence[str]] | None = None,
) -> bytes:
    """A workbook: the data sheet (bold frozen header, dates formatted, optional drop-down
    lists on some columns) and, when given, a 说明 sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    for column, values in (choices or {}).items():
        letter = get_column_letter(list(headers).index(column) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{XLSX_MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    if notes:
        help_sheet = workbook.create_sheet(_("说明"))
        for line in notes:
            help_sheet.append(list(line))
        help_sheet.column_dimensions["A"].width = 16
        help_sheet.column_dimensions["B"].width = 90
        for cell in help_sheet["A"]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

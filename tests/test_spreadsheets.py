"""The exports' workbook (`portal.spreadsheets.build_xlsx`): what a user typed that a
spreadsheet would run as a formula is written as text, read back exactly as typed."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from portal.spreadsheets import build_xlsx, read_rows

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
]


def _workbook(rows, notes=()):
    data = build_xlsx(
        title="导出", headers=["姓名", "备注"], rows=rows, widths=[10, 20], notes=notes
    )
    return data, load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("text", HOSTILE)
def test_it_writes_text_that_looks_like_a_formula_as_text(text):
    data, workbook = _workbook([["张三", text]], notes=[["届次", text]])
    cell = workbook.worksheets[0]["B2"]
    assert cell.data_type == "s"  # a string cell: never evaluated
    assert cell.quotePrefix  # Excel's leading-apostrophe mark
    assert cell.value == text  # read back exactly as typed
    notes = workbook.worksheets[1]["B1"]
    assert (notes.data_type, notes.quotePrefix, notes.value) == ("s", True, text)
    # The import path reads it back as the same text (trimmed, as every cell is).
    assert read_rows(data, ["姓名", "备注"], ["姓名"])[0].cells["备注"] == text.strip()


def test_it_leaves_ordinary_values_alone():
    _, workbook = _workbook([["李四", "正常的备注"], ["王五", dt.date(2026, 3, 1)], ["赵六", 3]])
    sheet = workbook.worksheets[0]
    assert not sheet["B2"].quotePrefix and sheet["B2"].value == "正常的备注"
    assert sheet["B3"].is_date and sheet["B3"].number_format == "yyyy-mm-dd"
    assert sheet["B4"].value == 3 and sheet["B4"].data_type == "n"


def _with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed by `change(xml) -> xml`."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


def _one_row() -> bytes:
    return build_xlsx(title="导入", headers=["姓名", "备注"], rows=[["张三", "x"]], widths=[10, 10])


def test_a_sheet_with_an_entity_declaration_is_refused_as_unreadable():
    """Probe finding: a sheet whose XML declares an entity raised ParseError (a 500)."""
    from portal.spreadsheets import SheetError

    hostile = _with_sheet_xml(
        _one_row(),
        lambda xml: '<!DOCTYPE worksheet [<!ENTITY boom "boom">]>' + xml,
    )
    with pytest.raises(SheetError, match="无法读取这个 Excel 文件"):
        read_rows(hostile, ["姓名", "备注"], ["姓名"])


def test_a_small_file_of_many_blank_rows_is_refused_quickly():
    """Probe finding: 48 KB holding 5,000,000 blank rows took 25 s, then a 500. Blank
    rows count towards the lines read."""
    import time

    from portal.spreadsheets import XLSX_MAX_LINES, SheetError

    blank = "".join(f'<row r="{n}"/>' for n in range(3, XLSX_MAX_LINES * 2))
    last = XLSX_MAX_LINES * 2

    def pad(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:B{last}"', xml)
        return xml.replace("</sheetData>", blank + "</sheetData>")

    padded = _with_sheet_xml(_one_row(), pad)
    assert len(padded) < 200_000
    started = time.perf_counter()
    with pytest.raises(SheetError, match="含空行超过"):
        read_rows(padded, ["姓名", "备注"], ["姓名"])
    assert time.perf_counter() - started < 5
    # A sheet within the limit reads its one row.
    assert [r.cells["姓名"] for r in read_rows(_one_row(), ["姓名", "备注"], ["姓名"])] == ["张三"]


def test_write_xlsx_streams_rows_into_a_file_with_real_dates(tmp_path):
    """The one writer (write-only openpyxl) to a path: Chinese bold header, dates and
    aware datetimes as real dates (the local wall-clock time), formula-like text as
    text, the row count returned; the rows may be a generator (streamed)."""
    import zoneinfo

    from portal.spreadsheets import write_xlsx

    moment = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai

    def rows():
        yield ["张三", dt.date(2026, 3, 1), moment, "=1+1", 7]
        yield ["李四", None, None, "普通文字", 8.5]

    path = tmp_path / "out.xlsx"
    count = write_xlsx(
        path, title="名单", headers=["姓名", "日期", "时间", "备注", "分数"], rows=rows()
    )
    assert count == 2
    sheet = load_workbook(path).worksheets[0]
    assert sheet.title == "名单"
    assert [cell.value for cell in sheet[1]] == ["姓名", "日期", "时间", "备注", "分数"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["B2"].is_date and sheet["B2"].value.date() == dt.date(2026, 3, 1)
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd hh:mm"
    shanghai = moment.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert sheet["C2"].value == shanghai
    assert (sheet["D2"].data_type, sheet["D2"].quotePrefix, sheet["D2"].value) == (
        "s",
        True,
        "=1+1",
    )
    assert not sheet["D3"].quotePrefix and sheet["E3"].value == 8.5
    assert sheet["B3"].value is None


def test_build_xlsx_keeps_its_drop_down_lists_and_widths():
    data = build_xlsx(
        title="模板",
        headers=["姓名", "类别"],
        rows=[],
        widths=[12, 30],
        choices={"类别": ["甲", "乙"]},
    )
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.column_dimensions["B"].width == 30
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"甲,乙"' and str(validation.sqref) == "B2:B2001"

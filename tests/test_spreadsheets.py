"""The exports' workbook (`portal.spreadsheets.build_xlsx`): what a user typed that a
spreadsheet would run as a formula is written as text, read back exactly as typed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from portal.spreadsheets import build_xlsx, read_rows

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

"""Reading an exported workbook back, for the export tests: the downloaded sheet, its
headers, its rows, and what a cell holds (formula-like text kept as text, a date as a
date)."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook


def read_sheet(response):
    """The first sheet of a downloaded workbook (the response must be the download)."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(response.getvalue())).worksheets[0]


def headers_of(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def text_of(sheet) -> str:
    """Every filled cell below the headers, as one string to search in."""
    return " ".join(str(value) for row in rows_of(sheet) for value in row if value is not None)


def assert_text_cell(sheet, value: str) -> None:
    """`value` (formula-like text) is in the sheet as text, not as a formula."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value == value:
                assert (cell.data_type, cell.quotePrefix) == ("s", True)
                return
    raise AssertionError(f"{value!r} is not in the sheet")


def assert_text_at(sheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


def date_at(sheet, row: int, column: int) -> dt.date:
    """The date a cell holds; it must be a date cell, not text."""
    cell = sheet.cell(row=row, column=column)
    assert cell.is_date, (row, column, cell.value)
    return cell.value.date()


def export_queries(client, url: str) -> tuple[int, int]:
    """The queries an export's download runs and the rows it writes, the session and
    the caches warmed by a first download: what "its queries do not grow with its rows"
    compares before and after adding rows."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        sheet = read_sheet(client.get(url))
    return len(captured), len(rows_of(sheet))

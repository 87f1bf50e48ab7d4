"""The registers' exports (`portal.exports`): each read back with openpyxl. An export
holds what the list shows the user, never more."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Unit
from tests.conftest import client_for


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _names(sheet) -> list[str]:
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_units_export_holds_what_the_list_holds(org):
    Unit.objects.filter(pk=org.branch_b.pk).update(name="=HYPERLINK(1)")
    unit_a = org.branch_a
    client = client_for(org.office)
    sheet = _sheet(client.get(reverse("unit_export")))
    assert [cell.value for cell in sheet[1]] == ["名称", "简称", "类别", "上级单位", "人数", "在用"]
    names = _names(sheet)
    assert unit_a.name in names and "=HYPERLINK(1)" in names
    row = names.index("=HYPERLINK(1)") + 2
    cell = sheet.cell(row=row, column=1)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)  # text, never a formula
    # The list's filter applies to the export.
    filtered = _names(_sheet(client.get(reverse("unit_export"), {"q": unit_a.name})))
    assert filtered == [unit_a.name]


def test_a_commissioners_units_export_lacks_the_units_out_of_scope(org):
    client = client_for(org.commissioner_a)
    listed = {unit.name for unit in client.get(reverse("unit_list")).context["page"]}
    names = _names(_sheet(client.get(reverse("unit_export"))))
    assert set(names) == listed
    assert org.branch_a.name in names and org.branch_b.name not in names


SENSITIVE_HEADERS = {"政治面貌", "留学", "留学经历", "备注"}


def _cells(sheet) -> str:
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row)


def test_the_office_exports_people_with_the_sensitive_columns(org):
    sheet = _sheet(client_for(org.office).get(reverse("person_export")))
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["姓名", "单位", "职务/职称", "性别"]
    assert set(headers) >= SENSITIVE_HEADERS
    assert "英国曼彻斯特大学访问学者" in _cells(sheet)
    assert "党外甲" in _names(sheet)


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a"])
def test_other_roles_export_people_without_the_sensitive_columns(org, persona):
    sheet = _sheet(client_for(getattr(org, persona)).get(reverse("person_export")))
    headers = {cell.value for cell in sheet[1]}
    assert not headers & SENSITIVE_HEADERS
    text = _cells(sheet)
    assert "英国曼彻斯特大学访问学者" not in text and "关注职称评审" not in text
    assert "党外甲" in _names(sheet)


def test_a_commissioners_people_export_is_their_branchs_people(org):
    client = client_for(org.commissioner_a)
    listed = {person.name for person in client.get(reverse("person_list")).context["page"]}
    names = set(_names(_sheet(client.get(reverse("person_export")))))
    assert names == listed
    assert "commissioner2-人员" not in names  # branch B's commissioner

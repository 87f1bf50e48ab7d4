"""The register's Excel import: the template read back, a preview that saves nothing,
a confirmation that saves once, every bad row named by row and column with nothing
saved, and the office alone."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from outreach import imports
from outreach.models import Figure
from portal.models import ParkedImport, PoliticalStatus
from portal.spreadsheets import build_xlsx
from tests.factories import PersonFactory
from tests.matrix import changed_tables, fingerprint
from tests.meetings_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(rows: list[list[object]]) -> SimpleUploadedFile:
    data = build_xlsx(
        title="名册", headers=list(imports.HEADERS), rows=rows, widths=list(imports.WIDTHS)
    )
    return SimpleUploadedFile("党外人士.xlsx", data)


@pytest.fixture
def people(org):
    new = PersonFactory(name="张新", unit=org.branch_a, political_status=PoliticalStatus.CDL)
    old = PersonFactory(name="李旧", unit=org.branch_a, political_status=PoliticalStatus.NON_PARTY)
    same = PersonFactory(name="王同", unit=org.branch_b, political_status=PoliticalStatus.JIUSAN)
    party = PersonFactory(name="赵党", unit=org.branch_a, political_status=PoliticalStatus.CPC)
    for person, category in ((old, "non_party_intellectual"), (same, "democratic_party")):
        Figure.objects.create(person=person, category=category, registered_on=dt.date(2025, 1, 1))
    return {"new": new, "old": old, "same": same, "party": party}


def test_the_template_has_the_columns_and_the_drop_downs(org):
    response = _client(org.office).get(reverse("figure_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == list(imports.HEADERS)
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("民主党派成员" in f for f in formulas)
    assert "说明" in book.sheetnames


def test_a_preview_saves_nothing_and_the_confirmation_saves_once(org, people):
    rows = [
        ["张新", org.branch_a.name, "民主党派成员", "是", "", "机械工程", "2026-03-01"],
        ["李旧", org.branch_a.name, "无党派知识分子", "", "是", "", ""],
        ["王同", org.branch_b.name, "民主党派成员", "否", "否", "", "2025-01-01"],
    ]
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        client = _client(org.office)  # (a session from a later clock would not be valid)
        before = fingerprint()
        preview = client.post(reverse("figure_import"), {"file": _upload(rows)})
        result = preview.context["result"]
        assert result.messages == []
        assert changed_tables(before, fingerprint()) == ["portal_parkedimport"]
        assert [(c.name, c.action, c.changed) for c in result.changes] == [
            ("张新", "add", ()),
            ("李旧", "update", ("重点联系对象",)),
            ("王同", "same", ()),
        ]
        token = preview.context["token"]
        url = reverse("figure_import_confirm", args=[token])
        done = client.post(url)
        again = client.post(url, follow=True)
    assert done.status_code == 302
    assert "预览已失效" in again.content.decode()
    added = Figure.objects.get(person=people["new"])
    assert (added.category, added.is_representative, added.expertise) == (
        "democratic_party",
        True,
        "机械工程",
    )
    assert added.registered_on == dt.date(2026, 3, 1)
    assert Figure.objects.get(person=people["old"]).is_key_contact is True
    assert Figure.objects.count() == 3
    assert not ParkedImport.objects.exists()


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_saved(org, people):
    rows = [
        ["张新", "不存在的学院", "民主党派成员", "", "", "", ""],
        ["查无此人", org.branch_a.name, "民主党派成员", "", "", "", ""],
        ["赵党", org.branch_a.name, "民主党派成员", "", "", "", ""],
        ["张新", org.branch_a.name, "民主党人", "", "", "", ""],
        ["李旧", org.branch_a.name, "无党派知识分子", "对", "", "", ""],
        ["王同", org.branch_b.name, "民主党派成员", "", "", "", "2099-01-01"],
        ["王同", org.branch_b.name, "民主党派成员", "", "", "", ""],
    ]
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        client = _client(org.office)  # (a session from a later clock would not be valid)
        before = fingerprint()
        preview = client.post(reverse("figure_import"), {"file": _upload(rows)})
    text = re.sub(r"\s+", "", preview.content.decode())
    for expected in (
        "第2行“单位”列：找不到单位“不存在的学院”",
        "第3行“姓名”列：",
        "第4行“姓名”列：赵党是中共党员",
        "第5行“类别”列：“民主党人”不是有效的类别",
        "第6行“党外代表人士”列：应填“是”或“否”",
        "第7行“登记日期”列：登记日期不能晚于今天",
        "第8行“姓名”列：与第7行是同一人",
    ):
        assert expected in text, expected
    assert preview.context["token"] == ""
    assert changed_tables(before, fingerprint()) == []


def test_only_the_office_imports(org, people):
    rows = [["张新", org.branch_a.name, "民主党派成员", "", "", "", ""]]
    for user in (org.leader, org.commissioner_a, org.member):
        response = _client(user).post(reverse("figure_import"), {"file": _upload(rows)})
        assert response.status_code == 403
    assert not Figure.objects.filter(person=people["new"]).exists()

"""Importing a plan's item list from Excel: preview, confirmation, row errors naming row
and column, and the all-or-nothing replacement."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from groups import imports, services
from groups.models import WorkPoints, WorkPointsItem
from portal.models import Unit
from tests.conftest import client_for
from tests.groups_helpers import department, fingerprint, items_file, make_plan, numbers

GOOD = [
    ["一、以政治建设为统领", "持续强化政治引领", "引导党外人士……", "党委统战部", ""],
    ["一、以政治建设为统领", "开展条例宣贯学习", "组织学习条例……", "统战部", "党委宣传部"],
    [
        "二、强化民族宗教工作",
        "做好少数民族学生管理工作",
        "召开座谈会……",
        "学生工作处",
        "团委、各二级学院",
    ],
]


@pytest.fixture
def units(org):
    department("党委宣传部", "宣传部")
    department("学生工作部（学生工作处）", "学生工作处")
    department("团委")
    org.ufw_dept.short_name = "统战部"
    org.ufw_dept.save()
    return org


@pytest.fixture
def draft(units):
    return make_plan(2026, [("旧的部分", [("旧事项", units.ufw_dept, [])])])


def post(client, rows, year=2026):
    return client.post(f"/work-points/{year}/import/", {"file": items_file(rows)})


def test_it_previews_and_replaces_the_items_on_confirmation(org, draft):
    client = client_for(org.office)
    before = fingerprint()
    response = post(client, GOOD)
    assert fingerprint() == before
    html = response.content.decode()
    assert "现有的 1 个部分、1 项将替换为下列 2 个部分、3 项" in html
    assert "3. 做好少数民族学生管理工作" in html
    assert "机电工程学院" in html  # 各二级学院 expanded
    done = client.post(f"/work-points/2026/import/{response.context['token']}/confirm/")
    assert done.url == "/work-points/2026/edit/"
    assert numbers(draft) == [
        (1, "一", "持续强化政治引领"),
        (2, "一", "开展条例宣贯学习"),
        (3, "二", "做好少数民族学生管理工作"),
    ]
    third = draft.items.get(number=3)
    assert third.lead_unit.name == "学生工作部（学生工作处）"
    assert {u.name for u in third.co_units.all()} == {"团委", "机电工程学院"}
    assert draft.sections.get(position=1).title == "以政治建设为统领"  # the numeral is dropped


ITEM_ERRORS = [
    (["", "事项甲", "内容", "党委统战部", ""], "第2行“部分”列：不能为空。"),
    (["一、", "事项甲", "内容", "党委统战部", ""], "第2行“部分”列：只有序号，没有标题。"),
    (["一、部分", "", "内容", "党委统战部", ""], "第2行“事项”列：不能为空。"),
    (["一、部分", "事项甲", "", "党委统战部", ""], "第2行“内容”列：不能为空。"),
    (["一、部分", "事项甲", "内容", "", ""], "第2行“牵头部门”列：不能为空。"),
    (
        ["一、部分", "事项甲", "内容", "党委统战处", ""],
        "第2行“牵头部门”列：找不到单位“党委统战处”，请填写“单位”中登记的名称。",
    ),
    (
        ["一、部分", "事项甲", "内容", "各二级学院", ""],
        "第2行“牵头部门”列：牵头部门只能填一个单位；“各二级学院”等请填在“配合部门”列。",
    ),
    (
        ["一、部分", "事项甲", "内容", "党委统战部", "团委、后勤处"],
        "第2行“配合部门”列：找不到单位“后勤处”，请填写“单位”中登记的名称。",
    ),
    (
        ["一、部分", "持续强化政治引领", "内容", "党委统战部", ""],
        "第3行“事项”列：与第2行重复。",
    ),
    (
        ["一、部分", "事" * 101, "内容", "党委统战部", ""],
        "第2行“事项”列：太长（最多100字），详细内容请写在“内容”列。",
    ),
]


@pytest.mark.parametrize(("row", "message"), ITEM_ERRORS, ids=[m[:12] for _r, m in ITEM_ERRORS])
def test_it_names_the_row_and_column_of_each_error_and_replaces_nothing(org, draft, row, message):
    rows = [GOOD[0], row] if "重复" in message else [row, GOOD[1]]
    before = fingerprint()
    response = post(client_for(org.office), rows)
    assert message in response.context["result"].messages, response.context["result"].messages
    assert message in response.content.decode()
    assert response.context["token"] == ""
    assert fingerprint() == before
    assert numbers(draft) == [(1, "一", "旧事项")]


def test_it_refuses_an_empty_sheet(org, draft):
    response = post(client_for(org.office), [])
    assert "表格中没有事项。" in response.content.decode()


def test_it_refuses_to_replace_items_that_have_reports(org, draft):
    services.progress_report_create(
        item=draft.items.get(), unit=org.ufw_dept, by=org.office, text="进展", percent=10
    )
    before = fingerprint()
    response = post(client_for(org.office), GOOD)
    assert "这份工作要点已有进展报告，不能整体替换事项；请逐项修改。" in response.content.decode()
    assert fingerprint() == before


def test_it_replaces_nothing_when_the_confirmation_finds_the_plan_changed(org, draft):
    client = client_for(org.office)
    response = post(client, GOOD)
    services.progress_report_create(
        item=draft.items.get(), unit=org.ufw_dept, by=org.office, text="进展", percent=10
    )
    before = fingerprint()
    again = client.post(f"/work-points/2026/import/{response.context['token']}/confirm/")
    assert again.status_code == 200
    assert "已有进展报告" in again.content.decode()
    assert fingerprint() == before


def test_it_keeps_each_plans_upload_apart(org, draft, units):
    """A preview of one year cannot be confirmed into another year's plan."""
    make_plan(2027, [])
    client = client_for(org.office)
    response = post(client, GOOD, year=2026)
    again = client.post(f"/work-points/2027/import/{response.context['token']}/confirm/")
    assert again.url == "/work-points/2027/import/"
    assert not WorkPoints.objects.get(year=2027).items.exists()


def test_it_offers_a_template_listing_the_units(org, units):
    response = client_for(org.office).get("/work-points/import-template.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == list(imports.ITEM_HEADERS)
    notes = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert "党委宣传部" in notes["可用单位"]
    assert "各二级学院" in notes["配合部门"]


def test_it_reads_back_its_own_export_as_an_import(org, draft, units):
    """Export → import round trip: the same items come back."""
    client = client_for(org.office)
    post_response = post(client, GOOD)
    client.post(f"/work-points/2026/import/{post_response.context['token']}/confirm/")
    exported = client.get("/work-points/2026/items.xlsx").content
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/work-points/2026/import/", {"file": SimpleUploadedFile("x.xlsx", exported)}
    )
    result = response.context["result"]
    assert result.ok, result.messages
    assert [[i.title for i in s.items] for s in result.sections] == [
        ["持续强化政治引领", "开展条例宣贯学习"],
        ["做好少数民族学生管理工作"],
    ]
    assert WorkPointsItem.objects.count() == 3
    assert Unit.objects.filter(kind=Unit.Kind.SCHOOL).count() == 1

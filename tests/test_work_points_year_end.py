"""The plan page's overdue markers and the year-end view: each item's final progress and
each responsible unit's latest report and evidence, on the page and exported to .xlsx
(read back with openpyxl), in constant queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from groups import selectors, services
from groups.models import ProgressReport, WorkPoints, WorkPointsItem
from portal.documents import services as documents
from tests.conftest import client_for
from tests.groups_helpers import department, make_plan, office_login, read_xlsx

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


def at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def plan(org):
    hr = department("人事处")
    return make_plan(
        2026,
        [
            (
                "思想引领",
                [("持续强化政治引领", org.ufw_dept, []), ("强化宣传", org.ufw_dept, [hr])],
            ),
            (
                "民族宗教",
                [("少数民族学生工作", hr, [org.school_a]), ("经管专项", org.branch_b, [])],
            ),
        ],
    )


def item(plan: WorkPoints, number: int) -> WorkPointsItem:
    return plan.items.get(number=number)


def report(target, unit, percent, day, text="进展", evidence=None):
    created = services.progress_report_create(
        item=target, unit=unit, by=office_login(), text=text, percent=percent, evidence=evidence
    )
    ProgressReport.objects.filter(pk=created.pk).update(
        reported_at=dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)
    )
    return created


def test_it_marks_items_not_reported_or_reported_too_long_ago(org, plan):
    report(item(plan, 1), org.ufw_dept, 40, dt.date(2026, 2, 1))
    report(item(plan, 2), org.ufw_dept, 100, dt.date(2026, 2, 1))
    report(item(plan, 3), org.school_a, 60, dt.date(2026, 6, 1))
    with at(2026, 3, 20):  # a quarter not yet gone: nothing is overdue
        statuses = {s.item.number: s for s in selectors.item_statuses(plan)}
        assert not any(s.not_reported or s.overdue_days for s in statuses.values())
    with at(2026, 7, 1):
        statuses = {s.item.number: s for s in selectors.item_statuses(plan)}
        html = client_for(org.leader).get("/work-points/2026/").content.decode()
    assert statuses[1].overdue_days == 150  # 1 February → 1 July
    assert statuses[2].overdue_days is None  # done
    assert statuses[3].overdue_days is None  # a month ago
    assert statuses[4].not_reported
    assert "150天未报告" in html and "未报告" in html


def test_it_summarises_each_units_part_with_its_evidence(org, plan):
    hr = item(plan, 3).lead_unit
    report(item(plan, 3), hr, 50, dt.date(2026, 6, 1), text="召开座谈会1次")
    report(
        item(plan, 3),
        hr,
        100,
        dt.date(2026, 11, 20),
        text="全年工作完成",
        evidence=SimpleUploadedFile("座谈会纪要.pdf", PDF, "application/pdf"),
    )
    report(item(plan, 3), org.school_a, 80, dt.date(2026, 10, 8), text="学院活动2次")
    with at(2027, 1, 5):
        rows = {row.status.item.number: row for row in selectors.year_end(plan)}
        html = client_for(org.leader).get("/work-points/2026/year-end/").content.decode()
    third = rows[3]
    assert [(u.unit.name, u.lead, u.percent, u.report_count) for u in third.units] == [
        ("人事处", True, 100, 2),
        ("机电工程学院", False, 80, 1),
    ]
    assert third.units[0].text == "全年工作完成"
    assert [r.evidence_name for r in third.units[0].evidence] == ["座谈会纪要.pdf"]
    assert third.status.percent == 100  # the item's latest report, whichever unit
    assert rows[4].units[0].percent is None
    assert "全年工作完成" in html and "座谈会纪要.pdf" in html and "学院活动2次" in html
    evidence_url = f"/work-points/reports/{third.units[0].evidence[0].pk}/evidence/"
    assert evidence_url in html
    # Commissioner B (the branch leads item 4) reads no other unit's texts or files.
    with at(2027, 1, 5):
        html_b = client_for(org.commissioner_b).get("/work-points/2026/year-end/").content
    assert "全年工作完成" not in html_b.decode() and "座谈会纪要.pdf" not in html_b.decode()


def test_it_exports_the_year_end_view_to_xlsx(org, plan):
    hr = item(plan, 3).lead_unit
    report(
        item(plan, 3),
        hr,
        100,
        dt.date(2026, 11, 20),
        text="全年工作完成",
        evidence=SimpleUploadedFile("座谈会纪要.pdf", PDF, "application/pdf"),
    )
    with at(2027, 1, 5):
        response = client_for(org.member).get("/work-points/2026/year-end.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    rows = read_xlsx(response.content)
    assert rows[0] == [
        "序号",
        "部分",
        "事项",
        "责任部门",
        "分工",
        "完成进度（%）",
        "最近报告",
        "报告次数",
        "进展情况",
        "佐证材料",
        "事项状态",
    ]
    assert len(rows) == 1 + 6  # items 1 and 4: one unit; items 2 and 3: two
    by_unit = {(r[0], r[3]): r for r in rows[1:]}
    hr_row = by_unit[3, "人事处"]
    assert hr_row[1] == "二、民族宗教"
    assert hr_row[4:8] == ["牵头", 100, dt.date(2026, 11, 20), 1]
    assert hr_row[8:] == ["全年工作完成", "座谈会纪要.pdf", "已完成"]
    assert by_unit[3, "机电工程学院"][4:6] == ["配合", None]
    # A commissioner of another unit gets the figures without the texts.
    with at(2027, 1, 5):
        rows_b = read_xlsx(
            client_for(org.commissioner_b).get("/work-points/2026/year-end.xlsx").content
        )
    assert {(r[0], r[3]): r for r in rows_b[1:]}[3, "人事处"][8:10] == [None, None]


def test_it_reads_the_plan_page_of_an_issued_plan_in_constant_queries(
    org, django_assert_num_queries
):
    plan = make_plan(2026, [("总体", [(f"事项{i}", org.ufw_dept, []) for i in range(5)])])
    with at(2026, 3, 10):
        document = services.work_points_submit(plan=plan, by=org.office)
        documents.document_sign(document=document, by=org.leader)
        documents.document_issue(document=document, by=org.office)
    client = client_for(org.leader)
    # session, user, roles; the plan with its document; items with their latest report;
    # co-units; the leader's person, unit tree and own items ("only mine"); sections; may
    # the user see the document; the navbar.
    with django_assert_num_queries(12):
        assert "X统〔2026〕1号" in client.get("/work-points/2026/").content.decode()
    section = plan.sections.get()
    WorkPointsItem.objects.bulk_create(
        [
            WorkPointsItem(
                plan=plan,
                section=section,
                number=6 + i,
                title=f"批量{i}",
                body="…",
                lead_unit=org.ufw_dept,
            )
            for i in range(495)
        ]
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(item=i, unit=org.ufw_dept, text="进展", percent=30)
            for i in plan.items.all()
        ]
    )
    with django_assert_num_queries(12):
        client.get("/work-points/2026/")

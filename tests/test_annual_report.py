"""The annual report (年度工作汇报): drafted by the office in sections, a section filled
from the work points' year-end view (从工作要点生成), issued through the documents
workflow (the group leader signs), meeting the `annual_report` deadline (15 January)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from groups import services as groups_services
from groups.models import ProgressReport
from portal.deadlines.models import Deadline
from portal.deadlines.reminders import periods_sync
from portal.deadlines.selectors import deadline_find, period_deadline
from portal.documents import services as documents
from portal.documents.models import Document, DocumentStep
from portal.documents.registry import Importance
from portal.documents.views import _source_of as document_source
from portal.models import User
from reports import services, sources
from reports.models import AnnualReport
from reports.rules import ANNUAL_REPORT
from tests.conftest import client_for
from tests.groups_helpers import department, make_plan

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def plan(org):
    hr = department("人事处")
    plan = make_plan(
        2026,
        [
            (
                "思想引领",
                [("持续强化政治引领", org.ufw_dept, []), ("强化宣传", hr, [org.ufw_dept])],
            ),
        ],
    )
    first = plan.items.get(number=1)
    ProgressReport.objects.create(
        item=first, unit=org.ufw_dept, text="全年推送学习材料48期", percent=100
    )
    return plan


@pytest.fixture
def report(org):
    return services.annual_report_create(year=2026, by=org.office)


def _write(report: AnnualReport, text: str = "一年来，学院统战工作稳步推进。") -> None:
    first = report.sections.get(heading="主要工作和成效")
    services.annual_report_update(
        report=report,
        title=report.title,
        addressee=report.addressee,
        sections={first.pk: {"heading": first.heading, "body": text}},
        by=User.objects.get(username="office"),  # the `org` fixture's office clerk
    )


def test_it_starts_a_report_with_the_usual_sections(org, report):
    assert report.title == "2026年统一战线工作情况汇报"
    assert [s.numbered_heading for s in report.sections.all()] == [
        "一、主要工作和成效",
        "二、存在的问题和不足",
        "三、下一年度工作打算",
    ]
    assert period_deadline(ANNUAL_REPORT, "2026").due == dt.date(2027, 1, 15)  # the engine's
    with pytest.raises(ValidationError):
        services.annual_report_create(year=2026, by=org.office)


def test_it_fills_a_section_from_the_work_points_once(org, plan, report):
    section = services.annual_report_fill(report=report, source="work_points", by=org.office)
    assert section.position == 1
    assert section.numbered_heading == "一、2026年工作要点落实情况"
    assert "1.持续强化政治引领（党委统战部牵头）：完成100%。全年推送学习材料48期。" in section.body
    assert "2.强化宣传（人事处牵头）：未报告进展。" in section.body
    assert "共2项，已完成1项" in section.body
    assert [s.position for s in report.sections.order_by("position")] == [1, 2, 3, 4]
    services.annual_report_fill(
        report=report, source="work_points", by=org.office
    )  # again: replaced
    assert report.sections.count() == 4
    assert report.sections.filter(source="work_points").count() == 1


def test_it_says_when_a_year_has_no_work_points(org, report):
    with pytest.raises(ValidationError, match="没有可用的数据"):
        services.annual_report_fill(report=report, source="work_points", by=org.office)
    with pytest.raises(ValidationError, match="未知的数据来源"):
        services.annual_report_fill(report=report, source="nothing", by=org.office)


def test_it_lets_another_app_register_a_source(org, report):
    sources.register(
        sources.Source(
            key="elsewhere",
            label="从会议生成",
            heading=lambda y: f"{y}年会议",
            build=lambda y: "开会3次。",
        )
    )
    try:
        section = services.annual_report_fill(report=report, source="elsewhere", by=org.office)
    finally:
        sources.unregister("elsewhere")  # the real sources stay registered for other tests
    assert section.body == "开会3次。"


def test_it_goes_through_the_leader_and_is_issued_with_a_number(
    org, plan, report, django_capture_on_commit_callbacks
):
    services.annual_report_fill(report=report, source="work_points", by=org.office)
    _write(report)
    with at(2027, 1, 6):
        periods_sync(dt.date(2027, 1, 6))
        assert deadline_find(rule=ANNUAL_REPORT, period="2026").state == Deadline.State.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            document = services.annual_report_submit(report=report, by=org.office)
            assert document.importance == Importance.IMPORTANT
            assert document.state == Document.State.AWAITING_SIGNATURE
            with pytest.raises(ValidationError, match="已提交审核"):
                services.annual_report_submit(report=report, by=org.office)
            with pytest.raises(ValidationError, match="不能再修改"):
                _write(report, "改写")
            documents.document_sign(document=document, by=org.leader)
            documents.document_issue(document=document, by=org.office)
    report = AnnualReport.objects.select_related("document").get(pk=report.pk)
    assert report.state == AnnualReport.State.ISSUED
    assert report.reference == "X统〔2027〕1号"
    assert DocumentStep.objects.filter(action="submit").count() == 1
    deadline = deadline_find(rule=ANNUAL_REPORT, period="2026")
    assert deadline.state == Deadline.State.MET
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(report.document.pdf.read())).pages
    )
    text = text.replace("\n", "").replace(" ", "")
    assert "一、2026年工作要点落实情况" in text
    assert "持续强化政治引领（党委统战部牵头）：完成100%" in text
    assert "二、主要工作和成效" in text


def test_it_meets_the_deadline_also_when_issued_late(
    org, plan, report, django_capture_on_commit_callbacks
):
    _write(report)
    with at(2027, 1, 20), django_capture_on_commit_callbacks(execute=True):
        document = services.annual_report_submit(report=report, by=org.office)
        documents.document_sign(document=document, by=org.leader)
        documents.document_issue(document=document, by=org.office)
    deadline = deadline_find(rule=ANNUAL_REPORT, period="2026")
    assert deadline.state == Deadline.State.MET
    assert deadline.due == dt.date(2027, 1, 15)


def test_it_reopens_when_returned_and_submits_the_new_text(org, report):
    _write(report)
    document = services.annual_report_submit(report=report, by=org.office)
    documents.document_return(document=document, by=org.leader, comment="请补充数据")
    report = AnnualReport.objects.select_related("document").get(pk=report.pk)
    assert report.is_editable
    _write(report, "全年召开座谈会5次。")
    services.annual_report_submit(report=report, by=org.office)
    document.refresh_from_db()
    assert "全年召开座谈会5次。" in document.body
    assert document.state == Document.State.AWAITING_SIGNATURE


def test_it_refuses_an_empty_report(org, report):
    with pytest.raises(ValidationError, match="还没有内容"):
        services.annual_report_submit(report=report, by=org.office)


def test_it_drafts_through_the_pages(org, plan):
    client = client_for(org.office)
    response = client.post("/reports/annual/new/", {"year": 2026, "title": ""})
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=2026)
    client.post("/reports/annual/2026/fill/work_points/")
    first, second = report.sections.order_by("position")[:2]
    data = {"title": "2026年统战工作汇报", "addressee": "上级党委统战部"}
    for s in report.sections.all():
        data |= {f"heading_{s.pk}": s.heading, f"body_{s.pk}": s.body}
    data[f"body_{second.pk}"] = "一是……\n\n二是……"
    assert client.post("/reports/annual/2026/edit/", data).status_code == 302
    client.post("/reports/annual/2026/sections/new/", {"heading": "意见建议"})
    html = client.get("/reports/annual/2026/").content.decode()
    assert "五、意见建议" in html and "一是……" in html and "从工作要点生成" in html
    assert client.post("/reports/annual/2026/submit/").status_code == 302
    html = client.get("/reports/annual/2026/").content.decode()
    assert "报审中" in html and 'action="/reports/annual/2026/submit/"' not in html
    assert "2026年统战工作汇报" in client_for(org.leader).get("/reports/annual/").content.decode()
    for user in (org.member, org.commissioner_a):
        assert client_for(user).get("/reports/annual/").status_code == 403


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_reports_in_constant_queries(org, rows, django_assert_num_queries):
    AnnualReport.objects.bulk_create(
        [AnnualReport(year=1500 + i, title=f"{1500 + i}年汇报") for i in range(rows)]
    )
    client = client_for(org.leader)
    # session, user, roles; count; the page of reports with their documents; navbar (2).
    with django_assert_num_queries(7):
        assert client.get("/reports/annual/").status_code == 200


def test_it_issues_last_years_report_in_the_demo(org):
    from reports.demo import seed_annual_report

    groups_services.work_points_create(by=org.office, year=2025)
    with at(2026, 1, 10):
        report = seed_annual_report(
            today=dt.date(2026, 1, 10), office=org.office, leader=org.leader
        )
        assert report is not None
        again = seed_annual_report(today=dt.date(2026, 1, 10), office=org.office, leader=org.leader)
    assert again.pk == report.pk
    report = AnnualReport.objects.select_related("document").get(pk=report.pk)
    assert report.year == 2025 and report.state == AnnualReport.State.ISSUED
    assert AnnualReport.objects.count() == 1


def test_it_links_the_document_back_to_the_report_for_those_who_may_read_it(org, report):
    _write(report)
    document = services.annual_report_submit(report=report, by=org.office)
    url = f"/documents/{document.pk}/"
    link = f'<a href="{report.get_absolute_url()}">{report}</a>'
    for user in (org.office, org.leader):
        html = client_for(user).get(url).content.decode()
        assert 'id="document-source"' in html and link in html
        assert client_for(user).get(report.get_absolute_url()).status_code == 200
    # A member may not read annual reports: no link that would lead to a refusal.
    assert client_for(org.member).get(report.get_absolute_url()).status_code == 403
    # The document page asks the kind: a member who could see it gets no link.
    assert document_source(org.member, document) is None
    assert document_source(org.office, document) == report

"""Control characters in the text of the forms the outside probe found open (issue 14,
second round): the reports' forms, a report's new section, the document series and
the meeting minutes and attendance. Through `portal.lib.forms.refuse_control_characters`,
as every other form: a one-line field refuses any control character (a line break too)
and a direction override, a multi-line one keeps its line breaks and tabs and refuses
the rest. Each refusal re-displays the form with a Chinese message and saves nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db.models import Model

from portal.documents.models import DocumentSeries
from reports import services as reports_services
from reports.models import (
    AnnualReport,
    AnnualReportSection,
    InspectionSelfReport,
    InspectionSelfReportSection,
)
from tests.conftest import client_for

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

ONE_LINE_MESSAGE = "不能包含换行、制表符或其他控制字符。"
MULTI_LINE_MESSAGE = "不能包含控制字符或不可见的方向控制符"
NUL_MESSAGE = "不能包含空字符（NUL）"  # Django's validator, in the project's words

# What is slipped into a field, and the message the page must show for it.
ONE_LINE = [("\u202e", ONE_LINE_MESSAGE), ("\x00", NUL_MESSAGE), ("\r\n", ONE_LINE_MESSAGE)]
MULTI_LINE = [("\u202e", MULTI_LINE_MESSAGE), ("\x00", NUL_MESSAGE), ("\x07", MULTI_LINE_MESSAGE)]


def rows(*models: type[Model]) -> list[int]:
    """Each model's rows and, where it keeps one, its history's."""
    counts = []
    for model in models:
        counts.append(model._default_manager.count())
        if hasattr(model, "history"):
            counts.append(model.history.count())
    return counts


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, message


@pytest.fixture
def annual(org):
    return reports_services.annual_report_create(year=2026, by=org.office)  # three sections


@pytest.fixture
def self_report(org):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), tick=False):
        return reports_services.self_report_create(
            year=2026, inspection="专项督查", due_on=dt.date(2026, 11, 20), by=org.office
        )


def test_a_new_annual_report_refuses_them_in_its_title(org):
    client = client_for(org.office)
    for bad, message in ONE_LINE:
        response = client.post("/reports/annual/new/", {"year": 2026, "title": f"汇报{bad}标题"})
        assert_refused(response, message)
    assert rows(AnnualReport, AnnualReportSection) == [0, 0, 0, 0]


def _annual_data(report) -> dict[str, str]:
    data = {"title": report.title, "addressee": "上级党委统战部"}
    for s in report.sections.all():
        data |= {f"heading_{s.pk}": s.heading, f"body_{s.pk}": "第一段。\r\n\r\n第二段。"}
    return data


def test_the_annual_reports_form_refuses_them_in_title_headings_and_bodies(org, annual):
    client = client_for(org.office)
    section = annual.sections.order_by("position").first()
    before = rows(AnnualReport, AnnualReportSection)
    url = f"/reports/annual/{annual.year}/edit/"
    for name, cases in (
        ("title", ONE_LINE),
        ("addressee", ONE_LINE),
        (f"heading_{section.pk}", ONE_LINE),
        (f"body_{section.pk}", MULTI_LINE),
    ):
        for bad, message in cases:
            data = _annual_data(annual)
            data[name] = f"文字{bad}内容"
            assert_refused(client.post(url, data), message)
    assert rows(AnnualReport, AnnualReportSection) == before
    section.refresh_from_db()
    assert section.body == ""
    # A body's line breaks and tabs stay (a textarea).
    data = _annual_data(annual)
    data[f"body_{section.pk}"] = "一是……\r\n\t二是……"
    assert client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.body == "一是……\r\n\t二是……"


def test_a_new_self_report_refuses_them(org):
    client = client_for(org.office)
    data = {"inspection": "专项督查", "year": 2026, "due_on": "2026-11-20", "addressee": "督查组"}
    for name in ("inspection", "addressee", "title"):
        for bad, message in ONE_LINE:
            response = client.post("/reports/inspection/new/", data | {name: f"督查{bad}事项"})
            assert_refused(response, message)
    assert rows(InspectionSelfReport, InspectionSelfReportSection) == [0, 0, 0, 0]


def test_the_self_reports_form_refuses_them(org, self_report):
    client = client_for(org.office)
    section = self_report.sections.order_by("position").first()
    before = rows(InspectionSelfReport, InspectionSelfReportSection)
    opening = self_report.opening  # the outline's greeting
    base = {
        "title": self_report.title,
        "addressee": "督查组",
        "inspection": "专项督查",
        "due_on": "2026-11-20",
        "opening": "各位领导：\r\n\r\n现将有关情况汇报如下。",
    }
    for s in self_report.sections.all():
        base |= {f"heading_{s.pk}": s.heading, f"body_{s.pk}": s.body}
    url = f"/reports/inspection/{self_report.pk}/edit/"
    for name, cases in (
        ("inspection", ONE_LINE),
        ("title", ONE_LINE),
        (f"heading_{section.pk}", ONE_LINE),
        ("opening", MULTI_LINE),
        (f"body_{section.pk}", MULTI_LINE),
    ):
        for bad, message in cases:
            assert_refused(client.post(url, base | {name: f"文字{bad}内容"}), message)
    assert rows(InspectionSelfReport, InspectionSelfReportSection) == before
    self_report.refresh_from_db()
    assert self_report.opening == opening and self_report.inspection == "专项督查"


@pytest.mark.parametrize("kind", ["annual", "self"])
def test_a_new_sections_heading_is_refused_with_the_reason(org, annual, self_report, kind):
    """A NUL answered "请填写部分标题。" although the heading was filled."""
    report = annual if kind == "annual" else self_report
    model = AnnualReportSection if kind == "annual" else InspectionSelfReportSection
    before = rows(model)
    url = f"{report.get_absolute_url()}sections/new/"
    client = client_for(org.office)
    for bad, message in ONE_LINE:
        response = client.post(url, {"heading": f"部分{bad}标题"}, follow=True)
        assert_refused(response, message)
        page = response.content.decode()
        assert "部分标题：" in page and "请填写部分标题" not in page
    assert rows(model) == before
    empty = client.post(url, {"heading": "  "}, follow=True)
    assert "请填写部分标题。" in empty.content.decode()
    client.post(url, {"heading": "意见建议"})
    assert rows(model) != before


def test_a_document_series_refuses_them_and_its_header_keeps_two_lines(org):
    series = DocumentSeries.objects.get(key="ufw")
    base = {
        "name": series.name,
        "prefix": series.prefix,
        "header": series.header,
        "signing_unit": series.signing_unit,
        "printed_by": series.printed_by,
    }
    before = rows(DocumentSeries)
    client = client_for(org.office)
    url = f"/documents/series/{series.pk}/edit/"
    for name, cases in (
        ("name", ONE_LINE),
        ("prefix", ONE_LINE),
        ("signing_unit", ONE_LINE),
        ("printed_by", ONE_LINE),
        ("header", MULTI_LINE),
    ):
        for bad, message in cases:
            assert_refused(client.post(url, base | {name: f"统{bad}战"}), message)
    assert rows(DocumentSeries) == before
    assert client.post(url, base | {"header": "某某学院\r\n统战文件"}).status_code == 302
    series.refresh_from_db()
    assert series.header == "某某学院\r\n统战文件"


@pytest.fixture
def meeting(org):
    from meetings import services as meetings_services
    from tests.meetings_helpers import make_meeting, make_members

    make_members(org)
    meeting = make_meeting(org)
    meetings_services.agenda_item_create(meeting=meeting, by=org.office, title="审议工作要点")
    return meeting


def test_the_minutes_refuse_them_and_keep_line_breaks(org, meeting):
    from meetings.models import AgendaItem, Minutes

    item = AgendaItem.objects.get()
    base = {"opening": "会议研究了……", f"discussion_{item.pk}": "", f"decision_{item.pk}": ""}
    before = rows(AgendaItem, Minutes)
    client = client_for(org.office)
    url = f"/meetings/{meeting.pk}/minutes/"
    for name in ("opening", f"discussion_{item.pk}", f"decision_{item.pk}"):
        for bad, message in MULTI_LINE:
            response = client.post(url, base | {name: f"讨论{bad}情况"})
            assert_refused(response, message)
            assert "纪要没有保存" in response.content.decode()
    assert rows(AgendaItem, Minutes) == before
    ok = client.post(url, base | {f"discussion_{item.pk}": "一是……\r\n\t二是……"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "一是……\r\n\t二是……"


def test_the_attendance_refuses_them_in_its_one_line_fields(org, meeting):
    from meetings.models import Attendance

    row = meeting.attendances.first()
    base = {f"status_{row.pk}": "absent", f"reason_{row.pk}": "出差", f"represented_{row.pk}": ""}
    before = rows(Attendance)
    client = client_for(org.office)
    url = f"/meetings/{meeting.pk}/attendance/"
    for name in (f"reason_{row.pk}", f"represented_{row.pk}"):
        for bad, message in ONE_LINE:
            response = client.post(url, base | {name: f"出{bad}差"})
            assert_refused(response, message)
            assert "出席情况没有保存" in response.content.decode()
    assert rows(Attendance) == before
    row.refresh_from_db()
    assert row.status != Attendance.Status.ABSENT

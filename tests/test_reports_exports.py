"""The experiences (经验做法) and information (统战信息) lists' registered exports
(`reports.exporting`). Each read back with openpyxl: Chinese headers, dates as dates,
exactly the list's filtered rows in the user's scope (a commissioner their own unit's),
formula-like text kept as text, the same columns for every role (neither detail page
hides a field from a reader), the same queries for one row as for twenty, the roles the
list refuses refused, and the background job's file the same rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from portal import exports
from portal.exportjobs.services import export_job_run, export_job_start
from reports import upward_services as services
from reports.models import Experience, InformationReport
from tests.conftest import Org, client_for
from tests.deadline_helpers import at
from tests.sheets import assert_text_cell, export_queries, headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
EXPERIENCE_HEADERS = ["登记日期", "标题", "单位", "状态", "摘要", "登记人", "报送办公室日期"]
INFORMATION_HEADERS = ["年度", "标题", "单位", "状态", "登记人", "登记日期", "报送办公室日期"]


@pytest.fixture(autouse=True)
def _on_a_day():
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):
        yield


def _experience(org: Org, title: str, unit=None, by=None) -> Experience:
    return services.experience_create(
        unit=unit or org.school_a,
        title=title,
        summary="每月一次谈心",
        body="一是建立台账。",
        by=by or org.commissioner_a,
    )


def _information(org: Org, title: str, unit=None, by=None, steps=()) -> InformationReport:
    report = services.information_create(
        unit=unit or org.school_a, title=title, body="内容", by=by or org.commissioner_a
    )
    for step in steps:
        report = InformationReport.objects.get(pk=report.pk)
        if step == "submit":
            services.information_submit(report=report, by=by or org.commissioner_a)
        elif step == "return":
            services.information_return(report=report, reason="=要素不全", by=org.office)
        elif step == "accept":
            services.information_accept(report=report, by=org.office)
        elif step == "send":
            services.information_send(
                report=report, sent_on=D(2026, 5, 19), sent_to="自治区党委统战部", by=org.office
            )
        elif step == "adopt":
            services.information_adopt(
                report=report,
                level="provincial",
                outlet="《统战信息》",
                adopted_on=D(2026, 5, 20),
                by=org.office,
            )
    return InformationReport.objects.get(pk=report.pk)


@pytest.fixture
def upward(org):
    """School A's published experience (its title formula-like) and branch B's draft;
    school A's adopted information, its returned one and branch B's submitted one."""
    published = _experience(org, '=HYPERLINK("x") 三个一')
    services.experience_submit(experience=published, by=org.commissioner_a)
    services.experience_select(experience=published, by=org.office)
    services.experience_report_upward(
        experience=published, reported_on=D(2026, 5, 10), reported_to="上级", by=org.office
    )
    services.experience_publish(
        experience=published, outlet="《统战工作简报》", published_on=D(2026, 5, 18), by=org.office
    )
    _experience(org, "经管学院经验", unit=org.branch_b, by=org.commissioner_b)
    _information(org, "机电信息", steps=["submit", "accept", "send", "adopt"])
    _information(org, "机电退回", steps=["submit", "return"])
    _information(org, "经管信息", unit=org.branch_b, by=org.commissioner_b, steps=["submit"])
    return org


# Experiences ----------------------------------------------------------------------------------


def test_the_experiences_export_is_exactly_the_lists_filtered_rows(upward):
    org = upward
    url = reverse("experience_export")
    client = client_for(org.office)
    for query in ({}, {"state": "drafting"}, {"state": "published"}, {"unit": org.branch_b.pk}):
        sheet = read_sheet(client.get(url, query))
        listed = client.get(reverse("experience_list"), query).context["page"]
        assert [row[1] for row in rows_of(sheet)] == [e.title for e in listed], query
    sheet = read_sheet(client.get(url, {"state": "published"}))
    assert headers_of(sheet)[:7] == EXPERIENCE_HEADERS
    (row,) = rows_of(sheet)
    assert row[2:6] == (
        org.school_a.name,
        "获刊发",
        "每月一次谈心",
        org.commissioner_a.display_name,
    )
    assert row[9:11] == ("上级", "《统战工作简报》")
    assert_text_cell(sheet, '=HYPERLINK("x") 三个一')
    for column, day in ((1, D(2026, 5, 20)), (7, D(2026, 5, 20)), (9, D(2026, 5, 10))):
        cell = sheet.cell(row=2, column=column)
        assert cell.is_date and cell.value.date() == day, column
    published = sheet.cell(row=2, column=12)
    assert published.is_date and published.value.date() == D(2026, 5, 18)


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("office", {'=HYPERLINK("x") 三个一', "经管学院经验"}),
        ("leader", {'=HYPERLINK("x") 三个一', "经管学院经验"}),
        ("member", {'=HYPERLINK("x") 三个一', "经管学院经验"}),
        ("commissioner_a", {'=HYPERLINK("x") 三个一'}),  # school A is under branch A
        ("commissioner_b", {"经管学院经验"}),
    ],
)
def test_the_experiences_export_is_the_users_scope_with_the_same_columns(upward, persona, titles):
    org = upward
    client = client_for(getattr(org, persona))
    sheet = read_sheet(client.get(reverse("experience_export")))
    assert len(headers_of(sheet)) == 14 and headers_of(sheet)[:7] == EXPERIENCE_HEADERS
    assert {row[1] for row in rows_of(sheet)} == titles
    listed = client.get(reverse("experience_list")).context["page"]
    assert [row[1] for row in rows_of(sheet)] == [e.title for e in listed]
    # Another unit's filter does not widen a commissioner's scope.
    other = rows_of(read_sheet(client.get(reverse("experience_export"), {"unit": org.branch_b.pk})))
    assert {row[1] for row in other} <= titles


# Information ----------------------------------------------------------------------------------


def test_the_information_export_is_exactly_the_lists_filtered_rows(upward):
    org = upward
    url = reverse("information_export")
    client = client_for(org.office)
    queries = (
        {},
        {"year": "2026"},
        {"year": "2025"},
        {"state": "returned"},
        {"unit": org.branch_b.pk},
        {"year": "2026", "state": "adopted", "unit": org.school_a.pk},
    )
    for query in queries:
        sheet = read_sheet(client.get(url, query))
        listed = client.get(reverse("information_list"), query).context["page"]
        assert [row[1] for row in rows_of(sheet)] == [r.title for r in listed], query
    sheet = read_sheet(client.get(url, {"state": "adopted"}))
    assert headers_of(sheet)[:7] == INFORMATION_HEADERS
    assert headers_of(sheet)[-3:] == ["采用层级", "采用载体", "采用日期"]
    (row,) = rows_of(sheet)
    assert row[:4] == (2026, "机电信息", org.school_a.name, "已采用")
    assert row[9:12] == ("自治区党委统战部", "自治区（省）", "《统战信息》")
    for column, day in ((6, D(2026, 5, 20)), (9, D(2026, 5, 19)), (13, D(2026, 5, 20))):
        cell = sheet.cell(row=2, column=column)
        assert cell.is_date and cell.value.date() == day, column
    returned = read_sheet(client.get(url, {"state": "returned"}))
    assert_text_cell(returned, "=要素不全")  # the return reason, on the page for every reader


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("office", {"机电信息", "机电退回", "经管信息"}),
        ("member", {"机电信息", "机电退回", "经管信息"}),
        ("commissioner_a", {"机电信息", "机电退回"}),
        ("commissioner_b", {"经管信息"}),
    ],
)
def test_the_information_export_is_the_users_scope_with_the_same_columns(upward, persona, titles):
    sheet = read_sheet(client_for(getattr(upward, persona)).get(reverse("information_export")))
    assert len(headers_of(sheet)) == 13 and headers_of(sheet)[:7] == INFORMATION_HEADERS
    assert {row[1] for row in rows_of(sheet)} == titles


def test_the_information_summary_export_still_counts_per_unit(upward):
    response = client_for(upward.office).get(reverse("information_summary_export"), {"year": 2026})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert response.status_code == 200 and sheet.max_row > 1


# Refused as the list refuses ------------------------------------------------------------------

URL_OF = {
    "experiences": ("experience_export", "experience_list"),
    "information": ("information_export", "information_list"),
}
PERSONAS = (
    "office",
    "leader",
    "deputy",
    "member",
    "commissioner_a",
    "commissioner_b",
    "outsider",
    "liaison",
    "publicity",
)


@pytest.mark.parametrize("key", sorted(URL_OF))
def test_an_export_is_refused_as_its_list_is_and_its_registration_agrees(org, key):
    export_url, list_url = URL_OF[key]
    registered = exports.get(key)
    assert registered is not None
    refused = 0
    for persona in PERSONAS:
        user = getattr(org, persona)
        client = client_for(user)
        listed = client.get(reverse(list_url)).status_code
        assert listed in (200, 403), (persona, listed)
        assert client.get(reverse(export_url)).status_code == listed, (key, persona)
        assert registered.allowed(user) is (listed == 200), (key, persona)
        refused += listed == 403
    assert refused >= 3  # the outsider, the liaison, the publicity member at least
    assert client_for(None).get(reverse(export_url)).status_code == 302  # to the login


# Queries --------------------------------------------------------------------------------------


def _more_experiences(org, n: int) -> None:
    for i in range(n):
        experience = _experience(org, f"经验{n}-{i}", unit=org.school_a, by=org.office)
        if i % 2:
            services.experience_submit(experience=experience, by=org.office)


def _more_information(org, n: int) -> None:
    for i in range(n):
        _information(org, f"信息{n}-{i}", by=org.office, steps=["submit"] if i % 2 else [])


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("experience_export", "office", _more_experiences),
        ("experience_export", "commissioner_a", _more_experiences),
        ("information_export", "office", _more_information),
        ("information_export", "commissioner_a", _more_information),
    ],
)
def test_a_reports_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    client = client_for(getattr(org, persona))

    more(org, 1)  # a row, so that every related read runs
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows == rows + 20
    assert many == few


# The background job ---------------------------------------------------------------------------


def test_a_commissioners_information_job_holds_their_units_filtered_rows(upward, settings):
    org = upward
    settings.EXPORT_ASYNC_THRESHOLD = 0
    offer = client_for(org.commissioner_a).get(reverse("information_export"), {"year": "2026"})
    assert offer.status_code == 200 and "Content-Disposition" not in offer
    job = export_job_start(key="information", querystring="year=2026", by=org.commissioner_a)
    assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet)[:7] == INFORMATION_HEADERS
    assert {row[1] for row in rows_of(sheet)} == {"机电信息", "机电退回"}
    assert (job.rows_total, job.rows_done) == (2, 2)


def test_the_list_pages_carry_their_query_to_the_export(upward):
    client = client_for(upward.office)
    page = client.get(reverse("experience_list"), {"state": "published"}).content.decode()
    assert f'href="{reverse("experience_export")}?state=published"' in page
    page = client.get(reverse("information_list"), {"year": "2026"}).content.decode()
    assert f'href="{reverse("information_export")}?year=2026"' in page

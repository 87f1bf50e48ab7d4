"""The inspections lists' registered exports (`inspections.exporting`): rectifications
(整改落实) and research topics (调研课题). Each read back with openpyxl: Chinese headers,
dates as dates, exactly the list's filtered rows in the user's scope, formula-like text
kept as text, the same queries for one row as for twenty, the roles the list refuses
refused, and the background job's file the same rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from inspections import research_services, services
from inspections.models import Rectification
from portal import exports
from portal.exportjobs.services import export_job_run, export_job_start
from tests.conftest import client_for
from tests.deadline_helpers import at
from tests.sheets import export_queries, headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
AFTER_DUE = at(2026, 10, 8, 9)


def _assign(org, *, unit=None, title="实训室安全管理", measures="建立台账\n每月检查"):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.rectification_assign(
            unit=unit or org.school_a,
            source=Rectification.Source.SUPERVISION,
            title=title,
            problem="安全台账不全，检查记录缺失。",
            measures=measures,
            due=D(2026, 9, 30),
            by=org.office,
        )


def _topic(org, *, unit, title, due=None):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        topic = research_services.research_topic_propose(
            year=2026,
            title=title,
            description="研究统战工作与学校中心工作的融合机制。",
            unit=unit,
            origin="实际工作中出现的新问题新情况",
            by=org.office,
        )
        if due is not None:
            topic = research_services.research_topic_assign(topic=topic, due=due, by=org.office)
    return topic


# Rectifications -------------------------------------------------------------------------------


def test_the_rectifications_export_is_exactly_the_lists_filtered_rows(org):
    own = _assign(org, title='=HYPERLINK("x")')
    _assign(org, unit=org.branch_b, title="经管学院整改")
    services.rectification_cancel(rectification=own, reason="重复交办", by=org.office)
    url = reverse("rectification_export")
    with time_machine.travel(AFTER_DUE, tick=False):
        client = client_for(org.office)
        for query in ({}, {"state": "open"}, {"state": "cancelled"}, {"unit": org.branch_b.pk}):
            sheet = read_sheet(client.get(url, query))
            listed = client.get(reverse("rectification_list"), query).context["page"]
            assert [row[2] for row in rows_of(sheet)] == [r.title for r in listed], query
        sheet = read_sheet(client.get(url, {"state": "cancelled"}))
        theirs = rows_of(read_sheet(client_for(org.commissioner_b).get(url)))
    assert headers_of(sheet)[:4] == ["交办日期", "整改单位", "整改事项", "问题来源"]
    (row,) = rows_of(sheet)
    assert row[2] == '=HYPERLINK("x")' and row[11] == "重复交办"
    cell = sheet.cell(row=2, column=3)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    opened, due = sheet.cell(row=2, column=1), sheet.cell(row=2, column=9)
    assert opened.is_date and opened.value.date() == D(2026, 9, 1)
    assert due.is_date and due.value.date() == D(2026, 9, 30)
    assert [row[2] for row in theirs] == ["经管学院整改"]  # the commissioner's unit only


def test_the_rectifications_export_says_overdue_in_words(org):
    _assign(org, title="逾期的整改")
    with time_machine.travel(AFTER_DUE, tick=False):
        (row,) = rows_of(read_sheet(client_for(org.office).get(reverse("rectification_export"))))
    assert (row[6], row[7], row[9]) == ("0/2", "整改中", "已逾期")
    assert row[5] == "1. 建立台账（整改中）\n2. 每月检查（整改中）"


# Research topics ------------------------------------------------------------------------------


def test_the_topics_export_is_exactly_the_lists_filtered_rows(org):
    _topic(org, unit=org.school_a, title='=HYPERLINK("http://x")', due=D(2026, 6, 30))
    _topic(org, unit=org.branch_b, title="乙课题")
    url = reverse("research_topic_export")
    client = client_for(org.office)
    for query in ({}, {"unit": org.school_a.pk}, {"state": "proposed"}, {"year": "2025"}):
        sheet = read_sheet(client.get(url, query))
        listed = client.get(reverse("research_topic_list"), query).context["page"]
        assert [row[1] for row in rows_of(sheet)] == [t.title for t in listed], query
    sheet = read_sheet(client.get(url, {"unit": org.school_a.pk}))
    assert headers_of(sheet)[:4] == ["年度", "课题名称", "课题来源", "承担单位或承担人"]
    (row,) = rows_of(sheet)
    assert (row[0], row[3], row[4]) == (2026, org.school_a.name, "研究中")
    cell = sheet.cell(row=2, column=2)
    assert (cell.data_type, cell.quotePrefix, cell.value) == ("s", True, '=HYPERLINK("http://x")')
    due = sheet.cell(row=2, column=6)
    assert due.is_date and due.value.date() == D(2026, 6, 30)
    theirs = rows_of(read_sheet(client_for(org.commissioner_b).get(url)))
    assert [row[1] for row in theirs] == ["乙课题"]


# Refused as the list refuses --------------------------------------------------------------------

URL_OF = {
    "rectifications": ("rectification_export", "rectification_list"),
    "research_topics": ("research_topic_export", "research_topic_list"),
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


# Queries ----------------------------------------------------------------------------------------


def _more_rectifications(org, n: int) -> None:
    units = [org.school_a, org.branch_b]
    for i in range(n):
        _assign(org, unit=units[i % 2], title=f"事项{n}-{i}")


def _more_topics(org, n: int) -> None:
    units = [org.school_a, org.branch_b]
    for i in range(n):
        _topic(org, unit=units[i % 2], title=f"课题{n}-{i}", due=D(2026, 6, 1 + i % 28))


@pytest.mark.parametrize(
    ("name", "more"),
    [("rectification_export", _more_rectifications), ("research_topic_export", _more_topics)],
)
def test_an_inspections_exports_queries_do_not_grow_with_its_rows(org, name, more):
    client = client_for(org.office)

    more(org, 1)  # a row, so that every prefetch runs
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows == rows + 20
    assert many == few


# The background job -----------------------------------------------------------------------------


def test_a_commissioners_rectifications_job_holds_their_units_filtered_rows(org, settings):
    _assign(org, title="机电整改")
    _assign(org, unit=org.branch_b, title="经管学院整改")
    settings.EXPORT_ASYNC_THRESHOLD = 0
    offer = client_for(org.commissioner_b).get(reverse("rectification_export"), {"state": "open"})
    assert offer.status_code == 200 and "Content-Disposition" not in offer
    job = export_job_start(key="rectifications", querystring="state=open", by=org.commissioner_b)
    assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet)[:3] == ["交办日期", "整改单位", "整改事项"]
    assert [row[2] for row in rows_of(sheet)] == ["经管学院整改"]
    assert (job.rows_total, job.rows_done) == (1, 1)

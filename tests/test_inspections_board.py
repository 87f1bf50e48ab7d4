"""The supervision board (督查督办一览, issue 12): every open supervision case, admonition
talk and rectification with its light, by unit and by month of its due date; the unit's
own only for a commissioner; exported to Excel as filtered; a constant number of queries
whatever the count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from inspections import board
from inspections import services as rectifications
from inspections import supervision_services as supervision
from inspections.models import AdmonitionTrigger, InspectionItem, Rectification
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]

D = dt.date
TODAY = D(2026, 10, 27)


def rectification(org: Org, unit, title: str, due: dt.date) -> Rectification:
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return rectifications.rectification_assign(
            unit=unit,
            source="upper",
            title=title,
            problem="问题",
            measures="措施",
            due=due,
            by=org.office,
        )


def world(org: Org, n: int = 0) -> None:
    """School A: a rectification overdue (Oct) and one due in December; branch B: an
    admonition talked (report due 29 Oct) and a rectification due in November; the
    office: a case approved (its report due 29 Oct) and a plan not yet approved."""
    rectification(org, org.school_a, "甲整改（逾期）", D(2026, 10, 9))
    rectification(org, org.school_a, "甲整改（十二月）", D(2026, 12, 15))
    rectification(org, org.branch_b, "乙整改（十一月）", D(2026, 11, 20))
    with time_machine.travel(at(2026, 9, 25, 9), tick=False):
        admonition = rectifications.admonition_propose(
            unit=org.branch_b,
            triggers=AdmonitionTrigger.objects.filter(position=3),
            facts=f"进度滞后{n}",
            by=org.office,
        )
        rectifications.admonition_talk(
            admonition=admonition,
            talk_on=D(2026, 9, 25),
            participants="甲",
            record="乙",
            by=org.office,
        )
    items = InspectionItem.objects.filter(position=1)
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        for title, approve in ((f"专项督查{n or ''}", True), (f"待批方案{n or ''}", False)):
            case = supervision.case_create(
                title=title,
                scope="范围",
                units=[org.school_a],
                items=items,
                team_lead="甲",
                team="乙",
                period_start=D(2026, 9, 14),
                period_end=D(2026, 9, 25),
                by=org.office,
            )
            supervision.case_submit(case=case, by=org.office)
            if approve:
                supervision.case_approve(case=case, by=org.leader)


def rows_of(user) -> list[tuple[str, str, str, dt.date | None, str | None]]:
    return [
        (row.kind, row.title, row.unit_name, row.due, row.light)
        for row in board.board_rows(user, TODAY, D(2026, 10, 29))
    ]


def test_the_office_sees_every_open_item_the_most_urgent_first(org):
    world(org)
    rows = rows_of(org.office)
    assert rows[0] == ("整改", "甲整改（逾期）", org.school_a.name, D(2026, 10, 9), "red")
    assert set(rows[1:3]) == {
        ("督查报告", "专项督查", "领导小组办公室", D(2026, 10, 29), "yellow"),
        ("通报约谈", f"{org.branch_b.name}通报约谈", org.branch_b.name, D(2026, 10, 29), "yellow"),
    }
    assert rows[3:] == [
        ("整改", "乙整改（十一月）", org.branch_b.name, D(2026, 11, 20), "green"),
        ("整改", "甲整改（十二月）", org.school_a.name, D(2026, 12, 15), "green"),
        ("督查方案", "待批方案", "领导小组办公室", None, None),
    ]


def test_a_commissioner_sees_their_own_units_items_only(org):
    world(org)
    assert [title for _k, title, *_rest in rows_of(org.commissioner_a)] == [
        "甲整改（逾期）",
        "甲整改（十二月）",
    ]  # not branch B's, not the office's cases
    assert {unit for _k, _t, unit, *_rest in rows_of(org.commissioner_b)} == {org.branch_b.name}
    assert rows_of(org.outsider) == []


def test_the_pivot_counts_each_unit_by_month_with_the_worst_light(org):
    world(org)
    pivot = board.pivot(board.board_rows(org.office, TODAY, D(2026, 10, 29)))
    assert pivot.months == ["2026-10", "2026-11", "2026-12", board.NO_DUE]
    assert [name for _pk, name in pivot.units][0] == org.school_a.name  # it has a red one
    school = pivot.cell(org.school_a.pk, "2026-10")
    assert school is not None and (school.count, school.worst) == (1, "red")
    office = pivot.cell(board.OFFICE_KEY, board.NO_DUE)
    assert office is not None and (office.count, office.worst) == (1, None)
    assert pivot.unit_totals[org.branch_b.pk].count == 2
    assert pivot.cell(org.branch_b.pk, "2026-12") is None


def test_the_page_filters_by_cell_and_the_export_reads_back_as_filtered(org):
    world(org)
    with time_machine.travel(at(2026, 10, 27, 9), tick=False):
        client = client_for(org.office)  # logged in at the page's time
        response = client.get(reverse("supervision_board"))
        assert response.status_code == 200, response
        page = response.content.decode()
        assert 'id="board-pivot"' in page and "无期限" in page
        kept = client.get(
            reverse("supervision_board"), {"unit": org.school_a.pk, "month": "2026-10"}
        ).content.decode()
        assert "甲整改（逾期）" in kept and "甲整改（十二月）" not in kept
        red = client.get(reverse("supervision_board"), {"light": "red"}).content.decode()
        assert "甲整改（逾期）" in red and "乙整改（十一月）" not in red.split('id="board-rows"')[1]
        response = client.get(reverse("supervision_board_export"), {"kind": "整改"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in values] == ["甲整改（逾期）", "乙整改（十一月）", "甲整改（十二月）"]
    assert values[0][6] == "已逾期" and values[0][7] == "2026-10"


def test_a_title_that_looks_like_a_formula_is_exported_as_text(org):
    rectification(org, org.school_a, '=HYPERLINK("http://evil/","x")', D(2026, 12, 15))
    response = client_for(org.office).get(reverse("supervision_board_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    # Kept as text with Excel's quote prefix: shown as typed, never evaluated.
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == '=HYPERLINK("http://evil/","x")'


def test_the_board_runs_the_same_queries_for_few_or_many_items(org):
    client = client_for(org.office)
    world(org)
    client.get(reverse("supervision_board"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision_board"))
    for n in range(6):
        rectification(org, org.branch_b, f"又一项整改{n}", D(2027, 1, 10 + n))
        world(org, n + 1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("supervision_board"))
    assert len(many) == len(few)
    assert response.content.decode().count("又一项整改") == 6


def test_research_visits_and_topics_are_on_the_board(org):
    from inspections import research_services as research

    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        visit = research.research_visit_plan(
            year=2026,
            subject="调研指导",
            plan="走访联系点",
            units=[org.school_a],
            starts_on=D(2026, 9, 14),
            ends_on=D(2026, 9, 18),
            by=org.office,
        )
    with time_machine.travel(at(2026, 9, 30, 9), tick=False):
        research.research_visit_finish(
            visit=visit, ends_on=D(2026, 9, 30), findings="基本情况", by=org.office
        )
        topic = research.research_topic_propose(
            year=2026,
            title="新时代高校统战工作研究",
            description="研究内容",
            person=org.figure_a,
            origin="工作要点",
            by=org.office,
        )
        research.research_topic_assign(topic=topic, due=D(2026, 11, 30), by=org.office)
    office = [r for r in rows_of(org.office) if r[0] in {"调研指导", "调研课题"}]
    assert office == [
        ("调研指导", "2026年调研指导", "领导小组办公室", D(2026, 10, 30), "green"),
        ("调研课题", "新时代高校统战工作研究", org.school_a.name, D(2026, 11, 30), "green"),
    ]
    # School A's commissioner follows the topic its figure takes, not the office's report.
    assert [r[1] for r in rows_of(org.commissioner_a)] == ["新时代高校统战工作研究"]
    assert rows_of(org.commissioner_b) == []

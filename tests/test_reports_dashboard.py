"""The year at a glance (全年概览) and a unit's scorecard: every rule's deadlines of the
year counted as met on time, met late or overdue — per rule, per unit and in all — with
waived deadlines and those not yet due left out; a chart's numbers are the table's; the
pages run a constant number of queries; a unit's commissioner sees their own card."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.deadlines.models import Deadline
from portal.deadlines.services import deadline_meet, deadline_waive
from reports import dashboard
from tests.conftest import client_for
from tests.deadline_helpers import at, open_item
from tests.factories import UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
TODAY = at(2026, 6, 15, 10)


def item(unit, due, met_on=None, title="", waive_by=None):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        deadline = open_item(unit, due, title=title or f"事项{due}", subject=UnitFactory())
    deadline.responsible_unit = unit
    deadline.save(update_fields=["responsible_unit"])
    if met_on is not None:
        with time_machine.travel(at(met_on.year, met_on.month, met_on.day, 9), tick=False):
            deadline_meet(rule="action_item", subject=deadline.subject)
    if waive_by is not None:
        deadline_waive(deadline=deadline, by=waive_by, reason="不再需要")
    return deadline


@pytest.fixture
def year(org):
    a, b = org.branch_a, org.branch_b
    item(a, D(2026, 3, 1), met_on=D(2026, 2, 28))  # on time
    item(a, D(2026, 3, 10), met_on=D(2026, 3, 12))  # late
    item(a, D(2026, 5, 1))  # overdue
    item(b, D(2026, 4, 1), met_on=D(2026, 4, 1))  # on time, on the day
    item(b, D(2026, 7, 1))  # not yet due: not counted
    item(b, D(2026, 5, 20), waive_by=org.office)  # waived: not counted
    item(a, D(2025, 12, 1), met_on=D(2025, 12, 5))  # another year
    return org


def test_it_counts_each_rule_and_unit_on_time_late_and_overdue(year):
    org = year
    board = dashboard.dashboard(2026, TODAY.date())
    overall = board.overall
    assert (overall.total, overall.on_time, overall.late, overall.overdue) == (4, 2, 1, 1)
    assert overall.rate == 50
    assert [(s.key, s.total, s.rate) for s in board.rules] == [("action_item", 4, 50)]
    units = {s.label: s for s in board.units}
    a, b = units[org.branch_a.name], units[org.branch_b.name]
    assert (a.total, a.on_time, a.late, a.overdue, a.light) == (3, 1, 1, 1, "red")
    assert (b.total, b.on_time, b.late, b.overdue, b.light) == (1, 1, 0, 0, "green")
    assert [s.label for s in board.units] == [org.branch_a.name, org.branch_b.name]  # worst first
    # The year before, on its own.
    last = dashboard.dashboard(2025, TODAY.date()).overall
    assert (last.total, last.late) == (1, 1)


def test_the_page_shows_the_headline_first_and_charts_the_tables_numbers(year):
    org = year
    with time_machine.travel(TODAY, tick=False):
        page = client_for(org.leader).get(reverse("reports_dashboard")).content.decode()
    assert page.index('id="headline"') < page.index("<canvas")  # a phone reads it first
    assert "50%" in page and "2 / 4 项按时" in page
    values = re.search(r'data-chart="doughnut" data-labels="[^"]*" data-values="([^"]*)"', page)
    assert values is not None and json.loads(values.group(1)) == [2, 1, 1]
    assert "vendor/chartjs/chart.umd.min.js" in page  # vendored, no CDN
    assert "http" not in re.findall(r'<script src="([^"]*)"', page)[-1]


def test_a_unit_card_is_its_own_and_a_commissioner_sees_only_theirs(year):
    org = year
    with time_machine.travel(TODAY, tick=False):
        own = client_for(org.commissioner_a).get(reverse("unit_scorecard", args=[org.branch_a.pk]))
        other = client_for(org.commissioner_a).get(
            reverse("unit_scorecard", args=[org.branch_b.pk])
        )
        board = client_for(org.commissioner_a).get(reverse("reports_dashboard"))
        mine = client_for(org.commissioner_a).get(reverse("my_scorecard"))
    assert mine.context["card"].unit == org.branch_a
    assert own.status_code == 200 and other.status_code == 404 and board.status_code == 403
    card = own.context["card"]
    assert (card.overall.total, card.overall.overdue) == (3, 1)
    assert [d.due for d in card.open_deadlines] == [D(2026, 5, 1)]
    assert "事项2026-05-01" in own.content.decode()


def test_the_pages_run_a_constant_number_of_queries(year):
    org = year

    def count() -> tuple[int, int]:
        client = client_for(org.office)
        with time_machine.travel(TODAY, tick=False):
            client.get(reverse("home"))
            with CaptureQueriesContext(connection) as board:
                assert client.get(reverse("reports_dashboard")).status_code == 200
            with CaptureQueriesContext(connection) as card:
                url = reverse("unit_scorecard", args=[org.branch_a.pk])
                assert client.get(url).status_code == 200
        return len(board), len(card)

    before = count()
    for n in range(10):
        unit = UnitFactory()
        item(unit, D(2026, 2, 1 + n), met_on=D(2026, 2, 1))
        item(org.branch_a, D(2026, 4, 1 + n))
    assert count() == before
    assert Deadline.objects.count() > 20

"""The roster list's FilterSet (`groups/filters.py`) keeps the page's query parameters,
and a work-points section is fetched through the user-scoped selector."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404

from groups import selectors, services
from groups.filters import RosterFilter
from groups.models import GroupMembership
from tests.conftest import client_for
from tests.groups_helpers import make_group, person
from tests.meetings_helpers import SHANGHAI

pytestmark = pytest.mark.django_db


def test_the_roster_filter_reads_the_pages_parameters_and_ignores_bad_values():
    assert RosterFilter({"category": "member", "current": "1"}).chosen_category() == "member"
    assert RosterFilter({"category": "member", "current": "1"}).current_only() is True
    assert RosterFilter({"category": "bogus", "current": "yes"}).chosen_category() == ""
    assert RosterFilter({"category": "bogus", "current": "yes"}).current_only() is False
    assert RosterFilter({}).chosen_category() == ""


def test_the_roster_page_filters_by_category_and_current_seats(org):
    make_group(org)
    start = dt.date(2024, 3, 1)
    sitting = services.group_membership_start(
        by=org.office,
        person=person(org.branch_a, "在任成员"),
        role=GroupMembership.Role.MEMBER,
        unit=org.branch_a,
        post="书记",
        start_date=start,
    )
    ended = services.group_membership_start(
        by=org.office,
        person=person(org.branch_b, "离任成员"),
        role=GroupMembership.Role.MEMBER,
        unit=org.branch_b,
        post="书记",
        start_date=start,
    )
    services.seat_end(by=org.office, seat=ended, end_date=dt.date(2025, 1, 1))
    services.group_membership_start(
        by=org.office,
        person=person(org.ufw_dept, "组长甲"),
        role=GroupMembership.Role.LEADER,
        unit=org.ufw_dept,
        post="党委书记",
        start_date=start,
    )
    client = client_for(org.member)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI), tick=False):
        members = client.get("/groups/roster/?category=member").content.decode()
        current = client.get("/groups/roster/?category=member&current=1").content.decode()
        everyone = client.get("/groups/roster/?category=nonsense").content.decode()
    assert "在任成员" in members and "离任成员" in members and "组长甲" not in members
    assert '<option value="member" selected>' in members
    assert "在任成员" in current and "离任成员" not in current
    assert 'id="only-current" checked' in current
    assert all(name in everyone for name in ("在任成员", "离任成员", "组长甲"))
    assert sitting.pk


def test_a_section_is_fetched_through_the_scoped_selector(org):
    plan = services.work_points_create(by=org.office, year=2026)
    section = services.work_points_section_create(by=org.office, plan=plan, title="加强思想引领")
    assert selectors.get_section(org.office, section.pk) == section
    with pytest.raises(Http404):
        selectors.get_section(org.outsider, section.pk)
    client = client_for(org.office)
    assert client.get(f"/work-points/sections/{section.pk}/edit/").status_code == 200
    missing = section.pk + 100
    assert client.get(f"/work-points/sections/{missing}/edit/").status_code == 404
    response = client.post(f"/work-points/sections/{missing}/move/", {"direction": "up"})
    assert response.status_code == 404
    assert client.post(f"/work-points/sections/{missing}/delete/").status_code == 404

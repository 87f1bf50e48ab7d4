"""The demo data of the leading group and this year's work points (seed_demo), and the
access matrix's payloads: valid enough that the office's own POST changes something."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from groups import selectors
from groups.models import ProgressReport, WorkPoints
from portal.models import User
from tests.conftest import seed_demo
from tests.groups_helpers import fingerprint

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


# One seeding for the module (`demo`), on one worker, at this instant.
DEMO_AT = dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI)
pytestmark = pytest.mark.xdist_group("groups_demo")


@pytest.fixture
def november(demo):
    """The demo's day, the clock standing still on it (a second seeding sees that day)."""
    with time_machine.travel(DEMO_AT, tick=False):
        yield DEMO_AT.date()


def test_it_seeds_the_group_as_seed_000_composes_it(demo, november):
    assert "领导小组：新增任职" in demo
    roster = selectors.roster_on(november)
    assert [m.post for m in roster.leaders] == ["党委书记", "院长"]
    assert len(roster.deputies) == 4
    posts = {m.post for m in roster.members}
    assert {"宣传部部长", "统战部部长", "人事处处长", "团委书记", "党总支书记"} <= posts
    assert sum(1 for m in roster.members if m.post == "党总支书记") == 5
    assert [d.person.name for d in roster.office_directors] == ["蒙春梅"]
    assert roster.office.unit.name == "党委统战部"
    assert len(roster.office_members) == 11
    assert len({s.unit_id for s in roster.office_members}) == 11  # one per department
    assert len(roster.commissioners) == 5 and roster.vacant_branches == []


def test_it_seeds_changes_over_time(november):

    def publicity(day):
        return [m.person.name for m in selectors.members_on(day) if m.post == "宣传部部长"]

    assert publicity(dt.date(2025, 6, 30)) == ["李明辉"]
    assert publicity(november) == ["罗海燕"]
    info = next(
        c
        for c in selectors.roster_on(dt.date(2025, 8, 31)).commissioners
        if c.branch.name == "信息工程学院党总支"
    )
    assert info.person.name == "陆春燕"
    assert selectors.group_on(dt.date(2022, 1, 1)).basis == "院委〔2021〕15号"


def test_it_seeds_this_years_plan_modelled_on_seed_002(november):
    plan = WorkPoints.objects.get(year=2026)
    assert plan.sections.count() == 4
    assert list(plan.items.values_list("number", flat=True)) == list(range(1, 17))
    per_section = [s.items.count() for s in plan.sections.order_by("position")]
    assert per_section == [4, 6, 3, 3]
    thirteen = plan.items.get(number=13)
    assert thirteen.lead_unit.name == "学生工作部（学生工作处）"
    assert thirteen.co_units.filter(kind="school").count() == 5
    reports = ProgressReport.objects.filter(item__plan=plan)
    assert reports.count() >= 15
    assert all(r.reported_at.date() < november for r in reports)
    assert reports.filter(unit__name="机电工程学院", author__username="commissioner").exists()
    assert reports.exclude(evidence="").count() == 2


def test_it_is_idempotent_and_keeps_the_demo_logins_roles(november):
    counts = fingerprint()
    roles = {
        u.username: sorted(u.groups.values_list("name", flat=True)) for u in User.objects.all()
    }
    second = seed_demo()
    assert "新增任职 0 项" in second and "新增进展报告 0 条" in second
    assert fingerprint() == counts
    assert roles == {
        u.username: sorted(u.groups.values_list("name", flat=True)) for u in User.objects.all()
    }
    assert roles["commissioner"] == ["commissioner"]
    assert roles["leader"] == ["leader"]

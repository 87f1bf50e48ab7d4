"""The meetings page's quota standing: a plenary meeting each calendar year, an office
meeting each semester (dates from SEMESTER_STARTS), across the boundaries, on a frozen
clock in the college's time zone."""

from __future__ import annotations

import pytest
import time_machine

from meetings import selectors
from meetings.models import Meeting
from tests.meetings_helpers import at, hold, make_meeting, make_members

pytestmark = pytest.mark.django_db


def standing(label_kind: str):
    return {s.kind_label: s for s in selectors.quota_standings()}[label_kind]


PLENARY = "领导小组全体会议"
OFFICE = "办公室会议"


def test_a_plenary_late_on_new_years_eve_counts_for_that_year(org):
    make_members(org)
    # 23:30 in Shanghai is 15:30 UTC: still 2026 in the college.
    hold(org, make_meeting(org, start=at(2026, 12, 31, 23, 30)))
    with time_machine.travel(at(2026, 12, 31, 23, 59), tick=False):
        year = standing(PLENARY)
        assert (year.label, year.held, year.met) == ("2026年度", 1, True)
    with time_machine.travel(at(2027, 1, 1, 0, 1), tick=False):
        year = standing(PLENARY)
        assert (year.label, year.held, year.met) == ("2027年度", 0, False)


def test_a_planned_meeting_is_not_yet_held(org):
    make_members(org)
    make_meeting(org, start=at(2026, 11, 20))
    with time_machine.travel(at(2026, 11, 1), tick=False):
        year = standing(PLENARY)
        assert (year.held, year.planned, year.met) == (0, 1, False)


def test_office_meetings_count_per_semester_across_its_boundary(org):
    make_members(org)
    meeting = make_meeting(
        org, kind=Meeting.Kind.OFFICE, start=at(2026, 8, 31, 9), invitees=[org.office.person]
    )
    hold(org, meeting)
    with time_machine.travel(at(2026, 8, 31, 23, 59), tick=False):
        semester = standing(OFFICE)
        assert (semester.label, semester.held, semester.met) == ("2026年春季学期", 1, True)
    with time_machine.travel(at(2026, 9, 1, 0, 1), tick=False):
        semester = standing(OFFICE)
        assert (semester.label, semester.held, semester.met) == ("2026年秋季学期", 0, False)
    # The autumn semester runs into the next calendar year.
    hold(
        org,
        make_meeting(
            org, kind=Meeting.Kind.OFFICE, start=at(2027, 2, 26), invitees=[org.office.person]
        ),
    )
    with time_machine.travel(at(2027, 2, 28, 12), tick=False):
        assert standing(OFFICE).held == 1
        assert standing(OFFICE).label == "2026年秋季学期"
    with time_machine.travel(at(2027, 3, 1, 8), tick=False):
        assert standing(OFFICE).held == 0


def test_semester_dates_are_configurable(org, settings):
    settings.SEMESTER_STARTS = {"autumn": (9, 15), "spring": (2, 20)}
    make_members(org)
    hold(
        org,
        make_meeting(
            org, kind=Meeting.Kind.OFFICE, start=at(2026, 9, 10), invitees=[org.office.person]
        ),
    )
    with time_machine.travel(at(2026, 9, 14, 12), tick=False):
        semester = standing(OFFICE)
        assert (semester.label, semester.held) == ("2026年春季学期", 1)
        assert str(semester.start) == "2026-02-20"
    with time_machine.travel(at(2026, 9, 15, 8), tick=False):
        semester = standing(OFFICE)
        assert (semester.label, semester.held) == ("2026年秋季学期", 0)


def test_the_meetings_page_shows_the_standing(org, client):
    make_members(org)
    hold(org, make_meeting(org, start=at(2026, 3, 12)))
    client.force_login(org.member)
    with time_machine.travel(at(2026, 5, 1), tick=False):
        html = client.get("/meetings/").content.decode()
    assert "2026年度 · 领导小组全体会议" in html
    assert "已召开 1 次（至少 1 次）" in html
    assert "2026年春季学期 · 办公室会议" in html
    assert "已召开 0 次（至少 1 次）" in html

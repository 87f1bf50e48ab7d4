"""portal.lib.ordering: move a row up or down among its siblings and number them again,
never breaking the unique (parent, position) constraint. Tried on the agenda, whose
positions are unique per meeting and whose changes are recorded in its history."""

from __future__ import annotations

import pytest

from meetings.models import AgendaItem, Meeting
from portal.lib.ordering import move, renumber
from tests.meetings_helpers import make_meeting

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


@pytest.fixture
def meeting(org) -> Meeting:
    meeting = make_meeting(org)
    for position, title in enumerate(["甲", "乙", "丙", "丁"], start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title)
    return meeting


def titles(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.agenda_items.order_by("position").values_list("position", "title"))


def agenda(meeting: Meeting):
    return AgendaItem.objects.filter(meeting=meeting)


def test_it_moves_an_item_up_and_down_by_swapping_with_its_neighbour(meeting):
    third = agenda(meeting).get(title="丙")
    assert move(agenda(meeting), third, -1) is True
    assert titles(meeting) == [(1, "甲"), (2, "丙"), (3, "乙"), (4, "丁")]
    assert third.position == 2  # the caller's copy follows
    assert move(agenda(meeting), agenda(meeting).get(title="甲"), 1) is True
    assert titles(meeting) == [(1, "丙"), (2, "甲"), (3, "乙"), (4, "丁")]


def test_it_leaves_the_first_up_and_the_last_down_where_they_are(
    meeting, django_assert_num_queries
):
    first, last = agenda(meeting).get(title="甲"), agenda(meeting).get(title="丁")
    with django_assert_num_queries(1):  # reads the agenda, writes nothing
        assert move(agenda(meeting), first, -1) is False
    with django_assert_num_queries(1):
        assert move(agenda(meeting), last, 1) is False
    assert titles(meeting) == [(1, "甲"), (2, "乙"), (3, "丙"), (4, "丁")]


def test_it_records_who_moved_the_two_rows_that_changed(org, meeting):
    before = {item.pk: item.history.count() for item in agenda(meeting)}
    move(agenda(meeting), agenda(meeting).get(title="乙"), 1, by=org.office)
    moved = {item.title for item in agenda(meeting) if item.history.count() > before[item.pk]}
    assert moved == {"乙", "丙"}
    latest = agenda(meeting).get(title="乙").history.first()
    assert latest.history_user == org.office


def test_it_writes_without_history_when_nobody_is_named(meeting):
    before = sum(item.history.count() for item in agenda(meeting))
    move(agenda(meeting), agenda(meeting).get(title="乙"), 1)
    assert titles(meeting) == [(1, "甲"), (2, "丙"), (3, "乙"), (4, "丁")]
    assert sum(item.history.count() for item in agenda(meeting)) == before


def test_it_numbers_rows_again_after_a_gap_touching_only_those_that_change(meeting):
    agenda(meeting).get(title="乙").delete()
    rows = list(agenda(meeting).order_by("position"))
    assert renumber(rows) == 2
    assert titles(meeting) == [(1, "甲"), (2, "丙"), (3, "丁")]
    assert renumber(list(agenda(meeting).order_by("position"))) == 0


def test_it_numbers_from_another_start_to_make_room_at_the_top(meeting):
    renumber(list(agenda(meeting).order_by("position")), start=2)
    AgendaItem.objects.create(meeting=meeting, position=1, title="新")
    assert titles(meeting) == [(1, "新"), (2, "甲"), (3, "乙"), (4, "丙"), (5, "丁")]


def test_it_numbers_rows_in_the_order_given_on_another_field(meeting):
    rows = list(agenda(meeting).order_by("-position"))
    renumber(rows, field="position", lift=50)
    assert titles(meeting) == [(1, "丁"), (2, "丙"), (3, "乙"), (4, "甲")]

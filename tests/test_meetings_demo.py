"""The demo's year of meetings (seed_demo): minutes in every state, follow-up items in
every state, topics decided every way; a second run creates nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from meetings import selectors
from meetings.models import FollowUpItem, Meeting, Topic
from portal.documents.models import Document
from tests.conftest import seed_demo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def november(db):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        yield dt.date(2026, 11, 20)


def test_it_seeds_a_living_year_of_meetings(november):
    output = seed_demo()
    assert "会议：新增 5 次" in output
    assert Meeting.objects.filter(held=True).count() == 4
    assert Meeting.objects.filter(held=False, starts_at__date__gt=november).count() == 1
    states = sorted(Document.objects.filter(kind="minutes").values_list("state", flat=True))
    assert states == ["awaiting_signature", "issued", "issued"]
    assert set(FollowUpItem.objects.values_list("status", flat=True)) == set(
        FollowUpItem.Status.values
    )
    assert set(Topic.objects.values_list("status", flat=True)) == set(Topic.Status.values)
    standings = selectors.quota_standings(november)
    assert [s.met for s in standings] == [True, True]
    # The next plenary has the two accepted topics on its agenda, in order.
    upcoming = Meeting.objects.get(held=False)
    assert list(upcoming.agenda_items.values_list("topic__title", flat=True)) == [
        "关于成立党外知识分子联谊会的建议",
        "关于加强民主党派基层组织建设的建议",
    ]
    again = seed_demo()
    assert "会议：新增 0 次" in again
    assert Meeting.objects.count() == 5
    assert Document.objects.filter(kind="minutes").count() == 3


def test_the_bench_part_seeds_meetings_the_pages_read(db):
    import random

    from bench.registry import SEED_PARTS, SeedContext, load_parts

    load_parts()
    ctx = SeedContext(scale=0.02, rng=random.Random(3))
    for part in sorted(SEED_PARTS, key=lambda p: (p.order, p.name)):
        part.func(ctx)
    assert Meeting.objects.count() == ctx.counts["meetings"] == 20
    assert all(m.agenda_items.count() == 3 for m in Meeting.objects.all()[:5])
    assert FollowUpItem.objects.count() == ctx.counts["follow-up items"]

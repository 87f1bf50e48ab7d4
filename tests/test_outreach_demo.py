"""The outreach app's demo data (seed_demo): one seeding, checked part by part; a second
run creates nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db.models import Count

from outreach.models import (
    Briefing,
    Contact,
    Figure,
    FiveOne,
    FriendshipPair,
    OverseasRecord,
    ReserveCadre,
    StudyActivity,
    Suggestion,
    Talk,
    TrainingRecord,
)
from outreach.selectors import pairs
from tests.conftest import seed_demo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# It seeds on its own frozen clock, so the shifted legs skip it (Makefile).
pytestmark = pytest.mark.dateless


@pytest.fixture
def seeded(db):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        yield seed_demo()


def test_it_seeds_the_outreach_work_and_creates_nothing_the_second_time(seeded):
    # --- figures ---
    assert "党外人士：新增" in seeded
    assert Figure.objects.count() >= 40
    assert set(Figure.objects.values_list("category", flat=True)) == set(Figure.Category.values)
    assert Figure.objects.filter(is_representative=True).exists()
    assert Figure.objects.filter(is_key_contact=True).exists()
    assert OverseasRecord.objects.filter(OverseasRecord.incomplete_q()).exists()
    assert OverseasRecord.objects.exclude(OverseasRecord.incomplete_q()).exists()
    # --- pairs ---
    assert "联系交友：结对" in seeded
    assert FriendshipPair.objects.count() >= 12
    assert set(Talk.objects.values_list("state", flat=True)) == set(Talk.State.values)
    assert Talk.objects.filter(for_briefing=True).exists()
    assert "工作简报 X统简〔2026〕1号" in seeded
    assert Briefing.objects.get().document.state == "issued"
    assert not Contact.objects.filter(date__gt=dt.date(2026, 11, 20)).exists()
    assert not Talk.objects.filter(date__gt=dt.date(2026, 11, 20)).exists()
    period = pairs.period_for("academic", 2026)
    rows = pairs.coverage(FriendshipPair.objects.all(), period, dt.date(2026, 11, 20), grace=30)
    lights = {cell.contact_light for row in rows for cell in row.cells}
    assert {"done", "open"} <= lights
    # --- suggestions ---
    assert "意见建议：8 条（6 种办理状态）" in seeded
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(Suggestion.State.values)
    reopened = Suggestion.objects.get(round=2, state="assigned")
    assert reopened.satisfaction == "unsatisfied"
    assert Suggestion.objects.filter(talk__isnull=False).exists()
    # --- learning ---
    assert "党外后备干部 5 人（1 人已提拔任用）" in seeded
    # Four of its own, and one the liaisons' demo added from a liaison's recommendation.
    assert ReserveCadre.objects.current_on(dt.date(2026, 11, 20)).count() == 5
    ended = ReserveCadre.objects.get(removed_on__isnull=False)
    assert ended.outcome == ReserveCadre.Outcome.APPOINTED
    assert TrainingRecord.objects.count() >= 5
    certificate = TrainingRecord.objects.exclude(certificate="").get()
    assert certificate.certificate.read().startswith(b"%PDF")
    # --- study ---
    assert "学习活动：线上推送 3 次，线下集中学习 1 次" in seeded
    assert (
        StudyActivity.objects.filter(kind="offline")
        .get()
        .participants.exclude(absence_reason="")
        .count()
        == 2
    )
    latest = StudyActivity.objects.filter(kind="online").order_by("-held_on").first()
    assert not latest.participants.filter(confirmed_at__isnull=False).exists()
    assert FiveOne.objects.values("figure").distinct().count() >= 8
    assert FiveOne.objects.values("figure").annotate(n=Count("pk")).filter(n=5).exists()
    before = (
        Figure.objects.count(),
        ReserveCadre.objects.count(),
        TrainingRecord.objects.count(),
        FriendshipPair.objects.count(),
        Contact.objects.count(),
        Talk.objects.count(),
        Suggestion.objects.count(),
        StudyActivity.objects.count(),
        FiveOne.objects.count(),
    )
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=SHANGHAI), tick=False):
        seed_demo()
    assert (
        Figure.objects.count(),
        ReserveCadre.objects.count(),
        TrainingRecord.objects.count(),
        FriendshipPair.objects.count(),
        Contact.objects.count(),
        Talk.objects.count(),
        Suggestion.objects.count(),
        StudyActivity.objects.count(),
        FiveOne.objects.count(),
    ) == before

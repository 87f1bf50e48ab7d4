"""The outreach app's demo data (seed_demo): one seeding, checked part by part; a second
run creates nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from outreach.models import Figure, OverseasRecord, ReserveCadre, TrainingRecord

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def seed() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        yield seed()


def test_it_seeds_the_outreach_work_and_creates_nothing_the_second_time(seeded):
    # --- figures ---
    assert "党外人士：新增" in seeded
    assert Figure.objects.count() >= 40
    assert set(Figure.objects.values_list("category", flat=True)) == set(Figure.Category.values)
    assert Figure.objects.filter(is_representative=True).exists()
    assert Figure.objects.filter(is_key_contact=True).exists()
    assert OverseasRecord.objects.filter(OverseasRecord.incomplete_q()).exists()
    assert OverseasRecord.objects.exclude(OverseasRecord.incomplete_q()).exists()
    # --- learning ---
    assert "党外后备干部 5 人（1 人已提拔任用）" in seeded
    assert ReserveCadre.objects.current_on(dt.date(2026, 11, 20)).count() == 4
    ended = ReserveCadre.objects.get(removed_on__isnull=False)
    assert ended.outcome == ReserveCadre.Outcome.APPOINTED
    assert TrainingRecord.objects.count() >= 5
    certificate = TrainingRecord.objects.exclude(certificate="").get()
    assert certificate.certificate.read().startswith(b"%PDF")
    before = (
        Figure.objects.count(),
        ReserveCadre.objects.count(),
        TrainingRecord.objects.count(),
    )
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, tzinfo=SHANGHAI), tick=False):
        seed()
    assert (
        Figure.objects.count(),
        ReserveCadre.objects.count(),
        TrainingRecord.objects.count(),
    ) == before

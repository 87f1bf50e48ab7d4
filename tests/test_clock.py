"""No test reads the real clock: the suite starts every test at `PORTAL_TEST_NOW`, and a
process a test starts runs on the test's clock too (portal/clock.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from portal.clock import parse_instant, start_at
from tests.clock import child_env
from tests.conftest import suite_now

ROOT = Path(__file__).resolve().parent.parent


def test_it_starts_every_test_at_the_configured_instant(settings):
    assert settings.PORTAL_TEST_NOW
    now = timezone.now()
    assert suite_now() <= now < suite_now() + dt.timedelta(minutes=5)  # it ticks from there


def test_it_lets_a_test_travel_and_comes_back_after():
    with time_machine.travel(dt.datetime(2030, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        assert timezone.now().year == 2030
    assert timezone.now() - suite_now() < dt.timedelta(minutes=5)


def test_it_reads_an_instant_with_an_offset_and_refuses_others():
    assert parse_instant("2026-12-31T23:30:00+08:00") == dt.datetime(
        2026, 12, 31, 15, 30, tzinfo=dt.UTC
    )
    with pytest.raises(ImproperlyConfigured, match="needs a UTC offset"):
        parse_instant("2026-12-31T23:30:00")
    with pytest.raises(ImproperlyConfigured, match="ISO 8601"):
        parse_instant("31/12/2026")


def test_it_refuses_a_pretended_clock_outside_tests_and_debug():
    with pytest.raises(ImproperlyConfigured, match="only for tests"):
        start_at("2026-12-31T23:30:00+08:00", allowed=False)


def test_it_hands_a_child_process_the_tests_own_clock():
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.UTC), tick=False):
        env = {**os.environ, **child_env(), "PORTAL_TESTING": "true"}
    env.pop("PYTEST_CURRENT_TEST", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.utils import timezone; "
            "print(timezone.now().isoformat())",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    started = dt.datetime.fromisoformat(result.stdout.strip())
    assert dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.UTC) <= started
    assert started < dt.datetime(2027, 1, 1, 0, 35, tzinfo=dt.UTC)

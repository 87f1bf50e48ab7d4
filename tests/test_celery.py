"""Celery: eager in the fast leg; a real worker on real Redis in the services leg."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app
from portal.tasks import heartbeat, ping
from tests.clock import child_env

ROOT = Path(__file__).resolve().parent.parent


def test_it_discovers_the_portal_tasks():
    app.loader.import_default_modules()
    assert "portal.tasks.ping" in app.tasks
    assert "portal.tasks.heartbeat" in app.tasks


def test_it_schedules_the_heartbeat_in_code():
    assert app.conf.beat_schedule["heartbeat"]["task"] == "portal.tasks.heartbeat"


@pytest.mark.skipif(not settings.CELERY_TASK_ALWAYS_EAGER, reason="the eager leg only")
def test_it_runs_tasks_eagerly_in_the_fast_leg():
    assert ping.delay("fast").get(timeout=5) == "pong:fast"
    assert heartbeat.delay().get(timeout=5)


@pytest.fixture
def redis_worker() -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        **child_env(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PORTAL_TESTING": "true",
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"ci-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.services
def test_it_round_trips_a_task_through_a_real_worker_on_redis(redis_worker):
    assert settings.REDIS_URL.startswith("redis://"), "the services leg runs on Redis"
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert app.conf.broker_url.startswith("redis://")
    started = time.monotonic()
    result = ping.delay("services")
    assert result.get(timeout=60) == "pong:services"
    assert redis_worker.poll() is None
    assert time.monotonic() - started < 60

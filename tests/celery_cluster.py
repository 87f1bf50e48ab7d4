"""Celery workers and beat as real child processes on the test database, for the
services leg's drills (tests/test_reminders_services.py, tests/test_tasks_services.py):
each in its own process group, killed with SIGKILL when a drill wants no warm shutdown.
Email goes to a file sink (tests/mail_sink.py), the group robot to an HTTP server in
the test's process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.clock import child_env
from tests.deadline_helpers import Robot

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://tongzhan.example.edu.cn"


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"  # the test database


class Cluster:
    """Celery workers and beat as child processes, each in its own process group."""

    def __init__(self, mail_dir: Path, robot_url: str) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PORTAL_TESTING": "true",
            "PORTAL_TEST_EMAIL_BACKEND": "tests.mail_sink.EmailBackend",
            "MAIL_SINK_DIR": str(mail_dir),
            "SITE_URL": SITE,
            "DEADLINE_WEBHOOK_URL": robot_url,
            "DEADLINE_CHANNELS": "inbox,email,webhook",
            "DEADLINE_WEBHOOK_MAX_ITEMS": "1000",  # every line in the robot's message
        }
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, kind: str, name: str, **env: str) -> subprocess.Popen[bytes]:
        if kind == "worker":
            args = ["worker", "--pool", "solo", "--hostname", f"{name}-{os.getpid()}@%h"]
        else:
            args = ["beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "portal", *args, "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**self.env, **child_env(), **env},  # the test's clock, not the real date
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no warm shutdown, no chance to tidy up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def cluster(
    django_db_serialized_rollback, transactional_db, tmp_path
) -> Iterator[tuple[Cluster, Robot, Path]]:
    # Committed data (the workers are other processes); the role groups come back after.
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with Robot() as robot:
        group = Cluster(mail_dir, robot.url)
        try:
            yield group, robot, mail_dir
        finally:
            group.stop()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")

"""`make run`'s process runner: web, worker and beat on the embedded broker with no
Redis; Ctrl-C stops every child."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.clock import child_env

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def _children_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in children.split()]


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc")
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="it runs the embedded defaults (SQLite, no Redis) whatever the leg: the fast leg's",
)
def test_it_runs_web_worker_and_beat_without_redis_and_stops_them_all(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update({"DEBUG": "true", "PORTAL_VAR_DIR": str(tmp_path), "PORTAL_TESTING": "false"})
    env.update(child_env())  # the web, worker and beat processes on the test's clock
    env.pop("PYTEST_CURRENT_TEST", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = _free_port()
    runner = subprocess.Popen(  # noqa: S603
        [*manage, "run_portal", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "登录" in body
        children = _children_of(runner.pid)
        assert len(children) == 3  # web, worker, beat

        # A task sent through the filesystem broker comes back from the worker.
        send = (
            "import django; django.setup();"
            "from portal.tasks import ping;"
            "print(ping.delay('fs').get(timeout=45))"
        )
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", send],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.stdout.strip().endswith("pong:fs"), result.stderr[-2000:]
        assert (tmp_path / "run" / "beat.pid").exists()
    finally:
        runner.send_signal(signal.SIGINT)
        output = runner.communicate(timeout=40)[0].decode()
    assert runner.returncode == 0, output[-3000:]
    assert "已停止" in output
    time.sleep(0.5)
    assert children and not [pid for pid in children if _alive(pid)]

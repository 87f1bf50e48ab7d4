"""Start the web server, a Celery worker and Celery beat together, for `make run`.

All three are children of this process. Ctrl-C (SIGINT) or SIGTERM stops them all and
waits for them, so nothing is left running; if one of them dies, the others are stopped
too and the command exits with an error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动 Web 服务、Celery worker 和 beat（开发与演示用）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--web",
            choices=["runserver", "gunicorn"],
            default="runserver" if settings.DEBUG else "gunicorn",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for folder in ("queue", "processed", "results"):
            (settings.CELERY_DIR / folder).mkdir(parents=True, exist_ok=True)
        python = sys.executable
        if options["web"] == "runserver":
            web = [python, "manage.py", "runserver", "--noreload", options["addr"]]
        else:
            web = [python, "-m", "gunicorn", "portal.wsgi", "-b", options["addr"], "-w", "3"]
        pid_dir = settings.VAR_DIR / "run"
        pid_dir.mkdir(parents=True, exist_ok=True)
        commands = {
            "web": web,
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                f"worker-{os.getpid()}@%h",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile",
                str(pid_dir / "beat.pid"),
            ],
        }
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        broker = "Redis" if settings.REDIS_URL else "filesystem (var/celery)"
        self.stdout.write(f"broker: {broker}; database: {settings.DATABASES['default']['ENGINE']}")
        for name, command in commands.items():
            # Each child in its own process group: the terminal's Ctrl-C reaches only us,
            # and we stop the children in order.
            children[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603
            self.stdout.write(f"started {name} (pid {children[name].pid})")
        self.stdout.write(
            self.style.SUCCESS(f"门户已启动：http://{options['addr']}/  (Ctrl-C 停止)")
        )
        exit_code = 0
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping")
                        exit_code = 1
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
            self.stdout.write("已停止 web、worker 和 beat。")
        if exit_code:
            sys.exit(exit_code)

"""Run the load test: `python -m bench.load.run` (`make load`, `make load-smoke`).

Starts the production stack on this machine — gunicorn (`--workers`, `--threads`), a
Celery worker and beat, PostgreSQL and Redis, `DEBUG` off, static files collected —
on the database `bench.load.prepare` built, then drives locust (`locustfile.py`) at
each number of `--users` for `--seconds` after all have arrived, and writes a Markdown
report (`var/load/report.md`): requests per second, p50/p95/p99 per page and in total,
errors, and the CPU seconds each process used. It stops rising once p95 passes 300 ms
(the knee). `--smoke` (CI) fails on any error, never on timings.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load.prepare import DEFAULT_URL, SECRET_KEY, SESSIONS

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
PYTHON = sys.executable
KNEE_MS = 300
TICKS = os.sysconf("SC_CLK_TCK")


def stack_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        BEHIND_TLS_PROXY="true",
        DATABASE_URL=env.get("LOAD_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=env.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14"),
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(OUT / "mail"),
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONUNBUFFERED="1",
    )
    env.pop("BENCH_DB", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and their reaped children."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


def descendants(pid: int) -> list[int]:
    found, queue = [pid], [pid]
    while queue:
        parent = queue.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found.append(child)
            queue.append(child)
    return found


def named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith(name):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class Stack:
    def __init__(self, port: int, workers: int, threads: int) -> None:
        self.port, self.env = port, stack_env(port)
        (OUT / "logs").mkdir(parents=True, exist_ok=True)
        manage = [PYTHON, "manage.py"]
        subprocess.run(  # noqa: S603 - our own programs
            [*manage, "collectstatic", "--noinput", "-v", "0"], env=self.env, check=True, cwd=ROOT
        )
        celery = [PYTHON, "-m", "celery", "-A", "portal"]
        self.commands = {
            "gunicorn": [
                PYTHON,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "--max-requests",
                "0",
            ],
            "worker": [*celery, "worker", "--loglevel", "WARNING", "--concurrency", "1"],
            "beat": [
                *celery,
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(OUT / "beat-schedule"),
            ],
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> Stack:
        for name, command in self.commands.items():
            log = (OUT / "logs" / f"{name}.log").open("wb")
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our own programs
                command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        health = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/healthz", headers={"X-Forwarded-Proto": "https"}
        )
        while True:
            try:
                with urllib.request.urlopen(health, timeout=5):  # noqa: S310 - the loopback
                    break
            except OSError:
                if time.monotonic() > deadline or self.processes["gunicorn"].poll() is not None:
                    self.__exit__()
                    raise SystemExit(
                        "load: gunicorn did not answer /healthz (var/load/logs)"
                    ) from None
                time.sleep(1)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def pids(self) -> dict[str, list[int]]:
        groups = {name: descendants(p.pid) for name, p in self.processes.items()}
        groups["postgres"] = named("postgres")
        groups["redis"] = named("redis-server")
        return groups


def run_locust(users: int, seconds: int, port: int, smoke: bool) -> tuple[Path, float]:
    prefix = OUT / f"users-{users}"
    spawn = max(1.0, users / 20)  # all arrive within about 20 s; stats reset then
    env = dict(os.environ, LOAD_SESSIONS=str(SESSIONS), LOAD_FAIL_ON_ERROR="1" if smoke else "0")
    command = [
        PYTHON,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "-u",
        str(users),
        "-r",
        f"{spawn:g}",
        "-t",
        f"{seconds + users / spawn:.0f}s",
        "--reset-stats",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=ROOT, check=False)  # noqa: S603 - our own programs
    if done.returncode not in (0, 1):
        raise SystemExit(f"load: locust exited with {done.returncode}")
    return prefix, time.monotonic() - started


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _ms(row: dict[str, str], column: str) -> str:
    value = row.get(column, "N/A")
    return "–" if value in ("N/A", "") else f"{float(value):,.0f}"


def section(users: int, rows: list[dict[str, str]], cpu: dict[str, float], seconds: float) -> str:
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines = [
        f"#### {users} users",
        "",
        f"{float(total['Requests/s']):.1f} requests/s, {int(total['Request Count']):,} requests, "
        f"{int(total['Failure Count']):,} errors; p50 {_ms(total, '50%')} ms, p95 "
        f"{_ms(total, '95%')} ms, p99 {_ms(total, '99%')} ms. CPU seconds over the "
        f"{seconds:.0f} s run: "
        + ", ".join(f"{name} {value:.1f}" for name, value in cpu.items())
        + ".",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in sorted(rows, key=lambda r: -int(r["Request Count"])):
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} "
            f"| {int(row['Failure Count']):,} | {_ms(row, '50%')} | {_ms(row, '95%')} "
            f"| {_ms(row, '99%')} | {_ms(row, 'Max Response Time')} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load.run", description=__doc__)
    parser.add_argument("--users", default="480", help="comma-separated, rising: 120,240,480,720")
    parser.add_argument("--seconds", type=int, default=120, help="after all users arrived")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="fail on any error (CI)")
    parser.add_argument(
        "--documents", type=int, default=300, help="waiting to be signed when each load starts"
    )
    args = parser.parse_args(argv)
    if not SESSIONS.exists():
        raise SystemExit("load: run `python -m bench.load.prepare` first (make load does)")
    loads = [int(n) for n in args.users.split(",")]
    report = [
        f"### Load test: gunicorn {args.workers} workers × {args.threads} threads, "
        f"PostgreSQL, Redis, a Celery worker and beat, DEBUG off",
        "",
        f"{os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}; "
        f"{args.seconds} s at each load after every user arrived.",
        "",
    ]
    failures = 0
    with Stack(args.port, args.workers, args.threads) as stack:
        for users in loads:
            # The leaders sign some 130 documents a load: each starts with the same pile.
            subprocess.run(  # noqa: S603 - our own program
                [
                    PYTHON,
                    "-m",
                    "bench.load.prepare",
                    "--documents-only",
                    "--documents",
                    str(args.documents),
                ],
                cwd=ROOT,
                check=True,
            )
            groups = stack.pids()
            groups["locust"] = []
            before = {name: cpu_seconds(pids) for name, pids in groups.items()}
            prefix, seconds = run_locust(users, args.seconds, args.port, args.smoke)
            after_groups = stack.pids()
            cpu = {
                name: cpu_seconds(after_groups.get(name, [])) - before[name]
                for name in before
                if name != "locust"
            }
            rows = read_stats(prefix)
            total = next(r for r in rows if r["Name"] == "Aggregated")
            failures += int(total["Failure Count"])
            report.append(section(users, rows, cpu, seconds))
            p95 = float(total["95%"]) if total["95%"] not in ("N/A", "") else 0.0
            print(
                f"load: {users} users, p95 {p95:.0f} ms, errors {total['Failure Count']}",
                flush=True,
            )
            if p95 > KNEE_MS and not args.smoke:
                report.append(f"p95 passed {KNEE_MS} ms at {users} users: the knee.\n")
                break
    text = "\n".join(report)
    (OUT / "report.md").write_text(text)
    print(text)
    if args.smoke and failures:
        print(f"load smoke: {failures} errors (see var/load/users-*_failures.csv)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

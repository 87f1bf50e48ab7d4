"""Benchmark of the reminder scan: ``python -m bench.reminders`` (run by ``python -m bench``).

The deadlines are the benchmark dataset's (`bench/parts/deadlines.py`: 100,000 at scale
1), on a throw-away copy of the seeded database (``BENCH_DB``; seeded here at
``BENCH_SCALE`` when there is none), since the scan writes. It times:

1. **a day's scan**: at 08:00 of the working day after seeding (only the deadlines with
   a step since then are touched, through the ``next_reminder_at`` index);
2. **catch-up**: every deadline of the dataset open with its reminders come at once (a
   worker that was off for a long time);
3. **sending** the catch-up's deliveries as digests (inbox and email, locmem backend).

For each it prints the time and the queries per batch, which must not depend on the
number of deadlines (the run fails if a batch takes more than ``MAX_BATCH_QUERIES``).
Target: the catch-up scan of 100,000 deadlines under 5 s on SQLite. ``BENCH_SMOKE=1``
(CI) skips the sending, the slowest part, and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.deadlines.reminders import ScanResult

TARGET_SECONDS = 5.0
TARGET_DEADLINES = 100_000
MAX_BATCH_QUERIES = 12  # 6 to 8 here (inserts come in chunks); more: a query per row


def _database(folder: Path, source: str, scale: float) -> str:
    """Point Django at a copy of `source` in `folder` (or at a freshly seeded database
    when there is none); returns where the data came from."""
    from bench.seed import build, use_database

    target = folder / "reminders.sqlite3"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DEADLINE_WEBHOOK_URL"] = ""
    os.environ["DEADLINE_CHANNELS"] = "inbox,email"
    if source.startswith("postgres://"):
        # PostgreSQL (`--db postgres://…/ufw_load`, the load test's scale-1 database):
        # used in place, and changed by the run.
        import django

        os.environ.pop("BENCH_DB", None)
        os.environ["DATABASE_URL"] = source
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        django.setup()
        return f"PostgreSQL {source.rsplit('/', 1)[-1]} (changed by the run)"
    if source and Path(source).exists():
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        use_database(target)
        return f"a copy of {Path(source).name}"
    use_database(target)
    build(scale, path=target, verbose=False)
    return f"seeded at scale {scale:g}"


def _timed_scan(moment: dt.datetime, batch: int) -> tuple[float, float, ScanResult, list[int]]:
    from django.db import connection

    from portal.deadlines.reminders import reminders_scan

    # Queries are counted, not captured: Django's capture (a debug cursor) writes out each
    # statement with its thousands of parameters, seconds that production never spends.
    executed = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed[0] += 1
        return execute(sql, params, many, context)

    marks: list[int] = []
    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        result, _sent = reminders_scan(
            now=moment, batch_size=batch, send=False, on_batch=lambda n: marks.append(executed[0])
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_batch = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    return elapsed, cpu, result, per_batch


def _row(name: str, elapsed: float, cpu: float, result: ScanResult, per_batch: list[int]) -> str:
    counts = ", ".join(f"{q} × {n}" for q, n in sorted(Counter(per_batch).items()))
    return (
        f"| {name} | {elapsed:.2f} | {cpu:.2f} | {result.deadlines:,} | {result.deliveries:,} "
        f"| {result.batches} | {counts or '–'} |"
    )


def _engine() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.cursor().connection.info.server_version}"
    return f"SQLite {sqlite3.sqlite_version}"


def _seeded_day() -> dt.datetime:
    """08:00 of the working day after the dataset was seeded."""
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from portal.deadlines.models import Deadline
    from portal.workdays import WorkdayCalendar

    # Creations only: a run on PostgreSQL (in place) adds change records dated its "late" day.
    created = Deadline.history.filter(history_type="+")
    seeded = created.aggregate(at=Max("history_date"))["at"] or timezone.now()
    day = WorkdayCalendar().add_workdays(timezone.localdate(seeded), 1).date
    hour = dt.time(int(settings.DEADLINE_REMINDER_HOUR))
    return timezone.make_aware(dt.datetime.combine(day, hour))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument(
        "--db",
        default=os.environ.get("BENCH_DB", ""),
        help="seeded SQLite database (copied), or a postgres:// URL (used in place)",
    )
    parser.add_argument("--batch", type=int, default=2000)  # DEADLINE_SCAN_BATCH
    parser.add_argument(
        "--smoke", action="store_true", default=os.environ.get("BENCH_SMOKE") == "1"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        started = time.perf_counter()
        origin = _database(Path(folder), args.db, args.scale)

        from django.utils import timezone

        from portal.deadlines.models import Deadline, Delivery
        from portal.deadlines.reminders import deliveries_send, periods_sync

        total = Deadline.objects.count()
        active = Deadline.objects.filter(next_reminder_at__isnull=False).count()
        print(
            f"{total:,} deadlines ({active:,} with a reminder to come) of the benchmark "
            f"dataset, {origin} (ready in {time.perf_counter() - started:.1f} s); "
            f"{_engine()}; batches of {args.batch}.\n"
        )
        print(
            "| run | wall s | CPU s | deadlines | deliveries | batches "
            "| queries per batch after the first |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        day = _seeded_day()
        day_scan = _timed_scan(day, args.batch)
        print(_row(f"1. a day's scan ({day:%Y-%m-%d %H:%M})", *day_scan))
        Delivery.objects.all().delete()

        # A worker off for a long time: every deadline open, its reminders all come. The
        # periods the scan's own sync would open on that late day (next year's quotas and
        # work points, whatever today's date) are opened first, so that the scan sees
        # exactly the deadlines counted here.
        late = day + dt.timedelta(days=400)
        periods_sync(timezone.localdate(late))
        total = Deadline.objects.count()
        Deadline.objects.update(
            state=Deadline.State.OPEN, closed_at=None, next_reminder_at=day - dt.timedelta(days=400)
        )
        elapsed, cpu, result, per_batch = _timed_scan(late, args.batch)
        print(_row("2. catch-up scan (all open)", elapsed, cpu, result, per_batch))

        if args.smoke:
            print("| 3. send digests | – | – | | | | (skipped in the smoke run) |")
        else:
            started, cpu_started = time.perf_counter(), time.process_time()
            sent = deliveries_send(now=late)
            print(
                f"| 3. send digests | {time.perf_counter() - started:.2f} "
                f"| {time.process_time() - cpu_started:.2f} | | {sent.sent:,} | "
                f"| {sent.messages:,} messages (one digest per person and channel) |"
            )

        print()
        worst = max(per_batch + day_scan[3], default=0)
        problems = []
        if worst > MAX_BATCH_QUERIES:
            problems.append(f"a batch took {worst} queries (at most {MAX_BATCH_QUERIES})")
        if result.deadlines != total:
            problems.append(f"the catch-up scan saw {result.deadlines:,} of {total:,} deadlines")
        if total >= TARGET_DEADLINES:
            verdict = "met" if elapsed < TARGET_SECONDS else "**missed**"
            print(
                f"Target: catch-up scan of {total:,} deadlines under {TARGET_SECONDS:.0f} s: "
                f"{verdict} ({elapsed:.2f} s)."
            )
        else:
            print(
                f"Target (catch-up of {TARGET_DEADLINES:,} deadlines under "
                f"{TARGET_SECONDS:.0f} s) is judged at scale 1; here {total:,} in {elapsed:.2f} s."
            )
        for problem in problems:
            print(f"\n**Failed:** {problem}.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

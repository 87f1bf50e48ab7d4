"""Benchmark of the reminder scan: ``python -m bench.reminders``.

Builds a throw-away SQLite database with 100,000 open deadlines of 200 units (one
branch commissioner with an email address each), then times:

1. **a day's scan**: the deadlines' due dates spread over a year, the scan at 08:00 of a
   working day (only those with a step that day are touched, through the
   ``next_reminder_at`` index);
2. **catch-up**: every deadline has a reminder due at once (a worker that was off);
3. **sending** the catch-up's deliveries as digests (inbox and email, locmem backend).

For each it prints the time and the queries per batch, which must not depend on the
number of deadlines. Target: the scan of 100,000 deadlines under 5 s on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from portal.deadlines.reminders import ScanResult

TARGET_SECONDS = 5.0


def _setup(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["PORTAL_VAR_DIR"] = str(folder)
    os.environ["PORTAL_TESTING"] = "true"  # locmem mail, no real SMTP
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["REDIS_URL"] = ""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(count: int, units: int, moment: dt.datetime, spread_days: int) -> None:
    from django.contrib.auth.models import Group

    from portal.deadlines import registry
    from portal.deadlines.models import Deadline
    from portal.deadlines.services import rule_steps
    from portal.models import Person, Role, Unit, User
    from portal.workdays import WorkdayCalendar

    group = Group.objects.get(name=Role.COMMISSIONER)
    unit_rows = Unit.objects.bulk_create(
        Unit(name=f"单位{n:03d}", kind=Unit.Kind.BRANCH) for n in range(units)
    )
    people = Person.objects.bulk_create(
        Person(name=f"委员{n:03d}", unit=unit, gender="f") for n, unit in enumerate(unit_rows)
    )
    users = User.objects.bulk_create(
        User(username=f"c{n:03d}", email=f"c{n:03d}@example.edu.cn", person=person)
        for n, person in enumerate(people)
    )
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    rule = registry.get("action_item")
    calendar = WorkdayCalendar()
    first_step: dict[dt.date, dt.datetime] = {}
    today = moment.date()
    rows = []
    for n in range(count):
        due = today + dt.timedelta(days=n % spread_days)
        if due not in first_step:
            first_step[due] = rule_steps(due, rule, calendar)[0].fire_at
        rows.append(
            Deadline(
                rule="action_item",
                period=f"b{n}",
                title=f"督办事项{n}",
                due=due,
                original_due=due,
                responsible_unit=unit_rows[n % units],
                next_reminder_at=first_step[due],
            )
        )
    Deadline.objects.bulk_create(rows, batch_size=5000)


def _timed_scan(moment: dt.datetime, batch: int) -> tuple[float, float, ScanResult, list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.deadlines.reminders import reminders_scan

    marks: list[int] = []
    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        result, _sent = reminders_scan(
            now=moment, batch_size=batch, send=False, on_batch=lambda n: marks.append(len(ctx))
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_batch = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    return elapsed, cpu, result, per_batch


def _line(name: str, elapsed: float, cpu: float, result: ScanResult, per_batch: list[int]) -> str:
    counts = ", ".join(f"{q} queries × {n}" for q, n in sorted(Counter(per_batch).items()))
    return (
        f"{name:<16} {elapsed:6.2f} s wall, {cpu:6.2f} s CPU; {result.deadlines:>7,} deadlines, "
        f"{result.deliveries:>7,} deliveries, {result.batches} batches ({counts or '-'})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the reminder scan.")
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--batch", type=int, default=2000)  # DEADLINE_SCAN_BATCH
    args = parser.parse_args(argv)

    day = dt.datetime(2026, 3, 10, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        _setup(Path(folder))
        import sqlite3

        from portal.deadlines.models import Deadline, Delivery
        from portal.deadlines.reminders import deliveries_send

        started = time.perf_counter()
        _populate(args.deadlines, args.units, day, spread_days=365)
        print(
            f"{args.deadlines:,} open deadlines of {args.units} units, due over a year "
            f"(built in {time.perf_counter() - started:.1f} s); SQLite "
            f"{sqlite3.sqlite_version}; batches of {args.batch}"
        )

        print(_line("1. a day's scan", *_timed_scan(day, args.batch)))
        Delivery.objects.all().delete()

        # A worker off for a long time: every deadline has reminders that have come.
        Deadline.objects.update(next_reminder_at=day - dt.timedelta(days=400))
        late = day + dt.timedelta(days=400)
        elapsed, cpu, result, per_batch = _timed_scan(late, args.batch)
        print(_line("2. catch-up scan", elapsed, cpu, result, per_batch))

        started, cpu = time.perf_counter(), time.process_time()
        sent = deliveries_send(now=late)
        print(
            f"{'3. send digests':<16} {time.perf_counter() - started:6.2f} s wall, "
            f"{time.process_time() - cpu:6.2f} s CPU; {sent.sent:,} reminders in "
            f"{sent.messages:,} messages (one digest per person and channel)"
        )
        verdict = "met" if elapsed < TARGET_SECONDS else "MISSED"
        print(f"target: catch-up scan of every deadline under {TARGET_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

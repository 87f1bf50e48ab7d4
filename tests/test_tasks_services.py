"""The new apps' Celery tasks through real workers on real Redis and PostgreSQL (the
services leg: `make test-services`), as the reminders are drilled in
tests/test_reminders_services.py: a worker killed mid-task (SIGKILL, nothing tidies up)
and the same task run twice at once (beat firing twice, two workers).

- `build_export` (portal.exportjobs): a killed worker's job is claimed again by beat's
  pass and built once by another worker: one file, one inbox message.
- `sync_roster_roles` (groups) and `sync_liaison_roles` (liaisons): a run cut short
  leaves a state the next run completes; two runs at once give the same roles, and a
  third finds nothing to change.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from groups.models import BranchCommissioner
from groups.tasks import sync_roster_roles
from liaisons.models import PublicityMember
from liaisons.tasks import sync_liaison_roles
from portal.deadlines.models import Delivery
from portal.exportjobs.models import ExportJob
from portal.exportjobs.services import LOST_AFTER, export_job_start, export_jobs_requeue
from portal.models import Person, Role, Unit, User
from tests import celery_cluster
from tests.celery_cluster import wait_for
from tests.conftest import make_user
from tests.factories import UnitFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis (make test-services)",
    ),
]

cluster = celery_cluster.cluster  # the fixture: workers and beat on the test database
State = ExportJob.State


@pytest.fixture
def media(cluster, tmp_path) -> Path:
    """The workers' media folder (the export files), one per test."""
    group, _robot, _mail = cluster
    root = tmp_path / "media"
    root.mkdir()
    group.env["MEDIA_ROOT"] = str(root)
    group.env["DEADLINE_CHANNELS"] = "inbox"
    return root


def test_an_export_whose_worker_is_killed_is_built_again_once(cluster, media):
    group, _robot, _mail = cluster
    office = make_user("office", UnitFactory(name="统战部"), Role.OFFICE)
    Unit.objects.bulk_create(
        Unit(name=f"第{n:04d}单位", kind=Unit.Kind.DEPARTMENT) for n in range(3000)
    )
    total = Unit.objects.count()
    # The first worker saves its progress after every row: slow enough to die mid-file.
    first = group.start("worker", "first", EXPORT_PROGRESS_EVERY="1")
    job = export_job_start(key="units", querystring="", by=office)  # committed: queued now

    def writing() -> bool:
        return ExportJob.objects.filter(pk=job.pk, rows_done__gte=50).exists()

    wait_for(writing, 90, "the first worker writing the file")
    group.kill(first)
    job.refresh_from_db()
    assert job.state == State.RUNNING and job.attempts == 1
    assert 0 < job.rows_done < total, "the worker was killed mid-file"
    assert not list(media.rglob("*.xlsx"))  # nothing was stored

    group.start("worker", "second")
    # Beat's pass, once the dead worker's heartbeat is old enough: claimed and queued.
    assert export_jobs_requeue(now=timezone.now() + LOST_AFTER + dt.timedelta(minutes=1)) == 1

    def done() -> bool:
        return ExportJob.objects.filter(pk=job.pk, state=State.DONE).exists()

    wait_for(done, 120, "the second worker building the file")
    job.refresh_from_db()
    assert (job.attempts, job.rows_done, job.rows_total) == (2, total, total)
    files = list(media.rglob("*.xlsx"))
    assert [f.name for f in files] == [Path(job.file.name).name]
    sheet = load_workbook(io.BytesIO(files[0].read_bytes()), read_only=True).worksheets[0]
    assert sum(1 for _row in sheet.iter_rows(min_row=2)) == total
    wait_for(
        lambda: Delivery.objects.filter(key=f"exports.done/{job.pk}", status="sent").exists(),
        30,
        "the inbox message",
    )
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1


def _logins(count: int, prefix: str) -> list[Person]:
    """People with logins and no role, in bulk (no sync runs on their creation)."""
    unit = UnitFactory(name=f"{prefix}党总支", kind=Unit.Kind.BRANCH)
    people = Person.objects.bulk_create(
        Person(name=f"{prefix}{n}", unit=unit) for n in range(count)
    )
    User.objects.bulk_create(
        User(username=f"{prefix}{n}", person=person, password="!")  # noqa: S106 - unusable
        for n, person in enumerate(people)
    )
    return people


def _commissioners(count: int) -> tuple[Callable[[], object], str]:
    people = _logins(count, "委员")
    today = timezone.localdate()
    BranchCommissioner.objects.bulk_create(
        BranchCommissioner(person=person, branch=person.unit, start_date=today) for person in people
    )
    return sync_roster_roles, str(Role.COMMISSIONER)


def _publicity(count: int) -> tuple[Callable[[], object], str]:
    people = _logins(count, "宣传")
    today = timezone.localdate()
    PublicityMember.objects.bulk_create(
        PublicityMember(person=person, position=n + 1, start_date=today)
        for n, person in enumerate(people)
    )
    return sync_liaison_roles, str(Role.PUBLICITY)


SYNCS = {"roster": _commissioners, "liaisons": _publicity}


def _adding_memberships() -> bool:
    """Another connection (the worker) is in a transaction adding role memberships."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            " AND query ILIKE %s",
            [f"%{User.groups.through._meta.db_table}%"],
        )
        return bool(cursor.fetchone()[0])


def _holding(role: str) -> int:
    return Group.objects.get(name=role).user_set.count()


@pytest.mark.parametrize("task", SYNCS)
def test_a_role_sync_killed_mid_run_is_completed_by_the_next_run(cluster, task):
    group, _robot, _mail = cluster
    count = 1500
    sync, role = SYNCS[task](count)
    first = group.start("worker", "first")
    sync.delay()
    # The roster's one transaction shows in pg_stat_activity while it adds; the liaisons'
    # short transaction per login may be missed between polls, but each one commits, so
    # its first membership shows up in the role.
    wait_for(
        lambda: _adding_memberships() or _holding(role) > 0,
        90,
        "the first worker adding memberships",
    )
    group.kill(first)
    given = _holding(role)
    # The roster's sync is one transaction (nothing was given); the liaisons' commits
    # login by login (some were).
    assert given < count, "the worker was killed mid-run"

    group.start("worker", "second")
    changed = sync.delay().get(timeout=120)
    assert _holding(role) == count
    assert changed == count - given  # the rest: the first run's memberships had committed
    assert sync.delay().get(timeout=120) == 0


@pytest.mark.parametrize("task", SYNCS)
def test_a_role_sync_run_twice_at_once_gives_each_role_once(cluster, task):
    group, _robot, _mail = cluster
    count = 300
    sync, role = SYNCS[task](count)
    group.start("worker", "one")
    group.start("worker", "two")
    time.sleep(3)  # both workers up
    first, second = sync.delay(), sync.delay()
    results = [first.get(timeout=120), second.get(timeout=120)]  # neither fails
    assert count <= sum(results) <= 2 * count  # each login changed by one run or both
    memberships = User.groups.through.objects.filter(group__name=role)
    assert memberships.count() == count == _holding(role)
    assert sync.delay().get(timeout=120) == 0

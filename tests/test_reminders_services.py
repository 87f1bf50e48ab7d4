"""The reminder scan through real Celery workers and beat on real Redis and PostgreSQL
(the services leg: `make test-services`).

Workers are separate processes on the test database; email goes to a file sink
(tests/mail_sink.py), the group robot is an HTTP server in this process. Every
deadline is a month overdue, so each has two reminders that have come whatever the
time of day: the overdue notice to its unit's commissioner and the escalation to the
leader in charge.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.deadlines.models import Deadline, Delivery, Notification
from portal.deadlines.services import deadline_open
from portal.deadlines.tasks import send_reminders
from portal.models import Role
from tests import celery_cluster, mail_sink
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
LINK = re.compile(r"/deadlines/(\d+)/")


def _overdue_deadlines(units: int, per_unit: int) -> tuple[list[Deadline], list[str]]:
    """Deadlines a month overdue; each unit has a commissioner with an address."""
    in_charge = make_user("incharge", UnitFactory(name="学院领导"), Role.LEADER)
    in_charge.leadership = "in_charge"
    in_charge.email = "incharge@example.edu.cn"
    in_charge.save()
    due = timezone.localdate() - dt.timedelta(days=30)
    deadlines, addresses = [], []
    for n in range(units):
        unit = UnitFactory(name=f"第{n}党总支")
        user = make_user(f"c{n}", unit, Role.COMMISSIONER)
        user.email = f"c{n}@example.edu.cn"
        user.save()
        addresses.append(user.email)
        for k in range(per_unit):
            deadlines.append(
                deadline_open(
                    rule="action_item",
                    period=f"{n}-{k}",
                    title=f"事项{n}-{k}",
                    due=due,
                    responsible_unit=unit,
                )
            )
    return deadlines, addresses


def _all_sent(expected: int) -> Callable[[], bool]:
    def done() -> bool:
        rows = Counter(Delivery.objects.values_list("status", flat=True))
        return sum(rows.values()) == expected and rows["sent"] == expected

    return done


def _mailed(mail_dir: Path) -> Counter[tuple[str, int]]:
    """(address, deadline id) of every reminder line in every email sent."""
    seen: Counter[tuple[str, int]] = Counter()
    for message in mail_sink.read(mail_dir):
        ids = {int(pk) for pk in LINK.findall(str(message["body"]))}
        for pk in ids:
            seen[str(message["to"][0]), pk] += 1  # type: ignore[index]
    return seen


def _inboxed() -> Counter[tuple[str, int]]:
    seen: Counter[tuple[str, int]] = Counter()
    for username, items in Notification.objects.values_list("recipient__username", "items"):
        for item in items:
            seen[username, int(LINK.findall(item["deadline_url"])[0])] += 1
    return seen


def test_it_sends_every_reminder_once_when_beat_and_two_workers_overlap(cluster):
    group, robot, mail_dir = cluster
    deadlines, addresses = _overdue_deadlines(units=12, per_unit=3)
    # Per deadline: overdue to the commissioner and escalation to the leader in charge,
    # each by inbox and email; the overdue notice also to the robot.
    expected = len(deadlines) * 5
    group.start("worker", "one")
    group.start("worker", "two")
    time.sleep(3)  # both workers up
    # Two scans at the same moment, then beat firing every second on top of them.
    first, second = send_reminders.delay(), send_reminders.delay()
    group.start("beat", "beat", DEADLINE_SCAN_INTERVAL_SECONDS="1")
    created = first.get(timeout=90)["deliveries"] + second.get(timeout=90)["deliveries"]
    # Which scan creates the rows is a race (beat's first tick may beat both): together
    # they never create more than there are reminders.
    assert created <= expected
    wait_for(_all_sent(expected), 90, f"{expected} deliveries sent")
    time.sleep(4)  # beat keeps firing: nothing more may go out

    assert Delivery.objects.count() == expected
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    ids = {d.pk for d in deadlines}
    mailed = _mailed(mail_dir)
    assert max(mailed.values()) == 1, "a reminder was emailed twice"
    commissioner = {key for key in mailed if key[0] != "incharge@example.edu.cn"}
    assert len(commissioner) == len(deadlines)
    assert {pk for _a, pk in commissioner} == ids
    assert {pk for a, pk in mailed if a == "incharge@example.edu.cn"} == ids
    assert {a for a, _pk in commissioner} == set(addresses)
    inboxed = _inboxed()
    assert max(inboxed.values()) == 1, "a reminder reached an inbox twice"
    assert len(inboxed) == 2 * len(deadlines)
    posted = Counter(
        int(pk) for post in robot.posts for pk in LINK.findall(post["json"]["markdown"]["content"])
    )
    assert set(posted) == ids and max(posted.values()) == 1, "the robot got a reminder twice"
    assert Deadline.objects.filter(state="overdue").count() == len(deadlines)


def test_it_sends_the_rest_after_a_worker_is_killed_mid_batch_and_nothing_twice(cluster):
    group, _robot, mail_dir = cluster
    deadlines, addresses = _overdue_deadlines(units=16, per_unit=1)
    expected = len(deadlines) * 5
    slow = group.start("worker", "slow", MAIL_SINK_DELAY="0.4")
    time.sleep(3)
    send_reminders.delay()
    wait_for(lambda: len(list(mail_dir.glob("*.json"))) >= 5, 60, "the first emails")
    group.kill(slow)  # in the middle of sending the digests
    mailed_before = len(list(mail_dir.glob("*.json")))
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses["sent"] < expected
    assert statuses["claimed"] + statuses["pending"] > 0, statuses  # left for later
    assert statuses["sending"] <= 1, statuses  # at most the message in flight

    # A new worker with a short lease; beat (fired here by hand) scans again.
    group.start("worker", "again", DEADLINE_DELIVERY_LEASE_SECONDS="2")
    time.sleep(3)
    send_reminders.delay().get(timeout=90)

    def finished() -> bool:
        return not Delivery.objects.filter(status__in=["pending", "claimed", "sending"]).exists()

    wait_for(finished, 60, "every delivery settled")
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == expected
    assert statuses["unknown"] <= 1, statuses  # the one in flight: never sent twice
    assert statuses["sent"] + statuses["unknown"] == expected, statuses
    mailed = _mailed(mail_dir)
    assert max(mailed.values()) == 1, "a reminder was emailed twice"
    unknown = Delivery.objects.filter(status="unknown", channel="email").count()
    assert len(mailed) >= 2 * len(deadlines) - unknown
    assert len(list(mail_dir.glob("*.json"))) > mailed_before  # the rest went out
    assert max(_inboxed().values()) == 1
    assert len(_inboxed()) == 2 * len(deadlines)
    assert {a for a, _pk in mailed} >= set(addresses) - {
        d.recipient.email
        for d in Delivery.objects.filter(status="unknown").select_related("recipient")
        if d.recipient
    }


def test_it_sends_queued_messages_through_a_real_worker_once_after_the_commit(cluster):
    """The outbox on Redis: messages queued in a committed transaction reach a real
    worker through `send_messages` (queued on commit) and leave once each, even when the
    same keys are queued again and beat's flush runs beside the task."""
    from django.db import transaction

    from portal.deadlines.outbox import message_queue

    group, _robot, mail_dir = cluster
    addresses = [f"guest{n}@example.edu.cn" for n in range(5)]
    group.start("worker", "outbox")
    group.start("beat", "beat", OUTBOX_FLUSH_INTERVAL_SECONDS="1")
    time.sleep(3)
    for _round in range(2):  # the second round is a retry: every key is queued already
        with transaction.atomic():
            for address in addresses:
                message_queue(
                    key=f"invite:{address}",
                    recipient=address,
                    subject="会议通知",
                    body="请出席领导小组全体会议。",
                    by=None,
                )
    wait_for(
        lambda: Delivery.objects.filter(status="sent").count() == len(addresses),
        60,
        "every message sent",
    )
    time.sleep(3)  # beat keeps flushing: nothing more may go out
    sent = Counter(str(message["to"][0]) for message in mail_sink.read(mail_dir))
    assert sent == Counter(addresses)
    assert Delivery.objects.count() == len(addresses)

"""The reminder scan: what beat runs every few minutes and ``manage.py send_reminders``
runs by hand.

1. **Sync**: each period rule opens the periods now running (idempotent).
2. **Scan**: deadlines whose ``next_reminder_at`` has come are taken in batches, each
   batch in one transaction with ``SELECT … FOR UPDATE SKIP LOCKED`` (so two scans at
   once split the work instead of repeating it). For each, the latest step that has
   come per audience (the responsible people; the leader in charge on escalation) is
   turned into ``Delivery`` rows, one per recipient and channel, inserted with
   ``ON CONFLICT DO NOTHING`` against unique constraints: a reminder exists once
   however many scans try. Steps missed while the scan was down are not repeated: only
   the latest one is sent. ``next_reminder_at`` moves to the next step. A fixed number
   of queries per batch whatever its size.
3. **Send**: pending deliveries are claimed in chunks (a conditional update to
   ``claimed`` with a token), grouped into one digest per recipient and channel, and
   sent. Inbox messages are written in the same transaction that marks their rows sent
   (exactly once). An email or robot message is marked ``sending`` just before it goes
   and ``sent`` just after; a failure is recorded and retried with exponential backoff.

A worker that dies leaves ``claimed`` rows (never attempted: released and sent by the
next scan) and at most one digest per channel ``sending`` (it may or may not have gone
out: marked ``unknown`` rather than risk sending it twice; the inbox copy exists).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.deadlines import channels, registry
from portal.deadlines.display import Described, describe, yellow_until
from portal.deadlines.models import Deadline, Delivery, Notification, Step
from portal.deadlines.recipients import Directory, email_of, responsible_recipients
from portal.deadlines.registry import Rule
from portal.deadlines.services import rule_steps
from portal.models import User
from portal.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)

Channel = Delivery.Channel
Status = Delivery.Status


@dataclass
class ScanResult:
    batches: int = 0
    deadlines: int = 0
    deliveries: int = 0
    overdue: int = 0


@dataclass
class SendResult:
    messages: int = 0
    sent: int = 0
    failed: int = 0
    abandoned: int = 0
    released: int = 0
    unknown: int = 0
    retry_at: dt.datetime | None = None


def enabled_channels() -> list[str]:
    return validate_channels([str(c) for c in settings.DEADLINE_CHANNELS])


def validate_channels(wanted: list[str]) -> list[str]:
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown reminder channels: {sorted(unknown)}")
    return wanted


def periods_sync(today: dt.date) -> None:
    """Let every period rule open the periods now running."""
    for rule in registry.all_rules():
        if rule.sync is not None:
            rule.sync(today)


class _Scan:
    """What one scan loads once and shares between its batches."""

    def __init__(self, now: dt.datetime, channels_: list[str]) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar = WorkdayCalendar()
        self.directory = Directory()
        self.channels = channels_
        self.webhook = Channel.WEBHOOK in channels_ and bool(settings.DEADLINE_WEBHOOK_URL)
        self._steps: dict[tuple[dt.date, str], list[Step]] = {}

    def prepare(self) -> None:
        """Load the directory and the calendar years of every due deadline (a fixed
        number of queries per scan, so each batch runs the same few)."""
        self.directory.load()
        span = Deadline.objects.filter(next_reminder_at__lte=self.now).aggregate(
            low=Min("due"), high=Max("due")
        )
        low, high = span["low"], span["high"]
        if low is not None and high is not None:
            self.calendar.preload(range(low.year - 1, high.year + 2))

    def steps(self, due: dt.date, rule: Rule) -> list[Step]:
        key = (due, rule.code)
        if key not in self._steps:
            self._steps[key] = rule_steps(due, rule, self.calendar)
        return self._steps[key]


def reminders_scan(
    *,
    now: dt.datetime | None = None,
    batch_size: int | None = None,
    send: bool = True,
    channels_: list[str] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[ScanResult, SendResult]:
    """Sync the period rules, turn every reminder that has come into deliveries, then
    send the pending deliveries as digests. Safe to run twice at once."""
    now = now or timezone.now()
    wanted = validate_channels(channels_) if channels_ is not None else enabled_channels()
    scan = _Scan(now, wanted)
    periods_sync(scan.today)
    scan.prepare()
    result = ScanResult()
    size = batch_size or int(settings.DEADLINE_SCAN_BATCH)
    seen: set[int] = set()
    while True:
        ids = _scan_batch(scan, size, result)
        if not ids:
            break
        result.batches += 1
        if on_batch is not None:
            on_batch(len(ids))
        if seen & set(ids):  # a row that did not move on: never loop on it
            logger.error("reminder scan: deadlines %s did not advance", sorted(seen & set(ids)))
            break
        seen.update(ids)
    sent = deliveries_send(now=now) if send else SendResult()
    return result, sent


def _scan_batch(scan: _Scan, size: int, result: ScanResult) -> list[int]:
    now = scan.now
    with transaction.atomic():
        # 1. the batch, locked; rows another scan holds are skipped (PostgreSQL).
        ids = list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(next_reminder_at__lte=now)
            .order_by("next_reminder_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        # 2. + 3. the deadlines and their responsible users.
        deadlines = list(
            Deadline.objects.filter(pk__in=ids).prefetch_related(
                Prefetch("responsible_users", queryset=User.objects.select_related("person"))
            )
        )
        deliveries: list[Delivery] = []
        became_overdue: list[Deadline] = []
        for deadline in deadlines:
            rule = registry.get_or_none(deadline.rule)
            if rule is None:
                logger.warning("deadline %s: rule %r is not registered", deadline.pk, deadline.rule)
                deadline.next_reminder_at = None
                continue
            since = deadline.next_reminder_at or now
            steps = scan.steps(deadline.due, rule)
            latest: dict[str, Step] = {}
            for step in steps:
                if since <= step.fire_at <= now:
                    latest[step.audience] = step
            for step in latest.values():
                deliveries.extend(_deliveries_for(scan, deadline, rule, step))
            if deadline.state == Deadline.State.OPEN and any(
                s.key == "overdue" and s.fire_at <= now for s in steps
            ):
                deadline.state = Deadline.State.OVERDUE
                became_overdue.append(deadline)
            deadline.next_reminder_at = next((s.fire_at for s in steps if s.fire_at > now), None)
        # 4. the deliveries: a reminder that exists already is not created again.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        # 5. the deadlines move on to their next step.
        Deadline.objects.bulk_update(deadlines, ["next_reminder_at", "state"])
        # 6. history of the deadlines that became overdue.
        if became_overdue:
            Deadline.history.bulk_history_create(
                became_overdue, update=True, default_change_reason=_("逾期未完成"), default_date=now
            )
    result.deadlines += len(ids)
    result.deliveries += len(deliveries)
    result.overdue += len(became_overdue)
    return ids


def _deliveries_for(scan: _Scan, deadline: Deadline, rule: Rule, step: Step) -> list[Delivery]:
    if step.audience == "escalation":
        recipients = scan.directory.escalation_recipients()
    else:
        recipients = responsible_recipients(deadline, rule, scan.directory)
    rows = []
    for channel in scan.channels:
        if channel == Channel.WEBHOOK:
            continue
        for user in recipients:
            if channel == Channel.EMAIL and not email_of(user):
                continue
            rows.append(
                Delivery(
                    deadline=deadline,
                    due=deadline.due,
                    step=step.key,
                    channel=channel,
                    recipient=user,
                    created_at=scan.now,
                )
            )
    if scan.webhook and rule.webhook and step.audience == "responsible":
        rows.append(
            Delivery(
                deadline=deadline,
                due=deadline.due,
                step=step.key,
                channel=Channel.WEBHOOK,
                recipient=None,
                created_at=scan.now,
            )
        )
    return rows


# Sending -------------------------------------------------------------------------------


def _backoff(attempts: int) -> dt.timedelta:
    base = int(settings.DEADLINE_RETRY_BASE_SECONDS)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def _recover(now: dt.datetime, result: SendResult) -> None:
    """Rows a dead worker left behind, once their lease has run out: claimed rows were
    never attempted and go back to pending; a sending inbox row was rolled back with its
    message, so it is pending too; a sending email or robot row may have gone out and
    is marked unknown instead of being sent twice."""
    stale = now - dt.timedelta(seconds=int(settings.DEADLINE_DELIVERY_LEASE_SECONDS))
    result.released += Delivery.objects.filter(
        Q(status=Status.CLAIMED) | Q(status=Status.SENDING, channel=Channel.INBOX),
        claimed_at__lt=stale,
    ).update(status=Status.PENDING, claimed_by="")
    result.unknown += Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.UNKNOWN,
        last_error=_("发送过程中处理进程中断，无法确认是否已送达；为免重复，不再自动重发。"),
    )


def _claim(now: dt.datetime, token: str, limit: int) -> int:
    """Take up to `limit` ready deliveries, whole digests only where possible."""
    with transaction.atomic():
        ready = Q(status=Status.PENDING) | Q(status=Status.FAILED, next_attempt_at__lte=now)
        picked = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(ready)
            .order_by("recipient_id", "channel", "pk")
            .values_list("pk", "recipient_id", "channel")[:limit]
        )
        if len(picked) == limit:
            last = picked[-1][1:]
            trimmed = [row for row in picked if row[1:] != last]
            if trimmed:  # leave the last recipient's digest whole for the next chunk
                picked = trimmed
        ids = [row[0] for row in picked]
        if not ids:
            return 0
        return Delivery.objects.filter(pk__in=ids).update(
            status=Status.CLAIMED, claimed_by=token, claimed_at=now
        )


def deliveries_send(*, now: dt.datetime | None = None, limit: int | None = None) -> SendResult:
    """Send every pending delivery (and failed ones whose retry time has come) as one
    digest per recipient and channel."""
    now = now or timezone.now()
    result = SendResult()
    _recover(now, result)
    chunk = limit or int(settings.DEADLINE_SEND_CHUNK)
    today = timezone.localdate(now)
    calendar = WorkdayCalendar()
    while True:
        token = uuid.uuid4().hex
        if not _claim(now, token, chunk):
            break
        rows = list(
            Delivery.objects.filter(claimed_by=token, status=Status.CLAIMED)
            .select_related("deadline__responsible_unit", "recipient__person")
            .order_by("recipient_id", "channel", "pk")
        )
        deadlines = list({row.deadline_id: row.deadline for row in rows}.values())
        prefetch_related_objects(
            deadlines,
            "subject",
            Prefetch("responsible_users", queryset=User.objects.select_related("person")),
        )
        yellow = yellow_until(today, calendar)
        described = {
            d.pk: describe(d, today=today, calendar=calendar, yellow=yellow) for d in deadlines
        }
        groups: dict[tuple[str, int | None], list[Delivery]] = defaultdict(list)
        for row in rows:
            groups[row.channel, row.recipient_id].append(row)
        inbox = {key: group for key, group in groups.items() if key[0] == Channel.INBOX}
        _send_inbox(inbox, described, now, token, result)
        for key, group in groups.items():
            if key[0] != Channel.INBOX:
                _send_one(key[0], group, described, now, today, token, result)
    if result.failed:
        result.retry_at = (
            Delivery.objects.filter(status=Status.FAILED)
            .aggregate(at=Min("next_attempt_at"))
            .get("at")
        )
    return result


def _items(group: list[Delivery], described: dict[int, Described]) -> list[channels.Item]:
    return [
        channels.Item(
            described=described[row.deadline_id],
            step=row.step,
            audience="escalation" if row.step == "escalation" else "responsible",
        )
        for row in group
    ]


def _send_inbox(
    groups: dict[tuple[str, int | None], list[Delivery]],
    described: dict[int, Described],
    now: dt.datetime,
    token: str,
    result: SendResult,
) -> None:
    """All inbox digests of a chunk: the messages and the rows marked sent, in one
    transaction (so a message exists exactly when its rows say sent)."""
    if not groups:
        return
    with transaction.atomic():
        pairs = []
        for group in groups.values():
            recipient = group[0].recipient
            assert recipient is not None
            pairs.append(
                (channels.inbox_notification(recipient, _items(group, described), now), group)
            )
        created = Notification.objects.bulk_create([message for message, _group in pairs])
        updated: list[Delivery] = []
        for message, (_unused, group) in zip(created, pairs, strict=True):
            for row in group:
                row.notification = message
                row.status = Status.SENT
                row.sent_at = now
                row.attempts += 1
                updated.append(row)
        Delivery.objects.bulk_update(updated, ["notification", "status", "sent_at", "attempts"])
    result.messages += len(pairs)
    result.sent += len(updated)


def _send_one(
    channel: str,
    group: list[Delivery],
    described: dict[int, Described],
    now: dt.datetime,
    today: dt.date,
    token: str,
    result: SendResult,
) -> None:
    ids = [row.pk for row in group]
    started = Delivery.objects.filter(pk__in=ids, claimed_by=token, status=Status.CLAIMED).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if started != len(ids):  # recovered by another scan meanwhile: leave them to it
        Delivery.objects.filter(pk__in=ids, claimed_by=token, status=Status.SENDING).update(
            status=Status.PENDING, claimed_by="", attempts=F("attempts") - 1
        )
        return
    items = _items(group, described)
    attempts = max(row.attempts for row in group) + 1
    try:
        if channel == Channel.EMAIL:
            recipient = group[0].recipient
            assert recipient is not None
            channels.email_send(recipient, items, today)
        else:
            channels.webhook_send(items, today)
    except Exception as error:  # noqa: BLE001 - any failure of a channel is recorded
        message = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("reminder %s to %s failed: %s", channel, group[0].recipient_id, message)
        if attempts >= int(settings.DEADLINE_RETRY_MAX_ATTEMPTS):
            status, next_at = Status.ABANDONED, None
            result.abandoned += len(ids)
        else:
            status, next_at = Status.FAILED, now + _backoff(attempts)
            result.failed += len(ids)
        Delivery.objects.filter(pk__in=ids, claimed_by=token).update(
            status=status, next_attempt_at=next_at, last_error=message, claimed_by=""
        )
        return
    Delivery.objects.filter(pk__in=ids, claimed_by=token).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    result.messages += 1
    result.sent += len(ids)

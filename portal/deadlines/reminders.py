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
import functools
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.deadlines import bulk, channels, registry
from portal.deadlines.bulk import DeliveryRow
from portal.deadlines.display import Described, Describer
from portal.deadlines.models import Deadline, Delivery, Notification, Step
from portal.deadlines.recipients import Directory, responsible_recipients
from portal.deadlines.registry import Rule
from portal.deadlines.services import rule_steps
from portal.models import User
from portal.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)

# The fields the scan loads: what the engine and a rule's recipients resolver may read.
SCAN_FIELDS = (
    "id",
    "rule",
    "content_type_id",
    "object_id",
    "period",
    "title",
    "due",
    "state",
    "next_reminder_at",
    "responsible_unit_id",
)


class Claimed(NamedTuple):
    """A delivery taken for sending."""

    pk: int
    deadline_id: int
    step: str
    channel: str
    recipient_id: int | None
    attempts: int


class ScanRow(NamedTuple):
    """A deadline as the scan reads it (tuples: 100,000 model instances cost seconds)."""

    id: int
    rule: str
    content_type_id: int | None
    object_id: int | None
    period: str
    title: str
    due: dt.date
    state: str
    next_reminder_at: dt.datetime | None
    responsible_unit_id: int | None

    def as_deadline(self) -> Deadline:
        """A model instance with these fields, for a rule's own recipients resolver."""
        return Deadline(**self._asdict())


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


class Plan(NamedTuple):
    """What a scan does with a deadline: the steps to send now (the latest that has
    come per audience), when to look again, whether it is now overdue."""

    send: tuple[Step, ...]
    next_at: dt.datetime | None
    overdue: bool


class _Scan:
    """What one scan loads once and shares between its batches. Deadlines sharing a
    due date and rule share a plan, so 100,000 deadlines cost a few hundred plans."""

    def __init__(self, now: dt.datetime, channels_: list[str]) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar = WorkdayCalendar()
        self.directory = Directory()
        self.channels = [c for c in channels_ if c != Channel.WEBHOOK]
        self.webhook = Channel.WEBHOOK in channels_ and bool(settings.DEADLINE_WEBHOOK_URL)
        self._plans: dict[tuple[dt.date, str, dt.datetime], Plan] = {}

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

    def plan(self, due: dt.date, rule: Rule, since: dt.datetime) -> Plan:
        key = (due, rule.code, since)
        if key not in self._plans:
            now = self.now
            steps = rule_steps(due, rule, self.calendar)
            latest: dict[str, Step] = {}
            for step in steps:
                if since <= step.fire_at <= now:
                    latest[step.audience] = step
            self._plans[key] = Plan(
                send=tuple(latest.values()),
                next_at=next((s.fire_at for s in steps if s.fire_at > now), None),
                overdue=any(s.key == "overdue" and s.fire_at <= now for s in steps),
            )
        return self._plans[key]

    def recipients(self, row: ScanRow, rule: Rule, step: Step) -> list[User]:
        if step.audience == "escalation":
            return self.directory.escalation_recipients()
        if rule.recipients is None:  # the default, without building a model instance
            return self.directory.responsible(row.id, row.responsible_unit_id)
        return responsible_recipients(row.as_deadline(), rule, self.directory)


# Reminders are written in the portal's language, whatever a request or an earlier task
# left active in the process (a Celery worker, or a web process running the scan eagerly).
P = ParamSpec("P")
T = TypeVar("T")


def in_portal_language(function: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapped


@in_portal_language
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
        # 1. the batch, locked, with the fields the engine and the rules read; rows
        #    another scan holds are skipped (PostgreSQL; SQLite writes one at a time).
        rows = [
            ScanRow(*values)
            for values in bulk.read_values(
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(next_reminder_at__lte=now)
                .order_by("next_reminder_at", "pk")
                .values_list(*SCAN_FIELDS)[:size]
            )
        ]
        if not rows:
            return []
        ids = [row.id for row in rows]
        # 2. the users they name.
        scan.directory.load_named(ids)
        deliveries: list[DeliveryRow] = []
        schedule: list[tuple[int, dt.datetime | None, str]] = []
        became_overdue: list[int] = []
        for row in rows:
            rule = registry.get_or_none(row.rule)
            if rule is None:
                logger.warning("deadline %s: rule %r is not registered", row.id, row.rule)
                schedule.append((row.id, None, row.state))
                continue
            plan = scan.plan(row.due, rule, row.next_reminder_at or now)
            for step in plan.send:
                for user in scan.recipients(row, rule, step):
                    for channel in scan.channels:
                        if channel == Channel.EMAIL and not scan.directory.has_email(user):
                            continue
                        deliveries.append((row.id, row.due, step.key, channel, user.pk, now))
                if scan.webhook and rule.webhook and step.audience == "responsible":
                    deliveries.append((row.id, row.due, step.key, Channel.WEBHOOK, None, now))
            state = row.state
            if plan.overdue and state == Deadline.State.OPEN:
                state = Deadline.State.OVERDUE
                became_overdue.append(row.id)
            schedule.append((row.id, plan.next_at, state))
        # 3. the deliveries: a reminder that exists already is not created again.
        created = bulk.insert_deliveries(deliveries)
        # 4. the deadlines move on to their next step.
        bulk.update_schedule(schedule)
        # 5. history of the deadlines that became overdue.
        if became_overdue:
            bulk.snapshot_history(became_overdue, reason=_("逾期未完成"), when=now)
    result.deadlines += len(ids)
    result.deliveries += created
    result.overdue += len(became_overdue)
    return ids


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
            .filter(ready, deadline__isnull=False)  # outbox messages: portal.deadlines.outbox
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


@in_portal_language
def deliveries_send(*, now: dt.datetime | None = None, limit: int | None = None) -> SendResult:
    """Send every pending delivery (and failed ones whose retry time has come) as one
    digest per recipient and channel."""
    now = now or timezone.now()
    result = SendResult()
    _recover(now, result)
    chunk = limit or int(settings.DEADLINE_SEND_CHUNK)
    today = timezone.localdate(now)
    describer = Describer(today, WorkdayCalendar())
    while True:
        token = uuid.uuid4().hex
        if not _claim(now, token, chunk):
            break
        rows = [
            Claimed(*values)
            for values in Delivery.objects.filter(claimed_by=token, status=Status.CLAIMED)
            .order_by("recipient_id", "channel", "pk")
            .values_list(*Claimed._fields)
        ]
        deadlines = list(
            Deadline.objects.filter(pk__in={row.deadline_id for row in rows})
            .select_related("responsible_unit")
            .prefetch_related(
                "subject",
                Prefetch("responsible_users", queryset=User.objects.select_related("person")),
            )
        )
        described = {d.pk: describer(d) for d in deadlines}
        recipients = User.objects.select_related("person").in_bulk(
            {row.recipient_id for row in rows if row.recipient_id is not None}
        )
        groups: dict[tuple[str, int | None], list[Claimed]] = defaultdict(list)
        for row in rows:
            groups[row.channel, row.recipient_id].append(row)
        inbox = {key: group for key, group in groups.items() if key[0] == Channel.INBOX}
        _send_inbox(inbox, described, recipients, now, token, result)
        for (channel, recipient_id), group in groups.items():
            if channel != Channel.INBOX:
                recipient = recipients.get(recipient_id) if recipient_id else None
                _send_one(channel, group, described, recipient, now, today, token, result)
    if result.failed:
        result.retry_at = (
            Delivery.objects.filter(status=Status.FAILED)
            .aggregate(at=Min("next_attempt_at"))
            .get("at")
        )
    return result


def _items(group: list[Claimed], described: dict[int, Described]) -> list[channels.Item]:
    return [
        channels.Item(
            described=described[row.deadline_id],
            step=row.step,
            audience="escalation" if row.step == "escalation" else "responsible",
        )
        for row in group
    ]


def _send_inbox(
    groups: dict[tuple[str, int | None], list[Claimed]],
    described: dict[int, Described],
    recipients: dict[int, User],
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
        for (_channel, recipient_id), group in groups.items():
            recipient = recipients[recipient_id or 0]
            pairs.append(
                (channels.inbox_notification(recipient, _items(group, described), now), group)
            )
        created = Notification.objects.bulk_create([message for message, _group in pairs])
        sent = 0
        for message, (_unused, group) in zip(created, pairs, strict=True):
            sent += Delivery.objects.filter(
                pk__in=[row.pk for row in group], claimed_by=token, status=Status.CLAIMED
            ).update(
                notification=message, status=Status.SENT, sent_at=now, attempts=F("attempts") + 1
            )
    result.messages += len(pairs)
    result.sent += sent


def _send_one(
    channel: str,
    group: list[Claimed],
    described: dict[int, Described],
    recipient: User | None,
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
            if recipient is None:
                raise LookupError("the recipient no longer exists")
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

"""The outbox: every message the portal sends that is not a deadline reminder (a meeting
invitation, a notice of a document to sign) goes through the delivery log too.

A caller queues messages inside its own transaction with ``messages_queue`` (or
``message_queue`` for one): one ``Delivery`` row per message, without a deadline, with
the caller's ``key`` (unique per channel: a retry or a double click queues nothing
twice) and the
text as it was written then. Nothing is sent in the request: when the transaction
commits, the ``send_messages`` task is queued with the new rows' ids. It claims each row
with a conditional update (``pending``/due ``failed`` → ``sending``, only the worker
that updated it sends it), sends it and marks it ``sent``; a failure is recorded and
retried with the reminders' backoff (``DEADLINE_RETRY_*``), then ``abandoned``. A worker
that dies while sending leaves the row ``sending``: the reminder scan's recovery marks
it ``unknown`` rather than send it twice. Beat's ``send-messages`` flush sends whatever
a lost task left ``pending``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.deadlines.models import Delivery, Notification
from portal.deadlines.recipients import email_of
from portal.models import User

logger = logging.getLogger(__name__)

Channel = Delivery.Channel
Status = Delivery.Status
CHANNELS = frozenset({Channel.EMAIL, Channel.INBOX})


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Message:
    """One message to one recipient on one channel. `recipient` is a user (an email goes
    to `email_of(user)`), or an address for a person without a login (email only)."""

    key: str
    recipient: User | str
    subject: str
    body: str
    channel: str = Channel.EMAIL
    url: str = ""
    attachments: Sequence[Attachment] = field(default_factory=tuple)


def user_channels() -> list[str]:
    """The channels a message to a user goes by: those of ``DEADLINE_CHANNELS`` the
    outbox sends (the inbox, email)."""
    return [str(c) for c in settings.DEADLINE_CHANNELS if c in CHANNELS]


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0
    abandoned: int = 0
    skipped: int = 0
    # A failed message's id → when to try it again.
    retry: dict[int, dt.datetime] = field(default_factory=dict)


def _row(message: Message, by: User | None, now: dt.datetime) -> Delivery | None:
    """The unsaved row of a message, or None when there is nobody to write to."""
    if message.channel not in CHANNELS:
        raise ValueError(f"the outbox sends email or inbox messages, not {message.channel!r}")
    if not message.key:
        raise ValueError("an outbox message needs a key")
    user = message.recipient if isinstance(message.recipient, User) else None
    if message.channel == Channel.INBOX:
        if user is None:
            raise ValueError("an inbox message goes to a user")
        address = ""
    else:
        address = email_of(user) if user is not None else str(message.recipient).strip()
        if not address:
            return None
    return Delivery(
        key=message.key[:200],
        channel=message.channel,
        recipient=user,
        address=address,
        subject=" ".join(message.subject.split())[:300],  # one line: a header
        body=message.body,
        url=message.url[:300],
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content": base64.b64encode(a.content).decode("ascii"),
            }
            for a in message.attachments
        ]
        or None,
        queued_by=by,
        status=Status.PENDING,
        created_at=now,
    )


@transaction.atomic
def messages_queue(messages: Iterable[Message], *, by: User | None) -> list[int]:
    """Queue messages in the caller's transaction; they are sent once it commits.
    A key queued before (a retry, a double click, a concurrent request) is skipped.
    Returns the ids of the rows queued now. `by` is who caused them (None: the portal)."""
    now = timezone.now()
    ids: list[int] = []
    for message in messages:
        row = _row(message, by, now)
        if row is None or Delivery.objects.filter(key=row.key, channel=row.channel).exists():
            continue
        row.full_clean(exclude=["deadline", "recipient", "queued_by", "notification"])
        try:
            with transaction.atomic():  # a concurrent twin commits first: skip ours
                row.save(force_insert=True)
        except IntegrityError:
            continue
        ids.append(row.pk)
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


def message_queue(
    *,
    key: str,
    recipient: User | str,
    subject: str,
    body: str,
    by: User | None,
    channel: str = Channel.EMAIL,
    url: str = "",
    attachments: Sequence[Attachment] = (),
) -> int | None:
    """Queue one message (see `messages_queue`); its id, or None if it was queued before
    or has nobody to go to."""
    ids = messages_queue(
        [Message(key, recipient, subject, body, channel, url, tuple(attachments))], by=by
    )
    return ids[0] if ids else None


def _enqueue(ids: list[int]) -> None:
    """After the commit: a worker sends them now; with Redis down, beat's flush later."""
    from portal.deadlines.tasks import send_messages
    from portal.tasks import enqueue

    enqueue(send_messages, ids)


# Sending -------------------------------------------------------------------------------


def _ready(now: dt.datetime) -> Q:
    return Q(deadline__isnull=True) & (
        Q(status=Status.PENDING) | Q(status=Status.FAILED, next_attempt_at__lte=now)
    )


def messages_send(
    *, ids: Sequence[int] | None = None, now: dt.datetime | None = None, limit: int | None = None
) -> OutboxResult:
    """Send the given outbox messages, or every one that is ready (pending, or failed
    and due for a retry), each on its own. Safe to run twice at once."""
    now = now or timezone.now()
    result = OutboxResult()
    ready = Delivery.objects.filter(_ready(now))
    if ids is not None:
        ready = ready.filter(pk__in=list(ids))
    for pk in ready.order_by("pk").values_list("pk", flat=True)[: limit or None]:
        _send(pk, now, result)
    return result


def _send(pk: int, now: dt.datetime, result: OutboxResult) -> None:
    token = uuid.uuid4().hex
    # The claim: only the worker whose conditional update changed the row sends it.
    # Its lease starts now, not when the flush began (a long flush must not look dead).
    claimed = Delivery.objects.filter(_ready(now), pk=pk).update(
        status=Status.SENDING,
        claimed_by=token,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        result.skipped += 1
        return
    row = Delivery.objects.select_related("recipient").get(pk=pk)
    if row.channel == Channel.INBOX:
        if row.recipient is None:  # cannot happen: the row goes with its recipient
            raise LookupError(f"outbox message {pk}: an inbox message without a recipient")
        _send_inbox(row, row.recipient, token, now)
        result.sent += 1
        return
    try:
        _send_email(row)
    except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded
        text = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("message %s to %s failed: %s", row.key, row.address, text)
        if row.attempts >= int(settings.DEADLINE_RETRY_MAX_ATTEMPTS):
            status, next_at = Status.ABANDONED, None
            result.abandoned += 1
        else:
            status, next_at = Status.FAILED, now + _backoff(row.attempts)
            result.failed += 1
            result.retry[pk] = next_at
        Delivery.objects.filter(pk=pk, claimed_by=token).update(
            status=status, next_attempt_at=next_at, last_error=text, claimed_by=""
        )
        return
    Delivery.objects.filter(pk=pk, claimed_by=token).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", claimed_by=""
    )
    result.sent += 1


def _backoff(attempts: int) -> dt.timedelta:
    from portal.deadlines.reminders import _backoff as reminders_backoff

    return reminders_backoff(attempts)


def email_message(row: Delivery) -> EmailMultiAlternatives:
    """The email of an outbox row, as it was written when queued."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.address],
    )
    for item in row.attachments or []:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def _send_email(row: Delivery) -> None:
    if not row.address:
        raise LookupError("no address")
    if email_message(row).send(fail_silently=False) != 1:
        raise OSError("the mail backend accepted no message")


def _send_inbox(row: Delivery, recipient: User, token: str, now: dt.datetime) -> None:
    """The inbox message and the row marked sent in one transaction (a worker dying in
    between leaves the row `sending`, which the scan's recovery sets pending again)."""
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=Notification.Kind.MESSAGE,
            created_at=now,
            title=row.subject[:200],
            items=[{"text": row.body, "url": row.url, "level": "", "lines": []}],
            url=row.url,
        )
        Delivery.objects.filter(pk=row.pk, claimed_by=token).update(
            status=Status.SENT,
            sent_at=now,
            notification=notification,
            last_error="",
            claimed_by="",
        )

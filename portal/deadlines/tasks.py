"""Celery tasks of the deadline engine: each takes plain values and calls one service."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction

from portal.deadlines.outbox import OutboxResult, messages_send
from portal.deadlines.reminders import deliveries_send, reminders_scan
from portal.deadlines.services import deadlines_recompute
from portal.tasks import enqueue


def _summary(scan: Any, sent: Any) -> dict[str, int]:
    return {
        "deadlines": scan.deadlines,
        "deliveries": scan.deliveries,
        "overdue": scan.overdue,
        "messages": sent.messages,
        "sent": sent.sent,
        "failed": sent.failed,
        "unknown": sent.unknown,
    }


def _schedule_retry(sent: Any) -> None:
    """A failed send is retried when its backoff has run out (beat would catch it at
    the next scan anyway)."""
    if sent.retry_at is None:
        return
    from django.utils import timezone

    countdown = max(1, int((sent.retry_at - timezone.now()).total_seconds()) + 1)
    transaction.on_commit(lambda: enqueue(send_deliveries, countdown=countdown))


@shared_task(soft_time_limit=240, time_limit=270)
def send_reminders() -> dict[str, int]:
    """Beat's periodic scan: sync period rules, create due reminders, send digests."""
    scan, sent = reminders_scan()
    _schedule_retry(sent)
    return _summary(scan, sent)


@shared_task(soft_time_limit=240, time_limit=270, ignore_result=True)
def send_deliveries() -> dict[str, int]:
    """Send what is pending or due for a retry (no scan)."""
    sent = deliveries_send()
    if sent.failed:
        _schedule_retry(sent)
    return {"messages": sent.messages, "sent": sent.sent, "failed": sent.failed}


@shared_task(soft_time_limit=240, time_limit=270, ignore_result=True)
def recompute_deadlines(year: int) -> int:
    """After a year's holiday schedule changed."""
    return deadlines_recompute(year=year)


def _outbox_summary(result: OutboxResult) -> dict[str, int]:
    return {
        "sent": result.sent,
        "failed": result.failed,
        "abandoned": result.abandoned,
        "skipped": result.skipped,
    }


def _retry_messages(result: OutboxResult) -> None:
    """Each failed message is tried again when its backoff has run out (beat's flush
    would catch it anyway)."""
    from django.utils import timezone

    now = timezone.now()
    for pk, at in result.retry.items():
        countdown = max(1, int((at - now).total_seconds()) + 1)
        enqueue(send_messages, [pk], countdown=countdown)


@shared_task(soft_time_limit=120, time_limit=150, ignore_result=True)
def send_messages(delivery_ids: list[int]) -> dict[str, int]:
    """Send outbox messages just queued (``portal.deadlines.outbox``), by id."""
    result = messages_send(ids=delivery_ids)
    _retry_messages(result)
    return _outbox_summary(result)


@shared_task(soft_time_limit=240, time_limit=270)
def flush_messages() -> dict[str, int]:
    """Beat's flush: every outbox message still pending (its task was lost) or due for
    a retry."""
    result = messages_send()
    _retry_messages(result)
    return _outbox_summary(result)

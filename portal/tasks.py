"""Tasks shared by the whole portal."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task(soft_time_limit=20, time_limit=30)
def ping(value: str) -> str:
    """A trivial round trip: proves a worker is consuming the broker."""
    return f"pong:{value}"


@shared_task(soft_time_limit=20, time_limit=30)
def heartbeat() -> str:
    """Run by beat; records when the worker last ran a scheduled job."""
    stamp = timezone.now().isoformat()
    cache.set("portal:heartbeat", stamp, timeout=None)
    return stamp

"""Periodic jobs of the liaisons app."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from liaisons.roles import liaison_roles_sync, persons_with_changes


@shared_task(soft_time_limit=60, time_limit=90)
def sync_liaison_roles() -> int:
    """Daily: the logins of liaisons and publicity members get (or lose) their role on
    the day an appointment entered in advance starts or ends. Idempotent."""
    today = timezone.localdate()
    return liaison_roles_sync(person_ids=persons_with_changes(today), today=today)

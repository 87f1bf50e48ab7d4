"""Periodic jobs of the leading group."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from groups.selectors import persons_with_seat_changes
from groups.services import login_roles_sync


@shared_task(soft_time_limit=60, time_limit=90)
def sync_roster_roles() -> int:
    """Daily: people whose seat began or ended in the last week get the login roles their
    seats give today (a seat entered in advance takes effect on its day). Idempotent:
    running it twice changes nothing the second time."""
    today = timezone.localdate()
    return login_roles_sync(person_ids=persons_with_seat_changes(today), today=today)

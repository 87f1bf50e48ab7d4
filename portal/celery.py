"""The Celery application: configured from Django settings (CELERY_*), tasks discovered
from every installed app's tasks.py. Periodic schedules are defined here, in one place,
and synced into django-celery-beat's tables so the office can see them in the admin."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _seconds(name: str, default: int) -> float:
    # Read from the environment directly: this module loads before Django's settings.
    raw = os.environ.get(name, "").strip()
    try:
        return float(int(raw)) if raw else float(default)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number of seconds, got {raw!r}") from None


# Beat schedule: every periodic job of the portal, by name.
app.conf.beat_schedule = {
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 300.0},
    # The deadline engine's scan: reminders, overdue notices, escalations (portal.deadlines).
    "send-reminders": {
        "task": "portal.deadlines.tasks.send_reminders",
        "schedule": _seconds("DEADLINE_SCAN_INTERVAL_SECONDS", 600),
    },
    # The outbox's flush: messages a lost task left pending, failed ones due for a retry.
    "send-messages": {
        "task": "portal.deadlines.tasks.flush_messages",
        "schedule": _seconds("OUTBOX_FLUSH_INTERVAL_SECONDS", 300),
    },
    # Export files past EXPORT_EXPIRY_DAYS are deleted, their jobs marked expired.
    "exports-expire": {
        "task": "portal.exportjobs.tasks.expire_exports",
        "schedule": crontab(minute=40),
    },
    # Seats entered in advance give or take login roles on their day (groups).
    "groups-sync-roster-roles": {
        "task": "groups.tasks.sync_roster_roles",
        "schedule": crontab(hour=0, minute=20),
    },
    # Liaisons and publicity members get or lose their login role on their day (liaisons).
    "liaisons-sync-roles": {
        "task": "liaisons.tasks.sync_liaison_roles",
        "schedule": crontab(hour=0, minute=25),
    },
}

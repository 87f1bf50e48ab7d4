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

# Beat schedule: every periodic job of the portal, by name.
app.conf.beat_schedule = {
    "heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 300.0},
    # Seats entered in advance give or take login roles on their day (groups).
    "groups-sync-roster-roles": {
        "task": "groups.tasks.sync_roster_roles",
        "schedule": crontab(hour=0, minute=20),
    },
}

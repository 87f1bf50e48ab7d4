"""A form posted twice acts once.

A double click, a second tab or a resent request posts the same form again within
moments. A service that creates a record looks for the same record created by the same
user since `repeat_since()` and returns it instead of creating a second one (with the
row lock it takes, the posts take turns, so the second finds the first).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# A second identical post this soon after the first is the same click twice.
REPEAT_WINDOW = dt.timedelta(minutes=2)


def repeat_since(now: dt.datetime | None = None) -> dt.datetime:
    """The moment after which an identical record by the same user is a repeat."""
    return (now or timezone.now()) - REPEAT_WINDOW

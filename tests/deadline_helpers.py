"""Helpers shared by the deadline and reminder tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from portal.deadlines.models import Deadline, Delivery
from portal.deadlines.services import deadline_open

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment in the college's local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def open_item(
    unit, due: dt.date, *, title: str = "落实会议决定", subject=None, now=None, **extra
) -> Deadline:
    """A follow-up item (督办事项) of `unit`; its subject is the unit unless given (a
    subject has one deadline per rule)."""
    return deadline_open(
        rule="action_item",
        subject=subject or unit,
        title=title,
        due=due,
        responsible_unit=unit,
        now=now,
        **extra,
    )


def sent_steps(deadline: Deadline, channel: str = "inbox") -> list[tuple[str, str]]:
    """(step, recipient username) of a deadline's deliveries on a channel, in order."""
    rows = Delivery.objects.filter(deadline=deadline, channel=channel).order_by("pk")
    return [(row.step, row.recipient.username if row.recipient else "") for row in rows]

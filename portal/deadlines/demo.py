"""The deadline engine's part of ``seed_demo``: after every app has seeded its records
and opened its deadlines (the meetings app's follow-up items in every colour of the
light, one met, one waived, one with an extension request waiting for a leader), one
reminder scan opens the period rules now running and sends the inbox messages that
have come due. Runs last (``DeadlinesConfig.demo_order``); safe to run again."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from portal.deadlines.models import Deadline, ExtensionRequest, Notification
from portal.deadlines.reminders import reminders_scan
from portal.models import Unit, User
from portal.workdays import WorkdayCalendar


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """Scan once (inbox only: no email from demo data); a one-line summary."""
    reminders_scan(now=timezone.now(), channels_=["inbox"])
    counts = _summary(today)
    return (
        f"期限：逾期 {counts.get('red', 0)} 个，临近 {counts.get('yellow', 0)} 个，"
        f"正常 {counts.get('green', 0)} 个，已完成 {counts.get('met', 0)} 个；"
        f"待审批延期申请 {counts.get('pending_extensions', 0)} 份，"
        f"站内消息 {counts.get('messages', 0)} 条。"
    )


def _summary(today: dt.date) -> dict[str, int]:
    calendar = WorkdayCalendar()
    yellow = calendar.add_workdays(today, 3).date
    counts: Counter[str] = Counter()
    for deadline in Deadline.objects.all():
        light = deadline.light(today, yellow)
        counts[light or deadline.state] += 1
    counts["pending_extensions"] = ExtensionRequest.objects.filter(decision="pending").count()
    counts["messages"] = Notification.objects.count()
    return dict(counts)

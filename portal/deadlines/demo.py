"""Demo deadlines for ``seed_demo``: follow-up items of the branches in every colour of
the light (red, yellow, green), one met, one waived, one with an extension request
waiting for a leader, the period rules now running, and the inbox messages a scan
sends. Dates follow today; safe to run again (every step is idempotent)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from portal.deadlines.models import Deadline, ExtensionRequest, Notification
from portal.deadlines.reminders import reminders_scan
from portal.deadlines.rules import ACTION_ITEM
from portal.deadlines.services import (
    deadline_extend_request,
    deadline_meet,
    deadline_open,
    deadline_waive,
)
from portal.models import Unit, User
from portal.workdays import WorkdayCalendar


@dataclass(frozen=True)
class DemoItem:
    unit: str  # responsible unit, also the subject
    title: str
    workdays: int  # due date: this many working days from today (negative: overdue)
    then: str = ""  # "met", "waived", "extension"


ITEMS: tuple[DemoItem, ...] = (
    DemoItem("机电工程学院党总支", "报送党外代表人士信息更新表", -4),
    DemoItem("经济管理学院党总支", "落实领导小组全体会议关于统战联络员调整的决定", 2),
    DemoItem("信息工程学院党总支", "组织党外知识分子座谈会并报送情况", 25),
    DemoItem("艺术设计学院党总支", "提交统战工作经验交流材料", 8, then="met"),
    DemoItem("国际商务学院党总支", "报送留学归国人员联谊会筹备方案", 12, then="waived"),
    DemoItem("机电工程学院", "完成党外代表人士队伍建设调研报告", 3, then="extension"),
)


def seed_deadlines(units: dict[str, Unit], logins: dict[str, User]) -> dict[str, int]:
    """Create the demo deadlines and messages; returns counts by what a user sees."""
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = WorkdayCalendar()
    for item in ITEMS:
        unit = units[item.unit]
        due = calendar.add_workdays(today, item.workdays).date if item.workdays else today
        deadline = deadline_open(
            rule=ACTION_ITEM, subject=unit, title=item.title, due=due, responsible_unit=unit
        )
        if item.then == "met":
            deadline_meet(rule=ACTION_ITEM, subject=unit, by=logins["office"])
        elif item.then == "waived" and not deadline.is_closed:
            deadline_waive(
                deadline=deadline, by=logins["office"], reason="上级通知本年度该项工作暂缓开展"
            )
        elif item.then == "extension" and not deadline.extension_requests.exists():
            deadline_extend_request(
                deadline=deadline,
                by=logins["commissioner"],
                requested_due=calendar.add_workdays(due, 10).date,
                reason="调研涉及的党外代表人士多在外地参加培训，需延后座谈。",
            )
    # The period rules open what is running today, and the reminders that have come go
    # to the inbox (no email from demo data).
    reminders_scan(now=now, channels_=["inbox"])
    return _summary(today)


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

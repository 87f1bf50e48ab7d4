"""The meetings app's deadline rules, registered from ``MeetingsConfig.ready()``.

- The meeting quotas (rules 1–2): a plenary meeting a calendar year, an office meeting a
  semester. Period rules: every reminder scan calls their ``sync(today)``, which opens
  the period now running; recording a meeting's attendance meets its period's quota
  (``deadline_meet(rule=…, period=…)`` in ``meetings.services``).
- The minutes (rule 3): opened for a meeting with
  ``deadline_open(rule=MINUTES, subject=meeting, after=meeting.date)``, met when the
  minutes are issued.
- The follow-up items: ``deadline_open(rule=ACTION_ITEM, subject=item, due=…,
  responsible_unit=…)``, met when the office closes the item.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.deadlines import periods
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_open_period

PLENARY_MEETING_QUOTA = "plenary_meeting_quota"
OFFICE_MEETING_QUOTA = "office_meeting_quota"
MINUTES = "minutes_issue"
ACTION_ITEM = "action_item"

OFFICE = _("领导小组办公室")


def plenary_quota_due(period: str) -> dt.date:
    return dt.date(int(period), 12, 31)


def plenary_quota_sync(today: dt.date) -> None:
    deadline_open_period(rule=PLENARY_MEETING_QUOTA, period=str(today.year))


def office_quota_due(period: str) -> dt.date:
    return periods.semester_by_key(period).end


def office_quota_sync(today: dt.date) -> None:
    deadline_open_period(rule=OFFICE_MEETING_QUOTA, period=periods.semester_of(today).key)


def minutes_workdays() -> int:
    return int(settings.DEADLINE_MINUTES_WORKDAYS)


RULES = (
    Rule(
        code=PLENARY_MEETING_QUOTA,
        label=_("领导小组全体会议"),
        description=_("每年至少召开1次领导小组全体会议；年底前尚未召开时提醒。"),
        responsible_label=OFFICE,
        offsets=(20, 10, 5, 1),
        period_due=plenary_quota_due,
        sync=plenary_quota_sync,
        period_label=periods.year_label,
    ),
    Rule(
        code=OFFICE_MEETING_QUOTA,
        label=_("办公室会议"),
        description=_("每学期至少召开1次办公室会议；学期结束前尚未召开时提醒。"),
        responsible_label=OFFICE,
        offsets=(15, 5, 1),
        period_due=office_quota_due,
        sync=office_quota_sync,
        period_label=periods.semester_label,
    ),
    Rule(
        code=MINUTES,
        label=_("会议纪要报审印发"),
        description=_("每次会议形成纪要，会后规定工作日内报审、印发。"),
        responsible_label=OFFICE,
        workdays=minutes_workdays,
    ),
    Rule(
        code=ACTION_ITEM,
        label=_("督办事项"),
        description=_("领导小组会议决定事项，由责任单位在督办期限内落实并报告。"),
    ),
)


def register_rules() -> None:
    for rule in RULES:
        register(rule, replace=True)

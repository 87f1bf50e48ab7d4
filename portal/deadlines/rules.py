"""The rules declared from day one (domain rules 1–5 and the follow-up items).

Period rules (the annual report, the work points, the meeting quotas) open their own
deadlines: every scan calls their ``sync(today)``, which opens the period now running
(once; a met or waived period is left alone). The office is responsible for them.
The meetings app reports a quota as met with ``deadline_meet(rule=…, period=…)``.

The minutes and follow-up rules are declared here and opened by the meetings app:
``deadline_open(rule=MINUTES, subject=meeting, after=meeting.date)`` and
``deadline_open(rule=ACTION_ITEM, subject=item, due=item.due, responsible_unit=…)``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines import periods
from portal.deadlines.models import Deadline
from portal.deadlines.registry import Rule, register

ANNUAL_REPORT = "annual_report"
WORK_POINTS = "work_points"
PLENARY_MEETING_QUOTA = "plenary_meeting_quota"
OFFICE_MEETING_QUOTA = "office_meeting_quota"
MINUTES = "minutes_issue"
ACTION_ITEM = "action_item"

OFFICE = _("领导小组办公室")


def _open_period(rule: str, period: str) -> None:
    from portal.deadlines.services import deadline_open

    exists = Deadline.objects.filter(rule=rule, period=period, object_id__isnull=True).exists()
    if not exists:
        deadline_open(rule=rule, period=period)


# Annual report upward: before 15 January, for the previous year (rule 4). ------------


def annual_report_due(period: str) -> dt.date:
    return dt.date(int(period) + 1, 1, 15)


def annual_report_sync(today: dt.date) -> None:
    """The report on year Y is open from 1 December Y to its due date, 15 January Y+1."""
    for year in (today.year - 1, today.year):
        if dt.date(year, 12, 1) <= today <= annual_report_due(str(year)):
            _open_period(ANNUAL_REPORT, str(year))


# Work points: drafted January–March, reviewed and issued by 31 March (rule 5). -------


def work_points_due(period: str) -> dt.date:
    return dt.date(int(period), 3, 31)


def work_points_sync(today: dt.date) -> None:
    if today <= work_points_due(str(today.year)):
        _open_period(WORK_POINTS, str(today.year))


# Meeting quotas: a plenary meeting a calendar year, an office meeting a semester. ----


def plenary_quota_due(period: str) -> dt.date:
    return dt.date(int(period), 12, 31)


def plenary_quota_sync(today: dt.date) -> None:
    _open_period(PLENARY_MEETING_QUOTA, str(today.year))


def office_quota_due(period: str) -> dt.date:
    return periods.semester_by_key(period).end


def office_quota_sync(today: dt.date) -> None:
    _open_period(OFFICE_MEETING_QUOTA, periods.semester_of(today).key)


def minutes_workdays() -> int:
    return int(settings.DEADLINE_MINUTES_WORKDAYS)


RULES = (
    Rule(
        code=ANNUAL_REPORT,
        label=_("年度工作汇报"),
        description=_(
            "每年1月15日前向上级统一战线工作领导小组办公室、上级党委统一战线工作领导小组汇报上一年工作。"
        ),
        responsible_label=OFFICE,
        period_due=annual_report_due,
        sync=annual_report_sync,
        period_label=periods.year_label,
        action_url=lambda deadline: reverse("annual_report_list"),  # where it is written
    ),
    Rule(
        code=WORK_POINTS,
        label=_("年度工作要点"),
        description=_("每年1—3月起草领导小组工作要点，3月31日前报审印发。"),
        responsible_label=OFFICE,
        period_due=work_points_due,
        sync=work_points_sync,
        period_label=periods.year_label,
        action_url=lambda deadline: reverse("work_points_index"),  # where it is drafted
    ),
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


def register_builtin_rules() -> None:
    for rule in RULES:
        register(rule, replace=True)

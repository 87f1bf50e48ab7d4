"""The inspections app's deadline rules (`portal.deadlines.registry`).

`rectification_due`: a rectification's due date, set by the office when it assigns it;
the owner unit is reminded before it, an overdue one escalates to the leader in charge,
and the unit asks for an extension on the deadline's page as for any deadline (a
granted one moves the rectification's due date too: the deadline is its one source).
Closing (销号) meets it; cancelling waives it.

`admonition_report`: the admonished unit's written report, 20 working days after the talk.

`supervision_report`: a supervision case's report, 20 working days after its period
ends (provisional while that year's holidays are not entered; the engine recomputes it);
opened when the plan is approved, met when the report is issued, waived by 撤销.

`research_report`: the research-guidance visit's report (调研指导报告), due within one
calendar month of the visit's end (`research_report_due`), on the office; met when the
report goes to the group, waived when the visit is cancelled. `research_topic_due`: a
research topic's optional due date (调研课题), on the taking unit; met by the outcome,
waived when the topic is dropped."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines.registry import Rule, register

RECTIFICATION_DUE = "rectification_due"
ADMONITION_REPORT = "admonition_report"
SUPERVISION_REPORT = "supervision_report"
RESEARCH_REPORT = "research_report"
RESEARCH_TOPIC_DUE = "research_topic_due"


def supervision_report_workdays() -> int:
    """Working days after a supervision case's period ends by which its report is made
    (000 §三(六): 20; `INSPECTION_SUPERVISION_REPORT_WORKDAYS`)."""
    return int(getattr(settings, "INSPECTION_SUPERVISION_REPORT_WORKDAYS", 20))


def research_report_due(ended_on: dt.date) -> dt.date:
    """调研指导结束后1个月内: the same day of the next month, or that month's last day
    when it has no such day (31 January → 28 February, or 29 in a leap year; 31 March →
    30 April; 31 December → 31 January of the next year)."""
    year, month = (
        (ended_on.year + 1, 1) if ended_on.month == 12 else (ended_on.year, ended_on.month + 1)
    )
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(ended_on.day, last))


def admonition_report_workdays() -> int:
    """Working days after an admonition talk by which the unit reports its
    self-inspection and rectification in writing (the seed says only 按时; 20 by
    default, `INSPECTION_ADMONITION_REPORT_WORKDAYS`)."""
    return int(getattr(settings, "INSPECTION_ADMONITION_REPORT_WORKDAYS", 20))


def register_rules() -> None:
    register(
        Rule(
            code=SUPERVISION_REPORT,
            label=_("督查报告"),
            description=_(
                "督促检查结束后20个工作日内形成督查报告，呈领导小组组长和副组长审阅，"
                "并视情报校党委；报告印发即完成。"
            ),
            responsible_label=_("领导小组办公室"),
            workdays=supervision_report_workdays,
            offsets=(10, 5, 2, 0),
            action_url=lambda deadline: reverse("supervision_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=RECTIFICATION_DUE,
            label=_("整改时限"),
            description=_(
                "整改单位在时限内落实各项整改措施并报告完成情况，办公室逐项核验后销号；"
                "逾期未完成的报分管领导。"
            ),
            responsible_label=_("整改单位"),
            offsets=(10, 3, 0),
            action_url=lambda deadline: reverse("rectification_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=ADMONITION_REPORT,
            label=_("约谈整改报告"),
            description=_(
                "被通报约谈的单位对照存在问题自查自纠，按时将整改落实情况书面报领导小组办公室。"
            ),
            responsible_label=_("约谈单位"),
            workdays=admonition_report_workdays,
            offsets=(5, 2, 0),
            action_url=lambda deadline: reverse("admonition_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=RESEARCH_REPORT,
            label=_("调研指导报告"),
            description=_(
                "调研指导结束后1个月内，领导小组办公室形成报告报领导小组，并视情报上级部门。"
            ),
            responsible_label=_("领导小组办公室"),
            offsets=(5, 2, 0),
            action_url=lambda deadline: reverse("research_visit_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=RESEARCH_TOPIC_DUE,
            label=_("调研课题完成时限"),
            description=_("承担单位或党外人士按时完成调研课题，报送研究成果。"),
            responsible_label=_("承担单位"),
            offsets=(10, 3, 0),
            action_url=lambda deadline: reverse("research_topic_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )

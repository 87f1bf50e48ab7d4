"""The reports app's deadline rule, registered from ``ReportsConfig.ready()``.

The annual report upward (rule 4): before 15 January, on the previous year. It is a
period rule: every reminder scan calls ``annual_report_sync(today)``, which opens the
year being reported on from 1 December; issuing the report meets it
(``reports.services.annual_report_issued``). The performance report's deadline is
opened per report by the review round; the inspection self-report's when the office
records the inspection (``reports.services.self_report_create``), met when issued.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines import periods
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_open_period

ANNUAL_REPORT = "annual_report"
PERFORMANCE_REPORT = "performance_report"
INSPECTION_SELF_REPORT = "inspection_self_report"


def annual_report_due(period: str) -> dt.date:
    return dt.date(int(period) + 1, 1, 15)


def annual_report_sync(today: dt.date) -> None:
    """The report on year Y is open from 1 December Y to its due date, 15 January Y+1."""
    for year in (today.year - 1, today.year):
        if dt.date(year, 12, 1) <= today <= annual_report_due(str(year)):
            deadline_open_period(rule=ANNUAL_REPORT, period=str(year))


RULES = (
    Rule(
        code=ANNUAL_REPORT,
        label=_("年度工作汇报"),
        description=_(
            "每年1月15日前向上级统一战线工作领导小组办公室、上级党委统一战线工作领导小组汇报上一年工作。"
        ),
        responsible_label=_("领导小组办公室"),
        period_due=annual_report_due,
        sync=annual_report_sync,
        period_label=periods.year_label,
        action_url=lambda deadline: reverse("annual_report_list"),  # where it is written
    ),
    Rule(
        code=PERFORMANCE_REPORT,
        label=_("述职报告"),
        description=_(
            "成员单位按述职评议通知，向领导小组报告贯彻落实《工作要点》和履行统战工作职责情况，"
            "经单位负责人确认后报送。"
        ),
        responsible_label=_("述职单位"),
        offsets=(7, 3, 1, 0),
        action_url=lambda deadline: reverse("performance_report_detail", args=[deadline.object_id]),
    ),
    Rule(
        code=INSPECTION_SELF_REPORT,
        label=_("督查汇报提纲"),
        description=_(
            "上级部署督查时，领导小组办公室按通知要求起草工作情况汇报提纲，"
            "经组长签发后在截止日期前报送督查组。"
        ),
        responsible_label=_("领导小组办公室"),
        offsets=(7, 3, 1, 0),
        action_url=lambda deadline: reverse("self_report_detail", args=[deadline.object_id]),
    ),
)


def register_rules() -> None:
    for rule in RULES:
        register(rule, replace=True)

"""The research topics (调研课题) as a workbook: the rows the user may see, filtered as
on the page (text that looks like a formula stays text: `portal.spreadsheets`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.models import ResearchTopic
from portal.deadlines.display import LIGHT_TEXT
from portal.spreadsheets import build_xlsx

HEADERS_AND_WIDTHS = (
    (gettext_lazy("年度"), 8),
    (gettext_lazy("课题名称"), 30),
    (gettext_lazy("课题来源"), 24),
    (gettext_lazy("承担单位或承担人"), 20),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("完成时限"), 12),
    (gettext_lazy("时限情况"), 10),
    (gettext_lazy("成果形式"), 10),
    (gettext_lazy("研究成果"), 40),
    (gettext_lazy("结题日期"), 12),
    (gettext_lazy("报上级部门日期"), 12),
    (gettext_lazy("获奖情况"), 24),
)


def topics_xlsx(topics: Iterable[ResearchTopic], *, today: dt.date, yellow_until: dt.date) -> bytes:
    """`topics` with their unit, figure, work-points item and deadline joined (one
    query)."""
    rows = []
    for topic in topics:
        deadline = topic.deadline
        light = deadline.light(today, yellow_until) if deadline else None
        item = topic.work_points_item
        origin = f"{item.number}. {item.title}" if item is not None else topic.origin
        rows.append(
            [
                topic.year,
                topic.title,
                origin,
                topic.taker_name,
                topic.state_label,
                deadline.due if deadline else None,
                str(LIGHT_TEXT[light]) if light and topic.state == "assigned" else "",
                topic.outcome_kind_label,
                topic.outcome,
                topic.completed_on,
                topic.sent_upward_on,
                topic.award,
            ]
        )
    return build_xlsx(
        title=_("调研课题"),
        headers=[str(header) for header, _width in HEADERS_AND_WIDTHS],
        rows=rows,
        widths=[width for _header, width in HEADERS_AND_WIDTHS],
    )

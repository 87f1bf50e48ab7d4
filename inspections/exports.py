"""The rectification list as a workbook (the office reports it upward): the rows the user
may see, filtered as on the page, each with its measures and their states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.models import Measure, Rectification
from portal.deadlines.display import LIGHT_TEXT
from portal.spreadsheets import build_xlsx

HEADERS_AND_WIDTHS = (
    (gettext_lazy("交办日期"), 12),
    (gettext_lazy("整改单位"), 20),
    (gettext_lazy("整改事项"), 30),
    (gettext_lazy("问题来源"), 10),
    (gettext_lazy("存在问题"), 40),
    (gettext_lazy("整改措施"), 50),
    (gettext_lazy("已核验/总数"), 10),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("整改时限"), 12),
    (gettext_lazy("时限情况"), 10),
    (gettext_lazy("销号或撤销日期"), 12),
    (gettext_lazy("销号意见或撤销原因"), 30),
)


def rectifications_xlsx(
    rectifications: Iterable[Rectification], *, today: dt.date, yellow_until: dt.date
) -> bytes:
    """`rectifications` with their measures prefetched (`measures`) and deadline joined."""
    rows = []
    for rectification in rectifications:
        measures: list[Measure] = list(rectification.measures.all())
        accepted = sum(m.state == Measure.State.ACCEPTED for m in measures)
        deadline = rectification.deadline
        light = deadline.light(today, yellow_until) if deadline else None
        rows.append(
            [
                rectification.opened_on,
                rectification.unit.name,
                rectification.title,
                rectification.source_label,
                rectification.problem,
                "\n".join(f"{m.position}. {m.text}（{m.state_label}）" for m in measures),
                f"{accepted}/{len(measures)}",
                rectification.state_label,
                deadline.due if deadline else None,
                str(LIGHT_TEXT[light]) if light else "",
                rectification.closed_on,
                rectification.conclusion,
            ]
        )
    return build_xlsx(
        title=_("整改落实"),
        headers=[str(header) for header, _width in HEADERS_AND_WIDTHS],
        rows=rows,
        widths=[width for _header, width in HEADERS_AND_WIDTHS],
    )

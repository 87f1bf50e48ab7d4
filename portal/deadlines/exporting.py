"""The deadlines list as a registered export (`portal.exports`): the list view and the
export build their rows with `deadline_filter_for`, the list's scope and filter."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import exports
from portal.deadlines import selectors
from portal.deadlines.display import Describer
from portal.deadlines.filters import DeadlineFilter
from portal.deadlines.models import Deadline
from portal.models import Role
from portal.permissions import has_role
from portal.selectors import units_for_user
from portal.workdays import WorkdayCalendar, current_calendar


def calendar_for(deadlines: list[Deadline]) -> WorkdayCalendar:
    """A calendar with every year the rows need loaded at once (one query)."""
    today = timezone.localdate()
    calendar = current_calendar()
    years = {today.year, today.year + 1} | {d.due.year for d in deadlines}
    calendar.preload(range(min(years) - 1, max(years) + 2))
    return calendar


def deadline_filter_for(user: Any, params: QueryDict) -> DeadlineFilter:
    """The deadlines list's scope (`deadlines_for_user`) under its filter, in its order."""
    deadlines = selectors.with_display(selectors.deadlines_for_user(user))
    return DeadlineFilter(
        params,
        queryset=deadlines.order_by("due", "pk"),
        units=units_for_user(user),
        today=timezone.localdate(),
    )


def _rows(deadlines: Any) -> Any:
    # One calendar for every due date of the export (two queries), one describer; the
    # prefetches run per chunk of 2,000 (memory stays flat on a long export).
    today = timezone.localdate()
    span = deadlines.order_by().aggregate(first=Min("due"), last=Max("due"))
    calendar = current_calendar()
    years = {today.year, today.year + 1} | {d.year for d in span.values() if d is not None}
    calendar.preload(range(min(years) - 1, max(years) + 2))
    describer = Describer(today, calendar)
    for deadline in deadlines.iterator(chunk_size=2000):
        d = describer(deadline)
        yield [
            d.title,
            d.rule_label,
            d.responsible,
            d.due,
            deadline.original_due,
            deadline.get_state_display(),
            d.remaining,
            exports.local_date(deadline.closed_at),
        ]


def _declare(user: Any) -> exports.Export:
    return exports.Export(
        name=_("期限"),
        title=_("期限"),
        columns=[
            (_("事项"), 40),
            (_("规则"), 20),
            (_("责任单位/人"), 24),
            (_("期限"), 12),
            (_("原定期限"), 12),
            (_("状态"), 10),
            (_("剩余"), 16),
            (_("办结日期"), 12),
        ],
        rows=_rows,
    )


def _allowed(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and has_role(user, *Role.values)


exports.register(
    "deadlines",
    url_name="deadline_export",
    declare=_declare,
    queryset=lambda user, params: deadline_filter_for(user, params).qs,
    allowed=_allowed,
)

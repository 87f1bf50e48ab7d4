"""The deadline engine's part of "我的待办": the user's open deadlines with their
three-colour light, deadlines escalated to a leader, and extension requests waiting for
a leader's decision."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.deadlines import selectors
from portal.deadlines.display import LIGHT_LEVEL, Describer
from portal.todos import Todo, provider
from portal.workdays import current_calendar

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


# The home page lists this many of each kind, the most urgent first, and links to the
# deadline list for the rest (the office may answer for thousands).
TODO_LIMIT = 20


@provider
def deadline_todos(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    deadlines = list(selectors.my_open_deadlines(user).order_by("due", "pk")[: TODO_LIMIT + 1])
    requests = list(
        selectors.pending_extensions_for(user).order_by("current_due", "pk")[: TODO_LIMIT + 1]
    )
    if not deadlines and not requests:
        return []
    more = len(deadlines) > TODO_LIMIT or len(requests) > TODO_LIMIT
    deadlines, requests = deadlines[:TODO_LIMIT], requests[:TODO_LIMIT]
    calendar = current_calendar()
    years = {today.year} | {d.due.year for d in deadlines}
    calendar.preload(range(min(years) - 1, max(years) + 2))
    describer = Describer(today, calendar)
    items = []
    for deadline in deadlines:
        d = describer(deadline)
        detail = _("%(remaining)s；责任方：%(who)s") % {
            "remaining": d.remaining,
            "who": d.responsible,
        }
        if getattr(deadline, "escalated_to_me", False):
            detail = _("逾期督办：") + detail
        if getattr(deadline, "has_pending_extension", False):
            detail += _("；延期申请审批中")
        if d.provisional:
            detail += _("（期限暂定）")
        items.append(
            Todo(
                title=d.title,
                detail=detail,
                url=deadline.get_absolute_url(),
                due=d.due,
                level=LIGHT_LEVEL[d.light],
            )
        )
    for request in requests:
        items.append(
            Todo(
                title=_("审批延期申请：%(d)s") % {"d": request.deadline},
                detail=_("%(who)s申请由%(old)s延至%(new)s。理由：%(reason)s")
                % {
                    "who": request.requested_by.display_name,
                    "old": f"{request.current_due:%Y-%m-%d}",
                    "new": f"{request.requested_due:%Y-%m-%d}",
                    "reason": request.reason,
                },
                url=request.get_absolute_url(),
                due=request.current_due,
                level="warning",
            )
        )
    if more:
        items.append(
            Todo(
                title=_("还有更多期限和延期申请"),
                detail=_("这里只列出最紧急的%(n)d项，其余请在“期限”页查看。") % {"n": TODO_LIMIT},
                url=reverse("deadline_list"),
            )
        )
    return items

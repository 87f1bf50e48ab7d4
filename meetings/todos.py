"""“我的待办” for follow-up items (督办事项), the office's part: the overdue ones and
those reported done, waiting to be closed. One query.

The owner unit's open items are not listed here: each is a deadline of the engine
(``action_item``), which the deadline to-dos already list for the unit's commissioner
and members with their light and working days left; listing them here too showed each
item twice."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from meetings.models import FollowUpItem
from portal.permissions import is_office
from portal.todos import Todo, provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

Status = FollowUpItem.Status
LIMIT = 20


@provider
def follow_up_todos(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not is_office(user):
        return []
    wanted = Q(status=Status.REPORTED) | Q(pk__in=FollowUpItem.objects.overdue(today).values("pk"))
    rows = list(
        FollowUpItem.objects.with_deadline()
        .filter(wanted)
        .select_related("owner_unit")
        .order_by("deadline__due", "pk")[:LIMIT]
    )
    return [_todo(item) for item in rows]


def _todo(item: FollowUpItem) -> Todo:
    if item.status == Status.REPORTED:
        title, level = _("督办事项待办结"), "warning"
    else:  # the office sees the others only once overdue
        title, level = _("督办事项已逾期"), "danger"
    return Todo(
        title=f"{title}：{item.task[:40]}",
        detail=_("%(unit)s · 期限%(due)s · %(status)s")
        % {"unit": item.owner_unit.name, "due": item.due, "status": item.get_status_display()},
        url=item.get_absolute_url(),
        due=item.due,
        level=level,
    )

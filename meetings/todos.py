"""“我的待办” for follow-up items (督办事项): the owner unit's open items (its
commissioner and members), and for the office the overdue ones and those reported done,
waiting to be closed. One query per user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from meetings.models import FollowUpItem
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids
from portal.todos import Todo, provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

Status = FollowUpItem.Status
LIMIT = 20


@provider
def follow_up_todos(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not user.is_authenticated:
        return []
    wanted = Q(pk__in=[])
    if is_office(user):
        wanted |= Q(status=Status.REPORTED) | Q(
            pk__in=FollowUpItem.objects.overdue(today).values("pk")
        )
    if has_role(user, Role.COMMISSIONER, Role.MEMBER):
        units = own_unit_ids(user)
        if units:
            wanted |= Q(owner_unit_id__in=units, status__in=[Status.OPEN, Status.IN_PROGRESS])
    rows = list(
        FollowUpItem.objects.with_deadline()
        .filter(wanted)
        .select_related("owner_unit")
        .order_by("deadline__due", "pk")[:LIMIT]
    )
    return [_todo(item, today) for item in rows]


def _todo(item: FollowUpItem, today: dt.date) -> Todo:
    if item.status == Status.REPORTED:
        title, level = _("督办事项待办结"), "warning"
    elif item.is_overdue:
        title, level = _("督办事项已逾期"), "danger"
    else:
        soon = item.due is not None and (item.due - today).days <= 7
        title, level = _("督办事项待落实"), "warning" if soon else "info"
    return Todo(
        title=f"{title}：{item.task[:40]}",
        detail=_("%(unit)s · 期限%(due)s · %(status)s")
        % {"unit": item.owner_unit.name, "due": item.due, "status": item.get_status_display()},
        url=item.get_absolute_url(),
        due=item.due,
        level=level,
    )

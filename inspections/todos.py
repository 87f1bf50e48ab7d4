"""“我的待办” for supervision cases: a plan waiting for approval, for the group leader
and the deputy it was delegated to. One query, for leaders only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from inspections.models import SupervisionCase
from portal.documents.permissions import is_group_leader
from portal.models import Role
from portal.permissions import has_role
from portal.todos import Todo, provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIMIT = 20


@provider
def plans_to_approve(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not has_role(user, Role.LEADER):
        return []
    mine = Q(delegate_id=user.pk)
    if is_group_leader(user):
        mine |= Q(delegate__isnull=True)
    rows = SupervisionCase.objects.filter(mine, state=SupervisionCase.State.SUBMITTED).order_by(
        "period_start", "id"
    )[:LIMIT]
    return [
        Todo(
            title=_("批准督查方案：%(title)s") % {"title": case.title},
            detail=_("督查期间 %(start)s 至 %(end)s")
            % {"start": f"{case.period_start:%Y-%m-%d}", "end": f"{case.period_end:%Y-%m-%d}"},
            url=case.get_absolute_url(),
            due=case.period_start,
            level="warning" if case.period_start <= today else "info",
        )
        for case in rows
    ]

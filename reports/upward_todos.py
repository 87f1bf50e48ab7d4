"""“我的待办” for the office: experiences waiting to be selected (待遴选) and information
waiting for review (待审核). One query each, for the office only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import is_office
from portal.todos import Todo, provider
from reports.models import Experience, InformationReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIMIT = 20


@provider
def upward_to_review(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not is_office(user):
        return []
    experiences = (
        Experience.objects.filter(state=Experience.State.SUBMITTED)
        .select_related("unit")
        .order_by("submitted_at", "id")[:LIMIT]
    )
    information = (
        InformationReport.objects.filter(state=InformationReport.State.SUBMITTED)
        .select_related("unit")
        .order_by("submitted_at", "id")[:LIMIT]
    )
    todos = [
        Todo(
            title=_("遴选经验做法：%(title)s") % {"title": row.title},
            detail=_("%(unit)s，%(day)s 报送")
            % {"unit": row.unit.name, "day": f"{timezone.localdate(row.submitted_at):%Y-%m-%d}"},
            url=row.get_absolute_url(),
        )
        for row in experiences
        if row.submitted_at is not None
    ]
    todos += [
        Todo(
            title=_("审核统战信息：%(title)s") % {"title": row.title},
            detail=_("%(unit)s，%(day)s 报送")
            % {"unit": row.unit.name, "day": f"{timezone.localdate(row.submitted_at):%Y-%m-%d}"},
            url=row.get_absolute_url(),
        )
        for row in information
        if row.submitted_at is not None
    ]
    return todos

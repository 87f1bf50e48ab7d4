"""“我的待办” for the performance review (述职评议): a unit's report waiting for its
head's confirmation (the head, or the office where the unit's head has no login), and
an anonymous ballot a member of the leading group has not cast yet. Two queries at most,
and none for a login with no role that could have either."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from portal.models import Role
from portal.permissions import has_role
from portal.todos import Todo, provider
from reports import review_selectors as selectors

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIMIT = 20


@provider
def reports_to_confirm(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER):
        return []
    return [
        Todo(
            title=_("确认述职报告：%(unit)s") % {"unit": report.unit.name},
            detail=report.round.title,
            url=report.get_absolute_url(),
            due=report.due,
            level="warning" if report.due <= today else "info",
        )
        for report in selectors.reports_to_confirm(user, today)[:LIMIT]
    ]


@provider
def ballots_to_cast(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    # The group's members have the leader or member role (groups.services.login_roles_sync).
    if not has_role(user, Role.LEADER, Role.MEMBER):
        return []
    return [
        Todo(
            title=_("参加无记名测评：%(title)s") % {"title": review.title},
            detail=_("领导小组成员各投一票"),
            url=review.get_absolute_url(),
            due=None,
            level="info",
        )
        for review in selectors.ballots_to_cast(user, today)[:LIMIT]
    ]

"""The outreach app's to-dos on 我的待办 (`portal.todos.provider`), one provider per part.

The quotas' deadlines reach the leaders through the deadline engine's own to-dos; these
are the steps no deadline names."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from outreach.models import Talk
from portal.permissions import is_office
from portal.todos import Todo, provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIMIT = 20


# --- pairs ---


@provider
def talk_todos(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    """The office: talks sent and not yet read. A leader: their drafts, not yet sent."""
    if not user.is_authenticated:
        return []
    if is_office(user):
        talks = Talk.objects.filter(state=Talk.State.SENT)
        title = _("谈心谈话记录待阅知")
    elif getattr(user, "person_id", None) is not None:
        talks = Talk.objects.filter(state=Talk.State.DRAFT, leader_id=user.person_id)
        title = _("谈心谈话记录待报送办公室")
    else:
        return []
    rows = talks.select_related("leader").order_by("date", "pk")[:LIMIT]
    return [
        Todo(
            title=f"{title}：{talk.leader.name} {talk.date:%Y-%m-%d}",
            detail=talk.get_mode_display(),
            url=talk.get_absolute_url(),
            due=None,
            level="info",
        )
        for talk in rows
    ]


# --- suggestions ---


# --- learning ---

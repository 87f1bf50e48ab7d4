"""A heart-to-heart talk's workflow: the leader (or the office on their behalf) writes it
up and sends it to the office; the office reads it and may put it in a briefing.

    draft ──edit──▶ draft ──send──▶ sent ──read──▶ read
    sent, read ──brief / unbrief──▶ (the same state, the briefing mark set or cleared)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from outreach.models import Talk
from portal.lib.transitions import Transition, Workflow
from portal.permissions import is_office

State = Talk.State


def is_author(user: Any, talk: Talk) -> bool:
    """The talk's leader, whoever recorded it, or the office."""
    if is_office(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return talk.leader_id == getattr(user, "person_id", None) or talk.recorded_by_id == user.pk


def office(user: Any, talk: Talk) -> bool:
    return is_office(user)


def _not_briefed(talk: Talk) -> str | None:
    return str(_("已编入工作简报。")) if talk.for_briefing else None


def _briefed(talk: Talk) -> str | None:
    return None if talk.for_briefing else str(_("尚未编入工作简报。"))


TALK_WORKFLOW = Workflow(
    Talk.State,
    Transition(
        "edit",
        _("修改"),
        source={State.DRAFT},
        target=None,
        who=is_author,
        style="outline-primary",
        refused=_("只有谈话领导本人或办公室可以修改谈话记录。"),
    ),
    Transition(
        "send",
        _("报送办公室"),
        source={State.DRAFT},
        target=State.SENT,
        who=is_author,
        refused=_("只有谈话领导本人或办公室可以报送谈话记录。"),
    ),
    Transition(
        "read",
        _("阅知"),
        source={State.SENT},
        target=State.READ,
        who=office,
        refused=_("只有办公室可以阅知谈话记录。"),
    ),
    Transition(
        "brief",
        _("编入工作简报"),
        source={State.SENT, State.READ},
        target=None,
        who=office,
        style="outline-primary",
        blocked=_not_briefed,
        refused=_("只有办公室可以编入工作简报。"),
    ),
    Transition(
        "unbrief",
        _("移出工作简报"),
        source={State.SENT, State.READ},
        target=None,
        who=office,
        style="outline-secondary",
        blocked=_briefed,
        refused=_("只有办公室可以编入工作简报。"),
    ),
)

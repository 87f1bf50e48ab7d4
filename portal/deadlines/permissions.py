"""Who may take the deadline engine's steps: the ``who`` guards of
``portal.deadlines.transitions``, also what the views ask before showing a form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.deadlines import selectors
from portal.models import Role
from portal.permissions import has_role, is_office

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.deadlines.models import Deadline, ExtensionRequest
    from portal.models import User


def may_waive(user: User | AnonymousUser, deadline: Deadline) -> bool:
    """The office lifts a deadline."""
    return is_office(user)


def may_request_extension(user: User | AnonymousUser, deadline: Deadline) -> bool:
    """Those who answer for the deadline (named, or of its unit or a unit above it)."""
    return selectors.is_responsible(user, deadline)


# Who decides a unit's request for more time: the group leader and the leader in charge
# of united-front work, who answer for the office's deadlines; not the deputies (a probe
# found any leader deciding any unit's request), and never the one who asked.
DECIDING_LEADERSHIP = selectors.DECIDING_LEADERSHIP


def may_decide_extension(user: User | AnonymousUser, request: ExtensionRequest) -> bool:
    """The group leader or the leader in charge of united-front work, unless they asked
    for it themselves."""
    return (
        has_role(user, Role.LEADER)
        and getattr(user, "leadership", "") in DECIDING_LEADERSHIP
        and request.requested_by_id != getattr(user, "pk", None)
    )

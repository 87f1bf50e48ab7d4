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


def may_decide_extension(user: User | AnonymousUser, request: ExtensionRequest) -> bool:
    """Every leader (the group leader, the deputies, the leader in charge)."""
    return has_role(user, Role.LEADER)

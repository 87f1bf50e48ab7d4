"""Who may do what in the meetings app: the predicates the transitions' guards, the
services and the pages ask (reads that fetch records are in `meetings/selectors.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.permissions import is_office, own_unit_ids

if TYPE_CHECKING:
    from meetings.models import FollowUpItem


def can_manage_meetings(user: Any, obj: Any = None) -> bool:
    """The office runs the meetings, their agenda and minutes, and decides topics."""
    return is_office(user)


def can_update_follow_up(user: Any, item: FollowUpItem) -> bool:
    """The owner unit (its commissioner and members, or a unit above it) reports on a
    follow-up item; so may the office."""
    return is_office(user) or item.owner_unit_id in own_unit_ids(user)

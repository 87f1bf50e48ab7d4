"""Who may see a figure's sensitive data besides the office and the figure themself:
the leaders paired with the figure, while the pair lasts (`FriendshipPair.active_on`).
Registered with `portal.permissions.register_sensitive_grant` from `ready()`, so the
portal's own person pages, and every outreach selector through
`portal.permissions.sensitive_person_ids`, ask the same question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from outreach.models import FriendshipPair

if TYPE_CHECKING:
    from portal.models import User


def paired_person_ids(user: User) -> set[int]:
    """The people (the figures' persons) the user is paired with today."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return set()
    return set(
        FriendshipPair.objects.active_on(timezone.localdate())
        .filter(leader_id=person_id)
        .values_list("figure__person_id", flat=True)
    )

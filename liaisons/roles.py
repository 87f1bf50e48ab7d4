"""The two login roles that follow an appointment in this app, as the roster's seats
give theirs (`groups.services.login_roles_sync`): a liaison in office today is in the
`liaison` group, a member of the publicity roster today in `publicity`. A login leaves
the group the day its appointment ends. Synced after each appointment's commit and by
the daily job (`liaisons.tasks.sync_liaison_roles`), for appointments entered in
advance or ended on a later day."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liaisons.models import Liaison, PublicityMember
from portal.models import Person, Role, User

logger = logging.getLogger(__name__)

APPOINTMENT_ROLES = {Role.LIAISON: Liaison, Role.PUBLICITY: PublicityMember}


def wanted_roles(person_ids: Iterable[int], today: dt.date) -> dict[int, set[str]]:
    """person id → the appointment roles they hold today (two queries)."""
    ids = set(person_ids)
    wanted: dict[int, set[str]] = {pk: set() for pk in ids}
    for role, model in APPOINTMENT_ROLES.items():
        holders = model.objects.current_on(today).filter(person_id__in=ids)  # type: ignore[attr-defined]
        for person_id in holders.values_list("person_id", flat=True):
            wanted[person_id].add(str(role))
    return wanted


def liaison_roles_sync(*, person_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Give these people's logins the appointment roles they hold today and take away
    those they no longer hold. Returns the number of memberships added or removed. A
    system step with no acting user: whoever changed the appointment was checked there."""
    today = today or timezone.localdate()
    wanted = wanted_roles(person_ids, today)
    names = {str(role) for role in APPOINTMENT_ROLES}
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    changes = 0
    for user in User.objects.filter(person_id__in=wanted).prefetch_related("groups"):
        assert user.person_id is not None
        have = {group.name for group in user.groups.all()} & names
        want = wanted[user.person_id]
        for name in sorted(want - have):
            user.groups.add(groups[name])
            logger.info("liaisons: %s joins %s", user.username, name)
        for name in sorted(have - want):
            user.groups.remove(groups[name])
            logger.info("liaisons: %s leaves %s", user.username, name)
        changes += len(want ^ have)
    return changes


def sync_after_commit(*people: Person | int) -> None:
    ids = [p if isinstance(p, int) else p.pk for p in people]
    transaction.on_commit(lambda: liaison_roles_sync(person_ids=ids))


def persons_with_changes(today: dt.date, days: int = 7) -> set[int]:
    """People whose appointment began or ended within the last `days` days (today
    included), and everyone holding an appointment role: the daily job re-syncs them."""
    since = today - dt.timedelta(days=days - 1)
    changed = Q(start_date__range=(since, today)) | Q(end_date__range=(since, today))
    ids: set[int] = set()
    for model in APPOINTMENT_ROLES.values():
        ids |= set(model.objects.filter(changed).values_list("person_id", flat=True))  # type: ignore[attr-defined]
    names = [str(role) for role in APPOINTMENT_ROLES]
    ids |= set(
        User.objects.filter(groups__name__in=names, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    return ids

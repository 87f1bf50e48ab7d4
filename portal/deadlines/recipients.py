"""Who is reminded: the responsible users and unit of a deadline, the office when nobody
is named, and the leader in charge when an overdue deadline is escalated.

A ``Directory`` loads every user with a portal role once (three queries), so that a scan
over thousands of deadlines resolves recipients without touching the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from portal.models import Role, Unit, User

if TYPE_CHECKING:
    from portal.deadlines.models import Deadline
    from portal.deadlines.registry import Rule


def email_of(user: User) -> str:
    """The address reminders go to: the login's, else the person's."""
    if user.email:
        return user.email
    person = user.person if user.person_id else None
    return person.email if person is not None else ""


class Directory:
    """Active users with a portal role, by unit and by role; loaded on first use."""

    def __init__(self) -> None:
        self._loaded = False
        self._by_unit: dict[int, list[User]] = {}
        self._parents: dict[int, int | None] = {}
        self._office: list[User] = []
        self._in_charge: list[User] = []
        self._group_leaders: list[User] = []

    def load(self) -> None:
        if self._loaded:
            return
        roles: dict[int, set[str]] = defaultdict(set)
        memberships = User.groups.through.objects.filter(group__name__in=Role.values)
        for user_id, role in memberships.values_list("user_id", "group__name"):
            roles[user_id].add(role)
        users = User.objects.filter(pk__in=list(roles), is_active=True).select_related("person")
        self._parents = dict(Unit.objects.values_list("id", "parent_id"))
        by_unit: dict[int, list[User]] = defaultdict(list)
        for user in users.order_by("pk"):
            if user.person is not None:
                by_unit[user.person.unit_id].append(user)
            if Role.OFFICE in roles[user.pk]:
                self._office.append(user)
            if Role.LEADER in roles[user.pk]:
                if user.leadership == User.Leadership.IN_CHARGE:
                    self._in_charge.append(user)
                elif user.leadership == User.Leadership.GROUP_LEADER:
                    self._group_leaders.append(user)
        self._by_unit = dict(by_unit)
        self._loaded = True

    def office_users(self) -> list[User]:
        self.load()
        return list(self._office)

    def unit_contacts(self, unit_id: int) -> list[User]:
        """Users of the unit and of the units above it (a school's Party general branch
        answers for the school)."""
        self.load()
        result: list[User] = []
        seen: set[int] = set()
        node: int | None = unit_id
        while node is not None and node not in seen:
            seen.add(node)
            result.extend(self._by_unit.get(node, []))
            node = self._parents.get(node)
        return result

    def escalation_recipients(self) -> list[User]:
        """The leader in charge of united-front work; the group leader if none is set."""
        self.load()
        return list(self._in_charge or self._group_leaders)


def default_recipients(deadline: Deadline, directory: Directory) -> list[User]:
    """The responsible users, the responsible unit's contacts, else the office.

    ``deadline.responsible_users`` must be prefetched (the scan does)."""
    users: dict[int, User] = {u.pk: u for u in deadline.responsible_users.all() if u.is_active}
    if deadline.responsible_unit_id is not None:
        for user in directory.unit_contacts(deadline.responsible_unit_id):
            users.setdefault(user.pk, user)
    if not users:
        return directory.office_users()
    return list(users.values())


def responsible_recipients(deadline: Deadline, rule: Rule, directory: Directory) -> list[User]:
    resolver = rule.recipients or default_recipients
    return _unique(resolver(deadline, directory))


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())

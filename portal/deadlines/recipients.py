"""Who is reminded: the responsible users and unit of a deadline, the office when nobody
is named, and the leader in charge when an overdue deadline is escalated.

A ``Directory`` loads every user with a portal role once (three queries), so that a scan
over thousands of deadlines resolves recipients without touching the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection

from portal.deadlines.bulk import _chunked
from portal.deadlines.models import Deadline
from portal.models import Role, Unit, User
from portal.permissions import RECORD_ROLES

if TYPE_CHECKING:
    from portal.deadlines.registry import Rule


def email_of(user: User) -> str:
    """The address reminders go to: the login's, else the person's."""
    if user.email:
        return user.email
    person = user.person if user.person_id else None
    return person.email if person is not None else ""


# Ids per statement at most (fewer where the database allows fewer parameters).
NAMED_CHUNK = 2000


class Directory:
    """Active users with a portal role, by unit and by role; loaded on first use."""

    def __init__(self) -> None:
        self._loaded = False
        self._by_unit: dict[int, list[User]] = {}
        self._parents: dict[int, int | None] = {}
        self._office: list[User] = []
        self._in_charge: list[User] = []
        self._group_leaders: list[User] = []
        self._users: dict[int, User] = {}
        self._named: dict[int, list[int]] = {}
        self._contacts: dict[int, list[User]] = {}
        self._emails: dict[int, bool] = {}

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
            self._users[user.pk] = user
            # A unit's reminders go to its staff, not to a liaison or publicity member
            # who happens to work there (they hear of what names them).
            if user.person is not None and roles[user.pk] & set(RECORD_ROLES):
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

    def load_named(self, deadline_ids: list[int]) -> None:
        """The users named on these deadlines (one query for a whole batch)."""
        self.load()
        through = Deadline.responsible_users.through
        table = connection.ops.quote_name(through._meta.db_table)
        named: dict[int, list[int]] = {pk: [] for pk in deadline_ids}
        # Plain SQL: an ORM `__in` lookup prepares each of a batch's thousands of ids.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one array, not thousands of placeholders
                cursor.execute(
                    f"SELECT deadline_id, user_id FROM {table} "  # noqa: S608 - name quoted, values bound
                    "WHERE deadline_id = ANY(%s) ORDER BY id",
                    [deadline_ids],
                )
                for deadline_id, user_id in cursor.fetchall():
                    named[deadline_id].append(user_id)
                self._named = named
                return
            for chunk in _chunked(deadline_ids, 1, cap=NAMED_CHUNK):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT deadline_id, user_id FROM {table} "  # noqa: S608 - name quoted, values bound
                    f"WHERE deadline_id IN ({marks}) ORDER BY id",
                    list(chunk),
                )
                for deadline_id, user_id in cursor.fetchall():
                    named[deadline_id].append(user_id)
        self._named = named

    def named_users(self, deadline: Deadline) -> list[User]:
        """The deadline's responsible users who can be reached (active, with a role)."""
        if deadline.pk in self._named:
            ids = self._named[deadline.pk]
        else:
            ids = list(deadline.responsible_users.values_list("pk", flat=True))
        return [self._users[pk] for pk in ids if pk in self._users]

    def responsible(self, deadline_id: int, unit_id: int | None) -> list[User]:
        """The default recipients: the users the deadline names, the contacts of its
        unit, else (nobody named) the office. The deadline's names must be loaded."""
        named = [self._users[pk] for pk in self._named.get(deadline_id, ()) if pk in self._users]
        contacts = self.unit_contacts(unit_id) if unit_id is not None else []
        if not named:
            return contacts or self.office_users()
        users = {user.pk: user for user in named}
        for user in contacts:
            users.setdefault(user.pk, user)
        return list(users.values())

    def has_email(self, user: User) -> bool:
        """Whether `user` can be reached by email (``email_of``), looked up once per user."""
        known = self._emails.get(user.pk)
        if known is None:
            known = self._emails[user.pk] = bool(email_of(user))
        return known

    def office_users(self) -> list[User]:
        self.load()
        return self._office

    def unit_contacts(self, unit_id: int) -> list[User]:
        """Users of the unit and of the units above it (a school's Party general branch
        answers for the school)."""
        self.load()
        if unit_id not in self._contacts:
            result: list[User] = []
            seen: set[int] = set()
            node: int | None = unit_id
            while node is not None and node not in seen:
                seen.add(node)
                result.extend(self._by_unit.get(node, []))
                node = self._parents.get(node)
            self._contacts[unit_id] = result
        return self._contacts[unit_id]

    def escalation_recipients(self) -> list[User]:
        """The leader in charge of united-front work; the group leader if none is set."""
        self.load()
        return self._in_charge or self._group_leaders


def default_recipients(deadline: Deadline, directory: Directory) -> list[User]:
    """The responsible users, the responsible unit's contacts, else the office."""
    return directory.responsible(deadline.pk, deadline.responsible_unit_id)


def responsible_recipients(deadline: Deadline, rule: Rule, directory: Directory) -> list[User]:
    if rule.recipients is None:
        return default_recipients(deadline, directory)
    return _unique(rule.recipients(deadline, directory))


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())

"""Who may do what. Roles are Django groups (created by migration 0002); these helpers
are the one place views, selectors and templates ask."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from portal.models import Role, Unit

if TYPE_CHECKING:
    from portal.models import Person, User

AnyUser = "User | AnonymousUser"
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The user's role names, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_portal_roles"] = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_office(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICE)


def own_unit_ids(user: User | AnonymousUser) -> set[int]:
    """The user's unit and every unit below it, read once per request (cached on the user
    object, like the roles)."""
    cached: set[int] | None = getattr(user, "_portal_unit_ids", None)
    if cached is not None:
        return set(cached)
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return set()
    result = unit_ids_under(person.unit_id)
    user.__dict__["_portal_unit_ids"] = frozenset(result)
    return result


def unit_ids_under(unit_id: int, parents: dict[int, int | None] | None = None) -> set[int]:
    """The unit and every unit below it (`parents`: unit id → parent id, if loaded)."""
    if parents is None:
        parents = dict(Unit.objects.order_by().values_list("id", "parent_id"))
    result = {unit_id}
    changed = True
    while changed:
        changed = False
        for child_id, parent_id in parents.items():
            if parent_id in result and child_id not in result:
                result.add(child_id)
                changed = True
    return result


def unit_scope(user: User | AnonymousUser) -> set[int] | None:
    """Units whose records the user may see: None means all of them.

    Office staff, leaders and group members see the whole college; a branch
    commissioner sees only their own unit (and units under it).
    """
    if has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER):
        return None
    if has_role(user, Role.COMMISSIONER):
        return own_unit_ids(user)
    return set()


# Who besides the office may see a non-party figure's sensitive data. An app that
# relates users to figures (outreach's friendship pairs: a leader sees their own pairs)
# registers a grant from its AppConfig.ready(): user -> the ids of the people whose
# sensitive data that user may see. Portal names no app.
SensitiveGrant = Callable[["User"], set[int]]
SENSITIVE_GRANTS: list[SensitiveGrant] = []


def register_sensitive_grant(grant: SensitiveGrant) -> SensitiveGrant:
    if grant not in SENSITIVE_GRANTS:
        SENSITIVE_GRANTS.append(grant)
    return grant


def sensitive_person_ids(user: User | AnonymousUser) -> set[int] | None:
    """The people whose sensitive data the user may see: None means everyone (the
    office); otherwise the user's own person and whoever the registered grants name.
    Read once per request (cached on the user object, like the roles)."""
    if is_office(user):
        return None
    if not user.is_authenticated:
        return set()
    cached: frozenset[int] | None = getattr(user, "_portal_sensitive_ids", None)
    if cached is None:
        ids: set[int] = set()
        person_id = getattr(user, "person_id", None)
        if person_id is not None:
            ids.add(person_id)
        for grant in SENSITIVE_GRANTS:
            ids |= grant(user)
        cached = frozenset(ids)
        user.__dict__["_portal_sensitive_ids"] = cached
    return set(cached)


def can_view_sensitive(user: User | AnonymousUser, person: Person) -> bool:
    """A person's political status, overseas history and notes: the office, the person
    themself, and whoever a registered grant names (the leader paired with them). The
    answer never depends on the data itself: were a Party member's record shown to every
    leader and a non-party figure's hidden, the hiding would tell who is non-party."""
    visible = sensitive_person_ids(user)
    return visible is None or person.pk in visible or _is_self(user, person)


def may_see_some_sensitive(user: User | AnonymousUser) -> bool:
    """Whether some row of a register may show the user sensitive data of someone other
    than themself (`can_view_sensitive`): the office, and whoever a grant names people
    to (a paired leader). Whether an export has the sensitive columns at all; its cells
    follow `can_view_sensitive` per row. Reads only what is cached on the user after the
    first call."""
    visible = sensitive_person_ids(user)
    return visible is None or bool(visible - {getattr(user, "person_id", None)})


def _is_self(user: User | AnonymousUser, person: Person) -> bool:
    return bool(user.is_authenticated and getattr(user, "person_id", None) == person.pk)


def can_edit_person(user: User | AnonymousUser, person: Person | None = None) -> bool:
    if is_office(user):
        return True
    if has_role(user, Role.COMMISSIONER):
        return person is None or person.unit_id in own_unit_ids(user)
    return False


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Login required, then 403 unless the user has one of `roles`."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


# The roles that open the portal's records (units, people, documents, meetings, the
# roster). The appointment roles of the liaisons app (统战联络员, 宣传工作成员) open their
# own pages, the home page, their to-dos and their inbox only.
RECORD_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def any_role_required(view: ViewFunc) -> ViewFunc:
    """Login required and a role that opens the portal's records (a bare account, or a
    liaison or publicity member, sees nothing here)."""
    return role_required(*RECORD_ROLES)(view)


def portal_user_required(view: ViewFunc) -> ViewFunc:
    """Login required and any portal role: the home page, to-dos and inbox."""
    return role_required(*Role.values)(view)

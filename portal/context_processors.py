"""Template context shared by every page: the navigation that fits the user's roles."""

from __future__ import annotations

from django.http import HttpRequest

from portal import navigation as nav
from portal.models import Role
from portal.permissions import roles_of


def navigation(request: HttpRequest) -> dict[str, object]:
    """The bar's menus (`nav_menu`: the areas and entries the apps declared in
    `portal.navigation`, those the user may open), the user's roles, and whether they are
    office staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    role_labels = [str(Role(r).label) for r in Role.values if r in roles]
    return {
        "nav_menu": nav.registry.menu(user, request.path),
        "nav_roles": role_labels,
        "nav_is_office": Role.OFFICE in roles,
    }

"""The navigation bar: the areas (组织 · 会议与公文 · 联络交友 · 督查督办 · 述职与报告) and
the entries each app declares under them.

An app declares its entries in ``<app>/navigation.py``, imported from its
``AppConfig.ready()``; this module names no app::

    # meetings/navigation.py
    from django.utils.translation import gettext_lazy as _

    from portal import navigation

    navigation.register(
        navigation.NavItem(
            area=navigation.MEETINGS,
            label=_("会议"),
            url_name="meeting_list",
            allowed=navigation.any_role,  # the same check as the view's decorator
            order=10,
        ),
    )

``allowed(user)`` says whether the user may open the page: it must agree with the view's
own role check (tests/test_navigation.py requests every entry as every persona and
checks that it answers 200 exactly when the entry is shown). It runs on every page, so
it reads only what is cached on the user (the roles) and makes no query of its own; so
does ``badge(user)``, a count shown next to the entry, when it is given.

An entry with ``area=None`` is a link of its own in the bar (the home page, the admin),
placed among the areas by its ``order``. An area none of whose entries the user may open
is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.permissions import RECORD_ROLES, has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

Allowed = Callable[["User | AnonymousUser"], bool]
Badge = Callable[["User | AnonymousUser"], "int | None"]


@dataclass(frozen=True)
class Area:
    """A menu of the bar."""

    key: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class NavItem:
    """One destination: a page without path parameters."""

    area: Area | None  # None: a link of its own in the bar
    label: str | Promise
    url_name: str
    allowed: Allowed
    order: int = 0  # within the area (for a link of its own: among the areas)
    badge: Badge | None = None


# The areas, in the bar's order. The home page (order 10) comes before them and the admin
# (order 90) after them; an app that needs another area declares it with `add_area`.
ORGANISATION = Area("organisation", _("组织"), 20)
MEETINGS = Area("meetings", _("会议与公文"), 30)
OUTREACH = Area("outreach", _("联络交友"), 40)
SUPERVISION = Area("supervision", _("督查督办"), 50)
REPORTS = Area("reports", _("述职与报告"), 60)


# The predicates most entries use (the same as the views' decorators).


def any_role(user: User | AnonymousUser) -> bool:
    """What `portal.permissions.any_role_required` lets in."""
    return has_role(user, *RECORD_ROLES)


def portal_user(user: User | AnonymousUser) -> bool:
    """What `portal.permissions.portal_user_required` lets in."""
    return has_role(user, *Role.values)


def role_in(*roles: str) -> Allowed:
    """What `portal.permissions.role_required(*roles)` lets in."""

    def allowed(user: User | AnonymousUser) -> bool:
        return has_role(user, *roles)

    return allowed


# What one user's bar shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    url_name: str
    active: bool = False  # the page shown is this entry's or one below it
    badge: int | None = None


@dataclass(frozen=True)
class MenuEntry:
    """An area's menu (`links` in order), or a link of its own (`area` None, one link)."""

    key: str
    label: str
    area: Area | None
    links: tuple[Link, ...]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def badge(self) -> int | None:
        counts = [link.badge for link in self.links if link.badge]
        return sum(counts) if counts else None

    @property
    def link(self) -> Link:
        return self.links[0]


class Registry:
    """The areas and entries of the bar. The portal has one (`registry`); tests build
    their own."""

    def __init__(self, areas: tuple[Area, ...] = ()) -> None:
        self._areas: dict[str, Area] = {}
        self._items: dict[str, NavItem] = {}
        for area in areas:
            self.add_area(area)

    def add_area(self, area: Area) -> None:
        known = self._areas.get(area.key)
        if known is not None and known != area:
            raise ImproperlyConfigured(f"navigation area {area.key!r} is declared twice")
        self._areas[area.key] = area

    def register(self, *items: NavItem) -> None:
        """Add entries. Registering the same entry again (a second `ready()`) is a no-op;
        another entry for the same URL name is an error."""
        for item in items:
            if item.area is not None and self._areas.get(item.area.key) != item.area:
                raise ImproperlyConfigured(
                    f"navigation entry {item.url_name!r}: area {item.area.key!r} is not "
                    "declared (navigation.add_area)"
                )
            known = self._items.get(item.url_name)
            if known is not None and known != item:
                raise ImproperlyConfigured(f"navigation entry {item.url_name!r} is declared twice")
            self._items[item.url_name] = item

    @property
    def areas(self) -> list[Area]:
        return sorted(self._areas.values(), key=lambda a: (a.order, a.key))

    @property
    def items(self) -> list[NavItem]:
        """Every entry, in the bar's order."""
        return sorted(self._items.values(), key=self._position)

    def _position(self, item: NavItem) -> tuple[int, str, int, str]:
        if item.area is None:
            return (item.order, "", 0, item.url_name)
        return (item.area.order, item.area.key, item.order, item.url_name)

    def allowed_items(self, user: User | AnonymousUser) -> list[NavItem]:
        """The entries the user may open, in the bar's order."""
        if not user.is_authenticated:
            return []
        return [item for item in self.items if item.allowed(user)]

    def menu(self, user: User | AnonymousUser, path: str = "") -> list[MenuEntry]:
        """The user's bar: the areas with at least one entry they may open (and the links
        of their own), with the entry of the page at `path` marked active."""
        items = self.allowed_items(user)
        urls = {item.url_name: reverse(item.url_name) for item in items}
        active = _active_url(path, urls.values())
        entries: list[MenuEntry] = []
        for item in items:
            link = Link(
                label=str(item.label),
                url=urls[item.url_name],
                url_name=item.url_name,
                active=urls[item.url_name] == active,
                badge=item.badge(user) if item.badge else None,
            )
            area = item.area
            if area is not None and entries and entries[-1].area == area:
                last = entries[-1]
                entries[-1] = MenuEntry(last.key, last.label, area, (*last.links, link))
            elif area is not None:
                entries.append(MenuEntry(area.key, str(area.label), area, (link,)))
            else:
                entries.append(MenuEntry(item.url_name, link.label, None, (link,)))
        return entries


def _active_url(path: str, urls: Iterable[str]) -> str | None:
    """The entry the page belongs to: the longest entry URL the path starts with (the home
    page's "/" only for itself)."""
    candidates = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(candidates, key=len, default=None)


registry = Registry(areas=(ORGANISATION, MEETINGS, OUTREACH, SUPERVISION, REPORTS))
add_area = registry.add_area
register = registry.register

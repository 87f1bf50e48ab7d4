"""The portal core's entries in the navigation bar (`portal.navigation`): the home page,
the organisation's pages and the admin. Imported from `PortalConfig.ready()`.

(The engine is `portal/navigation.py`, so the core's own entries live here; an app's
live in `<app>/navigation.py`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.models import Role
from portal.navigation import ORGANISATION, NavItem, any_role, portal_user, role_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


def may_use_admin(user: User | AnonymousUser) -> bool:
    """What `AdminSite.has_permission` lets in."""
    return bool(user.is_active and user.is_staff)


navigation.register(
    NavItem(area=None, label=_("我的待办"), url_name="home", allowed=portal_user, order=10),
    NavItem(area=ORGANISATION, label=_("单位"), url_name="unit_list", allowed=any_role, order=10),
    NavItem(area=ORGANISATION, label=_("人员"), url_name="person_list", allowed=any_role, order=20),
    NavItem(
        area=ORGANISATION,
        label=_("敏感信息查阅记录"),
        url_name="sensitive_view_list",
        allowed=role_in(Role.OFFICE),
        order=80,
    ),
    NavItem(
        area=ORGANISATION,
        label=_("登录锁定"),
        url_name="lockout_list",
        allowed=role_in(Role.OFFICE),
        order=85,
    ),
    NavItem(
        area=ORGANISATION,
        label=_("工作日历"),
        url_name="workday_calendar",
        allowed=any_role,
        order=90,
    ),
    NavItem(
        area=None, label=_("后台管理"), url_name="admin:index", allowed=may_use_admin, order=90
    ),
)

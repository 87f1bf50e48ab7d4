"""The groups app's entries in the navigation bar (`portal.navigation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import ORGANISATION, SUPERVISION, NavItem, any_role

navigation.register(
    NavItem(
        area=ORGANISATION, label=_("领导小组"), url_name="group_org", allowed=any_role, order=30
    ),
    # The year's plan, followed item by item with its progress lights.
    NavItem(
        area=SUPERVISION,
        label=_("工作要点"),
        url_name="work_points_index",
        allowed=any_role,
        order=20,
    ),
)

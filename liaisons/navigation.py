"""The liaisons app's entry in the navigation bar (`portal.navigation`), under 联络交友."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaisons.selectors import CONSULTATION_ROLES, REPORT_ROLES, can_see_liaisons
from portal import navigation
from portal.navigation import OUTREACH, NavItem
from portal.permissions import has_role

navigation.register(
    NavItem(
        area=OUTREACH,
        label=_("统战联络员"),
        url_name="liaison_list",
        allowed=can_see_liaisons,
        order=70,
    ),
    NavItem(
        area=OUTREACH,
        label=_("联络员报告"),
        url_name="liaison_report_list",
        allowed=lambda user: has_role(user, *REPORT_ROLES),
        order=72,
    ),
    NavItem(
        area=OUTREACH,
        label=_("征求意见"),
        url_name="consultation_list",
        allowed=lambda user: has_role(user, *CONSULTATION_ROLES),
        order=75,
    ),
)

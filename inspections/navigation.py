"""The inspections app's entries in the navigation bar (`portal.navigation`), under
督查督办."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inspections.research_selectors import TOPIC_ROLES, VISIT_ROLES
from inspections.selectors import RECTIFICATION_ROLES
from portal import navigation
from portal.navigation import SUPERVISION, NavItem
from portal.permissions import has_role

navigation.register(
    NavItem(
        area=SUPERVISION,
        label=_("督查督办一览"),
        url_name="supervision_board",
        allowed=lambda user: has_role(user, *RECTIFICATION_ROLES),
        order=56,
    ),
    NavItem(
        area=SUPERVISION,
        label=_("督促检查"),
        url_name="supervision_list",
        allowed=lambda user: has_role(user, *RECTIFICATION_ROLES),
        order=58,
    ),
    NavItem(
        area=SUPERVISION,
        label=_("整改落实"),
        url_name="rectification_list",
        allowed=lambda user: has_role(user, *RECTIFICATION_ROLES),
        order=60,
    ),
    NavItem(
        area=SUPERVISION,
        label=_("通报约谈"),
        url_name="admonition_list",
        allowed=lambda user: has_role(user, *RECTIFICATION_ROLES),
        order=62,
    ),
    NavItem(
        area=SUPERVISION,
        label=_("调研指导"),
        url_name="research_visit_list",
        allowed=lambda user: has_role(user, *VISIT_ROLES),
        order=64,
    ),
    NavItem(
        area=SUPERVISION,
        label=_("调研课题"),
        url_name="research_topic_list",
        allowed=lambda user: has_role(user, *TOPIC_ROLES),
        order=66,
    ),
)

"""The meetings app's entries in the navigation bar (`portal.navigation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import MEETINGS, SUPERVISION, NavItem, any_role

navigation.register(
    NavItem(area=MEETINGS, label=_("会议"), url_name="meeting_list", allowed=any_role, order=10),
    NavItem(area=MEETINGS, label=_("议题"), url_name="topic_list", allowed=any_role, order=20),
    NavItem(
        area=SUPERVISION,
        label=_("督办事项"),
        url_name="follow_up_list",
        allowed=any_role,
        order=10,
    ),
)

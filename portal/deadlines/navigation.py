"""The deadline engine's entry in the navigation bar (`portal.navigation`). The inbox
keeps its own place at the right of the bar, with the unread count."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import SUPERVISION, NavItem, portal_user

navigation.register(
    NavItem(
        area=SUPERVISION, label=_("期限"), url_name="deadline_list", allowed=portal_user, order=90
    ),
)

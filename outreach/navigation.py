"""The outreach app's entries in the navigation bar (`portal.navigation`), under 联络交友."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import OUTREACH, NavItem, any_role

navigation.register(
    # --- figures ---
    NavItem(area=OUTREACH, label=_("党外人士"), url_name="figure_list", allowed=any_role, order=10),
    # --- pairs ---
    # --- suggestions ---
    # --- learning ---
)

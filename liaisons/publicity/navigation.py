"""The publicity system's entry in the navigation bar (`portal.navigation`), under 联络交友."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaisons.publicity.selectors import can_see
from portal import navigation
from portal.navigation import OUTREACH, NavItem

navigation.register(
    NavItem(
        area=OUTREACH,
        label=_("宣传工作"),
        url_name="publicity_piece_list",
        allowed=can_see,
        order=78,
    ),
)

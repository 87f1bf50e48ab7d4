"""The documents' entry in the navigation bar (`portal.navigation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import MEETINGS, NavItem, any_role

navigation.register(
    NavItem(area=MEETINGS, label=_("公文"), url_name="document_list", allowed=any_role, order=30),
)

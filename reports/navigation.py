"""The reports app's entries in the navigation bar (`portal.navigation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.navigation import REPORTS, NavItem, role_in
from reports.views import READERS

navigation.register(
    NavItem(
        area=REPORTS,
        label=_("年度汇报"),
        url_name="annual_report_list",
        allowed=role_in(*READERS),
        order=10,
    ),
)

# Experiences and information upward (reports.upward_views) ------------------------------
from reports.upward_views import BRIEFING_READERS  # noqa: E402
from reports.upward_views import READERS as UPWARD_READERS  # noqa: E402

navigation.register(
    NavItem(
        area=REPORTS,
        label=_("经验交流"),
        url_name="experience_list",
        allowed=role_in(*UPWARD_READERS),
        order=40,
    ),
    NavItem(
        area=REPORTS,
        label=_("经验交流材料"),
        url_name="experience_briefing_list",
        allowed=role_in(*BRIEFING_READERS),
        order=41,
    ),
    NavItem(
        area=REPORTS,
        label=_("统战信息"),
        url_name="information_list",
        allowed=role_in(*UPWARD_READERS),
        order=42,
    ),
    NavItem(
        area=REPORTS,
        label=_("信息编报统计"),
        url_name="information_summary",
        allowed=role_in(*UPWARD_READERS),
        order=43,
    ),
)

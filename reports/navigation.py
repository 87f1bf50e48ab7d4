"""The reports app's entries in the navigation bar (`portal.navigation`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.models import Role
from portal.navigation import REPORTS, NavItem, role_in
from reports.dashboard_views import READERS as DASHBOARD_READERS
from reports.review_selectors import READERS as REVIEW_READERS
from reports.views import READERS

navigation.register(
    NavItem(
        area=REPORTS,
        label=_("全年概览"),
        url_name="reports_dashboard",
        allowed=role_in(*DASHBOARD_READERS),
        order=5,
    ),
    NavItem(
        area=REPORTS,
        label=_("本单位记分卡"),
        url_name="my_scorecard",
        allowed=role_in(Role.COMMISSIONER),
        order=6,
    ),
    NavItem(
        area=REPORTS,
        label=_("年度汇报"),
        url_name="annual_report_list",
        allowed=role_in(*READERS),
        order=10,
    ),
    NavItem(
        area=REPORTS,
        label=_("督查汇报提纲"),
        url_name="self_report_list",
        allowed=role_in(*READERS),
        order=12,
    ),
    NavItem(
        area=REPORTS,
        label=_("述职评议"),
        url_name="review_round_list",
        allowed=role_in(*REVIEW_READERS),
        order=20,
    ),
    NavItem(
        area=REPORTS,
        label=_("目标责任书"),
        url_name="target_statement_list",
        allowed=role_in(*REVIEW_READERS),
        order=15,
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

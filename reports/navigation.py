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

"""The outreach app's entries in the navigation bar (`portal.navigation`), under 联络交友."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from outreach.selectors.learning import can_see_reserve
from outreach.selectors.study import can_see_studies
from portal import navigation
from portal.models import Role
from portal.navigation import OUTREACH, NavItem, any_role, role_in

navigation.register(
    # --- figures ---
    NavItem(area=OUTREACH, label=_("党外人士"), url_name="figure_list", allowed=any_role, order=10),
    NavItem(
        area=OUTREACH,
        label=_("留学回国人员"),
        url_name="overseas_list",
        allowed=role_in(Role.OFFICE),
        order=20,
    ),
    # --- pairs ---
    NavItem(
        area=OUTREACH,
        label=_("联系交友"),
        url_name="pair_list",
        allowed=role_in(Role.OFFICE, Role.LEADER, Role.MEMBER),
        order=30,
    ),
    NavItem(
        area=OUTREACH,
        label=_("谈心谈话"),
        url_name="talk_list",
        allowed=role_in(Role.OFFICE, Role.LEADER, Role.MEMBER),
        order=31,
    ),
    NavItem(
        area=OUTREACH,
        label=_("联系覆盖情况"),
        url_name="coverage_board",
        allowed=role_in(Role.OFFICE, Role.LEADER, Role.MEMBER),
        order=32,
    ),
    # --- suggestions ---
    NavItem(
        area=OUTREACH,
        label=_("意见建议"),
        url_name="suggestion_list",
        allowed=role_in(Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER),
        order=40,
    ),
    # --- learning ---
    NavItem(
        area=OUTREACH,
        label=_("党外后备干部"),
        url_name="reserve_list",
        allowed=can_see_reserve,
        order=50,
    ),
    # --- study ---
    NavItem(
        area=OUTREACH,
        label=_("学习活动"),
        url_name="study_list",
        allowed=can_see_studies,
        order=60,
    ),
    NavItem(
        area=OUTREACH,
        label=_("学习情况和“五个一”"),
        url_name="study_board",
        allowed=can_see_studies,
        order=61,
    ),
    NavItem(
        area=OUTREACH,
        label=_("我的学习"),
        url_name="my_studies",
        allowed=lambda user: user.is_authenticated,
        order=62,
    ),
)

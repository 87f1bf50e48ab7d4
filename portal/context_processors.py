"""Template context shared by every page: the navigation that fits the user's roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Role
from portal.permissions import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    entries: list[tuple[str, str, str]] = [(_("我的待办"), "home", "/")]
    if roles & {Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER}:
        entries.append((_("单位"), "unit_list", "/units/"))
        entries.append((_("人员"), "person_list", "/people/"))
        entries.append((_("工作日历"), "workday_calendar", "/calendar/"))
        entries.append((_("公文"), "document_list", "/documents/"))
        entries.append((_("期限"), "deadline_list", "/deadlines/"))
        entries.append((_("领导小组"), "group_org", "/groups/"))
        entries.append((_("工作要点"), "work_points_index", "/work-points/"))
        entries.append((_("会议"), "meeting_list", "/meetings/"))
        entries.append((_("议题"), "topic_list", "/topics/"))
        entries.append((_("督办"), "follow_up_list", "/follow-ups/"))
    if roles & {Role.OFFICE, Role.LEADER}:
        entries.append((_("年度汇报"), "annual_report_list", "/reports/annual/"))
    path = request.path
    items = [
        NavItem(label, reverse(name), path == prefix if prefix == "/" else path.startswith(prefix))
        for label, name, prefix in entries
    ]
    role_labels = [str(Role(r).label) for r in Role.values if r in roles]
    return {"nav_items": items, "nav_roles": role_labels, "nav_is_office": Role.OFFICE in roles}

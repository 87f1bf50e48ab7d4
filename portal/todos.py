"""The home page's "我的待办": each provider returns the open items for a user.

Later capabilities (the deadline engine first) add providers; the home page only
renders what they return, sorted by urgency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role, WorkdayYear
from portal.permissions import has_role
from portal.workdays import is_provisional

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


@dataclass(frozen=True)
class Todo:
    title: str
    detail: str
    url: str
    due: dt.date | None = None
    level: str = "info"  # info / warning / danger, the three-colour light


Provider = Callable[["User | AnonymousUser", dt.date], list[Todo]]
PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    PROVIDERS.append(func)
    return func


def todos_for(user: User | AnonymousUser, today: dt.date | None = None) -> list[Todo]:
    today = today or timezone.localdate()
    items = [item for func in PROVIDERS for item in func(user, today)]
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda t: (order.get(t.level, 3), t.due or dt.date.max))


@provider
def missing_schedule(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    """The office is asked to enter a year's official schedule when neither the package
    nor the portal knows it: next year's from October on (a warning), this year's at
    once (overdue: dates this year are being computed on weekends only)."""
    if not has_role(user, Role.OFFICE):
        return []
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    entered = set(WorkdayYear.objects.filter(year__in=years).values_list("year", flat=True))
    items = []
    for year in years:
        if year in entered or not is_provisional(dt.date(year, 1, 1)):
            continue
        items.append(
            Todo(
                title=_("录入%(year)d年节假日安排") % {"year": year},
                detail=_(
                    "系统尚不知道%(year)d年的放假与调休安排，涉及%(year)d年的工作日期限暂按周末计算，"
                    "标为“暂定”。国务院办公厅通知发布后请及时录入。"
                )
                % {"year": year},
                url=reverse("workday_year_edit", args=[year]),
                due=dt.date(year, 1, 1),
                level="danger" if year <= today.year else "warning",
            )
        )
    return items

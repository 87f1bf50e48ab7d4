"""The groups app's deadline rule, registered from ``GroupsConfig.ready()``.

The work points (rule 5): drafted January–March, reviewed and issued by 31 March. It is
a period rule: every reminder scan calls ``work_points_sync(today)``, which opens this
year's until its due date; issuing the plan meets it
(``groups.services.work_points_issued``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines import periods
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_open_period

WORK_POINTS = "work_points"


def work_points_due(period: str) -> dt.date:
    return dt.date(int(period), 3, 31)


def work_points_sync(today: dt.date) -> None:
    if today <= work_points_due(str(today.year)):
        deadline_open_period(rule=WORK_POINTS, period=str(today.year))


RULES = (
    Rule(
        code=WORK_POINTS,
        label=_("年度工作要点"),
        description=_("每年1—3月起草领导小组工作要点，3月31日前报审印发。"),
        responsible_label=_("领导小组办公室"),
        period_due=work_points_due,
        sync=work_points_sync,
        period_label=periods.year_label,
        action_url=lambda deadline: reverse("work_points_index"),  # where it is drafted
    ),
)


def register_rules() -> None:
    for rule in RULES:
        register(rule, replace=True)

"""The year at a glance (领导驾驶舱): every rule of the seeds as a scorecard, per rule and
per unit, from the deadline engine — each rule's deadlines of the year (quotas, answers,
reports, rectifications, …) met on time, met late, overdue or still running — plus the
year's performance review. Portal owns the deadlines, so this reads no other app.

Constant queries whatever the size: one aggregate by rule, one by unit, one for the units
and up to two for the review; a unit's page: its total, its rules, its results and what
it has overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from portal.deadlines import registry
from portal.deadlines.models import Deadline
from portal.models import Unit
from reports.models import PerformanceReport, Rating, ReviewRound

State = Deadline.State


def _year(year: int, today: dt.date) -> QuerySet[Deadline]:
    """The deadlines due in `year`, up to today for the current year (what could be met
    by now); those waived are left out (nothing was owed)."""
    end = min(dt.date(year, 12, 31), today)
    return Deadline.objects.filter(due__gte=dt.date(year, 1, 1), due__lte=end).exclude(
        state=State.WAIVED
    )


def _counts() -> dict[str, Count]:
    met = Q(state=State.MET)
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=met & Q(closed_at__date__lte=F("due"))),
        "late": Count("pk", filter=met & Q(closed_at__date__gt=F("due"))),
        "overdue": Count("pk", filter=Q(state__in=[State.OPEN, State.OVERDUE])),
    }


@dataclass
class Score:
    """A row of the scorecard: what fell due, met on time, met late, still not done."""

    label: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    url: str = ""
    key: str = ""

    @property
    def rate(self) -> int:
        """按时完成率, in whole percent (100 when nothing fell due)."""
        return round(100 * self.on_time / self.total) if self.total else 100

    @property
    def light(self) -> str:
        if self.overdue:
            return "red"
        if self.late:
            return "yellow"
        return "green"


def _score(label: str, row: dict[str, int], url: str = "", key: str = "") -> Score:
    return Score(
        label=label,
        total=row.get("total", 0),
        on_time=row.get("on_time", 0),
        late=row.get("late", 0),
        overdue=row.get("overdue", 0),
        url=url,
        key=key,
    )


@dataclass
class Dashboard:
    year: int
    overall: Score
    rules: list[Score]
    units: list[Score]
    review: ReviewRound | None = None
    review_counts: dict[str, int] = field(default_factory=dict)

    @property
    def worst_units(self) -> list[Score]:
        return [u for u in self.units if u.overdue][:10]


def dashboard(year: int, today: dt.date) -> Dashboard:
    deadlines = _year(year, today)
    counts = _counts()
    overall = _score(_("全部期限"), deadlines.aggregate(**counts))
    by_rule = {row["rule"]: row for row in deadlines.values("rule").annotate(**counts).order_by()}
    rules = []
    for rule in registry.all_rules():
        if rule.code in by_rule:
            rules.append(_score(str(rule.label), by_rule[rule.code], key=rule.code))
    rules.sort(key=lambda s: (s.rate, -s.total))
    by_unit = {
        row["responsible_unit"]: row
        for row in deadlines.filter(responsible_unit__isnull=False)
        .values("responsible_unit")
        .annotate(**counts)
        .order_by()
    }
    names = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    units = [_score(names[pk], row, key=str(pk)) for pk, row in by_unit.items() if pk in names]
    units.sort(key=lambda s: (-s.overdue, s.rate, s.label))
    review = (
        ReviewRound.objects.filter(year=year).order_by("-kind", "-pk").first()
    )  # the annual round if there is one ("annual" > "half")
    review_counts: dict[str, int] = {}
    if review is not None:
        review_counts = PerformanceReport.objects.filter(round=review).aggregate(
            units=Count("pk"),
            confirmed=Count("pk", filter=Q(state=PerformanceReport.State.CONFIRMED)),
        )
        review_counts["excellent"] = Rating.objects.filter(round=review, grade="excellent").count()
    return Dashboard(
        year=year,
        overall=overall,
        rules=rules,
        units=units,
        review=review,
        review_counts=review_counts,
    )


@dataclass
class UnitCard:
    unit: Unit
    year: int
    overall: Score
    rules: list[Score]
    ratings: list[Rating]
    open_deadlines: list[Deadline]


def unit_card(unit: Unit, year: int, today: dt.date) -> UnitCard:
    deadlines = _year(year, today).filter(responsible_unit=unit)
    counts = _counts()
    overall = _score(unit.name, deadlines.aggregate(**counts))
    by_rule = {row["rule"]: row for row in deadlines.values("rule").annotate(**counts).order_by()}
    rules = [
        _score(str(rule.label), by_rule[rule.code], key=rule.code)
        for rule in registry.all_rules()
        if rule.code in by_rule
    ]
    ratings = list(
        Rating.objects.filter(unit=unit, round__state=ReviewRound.State.LOCKED)
        .select_related("round")
        .order_by("-round__year", "-round__kind")[:6]
    )
    open_deadlines = list(
        Deadline.objects.filter(
            responsible_unit=unit, state__in=[State.OPEN, State.OVERDUE], due__lt=today
        ).order_by("due", "pk")[:20]
    )
    return UnitCard(
        unit=unit,
        year=year,
        overall=overall,
        rules=rules,
        ratings=ratings,
        open_deadlines=open_deadlines,
    )

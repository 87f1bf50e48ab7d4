"""Reads of the performance review (述职评议), scoped by user.

Who sees what:
- a round: the office, leaders and group members all; a commissioner the rounds their
  unit reports in (its own report only);
- a report: the office, leaders and members all; a commissioner their unit's;
- the ratings: the office and leaders at any time; group members once locked; a
  commissioner their own unit's, once locked; nobody sees who cast which ballot;
- the ballot tallies: the office and leaders, only once `ballot_minimum()` ballots are in.

This module is the roster seam of reports (`pyproject.toml`): it reads who sits on the
leading group (`groups.models.GroupMembership`), the year's work-points items and the
units' latest progress reports (`groups.models`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import GroupMembership, ProgressReport, WorkPointsItem
from portal.deadlines.display import yellow_until
from portal.lib.queries import count_of
from portal.models import Role, Unit, User
from portal.permissions import has_role, is_office, own_unit_ids
from portal.unit_panels import OpenItem, ResultLine
from portal.workdays import current_calendar
from reports.models import (
    GRADE_POINTS,
    Ballot,
    BallotGrade,
    BallotReceipt,
    Grade,
    PerformanceReport,
    PerformanceReportItem,
    Rating,
    ReviewPaper,
    ReviewRound,
    TargetStatement,
)

READERS = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def ballot_minimum() -> int:
    """Ballots needed before any result of an anonymous ballot shows (default 5): fewer
    would let a member work out how another voted."""
    return int(getattr(settings, "REPORTS_BALLOT_MINIMUM", 5))


def sees_all(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER)


def sees_ratings(user: User | AnonymousUser, review: ReviewRound) -> bool:
    """Every unit's rating: the office and leaders always, group members once locked."""
    if has_role(user, Role.OFFICE, Role.LEADER):
        return True
    return review.is_locked and has_role(user, Role.MEMBER)


def unit_ids_for(user: User | AnonymousUser) -> set[int] | None:
    """None: every unit; otherwise the commissioner's own units."""
    if sees_all(user):
        return None
    if has_role(user, Role.COMMISSIONER):
        return own_unit_ids(user)
    return set()


# Rounds ----------------------------------------------------------------------------------


def rounds_for_user(user: User | AnonymousUser) -> QuerySet[ReviewRound]:
    """The rounds the user may see, newest first, with their units and confirmed reports
    counted. Each count is a scalar subquery of its own (`count_of`): counting both over
    one join multiplied every round's units by its reports (40,000 rows a round of 200
    units) and took 0.6 s for a page at scale 1, 3.5 s for a commissioner's, whose scope
    was a join as well. The scope is a subquery of the round-unit links."""
    units = unit_ids_for(user)
    links = ReviewRound.units.through.objects
    rounds = ReviewRound.objects.annotate(
        unit_count=count_of(links.filter(reviewround_id=OuterRef("pk"))),
        confirmed_count=count_of(
            PerformanceReport.objects.filter(
                round_id=OuterRef("pk"), state=PerformanceReport.State.CONFIRMED
            )
        ),
    ).order_by("-year", "-kind", "-pk")
    if units is None:
        return rounds
    return rounds.filter(pk__in=links.filter(unit_id__in=units).values("reviewround_id"))


def get_round_for_user(user: User | AnonymousUser, pk: int) -> ReviewRound:
    units = unit_ids_for(user)
    rounds = ReviewRound.objects.all()
    if units is not None:
        rounds = rounds.filter(units__in=units).distinct()
    try:
        return rounds.get(pk=pk)
    except ReviewRound.DoesNotExist:
        raise Http404 from None


def round_reports(review: ReviewRound, user: User | AnonymousUser) -> list[PerformanceReport]:
    """The round's reports the user may see, with their deadline (one query)."""
    reports = review.reports.select_related("unit", "deadline", "round").order_by(
        "unit__sort_order", "unit__name"
    )
    units = unit_ids_for(user)
    if units is not None:
        reports = reports.filter(unit_id__in=units)
    return list(reports)


def round_ratings(review: ReviewRound, user: User | AnonymousUser) -> list[Rating]:
    """The ratings the user may see: all of them, their own unit's once locked, or none."""
    ratings = review.ratings.select_related("unit").order_by(
        "rank", "unit__sort_order", "unit__name"
    )
    if sees_ratings(user, review):
        return list(ratings)
    units = unit_ids_for(user)
    if review.is_locked and units:
        return list(ratings.filter(unit_id__in=units))
    return []


def round_papers(review: ReviewRound, user: User | AnonymousUser) -> list[ReviewPaper]:
    """The letters and notice: every one for the office and leaders; for others, the
    notice once issued and their own unit's letter once issued."""
    papers = review.papers.select_related("unit", "document").order_by(
        "purpose", "unit__sort_order", "unit__name"
    )
    if has_role(user, Role.OFFICE, Role.LEADER):
        return list(papers)
    units = unit_ids_for(user) or set()
    return [
        paper
        for paper in papers
        if paper.is_issued
        and (paper.purpose == ReviewPaper.Purpose.COMMENDATION or paper.unit_id in units)
    ]


def get_paper_for_office(user: User | AnonymousUser, pk: int) -> ReviewPaper:
    if not is_office(user):
        raise Http404
    try:
        return ReviewPaper.objects.select_related("round", "unit", "document").get(pk=pk)
    except ReviewPaper.DoesNotExist:
        raise Http404 from None


# Reports ---------------------------------------------------------------------------------


def reports_for_user(user: User | AnonymousUser) -> QuerySet[PerformanceReport]:
    reports = PerformanceReport.objects.select_related("round", "unit", "deadline")
    units = unit_ids_for(user)
    if units is None:
        return reports
    return reports.filter(unit_id__in=units)


def get_report_for_user(user: User | AnonymousUser, pk: int) -> PerformanceReport:
    try:
        return reports_for_user(user).get(pk=pk)
    except PerformanceReport.DoesNotExist:
        raise Http404 from None


@dataclass
class ReportLine:
    """One work-points item of a report, with the unit's latest progress on it."""

    entry: PerformanceReportItem
    lead: bool
    percent: int | None = None
    progress: str = ""
    reported_at: dt.datetime | None = None


def report_lines(report: PerformanceReport) -> list[ReportLine]:
    """The report's items with the unit's own latest progress report on each (three
    queries: the entries with their items, the items' co-units, the progress reports)."""
    entries = list(
        report.items.select_related("item__lead_unit")
        .prefetch_related("item__co_units")
        .order_by("item__number")
    )
    latest: dict[int, ProgressReport] = {}
    for progress in ProgressReport.objects.filter(
        item_id__in=[entry.item_id for entry in entries], unit_id=report.unit_id
    ).order_by("reported_at", "pk"):
        latest[progress.item_id] = progress
    lines = []
    for entry in entries:
        line = ReportLine(entry=entry, lead=entry.item.lead_unit_id == report.unit_id)
        last = latest.get(entry.item_id)
        if last is not None:
            line.percent, line.progress, line.reported_at = (
                last.percent,
                last.text,
                last.reported_at,
            )
        lines.append(line)
    return lines


def unit_items(year: int, unit_ids: set[int]) -> dict[int, list[WorkPointsItem]]:
    """Each unit's work-points items of `year` (led or shared), in the plan's order."""
    items = (
        WorkPointsItem.objects.filter(plan__year=year)
        .filter(Q(lead_unit_id__in=unit_ids) | Q(co_units__in=unit_ids))
        .prefetch_related("co_units")
        .distinct()
        .order_by("number")
    )
    result: dict[int, list[WorkPointsItem]] = {unit_id: [] for unit_id in unit_ids}
    for item in items:
        for unit_id in {item.lead_unit_id} | {unit.pk for unit in item.co_units.all()}:
            if unit_id in result:
                result[unit_id].append(item)
    return result


def _seated(day: dt.date) -> QuerySet[GroupMembership]:
    """The seats of the leading group on `day` whose person has an active login."""
    return GroupMembership.objects.active_on(day).filter(person__user__is_active=True)


def signed_items(year: int, units: Iterable[Unit]) -> dict[int, list[WorkPointsItem]]:
    """The items of each unit's signed target statement of `year` (only the units that
    have one). Two queries."""
    statements = TargetStatement.objects.filter(
        year=year, unit__in=list(units), state=TargetStatement.State.SIGNED
    ).prefetch_related(Prefetch("items", queryset=WorkPointsItem.objects.order_by("number")))
    return {s.unit_id: list(s.items.all()) for s in statements}


def statements_for_user(user: User | AnonymousUser) -> QuerySet[TargetStatement]:
    statements = TargetStatement.objects.select_related("unit", "signed_by__person").annotate(
        item_count=Count("items")
    )
    units = unit_ids_for(user)
    if units is None:
        return statements
    return statements.filter(unit_id__in=units)


def get_statement_for_user(user: User | AnonymousUser, pk: int) -> TargetStatement:
    try:
        return statements_for_user(user).get(pk=pk)
    except TargetStatement.DoesNotExist:
        raise Http404 from None


def statement_of(report: PerformanceReport) -> TargetStatement | None:
    """The unit's signed target statement of the round's year, for its report."""
    return TargetStatement.objects.filter(
        year=report.round.year, unit_id=report.unit_id, state=TargetStatement.State.SIGNED
    ).first()


def year_items(year: int) -> QuerySet[WorkPointsItem]:
    return WorkPointsItem.objects.filter(plan__year=year).order_by("number")


def heads_of(unit_id: int, day: dt.date | None = None) -> set[int]:
    """The unit's heads: the people seated on the leading group for it today who can
    log in. None (a unit with no seat, or whose head has no login): the office
    confirms for it."""
    day = day or timezone.localdate()
    return set(_seated(day).filter(unit_id=unit_id).values_list("person_id", flat=True))


def reports_to_confirm(user: User | AnonymousUser, today: dt.date) -> QuerySet[PerformanceReport]:
    """Reports waiting for this user's confirmation: of the units they head, and for the
    office those of the units with no head who can log in. One query."""
    person_id = getattr(user, "person_id", None)
    mine = Q(pk__in=[])
    if person_id is not None:
        mine |= Q(unit_id__in=_seated(today).filter(person_id=person_id).values("unit_id"))
    if is_office(user):
        mine |= ~Q(unit_id__in=_seated(today).values("unit_id"))
    return (
        PerformanceReport.objects.filter(mine, state=PerformanceReport.State.SUBMITTED)
        .select_related("unit", "round", "deadline")
        .order_by("round__due_on", "unit__sort_order", "pk")
    )


def ballots_to_cast(user: User | AnonymousUser, today: dt.date) -> QuerySet[ReviewRound]:
    """Open ballots this member of the leading group has not voted in. One query."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return ReviewRound.objects.none()
    seated = GroupMembership.objects.active_on(today).filter(person_id=person_id)
    return (
        ReviewRound.objects.filter(state=ReviewRound.State.RATING, method=ReviewRound.Method.BALLOT)
        .filter(Exists(seated))
        .exclude(receipts__voter_id=user.pk)
        .order_by("pk")
    )


def is_voter(user: User | AnonymousUser, day: dt.date | None = None) -> bool:
    """A member of the leading group today (组长, 副组长 or 成员) may vote."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or person_id is None:
        return False
    day = day or timezone.localdate()
    return GroupMembership.objects.active_on(day).filter(person_id=person_id).exists()


def has_voted(user: User | AnonymousUser, review: ReviewRound) -> bool:
    return (
        user.is_authenticated
        and BallotReceipt.objects.filter(round=review, voter_id=user.pk).exists()
    )


def default_units(day: dt.date) -> QuerySet[Unit]:
    """The member units a round calls by default: every unit with a member (成员) seated
    on the leading group today; the office edits the list."""
    seated = (
        GroupMembership.objects.active_on(day)
        .filter(role=GroupMembership.Role.MEMBER)
        .values("unit_id")
    )
    return Unit.objects.filter(is_active=True, pk__in=seated).order_by("sort_order", "name")


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


# The ballot --------------------------------------------------------------------------------


@dataclass
class Tally:
    unit: Unit
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def score(self) -> Decimal:
        """The mean of the ballots' points (优秀 100, 良好 80, 合格 60)."""
        if not self.total:
            return Decimal(0)
        points = sum(GRADE_POINTS[Grade(grade)] * n for grade, n in self.counts.items())
        return (Decimal(points) / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def plurality(self) -> str:
        """The grade most ballots gave; on a tie, the lower of the tied grades."""
        order = [Grade.QUALIFIED, Grade.GOOD, Grade.EXCELLENT]  # the lower wins a tie
        best = max(order, key=lambda grade: (self.counts[grade], -order.index(grade)))
        return str(best)

    def count(self, grade: str) -> int:
        return self.counts[grade]


@dataclass
class BallotResult:
    ballots: int
    minimum: int
    tallies: list[Tally]

    @property
    def visible(self) -> bool:
        return self.ballots >= self.minimum


def ballot_result(review: ReviewRound) -> BallotResult:
    """The ballots counted per unit and grade (two queries). The caller shows the
    tallies only when `visible`."""
    ballots = Ballot.objects.filter(round=review).count()
    units = {unit.pk: unit for unit in review.units.order_by("sort_order", "name")}
    tallies = {pk: Tally(unit=unit) for pk, unit in units.items()}
    for row in (
        BallotGrade.objects.filter(ballot__round=review)
        .values("unit_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["unit_id"] in tallies:
            tallies[row["unit_id"]].counts[row["grade"]] = row["n"]
    return BallotResult(ballots=ballots, minimum=ballot_minimum(), tallies=list(tallies.values()))


def unit_ratings(unit: Unit) -> QuerySet[Rating]:
    """The unit's locked results across years, newest first (the unit page)."""
    return (
        Rating.objects.filter(unit=unit, round__state=ReviewRound.State.LOCKED)
        .select_related("round")
        .order_by("-round__year", "-round__kind")
    )


def round_with_reports(pk: int) -> ReviewRound:
    return ReviewRound.objects.prefetch_related(
        Prefetch("reports", queryset=PerformanceReport.objects.select_related("unit"))
    ).get(pk=pk)


# The unit's page (portal.unit_panels) ---------------------------------------------------------


def open_items(user: User | AnonymousUser, unit: Unit, today: dt.date) -> list[OpenItem]:
    """The unit's reports not yet confirmed in rounds still open, with their light (one
    query)."""
    units = unit_ids_for(user)
    if units is not None and unit.pk not in units:
        return []
    yellow = yellow_until(today, current_calendar())
    rows = (
        PerformanceReport.objects.filter(unit=unit)
        .exclude(state=PerformanceReport.State.CONFIRMED)
        .exclude(round__state=ReviewRound.State.LOCKED)
        .select_related("round", "deadline")
        .order_by("round__due_on", "pk")
    )
    return [
        OpenItem(
            kind=str(_("述职报告")),
            title=f"{row.round.title}（{row.state_label}）",
            url=row.get_absolute_url(),
            due=row.due,
            light=row.deadline.light(today, yellow) if row.deadline else None,
        )
        for row in rows
    ]


def results(user: User | AnonymousUser, unit: Unit) -> list[ResultLine]:
    """The unit's locked ratings across the years, for those who may see them (the
    office, leaders and members; the unit's own commissioner). One query."""
    units = unit_ids_for(user)
    if units is not None and unit.pk not in units:
        return []
    lines = []
    for rating in unit_ratings(unit):
        result = rating.grade_label
        if rating.rank:
            result += str(_("（第%(rank)d名）") % {"rank": rating.rank})
        if rating.place:
            result += f" · {rating.place_label}"
        lines.append(
            ResultLine(
                kind=str(_("述职评议")),
                title=rating.round.title,
                result=result,
                url=rating.round.get_absolute_url(),
                year=rating.round.year,
            )
        )
    return lines

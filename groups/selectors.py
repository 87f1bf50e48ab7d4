"""Reads of the roster and the work points.

The roster API other apps call (meetings first):

- `group_on(day)`: the term in force on `day`, or None.
- `members_on(day)` / `members_today()`: the group's memberships held that day (组长,
  副组长, 成员), each with `person` and `unit` loaded; `roles=` narrows them.
- `people_in_group_on(day)`: the same as a Person queryset (e.g. whom to invite).
- `roster_on(day)`: everything on the org chart that day, in constant queries.
- `responsible_people_for(unit, day)`: who answers for a unit: its office member, or the
  commissioner of its general branch (for follow-up items and progress reports).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Light,
    Office,
    OfficeMember,
    ProgressReport,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
    progress_light,
)
from groups.seats import SEAT_KINDS, SEAT_ROLES, Category, category_of
from portal.models import Person, Role, Unit, User
from portal.paths import detail_path
from portal.permissions import roles_of, unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# The roster ---------------------------------------------------------------------------------


def group_on(day: dt.date) -> LeadingGroup | None:
    return (
        LeadingGroup.objects.filter(term_start__lte=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .first()
    )


def members_on(day: dt.date, *, roles: Iterable[str] | None = None) -> QuerySet[GroupMembership]:
    """Who was in the group on `day`: leaders, then deputies, then members."""
    memberships = GroupMembership.objects.active_on(day).select_related("person", "unit", "group")
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.order_by("unit__sort_order", "start_date", "pk")


def members_today() -> QuerySet[GroupMembership]:
    return members_on(timezone.localdate())


def people_in_group_on(day: dt.date) -> QuerySet[Person]:
    ids = GroupMembership.objects.active_on(day).values("person_id")
    return Person.objects.filter(pk__in=ids).select_related("unit")


def commissioner_of(branch: Unit, day: dt.date) -> BranchCommissioner | None:
    return (
        BranchCommissioner.objects.active_on(day)
        .filter(branch=branch)
        .select_related("person")
        .first()
    )


def responsible_people_for(unit: Unit, day: dt.date) -> list[Person]:
    """Who answers for `unit` on `day`: the office member seated for it; for a general
    branch or a school under one, the branch's commissioner."""
    people = [
        seat.person
        for seat in OfficeMember.objects.active_on(day)
        .filter(unit=unit, role=OfficeMember.Role.MEMBER)
        .select_related("person")
    ]
    branch = unit if unit.kind == Unit.Kind.BRANCH else unit.parent
    if branch is not None and branch.kind == Unit.Kind.BRANCH:
        commissioner = commissioner_of(branch, day)
        if commissioner is not None and commissioner.person not in people:
            people.append(commissioner.person)
    return people


ROLE_ORDER = [
    GroupMembership.Role.LEADER,
    GroupMembership.Role.DEPUTY_LEADER,
    GroupMembership.Role.MEMBER,
]


@dataclass
class Roster:
    """The group on one day, as the org chart shows it."""

    day: dt.date
    group: LeadingGroup | None
    leaders: list[GroupMembership] = field(default_factory=list)
    deputies: list[GroupMembership] = field(default_factory=list)
    members: list[GroupMembership] = field(default_factory=list)
    office: Office | None = None
    office_directors: list[OfficeMember] = field(default_factory=list)
    office_members: list[OfficeMember] = field(default_factory=list)
    commissioners: list[BranchCommissioner] = field(default_factory=list)
    vacant_branches: list[Unit] = field(default_factory=list)

    @property
    def memberships(self) -> list[GroupMembership]:
        return [*self.leaders, *self.deputies, *self.members]

    @property
    def size(self) -> int:
        return len(self.memberships)


def roster_on(day: dt.date) -> Roster:
    """Five queries whatever the size: the term, its memberships, its office, the office's
    seats, and the branches with their commissioners."""
    group = group_on(day)
    roster = Roster(day=day, group=group)
    if group is not None:
        for membership in members_on(day).filter(group=group):
            {
                GroupMembership.Role.LEADER: roster.leaders,
                GroupMembership.Role.DEPUTY_LEADER: roster.deputies,
                GroupMembership.Role.MEMBER: roster.members,
            }[GroupMembership.Role(membership.role)].append(membership)
        roster.office = Office.objects.select_related("unit").filter(group=group).first()
        if roster.office is not None:
            seats = (
                OfficeMember.objects.active_on(day)
                .filter(office=roster.office)
                .select_related("person", "unit")
                .order_by("unit__sort_order", "start_date")
            )
            for seat in seats:
                if seat.role == OfficeMember.Role.DIRECTOR:
                    roster.office_directors.append(seat)
                else:
                    roster.office_members.append(seat)
    branches = Unit.objects.filter(kind=Unit.Kind.BRANCH, is_active=True).prefetch_related(
        Prefetch(
            "commissioners",
            queryset=BranchCommissioner.objects.active_on(day).select_related("person", "branch"),
            to_attr="current_commissioners",
        )
    )
    for branch in branches:
        current = branch.current_commissioners
        if current:
            roster.commissioners.extend(current)
        else:
            roster.vacant_branches.append(branch)
    return roster


class SeatRow(NamedTuple):
    """One line of the roster's history table: plain values (the history holds every
    seat ever held, and only a page of them is shown)."""

    kind: str  # membership / office / commissioner (the URL kind)
    pk: int
    category: str
    person_id: int
    person_name: str
    unit_name: str
    unit_sort_order: int
    post: str
    start_date: dt.date
    end_date: dt.date | None
    note: str

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def category_label(self) -> str:
        return Category.label(self.category)

    @property
    def person_url(self) -> str:
        return detail_path("person_detail", self.person_id)


def seat_rows(*, day: dt.date | None = None, category: str = "") -> list[SeatRow]:
    """Every seat ever held (or those held on `day`), newest first, in three queries.
    Rows are read as values, not model instances: the list is sorted whole (held seats
    in org-chart order, then ended ones) and a page shows 50 of them."""
    memberships = GroupMembership.objects.all()
    office = OfficeMember.objects.all()
    commissioners = BranchCommissioner.objects.all()
    if day is not None:
        memberships, office, commissioners = (
            memberships.active_on(day),
            office.active_on(day),
            commissioners.active_on(day),
        )
    if category:
        kind = SEAT_KINDS.get(category)
        memberships = kind.narrow(memberships) if kind else memberships.none()
        office = kind.narrow(office) if kind else office.none()
        commissioners = kind.narrow(commissioners) if kind else commissioners.none()
    common = ("post", "start_date", "end_date", "note")
    person = ("person_id", "person__name")
    unit = ("unit__name", "unit__sort_order")
    branch = ("branch__name", "branch__sort_order")
    rows: list[SeatRow] = [
        SeatRow(GroupMembership.seat_kind, pk, role, *rest)
        for pk, role, *rest in memberships.values_list("pk", "role", *person, *unit, *common)
    ]
    rows += [
        SeatRow(OfficeMember.seat_kind, pk, category_of(OfficeMember, role), *rest)
        for pk, role, *rest in office.values_list("pk", "role", *person, *unit, *common)
    ]
    rows += [
        SeatRow(BranchCommissioner.seat_kind, pk, category_of(BranchCommissioner), *rest)
        for pk, *rest in commissioners.values_list("pk", *person, *branch, *common)
    ]
    order = {value: index for index, (value, _label) in enumerate(Category.choices())}

    def key(row: SeatRow) -> tuple[int, int, int, int]:
        # Seats still held first, in org-chart order; then ended ones, latest ended first.
        if row.end_date is None:
            return (0, order[row.category], row.unit_sort_order, row.pk)
        return (1, -row.end_date.toordinal(), order[row.category], row.unit_sort_order)

    rows.sort(key=key)
    return rows


SEAT_MODELS: dict[str, type[GroupMembership] | type[OfficeMember] | type[BranchCommissioner]] = {
    "membership": GroupMembership,
    "office": OfficeMember,
    "commissioner": BranchCommissioner,
}


def get_seat(kind: str, pk: int) -> GroupMembership | OfficeMember | BranchCommissioner:
    model = SEAT_MODELS.get(kind)
    if model is None:
        raise Http404
    try:
        return model.objects.select_related("person").get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


# Work points --------------------------------------------------------------------------------


def plans_for_user(user: User | AnonymousUser) -> QuerySet[WorkPoints]:
    """Every plan: work points are the whole group's and every role reads them."""
    return WorkPoints.objects.select_related("document").order_by("-year")


def get_plan(year: int) -> WorkPoints:
    try:
        return WorkPoints.objects.select_related("document").get(year=year)
    except WorkPoints.DoesNotExist:
        raise Http404 from None


@dataclass
class ItemStatus:
    """An item with its latest report, for the plan page and the year-end view."""

    item: WorkPointsItem
    percent: int | None
    reported_at: dt.datetime | None
    report_count: int
    light: Light
    outcome: str  # the latest report's text
    # Not reported when it should have been: no report once a quarter of the year has
    # gone, or an unfinished item's last report older than REPORT_INTERVAL_DAYS.
    overdue_days: int | None = None  # days since the last report, when overdue
    not_reported: bool = False

    @property
    def light_label(self) -> str:
        return str(self.light.label)


# A responsible unit reports on an unfinished item at least once a quarter.
REPORT_INTERVAL_DAYS = 90


def _report_overdue(
    percent: int | None, reported_at: dt.datetime | None, year: int, today: dt.date
) -> tuple[bool, int | None]:
    """(not reported at all though it should have been, days since the last report when
    that is too long) — pure."""
    if today.year != year:
        return (percent is None and today.year > year, None)
    if reported_at is None:
        return (progress_light(percent=None, year=year, today=today) == Light.LATE, None)
    if percent is not None and percent >= 100:
        return (False, None)
    days = (today - timezone.localdate(reported_at)).days
    return (False, days if days > REPORT_INTERVAL_DAYS else None)


def _latest(field_name: str) -> Subquery:
    latest = ProgressReport.objects.filter(item=OuterRef("pk")).order_by("-reported_at", "-pk")
    return Subquery(latest.values(field_name)[:1])


def item_statuses(plan: WorkPoints, today: dt.date | None = None) -> list[ItemStatus]:
    """Every item of the plan with its latest status, in two queries (the items with
    their latest report annotated, and their co-responsible units)."""
    from django.db.models import Count

    today = today or timezone.localdate()
    items = (
        plan.items.select_related("section", "lead_unit")
        .prefetch_related("co_units")
        .annotate(
            latest_percent=_latest("percent"),
            latest_at=_latest("reported_at"),
            latest_text=_latest("text"),
            report_count=Count("reports"),
        )
        .order_by("number")
    )
    statuses = []
    for item in items:
        not_reported, overdue_days = _report_overdue(
            item.latest_percent, item.latest_at, plan.year, today
        )
        statuses.append(
            ItemStatus(
                item=item,
                percent=item.latest_percent,
                reported_at=item.latest_at,
                report_count=item.report_count,
                light=progress_light(percent=item.latest_percent, year=plan.year, today=today),
                outcome=item.latest_text or "",
                not_reported=not_reported,
                overdue_days=overdue_days,
            )
        )
    return statuses


@dataclass
class SectionStatus:
    section: WorkPointsSection
    items: list[ItemStatus]


def sections_with_statuses(plan: WorkPoints, statuses: list[ItemStatus]) -> list[SectionStatus]:
    """Group item statuses under their sections (one query for the sections, so that an
    empty section still shows)."""
    by_section: dict[int, list[ItemStatus]] = {}
    for status in statuses:
        by_section.setdefault(status.item.section_id, []).append(status)
    return [
        SectionStatus(section, by_section.get(section.pk, []))
        for section in plan.sections.order_by("position")
    ]


def light_counts(statuses: list[ItemStatus]) -> list[tuple[Light, int]]:
    return [(light, sum(1 for s in statuses if s.light == light)) for light in Light]


def work_points_outcomes(year: int, today: dt.date | None = None) -> list[ItemStatus]:
    """The year-end view's data, for the annual report: each item with its final
    percentage, light and latest report. Empty when the year has no plan."""
    plan = WorkPoints.objects.filter(year=year).first()
    return [] if plan is None else item_statuses(plan, today)


@dataclass
class UnitOutcome:
    """One responsible unit's part of an item at the year's end."""

    unit: Unit
    lead: bool
    percent: int | None = None
    reported_at: dt.datetime | None = None
    text: str = ""
    report_count: int = 0
    evidence: list[ProgressReport] = field(default_factory=list)  # reports with a file


@dataclass
class YearEndItem:
    status: ItemStatus
    units: list[UnitOutcome]


def year_end(plan: WorkPoints, today: dt.date | None = None) -> list[YearEndItem]:
    """The year-end view: each item's final status, and for each responsible unit its
    latest percentage and report and every evidence file it gave. Three queries whatever
    the size: the items with their latest report, their co-units, the plan's reports."""
    statuses = item_statuses(plan, today)
    reports = (
        ProgressReport.objects.filter(item__plan=plan)
        .only(
            "pk",
            "item_id",
            "unit_id",
            "reported_at",
            "percent",
            "text",
            "evidence",
            "evidence_name",
        )
        .order_by("reported_at", "pk")
    )
    by_key: dict[tuple[int, int], list[ProgressReport]] = {}
    for report in reports:
        by_key.setdefault((report.item_id, report.unit_id), []).append(report)
    result = []
    for status in statuses:
        units = []
        for index, unit in enumerate(status.item.responsible_units()):
            mine = by_key.get((status.item.pk, unit.pk), [])
            outcome = UnitOutcome(unit=unit, lead=index == 0, report_count=len(mine))
            if mine:
                last = mine[-1]
                outcome.percent, outcome.reported_at, outcome.text = (
                    last.percent,
                    last.reported_at,
                    last.text,
                )
                outcome.evidence = [r for r in mine if r.evidence]
            units.append(outcome)
        result.append(YearEndItem(status, units))
    return result


def get_section(user: User | AnonymousUser, pk: int) -> WorkPointsSection:
    """A section of a work-points plan, with its plan. Every role reads the plan (the
    pages that change a section are the office's); a login without a role reads none."""
    sections = WorkPointsSection.objects.select_related("plan__document")
    if not roles_of(user):
        sections = sections.none()
    try:
        return sections.get(pk=pk)
    except WorkPointsSection.DoesNotExist:
        raise Http404 from None


def get_item(pk: int) -> WorkPointsItem:
    try:
        return (
            WorkPointsItem.objects.select_related("plan", "section", "lead_unit")
            .prefetch_related("co_units")
            .get(pk=pk)
        )
    except WorkPointsItem.DoesNotExist:
        raise Http404 from None


def can_view_reports(user: User | AnonymousUser, item: WorkPointsItem) -> bool:
    """Whether the item page has a reports section for the user: whoever sees the whole
    college, and a commissioner for items their unit shares (they see their own unit's
    reports there, `reports_for_item`)."""
    scope = unit_scope(user)
    if scope is None:
        return True
    return any(unit.pk in scope for unit in item.responsible_units())


def report_units_for(user: User | AnonymousUser) -> set[int] | None:
    """The units whose report texts and evidence the user may read (None: all). The
    office, leaders and members read every unit's; a commissioner only their own unit's,
    whoever leads the item: a shared item does not open the other units' reports."""
    return unit_scope(user)


def reports_for_item(
    item: WorkPointsItem, user: User | AnonymousUser | None = None
) -> QuerySet[ProgressReport]:
    """The item's reports, newest first; with `user`, only those they may read."""
    reports = item.reports.select_related("unit", "author__person").order_by("-reported_at", "-pk")
    units = report_units_for(user) if user is not None else None
    return reports if units is None else reports.filter(unit_id__in=units)


def get_report_for_user(user: User | AnonymousUser, pk: int) -> ProgressReport:
    """A report, or 404 when it does not exist or is another unit's than the user may
    read (`report_units_for`)."""
    try:
        report = ProgressReport.objects.select_related("item__lead_unit").get(pk=pk)
    except ProgressReport.DoesNotExist:
        raise Http404 from None
    units = report_units_for(user)
    if units is not None and report.unit_id not in units:
        raise Http404
    return report


def items_of_units(plan: WorkPoints, unit_ids: set[int]) -> set[int]:
    """The ids of the plan's items that any of these units leads or shares."""
    return set(
        plan.items.filter(Q(lead_unit_id__in=unit_ids) | Q(co_units__in=unit_ids))
        .values_list("pk", flat=True)
        .distinct()
    )


# The roster's login roles (read by groups.services.login_roles_sync and the daily job) ---


def roster_roles_on(person_ids: Iterable[int], day: dt.date) -> dict[int, set[str]]:
    """The login roles each person's seats give on `day`."""
    ids = set(person_ids)
    roles: dict[int, set[str]] = {pk: set() for pk in ids}
    for person_id, role in (
        GroupMembership.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", "role")
    ):
        roles[person_id].add(SEAT_ROLES[role])
    for person_id in (
        OfficeMember.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", flat=True)
    ):
        roles[person_id].add(Role.MEMBER)
    for person_id in (
        BranchCommissioner.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", flat=True)
    ):
        roles[person_id].add(Role.COMMISSIONER)
    return roles


def persons_with_seat_changes(today: dt.date, days: int = 7) -> set[int]:
    """People whose seat began, or ended, within the last `days` days (today included):
    the daily job re-syncs them, so a seat entered in advance takes effect on its day."""
    since = today - dt.timedelta(days=days - 1)
    began = Q(start_date__range=(since, today))
    ended = Q(end_date__range=(since - dt.timedelta(days=1), today - dt.timedelta(days=1)))
    ids: set[int] = set()
    for model in (GroupMembership, OfficeMember, BranchCommissioner):
        ids |= set(model.objects.filter(began | ended).values_list("person_id", flat=True))
    return ids


# The text handed to the documents workflow ------------------------------------------------


@dataclass(frozen=True)
class TextSection:
    heading: str  # 一、以政治建设为统领……
    items: list[str]  # 1. 持续强化政治引领。……（责任部门：党委统战部）


@dataclass(frozen=True)
class WorkPointsText:
    """What the documents workflow makes the issued document of: a title, the opening
    paragraph and the numbered sections, in the wording of the official text."""

    title: str
    preamble: str
    sections: list[TextSection] = field(default_factory=list)
    # Work points are an important document: the group leader signs (组长签发).
    signer: str = User.Leadership.GROUP_LEADER

    @property
    def body(self) -> str:
        """The whole text below the title in the documents workflow's plain-text form:
        paragraphs separated by a blank line, the sections' “一、” headings among them."""
        lines = [self.preamble] if self.preamble else []
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.items)
        return "\n\n".join(lines)


def item_paragraph(item: WorkPointsItem) -> str:
    title = item.title.rstrip("。．.")
    return _("%(number)d.%(title)s。%(body)s（责任部门：%(units)s）") % {
        "number": item.number,
        "title": title,
        "body": item.body.strip(),
        "units": item.units_line,
    }


def work_points_text(*, plan: WorkPoints) -> WorkPointsText:
    """The plan as text for the documents workflow (three queries)."""
    sections = list(plan.sections.order_by("position"))
    items = list(
        plan.items.select_related("lead_unit").prefetch_related("co_units").order_by("number")
    )
    by_section: dict[int, list[str]] = {section.pk: [] for section in sections}
    for item in items:
        by_section[item.section_id].append(item_paragraph(item))
    return WorkPointsText(
        title=plan.title,
        preamble=plan.preamble.strip(),
        sections=[TextSection(s.heading, by_section[s.pk]) for s in sections],
    )

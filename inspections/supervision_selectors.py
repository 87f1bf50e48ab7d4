"""Who sees which supervision case (督促检查), and what of it: the office and the leaders
every case and everything on it; a unit's commissioner or group member the approved
cases that inspect their unit (or a unit under it), and of those only their own units'
findings, evidence and feedback letters, and the notice once issued; everyone else
nothing. Enforced here, in the querysets the pages, files and exports read."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from inspections.models import CasePaper, Finding, InspectionItem, SupervisionCase
from inspections.transitions import UNIT_ROLES
from portal.deadlines.display import yellow_until
from portal.documents.models import Document
from portal.lib.queries import count_of
from portal.models import Role, Unit, User
from portal.permissions import has_role, own_unit_ids
from portal.unit_panels import OpenItem
from portal.workdays import current_calendar

SUPERVISION_ROLES = (Role.OFFICE, Role.LEADER, *UNIT_ROLES)
# A unit sees a case once its plan is approved (the plan is the office's and the leaders').
UNIT_VISIBLE_STATES = (SupervisionCase.State.APPROVED, SupervisionCase.State.CLOSED)
OPEN_STATES = (
    SupervisionCase.State.DRAFT,
    SupervisionCase.State.SUBMITTED,
    SupervisionCase.State.APPROVED,
)


def sees_whole_case(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICE, Role.LEADER)


def visible_unit_ids(user: User | AnonymousUser) -> set[int] | None:
    """The units whose findings and letters `user` may see; None: every unit."""
    if sees_whole_case(user):
        return None
    if not has_role(user, *UNIT_ROLES):
        return set()
    return own_unit_ids(user)


def cases_for_user(user: User | AnonymousUser) -> QuerySet[SupervisionCase]:
    rows = SupervisionCase.objects.all()
    units = visible_unit_ids(user)
    if units is None:
        return rows
    if not units:
        return rows.none()
    inspected = SupervisionCase.units.through.objects.filter(unit_id__in=units).values(
        "supervisioncase_id"
    )
    return rows.filter(pk__in=inspected, state__in=UNIT_VISIBLE_STATES)


def case_rows(user: User | AnonymousUser) -> QuerySet[SupervisionCase]:
    """The list's rows with the report's deadline and, counted for the page's rows
    only, the units inspected, the findings and the problems (of the units the user may
    see)."""
    through = SupervisionCase.units.through.objects.filter(supervisioncase_id=OuterRef("pk"))
    findings = Finding.objects.filter(case=OuterRef("pk"))
    units = visible_unit_ids(user)
    if units is not None:
        through = through.filter(unit_id__in=units)
        findings = findings.filter(unit_id__in=units)
    return (
        cases_for_user(user)
        .select_related("deadline")
        .annotate(
            unit_count=count_of(through),
            finding_count=count_of(findings),
            problem_count=count_of(findings.filter(is_problem=True)),
            open_problem_count=count_of(
                findings.filter(is_problem=True, rectification__isnull=True)
            ),
        )
        .order_by("-period_start", "-id")
    )


def get_case_for_user(user: User | AnonymousUser, pk: int) -> SupervisionCase:
    """The case with what its page shows `user`: units, items, papers (with their
    documents), findings of the units the user may see."""
    units = visible_unit_ids(user)
    findings = Finding.objects.select_related(
        "unit", "item", "rectification", "rectification__deadline"
    )
    papers = CasePaper.objects.select_related("document", "unit")
    if units is not None:
        findings = findings.filter(unit_id__in=units)
        # A unit sees its own letter and the notice once issued, never a draft.
        papers = papers.filter(
            Q(purpose=CasePaper.Purpose.FEEDBACK, unit_id__in=units)
            | Q(purpose=CasePaper.Purpose.NOTICE),
            document__state=Document.State.ISSUED,
        )
    try:
        return (
            cases_for_user(user)
            .select_related(
                "deadline", "created_by__person", "approved_by__person", "delegate__person"
            )
            .prefetch_related(
                Prefetch("units", queryset=Unit.objects.order_by("sort_order", "name")),
                "items",
                Prefetch(
                    "findings", queryset=findings.order_by("unit__sort_order", "unit__name", "id")
                ),
                Prefetch("papers", queryset=papers),
            )
            .get(pk=pk)
        )
    except SupervisionCase.DoesNotExist:
        raise Http404 from None


def get_finding_for_user(user: User | AnonymousUser, pk: int) -> Finding:
    rows = Finding.objects.select_related("case", "unit", "item").filter(
        case__in=cases_for_user(user)
    )
    units = visible_unit_ids(user)
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    try:
        return rows.get(pk=pk)
    except Finding.DoesNotExist:
        raise Http404 from None


def get_paper_for_user(user: User | AnonymousUser, pk: int) -> CasePaper:
    """A paper the office edits (the office's pages only: 404 for anyone else)."""
    if not has_role(user, Role.OFFICE):
        raise Http404
    try:
        return CasePaper.objects.select_related("case", "unit", "document").get(pk=pk)
    except CasePaper.DoesNotExist:
        raise Http404 from None


def active_items() -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(is_active=True).order_by("position", "id")


def deputies() -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True, leadership=User.Leadership.DEPUTY_LEADER, groups__name=Role.LEADER
        )
        .select_related("person")
        .order_by("person__name", "username")
        .distinct()
    )


def open_items(user: User | AnonymousUser, unit: Unit, today: dt.date) -> list[OpenItem]:
    """The unit page's panel (`portal.unit_panels`): the approved cases inspecting the
    unit, not yet closed, with the report's light for the office and the leaders (one
    query)."""
    visible = visible_unit_ids(user)
    if visible is not None and unit.pk not in visible:
        return []  # another unit's case: a unit sees its own (and those under it)
    yellow = yellow_until(today, current_calendar())
    rows = (
        cases_for_user(user)
        .filter(state=SupervisionCase.State.APPROVED, units=unit)
        .select_related("deadline")
        .order_by("-period_start", "-id")
    )
    return [
        OpenItem(
            kind=str(_("督促检查")),
            title=row.title,
            url=row.get_absolute_url(),
            # The report is the office's to make: its date and light are not the unit's.
            due=row.deadline.due if row.deadline and visible is None else None,
            light=row.deadline.light(today, yellow) if row.deadline and visible is None else None,
        )
        for row in rows
    ]

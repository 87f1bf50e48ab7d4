"""Who sees what of the experiences, briefings and information sent upward.

- Experiences and information: the office, the leaders and the group members every one;
  a branch commissioner their own unit's (and the units under it); another unit's is a
  404. Nobody else has the pages.
- Briefings (compiled from several units' experiences): the office, the leaders and the
  group members; once issued, the document goes where the documents workflow sends it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from portal.models import Role, Unit, User
from portal.paths import detail_path
from portal.permissions import has_role, is_office, own_unit_ids, unit_scope
from portal.unit_panels import ResultLine
from reports.models import Briefing, Commendation, Experience, InformationReport
from reports.upward_services import COMPILABLE_STATES

READERS = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)
WRITERS = (Role.OFFICE, Role.COMMISSIONER)  # who may draft (the office, for any unit)
BRIEFING_READERS = (Role.OFFICE, Role.LEADER, Role.MEMBER)


def _scoped(rows: QuerySet, user: User | AnonymousUser) -> QuerySet:  # type: ignore[type-arg]
    if not has_role(user, *READERS):
        return rows.none()
    scope = unit_scope(user)
    return rows if scope is None else rows.filter(unit_id__in=scope)


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


def writable_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units `user` may register for: any for the office, their own for a
    commissioner."""
    units = active_units()
    if is_office(user):
        return units
    if has_role(user, Role.COMMISSIONER):
        return units.filter(pk__in=own_unit_ids(user))
    return units.none()


def sees_all(user: User | AnonymousUser) -> bool:
    return unit_scope(user) is None and has_role(user, *READERS)


# Experiences ----------------------------------------------------------------------------


def experiences_for_user(user: User | AnonymousUser) -> QuerySet[Experience]:
    rows: QuerySet[Experience] = _scoped(Experience.objects.all(), user)
    return rows


def experience_rows(user: User | AnonymousUser) -> QuerySet[Experience]:
    return experiences_for_user(user).select_related("unit").order_by("-id")


def get_experience_for_user(user: User | AnonymousUser, pk: int) -> Experience:
    try:
        return experiences_for_user(user).select_related("unit", "created_by__person").get(pk=pk)
    except Experience.DoesNotExist:
        raise Http404 from None


def compilable_experiences() -> QuerySet[Experience]:
    """What a briefing may take: every selected experience, the oldest first."""
    return (
        Experience.objects.filter(state__in=COMPILABLE_STATES)
        .select_related("unit")
        .order_by("submitted_at", "id")
    )


# Briefings ------------------------------------------------------------------------------


def briefings_for_user(user: User | AnonymousUser) -> QuerySet[Briefing]:
    if not has_role(user, *BRIEFING_READERS):
        return Briefing.objects.none()
    return Briefing.objects.all()


def briefing_rows(user: User | AnonymousUser) -> QuerySet[Briefing]:
    return (
        briefings_for_user(user)
        .select_related("document")
        .annotate(entry_count=Count("entries"))
        .order_by("-id")
    )


def get_briefing_for_user(user: User | AnonymousUser, pk: int) -> Briefing:
    try:
        return briefings_for_user(user).select_related("document", "created_by__person").get(pk=pk)
    except Briefing.DoesNotExist:
        raise Http404 from None


# Information ----------------------------------------------------------------------------


def information_for_user(user: User | AnonymousUser) -> QuerySet[InformationReport]:
    rows: QuerySet[InformationReport] = _scoped(InformationReport.objects.all(), user)
    return rows


def information_rows(user: User | AnonymousUser) -> QuerySet[InformationReport]:
    return information_for_user(user).select_related("unit").order_by("-id")


def get_information_for_user(user: User | AnonymousUser, pk: int) -> InformationReport:
    try:
        return information_for_user(user).select_related("unit", "created_by__person").get(pk=pk)
    except InformationReport.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class UnitCounts:
    unit: str
    submitted: int  # submitted to the office in the year (returned ones too)
    sent: int  # sent upward
    adopted: int  # adopted by the upper level


SENT_STATES = (
    InformationReport.State.SENT,
    InformationReport.State.ADOPTED,
    InformationReport.State.NOT_ADOPTED,
)


def information_counts(user: User | AnonymousUser, year: int) -> list[UnitCounts]:
    """Per unit, in `year`: how many pieces were submitted to the office, sent upward and
    adopted (one query, grouped by unit). Units with none are left out."""
    rows = (
        information_for_user(user)
        .filter(year=year, submitted_at__isnull=False)
        .values("unit__name", "unit__sort_order")
        .annotate(
            submitted=Count("id"),
            sent=Count("id", filter=Q(state__in=SENT_STATES)),
            adopted=Count("id", filter=Q(state=InformationReport.State.ADOPTED)),
        )
        .order_by("unit__sort_order", "unit__name")
    )
    return [
        UnitCounts(
            unit=row["unit__name"],
            submitted=row["submitted"],
            sent=row["sent"],
            adopted=row["adopted"],
        )
        for row in rows
    ]


# The unit's page (`portal.unit_panels`) -------------------------------------------------


def commendation_items(user: User | AnonymousUser, unit: Unit) -> list[ResultLine]:
    """The unit's commendations for published experiences, the latest first (one query),
    among its results over the years (`portal.unit_panels.register_results`): shown to
    whoever may see the unit's experiences."""
    scope = unit_scope(user)
    if not has_role(user, *READERS) or (scope is not None and unit.pk not in scope):
        return []
    rows = Commendation.objects.filter(unit=unit).order_by("-commended_on", "-id")[:10]
    return [
        ResultLine(
            kind=str(_("通报表扬")),
            title=f"{row.commended_on:%Y-%m-%d} {row.text}",
            result=str(_("经验做法获刊发")),
            url=detail_path("experience_detail", row.experience_id),
            year=row.commended_on.year,
        )
        for row in rows
    ]

"""Who sees what of the research work (调研指导, 调研课题), in the querysets every page,
file and export reads.

- Contact points and research-guidance visits: the office (which keeps them), the
  leaders and the group members (who read them); nobody else.
- Research topics: the office and the leaders every one; a unit's commissioner or group
  member the topics their unit (or a unit under it) takes, directly or through one of
  its non-party figures; never another unit's (404).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from groups.models import WorkPointsItem
from inspections.models import ContactPoint, ResearchTopic, ResearchVisit
from inspections.transitions import UNIT_ROLES
from portal.deadlines.display import yellow_until
from portal.models import Person, Role, Unit, User
from portal.permissions import has_role, is_office, own_unit_ids
from portal.unit_panels import OpenItem
from portal.workdays import current_calendar

CONTACT_POINT_ROLES = (Role.OFFICE, Role.LEADER)
VISIT_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER)
TOPIC_ROLES = (Role.OFFICE, Role.LEADER, *UNIT_ROLES)

OPEN_VISIT_STATES = (ResearchVisit.State.PLANNED, ResearchVisit.State.ENDED)
OPEN_TOPIC_STATES = (ResearchTopic.State.PROPOSED, ResearchTopic.State.ASSIGNED)


def can_keep(user: User | AnonymousUser) -> bool:
    """Plans visits, keeps the contact points, sets topics: the office."""
    return is_office(user)


# Contact points (调研指导联系点) -----------------------------------------------------------


def contact_points_for_user(user: User | AnonymousUser) -> QuerySet[ContactPoint]:
    if not has_role(user, *CONTACT_POINT_ROLES):
        return ContactPoint.objects.none()
    return ContactPoint.objects.all()


def contact_point_rows(user: User | AnonymousUser) -> QuerySet[ContactPoint]:
    return contact_points_for_user(user).select_related("unit", "contact__person")


def get_contact_point_for_user(user: User | AnonymousUser, pk: int) -> ContactPoint:
    try:
        return contact_point_rows(user).get(pk=pk)
    except ContactPoint.DoesNotExist:
        raise Http404 from None


def office_users() -> QuerySet[User]:
    """Who may be a contact point's office contact person."""
    return (
        User.objects.filter(groups__name=Role.OFFICE, is_active=True)
        .select_related("person")
        .order_by("username")
        .distinct()
    )


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


def current_contact_unit_ids() -> set[int]:
    return set(ContactPoint.objects.filter(until__isnull=True).values_list("unit_id", flat=True))


# Research-guidance visits (调研指导) -----------------------------------------------------


def visits_for_user(user: User | AnonymousUser) -> QuerySet[ResearchVisit]:
    if not has_role(user, *VISIT_ROLES):
        return ResearchVisit.objects.none()
    return ResearchVisit.objects.all()


def visit_rows(user: User | AnonymousUser) -> QuerySet[ResearchVisit]:
    """The list's rows with their deadline, and the visited units (one more query for
    the page's rows)."""
    return (
        visits_for_user(user)
        .select_related("deadline")
        .prefetch_related("units")
        .order_by("-year", "-starts_on", "-id")
    )


def get_visit_for_user(user: User | AnonymousUser, pk: int) -> ResearchVisit:
    try:
        return (
            visits_for_user(user)
            .select_related("deadline", "planned_by__person")
            .prefetch_related("units", "rectifications__unit")
            .get(pk=pk)
        )
    except ResearchVisit.DoesNotExist:
        raise Http404 from None


def other_visits_in_year(year: int, *, exclude: int | None = None) -> int:
    """How many other visits (not cancelled) the year already has: the seed asks for one
    a year, so a second is warned about, not refused."""
    rows = ResearchVisit.objects.filter(year=year).exclude(state=ResearchVisit.State.CANCELLED)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.count()


# Research topics (调研课题) --------------------------------------------------------------


def topics_for_user(user: User | AnonymousUser) -> QuerySet[ResearchTopic]:
    rows = ResearchTopic.objects.all()
    if has_role(user, Role.OFFICE, Role.LEADER):
        return rows
    if not has_role(user, *UNIT_ROLES):
        return rows.none()
    units = own_unit_ids(user)
    return rows.filter(Q(unit_id__in=units) | Q(person__unit_id__in=units))


def topic_rows(user: User | AnonymousUser) -> QuerySet[ResearchTopic]:
    return (
        topics_for_user(user)
        .select_related("unit", "person__unit", "deadline", "work_points_item")
        .order_by("-year", "-id")
    )


def get_topic_for_user(user: User | AnonymousUser, pk: int) -> ResearchTopic:
    try:
        return (
            topics_for_user(user)
            .select_related(
                "unit",
                "person__unit",
                "deadline",
                "work_points_item__plan",
                "proposed_by__person",
            )
            .get(pk=pk)
        )
    except ResearchTopic.DoesNotExist:
        raise Http404 from None


def topic_people() -> QuerySet[Person]:
    """Who may take a topic: the non-party figures on the roster."""
    return Person.objects.select_related("unit").order_by("name", "pk")


def work_points_items() -> QuerySet[WorkPointsItem]:
    """The work points' items a topic may come from, the latest year first (the
    research seam: `inspections.research_selectors` → `groups.models`)."""
    return WorkPointsItem.objects.select_related("plan").order_by("-plan__year", "number")


# The unit's page (`portal.unit_panels`) -------------------------------------------------


def research_open_items(user: User | AnonymousUser, unit: Unit, today: dt.date) -> list[OpenItem]:
    """The unit's open research work `user` may see: visits to it whose report is not
    yet with the group, and topics it takes (itself or through its figures) not yet
    completed; with their lights (two queries)."""
    yellow = yellow_until(today, current_calendar())
    visits = (
        visits_for_user(user)
        .filter(units=unit, state__in=OPEN_VISIT_STATES)
        .select_related("deadline")
        .order_by("-year", "-starts_on", "-id")
    )
    topics = (
        topics_for_user(user)
        .filter(Q(unit=unit) | Q(person__unit=unit), state__in=OPEN_TOPIC_STATES)
        .select_related("deadline")
        .order_by("-year", "-id")
    )
    return [
        OpenItem(
            kind=str(_("调研指导")),
            title=f"{visit.year}：{visit.state_label}",
            url=visit.get_absolute_url(),
            due=visit.deadline.due if visit.deadline else None,
            light=visit.deadline.light(today, yellow) if visit.deadline else None,
        )
        for visit in visits
    ] + [
        OpenItem(
            kind=str(_("调研课题")),
            title=topic.title,
            url=topic.get_absolute_url(),
            due=topic.deadline.due if topic.deadline else None,
            light=topic.deadline.light(today, yellow) if topic.deadline else None,
        )
        for topic in topics
    ]

"""Who sees which rectification: the office and the leaders every one; a unit's
commissioner or group member only their own unit's (and the units under it), never
another unit's: enforced here, in the querysets every page, file and export reads."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from inspections.models import Admonition, AdmonitionTrigger, Measure, Progress, Rectification
from inspections.transitions import UNIT_ROLES
from portal.deadlines.display import yellow_until
from portal.lib.queries import count_of
from portal.models import Role, Unit, User
from portal.permissions import has_role, is_office, own_unit_ids
from portal.unit_panels import OpenItem
from portal.workdays import current_calendar

RECTIFICATION_ROLES = (Role.OFFICE, Role.LEADER, *UNIT_ROLES)
ADMONITION_ROLES = RECTIFICATION_ROLES


def rectifications_for_user(user: User | AnonymousUser) -> QuerySet[Rectification]:
    rows = Rectification.objects.all()
    if has_role(user, Role.OFFICE, Role.LEADER):
        return rows
    if not has_role(user, *UNIT_ROLES):
        return rows.none()
    return rows.filter(unit_id__in=own_unit_ids(user))


def rectification_rows(user: User | AnonymousUser) -> QuerySet[Rectification]:
    """The list's rows: the unit's name, the deadline, and the measures counted by state
    (subqueries for the page's rows only, not a GROUP BY of every rectification)."""
    measures = Measure.objects.filter(rectification=OuterRef("pk"))
    return (
        rectifications_for_user(user)
        .select_related("unit", "deadline")
        .annotate(
            measure_count=count_of(measures),
            accepted_count=count_of(measures.filter(state=Measure.State.ACCEPTED)),
            reported_count=count_of(measures.filter(state=Measure.State.REPORTED)),
        )
        .order_by("-opened_on", "-id")
    )


def get_rectification_for_user(
    user: User | AnonymousUser, pk: int, *, with_measures: bool = False
) -> Rectification:
    rows = rectifications_for_user(user).select_related("unit", "deadline", "opened_by__person")
    if with_measures:
        rows = rows.prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("verified_by__person"))
        )
    try:
        return rows.get(pk=pk)
    except Rectification.DoesNotExist:
        raise Http404 from None


def get_measure_for_user(user: User | AnonymousUser, pk: int) -> Measure:
    try:
        return Measure.objects.select_related("rectification__unit").get(
            pk=pk, rectification__in=rectifications_for_user(user)
        )
    except Measure.DoesNotExist:
        raise Http404 from None


def get_progress_for_user(user: User | AnonymousUser, pk: int) -> Progress:
    try:
        return Progress.objects.select_related("rectification").get(
            pk=pk, rectification__in=rectifications_for_user(user)
        )
    except Progress.DoesNotExist:
        raise Http404 from None


def can_assign(user: User | AnonymousUser) -> bool:
    return is_office(user)


def assignable_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "name")


def open_items(user: User | AnonymousUser, unit: Unit, today: dt.date) -> list[OpenItem]:
    """The unit page's panel (`portal.unit_panels`): the unit's open rectifications and
    admonition talks that `user` may see, with their lights (two queries)."""
    calendar = current_calendar()
    yellow = yellow_until(today, calendar)
    rows = (
        rectifications_for_user(user)
        .filter(unit=unit, state=Rectification.State.OPEN)
        .select_related("deadline")
        .order_by("-opened_on", "-id")
    )
    return [
        OpenItem(
            kind=str(_("整改")),
            title=row.title,
            url=row.get_absolute_url(),
            due=row.deadline.due if row.deadline else None,
            light=row.deadline.light(today, yellow) if row.deadline else None,
        )
        for row in rows
    ] + [
        OpenItem(
            kind=str(_("通报约谈")),
            # What it is about (its problems' first line) and where it stands.
            title=f"{Truncator(row.facts.splitlines()[0] if row.facts else '').chars(30)}"
            f"（{row.state_label}）",
            url=row.get_absolute_url(),
            due=row.deadline.due if row.deadline else None,
            light=row.deadline.light(today, yellow) if row.deadline else None,
        )
        for row in admonitions_for_user(user)
        .filter(unit=unit, state__in=OPEN_ADMONITION_STATES)
        .select_related("deadline")
    ]


# Admonition talks (通报约谈) ------------------------------------------------------------


OPEN_ADMONITION_STATES = (
    Admonition.State.PROPOSED,
    Admonition.State.TALKED,
    Admonition.State.REPORTED,
)


def admonitions_for_user(user: User | AnonymousUser) -> QuerySet[Admonition]:
    """The office and leaders see every admonition; a unit's commissioner or group member
    only their own unit's (and those under it)."""
    rows = Admonition.objects.all()
    if has_role(user, Role.OFFICE, Role.LEADER):
        return rows
    if not has_role(user, *UNIT_ROLES):
        return rows.none()
    return rows.filter(unit_id__in=own_unit_ids(user))


def admonition_rows(user: User | AnonymousUser) -> QuerySet[Admonition]:
    return (
        admonitions_for_user(user)
        .select_related("unit", "deadline")
        .order_by("-proposed_on", "-id")
    )


def get_admonition_for_user(user: User | AnonymousUser, pk: int) -> Admonition:
    try:
        return (
            admonitions_for_user(user)
            .select_related("unit", "deadline", "proposed_by__person", "rectification")
            .prefetch_related("triggers")
            .get(pk=pk)
        )
    except Admonition.DoesNotExist:
        raise Http404 from None


def active_triggers() -> QuerySet[AdmonitionTrigger]:
    return AdmonitionTrigger.objects.filter(is_active=True).order_by("position", "id")

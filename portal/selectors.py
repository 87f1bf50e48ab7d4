"""Reads scoped by user: every organisation page goes through these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.http import Http404

from portal.models import Person, Unit
from portal.permissions import unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


def units_for_user(user: User | AnonymousUser) -> QuerySet[Unit]:
    units = Unit.objects.select_related("parent")
    scope = unit_scope(user)
    return units if scope is None else units.filter(pk__in=scope)


def people_for_user(user: User | AnonymousUser) -> QuerySet[Person]:
    people = Person.objects.select_related("unit")
    scope = unit_scope(user)
    return people if scope is None else people.filter(unit_id__in=scope)


def unit_list_for_user(user: User | AnonymousUser) -> QuerySet[Unit]:
    return units_for_user(user).order_by("sort_order", "name")


def with_people_counts(units: Iterable[Unit]) -> list[Unit]:
    """The units of one page, each with `people_count`: one query over those units' people,
    rather than a join of every unit with every person before the page is cut."""
    page = list(units)
    counts = dict(
        Person.objects.filter(unit_id__in=[unit.pk for unit in page])
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    for unit in page:
        unit.people_count = counts.get(unit.pk, 0)
    return page


def get_unit_for_user(user: User | AnonymousUser, pk: int) -> Unit:
    """The unit, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return units_for_user(user).get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None


def get_person_for_user(user: User | AnonymousUser, pk: int) -> Person:
    try:
        return people_for_user(user).get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None

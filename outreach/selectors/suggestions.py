"""Reads of suggestions. The office and leaders see every suggestion and who raised it;
a unit's commissioner or group member sees those assigned to their unit (as lead or
co-unit), without the proposer's name (they answer the matter, the office speaks to the
person). Another unit's suggestion is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.http import Http404

from outreach.models import Suggestion
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

SUGGESTION_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def sees_all(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.OFFICE, Role.LEADER)


def can_see_proposer(user: User | AnonymousUser) -> bool:
    return sees_all(user)


def suggestions_for_user(user: User | AnonymousUser) -> QuerySet[Suggestion]:
    rows = Suggestion.objects.select_related("deadline", "lead_unit", "figure__person")
    if sees_all(user):
        return rows
    units = own_unit_ids(user) if has_role(user, Role.COMMISSIONER, Role.MEMBER) else set()
    if not units:
        return rows.none()
    mine = Suggestion.objects.filter(Q(lead_unit_id__in=units) | Q(co_units__in=units))
    rows = rows.filter(pk__in=mine.values("pk"))
    return rows


def list_rows(suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """What a row of the list shows, and no more: the names as annotations
    (`lead_unit_name`, `figure_name`) and the current deadline's dates, instead of five
    model instances with every text field a row."""
    return (
        suggestions.select_related(None)
        .select_related("deadline")
        .annotate(lead_unit_name=F("lead_unit__name"), figure_name=F("figure__person__name"))
        .only(
            "title",
            "raised_on",
            "raised_by",
            "state",
            "satisfaction",
            "deadline__due",
            "deadline__due_provisional",
            "deadline__state",
        )
    )


def get_suggestion_for_user(user: User | AnonymousUser, pk: int) -> Suggestion:
    try:
        return suggestions_for_user(user).prefetch_related("co_units").get(pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None


def may_record(user: User | AnonymousUser) -> bool:
    return is_office(user)

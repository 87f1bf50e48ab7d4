"""Reads of suggestions. The office and leaders see every suggestion and who raised it;
a unit's commissioner or group member sees those assigned to their unit (as lead or
co-unit), without the proposer's name (they answer the matter, the office speaks to the
person). Another unit's suggestion is a 404."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from outreach.models import Suggestion
from portal.deadlines.models import Deadline, Light, light_of, overdue_q
from portal.models import Role, choice_label
from portal.paths import detail_path
from portal.permissions import has_role, is_office, own_unit_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

SUGGESTION_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


def answered_on_time_q() -> Q:
    """Suggestions the lead unit answered (答复) within its deadline every time it was
    asked (a returned answer opens another round): answered, and no answer-step deadline
    of theirs was met after its due date or is still open past it. The annual report's
    on-time figure and the list's `?answered=on_time` filter, one definition."""
    from outreach import rules

    late = Deadline.objects.filter(
        rule=rules.SUGGESTION_ANSWER,
        content_type=ContentType.objects.get_for_model(Suggestion),
        object_id=OuterRef("pk"),
    ).filter(
        Q(state=Deadline.State.MET, closed_at__date__gt=F("due")) | overdue_q(timezone.localdate())
    )
    return Q(answered_on__isnull=False) & ~Q(Exists(late))


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


class SuggestionRow(NamedTuple):
    """A row of the suggestions list, as plain values (`list_rows`)."""

    pk: int
    title: str
    raised_on: dt.date
    state: str
    satisfaction: str
    lead_unit_name: str | None
    figure_name: str | None  # the proposer: None unless the reader may see it
    raised_by: str | None  # the same
    due: dt.date | None  # the current step's deadline, if any
    due_provisional: bool | None
    deadline_state: str | None
    light: Light | None = None  # the deadline's light (`light_of`), set by `list_rows`

    def get_absolute_url(self) -> str:
        return detail_path("suggestion_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Suggestion.State, self.state)

    @property
    def satisfaction_label(self) -> str:
        return choice_label(Suggestion.Satisfaction, self.satisfaction)


def list_rows(
    suggestions: QuerySet[Suggestion],
    *,
    with_proposer: bool,
    today: dt.date,
    yellow_until: dt.date,
) -> list[SuggestionRow]:
    """What a row of the list shows, and no more, read as values (a model instance and
    its deadline's a row before): the names, the state, and the current deadline's dates
    and light. The proposer (figure or free text) only `with_proposer` (`can_see_proposer`);
    otherwise it is not read at all."""
    figure_name: Any = F("figure__person__name")
    raised_by: Any = F("raised_by")
    if not with_proposer:
        figure_name = raised_by = Value(None, output_field=CharField())
    rows = (
        suggestions.select_related(None)
        .order_by()  # paginate_keys puts the page in order
        .annotate(
            lead_unit_name=F("lead_unit__name"), figure_name=figure_name, raised_by_=raised_by
        )
        .values_list(
            "pk",
            "title",
            "raised_on",
            "state",
            "satisfaction",
            "lead_unit_name",
            "figure_name",
            "raised_by_",
            "deadline__due",
            "deadline__due_provisional",
            "deadline__state",
        )
    )
    result = []
    for values in rows:
        row = SuggestionRow(*values)
        if row.due is not None and row.deadline_state is not None:
            row = row._replace(light=light_of(row.deadline_state, row.due, today, yellow_until))
        result.append(row)
    return result


def get_suggestion_for_user(user: User | AnonymousUser, pk: int) -> Suggestion:
    try:
        return suggestions_for_user(user).prefetch_related("co_units").get(pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None


def may_record(user: User | AnonymousUser) -> bool:
    return is_office(user)

"""Reads of the cadre reserve and training records.

The office and leaders see the whole reserve; a branch commissioner sees their own
unit's cadres (they recommend them); group members and others none. The office's
assessment notes are the office's alone: `can_read_assessment`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from outreach.models import Figure, ReserveCadre, TrainingRecord
from portal.lib.queries import count_of
from portal.models import Role, choice_label
from portal.paths import detail_path
from portal.permissions import has_role, is_office, unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

RESERVE_ROLES = (Role.OFFICE, Role.LEADER, Role.COMMISSIONER)
ORDERING = ("figure__person__unit__sort_order", "figure__person__name", "-added_on")


def can_see_reserve(user: User | AnonymousUser) -> bool:
    return has_role(user, *RESERVE_ROLES)


def can_read_assessment(user: User | AnonymousUser) -> bool:
    return is_office(user)


def reserve_for_user(user: User | AnonymousUser) -> QuerySet[ReserveCadre]:
    """The reserve entries `user` may see, with the figure, person and unit joined and
    each one's training count and last course end (one query for a page)."""
    if not can_see_reserve(user):
        return ReserveCadre.objects.none()
    entries = with_training(ReserveCadre.objects.select_related("figure__person__unit")).order_by(
        *ORDERING
    )
    scope = unit_scope(user)
    if scope is not None:
        entries = entries.filter(figure__person__unit_id__in=scope)
    if not can_read_assessment(user):
        entries = entries.defer("assessment")
    return entries


def with_training(entries: QuerySet[ReserveCadre]) -> QuerySet[ReserveCadre]:
    """Annotate each entry's training count and last course end (subqueries)."""
    trainings = TrainingRecord.objects.filter(person_id=OuterRef("figure__person_id"))
    return entries.annotate(
        training_count=count_of(trainings),
        last_training=Subquery(trainings.order_by("-end_on").values("end_on")[:1]),
    )


class CadreRow(NamedTuple):
    """A row of the reserve list, as plain values (`list_rows`): never the office's
    assessment (the list does not show it)."""

    pk: int
    name: str
    unit_name: str
    category: str
    proposed_post: str
    added_on: dt.date
    removed_on: dt.date | None
    outcome: str
    training_count: int
    last_training: dt.date | None

    def get_absolute_url(self) -> str:
        return detail_path("reserve_detail", self.pk)

    @property
    def category_label(self) -> str:
        return choice_label(Figure.Category, self.category)

    @property
    def outcome_label(self) -> str:
        return choice_label(ReserveCadre.Outcome, self.outcome) if self.outcome else ""


def list_rows(entries: QuerySet[ReserveCadre]) -> list[CadreRow]:
    """A page of the reserve list as values: the person's name and unit, the figure's
    category, the entry's dates and the training columns (a model instance and its
    figure's a row before)."""
    rows = with_training(
        entries.select_related(None)
        .order_by()  # paginate_keys puts the page in order
        .annotate(
            name=F("figure__person__name"),
            unit_name=F("figure__person__unit__name"),
            category=F("figure__category"),
        )
    )
    return [CadreRow(*values) for values in rows.values_list(*CadreRow._fields)]


def reserve_state_q(state: str, today: dt.date) -> Q:
    """`current` (in the reserve today), `ended` (left it), anything else: all."""
    if state == "current":
        return Q(added_on__lte=today) & (Q(removed_on__isnull=True) | Q(removed_on__gt=today))
    if state == "ended":
        return Q(removed_on__lte=today)
    return Q()


def get_reserve_for_user(user: User | AnonymousUser, pk: int) -> ReserveCadre:
    """One entry with its figure's positions, or 404 outside the user's scope."""
    try:
        return reserve_for_user(user).prefetch_related("figure__positions").get(pk=pk)
    except ReserveCadre.DoesNotExist:
        raise Http404 from None


def trainings_of(person_id: int) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(person_id=person_id).order_by("-start_on", "id")


def get_training_for_user(user: User | AnonymousUser, pk: int) -> TrainingRecord:
    """A training record of someone in the reserve the user may see (for its
    certificate), or 404."""
    people = reserve_for_user(user).values("figure__person_id")
    try:
        return TrainingRecord.objects.select_related("person").get(pk=pk, person_id__in=people)
    except TrainingRecord.DoesNotExist:
        raise Http404 from None

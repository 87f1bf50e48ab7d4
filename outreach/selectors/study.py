"""Reads of the learning system: the activities a user may see, who an audience
reaches, and the year board (each person's confirmations and each figure's "五个一").

The office and leaders see every activity and the whole board; a branch commissioner
sees the activities reaching their unit's people and their unit's rows; anyone else,
the activities they were asked to take part in (`my_studies`). Nothing here is
sensitive: the board shows names, units and counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from outreach.models import (
    Figure,
    FiveOne,
    FriendshipPair,
    ReserveCadre,
    StudyActivity,
    StudyParticipant,
)
from portal.lib.queries import count_of
from portal.models import Person, Role, choice_label
from portal.permissions import has_role, is_office, unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

STUDY_ROLES = (Role.OFFICE, Role.LEADER, Role.COMMISSIONER)

# The groups an activity can be sent to (the form's choices), resolved on the day sent.
AUDIENCES = {
    "figures": _("全部在册党外人士"),
    "representatives": _("党外代表人士"),
    "key_contacts": _("重点联系对象"),
    "reserve": _("党外后备干部"),
    "paired_leaders": _("联系交友的党员领导干部"),
}


def audience_people(
    groups: list[str],
    *,
    categories: list[str] = (),  # type: ignore[assignment]
    units: list[int] = (),  # type: ignore[assignment]
    extra: list[int] = (),  # type: ignore[assignment]
    today: dt.date,
) -> QuerySet[Person]:
    """The people `groups` (keys of AUDIENCES) and `categories` (Figure.Category) reach
    on `today`, narrowed to `units` if given, plus the `extra` people by id."""
    figures = Figure.objects.active()
    selected = Q(pk__in=[])
    if "figures" in groups:
        selected |= Q(pk__in=figures.values("person_id"))
    if "representatives" in groups:
        selected |= Q(pk__in=figures.filter(is_representative=True).values("person_id"))
    if "key_contacts" in groups:
        selected |= Q(pk__in=figures.filter(is_key_contact=True).values("person_id"))
    if "reserve" in groups:
        selected |= Q(
            pk__in=ReserveCadre.objects.current_on(today)
            .filter(figure__is_active=True)
            .values("figure__person_id")
        )
    if "paired_leaders" in groups:
        selected |= Q(pk__in=FriendshipPair.objects.active_on(today).values("leader_id"))
    if categories:
        selected |= Q(pk__in=figures.filter(category__in=categories).values("person_id"))
    people = Person.objects.filter(selected)
    if units:
        people = people.filter(unit_id__in=units)
    if extra:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=extra))
    return people.order_by("unit__sort_order", "name")


def can_see_studies(user: User | AnonymousUser) -> bool:
    return has_role(user, *STUDY_ROLES)


def activities_for_user(user: User | AnonymousUser) -> QuerySet[StudyActivity]:
    """The activities `user` may see, each with its count of people and of confirmations
    (one query for a page; the counts are computed for the page's rows only)."""
    participants = StudyParticipant.objects.filter(activity=OuterRef("pk"))
    activities = StudyActivity.objects.annotate(
        reached=count_of(participants),
        confirmed=count_of(participants.filter(confirmed_at__isnull=False)),
    ).order_by("-held_on", "-id")
    person_id: int | None = getattr(user, "person_id", None)
    if person_id is None:
        mine = Q(pk__in=[])
    else:
        mine = Q(
            Exists(StudyParticipant.objects.filter(activity=OuterRef("pk"), person_id=person_id))
        )
    if not can_see_studies(user):
        return activities.filter(mine)
    scope = unit_scope(user)
    if scope is not None:
        in_scope = Exists(
            StudyParticipant.objects.filter(activity=OuterRef("pk"), person__unit_id__in=scope)
        )
        activities = activities.filter(in_scope | mine)
    return activities


def get_activity_for_user(user: User | AnonymousUser, pk: int) -> StudyActivity:
    try:
        return activities_for_user(user).select_related("created_by__person").get(pk=pk)
    except StudyActivity.DoesNotExist:
        raise Http404 from None


def participants_for_user(
    user: User | AnonymousUser, activity: StudyActivity
) -> QuerySet[StudyParticipant]:
    """The people of `activity` the user may see: all for the office and leaders, their
    unit's for a commissioner, themself for anyone else."""
    rows = activity.participants.select_related("person__unit", "confirmed_by").order_by(
        "person__unit__sort_order", "person__name"
    )
    if not can_see_studies(user):
        person_id: int | None = getattr(user, "person_id", None)
        return rows.filter(person_id=person_id) if person_id is not None else rows.none()
    scope = unit_scope(user)
    if scope is not None:
        return rows.filter(person__unit_id__in=scope)
    return rows


def my_row(user: User | AnonymousUser, activity: StudyActivity) -> StudyParticipant | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return activity.participants.filter(person_id=person_id).first()


class MyStudy(NamedTuple):
    """A row of 我的学习, as plain values: the activity and whether it is confirmed."""

    activity_id: int
    held_on: dt.date
    title: str
    kind: str
    confirm_by: dt.date | None
    confirmed_at: dt.datetime | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def kind_label(self) -> str:
        return choice_label(StudyActivity.Kind, self.kind)

    @property
    def is_online(self) -> bool:
        return self.kind == StudyActivity.Kind.ONLINE


def my_participations(user: User | AnonymousUser) -> QuerySet[Any]:
    """我的学习: the user's own rows, newest activity first, as `MyStudy` values (with
    `my_study_rows`) rather than a participant, its activity and its confirmer as model
    instances."""
    person_id: int | None = getattr(user, "person_id", None)
    if person_id is None:
        return StudyParticipant.objects.none().values_list("pk")
    return (
        StudyParticipant.objects.filter(person_id=person_id)
        .order_by("-activity__held_on", "-activity_id")
        .values_list(
            "activity_id",
            "activity__held_on",
            "activity__title",
            "activity__kind",
            "activity__confirm_by",
            "confirmed_at",
        )
    )


def my_study_rows(values: Iterable[tuple[Any, ...]]) -> list[MyStudy]:
    return [MyStudy(*row) for row in values]


def can_manage(user: User | AnonymousUser) -> bool:
    return is_office(user)


# --- the year board ---


class Done(NamedTuple):
    """One of a figure's "五个一" done in the year, as the board shows it."""

    figure_id: int
    item: str
    done_on: dt.date
    title: str


# What a board row reads of a figure (`board_values`), in this order.
BOARD_FIELDS = ("pk", "person_id", "person__name", "person__unit__name", "category")


@dataclass
class BoardRow:
    """One figure's year: activities reached and confirmed, and the "五个一" done. Plain
    values, not model instances (a page built 150 instances for three names)."""

    figure_pk: int
    person_id: int
    name: str
    unit_name: str
    category: str
    reached: int = 0
    confirmed: int = 0
    items: dict[str, Done] = field(default_factory=dict)

    @property
    def category_label(self) -> str:
        return choice_label(Figure.Category, self.category)

    @property
    def cells(self) -> list[Done | None]:
        return [self.items.get(item) for item in FiveOne.Item.values]

    @property
    def five_done(self) -> int:
        return len(self.items)

    @property
    def study_complete(self) -> bool:
        return self.reached > 0 and self.confirmed == self.reached


def board_figures(user: User | AnonymousUser) -> QuerySet[Figure]:
    """The figures on the board for `user`: the active register, a commissioner's unit."""
    if not can_see_studies(user):
        return Figure.objects.none()
    figures = Figure.objects.active().select_related("person__unit")
    scope = unit_scope(user)
    if scope is not None:
        figures = figures.filter(person__unit_id__in=scope)
    return figures.order_by("person__unit__sort_order", "person__name")


def board_values(figures: QuerySet[Figure]) -> QuerySet[Any]:
    """`figures` (from `board_figures`, filtered) as the tuples `board_rows` reads."""
    return figures.values_list(*BOARD_FIELDS)


def board_rows(figures: Iterable[tuple[Any, ...]], year: int) -> list[BoardRow]:
    """The board's rows for `figures` (`board_values` tuples, a page of them) in
    `year`: two queries."""
    rows = {values[1]: BoardRow(*values) for values in figures}
    # The year's activities as a subquery: SQLite then reads the page's 50 people's
    # participations instead of probing every activity of the year for each of them.
    of_year = StudyActivity.objects.filter(held_on__year=year).values("pk")
    counts = (
        StudyParticipant.objects.filter(person_id__in=rows, activity__in=of_year)
        .order_by()
        .values_list("person_id")
        .annotate(reached=Count("pk"), done=Count("pk", filter=Q(confirmed_at__isnull=False)))
    )
    for person_id, reached, confirmed in counts:
        row = rows[person_id]
        row.reached, row.confirmed = reached, confirmed
    by_figure: dict[int, dict[str, Done]] = defaultdict(dict)
    done = (
        FiveOne.objects.filter(figure_id__in=[row.figure_pk for row in rows.values()], year=year)
        .order_by()
        .values_list("figure_id", "item", "done_on", "title")
    )
    for values in done:
        record = Done(*values)
        by_figure[record.figure_id][record.item] = record
    for row in rows.values():
        row.items = by_figure.get(row.figure_pk, {})
    return list(rows.values())


def five_ones_of(figure: Figure, year: int | None = None) -> QuerySet[FiveOne]:
    records = FiveOne.objects.filter(figure=figure).select_related("recorded_by__person")
    if year is not None:
        records = records.filter(year=year)
    return records.order_by("-year", "item")


def can_record_five_one(user: User | AnonymousUser, figure: Figure) -> bool:
    """The office, or the figure themself."""
    return is_office(user) or (
        getattr(user, "person_id", None) is not None and user.person_id == figure.person_id  # type: ignore[union-attr]
    )

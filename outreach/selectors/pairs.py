"""Reads of friendship pairs, contacts and heart-to-heart talks, and the coverage board.

Who sees what: the office sees every pair, contact and talk; anyone else sees the pairs
they lead and the contacts and talks they took part in as the leader (what a figure said
is sensitive: `outreach.access`). A record outside that is a 404.

The board's lights are computed from the contacts themselves (the source of truth); the
deadline engine's quota deadlines (`outreach.rules`) remind from the same records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from outreach.models import Contact, Figure, FriendshipPair, Talk
from portal.deadlines import periods
from portal.deadlines.display import yellow_until
from portal.lib.queries import grouped_by
from portal.models import Role
from portal.permissions import is_office
from portal.workdays import current_calendar

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

# Who opens the pairs, contacts, talks and the coverage board (what each sees: above).
PAIR_ROLES = (Role.OFFICE, Role.LEADER, Role.MEMBER)


def person_id_of(user: User | AnonymousUser) -> int | None:
    return getattr(user, "person_id", None) if user.is_authenticated else None


def may_record(user: User | AnonymousUser) -> bool:
    """The office records for anyone; a leader for themself, while they lead a pair."""
    if is_office(user):
        return True
    person_id = person_id_of(user)
    return person_id is not None and FriendshipPair.objects.filter(leader_id=person_id).exists()


def pairs_for_user(user: User | AnonymousUser) -> QuerySet[FriendshipPair]:
    pairs = FriendshipPair.objects.select_related("leader__unit", "figure__person__unit").order_by(
        "leader__name", "figure__person__name", "-start_date", "pk"
    )
    if is_office(user):
        return pairs
    person_id = person_id_of(user)
    return pairs.filter(leader_id=person_id) if person_id else pairs.none()


def with_names(pairs: QuerySet[FriendshipPair]) -> QuerySet[FriendshipPair]:
    """The pairs with what a list row shows of the leader and the figure as plain
    annotations (`leader_name`, `figure_name`, `figure_unit`, `key_contact`): one model
    instance a row instead of four through `select_related`."""
    return pairs.select_related(None).annotate(
        leader_name=F("leader__name"),
        figure_name=F("figure__person__name"),
        figure_unit=F("figure__person__unit__name"),
        key_contact=F("figure__is_key_contact"),
    )


class PairRow(NamedTuple):
    """A row of the pairs list, as plain values (`pair_rows`)."""

    pk: int
    figure_id: int
    start_date: dt.date
    end_date: dt.date | None
    note: str
    leader_name: str
    figure_name: str
    figure_unit: str
    key_contact: bool
    last_contact: dt.date | None
    last_talk: dt.date | None

    @property
    def last_seen(self) -> dt.date | None:
        """The later of the last contact and the last sent talk."""
        found = [d for d in (self.last_contact, self.last_talk) if d is not None]
        return max(found, default=None)


def pair_rows(pairs: QuerySet[FriendshipPair], *, start: dt.date, end: dt.date) -> list[PairRow]:
    """`pairs` (a page of them) as the list shows them: names (`with_names`) and the last
    contact and talk in [start, end] (`with_last_contact`), read as values, not model
    instances."""
    annotated = with_last_contact(with_names(pairs), start=start, end=end)
    return [PairRow(*values) for values in annotated.values_list(*PairRow._fields)]


def get_pair_for_user(user: User | AnonymousUser, pk: int) -> FriendshipPair:
    try:
        return pairs_for_user(user).get(pk=pk)
    except FriendshipPair.DoesNotExist:
        raise Http404 from None


def contacts_for_user(user: User | AnonymousUser) -> QuerySet[Contact]:
    contacts = Contact.objects.select_related("leader__unit", "recorded_by__person")
    if is_office(user):
        return contacts
    person_id = person_id_of(user)
    return contacts.filter(leader_id=person_id) if person_id else contacts.none()


def talks_for_user(user: User | AnonymousUser) -> QuerySet[Talk]:
    talks = Talk.objects.select_related("leader__unit", "recorded_by__person")
    if is_office(user):
        return talks
    person_id = person_id_of(user)
    return talks.filter(leader_id=person_id) if person_id else talks.none()


def figure_names_by_record(records: QuerySet[Contact] | QuerySet[Talk]) -> dict[int, list[str]]:
    """Record id → the names of its figures (in name order), for every record of a
    queryset in one query (its ids as a subquery): an export's rows at any count."""
    model = records.model
    key = f"{model._meta.model_name}_id"
    names: dict[int, list[str]] = grouped_by(
        records,
        model.figures.through.objects.order_by(key, "figure__person__name", "figure_id"),
        key,
        "figure__person__name",
    )
    return names


def with_figure_names(records: Iterable[Contact | Talk]) -> list[Contact | Talk]:
    """Set `figure_names` (the names of each record's figures, in name order) on a page of
    contacts or talks: one query of names, instead of a prefetch building a figure and a
    person instance for each."""
    rows = list(records)
    if not rows:
        return rows
    model = type(rows[0])
    through = model.figures.through
    key = f"{model._meta.model_name}_id"
    names: dict[int, list[str]] = {row.pk: [] for row in rows}
    pairs = (
        through.objects.filter(**{f"{key}__in": list(names)})
        .order_by("figure__person__name", "figure_id")
        .values_list(key, "figure__person__name")
    )
    for pk, name in pairs:
        names[pk].append(name)
    for row in rows:
        row.figure_names = names[row.pk]  # type: ignore[union-attr]
    return rows


def get_contact_for_user(user: User | AnonymousUser, pk: int) -> Contact:
    try:
        return contacts_for_user(user).prefetch_related("figures__person").get(pk=pk)
    except Contact.DoesNotExist:
        raise Http404 from None


def get_talk_for_user(user: User | AnonymousUser, pk: int) -> Talk:
    try:
        return talks_for_user(user).prefetch_related("figures__person").get(pk=pk)
    except Talk.DoesNotExist:
        raise Http404 from None


def figures_for_recording(user: User | AnonymousUser, day: dt.date) -> QuerySet[Figure]:
    """Whom a user may record a contact with: the office, any figure in the register; a
    leader, the figures they are paired with (on `day`)."""
    figures = Figure.objects.active().select_related("person__unit")
    if is_office(user):
        return figures
    person_id = person_id_of(user)
    paired = FriendshipPair.objects.active_on(day).filter(leader_id=person_id)
    return figures.filter(pk__in=paired.values("figure_id"))


# The last contact of each pair in a period -----------------------------------------------


def with_last_contact(
    pairs: QuerySet[FriendshipPair], *, start: dt.date, end: dt.date
) -> QuerySet[FriendshipPair]:
    """Annotate `last_contact` (a contact) and `last_talk` (a sent talk): the latest date
    in [start, end] that is also within the pair's own dates. One query for any number
    of pairs."""
    last_contact, last_talk = _latest_dates(start, end)
    return pairs.annotate(
        _until=Coalesce("end_date", Value(end), output_field=DateField()),
    ).annotate(last_contact=last_contact, last_talk=last_talk)


@lru_cache(maxsize=64)
def _latest_dates(start: dt.date, end: dt.date) -> tuple[Subquery, Subquery]:
    """`with_last_contact`'s two subqueries for a period, built once per period: Django
    took longer to build them (a filter of four lookups on a many-to-many, each against
    the outer pair) than SQLite to run them. The subqueries are never changed: each
    `annotate()` resolves a copy."""

    def latest(model: type[Contact] | type[Talk], extra: Q) -> Subquery:
        rows = (
            model.objects.filter(extra)
            .filter(leader_id=OuterRef("leader_id"), figures=OuterRef("figure_id"))
            .filter(date__gte=start, date__lte=end)
            .filter(date__gte=OuterRef("start_date"), date__lte=OuterRef("_until"))
            .order_by("-date")
            .values("date")[:1]
        )
        return Subquery(rows, output_field=DateField())

    return latest(Contact, Q()), latest(Talk, ~Q(state=Talk.State.DRAFT))


def last_contacts(
    pairs: Iterable[FriendshipPair], *, start: dt.date, end: dt.date, talks_only: bool
) -> dict[int, dt.date | None]:
    """Pair id → the last contact (or sent talk) in the period, for the reminder scan."""
    ids = [pair.pk for pair in pairs]
    if not ids:
        return {}
    rows = with_last_contact(FriendshipPair.objects.filter(pk__in=ids), start=start, end=end)
    result: dict[int, dt.date | None] = {}
    for row in rows.values("pk", "last_contact", "last_talk"):  # type: ignore[misc]
        dates = [row["last_talk"]] if talks_only else [row["last_contact"], row["last_talk"]]
        present = [d for d in dates if d is not None]
        result[row["pk"]] = max(present) if present else None
    return result


# The coverage board ------------------------------------------------------------------


LIGHTS = {
    "done": _("已完成"),
    "soon": _("即将到期"),
    "missed": _("未完成"),
    "open": _("未到期"),
    "exempt": _("不作要求"),
}
LIGHT_CLASS = {
    "done": "success",
    "soon": "warning",
    "missed": "danger",
    "open": "secondary",
    "exempt": "light",
}


@dataclass(frozen=True)
class Period:
    basis: str  # "academic" or "calendar"
    key: str
    label: str
    start: dt.date
    end: dt.date


def period_for(basis: str, year: int) -> Period:
    """The board's period: the academic year starting in `year`, or the calendar year."""
    if basis == "calendar":
        key = str(year)
        return Period(
            basis, key, periods.year_label(key), dt.date(year, 1, 1), dt.date(year, 12, 31)
        )
    academic = periods.academic_year_of(dt.date(year, 12, 31))
    label = periods.academic_year_label(academic.key)
    return Period("academic", academic.key, label, academic.start, academic.end)


def light_for(
    done_on: dt.date | None,
    due: dt.date,
    since: dt.date,
    today: dt.date,
    *,
    grace: int,
    yellow_until: dt.date,
) -> str:
    """The cell's light, with the deadline engine's thresholds (`Deadline.light`): red
    once the due date has passed, amber when due by `yellow_until` (the last few working
    days, `DEADLINE_YELLOW_WORKDAYS`), grey before; green when done; none owed by a pair
    formed within `grace` days of the period's end."""
    if done_on is not None:
        return "done"
    if (due - since).days < grace:
        return "exempt"
    if today > due:
        return "missed"
    if due <= yellow_until:
        return "soon"
    return "open"


@dataclass
class Cell:
    pair_id: int
    figure_name: str
    figure_unit: str
    key_contact: bool
    start_date: dt.date
    contact_light: str
    talk_light: str | None  # None: not a key contact
    last_contact: dt.date | None
    last_talk: dt.date | None

    @property
    def contact_class(self) -> str:
        return LIGHT_CLASS[self.contact_light]

    @property
    def talk_class(self) -> str:
        return LIGHT_CLASS[self.talk_light] if self.talk_light else ""

    @property
    def contact_label(self) -> str:
        return str(LIGHTS[self.contact_light])

    @property
    def talk_label(self) -> str:
        return str(LIGHTS[self.talk_light]) if self.talk_light else ""


@dataclass
class Row:
    leader_id: int
    leader_name: str
    leader_unit: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(cell.contact_light == "done" for cell in self.cells)

    @property
    def owed(self) -> int:
        return sum(cell.contact_light != "exempt" for cell in self.cells)


def in_force_during(pairs: QuerySet[FriendshipPair], period: Period) -> QuerySet[FriendshipPair]:
    """The pairs in force at some time during the period."""
    return pairs.filter(start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )


def board_leaders(pairs: QuerySet[FriendshipPair], period: Period) -> QuerySet[Any]:
    """The ids of the leaders with a pair in force during the period, in the board's
    order (by name): what the board pages on."""
    return (
        in_force_during(pairs, period)
        .order_by("leader__name", "leader_id")
        .values_list("leader_id", flat=True)
        .distinct()
    )


def coverage(
    pairs: QuerySet[FriendshipPair], period: Period, today: dt.date, *, grace: int
) -> list[Row]:
    """The board: one row per leader, one cell per pair in force during the period. The
    contact light counts contacts and sent talks; the talk light (key contacts only)
    counts sent talks in the calendar year the period ends in or is."""
    in_force = in_force_during(pairs, period)
    annotated = with_last_contact(in_force, start=period.start, end=period.end)
    # Plain values, not model instances: the board shows every pair of the period.
    fields = annotated.values(  # type: ignore[misc]
        "pk",
        "leader_id",
        "leader__name",
        "leader__unit__name",
        "figure__is_key_contact",
        "figure__person__name",
        "figure__person__unit__name",
        "start_date",
        "end_date",
        "last_contact",
        "last_talk",
    )
    yellow = yellow_until(today, current_calendar())
    rows: dict[int, Row] = {}
    for pair in fields:
        due = min(period.end, pair["end_date"] or period.end)
        last_talk = pair["last_talk"]
        found = (pair["last_contact"], last_talk)
        last_contact = max((d for d in found if d is not None), default=None)
        key_contact = pair["figure__is_key_contact"]
        start = pair["start_date"]
        cell = Cell(
            pair_id=pair["pk"],
            figure_name=pair["figure__person__name"],
            figure_unit=pair["figure__person__unit__name"] or "",
            key_contact=key_contact,
            start_date=start,
            contact_light=light_for(
                last_contact, due, start, today, grace=grace, yellow_until=yellow
            ),
            talk_light=(
                light_for(last_talk, due, start, today, grace=grace, yellow_until=yellow)
                if key_contact and period.basis == "calendar"
                else None
            ),
            last_contact=last_contact,
            last_talk=last_talk,
        )
        row = rows.get(pair["leader_id"])
        if row is None:
            row = rows[pair["leader_id"]] = Row(
                pair["leader_id"], pair["leader__name"], pair["leader__unit__name"] or ""
            )
        row.cells.append(cell)
    return list(rows.values())

"""Reads of the meetings app, scoped by user.

Meetings and their minutes are read by every role (the group's work is the college's);
topics and follow-up items by whoever sees the whole college and, for a branch
commissioner, by their own unit: another unit's record is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from groups.models import GroupMembership, OfficeMember
from groups.selectors import ROLE_ORDER, members_on
from meetings.models import (
    AgendaItem,
    Attendance,
    FollowUpItem,
    FollowUpItemQuerySet,
    Material,
    Meeting,
    Topic,
)
from portal.deadlines import periods
from portal.permissions import roles_of, unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import Person, User

    AnyUser = User | AnonymousUser


def readable_meetings(user: AnyUser) -> QuerySet[Meeting]:
    """Every role reads every meeting (the group's work is the college's); a login
    without a role reads none."""
    return Meeting.objects.all() if roles_of(user) else Meeting.objects.none()


def meetings_for_user(user: AnyUser) -> QuerySet[Meeting]:
    return (
        readable_meetings(user)
        .select_related("chair", "minutes__document")
        .annotate(agenda_count=Count("agenda_items", distinct=True))
    )


def get_meeting(user: AnyUser, pk: int) -> Meeting:
    try:
        return (
            readable_meetings(user)
            .select_related("chair", "minutes__document", "created_by")
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None


def get_agenda_item(user: AnyUser, pk: int) -> AgendaItem:
    """An agenda item of a meeting the user may read, with its meeting and minutes."""
    try:
        return AgendaItem.objects.select_related("meeting__minutes__document").get(
            pk=pk, meeting__in=readable_meetings(user)
        )
    except AgendaItem.DoesNotExist:
        raise Http404 from None


def get_material(user: AnyUser, pk: int) -> Material:
    """A material of a meeting the user may read."""
    try:
        return Material.objects.select_related("meeting").get(
            pk=pk, meeting__in=readable_meetings(user)
        )
    except Material.DoesNotExist:
        raise Http404 from None


def default_invitees(kind: str, day: dt.date) -> list[Person]:
    """Whom a meeting invites unless told otherwise: the group's members on that day; for
    an office meeting, the office (director and members) on that day."""
    seats: list[OfficeMember] | list[GroupMembership]
    order: dict[str, int]
    if kind == Meeting.Kind.OFFICE:
        seats = list(OfficeMember.objects.active_on(day).select_related("person__unit", "unit"))
        order = {str(OfficeMember.Role.DIRECTOR): 0, str(OfficeMember.Role.MEMBER): 1}
    else:
        seats = list(members_on(day).select_related("person__unit"))
        order = {str(role): index for index, role in enumerate(ROLE_ORDER)}
    ranked = sorted(
        seats, key=lambda s: (order.get(str(s.role), 9), s.unit.sort_order, s.start_date)
    )
    return list({seat.person_id: seat.person for seat in ranked}.values())


def attendances_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("person__unit"))


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.select_related("topic__unit").prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=FollowUpItem.objects.with_deadline().select_related("owner_unit"),
            )
        )
    )


# Topics ------------------------------------------------------------------------------------


def topics_for_user(user: AnyUser) -> QuerySet[Topic]:
    topics = Topic.objects.select_related("unit", "proposed_by__person", "agenda_item__meeting")
    scope = unit_scope(user)
    return topics if scope is None else topics.filter(unit_id__in=scope)


def get_topic(user: AnyUser, pk: int) -> Topic:
    try:
        return topics_for_user(user).get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404 from None


def schedulable_topics() -> QuerySet[Topic]:
    """Accepted topics not yet on any agenda, oldest first."""
    return (
        Topic.objects.filter(status=Topic.Status.ACCEPTED, agenda_item__isnull=True)
        .select_related("unit")
        .order_by("created_at", "pk")
    )


# Follow-up items -----------------------------------------------------------------------------


def follow_ups_for_user(user: AnyUser) -> FollowUpItemQuerySet:
    items = FollowUpItem.objects.with_deadline().select_related(
        "owner_unit", "agenda_item__meeting"
    )
    scope = unit_scope(user)
    return items if scope is None else items.filter(owner_unit_id__in=scope)


def get_follow_up(user: AnyUser, pk: int) -> FollowUpItem:
    try:
        return follow_ups_for_user(user).get(pk=pk)
    except FollowUpItem.DoesNotExist:
        raise Http404 from None


# Quotas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaStanding:
    label: str  # 2026年度 / 2026年秋季学期
    kind_label: str
    required: int
    held: int
    planned: int  # scheduled in the period, not yet held
    start: dt.date
    end: dt.date

    @property
    def met(self) -> bool:
        return self.held >= self.required


def _local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, finish


def local_year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    return _local_range(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _standing(kind: str, label: str, start: dt.date, end: dt.date) -> QuotaStanding:
    begin, finish = _local_range(start, end)
    counts = Meeting.objects.filter(
        kind=kind, starts_at__gte=begin, starts_at__lt=finish
    ).aggregate(
        held_count=Count("pk", filter=Q(held=True)),
        planned_count=Count("pk", filter=Q(held=False)),
    )
    return QuotaStanding(
        label=label,
        kind_label=str(Meeting.Kind(kind).label),
        required=1,
        held=counts["held_count"],
        planned=counts["planned_count"],
        start=start,
        end=end,
    )


def quota_standings(today: dt.date | None = None) -> list[QuotaStanding]:
    """This year's plenary meetings against ≥ 1, this semester's office meetings against ≥ 1."""
    today = today or timezone.localdate()
    semester = periods.semester_of(today)
    return [
        _standing(
            Meeting.Kind.PLENARY,
            periods.year_label(str(today.year)),
            dt.date(today.year, 1, 1),
            dt.date(today.year, 12, 31),
        ),
        _standing(
            Meeting.Kind.OFFICE,
            periods.semester_label(semester.key),
            semester.start,
            semester.end,
        ),
    ]


# The year view -------------------------------------------------------------------------------


def meetings_of_year(year: int) -> list[Meeting]:
    """Every meeting of `year` with its minutes, agenda and follow-up items (four queries)."""
    begin, finish = local_year_range(year)
    return list(
        Meeting.objects.filter(starts_at__gte=begin, starts_at__lt=finish)
        .select_related("chair", "minutes__document")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.prefetch_related(
                    Prefetch(
                        "follow_ups",
                        queryset=FollowUpItem.objects.with_deadline().select_related("owner_unit"),
                    )
                ),
            )
        )
        .order_by("starts_at")
    )


def years_with_meetings() -> list[int]:
    return [moment.year for moment in Meeting.objects.datetimes("starts_at", "year", order="DESC")]

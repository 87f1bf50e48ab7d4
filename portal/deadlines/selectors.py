"""Reads of deadlines and messages, scoped by user.

- The office and the leaders see every deadline.
- Anyone else sees the deadlines they answer for: those naming them, and those of
  their unit or a unit under it (a branch commissioner answers for the school under
  the branch). These are also the people a reminder goes to.
- Deadlines naming nobody (the period rules) are the office's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from portal.deadlines import registry
from portal.deadlines.models import (
    Deadline,
    Delivery,
    ExtensionRequest,
    Notification,
    overdue_q,
)
from portal.models import Role, User
from portal.permissions import RECORD_ROLES, has_role, is_office, own_unit_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ACTIVE = (Deadline.State.OPEN, Deadline.State.OVERDUE)


def _named(user: User | AnonymousUser) -> Q:
    through = Deadline.responsible_users.through.objects.filter(user_id=user.pk or 0)
    return Q(pk__in=through.values("deadline_id"))


def _nobody_named() -> Q:
    through = Deadline.responsible_users.through.objects.filter(deadline_id=OuterRef("pk"))
    return Q(responsible_unit__isnull=True) & Q(~Exists(through))


def responsible_q(user: User | AnonymousUser) -> Q:
    """The deadlines `user` answers for (and is reminded of)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = _named(user)
    # A liaison or publicity member answers for what names them, not for their unit.
    units = own_unit_ids(user) if has_role(user, *RECORD_ROLES) else set()
    if units:
        q |= Q(responsible_unit_id__in=units)
    if is_office(user):
        q |= _nobody_named()
    return q


def deadlines_for_user(user: User | AnonymousUser) -> QuerySet[Deadline]:
    if has_role(user, Role.OFFICE, Role.LEADER):
        return Deadline.objects.all()
    if not has_role(user, *Role.values):
        return Deadline.objects.none()
    return Deadline.objects.filter(responsible_q(user))


def with_display(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """What a page needs to describe deadlines: unit, users, subject, pending request."""
    pending = ExtensionRequest.objects.filter(
        deadline=OuterRef("pk"), decision=ExtensionRequest.Decision.PENDING
    )
    return (
        deadlines.select_related("responsible_unit")
        .prefetch_related(
            Prefetch("responsible_users", queryset=User.objects.select_related("person")),
            "subject",
        )
        .annotate(has_pending_extension=Exists(pending))
    )


def period_deadline(rule: str, period: str) -> Deadline:
    """The deadline of a period rule (the work points of "2026", the annual report on
    "2026"): the engine's row, extensions and all. A period not opened yet (a past
    year's record entered late, next year's) gets an unsaved open deadline on the rule's
    own date, so a page always has one due date to show, and it is the engine's."""
    row = Deadline.objects.filter(rule=rule, period=period, object_id__isnull=True).first()
    if row is not None:
        return row
    rule_obj = registry.get(rule)
    if rule_obj.period_due is None:
        raise ValueError(f"{rule} is not a period rule")
    due = rule_obj.period_due(period)
    return Deadline(rule=rule, period=period, due=due, original_due=due)


def get_deadline_for_user(user: User | AnonymousUser, pk: int) -> Deadline:
    """The deadline, or 404 when it does not exist or the user may not see it."""
    try:
        return with_display(deadlines_for_user(user)).get(pk=pk)
    except Deadline.DoesNotExist:
        raise Http404 from None


def is_responsible(user: User | AnonymousUser, deadline: Deadline) -> bool:
    return Deadline.objects.filter(responsible_q(user), pk=deadline.pk).exists()


def has_pending_extension(deadline: Deadline) -> bool:
    """Whether a request waits for a leader (read from ``with_display``'s annotation
    when the deadline came through it)."""
    annotated = getattr(deadline, "has_pending_extension", None)
    if annotated is not None:
        return bool(annotated)
    return deadline.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).exists()


def deadline_find(
    *, rule: str, subject: models.Model | None = None, period: str = ""
) -> Deadline | None:
    """The deadline of a rule for a subject and/or period, if one was opened."""
    return Deadline.objects.filter(
        **deadline_key(rule=rule, subject=subject, period=period)
    ).first()


def deadline_key(*, rule: str, subject: models.Model | None, period: str) -> dict[str, object]:
    """The lookup naming one deadline: its rule and its subject and/or period."""
    if subject is None:
        if not period:
            raise ValueError("a deadline needs a subject or a period")
        return {"rule": rule, "content_type": None, "object_id": None, "period": period}
    if subject.pk is None:
        raise ValueError("the subject must be saved before it gets a deadline")
    content_type = ContentType.objects.get_for_model(subject)
    return {"rule": rule, "content_type": content_type, "object_id": subject.pk, "period": period}


DECIDING_LEADERSHIP = ("group_leader", "in_charge")  # portal.deadlines.permissions


def leaders() -> QuerySet[User]:
    """Who is told about an extension request: the leaders who may decide it (the group
    leader and the leader in charge)."""
    return User.objects.filter(
        groups__name=Role.LEADER, is_active=True, leadership__in=DECIDING_LEADERSHIP
    ).distinct()


def my_open_deadlines(user: User | AnonymousUser) -> QuerySet[Deadline]:
    """Open and overdue deadlines the user answers for, plus, for a leader, those
    escalated to them."""
    if not has_role(user, *Role.values):
        return Deadline.objects.none()
    q = responsible_q(user)
    escalated = Delivery.objects.filter(
        deadline=OuterRef("pk"), due=OuterRef("due"), step="escalation", recipient_id=user.pk
    )
    if has_role(user, Role.LEADER):
        q |= Q(Exists(escalated))
    return with_display(Deadline.objects.filter(q, state__in=ACTIVE)).annotate(
        escalated_to_me=Exists(escalated)
    )


def pending_extensions_for(user: User | AnonymousUser) -> QuerySet[ExtensionRequest]:
    """Requests waiting for this leader's decision (the group leader's and the leader
    in charge's; not their own)."""
    if not has_role(user, Role.LEADER) or getattr(user, "leadership", "") not in (
        DECIDING_LEADERSHIP
    ):
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
        .exclude(requested_by_id=user.pk)
        .select_related("deadline", "requested_by__person")
    )


def get_extension_for_leader(user: User | AnonymousUser, pk: int) -> ExtensionRequest:
    try:
        return ExtensionRequest.objects.select_related(
            "deadline__responsible_unit", "requested_by__person", "decided_by__person"
        ).get(pk=pk)
    except ExtensionRequest.DoesNotExist:
        raise Http404 from None


def notifications_for_user(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: User | AnonymousUser) -> int:
    return notifications_for_user(user).filter(read_at__isnull=True).count()


def state_filter(state: str, today: dt.date) -> Q:
    """The states as people mean them: an open deadline past its date is overdue."""
    if state == Deadline.State.OPEN:
        return Q(state=Deadline.State.OPEN, due__gte=today)
    if state == Deadline.State.OVERDUE:
        return overdue_q(today)
    if state in {Deadline.State.MET, Deadline.State.WAIVED}:
        return Q(state=state)
    if state == "all":
        return Q()
    return Q(state__in=ACTIVE)

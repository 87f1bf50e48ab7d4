"""Writes of the deadline engine: what apps call to open, meet, waive and extend
deadlines, and what the office and leaders do on the deadline pages.

Every service is keyword-only, validates with ``full_clean()`` and runs in one
transaction. A deadline is identified by its rule and its subject (a model instance)
or period ("2026", "2026-autumn"), or both.

What a user does (waive, request an extension, decide one) is declared in
``portal.deadlines.transitions``: the service locks the row and calls the workflow's
``check``/``apply`` with ``by``, so it raises ``Refused`` (the state does not allow it
now) or ``Forbidden`` (this user may never) and changes nothing. Opening and meeting
deadlines are the apps' calls, made after their own permission checks; reads are in
``portal.deadlines.selectors``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.deadlines import registry, selectors
from portal.deadlines.models import Deadline, ExtensionRequest, Notification, Step, compute_steps
from portal.deadlines.registry import Rule
from portal.deadlines.selectors import (  # moved to selectors: importable here until callers move
    deadline_find as deadline_find,
)
from portal.deadlines.selectors import deadline_key
from portal.deadlines.transitions import DEADLINE_WORKFLOW, EXTENSION_WORKFLOW
from portal.models import User
from portal.workdays import WorkdayCalendar

if TYPE_CHECKING:
    from portal.models import Unit


# Scheduling ----------------------------------------------------------------------------


def rule_steps(due: dt.date, rule: Rule, calendar: WorkdayCalendar) -> list[Step]:
    """The reminder steps of a due date under a rule (offsets and delay from settings).

    System step, called by the apps' services (or the engine's scan), with no acting
    user: it takes no ``by`` and checks no permission; the caller did."""
    return compute_steps(
        due,
        offsets=rule.reminder_offsets(),
        escalation_delay=rule.escalation_after(),
        hour=int(settings.DEADLINE_REMINDER_HOUR),
        calendar=calendar,
    )


def _reschedule(
    deadline: Deadline, rule: Rule, *, now: dt.datetime, calendar: WorkdayCalendar
) -> None:
    """After the due date moved: a reminder already due stays due (the scan measures it
    against the new steps); otherwise the next one is the first step after now."""
    if deadline.is_closed:
        deadline.next_reminder_at = None
        return
    if deadline.next_reminder_at is not None and deadline.next_reminder_at <= now:
        return
    steps = rule_steps(deadline.due, rule, calendar)
    deadline.next_reminder_at = next((s.fire_at for s in steps if s.fire_at > now), None)


def _locked(lookup: dict[str, object]) -> Deadline | None:
    return Deadline.objects.select_for_update().filter(**lookup).first()


# What apps call ------------------------------------------------------------------------


@transaction.atomic
def deadline_open(
    *,
    rule: str,
    subject: models.Model | None = None,
    period: str = "",
    due: dt.date | None = None,
    after: dt.date | None = None,
    workdays: int | None = None,
    title: str = "",
    responsible_unit: Unit | None = None,
    responsible_users: Iterable[User] = (),
    now: dt.datetime | None = None,
) -> Deadline:
    """Open the deadline of `rule` for `subject` and/or `period`, or update it.

    The due date is `due`; or `workdays` (default: the rule's) working days after
    `after`, on the official calendar, marked provisional while that year's holidays are
    unknown and recomputed when the office enters them; or, for a period rule, the
    rule's ``period_due(period)``.

    Idempotent: a second call updates an open deadline's due date, title and
    responsible people and reschedules its reminders; a met or waived one is returned
    unchanged.

    System step, called by the apps' services (or the engine's scan), with no acting
    user: it takes no ``by`` and checks no permission; the caller did.
    """
    now = now or timezone.now()
    rule_obj = registry.get(rule)
    calendar = WorkdayCalendar()
    provisional = False
    count: int | None = None
    if due is not None and after is not None:
        raise ValueError("give either due or after, not both")
    if after is not None:
        count = workdays if workdays is not None else rule_obj.workdays_after()
        computed = calendar.add_workdays(after, count)
        due, provisional = computed.date, computed.provisional
    elif due is None:
        if not period or rule_obj.period_due is None:
            raise ValueError(f"deadline of {rule}: give due, after, or a period of a period rule")
        due = rule_obj.period_due(period)
    lookup = deadline_key(rule=rule, subject=subject, period=period)
    users = list(responsible_users)

    deadline = _locked(lookup)
    if deadline is None:
        deadline = Deadline(
            **lookup,
            title=title,
            due=due,
            due_provisional=provisional,
            due_after=after,
            due_workdays=count,
            original_due=due,
            responsible_unit=responsible_unit,
            opened_at=now,
        )
        deadline.full_clean(validate_constraints=False)
        deadline.next_reminder_at = rule_steps(due, rule_obj, calendar)[0].fire_at
        try:
            with transaction.atomic():
                deadline.save()
        except IntegrityError:
            # Opened at the same moment by another process: update that one instead.
            existing = _locked(lookup)
            if existing is None:
                raise
            deadline = existing
        else:
            deadline.responsible_users.set(users)
            return deadline

    if deadline.is_closed:
        return deadline
    changed: list[str] = []
    values = {
        "title": title or deadline.title,
        "due": due,
        "due_provisional": provisional,
        "due_after": after,
        "due_workdays": count,
        "responsible_unit": responsible_unit,
    }
    for name, value in values.items():
        if getattr(deadline, name) != value:
            setattr(deadline, name, value)
            changed.append(name)
    if "due" in changed:
        if deadline.state == Deadline.State.OVERDUE and due >= timezone.localdate(now):
            deadline.state = Deadline.State.OPEN
            changed.append("state")
        _reschedule(deadline, rule_obj, now=now, calendar=calendar)
        changed.append("next_reminder_at")
    if changed:
        deadline.full_clean(validate_constraints=False)
        deadline._change_reason = _("期限信息更新")  # type: ignore[attr-defined]
        deadline.save(update_fields=changed)
    if {u.pk for u in users} != set(deadline.responsible_users.values_list("pk", flat=True)):
        deadline.responsible_users.set(users)
    return deadline


def deadline_open_period(*, rule: str, period: str) -> None:
    """Open a period rule's deadline for `period` unless it exists (in any state): what
    a period rule's ``sync(today)`` calls on every scan, so it only reads once the
    period is open, and a met or waived period stays as it is.

    System step, called by the apps' services (or the engine's scan), with no acting
    user: it takes no ``by`` and checks no permission; the caller did."""
    exists = Deadline.objects.filter(rule=rule, period=period, object_id__isnull=True).exists()
    if not exists:
        deadline_open(rule=rule, period=period)


@transaction.atomic
def deadline_meet(
    *,
    rule: str,
    subject: models.Model | None = None,
    period: str = "",
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Deadline | None:
    """Record that what the deadline asks was done (a quota period's meeting held,
    minutes issued). A period rule's deadline that was never opened is opened and met
    at once; for a subject with no deadline nothing happens (None). Meeting a met or
    waived deadline changes nothing."""
    now = now or timezone.now()
    rule_obj = registry.get(rule)
    lookup = deadline_key(rule=rule, subject=subject, period=period)
    deadline = _locked(lookup)
    if deadline is None:
        if not period or rule_obj.period_due is None:
            return None
        deadline = deadline_open(rule=rule, subject=subject, period=period, now=now)
    if deadline.is_closed:
        return deadline
    deadline.state = Deadline.State.MET
    deadline.closed_at = now
    deadline.next_reminder_at = None
    deadline._change_reason = _("已完成")  # type: ignore[attr-defined]
    if by is not None:
        deadline._history_user = by  # type: ignore[attr-defined]
    deadline.save(update_fields=["state", "closed_at", "next_reminder_at"])
    return deadline


@transaction.atomic
def deadline_waive(
    *, deadline: Deadline, by: User, reason: str, now: dt.datetime | None = None
) -> Deadline:
    """The office lifts an open or overdue deadline, with a reason kept in its history."""
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    fields = DEADLINE_WORKFLOW.apply(locked, "waive", by=by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写免除理由。")})
    locked.waive_reason = reason
    locked.closed_at = now or timezone.now()
    locked.next_reminder_at = None
    locked._change_reason = _("免除：%(reason)s") % {"reason": reason}  # type: ignore[attr-defined]
    locked._history_user = by  # type: ignore[attr-defined]
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=[*fields, "waive_reason", "closed_at", "next_reminder_at"])
    return locked


@transaction.atomic
def deadline_extend_request(
    *,
    deadline: Deadline,
    by: User,
    requested_due: dt.date,
    reason: str,
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """Those who answer for an open deadline ask for a later date, before it passes (on
    the due date itself at the latest, by the local clock). One request at a time;
    leaders are told in their inbox."""
    now = now or timezone.now()
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    DEADLINE_WORKFLOW.check(locked, "request_extension", by=by)
    request = ExtensionRequest(
        deadline=locked,
        requested_by=by,
        requested_at=now,
        reason=reason.strip(),
        current_due=locked.due,
        requested_due=requested_due,
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(_("已有一份延期申请在等待审批。")) from None
    _notify(
        selectors.leaders(),
        kind=Notification.Kind.EXTENSION,
        title=_("延期申请待审批：%(deadline)s") % {"deadline": locked},
        text=_("%(who)s申请将期限由%(old)s延至%(new)s。理由：%(reason)s")
        % {
            "who": by.display_name,
            "old": f"{locked.due:%Y-%m-%d}",
            "new": f"{requested_due:%Y-%m-%d}",
            "reason": request.reason,
        },
        url=request.get_absolute_url(),
        now=now,
    )
    return request


@transaction.atomic
def deadline_extend_decide(
    *,
    request: ExtensionRequest,
    by: User,
    approve: bool,
    note: str = "",
    granted_due: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """A leader approves (possibly with another date) or refuses a pending extension
    request. Approval moves the due date, records it in the deadline's history, reopens
    an overdue deadline and restarts its reminders. A request is decided once: a second
    click finds it decided (``Refused``) and changes nothing."""
    now = now or timezone.now()
    locked = (
        ExtensionRequest.objects.select_for_update().select_related("deadline").get(pk=request.pk)
    )
    EXTENSION_WORKFLOW.apply(locked, "approve" if approve else "refuse", by=by)
    deadline = Deadline.objects.select_for_update().get(pk=locked.deadline_id)
    locked.decided_by = by
    locked.decided_at = now
    locked.decision_note = note.strip()
    if approve:
        locked.granted_due = granted_due or locked.requested_due
    locked.full_clean(validate_constraints=False)
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(
        update_fields=["decision", "decided_by", "decided_at", "decision_note", "granted_due"]
    )
    if approve and locked.granted_due is not None and not deadline.is_closed:
        old_due = deadline.due
        deadline.due = locked.granted_due
        deadline.due_provisional = False
        deadline.due_after = None
        deadline.due_workdays = None
        if deadline.state == Deadline.State.OVERDUE and deadline.due >= timezone.localdate(now):
            deadline.state = Deadline.State.OPEN
        rule = registry.get_or_none(deadline.rule)
        if rule is not None:
            deadline.next_reminder_at = None  # a new schedule: not a reminder already due
            _reschedule(deadline, rule, now=now, calendar=WorkdayCalendar())
        deadline._change_reason = _(  # type: ignore[attr-defined]
            "批准延期：由%(old)s延至%(new)s（%(who)s）"
        ) % {
            "old": f"{old_due:%Y-%m-%d}",
            "new": f"{deadline.due:%Y-%m-%d}",
            "who": by.display_name,
        }
        deadline._history_user = by  # type: ignore[attr-defined]
        deadline.save(
            update_fields=[
                "due",
                "due_provisional",
                "due_after",
                "due_workdays",
                "state",
                "next_reminder_at",
            ]
        )
    if approve:
        title = _("延期申请已批准：%(deadline)s") % {"deadline": deadline}
        text = _("期限延至%(new)s。") % {"new": f"{locked.granted_due:%Y-%m-%d}"}
    else:
        title = _("延期申请未获批准：%(deadline)s") % {"deadline": deadline}
        text = _("期限仍为%(due)s。") % {"due": f"{deadline.due:%Y-%m-%d}"}
    if locked.decision_note:
        text += _("审批意见：%(note)s") % {"note": locked.decision_note}
    _notify(
        [locked.requested_by],
        kind=Notification.Kind.EXTENSION,
        title=title,
        text=text,
        url=deadline.get_absolute_url(),
        now=now,
    )
    return locked


@transaction.atomic
def deadlines_recompute(*, year: int, now: dt.datetime | None = None) -> int:
    """After the office entered or changed `year`'s holiday schedule: recompute the due
    dates counted in working days across that year, and the reminder times of open
    deadlines around it. Returns how many due dates changed.

    System step, called by the apps' services (or the engine's scan), with no acting
    user: it takes no ``by`` and checks no permission; the caller did."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkdayCalendar()
    changed_count = 0
    open_states = [Deadline.State.OPEN, Deadline.State.OVERDUE]
    around = models.Q(due__year__gte=year - 1, due__year__lte=year + 1)
    counted_across = models.Q(due_after__year__lte=year, due__year__gte=year)
    deadlines = Deadline.objects.select_for_update().filter(
        around | counted_across, state__in=open_states
    )
    for deadline in deadlines:
        rule = registry.get_or_none(deadline.rule)
        if rule is None:
            continue
        fields = ["next_reminder_at"]
        if deadline.due_after is not None and deadline.due_workdays is not None:
            computed = calendar.add_workdays(deadline.due_after, deadline.due_workdays)
            if (computed.date, computed.provisional) != (deadline.due, deadline.due_provisional):
                if computed.date != deadline.due:
                    changed_count += 1
                deadline.due = computed.date
                deadline.due_provisional = computed.provisional
                fields += ["due", "due_provisional"]
                if deadline.state == Deadline.State.OVERDUE and deadline.due >= today:
                    deadline.state = Deadline.State.OPEN
                    fields.append("state")
        _reschedule(deadline, rule, now=now, calendar=calendar)
        if len(fields) > 1:
            deadline._change_reason = _("按%(year)d年节假日安排重新计算") % {"year": year}  # type: ignore[attr-defined]
            deadline.save(update_fields=fields)
        else:
            Deadline.objects.filter(pk=deadline.pk).update(
                next_reminder_at=deadline.next_reminder_at
            )
    return changed_count


# The inbox -----------------------------------------------------------------------------


def _notify(
    users: Iterable[User],
    *,
    kind: str,
    title: str,
    text: str,
    url: str,
    now: dt.datetime,
) -> list[Notification]:
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            created_at=now,
            title=title[:200],
            items=[{"text": text, "url": url, "level": "", "lines": []}],
            url=url,
        )
        for user in users
    ]
    return Notification.objects.bulk_create(rows)


def notification_mark_read(
    *, by: User, notification_id: int, now: dt.datetime | None = None
) -> bool:
    """Mark one of the reader's (`by`) messages read; False when it is not theirs (or
    gone): nobody can mark another user's messages."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=by, read_at__isnull=True
    ).update(read_at=now or timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, recipient=by).exists()


def notifications_mark_all_read(*, by: User, now: dt.datetime | None = None) -> int:
    """Mark all of the reader's (`by`) messages read."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )

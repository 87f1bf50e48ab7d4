"""The rectification services (the service contract: keyword arguments, the acting user
as `by`, a `ValidationError` in Chinese for what the user can mend, `Forbidden` for a
step they may never take, every write in one transaction on the locked row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Measure, Progress, Rectification
from inspections.rules import RECTIFICATION_DUE
from inspections.selectors import can_report
from inspections.transitions import MEASURE_WORKFLOW, RECTIFICATION_WORKFLOW
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.lib.errors import Forbidden, required
from portal.lib.repeats import repeat_since
from portal.models import Unit, User
from portal.permissions import is_office

MAX_MEASURES = 30


def _measure_lines(measures: str) -> list[str]:
    lines = [line.strip() for line in measures.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValidationError({"measures": _("请至少填写一项整改措施（每行一项）。")})
    if len(lines) > MAX_MEASURES:
        raise ValidationError({"measures": _("整改措施最多 %(max)s 项。") % {"max": MAX_MEASURES}})
    return lines


def _check_due(due: dt.date) -> dt.date:
    if due < timezone.localdate():
        raise ValidationError({"due": _("整改时限不能早于今天。")})
    return due


def _open_deadline(rectification: Rectification, due: dt.date) -> None:
    rectification.deadline = deadline_open(
        rule=RECTIFICATION_DUE,
        subject=rectification,
        due=due,
        title=f"{rectification.unit.name}：{rectification.title}"[:200],
        responsible_unit=rectification.unit,
    )


@transaction.atomic
def rectification_assign(
    *,
    unit: Unit,
    source: str,
    title: str,
    problem: str,
    measures: str,
    due: dt.date,
    by: User,
) -> Rectification:
    """The office assigns a rectification to a unit: the problem, the measures (one a
    line) and the due date, which the deadline engine then watches for the unit."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以交办整改事项。"))
    if source not in Rectification.Source.values:
        raise ValidationError({"source": _("请选择问题来源。")})
    title = required(title, "title", _("请填写整改事项。"))
    problem = required(problem, "problem", _("请填写存在的问题。"))
    lines = _measure_lines(measures)
    _check_due(due)
    recent = Rectification.objects.filter(
        unit=unit, title=title, opened_by=by, opened_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    rectification = Rectification(
        unit=unit,
        source=source,
        title=title,
        problem=problem,
        opened_on=timezone.localdate(),
        opened_by=by,
    )
    rectification.full_clean(exclude=["deadline"])
    rectification._history_user = by  # type: ignore[attr-defined]
    rectification.save()
    Measure.objects.bulk_create(
        Measure(rectification=rectification, position=number, text=text)
        for number, text in enumerate(lines, start=1)
    )
    _open_deadline(rectification, due)
    # The deadline needs the rectification's id: link it without a second history row.
    rectification.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]
    return rectification


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update()
        .select_related("unit", "deadline")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_update(
    *, rectification: Rectification, title: str, problem: str, due: dt.date, by: User
) -> Rectification:
    """The office corrects an open rectification's wording or moves its due date (the
    deadline follows; an extension the unit asked for is decided on the deadline)."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以修改整改事项。"))
    rectification = _locked(rectification)
    if rectification.state != Rectification.State.OPEN:
        raise ValidationError(
            _("整改事项%(state)s，不能修改。") % {"state": rectification.state_label}
        )
    rectification.title = required(title, "title", _("请填写整改事项。"))
    rectification.problem = required(problem, "problem", _("请填写存在的问题。"))
    if rectification.deadline is None or rectification.deadline.due != due:
        _check_due(due)
        _open_deadline(rectification, due)
    rectification._history_user = by  # type: ignore[attr-defined]
    rectification.save(update_fields=["title", "problem", "deadline"])
    return rectification


@transaction.atomic
def rectification_close(
    *, rectification: Rectification, conclusion: str, by: User
) -> Rectification:
    """销号: every measure verified, the office closes it with its conclusion; the
    deadline is met."""
    rectification = _locked(rectification)
    fields = RECTIFICATION_WORKFLOW.apply(rectification, "close", by=by)
    rectification.conclusion = required(conclusion, "conclusion", _("请填写销号意见。"))
    rectification.closed_on = timezone.localdate()
    rectification._history_user = by  # type: ignore[attr-defined]
    rectification.save(update_fields=[*fields, "conclusion", "closed_on"])
    deadline_meet(rule=RECTIFICATION_DUE, subject=rectification, by=by)
    return rectification


@transaction.atomic
def rectification_cancel(*, rectification: Rectification, reason: str, by: User) -> Rectification:
    """The office withdraws a rectification raised in error; nothing is owed any more,
    so its deadline is waived with the same reason."""
    rectification = _locked(rectification)
    fields = RECTIFICATION_WORKFLOW.apply(rectification, "cancel", by=by)
    reason = required(reason, "reason", _("请填写撤销原因。"))
    rectification.conclusion = reason
    rectification.closed_on = timezone.localdate()
    rectification._history_user = by  # type: ignore[attr-defined]
    rectification._change_reason = reason  # type: ignore[attr-defined]
    rectification.save(update_fields=[*fields, "conclusion", "closed_on"])
    if rectification.deadline is not None and not rectification.deadline.is_closed:
        deadline_waive(deadline=rectification.deadline, by=by, reason=reason)
    return rectification


def _locked_measure(measure: Measure) -> Measure:
    # The rectification first (the order every service locks in), then the measure.
    Rectification.objects.select_for_update().get(pk=measure.rectification_id)
    return (
        Measure.objects.select_for_update().select_related("rectification__unit").get(pk=measure.pk)
    )


@transaction.atomic
def measure_report(*, measure: Measure, report: str, by: User) -> Measure:
    """The unit reports a measure done, saying what it did (evidence goes with a
    progress report); the office then verifies it."""
    measure = _locked_measure(measure)
    fields = MEASURE_WORKFLOW.apply(measure, "report", by=by)
    measure.report = required(report, "report", _("请填写完成情况。"))
    measure.reported_on = timezone.localdate()
    measure._history_user = by  # type: ignore[attr-defined]
    measure.save(update_fields=[*fields, "report", "reported_on"])
    return measure


@transaction.atomic
def measure_accept(*, measure: Measure, by: User) -> Measure:
    """The office verifies a reported measure."""
    measure = _locked_measure(measure)
    fields = MEASURE_WORKFLOW.apply(measure, "accept", by=by)
    measure.verified_on = timezone.localdate()
    measure.verified_by = by
    measure._history_user = by  # type: ignore[attr-defined]
    measure.save(update_fields=[*fields, "verified_on", "verified_by"])
    return measure


@transaction.atomic
def measure_reopen(*, measure: Measure, reason: str, by: User) -> Measure:
    """The office sends a measure back (not done, or not well enough), with the reason;
    the unit reports it again."""
    measure = _locked_measure(measure)
    fields = MEASURE_WORKFLOW.apply(measure, "reopen", by=by)
    measure.reopen_reason = required(reason, "reason", _("请填写退回原因。"))
    measure.verified_on = None
    measure.verified_by = None
    measure._history_user = by  # type: ignore[attr-defined]
    measure._change_reason = measure.reopen_reason  # type: ignore[attr-defined]
    measure.save(update_fields=[*fields, "reopen_reason", "verified_on", "verified_by"])
    return measure


@transaction.atomic
def progress_add(
    *,
    rectification: Rectification,
    text: str,
    measure: Measure | None = None,
    evidence: File[Any] | None = None,
    by: User,
) -> Progress:
    """A progress report on an open rectification, about it or one of its measures,
    with evidence. The same report posted twice (a double click) is kept once."""
    rectification = _locked(rectification)
    if not can_report(by, rectification):
        if rectification.state != Rectification.State.OPEN:
            raise ValidationError(
                _("整改事项%(state)s，不能再报告进展。") % {"state": rectification.state_label}
            )
        raise Forbidden(_("只有整改单位或办公室可以报告整改进展。"))
    text = required(text, "text", _("请填写进展情况。"))
    if measure is not None and measure.rectification_id != rectification.pk:
        raise ValidationError({"measure": _("所选整改措施不属于该整改事项。")})
    recent = Progress.objects.filter(
        rectification=rectification, text=text, reported_by=by, reported_at__gte=repeat_since()
    ).first()
    if recent is not None:
        return recent
    progress = Progress(rectification=rectification, measure=measure, text=text, reported_by=by)
    if evidence:
        progress.evidence = evidence
    progress.full_clean()
    progress.save()
    return progress

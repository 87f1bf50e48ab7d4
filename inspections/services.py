"""The rectification services (the service contract: keyword arguments, the acting user
as `by`, a `ValidationError` in Chinese for what the user can mend, `Forbidden` for a
step they may never take, every write in one transaction on the locked row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Admonition, AdmonitionTrigger, Measure, Progress, Rectification
from inspections.rules import ADMONITION_REPORT, RECTIFICATION_DUE
from inspections.transitions import (
    ADMONITION_WORKFLOW,
    MEASURE_WORKFLOW,
    RECTIFICATION_WORKFLOW,
)
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.lib.errors import Forbidden, required
from portal.lib.repeats import repeat_since
from portal.models import Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files

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
        Rectification.objects.select_for_update(of=("self",))
        .select_related("unit", "deadline")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_update(
    *, rectification: Rectification, title: str, problem: str, due: dt.date, by: User
) -> Rectification:
    """The office corrects an open rectification's wording or moves its due date (the
    deadline follows; an extension the unit asked for is decided on the deadline)."""
    rectification = _locked(rectification)
    RECTIFICATION_WORKFLOW.check(rectification, "edit", by=by)
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
    Rectification.objects.select_for_update(of=("self",)).get(pk=measure.rectification_id)
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related("rectification__unit")
        .get(pk=measure.pk)
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


@storing_files()
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
    RECTIFICATION_WORKFLOW.check(rectification, "progress", by=by)
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


# Admonition talks (通报约谈) ------------------------------------------------------------


@transaction.atomic
def admonition_propose(
    *,
    unit: Unit,
    triggers: Iterable[AdmonitionTrigger],
    facts: str,
    partners: str = "",
    by: User,
) -> Admonition:
    """The office proposes an admonition talk with a member unit, for one or more of the
    listed situations (with other departments where needed)."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以提出通报约谈。"))
    chosen = [trigger for trigger in triggers if trigger.is_active]
    if not chosen:
        raise ValidationError({"triggers": _("请选择至少一种约谈情形。")})
    facts = required(facts, "facts", _("请填写存在的问题。"))
    recent = Admonition.objects.filter(
        unit=unit, facts=facts, proposed_by=by, proposed_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    admonition = Admonition(
        unit=unit,
        facts=facts,
        partners=partners.strip(),
        proposed_on=timezone.localdate(),
        proposed_by=by,
    )
    admonition.full_clean(exclude=["triggers"])
    admonition._history_user = by  # type: ignore[attr-defined]
    admonition.save()
    admonition.triggers.set(chosen)
    return admonition


def _locked_admonition(admonition: Admonition) -> Admonition:
    return (
        Admonition.objects.select_for_update(of=("self",))
        .select_related("unit", "deadline")
        .get(pk=admonition.pk)
    )


@transaction.atomic
def admonition_talk(
    *, admonition: Admonition, talk_on: dt.date, participants: str, record: str, by: User
) -> Admonition:
    """The office records the talk held; the unit's written report is due
    `INSPECTION_ADMONITION_REPORT_WORKDAYS` working days after it (on its 我的待办)."""
    admonition = _locked_admonition(admonition)
    fields = ADMONITION_WORKFLOW.apply(admonition, "talk", by=by)
    if talk_on > timezone.localdate():
        raise ValidationError({"talk_on": _("约谈日期不能晚于今天：请在约谈后登记。")})
    if talk_on < admonition.proposed_on:
        raise ValidationError({"talk_on": _("约谈日期不能早于提出日期。")})
    admonition.talk_on = talk_on
    admonition.participants = required(participants, "participants", _("请填写参加人员。"))
    admonition.record = required(record, "record", _("请填写约谈记录。"))
    admonition.deadline = deadline_open(
        rule=ADMONITION_REPORT,
        subject=admonition,
        after=talk_on,
        title=f"{admonition.unit.name}：{_('通报约谈整改报告')}"[:200],
        responsible_unit=admonition.unit,
    )
    admonition._history_user = by  # type: ignore[attr-defined]
    admonition.save(update_fields=[*fields, "talk_on", "participants", "record", "deadline"])
    return admonition


@storing_files()
def admonition_report(
    *, admonition: Admonition, report: str, report_file: File[Any] | None = None, by: User
) -> Admonition:
    """The unit's written report of its self-inspection and rectification; the deadline
    is met."""
    admonition = _locked_admonition(admonition)
    fields = ADMONITION_WORKFLOW.apply(admonition, "report", by=by)
    admonition.report = required(report, "report", _("请填写整改落实情况。"))
    admonition.reported_on = timezone.localdate()
    if report_file:
        admonition.report_file = report_file
    admonition.full_clean(exclude=["triggers"])
    admonition._history_user = by  # type: ignore[attr-defined]
    admonition.save(update_fields=[*fields, "report", "reported_on", "report_file"])
    deadline_meet(rule=ADMONITION_REPORT, subject=admonition, by=by)
    return admonition


@transaction.atomic
def admonition_conclude(
    *,
    admonition: Admonition,
    verdict: str,
    note: str,
    measures: str = "",
    due: dt.date | None = None,
    by: User,
) -> Admonition:
    """The office's verdict on the report: done (整改到位), or what is still not done
    assigned to the unit as a rectification (转交办整改: its measures and due date)."""
    admonition = _locked_admonition(admonition)
    fields = ADMONITION_WORKFLOW.apply(admonition, "conclude", by=by)
    if verdict not in Admonition.Verdict.values:
        raise ValidationError({"verdict": _("请选择办理结论。")})
    admonition.verdict_note = required(note, "note", _("请填写办理意见。"))
    admonition.verdict = verdict
    admonition.concluded_on = timezone.localdate()
    if verdict == Admonition.Verdict.RECTIFY:
        if due is None:
            raise ValidationError({"due": _("转交办整改的，请填写整改时限。")})
        admonition.rectification = rectification_assign(
            unit=admonition.unit,
            source=Rectification.Source.ADMONITION,
            title=_("通报约谈后整改（%(day)s）")
            % {"day": f"{admonition.talk_on or admonition.proposed_on:%Y-%m-%d}"},
            problem=admonition.verdict_note,
            measures=measures,
            due=due,
            by=by,
        )
    admonition._history_user = by  # type: ignore[attr-defined]
    admonition.save(
        update_fields=[*fields, "verdict", "verdict_note", "concluded_on", "rectification"]
    )
    return admonition


@transaction.atomic
def admonition_withdraw(*, admonition: Admonition, reason: str, by: User) -> Admonition:
    """The office withdraws a proposal or a talk whose report is no longer owed; the
    deadline, if the talk opened one, is waived with the reason."""
    admonition = _locked_admonition(admonition)
    fields = ADMONITION_WORKFLOW.apply(admonition, "withdraw", by=by)
    reason = required(reason, "reason", _("请填写撤回原因。"))
    admonition.verdict_note = reason
    admonition.concluded_on = timezone.localdate()
    admonition._history_user = by  # type: ignore[attr-defined]
    admonition._change_reason = reason  # type: ignore[attr-defined]
    admonition.save(update_fields=[*fields, "verdict_note", "concluded_on"])
    if admonition.deadline is not None and not admonition.deadline.is_closed:
        deadline_waive(deadline=admonition.deadline, by=by, reason=reason)
    return admonition

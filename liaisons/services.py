"""Writes of the liaison officers: the office appoints, ends and (after a change of
eligibility) keeps an appointment with a reason. Each service checks its permission and
the rule, refuses in Chinese and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons.eligibility import Basis, eligibility
from liaisons.models import (
    LIAISON_UNIT_KINDS,
    Consultation,
    Liaison,
    LiaisonAttendance,
    LiaisonReport,
    LiaisonSession,
    ReportRound,
)
from liaisons.roles import sync_after_commit
from liaisons.rules import (
    CONSULTATION_ANSWER,
    LIAISON_ELIGIBILITY,
    LIAISON_REPORT,
    report_days_before_semester_end,
    report_resubmit_days,
)
from liaisons.selectors import can_file_for
from liaisons.transitions import (
    CONSULTATION_WORKFLOW,
    LIAISON_WORKFLOW,
    REPORT_WORKFLOW,
    liaison_or_office,
)
from portal.deadlines.periods import semester_label, semester_of
from portal.deadlines.services import deadline_meet, deadline_open
from portal.lib.errors import Forbidden, Refused, required
from portal.lib.repeats import repeat_since
from portal.models import Person, Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files


def _require_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以任免统战联络员。"))


@transaction.atomic
def liaison_appoint(
    *, unit: Unit, person: Person, start_date: dt.date, reason: str = "", by: User
) -> Liaison:
    """Appoint `person` as `unit`'s liaison from `start_date`, if the rule accepts them
    on that day (a young Party member only with `reason`)."""
    _require_office(by)
    if unit.kind not in LIAISON_UNIT_KINDS:
        raise ValidationError({"unit": _("联络员按部门和院系设立。")})
    if person.unit_id != unit.pk:
        raise ValidationError({"person": _("联络员应为本单位人员。")})
    basis = eligibility(
        political_status=person.political_status,
        birth_date=person.birth_date,
        overseas_study=person.overseas_study,
        on=start_date,
    )
    if basis is None:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s 不符合联络员条件：应为非党人士，或35周岁以下有留学经历的青年教师；"
                    "都不具备时可推荐35周岁以下的青年党员教师。"
                )
                % {"name": person.name}
            }
        )
    reason = reason.strip()
    if basis == Basis.YOUNG_PARTY_MEMBER and not reason:
        raise ValidationError(
            {"reason": _("推荐青年党员教师担任联络员，请说明本单位没有符合前两项条件人选的理由。")}
        )
    Unit.objects.select_for_update().get(pk=unit.pk)  # one appointment at a time per unit
    if Liaison.objects.filter(unit=unit, end_date__isnull=True).exists():
        raise Refused(_("%(unit)s 已有在任联络员，请先办理离任。") % {"unit": unit.name})
    last = Liaison.objects.filter(unit=unit).order_by("-end_date").first()
    if last is not None and last.end_date is not None and start_date < last.end_date:
        message = _("任职日期不能早于上一任离任日期（%(day)s）。") % {"day": last.end_date}
        raise ValidationError({"start_date": message})
    liaison = Liaison(
        unit=unit,
        person=person,
        start_date=start_date,
        basis=basis,
        basis_reason=reason,
        appointed_by=by,
    )
    liaison.full_clean(validate_constraints=False)
    liaison._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            liaison.save()
    except IntegrityError:
        raise Refused(_("%(unit)s 已有在任联络员，请先办理离任。") % {"unit": unit.name}) from None
    sync_after_commit(person)
    return liaison


@transaction.atomic
def liaison_end(*, liaison: Liaison, end_date: dt.date, reason: str, by: User) -> Liaison:
    """End the appointment on `end_date` (the first day out of office)."""
    locked = Liaison.objects.select_for_update().get(pk=liaison.pk)
    if locked.end_date is not None:
        raise Refused(_("该联络员已于 %(day)s 离任。") % {"day": locked.end_date})
    LIAISON_WORKFLOW.check(locked, "end", by=by)
    if end_date < locked.start_date:
        raise ValidationError({"end_date": _("离任日期不能早于任职日期。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写离任原因。")})
    locked.end_date, locked.end_reason = end_date, reason.strip()
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["end_date", "end_reason"])
    deadline_meet(rule=LIAISON_ELIGIBILITY, subject=locked, by=by)
    sync_after_commit(locked.person_id)
    return locked


@transaction.atomic
def liaison_keep(*, liaison: Liaison, reason: str, by: User) -> Liaison:
    """The office decides to keep a liaison who no longer meets their basis, with a
    reason kept in the record; the eligibility deadline is met."""
    locked = Liaison.objects.select_for_update().get(pk=liaison.pk)
    # A second click finds the liaison kept and is refused with the state's message.
    LIAISON_WORKFLOW.check(locked, "keep", by=by)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明继续任职的理由。")})
    locked.kept_on = timezone.localdate()
    locked.basis_reason = "\n".join(filter(None, [locked.basis_reason, reason.strip()]))
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["kept_on", "basis_reason"])
    deadline_meet(rule=LIAISON_ELIGIBILITY, subject=locked, by=by)
    return locked


# Consultations (征求意见) ---------------------------------------------------------------


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


@storing_files()
def consultation_file(
    *,
    unit: Unit,
    kind: str,
    title: str,
    matter: str,
    draft: File[Any] | None = None,
    by: User,
) -> Consultation:
    """A unit asks the UFW department's written opinion; the office's answer is due in
    `LIAISON_CONSULTATION_WORKDAYS` working days (a deadline on 我的待办)."""
    if not can_file_for(by, unit):
        raise Forbidden(_("只能以本单位名义征求意见。"))
    title = required(title, "title", _("请填写事由。"))
    matter = required(matter, "matter", _("请说明需要征求意见的情况。"))
    if kind == Consultation.Kind.DOCUMENT and not draft:
        raise ValidationError({"draft": _("起草文件征求意见，请附上文件草稿。")})
    recent = Consultation.objects.filter(
        unit=unit, title=title, filed_by=by, filed_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    consultation = Consultation(
        unit=unit,
        kind=kind,
        title=title,
        matter=matter,
        filed_on=timezone.localdate(),
        filed_by=by,
    )
    if draft:
        consultation.draft = draft
    consultation.full_clean()
    consultation._history_user = by  # type: ignore[attr-defined]
    consultation.save()
    consultation.deadline = deadline_open(
        rule=CONSULTATION_ANSWER,
        subject=consultation,
        after=consultation.filed_on,
        title=f"{unit.name}：{title}"[:200],
    )
    # The deadline needs the consultation's id: link it without a second history row.
    consultation.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]
    return consultation


@transaction.atomic
def consultation_answer(*, consultation: Consultation, opinion: str, by: User) -> Consultation:
    """The office's written opinion; the deadline is met."""
    consultation = _locked(consultation)
    fields = CONSULTATION_WORKFLOW.apply(consultation, "answer", by=by)
    consultation.opinion = required(opinion, "opinion", _("请填写书面意见。"))
    consultation.answered_on = timezone.localdate()
    consultation.answered_by = by
    consultation._history_user = by  # type: ignore[attr-defined]
    consultation.save(update_fields=[*fields, "opinion", "answered_on", "answered_by"])
    deadline_meet(rule=CONSULTATION_ANSWER, subject=consultation, by=by)
    return consultation


@transaction.atomic
def consultation_withdraw(*, consultation: Consultation, reason: str, by: User) -> Consultation:
    """The asking unit withdraws before an answer (the matter was dropped): nothing is
    owed any more, so the office's deadline closes (as met: the engine's waiver is the
    office's own decision, which a unit cannot take)."""
    consultation = _locked(consultation)
    fields = CONSULTATION_WORKFLOW.apply(consultation, "withdraw", by=by)
    reason = required(reason, "reason", _("请填写撤回原因。"))
    consultation._history_user = by  # type: ignore[attr-defined]
    consultation._change_reason = reason  # type: ignore[attr-defined]
    consultation.save(update_fields=fields)
    deadline_meet(rule=CONSULTATION_ANSWER, subject=consultation, by=by)
    return consultation


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, adoption: str, note: str = "", by: User
) -> Consultation:
    """The asking unit records whether the opinion was taken (a reason when it was not,
    or only partly)."""
    consultation = _locked(consultation)
    fields = CONSULTATION_WORKFLOW.apply(consultation, "close", by=by)
    if adoption not in Consultation.Adoption.values:
        raise ValidationError({"adoption": _("请选择采纳情况。")})
    note = note.strip()
    if adoption != Consultation.Adoption.ADOPTED and not note:
        raise ValidationError({"note": _("未采纳或部分采纳的，请说明理由。")})
    consultation.adoption, consultation.adoption_note = adoption, note
    consultation.closed_on = timezone.localdate()
    consultation._history_user = by  # type: ignore[attr-defined]
    consultation.save(update_fields=[*fields, "adoption", "adoption_note", "closed_on"])
    return consultation


# Training sessions and meetings ------------------------------------------------------------


@transaction.atomic
def session_record(
    *,
    kind: str,
    title: str,
    held_on: dt.date,
    place: str = "",
    organiser: str = "",
    content: str = "",
    by: User,
) -> LiaisonSession:
    """The office records a training session or meeting; every liaison in office on the
    day is invited (one attendance row each, not yet attended)."""
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以登记联络员培训和会议。"))
    title = required(title, "title", _("请填写名称。"))
    if kind not in LiaisonSession.Kind.values:
        raise ValidationError({"kind": _("请选择类别。")})
    repeated = LiaisonSession.objects.filter(
        title=title, held_on=held_on, created_by=by, created_at__gte=repeat_since()
    ).first()
    if repeated is not None:  # the same form posted twice
        return repeated
    invited = list(Liaison.objects.current_on(held_on).order_by("unit__sort_order", "pk"))
    if not invited:
        raise ValidationError({"held_on": _("这一天没有在任的统战联络员。")})
    session = LiaisonSession(
        kind=kind,
        title=title,
        held_on=held_on,
        place=place.strip(),
        organiser=organiser.strip(),
        content=content.strip(),
        created_by=by,
    )
    session.full_clean()
    session._history_user = by  # type: ignore[attr-defined]
    session.save()
    LiaisonAttendance.objects.bulk_create(
        LiaisonAttendance(session=session, liaison=liaison) for liaison in invited
    )
    return session


@transaction.atomic
def attendance_record(
    *,
    session: LiaisonSession,
    attended: Iterable[int],
    reasons: dict[int, str],
    by: User,
) -> int:
    """The office records who attended (`attended`: attendance row ids) and why the
    others did not (`reasons`: row id → reason). Returns the number attended."""
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以登记出席情况。"))
    rows = list(LiaisonAttendance.objects.select_for_update().filter(session=session))
    present = set(attended)
    unknown = present - {row.pk for row in rows}
    if unknown:
        raise ValidationError(_("出席名单中有不属于本次培训和会议的人员，请刷新页面后重试。"))
    changed = []
    for row in rows:
        reason = "" if row.pk in present else reasons.get(row.pk, "").strip()[:100]
        if (row.attended, row.absence_reason) != (row.pk in present, reason):
            row.attended, row.absence_reason = row.pk in present, reason
            row._history_user = by  # type: ignore[attr-defined]
            changed.append(row)
    for row in changed:
        row.save(update_fields=["attended", "absence_reason"])
    return len(present)


# Liaison reports (联络员报告) -------------------------------------------------------------


def _report_title(report: LiaisonReport) -> str:
    return f"{report.round.title}：{report.liaison.unit.name} {report.liaison.person.name}"[:200]


def _open_report_deadline(report: LiaisonReport) -> None:
    report.deadline = deadline_open(
        rule=LIAISON_REPORT,
        subject=report,
        due=report.round.due_on,
        title=_report_title(report),
        # The liaison's own login (nobody named: the office's), not their unit's people.
        responsible_users=User.objects.filter(person_id=report.liaison.person_id, is_active=True),
    )
    # The deadline needs the report's id: link it without a second history row.
    report.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]


def round_schedule(today: dt.date) -> ReportRound | None:
    """This semester's round by the schedule (no acting user: the reminder scan), unless
    the schedule is off, the round exists, or its due day has passed."""
    days = report_days_before_semester_end()
    if days <= 0:
        return None
    semester = semester_of(today)
    if ReportRound.objects.filter(period=semester.key, opened_by__isnull=True).exists():
        return None
    due_on = semester.end - dt.timedelta(days=days)
    if due_on < today:
        return None
    title = _("%(semester)s联络员报告") % {"semester": semester_label(semester.key)}
    try:
        with transaction.atomic():
            return ReportRound.objects.create(period=semester.key, title=title, due_on=due_on)
    except IntegrityError:  # a second scan got there first
        return None


@transaction.atomic
def round_fill(report_round: ReportRound, today: dt.date) -> int:
    """Every liaison in office today owes a report in this open round: create the
    missing ones with their deadlines. Returns how many were created."""
    if report_round.due_on < today:
        return 0
    have = LiaisonReport.objects.filter(round=report_round).values("liaison_id")
    missing = list(
        Liaison.objects.current_on(today)
        .exclude(pk__in=have)
        .select_related("unit", "person")
        .order_by("unit__sort_order", "pk")
    )
    for liaison in missing:
        try:
            with transaction.atomic():
                report = LiaisonReport.objects.create(round=report_round, liaison=liaison)
        except IntegrityError:  # a concurrent fill made it
            continue
        report.round = report_round
        _open_report_deadline(report)
    return len(missing)


@transaction.atomic
def round_open(*, title: str, due_on: dt.date, topic: str = "", by: User) -> ReportRound:
    """The office calls for reports outside the schedule (a special topic), due on
    `due_on`; every liaison in office owes one."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以发起联络员报告征集。"))
    title = required(title, "title", _("请填写名称。"))
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": _("报送截止日期不能早于今天。")})
    repeated = ReportRound.objects.filter(
        title=title, due_on=due_on, opened_by=by, opened_at__gte=repeat_since()
    ).first()
    if repeated is not None:  # the same form posted twice
        return repeated
    report_round = ReportRound(
        period=semester_of(due_on).key,
        title=title,
        topic=topic.strip(),
        due_on=due_on,
        opened_by=by,
    )
    report_round.full_clean(validate_constraints=False)
    report_round._history_user = by  # type: ignore[attr-defined]
    report_round.save()
    if not round_fill(report_round, today):
        raise ValidationError({"due_on": _("目前没有在任的统战联络员。")})
    return report_round


@transaction.atomic
def round_update(
    *, report_round: ReportRound, title: str, due_on: dt.date, topic: str = "", by: User
) -> ReportRound:
    """The office changes a round's name, focus or due date; the reports not yet in
    follow the new date (their deadlines and reminders move)."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以修改联络员报告征集。"))
    locked = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    locked.title = required(title, "title", _("请填写名称。"))
    if due_on != locked.due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("报送截止日期不能早于今天。")})
    locked.topic, locked.due_on = topic.strip(), due_on
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["title", "topic", "due_on"])
    pending = LiaisonReport.objects.filter(
        round=locked, state__in=[LiaisonReport.State.DUE, LiaisonReport.State.RETURNED]
    ).select_related("liaison__unit", "liaison__person", "round")
    for report in pending:
        _open_report_deadline(report)
    return locked


def locked_report(report: LiaisonReport) -> LiaisonReport:
    return (
        LiaisonReport.objects.select_for_update(of=("self",))
        .select_related("liaison__person", "liaison__unit", "round")
        .get(pk=report.pk)
    )


REPORT_FIELDS = ("views", "issues", "deeds", "recommendations")
EDITABLE = frozenset({LiaisonReport.State.DUE, LiaisonReport.State.RETURNED})


@transaction.atomic
def report_save(
    *, report: LiaisonReport, fields: dict[str, str], submit: bool = False, by: User
) -> LiaisonReport:
    """The liaison (or the office for them) writes the report; with `submit`, it is
    sent to the office (the deadline is met). Only while it is due or returned."""
    report = locked_report(report)
    _check_editable(report, by)
    for name in REPORT_FIELDS:
        setattr(report, name, str(fields.get(name, "")).strip())
    update = list(REPORT_FIELDS)
    if submit:
        update += REPORT_WORKFLOW.apply(report, "submit", by=by)
        report.submitted_at = timezone.now()
        update.append("submitted_at")
    report._history_user = by  # type: ignore[attr-defined]
    report.save(update_fields=update)
    if submit:
        period = report.deadline.period if report.deadline else ""
        deadline_meet(rule=LIAISON_REPORT, subject=report, period=period, by=by)
    return report


def _check_editable(report: LiaisonReport, by: User) -> None:
    if not liaison_or_office(by, report):
        raise Forbidden(_("只有本人或办公室可以填写联络员报告。"))
    if report.state not in EDITABLE:
        raise Refused(_("报告已%(state)s，不能再修改。") % {"state": report.state_label})


@transaction.atomic
def report_return(*, report: LiaisonReport, comment: str, by: User) -> LiaisonReport:
    """The office asks for more; the liaison's deadline opens again, a few working days
    from now (never before the round's due date)."""
    report = locked_report(report)
    fields = REPORT_WORKFLOW.apply(report, "return", by=by)
    report.office_note = required(comment, "comment", _("请填写退回意见。"))
    report._history_user = by  # type: ignore[attr-defined]
    report._change_reason = report.office_note  # type: ignore[attr-defined]
    report.save(update_fields=[*fields, "office_note"])
    today = timezone.localdate()
    assert report.submitted_at is not None  # it was submitted
    report.deadline = deadline_open(
        rule=LIAISON_REPORT,
        subject=report,
        period=f"again-{report.submitted_at:%Y%m%d%H%M%S}",  # one deadline per return
        due=max(report.round.due_on, today + dt.timedelta(days=report_resubmit_days())),
        title=_report_title(report),
        responsible_users=User.objects.filter(person_id=report.liaison.person_id, is_active=True),
    )
    report.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]
    return report


@transaction.atomic
def report_read(*, report: LiaisonReport, note: str = "", by: User) -> LiaisonReport:
    """The office has read the report (with its remarks); follow-ups come after."""
    report = locked_report(report)
    fields = REPORT_WORKFLOW.apply(report, "read", by=by)
    report.office_note = note.strip()
    report.read_on, report.read_by = timezone.localdate(), by
    report._history_user = by  # type: ignore[attr-defined]
    report.save(update_fields=[*fields, "office_note", "read_on", "read_by"])
    return report

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
    LiaisonSession,
)
from liaisons.rules import CONSULTATION_ANSWER, LIAISON_ELIGIBILITY
from liaisons.selectors import can_file_for
from liaisons.transitions import CONSULTATION_WORKFLOW, LIAISON_WORKFLOW
from portal.deadlines.services import deadline_meet, deadline_open
from portal.lib.errors import Forbidden, Refused
from portal.lib.repeats import repeat_since
from portal.models import Person, Unit, User
from portal.permissions import is_office


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


def _required(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


@transaction.atomic
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
    title = _required(title, "title", _("请填写事由。"))
    matter = _required(matter, "matter", _("请说明需要征求意见的情况。"))
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
    consultation.opinion = _required(opinion, "opinion", _("请填写书面意见。"))
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
    reason = _required(reason, "reason", _("请填写撤回原因。"))
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
    title = _required(title, "title", _("请填写名称。"))
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

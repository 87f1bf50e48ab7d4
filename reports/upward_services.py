"""Writes of the experiences (经验做法), the briefings compiled from them (经验交流材料 /
简报) and the information reports (统战信息), on the service contract: keyword arguments,
the acting user as `by` (checked here), `full_clean()` before saving, one transaction on
the locked row (`select_for_update(of=("self",))`, then the declared transition), a
Chinese `ValidationError` for what the user can mend, `Forbidden` for what they may
never do. A create posted twice within `repeat_since()` returns the first record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib.errors import Forbidden, required
from portal.lib.numerals import chinese_numeral
from portal.lib.repeats import repeat_since
from portal.models import Role, Unit, User
from portal.permissions import has_role, is_office, own_unit_ids
from portal.uploads import storing_files
from reports.models import (
    Briefing,
    BriefingEntry,
    Commendation,
    Experience,
    InformationReport,
)
from reports.upward_transitions import EXPERIENCE_WORKFLOW, INFORMATION_WORKFLOW

BRIEFING_KIND = "experience_briefing"
# An experience may go into a briefing once the office has selected it.
COMPILABLE_STATES = (
    Experience.State.SELECTED,
    Experience.State.REPORTED,
    Experience.State.PUBLISHED,
)


def _check_unit(unit: Unit, by: User, message: str) -> None:
    """The office registers for any unit; a branch commissioner for their own."""
    if is_office(by):
        return
    if not (has_role(by, Role.COMMISSIONER) and unit.pk in own_unit_ids(by)):
        raise Forbidden(message)


def _not_future(day: dt.date, field: str, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: message})


def _save(record: Any, by: User, fields: list[str] | None = None, reason: str = "") -> None:
    record.full_clean()
    record._history_user = by
    if reason:
        record._change_reason = reason
    if fields is None:
        record.save()
    else:
        record.save(update_fields=fields)


# Experiences (经验做法) ---------------------------------------------------------------------


@storing_files()
def experience_create(
    *,
    unit: Unit,
    title: str,
    summary: str,
    body: str,
    attachment: File[Any] | None = None,
    by: User,
) -> Experience:
    """A unit's good practice, drafted by its commissioner or by the office for it."""
    _check_unit(unit, by, _("只能为本单位登记经验做法。"))
    title = required(title, "title", _("请填写标题。"))
    body = required(body, "body", _("请填写正文。"))
    recent = Experience.objects.filter(
        unit=unit, title=title, created_by=by, created_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    experience = Experience(
        unit=unit, title=title, summary=summary.strip(), body=body, created_by=by
    )
    if attachment:
        experience.attachment = attachment
    _save(experience, by)
    return experience


def _locked_experience(experience: Experience) -> Experience:
    return (
        Experience.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=experience.pk)
    )


@storing_files()
def experience_update(
    *,
    experience: Experience,
    title: str,
    summary: str,
    body: str,
    attachment: File[Any] | None = None,
    by: User,
) -> Experience:
    """Corrects a draft (title, summary, body, a new attachment)."""
    experience = _locked_experience(experience)
    EXPERIENCE_WORKFLOW.check(experience, "edit", by=by)
    experience.title = required(title, "title", _("请填写标题。"))
    experience.summary = summary.strip()
    experience.body = required(body, "body", _("请填写正文。"))
    fields = ["title", "summary", "body"]
    if attachment:
        experience.attachment = attachment
        fields.append("attachment")
    _save(experience, by, fields)
    return experience


@transaction.atomic
def experience_submit(*, experience: Experience, by: User) -> Experience:
    """报送办公室: the draft goes to the office for selection."""
    experience = _locked_experience(experience)
    fields = EXPERIENCE_WORKFLOW.apply(experience, "submit", by=by)
    experience.submitted_at = timezone.now()
    _save(experience, by, [*fields, "submitted_at"])
    return experience


@transaction.atomic
def experience_select(*, experience: Experience, by: User) -> Experience:
    """入选: the office selects it (for a briefing, for reporting upward)."""
    experience = _locked_experience(experience)
    fields = EXPERIENCE_WORKFLOW.apply(experience, "select", by=by)
    _save(experience, by, fields)
    return experience


@transaction.atomic
def experience_reject(*, experience: Experience, reason: str, by: User) -> Experience:
    """未入选, with the reason the unit reads."""
    experience = _locked_experience(experience)
    fields = EXPERIENCE_WORKFLOW.apply(experience, "reject", by=by)
    experience.not_selected_reason = required(reason, "reason", _("请填写未入选的原因。"))
    _save(experience, by, [*fields, "not_selected_reason"], reason=experience.not_selected_reason)
    return experience


@transaction.atomic
def experience_report_upward(
    *, experience: Experience, reported_on: dt.date, reported_to: str, by: User
) -> Experience:
    """报送上级: the date and to whom the office sent it."""
    experience = _locked_experience(experience)
    fields = EXPERIENCE_WORKFLOW.apply(experience, "report_upward", by=by)
    _not_future(reported_on, "reported_on", _("报送日期不能晚于今天。"))
    experience.reported_on = reported_on
    experience.reported_to = required(reported_to, "reported_to", _("请填写报送单位。"))
    _save(experience, by, [*fields, "reported_on", "reported_to"])
    return experience


@transaction.atomic
def experience_publish(
    *, experience: Experience, outlet: str, published_on: dt.date, by: User
) -> Commendation:
    """获刊发: where and when the upper level published it; the unit is commended
    (通报表扬, 000 §三(七)), recorded once."""
    experience = _locked_experience(experience)
    fields = EXPERIENCE_WORKFLOW.apply(experience, "publish", by=by)
    _not_future(published_on, "published_on", _("刊发日期不能晚于今天。"))
    if experience.reported_on is not None and published_on < experience.reported_on:
        raise ValidationError({"published_on": _("刊发日期不能早于报送上级的日期。")})
    experience.published_outlet = required(outlet, "outlet", _("请填写刊发载体。"))
    experience.published_on = published_on
    _save(experience, by, [*fields, "published_outlet", "published_on"])
    commendation = Commendation(
        unit=experience.unit,
        experience=experience,
        commended_on=published_on,
        text=str(
            _("经验做法《%(title)s》获%(outlet)s刊发")
            % {"title": experience.title, "outlet": experience.published_outlet}
        )[:500],
        recorded_by=by,
    )
    _save(commendation, by)
    return commendation


@transaction.atomic
def experience_arrange_speech(
    *, experience: Experience, meeting: str, speech_on: dt.date, by: User
) -> Experience:
    """交流发言: the meeting (free text: the meetings app is another app) and its date."""
    experience = _locked_experience(experience)
    EXPERIENCE_WORKFLOW.check(experience, "speech", by=by)
    experience.speech_meeting = required(meeting, "meeting", _("请填写交流发言的会议。"))
    experience.speech_on = speech_on
    _save(experience, by, ["speech_meeting", "speech_on"])
    return experience


# Briefings (经验交流材料汇编 / 简报) ------------------------------------------------------------


def _compilable(experiences: Iterable[Experience]) -> list[Experience]:
    """The experiences as stored now (not as the caller's copies say), in the order
    given, each once; every one must have been selected."""
    wanted = list(dict.fromkeys(e.pk for e in experiences))
    stored = Experience.objects.select_related("unit").in_bulk(wanted)
    chosen = [stored[pk] for pk in wanted if pk in stored]
    for experience in chosen:
        if experience.state not in COMPILABLE_STATES:
            raise ValidationError(
                {
                    "experiences": _("《%(title)s》尚未入选，不能编入。")
                    % {"title": experience.title}
                }
            )
    if not chosen:
        raise ValidationError({"experiences": _("请选择至少一篇已入选的经验做法。")})
    return chosen


def _set_entries(briefing: Briefing, experiences: Sequence[Experience], by: User) -> None:
    briefing.entries.all().delete()
    for position, experience in enumerate(experiences, start=1):
        entry = BriefingEntry(briefing=briefing, experience=experience, position=position)
        _save(entry, by)


def _check_office(by: User, message: str) -> None:
    if not is_office(by):
        raise Forbidden(message)


@transaction.atomic
def briefing_compile(
    *,
    title: str,
    addressee: str,
    foreword: str,
    experiences: Sequence[Experience],
    by: User,
) -> Briefing:
    """The office compiles selected experiences, in the order given, into a briefing."""
    _check_office(by, _("只有办公室可以编印经验交流材料。"))
    title = required(title, "title", _("请填写标题。"))
    chosen = _compilable(experiences)
    recent = Briefing.objects.filter(
        title=title, created_by=by, created_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    briefing = Briefing(
        title=title, addressee=addressee.strip(), foreword=foreword.strip(), created_by=by
    )
    _save(briefing, by)
    _set_entries(briefing, chosen, by)
    return briefing


def _locked_briefing(briefing: Briefing) -> Briefing:
    return (
        Briefing.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(pk=briefing.pk)
    )


def _check_editable(briefing: Briefing) -> None:
    if not briefing.is_editable:
        raise ValidationError(
            _("%(title)s 已提交审核，当前状态为“%(state)s”。")
            % {"title": briefing.title, "state": briefing.get_state_display()}
        )


@transaction.atomic
def briefing_update(
    *,
    briefing: Briefing,
    title: str,
    addressee: str,
    foreword: str,
    experiences: Sequence[Experience],
    by: User,
) -> Briefing:
    """Changes the title, the foreword and the experiences while it is a draft (or
    returned)."""
    _check_office(by, _("只有办公室可以编印经验交流材料。"))
    briefing = _locked_briefing(briefing)
    _check_editable(briefing)
    briefing.title = required(title, "title", _("请填写标题。"))
    briefing.addressee = addressee.strip()
    briefing.foreword = foreword.strip()
    chosen = _compilable(experiences)
    _save(briefing, by, ["title", "addressee", "foreword"])
    _set_entries(briefing, chosen, by)
    return briefing


def briefing_text(briefing: Briefing) -> tuple[str, str]:
    """The document's title and body: the foreword, then each experience in order as
    “一、title”, its unit and its text."""
    paragraphs: list[str] = []
    if briefing.foreword.strip():
        paragraphs.append(briefing.foreword.strip())
    entries = briefing.entries.select_related("experience__unit").order_by("position")
    for entry in entries:
        experience = entry.experience
        paragraphs.append(f"{chinese_numeral(entry.position)}、{experience.title}")
        paragraphs.append(f"（{experience.unit.name}）")
        paragraphs.append(experience.body.strip())
    return briefing.title, "\n\n".join(paragraphs)


def briefing_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for kind ``experience_briefing``."""
    briefing = document.about
    if not isinstance(briefing, Briefing):
        raise DocumentError(_("这份公文没有对应的经验交流材料。"))
    return briefing_text(briefing)


@transaction.atomic
def briefing_submit(*, briefing: Briefing, by: User) -> Document:
    """提交审核: through the documents workflow (the leader in charge signs); drafted
    the first time, sent again after a return. A double click submits once."""
    _check_office(by, _("只有办公室可以编印经验交流材料。"))
    locked = _locked_briefing(briefing)
    _check_editable(locked)
    if not locked.entries.exists():
        raise ValidationError(_("还没有收录经验做法，不能提交审核。"))
    title, body = briefing_text(locked)
    document = document_backed_submit(
        record=locked,
        kind=BRIEFING_KIND,
        by=by,
        title=title,
        body=body,
        addressee=locked.addressee,
    )
    briefing.document = document
    return document


# Information reports (统战信息) -------------------------------------------------------------


@transaction.atomic
def information_create(*, unit: Unit, title: str, body: str, by: User) -> InformationReport:
    """A piece of information drafted by a unit's commissioner or by the office."""
    _check_unit(unit, by, _("只能为本单位编报统战信息。"))
    title = required(title, "title", _("请填写标题。"))
    body = required(body, "body", _("请填写正文。"))
    recent = InformationReport.objects.filter(
        unit=unit, title=title, created_by=by, created_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    report = InformationReport(
        year=timezone.localdate().year, unit=unit, title=title, body=body, created_by=by
    )
    _save(report, by)
    return report


def _locked_information(report: InformationReport) -> InformationReport:
    return (
        InformationReport.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=report.pk)
    )


@transaction.atomic
def information_update(
    *, report: InformationReport, title: str, body: str, by: User
) -> InformationReport:
    report = _locked_information(report)
    INFORMATION_WORKFLOW.check(report, "edit", by=by)
    report.title = required(title, "title", _("请填写标题。"))
    report.body = required(body, "body", _("请填写正文。"))
    _save(report, by, ["title", "body"])
    return report


@transaction.atomic
def information_submit(*, report: InformationReport, by: User) -> InformationReport:
    """报送审核: to the office; it counts in the year it is first submitted."""
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "submit", by=by)
    if report.submitted_at is None:
        report.submitted_at = timezone.now()
        report.year = timezone.localdate().year
    _save(report, by, [*fields, "submitted_at", "year"])
    return report


@transaction.atomic
def information_return(*, report: InformationReport, reason: str, by: User) -> InformationReport:
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "return", by=by)
    report.return_reason = required(reason, "reason", _("请填写退回原因。"))
    _save(report, by, [*fields, "return_reason"], reason=report.return_reason)
    return report


@transaction.atomic
def information_accept(*, report: InformationReport, by: User) -> InformationReport:
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "accept", by=by)
    _save(report, by, fields)
    return report


@transaction.atomic
def information_send(
    *, report: InformationReport, sent_on: dt.date, sent_to: str, by: User
) -> InformationReport:
    """报送: the date and to whom."""
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "send", by=by)
    _not_future(sent_on, "sent_on", _("报送日期不能晚于今天。"))
    report.sent_on = sent_on
    report.sent_to = required(sent_to, "sent_to", _("请填写报送对象。"))
    _save(report, by, [*fields, "sent_on", "sent_to"])
    return report


@transaction.atomic
def information_adopt(
    *, report: InformationReport, level: str, outlet: str, adopted_on: dt.date, by: User
) -> InformationReport:
    """采用: at which level, in which outlet, on which date."""
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "adopt", by=by)
    if level not in InformationReport.Level.values:
        raise ValidationError({"level": _("请选择采用层级。")})
    _not_future(adopted_on, "adopted_on", _("采用日期不能晚于今天。"))
    if report.sent_on is not None and adopted_on < report.sent_on:
        raise ValidationError({"adopted_on": _("采用日期不能早于报送日期。")})
    report.adoption_level = level
    report.adoption_outlet = required(outlet, "outlet", _("请填写采用载体。"))
    report.adopted_on = adopted_on
    _save(report, by, [*fields, "adoption_level", "adoption_outlet", "adopted_on"])
    return report


@transaction.atomic
def information_not_adopt(*, report: InformationReport, by: User) -> InformationReport:
    """未采用: the upper level did not take it."""
    report = _locked_information(report)
    fields = INFORMATION_WORKFLOW.apply(report, "not_adopt", by=by)
    _save(report, by, fields)
    return report

"""The research services (调研指导联系点, 调研指导, 调研课题), on the service contract
of `inspections.services`: keyword arguments, the acting user as `by`, a Chinese
`ValidationError` for what the user can mend, `Forbidden` for a step they may never
take, every write in one transaction on the locked row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    TAKER_MESSAGE,
    ContactPoint,
    Rectification,
    ResearchTopic,
    ResearchVisit,
)
from inspections.research_transitions import RESEARCH_TOPIC_WORKFLOW, RESEARCH_VISIT_WORKFLOW
from inspections.rules import RESEARCH_REPORT, RESEARCH_TOPIC_DUE, research_report_due
from inspections.services import rectification_assign
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.lib.errors import Forbidden, required
from portal.lib.repeats import repeat_since
from portal.models import Person, Role, Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files

# Contact points (调研指导联系点) -----------------------------------------------------------


def _check_office(by: User, message: str) -> None:
    if not is_office(by):
        raise Forbidden(message)


def _check_contact(contact: User | None) -> None:
    if contact is not None and not contact.groups.filter(name=Role.OFFICE).exists():
        raise ValidationError({"contact": _("办公室联系人须为领导小组办公室的工作人员。")})


@transaction.atomic
def contact_point_add(
    *, unit: Unit, since: dt.date, contact: User | None = None, note: str = "", by: User
) -> ContactPoint:
    """The office makes a unit a contact point from `since`; a unit is a current contact
    point once at most (a double post returns the first)."""
    _check_office(by, _("只有办公室可以设立调研指导联系点。"))
    current = ContactPoint.objects.select_for_update(of=("self",)).filter(
        unit=unit, until__isnull=True
    )
    existing = current.first()
    if existing is not None:
        if existing.since == since and existing.contact_id == (contact.pk if contact else None):
            return existing  # the same form posted twice
        raise ValidationError({"unit": _("该单位已是调研指导联系点。")})
    _check_contact(contact)
    point = ContactPoint(unit=unit, since=since, contact=contact, note=note.strip())
    point.full_clean()
    point._history_user = by  # type: ignore[attr-defined]
    point.save()
    return point


def _locked_point(point: ContactPoint) -> ContactPoint:
    return (
        ContactPoint.objects.select_for_update(of=("self",)).select_related("unit").get(pk=point.pk)
    )


@transaction.atomic
def contact_point_update(
    *, point: ContactPoint, since: dt.date, contact: User | None, note: str, by: User
) -> ContactPoint:
    """The office corrects a contact point's start date, contact person or note."""
    _check_office(by, _("只有办公室可以修改调研指导联系点。"))
    point = _locked_point(point)
    if point.until is not None and since > point.until:
        raise ValidationError({"since": _("设立日期不能晚于撤销日期。")})
    _check_contact(contact)
    point.since = since
    point.contact = contact
    point.note = note.strip()
    point.full_clean()
    point._history_user = by  # type: ignore[attr-defined]
    point.save(update_fields=["since", "contact", "note"])
    return point


@transaction.atomic
def contact_point_end(*, point: ContactPoint, until: dt.date, by: User) -> ContactPoint:
    """The office ends a contact point on `until` (kept in the list as ended)."""
    _check_office(by, _("只有办公室可以撤销调研指导联系点。"))
    point = _locked_point(point)
    if point.until is not None:
        raise ValidationError(_("该联系点已于 %(day)s 撤销。") % {"day": f"{point.until:%Y-%m-%d}"})
    if until < point.since:
        raise ValidationError({"until": _("撤销日期不能早于设立日期。")})
    point.until = until
    point._history_user = by  # type: ignore[attr-defined]
    point.save(update_fields=["until"])
    return point


# Research-guidance visits (调研指导) -----------------------------------------------------


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


@transaction.atomic
def research_visit_plan(
    *,
    year: int,
    subject: str,
    plan: str,
    units: Iterable[Unit],
    starts_on: dt.date,
    ends_on: dt.date,
    by: User,
) -> ResearchVisit:
    """The office plans the year's research-guidance visit: its subject (by default the
    seed's), the plan, the units to visit, the dates. The seed asks for one a year: a
    second is allowed (the page warns, `research_selectors.other_visits_in_year`)."""
    _check_office(by, _("只有办公室可以安排调研指导。"))
    chosen = list(units)
    if not chosen:
        raise ValidationError({"units": _("请选择至少一个调研单位。")})
    subject = required(subject, "subject", _("请填写调研主题。"))
    plan = required(plan, "plan", _("请填写调研方案。"))
    _check_dates(starts_on, ends_on)
    if starts_on.year != year:
        raise ValidationError({"starts_on": _("开始日期须在所填年度内。")})
    recent = ResearchVisit.objects.filter(
        year=year, plan=plan, planned_by=by, planned_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    visit = ResearchVisit(
        year=year,
        subject=subject,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        planned_by=by,
    )
    visit.full_clean(exclude=["units", "rectifications"])
    visit._history_user = by  # type: ignore[attr-defined]
    visit.save()
    visit.units.set(chosen)
    return visit


def _locked_visit(visit: ResearchVisit) -> ResearchVisit:
    return (
        ResearchVisit.objects.select_for_update(of=("self",))
        .select_related("deadline")
        .get(pk=visit.pk)
    )


@transaction.atomic
def research_visit_finish(
    *, visit: ResearchVisit, ends_on: dt.date, findings: str, by: User
) -> ResearchVisit:
    """The office records the visit ended on `ends_on` with what it found; its report
    is due one calendar month later (`research_report`, on the office)."""
    visit = _locked_visit(visit)
    fields = RESEARCH_VISIT_WORKFLOW.apply(visit, "finish", by=by)
    if ends_on > timezone.localdate():
        raise ValidationError({"ends_on": _("结束日期不能晚于今天：请在调研结束后登记。")})
    if ends_on < visit.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    visit.ends_on = ends_on
    visit.findings = required(findings, "findings", _("请填写调研发现的情况和问题。"))
    visit.deadline = deadline_open(
        rule=RESEARCH_REPORT,
        subject=visit,
        due=research_report_due(ends_on),
        title=str(_("%(year)s年度调研指导报告") % {"year": visit.year}),
    )
    visit._history_user = by  # type: ignore[attr-defined]
    visit.save(update_fields=[*fields, "ends_on", "findings", "deadline"])
    return visit


@storing_files()
def research_visit_report(
    *, visit: ResearchVisit, report: str, report_file: File[Any] | None = None, by: User
) -> ResearchVisit:
    """The report goes to the group (报领导小组): the deadline is met."""
    visit = _locked_visit(visit)
    fields = RESEARCH_VISIT_WORKFLOW.apply(visit, "report", by=by)
    visit.report = required(report, "report", _("请填写调研指导报告。"))
    visit.reported_on = timezone.localdate()
    if report_file:
        visit.report_file = report_file
    visit.full_clean(exclude=["units", "rectifications"])
    visit._history_user = by  # type: ignore[attr-defined]
    visit.save(update_fields=[*fields, "report", "reported_on", "report_file"])
    deadline_meet(rule=RESEARCH_REPORT, subject=visit, by=by)
    return visit


@transaction.atomic
def research_visit_send_upward(
    *, visit: ResearchVisit, sent_on: dt.date, sent_to: str, by: User
) -> ResearchVisit:
    """视情报上级部门: the office records that the report also went upward, when and to
    whom (once)."""
    visit = _locked_visit(visit)
    RESEARCH_VISIT_WORKFLOW.check(visit, "send_upward", by=by)
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("报送日期不能晚于今天。")})
    if visit.reported_on is not None and sent_on < visit.reported_on:
        raise ValidationError({"sent_on": _("报上级部门日期不能早于报送领导小组日期。")})
    visit.sent_upward_to = required(sent_to, "sent_to", _("请填写报送的上级部门。"))
    visit.sent_upward_on = sent_on
    visit._history_user = by  # type: ignore[attr-defined]
    visit.save(update_fields=["sent_upward_on", "sent_upward_to"])
    return visit


@transaction.atomic
def research_visit_respond(*, visit: ResearchVisit, response: str, by: User) -> ResearchVisit:
    """The office records the group's response to the report (replacing an earlier one)."""
    visit = _locked_visit(visit)
    RESEARCH_VISIT_WORKFLOW.check(visit, "respond", by=by)
    visit.response = required(response, "response", _("请填写领导小组意见。"))
    visit._history_user = by  # type: ignore[attr-defined]
    visit.save(update_fields=["response"])
    return visit


@transaction.atomic
def research_visit_assign(
    *,
    visit: ResearchVisit,
    unit: Unit,
    title: str,
    problem: str,
    measures: str,
    due: dt.date,
    by: User,
) -> Rectification:
    """A problem the visit found in one of the visited units, assigned to it as a
    rectification (source 调研指导) through `rectification_assign`; the visit lists it
    and the rectification links back."""
    visit = _locked_visit(visit)
    RESEARCH_VISIT_WORKFLOW.check(visit, "assign", by=by)
    if not visit.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("请选择本次调研指导的单位。")})
    rectification = rectification_assign(
        unit=unit,
        source=Rectification.Source.RESEARCH,
        title=title,
        problem=problem,
        measures=measures,
        due=due,
        by=by,
    )
    visit.rectifications.add(rectification)  # a repeat post finds the same one: no-op
    return rectification


@transaction.atomic
def research_visit_cancel(*, visit: ResearchVisit, reason: str, by: User) -> ResearchVisit:
    """The office cancels a visit not held, or one whose report is no longer owed; the
    report's deadline, if open, is waived with the reason."""
    visit = _locked_visit(visit)
    fields = RESEARCH_VISIT_WORKFLOW.apply(visit, "cancel", by=by)
    visit.cancel_reason = required(reason, "reason", _("请填写取消原因。"))
    visit._history_user = by  # type: ignore[attr-defined]
    visit._change_reason = visit.cancel_reason  # type: ignore[attr-defined]
    visit.save(update_fields=[*fields, "cancel_reason"])
    if visit.deadline is not None and not visit.deadline.is_closed:
        deadline_waive(deadline=visit.deadline, by=by, reason=visit.cancel_reason)
    return visit


# Research topics (调研课题) --------------------------------------------------------------


@transaction.atomic
def research_topic_propose(
    *,
    year: int,
    title: str,
    description: str,
    unit: Unit | None = None,
    person: Person | None = None,
    work_points_item: Any = None,
    origin: str = "",
    by: User,
) -> ResearchTopic:
    """The office sets a topic for the year, from an item of the work points or a new
    question (来源), taken by a member unit or a non-party figure (one of them)."""
    _check_office(by, _("只有办公室可以确定调研课题。"))
    if (unit is None) == (person is None):
        raise ValidationError({"unit": str(TAKER_MESSAGE)})
    title = required(title, "title", _("请填写课题名称。"))
    description = required(description, "description", _("请填写研究内容。"))
    if work_points_item is None and not origin.strip():
        raise ValidationError({"origin": _("请选择对应的工作要点，或填写课题来源。")})
    recent = ResearchTopic.objects.filter(
        year=year, title=title, proposed_by=by, proposed_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    topic = ResearchTopic(
        year=year,
        title=title,
        description=description,
        unit=unit,
        person=person,
        work_points_item=work_points_item,
        origin=origin.strip(),
        proposed_by=by,
    )
    topic.full_clean()
    topic._history_user = by  # type: ignore[attr-defined]
    topic.save()
    return topic


def _locked_topic(topic: ResearchTopic) -> ResearchTopic:
    return (
        ResearchTopic.objects.select_for_update(of=("self",))
        .select_related("unit", "person__unit", "deadline")
        .get(pk=topic.pk)
    )


@transaction.atomic
def research_topic_assign(
    *, topic: ResearchTopic, due: dt.date | None = None, by: User
) -> ResearchTopic:
    """The office gives the topic to its taker; with a due date, the deadline engine
    watches it for the taking unit (`research_topic_due`)."""
    topic = _locked_topic(topic)
    fields = RESEARCH_TOPIC_WORKFLOW.apply(topic, "assign", by=by)
    if due is not None:
        if due < timezone.localdate():
            raise ValidationError({"due": _("完成时限不能早于今天。")})
        topic.deadline = deadline_open(
            rule=RESEARCH_TOPIC_DUE,
            subject=topic,
            due=due,
            title=f"{topic.taker_name}：{topic.title}"[:200],
            responsible_unit=topic.unit or (topic.person.unit if topic.person else None),
        )
    topic._history_user = by  # type: ignore[attr-defined]
    topic.save(update_fields=[*fields, "deadline"])
    return topic


@storing_files()
def research_topic_complete(
    *,
    topic: ResearchTopic,
    outcome_kind: str,
    outcome: str,
    outcome_file: File[Any] | None = None,
    by: User,
) -> ResearchTopic:
    """The outcome (a report, a paper, …), recorded by the office or the taking unit;
    the deadline, if any, is met."""
    topic = _locked_topic(topic)
    fields = RESEARCH_TOPIC_WORKFLOW.apply(topic, "complete", by=by)
    if outcome_kind not in ResearchTopic.OutcomeKind.values:
        raise ValidationError({"outcome_kind": _("请选择成果形式。")})
    topic.outcome_kind = outcome_kind
    topic.outcome = required(outcome, "outcome", _("请填写研究成果。"))
    topic.completed_on = timezone.localdate()
    if outcome_file:
        topic.outcome_file = outcome_file
    topic.full_clean()
    topic._history_user = by  # type: ignore[attr-defined]
    topic.save(update_fields=[*fields, "outcome_kind", "outcome", "completed_on", "outcome_file"])
    deadline_meet(rule=RESEARCH_TOPIC_DUE, subject=topic, by=by)
    return topic


@transaction.atomic
def research_topic_recognise(
    *, topic: ResearchTopic, sent_upward_on: dt.date | None, award: str, by: User
) -> ResearchTopic:
    """The office records whether the outcome went upward (the date) and any award."""
    topic = _locked_topic(topic)
    RESEARCH_TOPIC_WORKFLOW.check(topic, "recognise", by=by)
    award = award.strip()
    if sent_upward_on is None and not award:
        raise ValidationError(_("请填写报上级部门日期或获奖情况。"))
    if sent_upward_on is not None:
        if sent_upward_on > timezone.localdate():
            raise ValidationError({"sent_upward_on": _("报送日期不能晚于今天。")})
        if topic.completed_on is not None and sent_upward_on < topic.completed_on:
            raise ValidationError({"sent_upward_on": _("报上级部门日期不能早于结题日期。")})
    topic.sent_upward_on = sent_upward_on
    topic.award = award
    topic.full_clean()
    topic._history_user = by  # type: ignore[attr-defined]
    topic.save(update_fields=["sent_upward_on", "award"])
    return topic


@transaction.atomic
def research_topic_drop(*, topic: ResearchTopic, reason: str, by: User) -> ResearchTopic:
    """The office drops a topic; its deadline, if open, is waived with the reason."""
    topic = _locked_topic(topic)
    fields = RESEARCH_TOPIC_WORKFLOW.apply(topic, "drop", by=by)
    topic.drop_reason = required(reason, "reason", _("请填写撤销原因。"))
    topic._history_user = by  # type: ignore[attr-defined]
    topic._change_reason = topic.drop_reason  # type: ignore[attr-defined]
    topic.save(update_fields=[*fields, "drop_reason"])
    if topic.deadline is not None and not topic.deadline.is_closed:
        deadline_waive(deadline=topic.deadline, by=by, reason=topic.drop_reason)
    return topic

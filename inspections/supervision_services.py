"""The supervision-case services (督促检查, 000 §三(六)), under the service contract:
keyword arguments, the acting user as `by`, a `ValidationError` in Chinese for what the
user can mend, `Forbidden` for a step they may never take, every write in one
transaction on the locked case row, the steps declared in `SUPERVISION_WORKFLOW`.

The plan is drafted by the office and approved by the group leader (or the deputy the
group leader delegated this case to; revocable until used); approval opens the report's
deadline, 20 working days after the period ends. Findings are recorded per unit and
item with evidence; a problem is assigned as a rectification. The report, each unit's
feedback letter and the notice are `CasePaper`s issued through the documents workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from inspections import documents as kinds
from inspections.models import (
    CasePaper,
    Finding,
    InspectionItem,
    Instruction,
    Rectification,
    SupervisionCase,
)
from inspections.rules import SUPERVISION_REPORT
from inspections.services import rectification_assign
from inspections.transitions import SUPERVISION_WORKFLOW
from portal.deadlines.outbox import Message, messages_queue, user_channels
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.lib.errors import Forbidden, required
from portal.lib.numerals import chinese_numeral
from portal.lib.repeats import repeat_since
from portal.models import Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files

Purpose = CasePaper.Purpose
KIND_OF = {
    Purpose.REPORT: kinds.REPORT,
    Purpose.FEEDBACK: kinds.FEEDBACK,
    Purpose.NOTICE: kinds.NOTICE,
}


def _locked(case: SupervisionCase) -> SupervisionCase:
    return (
        SupervisionCase.objects.select_for_update(of=("self",))
        .select_related("deadline", "delegate")
        .get(pk=case.pk)
    )


def _plan(
    case: SupervisionCase,
    *,
    title: str,
    scope: str,
    local_items: str,
    team_lead: str,
    team: str,
    period_start: dt.date,
    period_end: dt.date,
) -> None:
    case.title = required(title, "title", _("请填写督查名称。"))
    case.scope = required(scope, "scope", _("请填写督查范围和内容。"))
    case.local_items = local_items.strip()
    case.team_lead = required(team_lead, "team_lead", _("请填写工作组组长。"))
    case.team = required(team, "team", _("请填写工作组成员。"))
    if period_end < period_start:
        raise ValidationError({"period_end": _("督查结束日期不能早于开始日期。")})
    case.period_start, case.period_end = period_start, period_end


def _plan_lists(
    units: Iterable[Unit], items: Iterable[InspectionItem], local_items: str
) -> tuple[list[Unit], list[InspectionItem]]:
    units, items = list(units), list(items)
    if not units:
        raise ValidationError({"units": _("请选择被督查单位。")})
    if not items and not local_items.strip():
        raise ValidationError({"items": _("请从督查事项清单中选择，或填写其他督查事项。")})
    return units, items


@transaction.atomic
def case_create(
    *,
    title: str,
    scope: str,
    units: Iterable[Unit],
    items: Iterable[InspectionItem],
    local_items: str = "",
    team_lead: str,
    team: str,
    period_start: dt.date,
    period_end: dt.date,
    by: User,
) -> SupervisionCase:
    """The office drafts a case's plan (方案): scope, units, items, working group and
    period. The same form posted twice is kept once."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以拟定督查方案。"))
    unit_list, item_list = _plan_lists(units, items, local_items)
    case = SupervisionCase(created_by=by)
    _plan(
        case,
        title=title,
        scope=scope,
        local_items=local_items,
        team_lead=team_lead,
        team=team,
        period_start=period_start,
        period_end=period_end,
    )
    recent = SupervisionCase.objects.filter(
        title=case.title, created_by=by, created_at__gte=repeat_since()
    ).first()
    if recent is not None:  # a double click
        return recent
    case.full_clean(exclude=["deadline"])
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    case.units.set(unit_list)
    case.items.set(item_list)
    return case


@transaction.atomic
def case_update(
    *,
    case: SupervisionCase,
    title: str,
    scope: str,
    units: Iterable[Unit],
    items: Iterable[InspectionItem],
    local_items: str = "",
    team_lead: str,
    team: str,
    period_start: dt.date,
    period_end: dt.date,
    by: User,
) -> SupervisionCase:
    """The office amends the plan while it is a draft (also after a return)."""
    case = _locked(case)
    SUPERVISION_WORKFLOW.check(case, "edit", by=by)
    unit_list, item_list = _plan_lists(units, items, local_items)
    _plan(
        case,
        title=title,
        scope=scope,
        local_items=local_items,
        team_lead=team_lead,
        team=team,
        period_start=period_start,
        period_end=period_end,
    )
    case.full_clean(exclude=["deadline"])
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    case.units.set(unit_list)
    case.items.set(item_list)
    return case


@transaction.atomic
def case_submit(*, case: SupervisionCase, by: User) -> SupervisionCase:
    """报请批准: the plan goes to the group leader."""
    case = _locked(case)
    fields = SUPERVISION_WORKFLOW.apply(case, "submit", by=by)
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=fields)
    return case


@transaction.atomic
def case_approve(*, case: SupervisionCase, note: str = "", by: User) -> SupervisionCase:
    """批准: the group leader, or the deputy delegated this case, approves the plan;
    the report is due 20 working days after the period ends (`supervision_report`,
    provisional while that year's holidays are not entered)."""
    case = _locked(case)
    fields = SUPERVISION_WORKFLOW.apply(case, "approve", by=by)
    case.approved_by = by
    case.approved_at = timezone.now()
    case.approval_note = note.strip() or _("同意")
    case.return_reason = ""
    case.deadline = deadline_open(
        rule=SUPERVISION_REPORT,
        subject=case,
        after=case.period_end,
        title=_("%(title)s督查报告") % {"title": case.title},
    )
    case._history_user = by  # type: ignore[attr-defined]
    case.save(
        update_fields=[
            *fields,
            "approved_by",
            "approved_at",
            "approval_note",
            "return_reason",
            "deadline",
        ]
    )
    return case


@transaction.atomic
def case_return(*, case: SupervisionCase, reason: str, by: User) -> SupervisionCase:
    """退回修改: the approver sends the plan back with the reason; the delegation, if
    any, ends with it (a resubmitted plan goes to the group leader again)."""
    case = _locked(case)
    fields = SUPERVISION_WORKFLOW.apply(case, "return", by=by)
    case.return_reason = required(reason, "reason", _("请填写退回意见。"))
    case.delegate = None
    case._history_user = by  # type: ignore[attr-defined]
    case._change_reason = case.return_reason  # type: ignore[attr-defined]
    case.save(update_fields=[*fields, "return_reason", "delegate"])
    return case


def _tell_deputy(case: SupervisionCase, deputy: User, by: User, *, revoked: bool) -> None:
    """Tell the deputy of the delegation or of its revocation (queued; sent after
    commit), keyed by the history row that recorded it."""
    step = case.history.order_by("-history_id").values_list("history_id", flat=True).first()
    path = case.get_absolute_url()
    url = settings.SITE_URL.rstrip("/") + path
    with override(settings.LANGUAGE_CODE):
        if revoked:
            subject = _("委托批准已撤销：%(title)s") % {"title": case.title}
            body = _("组长已撤销对您的委托，督查方案《%(title)s》改由组长批准。") % {
                "title": case.title
            }
        else:
            subject = _("请批准督查方案：%(title)s") % {"title": case.title}
            body = _("组长委托您批准督查方案《%(title)s》。") % {"title": case.title}
        messages_queue(
            [
                Message(
                    key=f"inspections.delegate/{case.pk}/{step}/{deputy.pk}",
                    recipient=deputy,
                    channel=channel,
                    subject=subject,
                    body=f"{body}\n{url}" if channel == "email" else body,
                    url=url if channel == "email" else path,
                )
                for channel in user_channels()
            ],
            by=by,
        )


@transaction.atomic
def case_delegate(*, case: SupervisionCase, to: User, by: User) -> SupervisionCase:
    """The group leader delegates this case's approval to a deputy (recorded; the
    deputy is told)."""
    case = _locked(case)
    SUPERVISION_WORKFLOW.check(case, "delegate", by=by)
    from inspections.supervision_selectors import deputies

    if not deputies().filter(pk=to.pk).exists():
        raise ValidationError({"to": _("只能委托副组长批准。")})
    case.delegate = to
    case._history_user = by  # type: ignore[attr-defined]
    case._change_reason = _("委托副组长%(name)s批准") % {"name": to.display_name}  # type: ignore[attr-defined]
    case.save(update_fields=["delegate"])
    _tell_deputy(case, to, by, revoked=False)
    return case


@transaction.atomic
def case_revoke(*, case: SupervisionCase, by: User) -> SupervisionCase:
    """The group leader takes the delegation back before the deputy has decided."""
    case = _locked(case)
    SUPERVISION_WORKFLOW.check(case, "revoke", by=by)
    deputy = case.delegate
    case.delegate = None
    case._history_user = by  # type: ignore[attr-defined]
    case._change_reason = _("撤销对副组长%(name)s的委托") % {  # type: ignore[attr-defined]
        "name": deputy.display_name if deputy else ""
    }
    case.save(update_fields=["delegate"])
    if deputy is not None:
        _tell_deputy(case, deputy, by, revoked=True)
    return case


@storing_files()
def finding_add(
    *,
    case: SupervisionCase,
    unit: Unit,
    text: str,
    item: InspectionItem | None = None,
    item_text: str = "",
    is_problem: bool = False,
    is_outstanding: bool = False,
    evidence: File[Any] | None = None,
    by: User,
) -> Finding:
    """督查发现: what the working group found at one of the case's units on one of its
    items (or another), with evidence. The same finding posted twice is kept once."""
    case = _locked(case)
    SUPERVISION_WORKFLOW.check(case, "record", by=by)
    if not case.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("该单位不在本次督查范围内。")})
    if item is not None and not case.items.filter(pk=item.pk).exists():
        raise ValidationError({"item": _("该督查事项不在本次督查方案中。")})
    item_text = item_text.strip()
    if item is None and not item_text:
        raise ValidationError({"item": _("请选择督查事项，或填写其他督查事项。")})
    if item is not None and item_text:
        raise ValidationError(
            {"item_text": _("已选择清单中的督查事项，其他督查事项请不要同时填写。")}
        )
    text = required(text, "text", _("请填写检查情况。"))
    recent = Finding.objects.filter(
        case=case, unit=unit, text=text, recorded_by=by, recorded_at__gte=repeat_since()
    ).first()
    if recent is not None:
        return recent
    finding = Finding(
        case=case,
        unit=unit,
        item=item,
        item_text=item_text,
        text=text,
        is_problem=is_problem or is_outstanding,
        is_outstanding=is_outstanding,
        recorded_by=by,
    )
    if evidence:
        finding.evidence = evidence
    finding.full_clean()
    finding._history_user = by  # type: ignore[attr-defined]
    finding.save()
    return finding


@transaction.atomic
def finding_assign(
    *, finding: Finding, title: str, measures: str, due: dt.date, by: User
) -> Rectification:
    """交办整改: a problem found becomes a rectification of its unit (source 督促检查),
    linked from the finding. A finding assigned already (a double click) keeps its own."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以交办整改事项。"))
    SupervisionCase.objects.select_for_update(of=("self",)).get(pk=finding.case_id)
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("unit", "case")
        .get(pk=finding.pk)
    )
    if finding.rectification_id is not None:
        return Rectification.objects.get(pk=finding.rectification_id)
    if not finding.is_problem:
        raise ValidationError(_("只有存在问题的督查发现才能交办整改。"))
    if finding.case.state not in (SupervisionCase.State.APPROVED, SupervisionCase.State.CLOSED):
        raise ValidationError(
            _("督促检查%(state)s，不能交办整改。") % {"state": finding.case.state_label}
        )
    rectification = rectification_assign(
        unit=finding.unit,
        source=Rectification.Source.SUPERVISION,
        title=title,
        problem=f"{finding.item_label}：{finding.text}" if finding.item_label else finding.text,
        measures=measures,
        due=due,
        by=by,
    )
    finding.rectification = rectification
    finding._history_user = by  # type: ignore[attr-defined]
    finding.save(update_fields=["rectification"])
    return rectification


@transaction.atomic
def instruction_add(
    *,
    case: SupervisionCase,
    text: str,
    given_on: dt.date,
    author: str = "",
    by: User,
) -> Instruction:
    """批示 on the submitted report: a leader's own (the group leader, a deputy), or the
    Party committee's, recorded by the office with who gave it."""
    case = _locked(case)
    SUPERVISION_WORKFLOW.check(case, "instruct", by=by)
    text = required(text, "text", _("请填写批示意见。"))
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("批示日期不能晚于今天。")})
    if is_office(by):
        source = Instruction.Source.PARTY_COMMITTEE
        author = required(author, "author", _("请填写批示人（如：校党委书记××）。"))
    else:
        source = Instruction.Source.LEADER
        author = by.display_name
    recent = Instruction.objects.filter(
        case=case, text=text, recorded_by=by, recorded_at__gte=repeat_since()
    ).first()
    if recent is not None:
        return recent
    instruction = Instruction(
        case=case, source=source, author=author, text=text, given_on=given_on, recorded_by=by
    )
    instruction.full_clean()
    instruction.save()
    return instruction


# The papers (report, feedback letters, notice) -------------------------------------------


def paper_draft(case: SupervisionCase, purpose: str, unit: Unit | None = None) -> str:
    """A first text for a paper, from the findings (the office edits it before it goes):
    the report every unit's, a letter its unit's, the notice the outstanding problems.
    Paragraphs are separated by a blank line; “一、…” starts a heading (the paper's rules)."""
    findings = list(
        case.findings.select_related("unit", "item").order_by(
            "unit__sort_order", "unit__name", "id"
        )
    )
    period = _("%(start)s至%(end)s") % {
        "start": f"{case.period_start:%Y年%-m月%-d日}",
        "end": f"{case.period_end:%Y年%-m月%-d日}",
    }
    if purpose == Purpose.FEEDBACK and unit is not None:
        own = [f for f in findings if f.unit_id == unit.pk]
        good = [f for f in own if not f.is_problem]
        bad = [f for f in own if f.is_problem]
        paragraphs = [
            _("%(period)s，领导小组工作组对你单位开展了%(title)s。现将督查意见反馈如下。")
            % {"period": period, "title": case.title},
            _("一、基本情况"),
            *([f"{f.item_label}：{f.text}" for f in good] or [_("（无）")]),
            _("二、存在问题"),
            *([f"{n}. {f.item_label}：{f.text}" for n, f in enumerate(bad, 1)] or [_("（无）")]),
            _("三、整改要求"),
            _("请对照存在问题认真整改，按交办的整改时限报送整改落实情况。"),
        ]
    elif purpose == Purpose.NOTICE:
        outstanding = [f for f in findings if f.is_outstanding]
        paragraphs = [
            _("%(period)s，领导小组开展了%(title)s。督查中发现以下突出问题，现予通报。")
            % {"period": period, "title": case.title},
            *[f"{n}. {f.unit.name}：{f.text}" for n, f in enumerate(outstanding, 1)],
            _("请有关单位举一反三，限期整改；领导小组办公室将跟踪督办。"),
        ]
    else:
        by_unit: dict[str, list[Finding]] = {}
        for finding in findings:
            by_unit.setdefault(finding.unit.name, []).append(finding)
        paragraphs = [
            _(
                "按照经批准的督查方案，工作组（组长：%(lead)s）于%(period)s对%(count)s个单位"
                "开展了%(title)s。现将有关情况报告如下。"
            )
            % {
                "lead": case.team_lead,
                "period": period,
                "count": case.units.count(),
                "title": case.title,
            }
        ]
        for n, (name, rows) in enumerate(by_unit.items(), 1):
            paragraphs.append(f"{chinese_numeral(n)}、{name}")
            paragraphs += [
                f"{f.item_label}：{f.text}" + (_("（存在问题）") if f.is_problem else "")
                for f in rows
            ]
        paragraphs.append(_("以上报告，请审阅。"))
    return "\n\n".join(str(paragraph) for paragraph in paragraphs)


def _paper_title(paper: CasePaper) -> str:
    title = paper.case.title
    if paper.purpose == Purpose.REPORT:
        return _("%(title)s报告") % {"title": title}
    if paper.purpose == Purpose.FEEDBACK:
        return _("关于%(title)s的反馈意见") % {"title": title}
    return _("关于%(title)s发现问题的通报") % {"title": title}


@transaction.atomic
def paper_save(
    *,
    case: SupervisionCase,
    purpose: str,
    body: str,
    unit: Unit | None = None,
    to_party_committee: bool = False,
    by: User,
) -> CasePaper:
    """The office writes (or rewrites, while it is a draft or was returned) the report,
    a unit's feedback letter or the notice."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以起草督查文书。"))
    case = _locked(case)
    if case.state != SupervisionCase.State.APPROVED:
        raise ValidationError(
            _("督促检查%(state)s，不能起草督查文书。") % {"state": case.state_label}
        )
    if purpose not in Purpose.values:
        raise ValidationError(_("未知的文书类别。"))
    if purpose == Purpose.FEEDBACK:
        if unit is None or not case.units.filter(pk=unit.pk).exists():
            raise ValidationError(_("反馈意见只能发给本次被督查的单位。"))
    else:
        unit = None
    body = required(body, "body", _("请填写正文。"))
    paper = (
        CasePaper.objects.select_for_update(of=("self",))
        .select_related("document")
        .filter(case=case, purpose=purpose, unit=unit)
        .first()
    )
    if paper is None:
        paper = CasePaper(case=case, purpose=purpose, unit=unit)
    elif not paper.is_editable:
        raise ValidationError(_("%(paper)s已报审，不能修改。") % {"paper": paper.purpose_label})
    paper.body = body
    paper.to_party_committee = to_party_committee if purpose == Purpose.REPORT else False
    paper.full_clean(exclude=["document"])
    paper._history_user = by  # type: ignore[attr-defined]
    paper.save()
    return paper


@transaction.atomic
def paper_submit(*, paper: CasePaper, by: User) -> Document:
    """报审: the paper goes through the documents workflow (the report to the group
    leader; a letter or the notice to the leader in charge). Letters and the notice
    follow the report's instructions, so they go once the report is issued; the report
    once the period has ended."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以报审督查文书。"))
    case = _locked(paper.case)
    paper = (
        CasePaper.objects.select_for_update(of=("self",))
        .select_related("document", "unit")
        .get(pk=paper.pk)
    )
    if case.state != SupervisionCase.State.APPROVED:
        raise ValidationError(
            _("督促检查%(state)s，不能报审督查文书。") % {"state": case.state_label}
        )
    if not paper.is_editable:
        raise ValidationError(_("%(paper)s已报审。") % {"paper": paper.purpose_label})
    if paper.purpose == Purpose.REPORT:
        if timezone.localdate() < case.period_end:
            raise ValidationError(_("督查期间尚未结束，督查报告在结束后报审。"))
        addressee, cc, units = (
            _("领导小组组长、副组长"),
            _("校党委") if paper.to_party_committee else "",
            [],
        )
    else:
        report = (
            CasePaper.objects.filter(case=case, purpose=Purpose.REPORT)
            .select_related("document")
            .first()
        )
        if report is None or not report.is_issued:
            raise ValidationError(_("督查报告印发后，再根据批示意见报审反馈意见和通报。"))
        if paper.purpose == Purpose.FEEDBACK:
            assert paper.unit is not None
            addressee, cc, units = paper.unit.name, "", [paper.unit]
        else:
            units = list(case.units.all())
            addressee, cc = _("各被督查单位"), _("领导小组成员")
    paper.case = case
    return document_backed_submit(
        record=paper,
        kind=KIND_OF[Purpose(paper.purpose)],
        by=by,
        title=_paper_title(paper),
        body=paper.body,
        addressee=addressee,
        cc=cc,
        recipient_units=units,
    )


def paper_compose(document: Document) -> tuple[str, str]:
    """The document's (title, body) from its paper as it stands (the kinds' `compose`)."""
    paper = CasePaper.objects.select_related("case").get(document=document)
    return _paper_title(paper), paper.body


def paper_issued(paper: CasePaper, document: Document, at: dt.datetime) -> None:
    """The kinds' `issued`: an issued report meets the case's report deadline."""
    if paper.purpose == Purpose.REPORT:
        deadline_meet(rule=SUPERVISION_REPORT, subject=paper.case, by=document.issued_by, now=at)


@transaction.atomic
def case_close(*, case: SupervisionCase, note: str = "", by: User) -> SupervisionCase:
    """办结: the report and every unit's letter issued, the office closes the case."""
    case = _locked(case)
    fields = SUPERVISION_WORKFLOW.apply(case, "close", by=by)
    case.close_note = note.strip()
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=[*fields, "close_note"])
    return case


@transaction.atomic
def case_cancel(*, case: SupervisionCase, reason: str, by: User) -> SupervisionCase:
    """撤销: the office drops a case (before its report is issued); the report is no
    longer owed, so its deadline is waived with the same reason."""
    case = _locked(case)
    fields = SUPERVISION_WORKFLOW.apply(case, "cancel", by=by)
    case.close_note = required(reason, "reason", _("请填写撤销原因。"))
    case._history_user = by  # type: ignore[attr-defined]
    case._change_reason = case.close_note  # type: ignore[attr-defined]
    case.save(update_fields=[*fields, "close_note"])
    if case.deadline is not None and not case.deadline.is_closed:
        deadline_waive(deadline=case.deadline, by=by, reason=case.close_note)
    return case

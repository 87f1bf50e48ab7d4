"""The supervision-case pages (督促检查): the list with each report's light, the office's
plan form, the case page (plan, approval, findings by unit, the report, the letters,
the notice, the instructions, history), the declared steps, the findings' evidence and
assignment as a rectification, and the office's pages for the papers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import board
from inspections import selectors as rectification_selectors
from inspections import supervision_selectors as selectors
from inspections import supervision_services as services
from inspections.exporting import supervision_filter_for
from inspections.forms import ReasonForm
from inspections.models import CasePaper, SupervisionCase
from inspections.rules import supervision_report_workdays
from inspections.supervision_forms import (
    ApproveForm,
    AssignForm,
    CaseForm,
    CloseForm,
    ConfirmForm,
    DelegateForm,
    FindingForm,
    InstructionForm,
    PaperForm,
)
from inspections.transitions import SUPERVISION_WORKFLOW, case_paper
from portal import exports
from portal.deadlines.display import LIGHT_TEXT, set_lights, yellow_until
from portal.filters import select_html
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import service_or_message, workflow_step
from portal.permissions import is_office, role_required
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.uploads import attachment_response, content_disposition
from portal.workdays import current_calendar

ROLES = selectors.SUPERVISION_ROLES
Purpose = CasePaper.Purpose


@role_required(*ROLES)
def supervision_list(request: HttpRequest) -> HttpResponse:
    rows = supervision_filter_for(request.user, request.GET)
    state = request.GET.get("state", "")
    # The report's deadline is the office's to keep (the working group writes the
    # report): its date and light are the office's and leaders', as on the case page,
    # the unit's panel, the board and the export.
    whole = selectors.sees_whole_case(request.user)
    page = paginate(request, rows)
    if whole:
        set_lights(page)
    return render(
        request,
        "inspections/supervision_list.html",
        {
            "page": page,
            "state_select": select_html(
                "state", state, SupervisionCase.State.choices, _("全部状态"), _("状态")
            ),
            "can_plan": is_office(request.user),
            "whole": whole,
            "workdays": supervision_report_workdays(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*ROLES)
def supervision_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), with the units and items; the
    approval and the report's deadline for the office and the leaders only
    (`inspections.exporting`)."""
    return exports.export_answer(request, "supervision_cases")


def _case_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> CaseForm:
    return CaseForm(
        request.POST or None,
        initial=initial,
        units=rectification_selectors.assignable_units(),
        items=selectors.active_items(),
    )


def _plan_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: data[key]
        for key in (
            "title",
            "scope",
            "units",
            "items",
            "local_items",
            "team_lead",
            "team",
            "period_start",
            "period_end",
        )
    }


@role_required(*ROLES)
def supervision_create(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以拟定督查方案。"))
    form = _case_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(**_plan_fields(form.cleaned_data), by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("督查方案已保存，可报请批准。"))
            return redirect(case)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("拟定督查方案"), "cancel_url": reverse("supervision_list")},
    )


@role_required(*ROLES)
def supervision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    transition = SUPERVISION_WORKFLOW["edit"]
    if not transition.who(request.user, case):
        raise PermissionDenied(str(transition.refused))
    if not SUPERVISION_WORKFLOW.can(case, "edit", request.user):
        messages.error(request, _("督查方案%(state)s，不能修改。") % {"state": case.state_label})
        return redirect(case)
    initial = {
        "title": case.title,
        "scope": case.scope,
        "units": list(case.units.all()),
        "items": list(case.items.all()),
        "local_items": case.local_items,
        "team_lead": case.team_lead,
        "team": case.team,
        "period_start": case.period_start,
        "period_end": case.period_end,
    }
    form = _case_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, **_plan_fields(form.cleaned_data), by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(case)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('修改督查方案')}：{case.title}",
            "cancel_url": case.get_absolute_url(),
        },
    )


@role_required(*ROLES)
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.get_case_for_user(user, pk)
    today = timezone.localdate()
    deadline = case.deadline
    light = deadline.light(today, yellow_until(today, current_calendar())) if deadline else None
    units = list(case.units.all())
    visible = selectors.visible_unit_ids(user)
    findings = list(case.findings.all())
    by_unit = [
        {
            "unit": unit,
            "findings": [f for f in findings if f.unit_id == unit.pk],
            "letter": case_paper(case, Purpose.FEEDBACK, unit.pk),
        }
        for unit in units
        if visible is None or unit.pk in visible
    ]
    whole = selectors.sees_whole_case(user)
    office = is_office(user)
    report = case_paper(case, Purpose.REPORT)
    notice = case_paper(case, Purpose.NOTICE)
    return render(
        request,
        "inspections/supervision_detail.html",
        {
            "case": case,
            "actions": [
                t
                for t in SUPERVISION_WORKFLOW.available(case, user)
                if t.name not in {"edit", "record", "instruct"}
            ],
            "can": SUPERVISION_WORKFLOW.names(case, user),
            "light": light,
            "by_unit": by_unit,
            "problem_count": sum(1 for f in findings if f.is_problem),
            "whole": whole,
            "office": office,
            "report": report if whole else None,
            "notice": notice if (whole or (notice is not None and notice.is_issued)) else None,
            "papers_open": office and case.state == SupervisionCase.State.APPROVED,
            "instructions": list(case.instructions.select_related("recorded_by__person"))
            if whole
            else [],
            "history": case.history.select_related("history_user__person").order_by("history_date")
            if whole
            else [],
        },
    )


Call = Callable[[SupervisionCase, dict[str, Any], Any], object]

CASE_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "submit": (
        ConfirmForm,
        lambda c, d, by: services.case_submit(case=c, by=by),
        gettext_lazy("已报请批准，组长将在“我的待办”中看到。"),
    ),
    "approve": (
        ApproveForm,
        lambda c, d, by: services.case_approve(case=c, note=d["note"], by=by),
        gettext_lazy("已批准督查方案。"),
    ),
    "return": (
        ReasonForm,
        lambda c, d, by: services.case_return(case=c, reason=d["reason"], by=by),
        gettext_lazy("已退回办公室修改。"),
    ),
    "delegate": (
        DelegateForm,
        lambda c, d, by: services.case_delegate(case=c, to=d["to"], by=by),
        gettext_lazy("已委托副组长批准，并已通知。"),
    ),
    "revoke": (
        ConfirmForm,
        lambda c, d, by: services.case_revoke(case=c, by=by),
        gettext_lazy("已撤销委托，方案由组长批准。"),
    ),
    "record": (
        FindingForm,
        lambda c, d, by: services.finding_add(
            case=c,
            unit=d["unit"],
            item=d["item"],
            item_text=d["item_text"],
            text=d["text"],
            is_problem=d["is_problem"],
            is_outstanding=d["is_outstanding"],
            evidence=d["evidence"],
            by=by,
        ),
        gettext_lazy("已登记督查发现。"),
    ),
    "instruct": (
        InstructionForm,
        lambda c, d, by: services.instruction_add(
            case=c, text=d["text"], given_on=d["given_on"], author=d.get("author", ""), by=by
        ),
        gettext_lazy("已登记批示。"),
    ),
    "close": (
        CloseForm,
        lambda c, d, by: services.case_close(case=c, note=d["note"], by=by),
        gettext_lazy("督促检查已办结。"),
    ),
    "cancel": (
        ReasonForm,
        lambda c, d, by: services.case_cancel(case=c, reason=d["reason"], by=by),
        gettext_lazy("已撤销督促检查。"),
    ),
}


def _step_form_kwargs(request: HttpRequest, case: SupervisionCase, action: str) -> dict[str, Any]:
    if action == "delegate":
        return {"deputies": selectors.deputies()}
    if action == "record":
        return {"units": case.units.order_by("sort_order", "name"), "items": case.items.all()}
    if action == "instruct":
        return {
            "for_office": is_office(request.user),
            "initial": {"given_on": timezone.localdate()},
        }
    return {}


@role_required(*ROLES)
def supervision_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in CASE_STEPS:
        raise Http404
    case = selectors.get_case_for_user(request.user, pk)
    form_class, call, done = CASE_STEPS[action]
    return workflow_step(
        request,
        record=case,
        workflow=SUPERVISION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(case, data, request.user),
        done=done,
        title=f"{SUPERVISION_WORKFLOW[action].label}：{case.title}",
        back=case.get_absolute_url(),
        form_kwargs=_step_form_kwargs(request, case, action),
    )


@role_required(*ROLES)
def finding_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    finding = selectors.get_finding_for_user(request.user, pk)
    if not finding.evidence:
        raise Http404
    return attachment_response(finding.evidence, stem=f"{finding.unit.name}-佐证材料")


@role_required(*ROLES)
def finding_assign(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.get_finding_for_user(request.user, pk)
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以交办整改事项。"))
    if finding.rectification_id is not None:
        messages.info(request, _("该问题已交办整改。"))
        return redirect(finding.case)
    form = AssignForm(request.POST or None, initial={"title": f"{finding.item_label}整改"[:200]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification = services.finding_assign(
                finding=finding,
                title=data["title"],
                measures=data["measures"],
                due=data["due"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已交办整改，整改单位将收到期限提醒。"))
            return redirect(rectification)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('交办整改')}：{finding.unit.name}",
            "intro": finding.text,
            "cancel_url": finding.case.get_absolute_url(),
        },
    )


@role_required(*ROLES)
def paper_edit(
    request: HttpRequest, pk: int, purpose: str, unit: int | None = None
) -> HttpResponse:
    """The office writes the report, the notice or one unit's letter (a first text drafted
    from the findings)."""
    if purpose not in Purpose.values or (purpose == Purpose.FEEDBACK) != (unit is not None):
        raise Http404
    case = selectors.get_case_for_user(request.user, pk)
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以起草督查文书。"))
    target = None
    if unit is not None:
        target = next((u for u in case.units.all() if u.pk == unit), None)
        if target is None:
            raise Http404
    paper = case_paper(case, purpose, unit)
    if paper is not None and not paper.is_editable:
        messages.error(request, _("%(paper)s已报审，不能修改。") % {"paper": paper.purpose_label})
        return redirect(case)
    initial = {
        "body": paper.body if paper else services.paper_draft(case, purpose, target),
        "to_party_committee": paper.to_party_committee if paper else False,
    }
    form = PaperForm(request.POST or None, initial=initial, is_report=purpose == Purpose.REPORT)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_save(
                case=case,
                purpose=purpose,
                unit=target,
                body=data["body"],
                to_party_committee=data.get("to_party_committee", False),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存，核对无误后报审。"))
            return redirect(case)
    label = dict(Purpose.choices)[purpose]
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{label}：{case.title}" + (f"（{target.name}）" if target else ""),
            "cancel_url": case.get_absolute_url(),
        },
    )


@require_POST
@role_required(*ROLES)
def paper_submit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = selectors.get_paper_for_user(request.user, pk)
    service_or_message(
        request,
        lambda: services.paper_submit(paper=paper, by=request.user),  # type: ignore[arg-type]
        _("已报审%(paper)s，公文流转情况见公文页面。") % {"paper": paper.purpose_label},
    )
    return redirect(paper.case)


# The supervision board (督查督办一览) ---------------------------------------------------------


def _board(
    request: HttpRequest,
) -> tuple[list[board.BoardRow], list[board.BoardRow], dict[str, str]]:
    """All the user's open rows and those the filters keep (单位, 月份, 时限情况, 类别)."""
    today = timezone.localdate()
    rows = board.board_rows(request.user, today, yellow_until(today, current_calendar()))
    chosen = {key: request.GET.get(key, "") for key in ("unit", "month", "light", "kind")}
    kept = rows
    if chosen["unit"].isdigit():
        kept = [row for row in kept if row.unit_id == int(chosen["unit"])]
    if chosen["month"]:
        kept = [row for row in kept if row.month == chosen["month"]]
    if chosen["light"] in board.LIGHT_ORDER:
        kept = [row for row in kept if row.light == chosen["light"]]
    if chosen["kind"]:
        kept = [row for row in kept if row.kind == chosen["kind"]]
    return rows, kept, chosen


@role_required(*ROLES)
def supervision_board(request: HttpRequest) -> HttpResponse:
    rows, kept, chosen = _board(request)
    kinds = sorted({row.kind for row in rows})
    return render(
        request,
        "inspections/supervision_board.html",
        {
            "pivot": board.pivot(rows),
            "rows": kept,
            # The pivot counts every row; the list shows fifty at a time.
            "page": paginate(request, kept),
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "kind_select": select_html(
                "kind", chosen["kind"], [(k, k) for k in kinds], _("全部类别"), _("类别")
            ),
            "light_select": select_html(
                "light",
                chosen["light"],
                [(light, str(text)) for light, text in LIGHT_TEXT.items()],
                _("全部时限情况"),
                _("时限情况"),
            ),
            "query": request.GET.urlencode(),
            "no_due": board.NO_DUE,
        },
    )


@role_required(*ROLES)
def supervision_board_export(request: HttpRequest) -> HttpResponse:
    """The board's rows as filtered, to Excel."""
    _rows, kept, _chosen = _board(request)
    response = HttpResponse(board.board_xlsx(kept), content_type=XLSX_CONTENT_TYPE)
    today = timezone.localdate()
    response["Content-Disposition"] = content_disposition(f"督查督办一览-{today:%Y%m%d}.xlsx")
    return response

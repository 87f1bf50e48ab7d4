"""The liaison officers' pages: every department and school with its liaison (or
vacant), one appointment with its basis and the unit's earlier liaisons, and the
office's forms to appoint, end and keep after a change of eligibility."""

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

from liaisons import follow_ups, rules, selectors, services
from liaisons.exporting import (
    consultation_filter_for,
    liaison_report_filter_for,
    liaison_units_for,
    round_filter_for,
    session_filter_for,
)
from liaisons.forms import (
    AppointForm,
    CloseForm,
    ConsultationForm,
    EndForm,
    KeepForm,
    OpinionForm,
    PublicityFollowForm,
    ReadForm,
    ReportForm,
    ReserveFollowForm,
    ReturnForm,
    RoundForm,
    SessionForm,
    SuggestionFollowForm,
    WithdrawForm,
)
from liaisons.models import (
    Consultation,
    Liaison,
    LiaisonReport,
    LiaisonSession,
    PublicityPiece,
    ReportFollowUp,
    ReportRound,
)
from liaisons.transitions import (
    CONSULTATION_WORKFLOW,
    LIAISON_WORKFLOW,
    REPORT_WORKFLOW,
    liaison_or_office,
)
from portal import exports
from portal import services as portal_services
from portal.deadlines.display import set_lights, yellow_until
from portal.filters import select_html
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import service_or_message, workflow_step
from portal.models import Role, field_labels
from portal.permissions import role_required
from portal.uploads import attachment_response
from portal.workdays import current_calendar


@role_required(*selectors.LIAISON_ROLES)
def liaison_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, liaison_units_for(request.user, request.GET))
    today = timezone.localdate()
    rows = selectors.with_current(list(page.object_list), today)
    return render(
        request,
        "liaisons/liaison_list.html",
        {
            "page": page,
            "rows": rows,
            "vacant": sum(1 for row in rows if row.liaison is None),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@role_required(*selectors.LIAISON_ROLES)
def liaison_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The liaison officers' list as Excel: the same units and liaisons as the list."""
    return exports.export_answer(request, "liaisons")


@role_required(Role.OFFICE)
def liaison_appoint(request: HttpRequest) -> HttpResponse:
    unit = request.GET.get("unit", "")
    form = AppointForm(
        request.POST or None,
        initial={"unit": unit if unit.isdigit() else None, "start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            liaison = services.liaison_appoint(
                unit=data["unit"],
                person=data["person"],
                start_date=data["start_date"],
                reason=data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已任命 %(name)s 为 %(unit)s 统战联络员。")
                % {"name": liaison.person.name, "unit": liaison.unit.name},
            )
            return redirect(liaison)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("任命统战联络员"), "cancel_url": reverse("liaison_list")},
    )


@role_required(*selectors.LIAISON_ROLES)
def liaison_detail(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = selectors.get_liaison_for_user(request.user, pk)
    today = timezone.localdate()
    shown = liaison.basis_shown  # type: ignore[attr-defined]
    # The lapse tells a change of political status or overseas study: with the basis.
    lapse, changed = rules.lapse_of(liaison, today) if shown else (None, False)
    if shown:
        portal_services.sensitive_view_record(
            people=[liaison.person],
            fields=field_labels(Liaison, selectors.BASIS_FIELDS),
            page=request.path,
            by=request.user,  # type: ignore[arg-type]
        )
    return render(
        request,
        "liaisons/liaison_detail.html",
        {
            "liaison": liaison,
            "earlier": selectors.other_terms(liaison),
            "sessions": selectors.sessions_of(liaison),
            "lapse": lapse if liaison.end_date is None else None,
            "lapsed": lapse is not None and lapse <= today,
            "changed": changed,
            "actions": LIAISON_WORKFLOW.available(liaison, request.user),
            "can_see_basis": shown,
        },
    )


def _office_form(
    request: HttpRequest, pk: int, form_class: type[EndForm] | type[KeepForm], title: str
) -> HttpResponse:
    liaison = selectors.get_liaison_for_user(request.user, pk)
    form = form_class(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(form, EndForm):
                services.liaison_end(
                    liaison=liaison,
                    end_date=data["end_date"],
                    reason=data["reason"],
                    by=request.user,  # type: ignore[arg-type]
                )
            else:
                services.liaison_keep(
                    liaison=liaison,
                    reason=data["reason"],
                    by=request.user,  # type: ignore[arg-type]
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(liaison)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{title}：{liaison.unit.name} {liaison.person.name}",
            "cancel_url": liaison.get_absolute_url(),
        },
    )


@role_required(Role.OFFICE)
def liaison_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_form(request, pk, EndForm, _("联络员离任"))


@role_required(Role.OFFICE)
def liaison_keep(request: HttpRequest, pk: int) -> HttpResponse:
    return _office_form(request, pk, KeepForm, _("确认继续任职"))


# Consultations (征求意见) ---------------------------------------------------------------


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_list(request: HttpRequest) -> HttpResponse:
    # Its scope under its filters (state; the annual report's figures link with ?year=).
    consultations = consultation_filter_for(request.user, request.GET)
    state = request.GET.get("state", "")
    page = set_lights(paginate(request, consultations))  # None once closed
    state_select = select_html("state", state, Consultation.State.choices, _("全部状态"), _("状态"))
    return render(
        request,
        "liaisons/consultation_list.html",
        {
            "page": page,
            "state_select": state_select,
            "can_file": selectors.can_file(request.user),
            "workdays": rules.consultation_workdays(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The consultations list as Excel: the same consultations, under the same filter."""
    return exports.export_answer(request, "consultations")


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_file(request.user):
        raise PermissionDenied(_("只有办公室、统战委员或小组成员可以征求意见。"))
    units = selectors.filing_units(request.user)
    person = getattr(request.user, "person", None)
    initial = {"kind": Consultation.Kind.MATTER, "unit": person.unit_id if person else None}
    form = ConsultationForm(
        request.POST or None, request.FILES or None, units=units, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_file(
                unit=data["unit"],
                kind=data["kind"],
                title=data["title"],
                matter=data["matter"],
                draft=data["draft"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已提交，组织统战部将在%(days)s个工作日内书面答复。")
                % {"days": rules.consultation_workdays()},
            )
            return redirect(consultation)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("征求意见"), "cancel_url": reverse("consultation_list")},
    )


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation_for_user(request.user, pk)
    today = timezone.localdate()
    deadline = consultation.deadline
    light = None
    if deadline is not None:  # light() is None once the deadline is closed
        light = deadline.light(today, yellow_until(today, current_calendar()))
    return render(
        request,
        "liaisons/consultation_detail.html",
        {
            "consultation": consultation,
            "actions": CONSULTATION_WORKFLOW.available(consultation, request.user),
            "light": light,
            "history": consultation.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_draft(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = selectors.get_consultation_for_user(request.user, pk)
    if not consultation.draft:
        raise Http404
    return attachment_response(consultation.draft, stem=consultation.title)


Step = tuple[type[CrispyForm], Callable[[Consultation, dict[str, Any], Any], object], Any]

STEPS: dict[str, Step] = {
    "answer": (
        OpinionForm,
        lambda c, d, by: services.consultation_answer(consultation=c, opinion=d["opinion"], by=by),
        gettext_lazy("已书面答复。"),
    ),
    "withdraw": (
        WithdrawForm,
        lambda c, d, by: services.consultation_withdraw(consultation=c, reason=d["reason"], by=by),
        gettext_lazy("已撤回。"),
    ),
    "close": (
        CloseForm,
        lambda c, d, by: services.consultation_close(
            consultation=c, adoption=d["adoption"], note=d["note"], by=by
        ),
        gettext_lazy("已登记采纳情况，征求意见办结。"),
    ),
}


@role_required(*selectors.CONSULTATION_ROLES)
def consultation_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404
    consultation = selectors.get_consultation_for_user(request.user, pk)
    form_class, call, done = STEPS[action]
    return workflow_step(
        request,
        record=consultation,
        workflow=CONSULTATION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(consultation, data, request.user),
        done=done,
        title=f"{CONSULTATION_WORKFLOW[action].label}：{consultation.title}",
        back=consultation.get_absolute_url(),
    )


# Training sessions and meetings ------------------------------------------------------------


@role_required(*selectors.LIAISON_ROLES)
def liaison_session_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaisons/session_list.html",
        {
            "page": paginate(request, session_filter_for(request.user, request.GET)),
            "can_manage": selectors.can_manage(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.LIAISON_ROLES)
def liaison_session_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The sessions list as Excel, each with who attended and who did not."""
    return exports.export_answer(request, "liaison_sessions")


@role_required(Role.OFFICE)
def liaison_session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None,
        initial={"kind": LiaisonSession.Kind.TRAINING, "held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已登记，请在本页登记出席情况。"))
            return redirect(session)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("登记联络员培训和会议"),
            "cancel_url": reverse("liaison_session_list"),
        },
    )


@role_required(*selectors.LIAISON_ROLES)
def liaison_session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, pk)
    return render(
        request,
        "liaisons/session_detail.html",
        {
            "session": session,
            "rows": selectors.attendance_of(session),
            # A liaison's own page only where the user may open it (a commissioner: their
            # branch's units).
            "linked_units": set(selectors.liaison_units(request.user).values_list("pk", flat=True)),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def liaison_session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's attendance form: the ticked rows attended; the others' reasons."""
    session = selectors.get_session_for_user(request.user, pk)
    attended = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
    reasons = {
        int(key.removeprefix("reason-")): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith("reason-") and key.removeprefix("reason-").isdigit()
    }
    service_or_message(
        request,
        lambda: services.attendance_record(
            session=session,
            attended=attended,
            reasons=reasons,
            by=request.user,  # type: ignore[arg-type]
        ),
        done=_("已登记出席情况。"),
    )
    return redirect(session)


# Liaison reports (联络员报告) -------------------------------------------------------------


@role_required(*selectors.REPORT_ROLES)
def liaison_report_list(request: HttpRequest) -> HttpResponse:
    """The reports `user` may see (a liaison: their own), by round and state, with the
    lights of those still due."""
    reports = liaison_report_filter_for(request.user, request.GET)
    rounds = list(ReportRound.objects.order_by("-due_on", "-pk").values_list("pk", "title")[:40])
    chosen = request.GET.get("round", "")
    state = request.GET.get("state", "")
    page = set_lights(paginate(request, reports))
    return render(
        request,
        "liaisons/report_list.html",
        {
            "page": page,
            "round_select": select_html(
                "round",
                chosen,
                [(str(pk), title) for pk, title in rounds],
                _("全部征集"),
                _("征集"),
            ),
            "state_select": select_html(
                "state", state, LiaisonReport.State.choices, _("全部状态"), _("状态")
            ),
            "can_manage": selectors.can_manage(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.REPORT_ROLES)
def liaison_report_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The reports list as Excel: the same reports, under the same filters."""
    return exports.export_answer(request, "liaison_reports")


@role_required(*selectors.REPORT_ROLES)
def liaison_round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaisons/round_list.html",
        {
            "page": paginate(request, round_filter_for(request.user, request.GET)),
            "can_manage": selectors.can_manage(request.user),
            "days_before_end": rules.report_days_before_semester_end(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.REPORT_ROLES)
def liaison_round_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The rounds as Excel, each with the reports in and expected that the user may see."""
    return exports.export_answer(request, "liaison_rounds")


@role_required(Role.OFFICE)
def liaison_round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_round = services.round_open(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已发起，在任联络员均已列入报送名单。"))
            return redirect(report_round)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("发起联络员报告征集"),
            "cancel_url": reverse("liaison_round_list"),
        },
    )


@role_required(Role.OFFICE)
def liaison_round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report_round = selectors.get_round_for_user(request.user, pk)
    form = RoundForm(
        request.POST or None,
        initial={
            "title": report_round.title,
            "due_on": report_round.due_on,
            "topic": report_round.topic,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(report_round=report_round, **form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存，未报送的联络员按新的截止日期提醒。"))
            return redirect(report_round)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('修改征集')}：{report_round.title}",
            "cancel_url": reverse("liaison_round_list"),
        },
    )


@role_required(*selectors.REPORT_ROLES)
def liaison_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    today = timezone.localdate()
    light = None
    if report.deadline is not None:
        light = report.deadline.light(today, yellow_until(today, current_calendar()))
    office = selectors.can_manage(request.user)
    return render(
        request,
        "liaisons/report_detail.html",
        {
            "report": report,
            "light": light,
            "actions": [
                t for t in REPORT_WORKFLOW.available(report, request.user) if t.name != "submit"
            ],
            "can_edit": report.state in services.EDITABLE
            and liaison_or_office(request.user, report),
            "follow_ups": selectors.follow_ups_of(report),
            "can_follow": office and report.state == LiaisonReport.State.READ,
            "history": report.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


@role_required(*selectors.REPORT_ROLES)
def liaison_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison writes the report (保存 keeps a draft, 报送 sends it)."""
    report = selectors.get_report_for_user(request.user, pk)
    if not liaison_or_office(request.user, report):
        raise PermissionDenied(_("只有本人或办公室可以填写联络员报告。"))
    if report.state not in services.EDITABLE:
        messages.error(request, _("报告已%(state)s，不能再修改。") % {"state": report.state_label})
        return redirect(report)
    form = ReportForm(
        request.POST or None,
        initial={name: getattr(report, name) for name in services.REPORT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        submit = "send" in request.POST
        try:
            services.report_save(
                report=report,
                fields=form.cleaned_data,
                submit=submit,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已报送。") if submit else _("已保存，尚未报送。"))
            return redirect(report)
    topic = report.round.topic
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{report.round.title}：{report.liaison.unit.name}",
            "intro": (
                _("截止日期：%(day)s。") % {"day": report.round.due_on}
                + (_("本次报告重点：%(topic)s") % {"topic": topic} if topic else "")
            ),
            "cancel_url": report.get_absolute_url(),
        },
    )


REPORT_STEPS: dict[str, tuple[type[CrispyForm], Callable[..., object], Any]] = {
    "return": (
        ReturnForm,
        lambda r, d, by: services.report_return(report=r, comment=d["comment"], by=by),
        gettext_lazy("已退回补充。"),
    ),
    "read": (
        ReadForm,
        lambda r, d, by: services.report_read(report=r, note=d["note"], by=by),
        gettext_lazy("已阅知。"),
    ),
}


@role_required(*selectors.REPORT_ROLES)
def liaison_report_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The office's return and read (GET: the form; POST: the step)."""
    if action not in REPORT_STEPS:
        raise Http404
    report = selectors.get_report_for_user(request.user, pk)
    form_class, call, done = REPORT_STEPS[action]
    return workflow_step(
        request,
        record=report,
        workflow=REPORT_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(report, data, request.user),
        done=done,
        title=f"{REPORT_WORKFLOW[action].label}：{report.round.title} {report.liaison.unit.name}",
        back=report.get_absolute_url(),
    )


@role_required(Role.OFFICE)
def liaison_report_follow(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The office turns a read report's content into an outreach suggestion or a
    reserve-cadre entry; each links back to the report."""
    report = selectors.get_report_for_user(request.user, pk)
    if report.state != LiaisonReport.State.READ:
        messages.error(request, _("请先阅知报告，再转办跟进。"))
        return redirect(report)
    form: CrispyForm
    if kind == ReportFollowUp.Kind.SUGGESTION:
        form = SuggestionFollowForm(
            request.POST or None,
            initial={"title": "", "content": report.issues or report.views},
        )
    elif kind == ReportFollowUp.Kind.RESERVE:
        form = ReserveFollowForm(request.POST or None, figures=follow_ups.reserve_candidates())
    elif kind == ReportFollowUp.Kind.PUBLICITY:
        form = PublicityFollowForm(
            request.POST or None,
            authors=follow_ups.publicity_authors(),
            initial={"text": report.deeds, "channel": PublicityPiece.Channel.WECHAT},
        )
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == ReportFollowUp.Kind.SUGGESTION:
                follow_up = follow_ups.follow_up_suggestion(
                    report=report,
                    title=data["title"],
                    content=data["content"],
                    by=request.user,  # type: ignore[arg-type]
                )
            elif kind == ReportFollowUp.Kind.PUBLICITY:
                follow_up = follow_ups.follow_up_publicity(
                    report=report,
                    title=data["title"],
                    text=data["text"],
                    channel=data["channel"],
                    author=data["author"],
                    by=request.user,  # type: ignore[arg-type]
                )
            else:
                follow_up = follow_ups.follow_up_reserve(
                    report=report,
                    figure=data["figure"],
                    proposed_post=data["proposed_post"],
                    by=request.user,  # type: ignore[arg-type]
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # On to the new record: a suggestion waits to be assigned there.
            target = follow_up.suggestion or follow_up.reserve or follow_up.piece
            messages.success(
                request,
                _("%(kind)s：已办理，来源报告已关联。") % {"kind": follow_up.kind_label},
            )
            return redirect(target or report)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{ReportFollowUp.Kind(kind).label}：{report}",
            "cancel_url": report.get_absolute_url(),
        },
    )

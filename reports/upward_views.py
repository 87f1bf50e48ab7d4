"""Pages of the experiences (经验做法), their briefings (经验交流材料) and the information
sent upward (统战信息): thin, over `reports.upward_selectors` and
`reports.upward_services`; the steps' buttons come from `reports.upward_transitions`."""

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

from portal import exports
from portal.filters import select_html
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import service_or_message, workflow_step
from portal.permissions import is_office, role_required
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.uploads import attachment_response, content_disposition
from reports import upward_exports
from reports import upward_selectors as selectors
from reports import upward_services as services
from reports.exporting import (
    briefing_filter_for,
    experience_filter_for,
    information_filter_for,
)
from reports.models import Experience, InformationReport
from reports.upward_forms import (
    AdoptForm,
    BriefingForm,
    ConfirmForm,
    ExperienceForm,
    InformationForm,
    PublishForm,
    ReasonForm,
    ReportUpwardForm,
    SendForm,
    SpeechForm,
)
from reports.upward_transitions import EXPERIENCE_WORKFLOW, INFORMATION_WORKFLOW

READERS = selectors.READERS
BRIEFING_READERS = selectors.BRIEFING_READERS

Call = Callable[[Any, dict[str, Any], Any], object]


def _years() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year, this_year - 6, -1)]


def _filters(request: HttpRequest, states: Any) -> dict[str, Any]:
    """The list's selects: state, and unit for whoever sees every unit."""
    units = (
        list(selectors.active_units().values_list("pk", "name"))
        if selectors.sees_all(request.user)
        else []
    )
    return {
        "state_select": select_html(
            "state", request.GET.get("state", ""), states.choices, _("全部状态"), _("状态")
        ),
        "unit_select": (
            select_html("unit", request.GET.get("unit", ""), units, _("全部单位"), _("单位"))
            if units
            else ""
        ),
        "query": request.GET.urlencode(),
    }


def _history(record: Any) -> Any:
    return record.history.select_related("history_user__person").order_by("history_date")


def _refuse_unless_writer(request: HttpRequest, message: str) -> None:
    if not selectors.writable_units(request.user).exists():
        raise PermissionDenied(message)


# Experiences (经验做法) ---------------------------------------------------------------------


@role_required(*READERS)
def experience_list(request: HttpRequest) -> HttpResponse:
    rows = experience_filter_for(request.user, request.GET)
    return render(
        request,
        "reports/upward/experience_list.html",
        {
            "page": paginate(request, rows),
            "can_create": selectors.writable_units(request.user).exists(),
            **_filters(request, Experience.State),
        },
    )


@role_required(*READERS)
def experience_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), in the user's scope
    (`reports.exporting`)."""
    return exports.export_answer(request, "experiences")


@role_required(*READERS)
def experience_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_writer(request, _("只有统战委员或办公室可以报送经验做法。"))
    form = ExperienceForm(
        request.POST or None, request.FILES or None, units=selectors.writable_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            experience = services.experience_create(
                unit=data["unit"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                attachment=data["attachment"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存经验做法，确认无误后请报送办公室。"))
            return redirect(experience)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("登记经验做法"), "cancel_url": reverse("experience_list")},
    )


@role_required(*READERS)
def experience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.get_experience_for_user(request.user, pk)
    actions = [
        a for a in EXPERIENCE_WORKFLOW.available(experience, request.user) if a.name != "edit"
    ]
    return render(
        request,
        "reports/upward/experience_detail.html",
        {
            "experience": experience,
            "actions": actions,
            "can_edit": EXPERIENCE_WORKFLOW.can(experience, "edit", request.user),
            "history": _history(experience),
        },
    )


@role_required(*READERS)
def experience_edit(request: HttpRequest, pk: int) -> HttpResponse:
    experience = selectors.get_experience_for_user(request.user, pk)
    transition = EXPERIENCE_WORKFLOW["edit"]
    if not transition.who(request.user, experience):
        raise PermissionDenied(str(transition.refused))
    if not EXPERIENCE_WORKFLOW.can(experience, "edit", request.user):
        messages.error(request, _("经验做法已报送，不能再修改。"))
        return redirect(experience)
    form = ExperienceForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": experience.title, "summary": experience.summary, "body": experience.body},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.experience_update(
                experience=experience,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                attachment=data["attachment"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(experience)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改经验做法"),
            "object": experience,
            "cancel_url": experience.get_absolute_url(),
        },
    )


@role_required(*READERS)
def experience_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    experience = selectors.get_experience_for_user(request.user, pk)
    if not experience.attachment:
        raise Http404
    suffix = experience.attachment.name.rsplit(".", 1)[-1]
    return attachment_response(experience.attachment, filename=f"{experience.title}.{suffix}")


EXPERIENCE_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "submit": (
        ConfirmForm,
        lambda e, d, by: services.experience_submit(experience=e, by=by),
        gettext_lazy("已报送办公室。"),
    ),
    "select": (
        ConfirmForm,
        lambda e, d, by: services.experience_select(experience=e, by=by),
        gettext_lazy("已入选。"),
    ),
    "reject": (
        ReasonForm,
        lambda e, d, by: services.experience_reject(experience=e, reason=d["reason"], by=by),
        gettext_lazy("已登记未入选及原因。"),
    ),
    "report_upward": (
        ReportUpwardForm,
        lambda e, d, by: services.experience_report_upward(
            experience=e, reported_on=d["reported_on"], reported_to=d["reported_to"], by=by
        ),
        gettext_lazy("已登记报送上级。"),
    ),
    "publish": (
        PublishForm,
        lambda e, d, by: services.experience_publish(
            experience=e, outlet=d["outlet"], published_on=d["published_on"], by=by
        ),
        gettext_lazy("已登记刊发，该单位获通报表扬。"),
    ),
    "speech": (
        SpeechForm,
        lambda e, d, by: services.experience_arrange_speech(
            experience=e, meeting=d["meeting"], speech_on=d["speech_on"], by=by
        ),
        gettext_lazy("已安排交流发言。"),
    ),
}


@role_required(*READERS)
def experience_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in EXPERIENCE_STEPS:
        raise Http404
    experience = selectors.get_experience_for_user(request.user, pk)
    form_class, call, done = EXPERIENCE_STEPS[action]
    return workflow_step(
        request,
        record=experience,
        workflow=EXPERIENCE_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(experience, data, request.user),
        done=done,
        title=f"{EXPERIENCE_WORKFLOW[action].label}：{experience.title}",
        back=experience.get_absolute_url(),
    )


# Briefings (经验交流材料汇编 / 简报) ------------------------------------------------------------


@role_required(*BRIEFING_READERS)
def briefing_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/upward/briefing_list.html",
        {
            "page": paginate(request, briefing_filter_for(request.user, request.GET)),
            "can_compile": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*BRIEFING_READERS)
def briefing_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list, every row (not one page) (`reports.exporting`)."""
    return exports.export_answer(request, "experience_briefings")


def _briefing_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> BriefingForm:
    return BriefingForm(
        request.POST or None,
        experiences=selectors.compilable_experiences(),
        initial=initial,
    )


@role_required(*BRIEFING_READERS)
def briefing_create(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以编印经验交流材料。"))
    form = _briefing_form(request, {"title": _("统战工作经验交流材料")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            briefing = services.briefing_compile(
                title=data["title"],
                addressee=data["addressee"],
                foreword=data["foreword"],
                experiences=list(data["experiences"]),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已编入，确认无误后请提交审核。"))
            return redirect(briefing)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("编印经验交流材料"),
            "cancel_url": reverse("experience_briefing_list"),
        },
    )


@role_required(*BRIEFING_READERS)
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.get_briefing_for_user(request.user, pk)
    entries = briefing.entries.select_related("experience__unit").order_by("position")
    return render(
        request,
        "reports/upward/briefing_detail.html",
        {
            "briefing": briefing,
            "entries": entries,
            "can_edit": is_office(request.user) and briefing.is_editable,
            "history": _history(briefing),
        },
    )


@role_required(*BRIEFING_READERS)
def briefing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.get_briefing_for_user(request.user, pk)
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以编印经验交流材料。"))
    if not briefing.is_editable:
        messages.error(request, _("已提交审核，不能再修改。"))
        return redirect(briefing)
    form = _briefing_form(
        request,
        {
            "title": briefing.title,
            "addressee": briefing.addressee,
            "foreword": briefing.foreword,
            "experiences": [e.experience_id for e in briefing.entries.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.briefing_update(
                briefing=briefing,
                title=data["title"],
                addressee=data["addressee"],
                foreword=data["foreword"],
                experiences=list(data["experiences"]),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(briefing)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改经验交流材料"),
            "object": briefing,
            "cancel_url": briefing.get_absolute_url(),
        },
    )


@role_required(*BRIEFING_READERS)
@require_POST
def briefing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = selectors.get_briefing_for_user(request.user, pk)
    if not is_office(request.user):
        raise PermissionDenied(_("只有办公室可以编印经验交流材料。"))
    service_or_message(
        request,
        lambda: services.briefing_submit(briefing=briefing, by=request.user),  # type: ignore[arg-type]
        done=_("已提交审核，分管领导签发后由办公室印发。"),
    )
    return redirect(briefing)


# Information reports (统战信息) -------------------------------------------------------------


@role_required(*READERS)
def information_list(request: HttpRequest) -> HttpResponse:
    rows = information_filter_for(request.user, request.GET)
    year = request.GET.get("year", "")
    return render(
        request,
        "reports/upward/information_list.html",
        {
            "page": paginate(request, rows),
            "can_create": selectors.writable_units(request.user).exists(),
            "year_select": select_html("year", year, _years(), _("全部年度"), _("年度")),
            **_filters(request, InformationReport.State),
        },
    )


@role_required(*READERS)
def information_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list of records as filtered, every row, in the user's scope
    (`reports.exporting`); the per-unit counts are `information_summary_export`."""
    return exports.export_answer(request, "information")


@role_required(*READERS)
def information_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_writer(request, _("只有统战委员或办公室可以编报统战信息。"))
    form = InformationForm(request.POST or None, units=selectors.writable_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.information_create(
                unit=data["unit"],
                title=data["title"],
                body=data["body"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存统战信息，确认无误后请报送审核。"))
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("编报统战信息"), "cancel_url": reverse("information_list")},
    )


@role_required(*READERS)
def information_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_information_for_user(request.user, pk)
    actions = [a for a in INFORMATION_WORKFLOW.available(report, request.user) if a.name != "edit"]
    return render(
        request,
        "reports/upward/information_detail.html",
        {
            "report": report,
            "actions": actions,
            "can_edit": INFORMATION_WORKFLOW.can(report, "edit", request.user),
            "history": _history(report),
        },
    )


@role_required(*READERS)
def information_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_information_for_user(request.user, pk)
    transition = INFORMATION_WORKFLOW["edit"]
    if not transition.who(request.user, report):
        raise PermissionDenied(str(transition.refused))
    if not INFORMATION_WORKFLOW.can(report, "edit", request.user):
        messages.error(request, _("统战信息已报送审核，不能再修改。"))
        return redirect(report)
    form = InformationForm(
        request.POST or None, initial={"title": report.title, "body": report.body}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.information_update(
                report=report,
                title=data["title"],
                body=data["body"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改统战信息"),
            "object": report,
            "cancel_url": report.get_absolute_url(),
        },
    )


INFORMATION_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "submit": (
        ConfirmForm,
        lambda r, d, by: services.information_submit(report=r, by=by),
        gettext_lazy("已报送办公室审核。"),
    ),
    "return": (
        ReasonForm,
        lambda r, d, by: services.information_return(report=r, reason=d["reason"], by=by),
        gettext_lazy("已退回修改。"),
    ),
    "accept": (
        ConfirmForm,
        lambda r, d, by: services.information_accept(report=r, by=by),
        gettext_lazy("已审核通过。"),
    ),
    "send": (
        SendForm,
        lambda r, d, by: services.information_send(
            report=r, sent_on=d["sent_on"], sent_to=d["sent_to"], by=by
        ),
        gettext_lazy("已登记报送上级。"),
    ),
    "adopt": (
        AdoptForm,
        lambda r, d, by: services.information_adopt(
            report=r, level=d["level"], outlet=d["outlet"], adopted_on=d["adopted_on"], by=by
        ),
        gettext_lazy("已登记采用。"),
    ),
    "not_adopt": (
        ConfirmForm,
        lambda r, d, by: services.information_not_adopt(report=r, by=by),
        gettext_lazy("已登记未采用。"),
    ),
}


@role_required(*READERS)
def information_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in INFORMATION_STEPS:
        raise Http404
    report = selectors.get_information_for_user(request.user, pk)
    form_class, call, done = INFORMATION_STEPS[action]
    return workflow_step(
        request,
        record=report,
        workflow=INFORMATION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(report, data, request.user),
        done=done,
        title=f"{INFORMATION_WORKFLOW[action].label}：{report.title}",
        back=report.get_absolute_url(),
    )


def _summary_year(request: HttpRequest) -> int:
    year = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if year.isdigit() and 2000 <= int(year) <= this_year + 1:
        return int(year)
    return this_year


@role_required(*READERS)
def information_summary(request: HttpRequest) -> HttpResponse:
    """统战信息编报情况: per unit, in a year, submitted / sent upward / adopted."""
    year = _summary_year(request)
    rows = selectors.information_counts(request.user, year)
    return render(
        request,
        "reports/upward/information_summary.html",
        {
            "year": year,
            "rows": rows,
            "total": upward_exports.totals(rows),
            "year_select": select_html("year", str(year), _years(), _("本年度"), _("年度")),
        },
    )


@role_required(*READERS)
def information_summary_export(request: HttpRequest) -> HttpResponse:
    year = _summary_year(request)
    data = upward_exports.information_counts_xlsx(
        selectors.information_counts(request.user, year), year=year
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"统战信息编报情况-{year}.xlsx")
    return response

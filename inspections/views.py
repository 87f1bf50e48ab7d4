"""The rectification pages (整改): the list with each one's light, the office's form to
assign one, its page (measures, progress with evidence, the steps) and the steps."""

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

from inspections import selectors, services
from inspections.exporting import admonition_filter_for, rectification_filter_for
from inspections.forms import (
    AcceptForm,
    AdmonitionForm,
    AdmonitionReportForm,
    ConcludeForm,
    ConclusionForm,
    MeasureReportForm,
    ProgressForm,
    ReasonForm,
    RectificationEditForm,
    RectificationForm,
    TalkForm,
)
from inspections.models import Admonition, Measure, Rectification
from inspections.rules import admonition_report_workdays
from inspections.transitions import (
    ADMONITION_WORKFLOW,
    MEASURE_WORKFLOW,
    RECTIFICATION_WORKFLOW,
)
from portal import exports
from portal.deadlines.display import set_lights, yellow_until
from portal.filters import select_html
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import workflow_step
from portal.models import Role
from portal.permissions import has_role, role_required
from portal.uploads import attachment_response
from portal.workdays import current_calendar

ROLES = selectors.RECTIFICATION_ROLES


@role_required(*ROLES)
def rectification_list(request: HttpRequest) -> HttpResponse:
    rows = rectification_filter_for(request.user, request.GET)
    state, unit = request.GET.get("state", ""), request.GET.get("unit", "")
    sees_all = has_role(request.user, Role.OFFICE, Role.LEADER)
    units = list(selectors.assignable_units().values_list("pk", "name")) if sees_all else []
    page = set_lights(paginate(request, rows))
    return render(
        request,
        "inspections/rectification_list.html",
        {
            "page": page,
            "state_select": select_html(
                "state", state, Rectification.State.choices, _("全部状态"), _("状态")
            ),
            "unit_select": (
                select_html("unit", unit, units, _("全部单位"), _("整改单位")) if sees_all else ""
            ),
            "can_assign": selectors.can_assign(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*ROLES)
def rectification_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), with the measures
    (`inspections.exporting`)."""
    return exports.export_answer(request, "rectifications")


@role_required(*ROLES)
def rectification_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_assign(request.user):
        raise PermissionDenied(_("只有办公室可以交办整改事项。"))
    form = RectificationForm(request.POST or None, units=selectors.assignable_units())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification = services.rectification_assign(
                unit=data["unit"],
                source=data["source"],
                title=data["title"],
                problem=data["problem"],
                measures=data["measures"],
                due=data["due"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已交办，整改单位将收到期限提醒。"))
            return redirect(rectification)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("交办整改"), "cancel_url": reverse("rectification_list")},
    )


@role_required(*ROLES)
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.get_rectification_for_user(request.user, pk, with_measures=True)
    return _detail_page(request, rectification)


def _detail_page(
    request: HttpRequest, rectification: Rectification, progress_form: ProgressForm | None = None
) -> HttpResponse:
    """The rectification's page; `progress_form`: the progress form as posted, refused
    (its errors and what was typed), instead of an empty one."""
    measures = list(rectification.measures.all())  # prefetched: the close guard reads them too
    for measure in measures:
        measure.rectification = rectification
        measure.actions = MEASURE_WORKFLOW.available(measure, request.user)  # type: ignore[attr-defined]
    today = timezone.localdate()
    deadline = rectification.deadline
    light = deadline.light(today, yellow_until(today, current_calendar())) if deadline else None
    can = RECTIFICATION_WORKFLOW.names(rectification, request.user)
    return render(
        request,
        "inspections/rectification_detail.html",
        {
            "rectification": rectification,
            "measures": measures,
            "accepted": sum(m.state == Measure.State.ACCEPTED for m in measures),
            "actions": [
                t
                for t in RECTIFICATION_WORKFLOW.available(rectification, request.user)
                if t.name not in {"edit", "progress"}  # their own pages, not a step
            ],
            "can_edit": "edit" in can,
            "light": light,
            "progress": rectification.progress.select_related(
                "reported_by__person", "measure"
            ).order_by("-reported_at", "-id"),
            "progress_form": (
                (
                    progress_form
                    or ProgressForm(measures=Measure.objects.filter(rectification=rectification))
                )
                if "progress" in can
                else None
            ),
            "history": _rectification_history(rectification),
        },
    )


def _rectification_history(rectification: Rectification) -> list[dict[str, Any]]:
    """办理过程: the rectification's own changes and its measures' (reported, verified,
    sent back with the reason), in time order (two queries)."""
    entries = [
        {
            "at": h.history_date,
            "who": h.history_user,
            "what": h.get_state_display(),
            "why": h.history_change_reason or "",
        }
        for h in rectification.history.select_related("history_user__person")
    ]
    measures = Measure.history.filter(rectification_id=rectification.pk).select_related(
        "history_user__person"
    )
    entries += [
        {
            "at": h.history_date,
            "who": h.history_user,
            "what": _("措施%(n)s：%(state)s") % {"n": h.position, "state": h.get_state_display()},
            "why": h.history_change_reason or "",
        }
        for h in measures
        if h.history_type == "~"  # a step taken; the measures' creation is the assignment
    ]
    return sorted(entries, key=lambda entry: entry["at"])


@role_required(*ROLES)
def rectification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.get_rectification_for_user(request.user, pk)
    transition = RECTIFICATION_WORKFLOW["edit"]
    if not transition.who(request.user, rectification):
        raise PermissionDenied(str(transition.refused))
    if not RECTIFICATION_WORKFLOW.can(rectification, "edit", request.user):
        messages.error(
            request, _("整改事项%(state)s，不能修改。") % {"state": rectification.state_label}
        )
        return redirect(rectification)
    initial = {
        "title": rectification.title,
        "problem": rectification.problem,
        "due": rectification.deadline.due if rectification.deadline else None,
    }
    form = RectificationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rectification_update(
                rectification=rectification,
                title=data["title"],
                problem=data["problem"],
                due=data["due"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(rectification)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('修改整改事项')}：{rectification.title}",
            "cancel_url": rectification.get_absolute_url(),
        },
    )


Call = Callable[[Any, dict[str, Any], Any], object]

RECTIFICATION_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "close": (
        ConclusionForm,
        lambda r, d, by: services.rectification_close(
            rectification=r, conclusion=d["conclusion"], by=by
        ),
        gettext_lazy("已销号。"),
    ),
    "cancel": (
        ReasonForm,
        lambda r, d, by: services.rectification_cancel(rectification=r, reason=d["reason"], by=by),
        gettext_lazy("已撤销整改事项。"),
    ),
}


@role_required(*ROLES)
def rectification_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in RECTIFICATION_STEPS:
        raise Http404
    rectification = selectors.get_rectification_for_user(request.user, pk)
    form_class, call, done = RECTIFICATION_STEPS[action]
    return workflow_step(
        request,
        record=rectification,
        workflow=RECTIFICATION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(rectification, data, request.user),
        done=done,
        title=f"{RECTIFICATION_WORKFLOW[action].label}：{rectification.title}",
        back=rectification.get_absolute_url(),
    )


MEASURE_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "report": (
        MeasureReportForm,
        lambda m, d, by: services.measure_report(measure=m, report=d["report"], by=by),
        gettext_lazy("已报告完成情况，待办公室核验。"),
    ),
    "accept": (
        AcceptForm,
        lambda m, d, by: services.measure_accept(measure=m, by=by),
        gettext_lazy("已核验通过。"),
    ),
    "reopen": (
        ReasonForm,
        lambda m, d, by: services.measure_reopen(measure=m, reason=d["reason"], by=by),
        gettext_lazy("已退回整改。"),
    ),
}


@role_required(*ROLES)
def measure_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MEASURE_STEPS:
        raise Http404
    measure = selectors.get_measure_for_user(request.user, pk)
    form_class, call, done = MEASURE_STEPS[action]
    back = f"{measure.rectification.get_absolute_url()}#measure-{measure.pk}"
    return workflow_step(
        request,
        record=measure,
        workflow=MEASURE_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(measure, data, request.user),
        done=done,
        title=f"{MEASURE_WORKFLOW[action].label}：{measure.position}. {measure.text[:40]}",
        back=back,
    )


@require_POST
@role_required(*ROLES)
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.get_rectification_for_user(request.user, pk)
    form = ProgressForm(
        request.POST, request.FILES, measures=Measure.objects.filter(rectification=rectification)
    )
    transition = RECTIFICATION_WORKFLOW["progress"]
    if not transition.who(request.user, rectification):
        raise PermissionDenied(str(transition.refused))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(
                rectification=rectification,
                measure=data["measure"],
                text=data["text"],
                evidence=data["evidence"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:  # a refusal, or a full disk (`storing_files`)
            apply_errors(form, error)
        else:
            messages.success(request, _("已报告整改进展。"))
            return redirect(f"{rectification.get_absolute_url()}#progress")
    if not RECTIFICATION_WORKFLOW.can(rectification, "progress", request.user):
        # A stale page (the rectification closed meanwhile): the reason, on its page.
        try:
            RECTIFICATION_WORKFLOW.check(rectification, "progress", by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(rectification)
    # What was typed comes back on the page, with the reason it was not kept.
    rectification = selectors.get_rectification_for_user(
        request.user, rectification.pk, with_measures=True
    )
    return _detail_page(request, rectification, progress_form=form)


@role_required(*ROLES)
def progress_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    progress = selectors.get_progress_for_user(request.user, pk)
    if not progress.evidence:
        raise Http404
    return attachment_response(
        progress.evidence, stem=f"{progress.rectification.title}-{progress.pk}"
    )


# Admonition talks (通报约谈) ------------------------------------------------------------


@role_required(*ROLES)
def admonition_list(request: HttpRequest) -> HttpResponse:
    rows = admonition_filter_for(request.user, request.GET)
    state = request.GET.get("state", "")
    page = set_lights(paginate(request, rows))
    return render(
        request,
        "inspections/admonition_list.html",
        {
            "page": page,
            "state_select": select_html(
                "state", state, Admonition.State.choices, _("全部状态"), _("状态")
            ),
            "can_propose": selectors.can_assign(request.user),
            "workdays": admonition_report_workdays(),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*ROLES)
def admonition_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), with the situations
    (`inspections.exporting`)."""
    return exports.export_answer(request, "admonitions")


@role_required(*ROLES)
def admonition_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_assign(request.user):
        raise PermissionDenied(_("只有办公室可以提出通报约谈。"))
    form = AdmonitionForm(
        request.POST or None,
        units=selectors.assignable_units(),
        triggers=selectors.active_triggers(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admonition = services.admonition_propose(
                unit=data["unit"],
                triggers=data["triggers"],
                facts=data["facts"],
                partners=data["partners"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已提出通报约谈，约谈后请在本页登记。"))
            return redirect(admonition)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("提出通报约谈"), "cancel_url": reverse("admonition_list")},
    )


@role_required(*ROLES)
def admonition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    admonition = selectors.get_admonition_for_user(request.user, pk)
    today = timezone.localdate()
    deadline = admonition.deadline
    light = deadline.light(today, yellow_until(today, current_calendar())) if deadline else None
    return render(
        request,
        "inspections/admonition_detail.html",
        {
            "admonition": admonition,
            "actions": ADMONITION_WORKFLOW.available(admonition, request.user),
            "light": light,
            "history": admonition.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


ADMONITION_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "talk": (
        TalkForm,
        lambda a, d, by: services.admonition_talk(
            admonition=a,
            talk_on=d["talk_on"],
            participants=d["participants"],
            record=d["record"],
            by=by,
        ),
        gettext_lazy("已登记约谈，被约谈单位将收到整改报告的期限提醒。"),
    ),
    "report": (
        AdmonitionReportForm,
        lambda a, d, by: services.admonition_report(
            admonition=a, report=d["report"], report_file=d["report_file"], by=by
        ),
        gettext_lazy("已报送整改报告，待办公室审核。"),
    ),
    "conclude": (
        ConcludeForm,
        lambda a, d, by: services.admonition_conclude(
            admonition=a,
            verdict=d["verdict"],
            note=d["note"],
            measures=d["measures"],
            due=d["due"],
            by=by,
        ),
        gettext_lazy("已审核办结。"),
    ),
    "withdraw": (
        ReasonForm,
        lambda a, d, by: services.admonition_withdraw(admonition=a, reason=d["reason"], by=by),
        gettext_lazy("已撤回通报约谈。"),
    ),
}


@role_required(*ROLES)
def admonition_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ADMONITION_STEPS:
        raise Http404
    admonition = selectors.get_admonition_for_user(request.user, pk)
    form_class, call, done = ADMONITION_STEPS[action]
    initial = {"talk_on": timezone.localdate()} if action == "talk" else None
    return workflow_step(
        request,
        record=admonition,
        workflow=ADMONITION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(admonition, data, request.user),
        done=done,
        title=f"{ADMONITION_WORKFLOW[action].label}：{admonition.unit.name}",
        back=admonition.get_absolute_url(),
        form_kwargs={"initial": initial},
    )


@role_required(*ROLES)
def admonition_report_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    admonition = selectors.get_admonition_for_user(request.user, pk)
    if not admonition.report_file:
        raise Http404
    return attachment_response(admonition.report_file, stem=f"{admonition.unit.name}-整改报告")

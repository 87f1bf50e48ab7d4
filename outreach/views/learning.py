"""The cadre reserve (党外后备干部): the list with its export, a cadre's profile with
their training records, the one-page A4 archive card (档案卡), and the office's forms.

The office and leaders see the whole reserve, a commissioner their unit's; the office's
assessment is the office's alone. Sensitive data on the profile and the card come from
`outreach.selectors.sensitive` (scoped and logged), as everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach.exporting import reserve_filter_for
from outreach.forms.learning import ReserveAddForm, ReserveEditForm, ReserveEndForm, TrainingForm
from outreach.models import ReserveCadre, TrainingRecord
from outreach.selectors import learning as selectors
from outreach.selectors import sensitive
from outreach.services import learning as services
from portal import exports
from portal.documents import pdf as paper
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate_keys
from portal.lib.views import service_or_message
from portal.models import Role
from portal.permissions import role_required
from portal.uploads import attachment_response, content_disposition

RESERVE_ROLES = selectors.RESERVE_ROLES


def _attachment(filename: str) -> str:
    return content_disposition(filename)


@role_required(*RESERVE_ROLES)
def reserve_list(request: HttpRequest) -> HttpResponse:
    reserve_filter = reserve_filter_for(request.user, request.GET)
    # Paged on keys: the training subqueries run for the page's rows, not for every
    # entry before the sort by unit and name.
    page = paginate_keys(request, reserve_filter.qs, selectors.list_rows)
    return render(
        request,
        "outreach/reserve_list.html",
        {
            "filter": reserve_filter,
            "page": page,
            "can_manage": selectors.can_read_assessment(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*RESERVE_ROLES)
def reserve_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The filtered list as Excel: the same rows the user sees; the office's assessment
    for the office only (`outreach.exporting`)."""
    return exports.export_answer(request, "reserve")


def _profile_context(request: HttpRequest, cadre: ReserveCadre) -> dict[str, Any]:
    figure = cadre.figure
    secret = sensitive.sensitive_for(request.user, [figure], page=request.path).get(figure.pk)
    person = figure.person
    return {
        "cadre": cadre,
        "figure": figure,
        "person": person,
        "positions": list(figure.positions.all()),
        "trainings": list(selectors.trainings_of(person.pk)),
        "sensitive": secret,
        "can_manage": selectors.can_read_assessment(request.user),
        "age": person.age_on(timezone.localdate()),
        "today": timezone.localdate(),
    }


@role_required(*RESERVE_ROLES)
def reserve_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.get_reserve_for_user(request.user, pk)
    context = _profile_context(request, cadre)
    context["training_form"] = _training_form(cadre) if context["can_manage"] else None
    return render(request, "outreach/reserve_detail.html", context)


def _training_form(cadre: ReserveCadre, *args: Any) -> TrainingForm:
    form = TrainingForm(*args)
    form.helper.form_action = reverse("training_create", args=[cadre.pk])
    return form


@role_required(*RESERVE_ROLES)
def reserve_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive card: one A4 page, for the cadre's paper file."""
    cadre = selectors.get_reserve_for_user(request.user, pk)
    context = _profile_context(request, cadre)
    context["fonts"] = paper.font_css()
    content = paper.html_to_pdf(render_to_string("pdf/reserve_card.html", context))
    response = HttpResponse(content, content_type="application/pdf")
    filename = _("党外后备干部档案卡-%(name)s.pdf") % {"name": cadre.figure.person.name}
    response["Content-Disposition"] = content_disposition(filename)
    return response


@role_required(Role.OFFICE)
def reserve_create(request: HttpRequest) -> HttpResponse:
    form = ReserveAddForm(request.POST or None, initial={"added_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cadre = services.reserve_add(
                figure=data["figure"],
                added_on=data["added_on"],
                proposed_post=data["proposed_post"],
                assessment=data["assessment"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已将%(name)s列入后备干部名单。") % {"name": cadre.figure})
            return redirect(cadre)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("列入后备干部名单"), "cancel_url": reverse("reserve_list")},
    )


@role_required(Role.OFFICE)
def reserve_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.get_reserve_for_user(request.user, pk)
    initial = {"proposed_post": cadre.proposed_post, "assessment": cadre.assessment}
    form = ReserveEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_update(
                cadre=cadre,
                proposed_post=form.cleaned_data["proposed_post"],
                assessment=form.cleaned_data["assessment"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(cadre)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("培养方向和考察意见：%(name)s") % {"name": cadre.figure},
            "cancel_url": cadre.get_absolute_url(),
        },
    )


@role_required(Role.OFFICE)
def reserve_end(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.get_reserve_for_user(request.user, pk)
    form = ReserveEndForm(request.POST or None, initial={"removed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_end(
                cadre=cadre,
                removed_on=form.cleaned_data["removed_on"],
                outcome=form.cleaned_data["outcome"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s 已退出后备干部名单。") % {"name": cadre.figure})
            return redirect(cadre)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("退出后备干部名单：%(name)s") % {"name": cadre.figure},
            "cancel_url": cadre.get_absolute_url(),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def training_create(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.get_reserve_for_user(request.user, pk)
    form = _training_form(cadre, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record_add(
                person=cadre.figure.person,
                course=data["course"],
                level=data["level"],
                organiser=data["organiser"],
                start_on=data["start_on"],
                end_on=data["end_on"],
                certificate=data["certificate"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已登记培训：%(course)s。") % {"course": data["course"]})
            return redirect(cadre)
    context = _profile_context(request, cadre)
    context["training_form"] = form
    return render(request, "outreach/reserve_detail.html", context, status=400)


@require_POST
@role_required(Role.OFFICE)
def training_delete(request: HttpRequest, pk: int, training: int) -> HttpResponse:
    cadre = selectors.get_reserve_for_user(request.user, pk)
    # Gone already (a double click): the service says so instead of a 404.
    record = TrainingRecord.objects.filter(
        pk=training, person_id=cadre.figure.person_id
    ).first() or TrainingRecord(pk=training, person_id=cadre.figure.person_id)
    service_or_message(
        request,
        lambda: services.training_record_delete(record=record, by=request.user),  # type: ignore[arg-type]
        _("已删除培训记录。"),
    )
    return redirect(cadre)


@role_required(*RESERVE_ROLES)
def training_certificate(request: HttpRequest, training: int) -> HttpResponseBase:
    record = selectors.get_training_for_user(request.user, training)
    if not record.certificate:
        raise Http404
    return attachment_response(record.certificate, stem=f"{record.person.name}-{record.course}")

"""The register of non-party figures: list (filters, export), profile, and the office's
forms. Sensitive data comes only from `outreach.selectors.sensitive` (scoped and
logged); the list and the filters never touch it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach.exporting import figure_filter_for, overseas_filter_for
from outreach.filters.figures import OverseasFilter
from outreach.forms.figures import (
    FigureForm,
    FigureSensitiveForm,
    OverseasRecordForm,
    PositionForm,
)
from outreach.models import Figure, OverseasRecord, PublicPosition
from outreach.selectors import figures as selectors
from outreach.selectors import overseas, sensitive
from outreach.services import figures as services
from portal import exports
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate, paginate_keys
from portal.lib.views import service_or_message
from portal.models import Role
from portal.permissions import any_role_required, is_office, role_required


@any_role_required
def figure_list(request: HttpRequest) -> HttpResponse:
    figure_filter = figure_filter_for(request.user, request.GET)
    page = paginate_keys(request, figure_filter.qs, selectors.list_rows)
    return render(
        request,
        "outreach/figure_list.html",
        {
            "filter": figure_filter,
            "page": page,
            "can_manage": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def figure_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The filtered register as Excel: the same figures, under the same filter, as
    `figure_list`; the sensitive columns for whoever may see some figure's, filled row
    by row as the profile would show them (`outreach.exporting`)."""
    return exports.export_answer(request, "figures")


@any_role_required
def figure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    secret = sensitive.sensitive_for(request.user, [figure], page=request.path).get(figure.pk)
    return render(
        request,
        "outreach/figure_detail.html",
        {
            "figure": figure,
            "sensitive": secret,
            "positions": figure.positions.all(),
            "can_manage": is_office(request.user),
            **(_office_forms(figure) if is_office(request.user) else {}),
        },
    )


@role_required(Role.OFFICE)
def figure_create(request: HttpRequest) -> HttpResponse:
    form = FigureForm(
        request.POST or None, creating=True, initial={"registered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            figure = services.figure_create(
                person=data["person"],
                category=data["category"],
                registered_on=data["registered_on"],
                is_representative=data["is_representative"],
                is_key_contact=data["is_key_contact"],
                expertise=data["expertise"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已将%(name)s登记为党外人士。") % {"name": figure})
            return redirect(figure)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("登记党外人士"), "cancel_url": reverse("figure_list")},
    )


@role_required(Role.OFFICE)
def figure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    initial = {name: getattr(figure, name) for name in (*services.FIGURE_FIELDS, "is_active")}
    form = FigureForm(request.POST or None, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_update(
                figure=figure,
                fields={k: v for k, v in form.cleaned_data.items() if k != "person"},
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(figure)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("编辑党外人士：%(name)s") % {"name": figure},
            "cancel_url": figure.get_absolute_url(),
        },
    )


@role_required(Role.OFFICE)
def figure_sensitive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    secret = sensitive.sensitive_for(request.user, [figure], page=request.path).get(figure.pk)
    initial = (
        {"affiliation": secret.affiliation, "opinions": secret.opinions, "notes": secret.notes}
        if secret
        else {}
    )
    form = FigureSensitiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_sensitive_update(
                figure=figure,
                affiliation=form.cleaned_data["affiliation"],
                opinions=form.cleaned_data["opinions"],
                notes=form.cleaned_data["notes"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存敏感信息。"))
            return redirect(figure)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("敏感信息：%(name)s") % {"name": figure},
            "cancel_url": figure.get_absolute_url(),
        },
    )


# The returned-overseas list ---------------------------------------------------------------


@role_required(Role.OFFICE)
def overseas_list(request: HttpRequest) -> HttpResponse:
    """留学回国人员清单: the office's alone (overseas history is sensitive)."""
    overseas_filter = overseas_filter_for(request.user, request.GET)
    people = overseas_filter.qs
    counts = overseas.counts()
    page = paginate(request, overseas.person_rows(people), count=_shown(overseas_filter, counts))
    return render(
        request,
        "outreach/overseas_list.html",
        {
            "filter": overseas_filter,
            "page": page,
            "rows": overseas.rows_of(page.object_list),
            "incomplete": counts["incomplete"],
            "query": request.GET.urlencode(),
        },
    )


def _shown(overseas_filter: OverseasFilter, counts: dict[str, int]) -> int | None:
    """How many people the filtered list has, from the aggregate of everyone when the
    filter is by completeness at most; else None (the paginator counts)."""
    data = overseas_filter.form.cleaned_data if overseas_filter.is_valid() else None
    if data is None or data.get("q") or data.get("unit"):
        return None
    return {
        "": counts["total"],
        "incomplete": counts["incomplete"],
        "complete": counts["total"] - counts["incomplete"],
    }.get(data.get("completeness") or "")


@role_required(Role.OFFICE)
def overseas_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The filtered list as Excel, one overseas record a row (`outreach.exporting`)."""
    return exports.export_answer(request, "overseas")


# Public positions and overseas records: the office's forms on the profile ------------------


def _detail_with(request: HttpRequest, figure_pk: int, **forms: Any) -> HttpResponse:
    """The profile again, with a form that failed (status 400), its errors shown."""
    figure = selectors.get_figure_for_user(request.user, figure_pk)
    secret = sensitive.sensitive_for(request.user, [figure], page=request.path).get(figure.pk)
    context = {
        "figure": figure,
        "sensitive": secret,
        "positions": figure.positions.all(),
        "can_manage": True,
        **_office_forms(figure),
        **forms,
    }
    return render(request, "outreach/figure_detail.html", context, status=400)


def _office_forms(figure: Figure) -> dict[str, Any]:
    position_form = PositionForm()
    position_form.helper.form_action = reverse("position_add", args=[figure.pk])
    overseas_form = OverseasRecordForm()
    overseas_form.helper.form_action = reverse("overseas_add", args=[figure.pk])
    return {"position_form": position_form, "overseas_form": overseas_form}


@require_POST
@role_required(Role.OFFICE)
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            services.position_add(figure=figure, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已添加社会职务。"))
            return redirect(figure)
    form.helper.form_action = reverse("position_add", args=[figure.pk])
    return _detail_with(request, pk, position_form=form)


@require_POST
@role_required(Role.OFFICE)
def position_delete(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    row = PublicPosition.objects.filter(pk=position, figure=figure).first() or PublicPosition(
        pk=position, figure=figure
    )
    service_or_message(
        request,
        lambda: services.position_delete(position=row, by=request.user),  # type: ignore[arg-type]
        _("已删除社会职务。"),
    )
    return redirect(figure)


@require_POST
@role_required(Role.OFFICE)
def overseas_add(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    form = OverseasRecordForm(request.POST)
    if form.is_valid():
        try:
            services.overseas_record_add(figure=figure, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已添加海外经历。"))
            return redirect(figure)
    form.helper.form_action = reverse("overseas_add", args=[figure.pk])
    return _detail_with(request, pk, overseas_form=form)


@require_POST
@role_required(Role.OFFICE)
def overseas_delete(request: HttpRequest, pk: int, record: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    row = OverseasRecord.objects.filter(pk=record, figure=figure).first() or OverseasRecord(
        pk=record, figure=figure
    )
    service_or_message(
        request,
        lambda: services.overseas_record_delete(record=row, by=request.user),  # type: ignore[arg-type]
        _("已删除海外经历。"),
    )
    return redirect(figure)

"""The liaison officers' pages: every department and school with its liaison (or
vacant), one appointment with its basis and the unit's earlier liaisons, and the
office's forms to appoint, end and keep after a change of eligibility."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons import rules, selectors, services
from liaisons.forms import AppointForm, EndForm, KeepForm
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate
from portal.models import Role
from portal.permissions import role_required


@role_required(*selectors.LIAISON_ROLES)
def liaison_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.liaison_units(request.user))
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
    lapse, changed = rules.lapse_of(liaison, today)
    return render(
        request,
        "liaisons/liaison_detail.html",
        {
            "liaison": liaison,
            "earlier": selectors.other_terms(liaison),
            "lapse": lapse if liaison.end_date is None else None,
            "lapsed": lapse is not None and lapse <= today,
            "changed": changed,
            "can_manage": selectors.can_manage(request.user),
            "can_see_basis": selectors.can_see_basis(request.user),
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

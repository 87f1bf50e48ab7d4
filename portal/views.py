"""Views of the home page, the organisation and the working-day calendar."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Any

from axes.utils import reset as axes_reset
from django import db
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST

from portal import devices, exports, registers, selectors, services, unit_panels
from portal.forms import LoginForm, PersonForm, UnitForm, WorkdayYearForm, schedule_as_text
from portal.lib.forms import has_control_characters
from portal.lib.history import history_page
from portal.lib.paging import paginate
from portal.models import Person, Role, Unit, WorkdayYear, field_labels
from portal.permissions import (
    RECORD_ROLES,
    any_role_required,
    can_edit_person,
    can_view_sensitive,
    has_role,
    is_office,
    own_unit_ids,
    portal_user_required,
    role_required,
)
from portal.todos import todos_for
from portal.workdays import current_calendar

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: Django's Chinese 500 page, or a 503 when the database could not be
    reached (restarting, a connection cut): the request's transaction was rolled back,
    so nothing was half-saved, and the next request opens a new connection. Rendered
    without the request, as the 500 page is: it must not need the database."""
    if isinstance(sys.exc_info()[1], (db.OperationalError, db.InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@portal_user_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        # The cards lead to the records: not for a liaison or a publicity member.
        {"todos": todos_for(request.user), "show_records": has_role(request.user, *RECORD_ROLES)},
    )


# Units -------------------------------------------------------------------------------


@any_role_required
def unit_list(request: HttpRequest) -> HttpResponse:
    unit_filter = registers.unit_filter_for(request.user, request.GET)
    page = paginate(request, unit_filter.qs)
    page.object_list = selectors.with_people_counts(page.object_list)
    return render(
        request,
        "portal/unit_list.html",
        {
            "filter": unit_filter,
            "page": page,
            "can_create": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def unit_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The units list as Excel: the same units, under the same filter, as `unit_list`."""
    return exports.export_answer(request, "units")


@any_role_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    people = selectors.people_for_user(request.user).filter(unit=unit)
    children = selectors.units_for_user(request.user).filter(parent=unit)
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "people": people,
            "children": children,
            "can_edit": is_office(request.user),
            "show_sensitive": is_office(request.user),
            "open_items": unit_panels.items_for(request.user, unit, timezone.localdate()),
            "results": unit_panels.results_for(request.user, unit),
        },
    )


@role_required(Role.OFFICE)
def unit_create(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, Unit())


@role_required(Role.OFFICE)
def unit_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form(request, get_object_or_404(Unit, pk=pk))


def _unit_form(request: HttpRequest, unit: Unit) -> HttpResponse:
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data if unit.pk else list(form.cleaned_data)
        unit = services.unit_save(
            unit=unit,
            fields={name: form.cleaned_data[name] for name in changed},
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("已保存单位“%(name)s”。") % {"name": unit.name})
        return redirect(unit)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "object": unit.pk and unit,
            "title": _("编辑单位") if unit.pk else _("新建单位"),
            "cancel_url": unit.get_absolute_url() if unit.pk else "/units/",
        },
    )


@any_role_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    return history_page(request, unit, unit.history.select_related("history_user__person"))


# People ------------------------------------------------------------------------------


@any_role_required
def person_list(request: HttpRequest) -> HttpResponse:
    show_sensitive = is_office(request.user)
    person_filter = registers.person_filter_for(request.user, request.GET)
    page = paginate(request, person_filter.qs)
    return render(
        request,
        "portal/person_list.html",
        {
            "filter": person_filter,
            "page": page,
            "show_sensitive": show_sensitive,
            "can_create": can_edit_person(request.user),
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def person_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The people list as Excel: the same people, under the same filter, as
    `person_list`; the sensitive cells row by row, the office's all and a paired
    leader's partners' (`portal.registers`)."""
    return exports.export_answer(request, "people")


@any_role_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    show_sensitive = can_view_sensitive(request.user, person)
    if show_sensitive:
        services.sensitive_view_record(
            people=[person],
            fields=field_labels(Person, Person.SENSITIVE_FIELDS),
            page=request.path,
            by=request.user,  # type: ignore[arg-type]
        )
    return render(
        request,
        "portal/person_detail.html",
        {
            "person": person,
            "show_sensitive": show_sensitive,
            "can_edit": can_edit_person(request.user, person),
            "age": person.age_on(timezone.localdate()),
        },
    )


@role_required(Role.OFFICE, Role.COMMISSIONER)
def person_create(request: HttpRequest) -> HttpResponse:
    return _person_form(request, Person())


@role_required(Role.OFFICE, Role.COMMISSIONER)
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    return _person_form(request, person)


def _person_form(request: HttpRequest, person: Person) -> HttpResponse:
    user = request.user
    scope = None if is_office(user) else own_unit_ids(user)
    # Only the office records affiliation and overseas history; a commissioner registers
    # the person and the office completes those fields.
    show_sensitive = is_office(user)
    form = PersonForm(
        request.POST or None,
        instance=person,
        allowed_units=scope,
        show_sensitive=show_sensitive,
    )
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data if person.pk else list(form.cleaned_data)
        person = services.person_save(
            person=person,
            fields={name: form.cleaned_data[name] for name in changed},
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("已保存“%(name)s”的信息。") % {"name": person.name})
        return redirect(person)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "object": person.pk and person,
            "title": _("编辑人员") if person.pk else _("新建人员"),
            "cancel_url": person.get_absolute_url() if person.pk else "/people/",
        },
    )


@any_role_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    hidden: tuple[str, ...] = Person.SENSITIVE_FIELDS
    if can_view_sensitive(request.user, person):
        hidden = ()
        services.sensitive_view_record(
            people=[person],
            fields=[_("修改记录")],
            page=request.path,
            by=request.user,  # type: ignore[arg-type]
        )
    return history_page(
        request, person, person.history.select_related("history_user__person"), hidden=hidden
    )


@role_required(Role.OFFICE)
def sensitive_view_list(request: HttpRequest) -> HttpResponse:
    """敏感信息查阅记录: who other than the office opened whose sensitive data, newest
    first; the office only."""
    view_filter = registers.sensitive_view_filter_for(request.user, request.GET)
    page = paginate(request, view_filter.qs)
    return render(
        request,
        "portal/sensitive_view_list.html",
        {"filter": view_filter, "page": page, "query": request.GET.urlencode()},
    )


@role_required(Role.OFFICE)
def sensitive_view_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The log as Excel: the same rows, under the same filter."""
    return exports.export_answer(request, "sensitive_views")


# Working-day calendar ----------------------------------------------------------------


@any_role_required
def workday_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar = current_calendar()
    years = range(today.year - 1, today.year + 3)
    calendar.preload(years)
    rows = [calendar.year(y) for y in years]
    result = None
    start_raw, n_raw = request.GET.get("start"), request.GET.get("n")
    error = ""
    if start_raw and n_raw:
        try:
            start = dt.date.fromisoformat(start_raw)
            n = int(n_raw)
            if not (-400 <= n <= 400 and 1900 <= start.year <= 2100):
                raise ValueError
            result = {"start": start, "n": n, "computed": calendar.add_workdays(start, n)}
        except ValueError:
            error = _("请输入1900至2100年间的有效日期，以及 -400 到 400 之间的工作日数。")
    return render(
        request,
        "portal/workday_calendar.html",
        {
            "rows": rows,
            "result": result,
            "error": error,
            "can_edit": is_office(request.user),
            "start": start_raw or today.isoformat(),
            "n": n_raw or "20",
        },
    )


@any_role_required
def workday_year_detail(request: HttpRequest, year: int) -> HttpResponse:
    if not 1949 <= year <= 2100:  # no calendar, and a date of year 99999… overflows
        raise Http404
    calendar = current_calendar()
    schedule = calendar.year(year)
    days = sorted(schedule.days_off | schedule.days_on)
    entered = WorkdayYear.objects.filter(year=year).first()
    return render(
        request,
        "portal/workday_year.html",
        {
            "year": year,
            "schedule": schedule,
            "entered": entered,
            "days": [(d, schedule.is_workday(d), schedule.names.get(d, "")) for d in days],
            "can_edit": is_office(request.user),
        },
    )


@role_required(Role.OFFICE)
def workday_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        return redirect("workday_calendar")
    entered = WorkdayYear.objects.filter(year=year).first()
    initial = {}
    if entered is not None:
        initial = {"notice": entered.notice, "schedule": schedule_as_text(entered)}
    form = WorkdayYearForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.workday_year_set(
            year=year,
            notice=form.cleaned_data["notice"],
            days=form.parsed,
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("已保存%(year)d年节假日安排，相关期限将按新安排重新计算。") % {"year": year},
        )
        return redirect("workday_year_detail", year=year)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("录入%(year)d年节假日安排") % {"year": year},
            "cancel_url": f"/calendar/{year}/",
        },
    )


# Logins ----------------------------------------------------------------------------------


class PortalLoginView(LoginView):
    """Django's login, which also marks the browser as one the user logs in from
    (`portal.devices`): throttling never locks them out of it."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        devices.remember(response, form.get_user())
        return response


@role_required(Role.OFFICE)
def lockout_list(request: HttpRequest) -> HttpResponse:
    """登录锁定: the usernames throttling has locked out now (too many wrong passwords
    from one address), for the office to unlock after checking with the person."""
    attempts = registers.lockout_filter_for(request.user, request.GET)
    return render(
        request,
        "portal/lockout_list.html",
        {"attempts": attempts, "query": request.GET.urlencode()},
    )


@role_required(Role.OFFICE)
def lockout_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The lockouts as Excel: the same rows as the list."""
    return exports.export_answer(request, "lockouts")


@require_POST
@role_required(Role.OFFICE)
def lockout_reset(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()[:150]
    if has_control_characters(username):  # no login has one; a crafted post may
        username = ""
    if username:
        count = axes_reset(username=username)
        logger.info("lockout: %s unlocked %s (%d rows)", request.user, username, count)
        messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": username})
    return redirect("lockout_list")

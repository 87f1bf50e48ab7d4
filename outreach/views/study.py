"""The learning system's pages: the activities with their people and confirmations, the
office's forms, each person's own studies with the confirm button, and the year board
(学习情况和"五个一") with its export; a figure's "五个一" page.

Pages of the office and leaders are role-gated; a participant without a role reaches
their own studies and the activities they are in (`my_studies`, `study_detail`), and a
figure their own "五个一" page: the selectors scope every query."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach.exports import study as exports
from outreach.filters.study import BoardFilter, StudyFilter
from outreach.forms.study import FiveOneForm, StudyForm
from outreach.models import Figure, FiveOne, StudyActivity
from outreach.selectors import study as selectors
from outreach.services import study as services
from portal.filters import year_or
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate
from portal.lib.views import service_or_message
from portal.models import Role
from portal.permissions import role_required
from portal.selectors import units_for_user
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.uploads import attachment_response, content_disposition

STUDY_ROLES = selectors.STUDY_ROLES
PARTICIPANTS_PER_PAGE = 50


@role_required(*STUDY_ROLES)
def study_list(request: HttpRequest) -> HttpResponse:
    study_filter = StudyFilter(request.GET, queryset=selectors.activities_for_user(request.user))
    return render(
        request,
        "outreach/study_list.html",
        {
            "filter": study_filter,
            "page": paginate(request, study_filter.qs),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@role_required(Role.OFFICE)
def study_create(request: HttpRequest) -> HttpResponse:
    form = StudyForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "kind": StudyActivity.Kind.ONLINE,
            "held_on": timezone.localdate(),
            "confirm_by": timezone.localdate() + dt.timedelta(days=7),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.study_create(
                kind=data["kind"],
                title=data["title"],
                material=data["material"],
                link=data["link"],
                attachment=data["attachment"],
                held_on=data["held_on"],
                place=data["place"],
                confirm_by=data["confirm_by"],
                audience=services.Audience(
                    groups=data["groups"],
                    categories=data["categories"],
                    units=[unit.pk for unit in data["units"]],
                    extra=[person.pk for person in data["extra"]],
                ),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已发布，学习对象 %(count)s 人。") % {"count": activity.participants.count()},
            )
            return redirect(activity)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("发布学习活动"), "cancel_url": reverse("study_list")},
    )


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    page = paginate(
        request, selectors.participants_for_user(request.user, activity), PARTICIPANTS_PER_PAGE
    )
    return render(
        request,
        "outreach/study_detail.html",
        {
            "activity": activity,
            "page": page,
            "mine": selectors.my_row(request.user, activity),
            "can_manage": selectors.can_manage(request.user),
            "can_see_list": selectors.can_see_studies(request.user),
        },
    )


@require_POST
@login_required
def study_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    service_or_message(
        request,
        lambda: services.study_confirm(activity=activity, by=request.user),  # type: ignore[arg-type]
        _("已确认。") if activity.is_online else _("已签到。"),
    )
    mine = reverse("my_studies")  # the only other page with the button
    return redirect(mine if request.POST.get("next") == mine else activity.get_absolute_url())


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@require_POST
@role_required(Role.OFFICE)
def study_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's record for the rows of one page: ticked ones read or attended, the
    others absent with the reason typed (if any)."""
    activity = selectors.get_activity_for_user(request.user, pk)
    shown = _ids(request.POST.getlist("row"))
    confirmed = [pk for pk in _ids(request.POST.getlist("confirmed")) if pk in shown]
    absences = {row: request.POST.get(f"reason-{row}", "") for row in shown if row not in confirmed}
    changed = 0

    def record() -> None:
        nonlocal changed
        changed = services.study_record(
            activity=activity,
            shown=shown,
            confirmed=confirmed,
            absences=absences,
            by=request.user,  # type: ignore[arg-type]
        )

    if service_or_message(request, record):
        messages.success(request, _("已登记 %(count)s 人的学习情况。") % {"count": changed})
    page = request.POST.get("page", "")
    url = activity.get_absolute_url()
    # Back to the page of rows just recorded; a page number no list has goes to the first.
    fits = page.isascii() and page.isdigit() and len(page) <= 6
    return redirect(f"{url}?page={page}" if fits else url)


@login_required
def study_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = selectors.get_activity_for_user(request.user, pk)
    if not activity.attachment:
        raise Http404
    return attachment_response(activity.attachment, stem=activity.title)


@login_required
def my_studies(request: HttpRequest) -> HttpResponse:
    """我的学习: the activities the user was asked to take part in, newest first."""
    page = paginate(request, selectors.my_participations(request.user))
    page.object_list = selectors.my_study_rows(page.object_list)
    return render(request, "outreach/my_studies.html", {"page": page})


# --- the year board and the "五个一" ---


def _board(request: HttpRequest) -> tuple[BoardFilter, int]:
    year = year_or(request.GET.get("year"), timezone.localdate().year)
    board_filter = BoardFilter(
        request.GET,
        queryset=selectors.board_figures(request.user),
        units=units_for_user(request.user),
    )
    return board_filter, year


@role_required(*STUDY_ROLES)
def study_board(request: HttpRequest) -> HttpResponse:
    board_filter, year = _board(request)
    page = paginate(request, selectors.board_values(board_filter.qs))
    today = timezone.localdate()
    return render(
        request,
        "outreach/study_board.html",
        {
            "filter": board_filter,
            "page": page,
            "rows": selectors.board_rows(page.object_list, year),
            "year": year,
            "years": list(range(today.year - 4, today.year + 1)),
            "items": FiveOne.Item.choices,
            "query": request.GET.urlencode(),
        },
    )


@role_required(*STUDY_ROLES)
def study_board_export(request: HttpRequest) -> HttpResponse:
    board_filter, year = _board(request)
    rows = selectors.board_rows(selectors.board_values(board_filter.qs), year)
    response = HttpResponse(exports.board_xlsx(rows, year), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        _("%(year)s年度学习情况和五个一.xlsx") % {"year": year}
    )
    return response


def _figure_for(request: HttpRequest, pk: int) -> Figure:
    """A figure whose "五个一" the user may read: on the board's scope, or themself."""
    figure = get_object_or_404(Figure.objects.select_related("person__unit"), pk=pk)
    if figure.person_id == getattr(request.user, "person_id", None):
        return figure
    if not selectors.board_figures(request.user).filter(pk=pk).exists():
        raise Http404
    return figure


@login_required
def five_ones(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure_for(request, pk)
    year = year_or(request.GET.get("year"), timezone.localdate().year)
    can_record = selectors.can_record_five_one(request.user, figure)
    form = FiveOneForm(request.POST or None, request.FILES or None, year=year)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("只有办公室工作人员或本人可以登记“五个一”。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.five_one_record(
                    figure=figure,
                    year=year,
                    item=data["item"],
                    done_on=data["done_on"],
                    title=data["title"],
                    evidence=data["evidence"],
                    note=data["note"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("已登记。"))
                return redirect(f"{request.path}?year={year}")
    records = list(selectors.five_ones_of(figure, year))
    done = {record.item for record in records}
    today = timezone.localdate()
    return render(
        request,
        "outreach/five_ones.html",
        {
            "figure": figure,
            "year": year,
            "years": list(range(today.year - 4, today.year + 1)),
            "records": records,
            "missing": [label for value, label in FiveOne.Item.choices if value not in done],
            "form": form if can_record else None,
            "can_record": can_record,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def five_one_delete(request: HttpRequest, pk: int, record: int) -> HttpResponse:
    figure = _figure_for(request, pk)
    entry = get_object_or_404(FiveOne, pk=record, figure=figure)
    service_or_message(
        request,
        lambda: services.five_one_delete(record=entry, by=request.user),  # type: ignore[arg-type]
        _("已删除。"),
    )
    return redirect(f"{reverse('five_ones', args=[figure.pk])}?year={entry.year}")


@login_required
def five_one_evidence(request: HttpRequest, pk: int, record: int) -> HttpResponseBase:
    figure = _figure_for(request, pk)
    entry = get_object_or_404(FiveOne, pk=record, figure=figure)
    if not entry.evidence:
        raise Http404
    return attachment_response(entry.evidence, stem=f"{figure.person.name}-{entry.item_label}")

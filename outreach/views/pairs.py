"""Friendship pairs, contacts, heart-to-heart talks and the coverage board.

The office arranges and ends pairs and sees everything; a leader (or group member) sees
the pairs they lead and the contacts and talks they took part in, and records their own.
Reads go through `outreach.selectors.pairs` (scoped: another leader's record is a 404),
writes through `outreach.services.pairs` (which check again)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach import rules
from outreach.exporting import contact_filter_for, pair_filter_for, talk_filter_for
from outreach.exports import pairs as exports
from outreach.forms.pairs import (
    BriefingForm,
    ContactEditForm,
    ContactForm,
    PairEndForm,
    PairForm,
    TalkForm,
    recording_leaders,
)
from outreach.models import Briefing, Talk
from outreach.selectors import pairs as selectors
from outreach.services import pairs as services
from outreach.transitions.pairs import TALK_WORKFLOW
from portal import exports as portal_exports
from portal.deadlines import periods
from portal.filters import select_html, year_or
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate, paginate_keys
from portal.lib.views import service_or_message
from portal.models import Person, Role, Unit
from portal.permissions import is_office, role_required
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.uploads import content_disposition

PAIR_ROLES = selectors.PAIR_ROLES


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# Pairs ---------------------------------------------------------------------------------


@role_required(*PAIR_ROLES)
def pair_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = selectors.period_for("academic", periods.academic_year_of(today).start.year)
    pair_filter = pair_filter_for(request.user, request.GET)
    page = paginate_keys(
        request,
        pair_filter.qs,
        lambda rows: selectors.pair_rows(rows, start=year.start, end=year.end),
    )
    return render(
        request,
        "outreach/pair_list.html",
        {
            "filter": pair_filter,
            "page": page,
            "year": year,
            "today": today,
            "can_manage": is_office(request.user),
            "can_record": selectors.may_record(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*PAIR_ROLES)
def pair_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The pairs list as Excel: the same pairs, under the same filter."""
    return portal_exports.export_answer(request, "pairs")


@role_required(Role.OFFICE)
def pair_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"start_date": timezone.localdate()}
    figure = request.GET.get("figure", "")
    if figure.isdigit():
        initial["figure"] = int(figure)
    form = PairForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = services.pair_create(
                leader=data["leader"],
                figure=data["figure"],
                start_date=data["start_date"],
                note=data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已安排结对：%(pair)s。") % {"pair": pair})
            return redirect("pair_list")
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("安排结对"), "cancel_url": reverse("pair_list")},
    )


@role_required(Role.OFFICE)
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.get_pair_for_user(request.user, pk)
    form = PairEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_end(
                pair=pair,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已结束结对：%(pair)s。") % {"pair": pair})
            return redirect("pair_list")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("结束结对：%(pair)s") % {"pair": pair},
            "cancel_url": reverse("pair_list"),
        },
    )


# Contacts and talks --------------------------------------------------------------------


def _recording_context(request: HttpRequest) -> dict[str, Any]:
    """The choices of a contact or talk form: the office picks the leader among those
    who lead pairs and any figure; a leader records for themself with their figures."""
    if not selectors.may_record(request.user):
        raise PermissionDenied(_("您没有结对联系对象，不能记录联系情况；请联系办公室。"))
    today = timezone.localdate()
    leaders = recording_leaders() if is_office(request.user) else None
    return {"leaders": leaders, "figures": selectors.figures_for_recording(request.user, today)}


def _leader_of(request: HttpRequest, data: dict[str, Any]) -> Person:
    if "leader" in data:
        leader: Person = data["leader"]
        return leader
    return request.user.person  # type: ignore[union-attr, return-value]


def _initial_from_pair(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"date": timezone.localdate()}
    pair_id = request.GET.get("pair", "")
    if pair_id.isdigit():
        pair = selectors.pairs_for_user(request.user).filter(pk=int(pair_id)).first()
        if pair is not None:
            initial |= {"leader": pair.leader_id, "figures": [pair.figure_id]}
    return initial


@role_required(*PAIR_ROLES)
def contact_list(request: HttpRequest) -> HttpResponse:
    contact_filter = contact_filter_for(request.user, request.GET)
    page = paginate(request, contact_filter.qs)
    page.object_list = selectors.with_figure_names(page.object_list)
    return render(
        request,
        "outreach/contact_list.html",
        {
            "filter": contact_filter,
            "page": page,
            "query": request.GET.urlencode(),
            "can_record": selectors.may_record(request.user),
        },
    )


@role_required(*PAIR_ROLES)
def contact_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The contacts list as Excel: the same contacts, under the same filter."""
    return portal_exports.export_answer(request, "contacts")


@role_required(*PAIR_ROLES)
def contact_create(request: HttpRequest) -> HttpResponse:
    choices = _recording_context(request)
    form = ContactForm(request.POST or None, initial=_initial_from_pair(request), **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.contact_record(
                leader=_leader_of(request, data),
                figures=data["figures"],
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                participants=data["participants"],
                summary=data["summary"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存联系记录。"))
            return redirect(contact)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("记录联系情况"), "cancel_url": reverse("contact_list")},
    )


@role_required(*PAIR_ROLES)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    return render(
        request,
        "outreach/contact_detail.html",
        {
            "contact": contact,
            "can_edit": services.may_edit_contact(request.user, contact),  # type: ignore[arg-type]
        },
    )


@role_required(*PAIR_ROLES)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    if not services.may_edit_contact(request.user, contact):  # type: ignore[arg-type]
        raise PermissionDenied(_("只有联系领导本人、记录人或办公室可以修改联系记录。"))
    initial = {
        "place": contact.place,
        "participants": contact.participants,
        "summary": contact.summary,
    }
    form = ContactEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_update(
                contact=contact,
                place=data["place"],
                participants=data["participants"],
                summary=data["summary"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存联系记录。"))
            return redirect(contact)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改联系记录"),
            "intro": _("联系领导、对象和日期不能修改；如有错误，请重新记录。"),
            "cancel_url": contact.get_absolute_url(),
        },
    )


@role_required(*PAIR_ROLES)
def talk_list(request: HttpRequest) -> HttpResponse:
    talk_filter = talk_filter_for(request.user, request.GET)
    page = paginate(request, talk_filter.qs)
    page.object_list = selectors.with_figure_names(page.object_list)
    return render(
        request,
        "outreach/talk_list.html",
        {
            "filter": talk_filter,
            "page": page,
            "query": request.GET.urlencode(),
            "can_record": selectors.may_record(request.user),
            "can_brief": is_office(request.user),
            # The office's own record of what it compiled (the documents themselves
            # reach leaders through the documents workflow).
            "briefings": (
                list(Briefing.objects.select_related("document")[:5])
                if is_office(request.user)
                else []
            ),
        },
    )


@role_required(*PAIR_ROLES)
def talk_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The talks list as Excel: the same talks, under the same filter."""
    return portal_exports.export_answer(request, "talks")


@role_required(*PAIR_ROLES)
def talk_create(request: HttpRequest) -> HttpResponse:
    choices = _recording_context(request)
    form = TalkForm(request.POST or None, initial=_initial_from_pair(request), **choices)
    return _talk_form(request, form, talk=None)


@role_required(*PAIR_ROLES)
def talk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talk = selectors.get_talk_for_user(request.user, pk)
    if not TALK_WORKFLOW.can(talk, "edit", request.user):
        if TALK_WORKFLOW["edit"].who(request.user, talk):
            messages.error(request, _("谈话记录已报送办公室，不能再修改。"))
            return redirect(talk)
        raise PermissionDenied(str(TALK_WORKFLOW["edit"].refused))
    choices = _recording_context(request)
    initial = {
        "leader": talk.leader_id,
        "figures": [f.pk for f in talk.figures.all()],
        "mode": talk.mode,
        "date": talk.date,
        "place": talk.place,
        "topic": talk.topic,
        "summary": talk.summary,
        "raised": talk.raised,
    }
    form = TalkForm(request.POST or None, initial=initial, **choices)
    return _talk_form(request, form, talk=talk)


def _talk_form(request: HttpRequest, form: TalkForm, *, talk: Talk | None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.talk_save(
                talk=talk,
                leader=_leader_of(request, data),
                figures=data["figures"],
                mode=data["mode"],
                date=data["date"],
                place=data["place"],
                topic=data["topic"],
                summary=data["summary"],
                raised=data["raised"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存谈话记录；确认无误后请报送办公室。"))
            return redirect(saved)
    title = _("修改谈话记录") if talk else _("记录谈心谈话")
    cancel = talk.get_absolute_url() if talk else reverse("talk_list")
    return render(request, "portal/form.html", {"form": form, "title": title, "cancel_url": cancel})


@role_required(*PAIR_ROLES)
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talk = selectors.get_talk_for_user(request.user, pk)
    return render(
        request,
        "outreach/talk_detail.html",
        {
            "talk": talk,
            "actions": TALK_WORKFLOW.available(talk, request.user),
            "can_record_suggestion": is_office(request.user),
        },
    )


TALK_ACTIONS = {
    "send": (services.talk_send, _("已报送办公室。")),
    "read": (services.talk_read, _("已阅知。")),
}


@require_POST
@role_required(*PAIR_ROLES)
def talk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    talk = selectors.get_talk_for_user(request.user, pk)
    user = request.user
    if action in TALK_ACTIONS:
        service, done = TALK_ACTIONS[action]
        service_or_message(request, lambda: service(talk=talk, by=user), done)  # type: ignore[arg-type]
    elif action in ("brief", "unbrief"):
        briefing = action == "brief"
        done = _("已编入工作简报。") if briefing else _("已移出工作简报。")
        service_or_message(
            request,
            lambda: services.talk_brief(talk=talk, briefing=briefing, by=user),  # type: ignore[arg-type]
            done,
        )
    else:
        raise Http404
    return redirect(talk)


# The briefing ----------------------------------------------------------------------


@role_required(Role.OFFICE)
def briefing_create(request: HttpRequest) -> HttpResponse:
    """编发工作简报: the talks marked for the briefing in a period, compiled into a
    document and sent for review and signature."""
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today}
    form = BriefingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            briefing = services.briefing_submit(
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已编发工作简报，收录谈话%(n)s次，已报分管领导审签。")
                % {"n": briefing.talks.count()},
            )
            return redirect(briefing)
    waiting = Talk.objects.filter(for_briefing=True, briefings__isnull=True).exclude(
        state=Talk.State.DRAFT
    )
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("编发工作简报"),
            "intro": _("收录这一期间内已“编入工作简报”、尚未编发的谈心谈话（现有%(n)s次）。")
            % {"n": waiting.count()},
            "cancel_url": reverse("talk_list"),
        },
    )


# The coverage board ------------------------------------------------------------------


BOARD_LEADERS = 10  # leaders a page of the board (each with all their pairs)


def _board(
    request: HttpRequest, *, paged: bool
) -> tuple[selectors.Period, list[selectors.Row], dict[str, Any]]:
    """The board's period and rows for the request's filters; `paged`: the rows of the
    page's leaders only (the export has every row)."""
    today = timezone.localdate()
    basis = "calendar" if request.GET.get("basis") == "calendar" else "academic"
    default_year = today.year if basis == "calendar" else periods.academic_year_of(today).start.year
    year = year_or(request.GET.get("year"), default_year)
    period = selectors.period_for(basis, year)
    pairs = selectors.pairs_for_user(request.user)
    leader = request.GET.get("leader", "")
    if leader.isdigit():
        pairs = pairs.filter(leader_id=int(leader))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        pairs = pairs.filter(figure__person__unit_id=int(unit))
    page = None
    if paged:
        # The leaders (the college's leadership: dozens) read in one query and paged
        # here, instead of a COUNT and a page query of the same DISTINCT.
        leaders = list(selectors.board_leaders(pairs, period))
        page = paginate(request, leaders, per_page=BOARD_LEADERS)
        pairs = pairs.filter(leader_id__in=list(page.object_list))
    rows = selectors.coverage(pairs, period, today, grace=rules.grace_days())
    context = {
        "page": page,
        "basis": basis,
        "year": year,
        "years": list(range(default_year - 3, default_year + 1)),
        "leader": leader,
        "unit": unit,
    }
    return period, rows, context


@role_required(*PAIR_ROLES)
def coverage_board(request: HttpRequest) -> HttpResponse:
    period, rows, context = _board(request, paged=True)
    mine = selectors.pairs_for_user(request.user)
    units = Unit.objects.filter(pk__in=mine.values("figure__person__unit_id")).order_by(
        "sort_order", "name"
    )
    unit_select = select_html(
        "unit", context["unit"], units.values_list("pk", "name"), _("全部单位"), _("对象单位")
    )
    leader_select = ""
    if is_office(request.user):
        leaders = recording_leaders().values_list("pk", "name")
        leader_select = select_html(
            "leader", context["leader"], leaders, _("全部领导"), _("联系领导")
        )
    return render(
        request,
        "outreach/coverage_board.html",
        context
        | {
            "period": period,
            "rows": rows,
            "leader_select": leader_select,
            "unit_select": unit_select,
            "legend": [
                (selectors.LIGHT_CLASS[code], label) for code, label in selectors.LIGHTS.items()
            ],
            "query": request.GET.urlencode(),
        },
    )


@role_required(*PAIR_ROLES)
def coverage_export(request: HttpRequest) -> HttpResponse:
    period, rows, _context = _board(request, paged=False)
    filename = _("联系覆盖情况（%(period)s）.xlsx") % {"period": period.label}
    return _xlsx(exports.coverage_xlsx(rows, period), filename)

"""The research pages: contact points (调研指导联系点), research-guidance visits
(调研指导) with their report and steps, and research topics (调研课题) with their
outcome, steps and Excel export."""

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

from inspections import research_selectors as selectors
from inspections import research_services as services
from inspections.exporting import contact_point_filter_for, topic_filter_for, visit_filter_for
from inspections.models import ResearchTopic, ResearchVisit
from inspections.research_forms import (
    ContactPointEndForm,
    ContactPointForm,
    FinishForm,
    ReasonForm,
    RecogniseForm,
    RespondForm,
    SendUpwardForm,
    TopicAssignForm,
    TopicCompleteForm,
    TopicForm,
    VisitAssignForm,
    VisitForm,
    VisitReportForm,
)
from inspections.research_transitions import RESEARCH_TOPIC_WORKFLOW, RESEARCH_VISIT_WORKFLOW
from portal import exports
from portal.deadlines.display import yellow_until
from portal.filters import select_html
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate
from portal.lib.views import workflow_step
from portal.models import Role
from portal.permissions import has_role, role_required
from portal.uploads import attachment_response
from portal.workdays import current_calendar

Call = Callable[[Any, dict[str, Any], Any], object]


def _refuse_unless_office(request: HttpRequest, message: str) -> None:
    if not selectors.can_keep(request.user):
        raise PermissionDenied(message)


def _lights(rows: Any) -> None:
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    for row in rows:
        deadline = row.deadline
        row.light = deadline.light(today, yellow) if deadline else None


# Contact points (调研指导联系点) -----------------------------------------------------------


@role_required(*selectors.CONTACT_POINT_ROLES)
def contact_point_list(request: HttpRequest) -> HttpResponse:
    rows = contact_point_filter_for(request.user, request.GET)
    current = request.GET.get("current", "")
    return render(
        request,
        "inspections/contact_point_list.html",
        {
            "page": paginate(request, rows),
            "current_select": select_html(
                "current",
                current,
                [("yes", _("现有联系点")), ("no", _("已撤销"))],
                _("全部"),
                _("状态"),
            ),
            "can_keep": selectors.can_keep(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.CONTACT_POINT_ROLES)
def contact_point_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The contact points as Excel: the same rows, under the same filter."""
    return exports.export_answer(request, "contact_points")


@role_required(*selectors.CONTACT_POINT_ROLES)
def contact_point_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_office(request, _("只有办公室可以设立调研指导联系点。"))
    form = ContactPointForm(
        request.POST or None,
        units=selectors.active_units(),
        contacts=selectors.office_users(),
        initial={"since": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_point_add(
                unit=data["unit"],
                since=data["since"],
                contact=data["contact"],
                note=data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已设立调研指导联系点。"))
            return redirect("contact_point_list")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("设立调研指导联系点"),
            "cancel_url": reverse("contact_point_list"),
        },
    )


@role_required(*selectors.CONTACT_POINT_ROLES)
def contact_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_contact_point_for_user(request.user, pk)
    _refuse_unless_office(request, _("只有办公室可以修改调研指导联系点。"))
    form = ContactPointForm(
        request.POST or None,
        units=selectors.active_units(),
        contacts=selectors.office_users(),
        with_unit=False,
        initial={"since": point.since, "contact": point.contact_id, "note": point.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_point_update(
                point=point,
                since=data["since"],
                contact=data["contact"],
                note=data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("contact_point_list")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('修改调研指导联系点')}：{point.unit.name}",
            "cancel_url": reverse("contact_point_list"),
        },
    )


@role_required(*selectors.CONTACT_POINT_ROLES)
def contact_point_end(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.get_contact_point_for_user(request.user, pk)
    _refuse_unless_office(request, _("只有办公室可以撤销调研指导联系点。"))
    if point.until is not None:
        messages.error(
            request, _("该联系点已于 %(day)s 撤销。") % {"day": f"{point.until:%Y-%m-%d}"}
        )
        return redirect("contact_point_list")
    form = ContactPointEndForm(request.POST or None, initial={"until": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_end(
                point=point,
                until=form.cleaned_data["until"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已撤销联系点。"))
            return redirect("contact_point_list")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": f"{_('撤销调研指导联系点')}：{point.unit.name}",
            "cancel_url": reverse("contact_point_list"),
        },
    )


# Research-guidance visits (调研指导) -----------------------------------------------------


@role_required(*selectors.VISIT_ROLES)
def research_visit_list(request: HttpRequest) -> HttpResponse:
    rows = visit_filter_for(request.user, request.GET)
    state = request.GET.get("state", "")
    page = paginate(request, rows)
    _lights(page)
    return render(
        request,
        "inspections/research_visit_list.html",
        {
            "page": page,
            "state_select": select_html(
                "state", state, ResearchVisit.State.choices, _("全部状态"), _("状态")
            ),
            "can_plan": selectors.can_keep(request.user),
            "sees_contact_points": has_role(request.user, *selectors.CONTACT_POINT_ROLES),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.VISIT_ROLES)
def research_visit_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page), with the units and the
    rectifications assigned (`inspections.exporting`)."""
    return exports.export_answer(request, "research_visits")


def _warn_second(request: HttpRequest, visit: ResearchVisit) -> None:
    others = selectors.other_visits_in_year(visit.year, exclude=visit.pk)
    if others:
        messages.warning(
            request,
            _("%(year)s年度已有 %(count)s 次调研指导：制度要求每年开展1次，请确认确需再次安排。")
            % {"year": visit.year, "count": others},
        )


@role_required(*selectors.VISIT_ROLES)
def research_visit_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_office(request, _("只有办公室可以安排调研指导。"))
    year = timezone.localdate().year
    form = VisitForm(
        request.POST or None,
        units=selectors.active_units(),
        initial={"year": year, "units": sorted(selectors.current_contact_unit_ids())},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.research_visit_plan(
                year=data["year"],
                subject=data["subject"],
                plan=data["plan"],
                units=data["units"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已安排调研指导。"))
            _warn_second(request, visit)
            return redirect(visit)
    intro = ""
    if request.method != "POST" and selectors.other_visits_in_year(year):
        intro = _("%(year)s年度已安排调研指导：制度要求每年开展1次。") % {"year": year}
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("安排调研指导"),
            "intro": intro,
            "cancel_url": reverse("research_visit_list"),
        },
    )


@role_required(*selectors.VISIT_ROLES)
def research_visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit_for_user(request.user, pk)
    _lights([visit])
    return render(
        request,
        "inspections/research_visit_detail.html",
        {
            "visit": visit,
            "actions": RESEARCH_VISIT_WORKFLOW.available(visit, request.user),
            "others": selectors.other_visits_in_year(visit.year, exclude=visit.pk)
            if visit.state != ResearchVisit.State.CANCELLED
            else 0,
            "history": visit.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


VISIT_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "finish": (
        FinishForm,
        lambda v, d, by: services.research_visit_finish(
            visit=v, ends_on=d["ends_on"], findings=d["findings"], by=by
        ),
        gettext_lazy("已登记调研结束，报告须在1个月内报领导小组。"),
    ),
    "report": (
        VisitReportForm,
        lambda v, d, by: services.research_visit_report(
            visit=v, report=d["report"], report_file=d["report_file"], by=by
        ),
        gettext_lazy("已报送领导小组。"),
    ),
    "send_upward": (
        SendUpwardForm,
        lambda v, d, by: services.research_visit_send_upward(
            visit=v, sent_on=d["sent_on"], sent_to=d["sent_to"], by=by
        ),
        gettext_lazy("已登记报上级部门。"),
    ),
    "respond": (
        RespondForm,
        lambda v, d, by: services.research_visit_respond(visit=v, response=d["response"], by=by),
        gettext_lazy("已登记领导小组意见。"),
    ),
    "assign": (
        VisitAssignForm,
        lambda v, d, by: services.research_visit_assign(
            visit=v,
            unit=d["unit"],
            title=d["title"],
            problem=d["problem"],
            measures=d["measures"],
            due=d["due"],
            by=by,
        ),
        gettext_lazy("已交办整改，整改单位将收到期限提醒。"),
    ),
    "cancel": (
        ReasonForm,
        lambda v, d, by: services.research_visit_cancel(visit=v, reason=d["reason"], by=by),
        gettext_lazy("已取消调研指导。"),
    ),
}


@role_required(*selectors.VISIT_ROLES)
def research_visit_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in VISIT_STEPS:
        raise Http404
    visit = selectors.get_visit_for_user(request.user, pk)
    form_class, call, done = VISIT_STEPS[action]
    today = timezone.localdate()
    form_kwargs: dict[str, Any] = {
        "initial": {
            "finish": {"ends_on": min(visit.ends_on, today)},
            "send_upward": {"sent_on": today},
            "respond": {"response": visit.response},
        }.get(action)
    }
    if action == "assign":
        form_kwargs["units"] = visit.units.order_by("sort_order", "name")
    return workflow_step(
        request,
        record=visit,
        workflow=RESEARCH_VISIT_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(visit, data, request.user),
        done=done,
        title=f"{RESEARCH_VISIT_WORKFLOW[action].label}：{visit}",
        back=visit.get_absolute_url(),
        form_kwargs=form_kwargs,
    )


@role_required(*selectors.VISIT_ROLES)
def research_visit_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    visit = selectors.get_visit_for_user(request.user, pk)
    if not visit.report_file:
        raise Http404
    suffix = visit.report_file.name.rsplit(".", 1)[-1]
    return attachment_response(visit.report_file, filename=f"{visit}-报告.{suffix}")


# Research topics (调研课题) --------------------------------------------------------------


@role_required(*selectors.TOPIC_ROLES)
def research_topic_list(request: HttpRequest) -> HttpResponse:
    rows = topic_filter_for(request.user, request.GET)
    page = paginate(request, rows)
    _lights(page)
    sees_all = has_role(request.user, Role.OFFICE, Role.LEADER)
    units = list(selectors.active_units().values_list("pk", "name")) if sees_all else []
    this_year = timezone.localdate().year
    years = [(str(y), str(y)) for y in range(this_year + 1, this_year - 5, -1)]
    return render(
        request,
        "inspections/research_topic_list.html",
        {
            "page": page,
            "year_select": select_html(
                "year", request.GET.get("year", ""), years, _("全部年度"), _("年度")
            ),
            "state_select": select_html(
                "state",
                request.GET.get("state", ""),
                ResearchTopic.State.choices,
                _("全部状态"),
                _("状态"),
            ),
            "unit_select": (
                select_html(
                    "unit", request.GET.get("unit", ""), units, _("全部单位"), _("承担单位")
                )
                if sees_all
                else ""
            ),
            "can_propose": selectors.can_keep(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*selectors.TOPIC_ROLES)
def research_topic_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list as filtered, every row (not one page) (`inspections.exporting`)."""
    return exports.export_answer(request, "research_topics")


@role_required(*selectors.TOPIC_ROLES)
def research_topic_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_office(request, _("只有办公室可以确定调研课题。"))
    form = TopicForm(
        request.POST or None,
        units=selectors.active_units(),
        people=selectors.topic_people(),
        items=selectors.work_points_items(),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.research_topic_propose(
                year=data["year"],
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                person=data["person"],
                work_points_item=data["work_points_item"],
                origin=data["origin"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已确定调研课题，下达后承担单位开展研究。"))
            return redirect(topic)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("确定调研课题"),
            "cancel_url": reverse("research_topic_list"),
        },
    )


@role_required(*selectors.TOPIC_ROLES)
def research_topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.get_topic_for_user(request.user, pk)
    _lights([topic])
    return render(
        request,
        "inspections/research_topic_detail.html",
        {
            "topic": topic,
            "actions": RESEARCH_TOPIC_WORKFLOW.available(topic, request.user),
            "history": topic.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


TOPIC_STEPS: dict[str, tuple[type[CrispyForm], Call, Any]] = {
    "assign": (
        TopicAssignForm,
        lambda t, d, by: services.research_topic_assign(topic=t, due=d["due"], by=by),
        gettext_lazy("已下达调研课题。"),
    ),
    "complete": (
        TopicCompleteForm,
        lambda t, d, by: services.research_topic_complete(
            topic=t,
            outcome_kind=d["outcome_kind"],
            outcome=d["outcome"],
            outcome_file=d["outcome_file"],
            by=by,
        ),
        gettext_lazy("已报送研究成果。"),
    ),
    "recognise": (
        RecogniseForm,
        lambda t, d, by: services.research_topic_recognise(
            topic=t, sent_upward_on=d["sent_upward_on"], award=d["award"], by=by
        ),
        gettext_lazy("已登记报送和获奖情况。"),
    ),
    "drop": (
        ReasonForm,
        lambda t, d, by: services.research_topic_drop(topic=t, reason=d["reason"], by=by),
        gettext_lazy("已撤销调研课题。"),
    ),
}


@role_required(*selectors.TOPIC_ROLES)
def research_topic_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TOPIC_STEPS:
        raise Http404
    topic = selectors.get_topic_for_user(request.user, pk)
    form_class, call, done = TOPIC_STEPS[action]
    initial = (
        {"sent_upward_on": topic.sent_upward_on, "award": topic.award}
        if action == "recognise"
        else None
    )
    return workflow_step(
        request,
        record=topic,
        workflow=RESEARCH_TOPIC_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(topic, data, request.user),
        done=done,
        title=f"{RESEARCH_TOPIC_WORKFLOW[action].label}：{topic.title}",
        back=topic.get_absolute_url(),
        form_kwargs={"initial": initial},
    )


@role_required(*selectors.TOPIC_ROLES)
def research_topic_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    topic = selectors.get_topic_for_user(request.user, pk)
    if not topic.outcome_file:
        raise Http404
    suffix = topic.outcome_file.name.rsplit(".", 1)[-1]
    return attachment_response(topic.outcome_file, filename=f"{topic.title}-成果.{suffix}")

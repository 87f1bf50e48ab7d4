"""Views of meetings, the topic pool, minutes and follow-up items. Thin: parse, call a
selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import calendar, permissions, selectors, services
from meetings.exporting import follow_up_filter_for, meeting_filter_for, topic_filter_for
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    FollowUpCloseForm,
    FollowUpForm,
    FollowUpUpdateForm,
    MaterialForm,
    MeetingForm,
    MinutesForm,
    TopicDecisionForm,
    TopicForm,
)
from meetings.models import AgendaItem, FollowUpItem, Material, Meeting, Minutes, Topic
from meetings.transitions import (
    FOLLOW_UP_WORKFLOW,
    MEETING_WORKFLOW,
    MINUTES_WORKFLOW,
    TOPIC_WORKFLOW,
)
from portal import exports
from portal.documents.selectors import documents_for_user
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate
from portal.lib.views import move_offset, service_or_message
from portal.models import Role
from portal.permissions import any_role_required, has_role, is_office, role_required, unit_scope
from portal.uploads import attachment_response


def _form_errors_to_messages(request: HttpRequest, form: BaseForm) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _form_page(
    request: HttpRequest, form: BaseForm, title: str, obj: Any, cancel: str
) -> HttpResponse:
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": title, "object": obj, "cancel_url": cancel},
    )


# Scoped fetches: each checks that the user may read the record (404 otherwise) and loads
# what the page reads with it.


def _get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    return selectors.get_meeting(request.user, pk)


def _get_agenda_item_for_user(request: HttpRequest, pk: int) -> AgendaItem:
    return selectors.get_agenda_item(request.user, pk)


def _get_material_for_user(request: HttpRequest, pk: int) -> Material:
    return selectors.get_material(request.user, pk)


def _get_topic_for_user(request: HttpRequest, pk: int) -> Topic:
    return selectors.get_topic(request.user, pk)


def _get_follow_up_for_user(request: HttpRequest, pk: int) -> FollowUpItem:
    return selectors.get_follow_up(request.user, pk)


# Meetings -------------------------------------------------------------------------------


@any_role_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = meeting_filter_for(request.user, request.GET)
    page = paginate(request, filters.qs.order_by("-starts_at", "-pk"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "standings": selectors.quota_standings(),
            "years": selectors.years_with_meetings(),
            "year": filters.value("year"),
            "kind": filters.value("kind") or "",
            "kinds": Meeting.Kind.choices,
            "can_manage": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def meeting_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The meetings list as Excel: the same meetings, under the same filter."""
    return exports.export_answer(request, "meetings")


@role_required(Role.OFFICE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已创建会议，并按当日领导小组名单生成了参会人员。"))
            return redirect(meeting)
    return _form_page(request, form, _("新建会议"), None, reverse("meeting_list"))


@any_role_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    office = is_office(request.user)
    minutes: Minutes | None = getattr(meeting, "minutes", None)
    document = minutes.document if minutes else None
    steps = MINUTES_WORKFLOW.names(minutes, request.user) if minutes else set()
    context: dict[str, Any] = {
        "meeting": meeting,
        "attendances": selectors.attendances_of(meeting),
        "agenda": selectors.agenda_of(meeting),
        "materials": list(meeting.materials.all()),
        "minutes": minutes,
        "document": document,
        "can_manage": office,
        "meeting_steps": MEETING_WORKFLOW.names(meeting, request.user),
        "minutes_steps": steps,
        # Links only where the user may follow them (no link to their own 404).
        "follow_up_scope": unit_scope(request.user),
        "document_visible": document is not None
        and documents_for_user(request.user).filter(pk=document.pk).exists(),
    }
    if "agenda_add" in steps:
        context["agenda_form"] = AgendaItemForm(topics=selectors.schedulable_topics())
        context["agenda_form"].helper.form_action = reverse("meeting_agenda_add", args=[pk])
    if office:
        context["material_form"] = MaterialForm()
        context["material_form"].helper.form_action = reverse("meeting_material_add", args=[pk])
    return render(request, "meetings/meeting_detail.html", context)


@role_required(Role.OFFICE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "place": meeting.place,
        "chair": meeting.chair,
        "notes": meeting.notes,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, fields=form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存会议信息。"))
            return redirect(meeting)
    return _form_page(request, form, _("修改会议"), meeting, meeting.get_absolute_url())


@role_required(Role.OFFICE)
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    attendances = selectors.attendances_of(meeting)
    form = AttendanceForm(request.POST or None, attendances=attendances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = [
            services.AttendanceRow(
                person_id=a.person_id,
                status=data[f"status_{a.pk}"],
                reason=data[f"reason_{a.pk}"],
                represented_by=data[f"represented_{a.pk}"],
            )
            for a in attendances
        ]
        try:
            services.attendance_record(meeting=meeting, by=request.user, rows=rows)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存出席情况。"))
            return redirect(meeting)
    return render(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form})


@require_POST
@role_required(Role.OFFICE)
def meeting_agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    form = AgendaItemForm(request.POST, topics=selectors.schedulable_topics())
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect(meeting)
    data = form.cleaned_data
    service_or_message(
        request,
        lambda: services.agenda_item_create(
            meeting=meeting,
            by=request.user,  # type: ignore[arg-type]
            title=data["title"],
            presenter=data["presenter"],
            topic=data["topic"],
        ),
        _("已加入议程。"),
    )
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@require_POST
@role_required(Role.OFFICE)
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_agenda_item_for_user(request, pk)
    offset = move_offset(request)
    service_or_message(
        request,
        lambda: services.agenda_item_move(item=item, by=request.user, offset=offset),  # type: ignore[arg-type]
    )
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@require_POST
@role_required(Role.OFFICE)
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_agenda_item_for_user(request, pk)
    service_or_message(
        request,
        lambda: services.agenda_item_delete(item=item, by=request.user),  # type: ignore[arg-type]
        _("已删除议程。"),
    )
    return redirect(f"{item.meeting.get_absolute_url()}#agenda")


@require_POST
@role_required(Role.OFFICE)
def meeting_material_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
    else:
        service_or_message(
            request,
            lambda: services.material_attach(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                file=form.cleaned_data["file"],
            ),
            _("已上传会议材料。"),
        )
    return redirect(f"{meeting.get_absolute_url()}#materials")


@any_role_required
def meeting_material(request: HttpRequest, pk: int) -> FileResponse:
    material = _get_material_for_user(request, pk)
    try:
        return attachment_response(material.file, filename=material.name)
    except FileNotFoundError:
        raise Http404 from None


@any_role_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    response = HttpResponse(
        calendar.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_POST
@role_required(Role.OFFICE)
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    sent = calendar.meeting_invitations_send(meeting=meeting, by=request.user)  # type: ignore[arg-type]
    if sent:
        messages.success(request, _("已向%(n)d人发送会议通知。") % {"n": sent})
    else:
        messages.info(request, _("没有需要发送通知的人员（已发送过，或未登记电子邮箱）。"))
    return redirect(meeting)


# Minutes ----------------------------------------------------------------------------------


@role_required(Role.OFFICE)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    minutes = meeting.minutes
    items = list(meeting.agenda_items.all())
    form = MinutesForm(request.POST or None, items=items, initial={"opening": minutes.opening})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_write(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                opening=form.cleaned_data["opening"],
                items=form.texts(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存纪要。"))
            return redirect(meeting)
    return render(
        request,
        "meetings/minutes_form.html",
        {"meeting": meeting, "form": form, "attendances": selectors.attendances_of(meeting)},
    )


@require_POST
@role_required(Role.OFFICE)
def minutes_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    documents: list[Any] = []
    ok = service_or_message(
        request,
        lambda: documents.append(services.minutes_submit(meeting=meeting, by=request.user)),  # type: ignore[arg-type]
        _("纪要已报送签发。"),
    )
    if ok:
        return redirect(documents[0])
    return redirect(meeting)


# Topics ------------------------------------------------------------------------------------


@any_role_required
def topic_list(request: HttpRequest) -> HttpResponse:
    filters = topic_filter_for(request.user, request.GET)
    page = paginate(request, filters.qs)
    for topic in page:  # the button: the agenda item is loaded with the topic, no query
        topic.can_decide = TOPIC_WORKFLOW.can(topic, "decide", request.user)
    return render(
        request,
        "meetings/topic_list.html",
        {
            "page": page,
            "status": filters.value("status") or "",
            "statuses": Topic.Status.choices,
            "can_decide": is_office(request.user),
            "can_propose": has_role(request.user, Role.OFFICE, Role.MEMBER, Role.COMMISSIONER),
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def topic_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The topics list as Excel: the same topics, under the same filter."""
    return exports.export_answer(request, "topics")


@role_required(Role.OFFICE, Role.MEMBER, Role.COMMISSIONER)
def topic_create(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_propose(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("议题已提交，办公室将研究并反馈意见。"))
            return redirect("topic_list")
    return _form_page(request, form, _("提出议题"), None, reverse("topic_list"))


@role_required(Role.OFFICE)
def topic_decide(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic_for_user(request, pk)
    form = TopicDecisionForm(
        request.POST or None,
        initial={
            "status": topic.status if topic.status != Topic.Status.PROPOSED else None,
            "reason": topic.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_decide(topic=topic, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已记录研究意见。"))
            return redirect("topic_list")
    return render(request, "meetings/topic_decide.html", {"topic": topic, "form": form})


# Follow-up items ---------------------------------------------------------------------------


@role_required(Role.OFFICE)
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_agenda_item_for_user(request, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(agenda_item=item, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已交办督办事项。"))
            return redirect(f"{item.meeting.get_absolute_url()}#agenda")
    return _form_page(request, form, _("交办督办事项"), item, item.meeting.get_absolute_url())


@any_role_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    filters = follow_up_filter_for(request.user, request.GET)
    page = paginate(request, filters.qs.order_by("deadline__due", "pk"))
    return render(
        request,
        "meetings/follow_up_list.html",
        {
            "page": page,
            "status": filters.value("status") or "",
            "statuses": filters.filters["status"].extra["choices"],
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def follow_up_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The follow-up items list as Excel: the same items, under the same filter."""
    return exports.export_answer(request, "follow_ups")


def _follow_up_page(
    request: HttpRequest, item: FollowUpItem, update_form: FollowUpUpdateForm | None = None
) -> HttpResponse:
    steps = FOLLOW_UP_WORKFLOW.names(item, request.user)
    can_update = "report" in steps
    can_close = "close" in steps
    context: dict[str, Any] = {
        "item": item,
        "updates": list(item.updates.select_related("author__person")),
        "can_update": can_update,
        "can_close": can_close,
    }
    if can_update:
        context["update_form"] = update_form or FollowUpUpdateForm()
        context["update_form"].helper.form_action = reverse("follow_up_update", args=[item.pk])
        if update_form is not None:
            context["form"] = update_form  # the bound form with its errors
    if can_close:
        context["close_form"] = FollowUpCloseForm()
        context["close_form"].helper.form_action = reverse("follow_up_close", args=[item.pk])
    return render(request, "meetings/follow_up_detail.html", context)


@any_role_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up_page(request, _get_follow_up_for_user(request, pk))


@require_POST
@any_role_required
def follow_up_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_follow_up_for_user(request, pk)
    if not permissions.can_update_follow_up(request.user, item):
        raise PermissionDenied
    form = FollowUpUpdateForm(request.POST)
    if not form.is_valid():
        return _follow_up_page(request, item, form)
    service_or_message(
        request,
        lambda: services.follow_up_update(item=item, by=request.user, **form.cleaned_data),  # type: ignore[arg-type]
        _("已报告落实情况。"),
    )
    return redirect(item)


@require_POST
@role_required(Role.OFFICE)
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_follow_up_for_user(request, pk)
    form = FollowUpCloseForm(request.POST)
    form.is_valid()
    service_or_message(
        request,
        lambda: services.follow_up_close(
            item=item,
            by=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data.get("note", ""),
        ),
        _("已办结。"),
    )
    return redirect(item)


# The year view -----------------------------------------------------------------------------


@any_role_required
def meeting_year(request: HttpRequest, year: int) -> HttpResponse:
    if not 1949 <= year <= 2100:
        raise Http404
    meetings = list(selectors.meetings_of_year(year))
    minutes_ids = [
        m.minutes.document_id for m in meetings if getattr(m, "minutes", None) is not None
    ]
    return render(
        request,
        "meetings/meeting_year.html",
        {
            "year": year,
            "meetings": meetings,
            "years": selectors.years_with_meetings(),
            "this_year": timezone.localdate().year,
            # Links only where the user may follow them (no link to their own 404).
            "follow_up_scope": unit_scope(request.user),
            "visible_documents": set(
                documents_for_user(request.user)
                .filter(pk__in=minutes_ids)
                .values_list("pk", flat=True)
            ),
        },
    )

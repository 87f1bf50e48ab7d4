"""Pages of the deadline engine: the deadline list (a timeline by month), a deadline's
page with its history, waiving, extension requests and decisions, and the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import exports
from portal.deadlines import registry, selectors, services
from portal.deadlines.display import Describer, describe
from portal.deadlines.exporting import calendar_for, deadline_filter_for
from portal.deadlines.forms import ExtensionDecisionForm, ExtensionRequestForm, WaiveForm
from portal.deadlines.models import Deadline, Delivery, ExtensionRequest
from portal.deadlines.transitions import DEADLINE_WORKFLOW, EXTENSION_WORKFLOW
from portal.lib.errors import Forbidden, Refused
from portal.lib.paging import paginate
from portal.models import Role, User
from portal.permissions import is_office, portal_user_required, role_required


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _error_text(error: ValidationError) -> str:
    return "".join(error.messages)


@portal_user_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    deadline_filter = deadline_filter_for(request.user, request.GET)
    page = paginate(request, deadline_filter.qs)
    rows = list(page)
    calendar = calendar_for(rows)
    describer = Describer(today, calendar)
    described = [describer(d) for d in rows]
    return render(
        request,
        "deadlines/deadline_list.html",
        {
            "filter": deadline_filter,
            "page": page,
            "rows": described,
            "today": today,
            "is_office": is_office(request.user),
            "query": request.GET.urlencode(),
        },
    )


@portal_user_required
def deadline_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The deadlines list as Excel: the same deadlines, under the same filter."""
    return exports.export_answer(request, "deadlines")


@portal_user_required
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = selectors.get_deadline_for_user(request.user, pk)
    today = timezone.localdate()
    calendar = calendar_for([deadline])
    described = describe(deadline, today=today, calendar=calendar)
    rule = registry.get_or_none(deadline.rule)
    requests = list(
        deadline.extension_requests.select_related("requested_by__person", "decided_by__person")
    )
    pending = next((r for r in requests if r.decision == ExtensionRequest.Decision.PENDING), None)
    history = list(
        deadline.history.select_related("history_user__person").order_by("-history_date")[:50]
    )
    deliveries = (
        list(
            Delivery.objects.filter(deadline=deadline)
            .select_related("recipient__person")
            .order_by("-created_at", "-pk")[:100]
        )
        if is_office(request.user)
        else []
    )
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "d": described,
            "deadline": deadline,
            "rule": rule,
            "requests": requests,
            "pending": pending,
            "history": history,
            "deliveries": deliveries,
            "buttons": _buttons(request.user, deadline, pending),
        },
    )


# The page's buttons are the declared transitions the user may take now.
STEP_URLS = {
    "request_extension": "deadline_extension_request",
    "waive": "deadline_waive",
}


def _buttons(
    user: User | AnonymousUser, deadline: Deadline, pending: ExtensionRequest | None
) -> list[dict[str, str]]:
    buttons = [
        {
            "name": step.name,
            "label": str(step.label),
            "style": step.style,
            "url": reverse(STEP_URLS[step.name], args=[deadline.pk]),
        }
        for step in DEADLINE_WORKFLOW.available(deadline, user)
    ]
    if pending is not None and EXTENSION_WORKFLOW.available(pending, user):
        buttons.insert(
            0,
            {
                "name": "decide",
                "label": _("审批延期申请"),
                "style": "warning",
                "url": pending.get_absolute_url(),
            },
        )
    return buttons


@role_required(Role.OFFICE)
def deadline_waive(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = selectors.get_deadline_for_user(request.user, pk)
    try:
        DEADLINE_WORKFLOW.check(deadline, "waive", by=request.user)
    except Forbidden:
        raise
    except Refused as refused:
        messages.info(request, refused.message)
        return redirect(deadline)
    form = WaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_waive(
                deadline=deadline, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except Forbidden:
            raise
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已免除期限“%(d)s”。") % {"d": deadline})
        return redirect(deadline)
    return render(
        request,
        "deadlines/deadline_form.html",
        {
            "form": form,
            "deadline": deadline,
            "title": _("免除期限"),
            "intro": _("免除后不再提醒，理由记入修改记录。"),
        },
    )


@portal_user_required
def deadline_extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = selectors.get_deadline_for_user(request.user, pk)
    step = DEADLINE_WORKFLOW["request_extension"]
    if not step.who(request.user, deadline):
        raise PermissionDenied(step.refused or None)
    blocked = ""
    try:
        DEADLINE_WORKFLOW.check(deadline, step.name, by=request.user)
    except Refused as refused:
        blocked = str(refused.message)
    form = ExtensionRequestForm(request.POST or None, current_due=deadline.due)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            services.deadline_extend_request(
                deadline=deadline,
                by=_user(request),
                requested_due=form.cleaned_data["requested_due"],
                reason=form.cleaned_data["reason"],
            )
        except Forbidden:
            raise
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("延期申请已提交，等待领导审批。"))
            return redirect(deadline)
    return render(
        request,
        "deadlines/deadline_form.html",
        {
            "form": None if blocked else form,
            "blocked": blocked,
            "deadline": deadline,
            "title": _("申请延期"),
            "intro": _("原期限%(due)s。请在期限之前提出，写明理由，由领导审批。")
            % {"due": f"{deadline.due:%Y年%-m月%-d日}"},
        },
    )


@role_required(Role.LEADER)
def deadline_extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = selectors.get_extension_for_leader(request.user, pk)
    deadline = extension.deadline
    decisions = EXTENSION_WORKFLOW.names(extension, request.user)
    form = ExtensionDecisionForm(request.POST or None, current_due=extension.current_due)
    if request.method == "POST":
        if not decisions:  # decided meanwhile (a second click, another leader): say so
            name = "refuse" if request.POST.get("decision") == "refuse" else "approve"
            try:
                EXTENSION_WORKFLOW.check(extension, name, by=request.user)
            except Forbidden:
                raise
            except Refused as refused:
                messages.info(request, refused.message)
            return redirect(deadline)
        if form.is_valid():
            try:
                services.deadline_extend_decide(
                    request=extension,
                    by=_user(request),
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    granted_due=form.cleaned_data["granted_due"],
                )
            except Forbidden:
                raise
            except ValidationError as error:
                messages.info(request, _error_text(error))
            else:
                if form.cleaned_data["decision"] == "approve":
                    messages.success(request, _("已批准延期。"))
                else:
                    messages.success(request, _("已退回延期申请。"))
            return redirect(deadline)
    return render(
        request,
        "deadlines/extension_decide.html",
        {"extension": extension, "deadline": deadline, "form": form if decisions else None},
    )


# Inbox ---------------------------------------------------------------------------------


@portal_user_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages_qs = selectors.notifications_for_user(request.user).order_by("-created_at", "-pk")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        messages_qs = messages_qs.filter(read_at__isnull=True)
    page = paginate(request, messages_qs, per_page=30)
    return render(request, "deadlines/inbox.html", {"page": page, "unread_only": unread_only})


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)  # a path; redirect() would take "abc" for a URL name
    return redirect("inbox")


@portal_user_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notification_mark_read(by=_user(request), notification_id=pk):
        raise Http404
    return _back_to_inbox(request)


@portal_user_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(by=_user(request))
    if count:
        messages.success(request, _("已将%(n)d条消息标为已读。") % {"n": count})
    return _back_to_inbox(request)

"""Suggestions: the list (with each one's current deadline light) and its export, the
office's form to record one (from a talk's "raised" text when it comes from a talk),
the page of one with its steps, and one small form per step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outreach.exporting import suggestion_filter_for
from outreach.forms.suggestions import (
    AnswerForm,
    AssignForm,
    FeedbackForm,
    ReasonForm,
    ReviewForm,
    SuggestionForm,
)
from outreach.models import Suggestion, Talk
from outreach.selectors import pairs as pair_selectors
from outreach.selectors import suggestions as selectors
from outreach.services import suggestions as services
from outreach.transitions.suggestions import SUGGESTION_WORKFLOW
from portal import exports
from portal.deadlines import registry
from portal.deadlines.display import yellow_until
from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.paging import paginate_keys
from portal.lib.views import workflow_step
from portal.models import Role
from portal.permissions import role_required
from portal.workdays import current_calendar

ROLES = selectors.SUGGESTION_ROLES


@role_required(*ROLES)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestion_filter = suggestion_filter_for(request.user, request.GET)
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    show_proposer = selectors.can_see_proposer(request.user)
    page = paginate_keys(
        request,
        suggestion_filter.qs,
        lambda rows: selectors.list_rows(
            rows, with_proposer=show_proposer, today=today, yellow_until=yellow
        ),
    )
    return render(
        request,
        "outreach/suggestion_list.html",
        {
            "filter": suggestion_filter,
            "page": page,
            "query": request.GET.urlencode(),
            "can_record": selectors.may_record(request.user),
            "show_proposer": show_proposer,
        },
    )


@role_required(*ROLES)
def suggestion_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The suggestions list as Excel: the same rows, under the same filter; the
    proposer only for those the list shows it to (`outreach.exporting`)."""
    return exports.export_answer(request, "suggestions")


def _from_talk(request: HttpRequest) -> tuple[Talk | None, dict[str, Any]]:
    talk_id = request.GET.get("talk", "") or request.POST.get("talk", "")
    if not talk_id.isdigit():
        return None, {}
    talk = pair_selectors.talks_for_user(request.user).filter(pk=int(talk_id)).first()
    if talk is None:
        return None, {}
    figures = list(talk.figures.all()[:1])
    initial = {
        "title": (talk.topic or _("谈心谈话中提出的意见建议"))[:100],
        "content": talk.raised,
        "source": Suggestion.Source.TALK,
        "raised_on": talk.date,
        "figure": figures[0].pk if figures else None,
    }
    return talk, initial


@role_required(Role.OFFICE)
def suggestion_create(request: HttpRequest) -> HttpResponse:
    talk, initial = _from_talk(request)
    initial.setdefault("raised_on", timezone.localdate())
    form = SuggestionForm(request.POST or None, initial=initial)
    if talk is not None:
        form.helper.form_action = f"{reverse('suggestion_create')}?talk={talk.pk}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_record(
                title=data["title"],
                content=data["content"],
                source=data["source"],
                raised_on=data["raised_on"],
                figure=data["figure"],
                raised_by=data["raised_by"],
                talk=talk,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已登记意见建议，请及时交办。"))
            return redirect(suggestion)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("登记意见建议"), "cancel_url": reverse("suggestion_list")},
    )


@role_required(*ROLES)
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    today = timezone.localdate()
    deadline = suggestion.deadline
    light = deadline.light(today, yellow_until(today, current_calendar())) if deadline else None
    return render(
        request,
        "outreach/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "actions": SUGGESTION_WORKFLOW.available(suggestion, request.user),
            "show_proposer": selectors.can_see_proposer(request.user),
            "light": light,
            "step_label": registry.label(deadline.rule) if deadline else "",
            "history": suggestion.history.select_related("history_user__person").order_by(
                "history_date"
            ),
        },
    )


Step = tuple[type[CrispyForm], Callable[[Suggestion, dict[str, Any], Any], object], Any]

STEPS: dict[str, Step] = {
    "assign": (
        AssignForm,
        lambda s, d, by: services.suggestion_assign(
            suggestion=s, lead_unit=d["lead_unit"], co_units=d["co_units"], by=by
        ),
        gettext_lazy("已交办。"),
    ),
    "send_back": (
        ReasonForm,
        lambda s, d, by: services.suggestion_send_back(suggestion=s, reason=d["reason"], by=by),
        gettext_lazy("已退回办公室。"),
    ),
    "answer": (
        AnswerForm,
        lambda s, d, by: services.suggestion_answer(suggestion=s, answer=d["answer"], by=by),
        gettext_lazy("已提交答复，等待办公室审核。"),
    ),
    "approve": (
        ReviewForm,
        lambda s, d, by: services.suggestion_review(
            suggestion=s, approve=True, comment=d["comment"], by=by
        ),
        gettext_lazy("答复已审核通过，请向提出人反馈。"),
    ),
    "return_answer": (
        ReviewForm,
        lambda s, d, by: services.suggestion_review(
            suggestion=s, approve=False, comment=d["comment"], by=by
        ),
        gettext_lazy("已退回重新答复。"),
    ),
    "feed_back": (
        FeedbackForm,
        lambda s, d, by: services.suggestion_feed_back(
            suggestion=s,
            feedback_on=d["feedback_on"],
            means=d["means"],
            feedback_by=d["feedback_by"],
            satisfaction=d["satisfaction"],
            note=d["note"],
            by=by,
        ),
        gettext_lazy("已记录反馈情况。"),
    ),
    "reopen": (
        ReasonForm,
        lambda s, d, by: services.suggestion_reopen(suggestion=s, reason=d["reason"], by=by),
        gettext_lazy("已重新交办原牵头单位。"),
    ),
}


@role_required(*ROLES)
def suggestion_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step's form (GET) and the step itself (POST), through the shared
    `portal.lib.views.workflow_step`: a step the state does not allow (a stale page, a
    second click) goes back to the page with the reason; a step this user may never
    take is a 403."""
    if action not in STEPS:
        raise Http404
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    form_class, call, done = STEPS[action]
    initial: dict[str, Any] = {}
    if action == "feed_back":
        initial = {"feedback_on": timezone.localdate(), "feedback_by": request.user.display_name}  # type: ignore[union-attr]
    if action == "assign" and suggestion.lead_unit_id:
        initial = {"lead_unit": suggestion.lead_unit_id}
    return workflow_step(
        request,
        record=suggestion,
        workflow=SUGGESTION_WORKFLOW,
        action=action,
        form_class=form_class,
        call=lambda data: call(suggestion, data, request.user),
        done=done,
        title=f"{SUGGESTION_WORKFLOW[action].label}：{suggestion.title}",
        back=suggestion.get_absolute_url(),
        form_kwargs={"initial": initial},
    )

"""Writes of suggestions: each step a declared transition (`SUGGESTION_WORKFLOW`) checked
on the locked row, its deadline met and the next step's opened in the same transaction.
Every service refuses with a Chinese message and changes nothing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach import rules
from outreach.models import Contact, Figure, Suggestion, Talk
from outreach.transitions.suggestions import SUGGESTION_WORKFLOW
from portal.deadlines.services import deadline_meet, deadline_open
from portal.lib.errors import Forbidden, Refused, required
from portal.lib.repeats import repeat_since
from portal.models import Unit, User
from portal.permissions import is_office

logger = logging.getLogger(__name__)

State = Suggestion.State


def _stamp(obj: Any, by: User, reason: str = "") -> None:
    obj._history_user = by
    if reason:
        obj._change_reason = reason


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _open(suggestion: Suggestion, rule: str, step: str, *, unit: Unit | None = None) -> None:
    """Open the next step's deadline (working days from today) and make it current."""
    suggestion.deadline = deadline_open(
        rule=rule,
        subject=suggestion,
        period=f"{step}-{suggestion.round}",
        after=timezone.localdate(),
        title=suggestion.title[:200],
        responsible_unit=unit,
    )


def _meet(suggestion: Suggestion, rule: str, step: str, by: User) -> None:
    deadline_meet(rule=rule, subject=suggestion, period=f"{step}-{suggestion.round}", by=by)


@transaction.atomic
def suggestion_record(
    *,
    title: str,
    content: str,
    source: str,
    raised_on: dt.date,
    figure: Figure | None = None,
    raised_by: str = "",
    talk: Talk | None = None,
    contact: Contact | None = None,
    by: User,
) -> Suggestion:
    """The office records a suggestion; it waits to be assigned (a deadline)."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以登记意见建议。"))
    if figure is None and not raised_by.strip():
        raise ValidationError({"figure": _("请选择提出人，或填写未登记的提出人。")})
    if raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("提出日期不能晚于今天。")})
    recent = Suggestion.objects.filter(
        title=title,
        content=content,
        recorded_by=by,
        recorded_at__gte=repeat_since(),
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    suggestion = Suggestion(
        title=title,
        content=content,
        source=source,
        raised_on=raised_on,
        figure=figure,
        raised_by=raised_by.strip(),
        talk=talk,
        contact=contact,
        recorded_by=by,
    )
    suggestion.full_clean()
    _stamp(suggestion, by)
    suggestion.save()
    _open(suggestion, rules.SUGGESTION_ASSIGN, "assign")
    # The deadline needs the suggestion's id: link it without a second history row.
    suggestion.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]
    logger.info("suggestions: %s recorded %s", by.username, suggestion.pk)
    return suggestion


@transaction.atomic
def suggestion_assign(
    *, suggestion: Suggestion, lead_unit: Unit, co_units: Iterable[Unit] = (), by: User
) -> Suggestion:
    """The office gives the suggestion to a lead unit (and co-units) with an answer
    deadline; a new round begins."""
    suggestion = _locked(suggestion)
    fields = SUGGESTION_WORKFLOW.apply(suggestion, "assign", by=by)
    co = [unit for unit in co_units if unit.pk != lead_unit.pk]
    _meet(suggestion, rules.SUGGESTION_ASSIGN, "assign", by)
    suggestion.round += 1
    suggestion.lead_unit = lead_unit
    suggestion.assigned_on = timezone.localdate()
    _open(suggestion, rules.SUGGESTION_ANSWER, "answer", unit=lead_unit)
    _stamp(suggestion, by, _("交办：%(unit)s") % {"unit": lead_unit.name})
    suggestion.save(update_fields=[*fields, "round", "lead_unit", "assigned_on", "deadline"])
    suggestion.co_units.set(co)
    return suggestion


@transaction.atomic
def suggestion_send_back(*, suggestion: Suggestion, reason: str, by: User) -> Suggestion:
    """The lead unit says the suggestion is not theirs, within the window, with a
    reason; the office must assign it again."""
    suggestion = _locked(suggestion)
    fields = SUGGESTION_WORKFLOW.apply(suggestion, "send_back", by=by)
    suggestion.send_back_reason = required(reason, "reason", _("请填写退回理由。"))
    _meet(suggestion, rules.SUGGESTION_ANSWER, "answer", by)
    _open(suggestion, rules.SUGGESTION_ASSIGN, "assign")
    _stamp(suggestion, by, _("退回：%(reason)s") % {"reason": suggestion.send_back_reason})
    suggestion.save(update_fields=[*fields, "send_back_reason", "deadline"])
    return suggestion


@transaction.atomic
def suggestion_answer(*, suggestion: Suggestion, answer: str, by: User) -> Suggestion:
    """The lead unit's written answer; the office reviews it next."""
    suggestion = _locked(suggestion)
    fields = SUGGESTION_WORKFLOW.apply(suggestion, "answer", by=by)
    suggestion.answer = required(answer, "answer", _("请填写办理答复。"))
    suggestion.answered_on = timezone.localdate()
    _meet(suggestion, rules.SUGGESTION_ANSWER, "answer", by)
    _open(suggestion, rules.SUGGESTION_REVIEW, "review")
    _stamp(suggestion, by, _("答复"))
    suggestion.save(update_fields=[*fields, "answer", "answered_on", "deadline"])
    return suggestion


@transaction.atomic
def suggestion_review(
    *, suggestion: Suggestion, approve: bool, comment: str = "", by: User
) -> Suggestion:
    """The office accepts the answer (then feeds it back) or returns it for a better
    one (a new round for the same unit, with a comment)."""
    suggestion = _locked(suggestion)
    name = "approve" if approve else "return_answer"
    fields = SUGGESTION_WORKFLOW.apply(suggestion, name, by=by)
    _meet(suggestion, rules.SUGGESTION_REVIEW, "review", by)
    if approve:
        suggestion.review_comment = comment.strip()
        _open(suggestion, rules.SUGGESTION_FEEDBACK, "feedback")
    else:
        suggestion.review_comment = required(comment, "comment", _("请填写退回意见。"))
        suggestion.round += 1
        suggestion.assigned_on = timezone.localdate()
        _open(suggestion, rules.SUGGESTION_ANSWER, "answer", unit=suggestion.lead_unit)
    _stamp(suggestion, by, suggestion.review_comment)
    suggestion.save(update_fields=[*fields, "review_comment", "round", "assigned_on", "deadline"])
    return suggestion


@transaction.atomic
def suggestion_feed_back(
    *,
    suggestion: Suggestion,
    feedback_on: dt.date,
    means: str,
    feedback_by: str,
    satisfaction: str,
    note: str = "",
    by: User,
) -> Suggestion:
    """The office tells the figure what was done and records their satisfaction."""
    suggestion = _locked(suggestion)
    fields = SUGGESTION_WORKFLOW.apply(suggestion, "feed_back", by=by)
    if feedback_on > timezone.localdate():
        raise ValidationError({"feedback_on": _("反馈日期不能晚于今天。")})
    if suggestion.answered_on and feedback_on < suggestion.answered_on:
        raise ValidationError({"feedback_on": _("反馈日期不能早于答复日期。")})
    suggestion.feedback_on = feedback_on
    suggestion.feedback_means = means
    suggestion.feedback_by = required(feedback_by, "feedback_by", _("请填写反馈人。"))
    suggestion.satisfaction = satisfaction
    suggestion.feedback_note = note.strip()
    suggestion.full_clean()
    _meet(suggestion, rules.SUGGESTION_FEEDBACK, "feedback", by)
    suggestion.deadline = None
    _stamp(suggestion, by, suggestion.get_satisfaction_display())
    suggestion.save(
        update_fields=[
            *fields,
            "feedback_on",
            "feedback_means",
            "feedback_by",
            "satisfaction",
            "feedback_note",
            "deadline",
        ]
    )
    return suggestion


@transaction.atomic
def suggestion_reopen(*, suggestion: Suggestion, reason: str, by: User) -> Suggestion:
    """The figure was not satisfied: the same lead unit handles it again (a new round)."""
    suggestion = _locked(suggestion)
    fields = SUGGESTION_WORKFLOW.apply(suggestion, "reopen", by=by)
    reason = required(reason, "reason", _("请填写重新办理的理由。"))
    if suggestion.lead_unit is None:  # pragma: no cover - fed back means it was assigned
        raise Refused(_("尚未交办，不能重新办理。"))
    suggestion.round += 1
    suggestion.assigned_on = timezone.localdate()
    suggestion.review_comment = reason
    _open(suggestion, rules.SUGGESTION_ANSWER, "answer", unit=suggestion.lead_unit)
    _stamp(suggestion, by, _("重新办理：%(reason)s") % {"reason": reason})
    suggestion.save(update_fields=[*fields, "round", "assigned_on", "review_comment", "deadline"])
    return suggestion

"""The outreach app's deadline rules (`portal.deadlines.registry`): the pairs' and key
contacts' quotas, the suggestions' answer deadlines, the learning pushes. Each part
declares its rules in its own function below; `register_rules()` runs them all from
`ready()`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach.models import FriendshipPair
from portal.deadlines import periods
from portal.deadlines.models import Deadline
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_meet, deadline_open

# --- pairs ---
# Both quotas are period rules on a pair (the deadline's subject): the pair's contact in
# each academic year, and the leader's talk with a key contact in each calendar year.
# Each scan opens the running period's deadline for every pair in force (`sync`); a
# contact or a sent talk meets the period its own date falls in (`pair_contacted`), so a
# talk written up in September for one held in August meets last year's quota.
PAIR_CONTACT_QUOTA = "pair_contact_quota"
KEY_CONTACT_TALK_QUOTA = "key_contact_talk_quota"


def grace_days() -> int:
    """A pair formed this close to a period's end owes nothing for that period."""
    return int(getattr(settings, "OUTREACH_PAIR_GRACE_DAYS", 30))


def pair_period_due(period: str) -> dt.date:
    return periods.academic_year_by_key(period).end


def key_period_due(period: str) -> dt.date:
    return dt.date(int(period), 12, 31)


def _open_for_pairs(
    *,
    rule: str,
    period: str,
    start: dt.date,
    end: dt.date,
    pairs: QuerySet[FriendshipPair],
    today: dt.date,
) -> int:
    """Open `rule`'s deadline for `period` for each pair in `pairs` that has none; a pair
    already contacted in the period gets it met at once. Returns how many were opened."""
    from outreach.selectors.pairs import last_contacts

    content_type = ContentType.objects.get_for_model(FriendshipPair)
    have = Deadline.objects.filter(rule=rule, period=period, content_type=content_type)
    missing = list(
        pairs.exclude(pk__in=have.values("object_id")).select_related("leader__user", "figure")
    )
    talks_only = rule == KEY_CONTACT_TALK_QUOTA
    last = last_contacts(missing, start=start, end=end, talks_only=talks_only)
    opened = 0
    for pair in missing:
        due = min(end, pair.end_date or end)
        if (due - pair.start_date).days < grace_days():
            continue
        user = getattr(pair.leader, "user", None)
        deadline_open(
            rule=rule,
            subject=pair,
            period=period,
            due=due,
            title=str(pair),
            responsible_users=[user] if user is not None else [],
        )
        if last.get(pair.pk) is not None:
            deadline_meet(rule=rule, subject=pair, period=period)
        opened += 1
    return opened


def pair_quota_sync(today: dt.date) -> None:

    year = periods.academic_year_of(today)
    _open_for_pairs(
        rule=PAIR_CONTACT_QUOTA,
        period=year.key,
        start=year.start,
        end=year.end,
        pairs=FriendshipPair.objects.active_on(today).filter(figure__is_active=True),
        today=today,
    )


def key_quota_sync(today: dt.date) -> None:

    _open_for_pairs(
        rule=KEY_CONTACT_TALK_QUOTA,
        period=str(today.year),
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
        pairs=FriendshipPair.objects.active_on(today).filter(
            figure__is_active=True, figure__is_key_contact=True
        ),
        today=today,
    )


def pair_contacted(pair: Model, day: dt.date, *, talk: bool, is_key_contact: bool) -> None:
    """A contact (or a sent talk) of the pair on `day`: meet the period `day` falls in.
    System step, called by `outreach.services.pairs` inside its transaction."""
    deadline_meet(
        rule=PAIR_CONTACT_QUOTA,
        subject=pair,
        period=periods.academic_year_of(day).key,
    )
    if talk and is_key_contact:
        deadline_meet(rule=KEY_CONTACT_TALK_QUOTA, subject=pair, period=str(day.year))


def _pair_lines(deadline: Deadline) -> list[str]:
    return [gettext("结对：%(title)s") % {"title": deadline.title}] if deadline.title else []


def pair_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            code=PAIR_CONTACT_QUOTA,
            label=_("联系交友"),
            description=_(
                "每对结对的领导干部与党外人士每学年至少联系一次（谈心、走访、电话、邀请参加活动等）；"
                "学年结束前尚未联系时提醒。"
            ),
            offsets=(20, 10, 3),
            period_due=pair_period_due,
            period_label=periods.academic_year_label,
            sync=pair_quota_sync,
            extra_lines=_pair_lines,
        ),
        Rule(
            code=KEY_CONTACT_TALK_QUOTA,
            label=_("重点联系对象谈心谈话"),
            description=_(
                "领导小组成员每年至少与其联系的每位重点联系对象谈心谈话一次；年底前尚未谈话时提醒。"
            ),
            offsets=(20, 10, 3),
            period_due=key_period_due,
            period_label=periods.year_label,
            sync=key_quota_sync,
            extra_lines=_pair_lines,
        ),
    )


# --- suggestions ---
# Every step of a suggestion has a deadline of its own, on the suggestion (the subject),
# named by the step and the round ("answer-2"): the office assigns, the lead unit
# answers (or sends back), the office reviews, then feeds back. The next step's
# deadline opens when the last one is met (`outreach.services.suggestions`).
SUGGESTION_ASSIGN = "suggestion_assign"
SUGGESTION_ANSWER = "suggestion_answer"
SUGGESTION_REVIEW = "suggestion_review"
SUGGESTION_FEEDBACK = "suggestion_feedback"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def suggestion_rules() -> tuple[Rule, ...]:
    office = _("领导小组办公室")
    return (
        Rule(
            code=SUGGESTION_ASSIGN,
            label=_("意见建议交办"),
            description=_("收到党外人士意见建议（或被退回）后，办公室在规定工作日内交办。"),
            responsible_label=office,
            workdays=lambda: _setting("OUTREACH_SUGGESTION_ASSIGN_WORKDAYS", 3),
            offsets=(1, 0),
        ),
        Rule(
            code=SUGGESTION_ANSWER,
            label=_("意见建议办理答复"),
            description=_(
                "牵头单位在交办后规定工作日内书面答复；不属本单位职责的，在3个工作日内退回。"
            ),
            workdays=lambda: _setting("OUTREACH_SUGGESTION_ANSWER_WORKDAYS", 15),
        ),
        Rule(
            code=SUGGESTION_REVIEW,
            label=_("意见建议答复审核"),
            description=_("办公室在收到答复后规定工作日内审核。"),
            responsible_label=office,
            workdays=lambda: _setting("OUTREACH_SUGGESTION_REVIEW_WORKDAYS", 3),
            offsets=(1, 0),
        ),
        Rule(
            code=SUGGESTION_FEEDBACK,
            label=_("意见建议情况反馈"),
            description=_("答复审核通过后，办公室在规定工作日内向提出人反馈并了解满意度。"),
            responsible_label=office,
            workdays=lambda: _setting("OUTREACH_SUGGESTION_FEEDBACK_WORKDAYS", 5),
            offsets=(2, 0),
        ),
    )


# --- learning ---
# An online study push asks its readers to confirm by a date: one deadline per push,
# reminding those with a login who have not confirmed (`outreach.services.study`).
STUDY_CONFIRM = "study_confirm"


def study_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            code=STUDY_CONFIRM,
            label=_("学习确认"),
            description=_("线上推送的学习材料，学习对象在确认期限前确认已学。"),
            offsets=(2, 0),
            escalate=False,
            action_url=lambda deadline: reverse("study_detail", args=[deadline.object_id]),
        ),
    )


def register_rules() -> None:
    # --- pairs ---
    for rule in pair_rules():
        register(rule, replace=True)
    # --- suggestions ---
    for rule in suggestion_rules():
        register(rule, replace=True)
    # --- learning ---
    for rule in study_rules():
        register(rule, replace=True)

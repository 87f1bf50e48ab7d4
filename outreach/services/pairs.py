"""Writes of friendship pairs, contacts and heart-to-heart talks.

The office forms and ends pairs. A contact or a talk is recorded by its leader or by the
office on the leader's behalf; a contact counts at once, a talk once it is sent to the
office. Both meet the quotas' deadlines of the period their own date falls in
(`outreach.rules.pair_contacted`), inside the same transaction. Every service checks its
own permission and refuses with a Chinese message, changing nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outreach import rules
from outreach.documents import BRIEFING
from outreach.models import Briefing, Contact, Figure, FriendshipPair, Talk
from outreach.transitions.pairs import TALK_WORKFLOW
from portal.deadlines import periods
from portal.deadlines.models import Deadline
from portal.documents.models import Document
from portal.lib.errors import Forbidden, Refused
from portal.lib.repeats import repeat_since
from portal.models import Person, User
from portal.permissions import is_office

logger = logging.getLogger(__name__)


def _stamp(obj: Any, by: User) -> None:
    obj._history_user = by  # simple-history's hook


def _require_office(by: User, message: str) -> None:
    if not is_office(by):
        raise Forbidden(message)


# Pairs ---------------------------------------------------------------------------------


@transaction.atomic
def pair_create(
    *, leader: Person, figure: Figure, start_date: dt.date, note: str = "", by: User
) -> FriendshipPair:
    """Pair a Party leading cadre with a figure from `start_date`."""
    _require_office(by, _("只有办公室工作人员可以安排结对。"))
    Person.objects.select_for_update().filter(pk=leader.pk).first()  # one pair at a time
    if not figure.is_active:
        raise Refused(_("%(name)s 已不在册，不能结对。") % {"name": figure})
    pair = FriendshipPair(leader=leader, figure=figure, start_date=start_date, note=note)
    pair.full_clean()
    _stamp(pair, by)
    pair.save()
    logger.info("pairs: %s paired %s with figure %s", by.username, leader.pk, figure.pk)
    return pair


@transaction.atomic
def pair_end(
    *, pair: FriendshipPair, end_date: dt.date, reason: str = "", by: User
) -> FriendshipPair:
    """End a pair on `end_date` (inclusive). Its open quota deadlines for periods that
    begin after the end are waived: nothing is owed for them."""
    _require_office(by, _("只有办公室工作人员可以结束结对。"))
    pair = FriendshipPair.objects.select_for_update().get(pk=pair.pk)
    if pair.end_date is not None:
        raise Refused(_("该结对已于 %(day)s 结束。") % {"day": pair.end_date})
    pair.end_date = end_date
    if reason:
        pair.note = (f"{pair.note}；{reason}" if pair.note else reason)[:200]
    pair.full_clean()
    _stamp(pair, by)
    pair.save()
    _close_pair_deadlines(pair, end_date, by=by)
    logger.info("pairs: %s ended pair %s on %s", by.username, pair.pk, end_date)
    return pair


def _close_pair_deadlines(pair: FriendshipPair, end_date: dt.date, *, by: User) -> None:
    """The pair's open quota deadlines: due on the end date now, or waived when their
    period starts after it."""
    from portal.deadlines.services import deadline_open, deadline_waive

    open_ones = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(FriendshipPair),
        object_id=pair.pk,
        rule__in=[rules.PAIR_CONTACT_QUOTA, rules.KEY_CONTACT_TALK_QUOTA],
        state__in=[Deadline.State.OPEN, Deadline.State.OVERDUE],
    )
    for deadline in open_ones:
        start = (
            periods.academic_year_by_key(deadline.period).start
            if deadline.rule == rules.PAIR_CONTACT_QUOTA
            else dt.date(int(deadline.period), 1, 1)
        )
        if start > end_date or (end_date - pair.start_date).days < rules.grace_days():
            deadline_waive(deadline=deadline, by=by, reason=_("结对已结束。"))
        elif end_date < deadline.due:
            deadline_open(
                rule=deadline.rule,
                subject=pair,
                period=deadline.period,
                due=end_date,
                title=deadline.title,
                responsible_users=list(deadline.responsible_users.all()),
            )


# Contacts and talks ------------------------------------------------------------------


def _check_recorder(*, leader: Person, by: User) -> None:
    if is_office(by):
        return
    if getattr(by, "person_id", None) != leader.pk:
        raise Forbidden(_("只能记录本人的联系情况，或由办公室代为记录。"))


def _check_figures(figures: list[Figure], *, leader: Person, day: dt.date, by: User) -> None:
    if not figures:
        raise ValidationError({"figures": _("请选择至少一位联系对象。")})
    if is_office(by):
        return
    paired = set(
        FriendshipPair.objects.active_on(day)
        .filter(leader=leader, figure__in=figures)
        .values_list("figure_id", flat=True)
    )
    strangers = [f.person.name for f in figures if f.pk not in paired]
    if strangers:
        raise ValidationError(
            {
                "figures": _("%(names)s 在 %(day)s 不是您的结对联系对象，请联系办公室代为记录。")
                % {"names": "、".join(strangers), "day": day}
            }
        )


def _check_date(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天：请在联系之后再记录。")})


def _meet_quotas(leader: Person, figures: Iterable[Figure], day: dt.date, *, talk: bool) -> None:
    """Meet the quota deadlines of every pair of the leader with these figures that was
    in force on `day`."""
    pairs = (
        FriendshipPair.objects.active_on(day)
        .filter(leader=leader, figure__in=list(figures))
        .select_related("figure")
    )
    for pair in pairs:
        rules.pair_contacted(pair, day, talk=talk, is_key_contact=pair.figure.is_key_contact)


@transaction.atomic
def contact_record(
    *,
    leader: Person,
    figures: Iterable[Figure],
    kind: str,
    date: dt.date,
    summary: str,
    place: str = "",
    participants: str = "",
    by: User,
) -> Contact:
    """Record a contact; it meets the pairs' quota for the academic year of its date. A
    second identical submission within two minutes returns the first (a double click)."""
    figures = list(figures)
    _check_recorder(leader=leader, by=by)
    _check_date(date)
    _check_figures(figures, leader=leader, day=date, by=by)
    Person.objects.select_for_update().filter(pk=leader.pk).first()  # serialise the dedupe
    recent = Contact.objects.filter(
        leader=leader,
        kind=kind,
        date=date,
        summary=summary,
        recorded_by=by,
        recorded_at__gte=repeat_since(),
    ).first()
    if recent is not None and set(recent.figures.values_list("pk", flat=True)) == {
        f.pk for f in figures
    }:
        return recent
    contact = Contact(
        leader=leader,
        kind=kind,
        date=date,
        summary=summary,
        place=place,
        participants=participants,
        recorded_by=by,
    )
    contact.full_clean()
    _stamp(contact, by)
    contact.save()
    contact.figures.set(figures)
    _meet_quotas(leader, figures, date, talk=False)
    logger.info("pairs: %s recorded contact %s", by.username, contact.pk)
    return contact


def may_edit_contact(user: User, contact: Contact) -> bool:
    """The office, the contact's leader, or whoever recorded it."""
    if is_office(user):
        return True
    return (
        contact.leader_id == getattr(user, "person_id", None) or contact.recorded_by_id == user.pk
    )


@transaction.atomic
def contact_update(
    *, contact: Contact, place: str, participants: str, summary: str, by: User
) -> Contact:
    """Correct a contact's place, participants and summary (kept in its history)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not may_edit_contact(by, contact):
        raise Forbidden(_("只有联系领导本人、记录人或办公室可以修改联系记录。"))
    contact.place, contact.participants, contact.summary = place, participants, summary
    contact.full_clean()
    _stamp(contact, by)
    contact.save(update_fields=["place", "participants", "summary"])
    return contact


@transaction.atomic
def talk_save(
    *,
    talk: Talk | None,
    leader: Person,
    figures: Iterable[Figure],
    mode: str,
    date: dt.date,
    summary: str,
    raised: str = "",
    place: str = "",
    topic: str = "",
    by: User,
) -> Talk:
    """Write up a new talk (a draft) or change a draft."""
    figures = list(figures)
    _check_recorder(leader=leader, by=by)
    if talk is not None:
        talk = Talk.objects.select_for_update().get(pk=talk.pk)
        TALK_WORKFLOW.check(talk, "edit", by=by)
    else:
        Person.objects.select_for_update().filter(pk=leader.pk).first()
        recent = Talk.objects.filter(
            leader=leader,
            date=date,
            mode=mode,
            summary=summary,
            recorded_by=by,
            recorded_at__gte=repeat_since(),
        ).first()
        if recent is not None:
            return recent
        talk = Talk(recorded_by=by)
    _check_date(date)
    _check_figures(figures, leader=leader, day=date, by=by)
    talk.leader, talk.mode, talk.date = leader, mode, date
    talk.summary, talk.raised, talk.place, talk.topic = summary, raised, place, topic
    talk.full_clean()
    _stamp(talk, by)
    talk.save()
    talk.figures.set(figures)
    return talk


@transaction.atomic
def talk_send(*, talk: Talk, by: User, now: dt.datetime | None = None) -> Talk:
    """Send the talk to the office: it counts for the quotas from now on."""
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    fields = TALK_WORKFLOW.apply(talk, "send", by=by)
    talk.sent_at = now or timezone.now()
    _stamp(talk, by)
    talk.save(update_fields=[*fields, "sent_at"])
    _meet_quotas(talk.leader, talk.figures.all(), talk.date, talk=True)
    logger.info("pairs: %s sent talk %s", by.username, talk.pk)
    return talk


@transaction.atomic
def talk_read(*, talk: Talk, by: User, now: dt.datetime | None = None) -> Talk:
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    fields = TALK_WORKFLOW.apply(talk, "read", by=by)
    talk.read_at = now or timezone.now()
    _stamp(talk, by)
    talk.save(update_fields=[*fields, "read_at"])
    return talk


@transaction.atomic
def talk_brief(*, talk: Talk, briefing: bool, by: User) -> Talk:
    """Mark the talk for the office's briefing (工作简报), or take the mark off."""
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    TALK_WORKFLOW.check(talk, "brief" if briefing else "unbrief", by=by)
    talk.for_briefing = briefing
    _stamp(talk, by)
    talk.save(update_fields=["for_briefing"])
    return talk


# The briefing --------------------------------------------------------------------------


def briefing_talks(start: dt.date, end: dt.date) -> QuerySet[Talk]:
    """The talks the office marked for the briefing, held in [start, end], sent, and in
    no briefing yet."""
    return (
        Talk.objects.filter(for_briefing=True, date__gte=start, date__lte=end)
        .exclude(state=Talk.State.DRAFT)
        .filter(briefings__isnull=True)
        .select_related("leader")
        .order_by("date", "pk")
    )


@transaction.atomic
def briefing_submit(*, start: dt.date, end: dt.date, by: User) -> Briefing:
    """Compile the marked talks of the period into a briefing and send it for review
    and signature through the documents workflow."""
    from portal.documents.services import document_backed_submit

    if not is_office(by):
        raise Forbidden(_("只有办公室可以编发工作简报。"))
    if end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期。")})
    list(briefing_talks(start, end).select_for_update(of=("self",)))  # one at a time
    talks = list(briefing_talks(start, end))  # again: a briefing made meanwhile took some
    if not talks:
        raise Refused(_("这一期间没有待编入简报的谈心谈话：请先在谈话记录上“编入工作简报”。"))
    with translation.override(settings.LANGUAGE_CODE):  # an official title, in Chinese
        title = _("谈心谈话工作简报（%(start)s至%(end)s）") % {
            "start": f"{start:%Y年%-m月%-d日}",
            "end": f"{end:%Y年%-m月%-d日}",
        }
    briefing = Briefing(
        title=title,
        start=start,
        end=end,
        created_by=by,
    )
    briefing.full_clean()
    _stamp(briefing, by)
    briefing.save()
    briefing.talks.set(talks)
    title, body = briefing_text(briefing)
    document_backed_submit(
        record=briefing, kind=BRIEFING, by=by, title=title, body=body, cc=_("领导小组成员")
    )
    logger.info("pairs: %s compiled briefing %s of %s talks", by.username, briefing.pk, len(talks))
    return briefing


def briefing_text(briefing: Briefing) -> tuple[str, str]:
    """The briefing's title and body: what was talked about and what was raised, by
    leader and date; the figures are not named (a briefing circulates). In the portal's
    language (Chinese), whatever the compiling user's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _briefing_text(briefing)


def _briefing_text(briefing: Briefing) -> tuple[str, str]:
    talks = list(
        briefing.talks.select_related("leader").prefetch_related("figures").order_by("date", "pk")
    )
    people = sum(len(talk.figures.all()) for talk in talks)
    leaders = {talk.leader_id for talk in talks}
    lines = [
        _("一、基本情况"),
        _(
            "%(start)s至%(end)s，领导小组成员%(leaders)s人开展谈心谈话%(talks)s次，"
            "联系党外人士%(people)s人次。"
        )
        % {
            "start": f"{briefing.start:%Y年%-m月%-d日}",
            "end": f"{briefing.end:%Y年%-m月%-d日}",
            "leaders": len(leaders),
            "talks": len(talks),
            "people": people,
        },
        _("二、谈话情况"),
    ]
    for number, talk in enumerate(talks, start=1):
        lines.append(
            _("%(n)s.%(leader)s同志%(date)s%(mode)s%(topic)s：%(summary)s")
            % {
                "n": number,
                "leader": talk.leader.name,
                "date": f"{talk.date:%-m月%-d日}",
                "mode": talk.get_mode_display(),
                "topic": f"（{talk.topic}）" if talk.topic else "",
                "summary": talk.summary.strip(),
            }
        )
    raised = [talk.raised.strip() for talk in talks if talk.raised.strip()]
    if raised:
        lines.append(_("三、反映的意见建议"))
        lines += [f"{number}.{text}" for number, text in enumerate(raised, start=1)]
        lines.append(_("以上意见建议已由办公室登记，交有关单位办理并向提出人反馈。"))
    return briefing.title, "\n\n".join(str(line) for line in lines)  # a paragraph each


def briefing_compose(document: Document) -> tuple[str, str]:
    """The kind's `compose`: the text afresh from the talks on every submission."""
    return briefing_text(Briefing.objects.get(document=document))

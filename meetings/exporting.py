"""The meetings list, the topics (议题征集) and the follow-up items list (督办事项) as
registered exports
(`portal.exports`); each list view and its export build their rows with the same
`*_filter_for(user, params)`, the list's scope and filter."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import selectors
from meetings.filters import FollowUpFilter, MeetingFilter, TopicFilter
from meetings.models import Meeting
from portal import exports
from portal.registers import may_see_records

# Meetings ------------------------------------------------------------------------------


def meeting_filter_for(user: Any, params: QueryDict) -> MeetingFilter:
    """The meetings list's scope (`meetings_for_user`) under its filter (year, kind)."""
    return MeetingFilter(params, queryset=selectors.meetings_for_user(user))


def _minutes_state(meeting: Meeting) -> tuple[str, str]:
    try:
        document = meeting.minutes.document
    except ObjectDoesNotExist:
        document = None
    if document is not None:
        return document.get_state_display(), document.reference
    return (_("待报审") if meeting.held else _("未召开")), ""


def _meeting_rows(meetings: Any) -> Any:
    for meeting in meetings.order_by("-starts_at", "-pk").iterator(chunk_size=500):
        minutes, reference = _minutes_state(meeting)
        yield [
            timezone.localdate(meeting.starts_at),
            timezone.localtime(meeting.starts_at).strftime("%H:%M"),
            meeting.title,
            meeting.get_kind_display(),
            meeting.place,
            meeting.chair.name if meeting.chair else "",
            meeting.agenda_count,
            minutes,
            reference,
        ]


def _declare_meetings(user: Any) -> exports.Export:
    return exports.Export(
        name=_("会议"),
        title=_("会议"),
        columns=[
            (_("日期"), 12),
            (_("时间"), 8),
            (_("会议名称"), 40),
            (_("会议类型"), 16),
            (_("地点"), 20),
            (_("主持人"), 12),
            (_("议程数"), 8),
            (_("纪要"), 12),
            (_("纪要文号"), 18),
        ],
        rows=_meeting_rows,
    )


# Follow-up items -----------------------------------------------------------------------


def follow_up_filter_for(user: Any, params: QueryDict) -> FollowUpFilter:
    """The follow-up list's scope (`follow_ups_for_user`: a unit's own items for a
    commissioner) under its status filter."""
    return FollowUpFilter(
        params, queryset=selectors.follow_ups_for_user(user), today=timezone.localdate()
    )


def _follow_up_rows(items: Any) -> Any:
    for item in items.order_by("deadline__due", "pk").iterator(chunk_size=500):
        meeting = item.agenda_item.meeting
        yield [
            item.task,
            item.owner_unit.name,
            item.due,
            item.get_status_display(),
            _("是") if item.is_overdue else "",
            meeting.title,
            timezone.localdate(meeting.starts_at),
            exports.local_date(item.closed_at),
            item.closing_note,
        ]


def _declare_follow_ups(user: Any) -> exports.Export:
    return exports.Export(
        name=_("督办事项"),
        title=_("督办事项"),
        columns=[
            (_("督办内容"), 50),
            (_("责任单位"), 24),
            (_("办理期限"), 12),
            (_("办理状态"), 10),
            (_("已逾期"), 8),
            (_("来源会议"), 36),
            (_("会议日期"), 12),
            (_("办结日期"), 12),
            (_("办结意见"), 40),
        ],
        rows=_follow_up_rows,
    )


# Topics ----------------------------------------------------------------------------------


def topic_filter_for(user: Any, params: QueryDict) -> TopicFilter:
    """The topics list's scope (`topics_for_user`: a unit's own for its commissioner)
    under its status filter, newest first."""
    return TopicFilter(
        params, queryset=selectors.topics_for_user(user).order_by("-created_at", "-pk")
    )


def _topic_rows(topics: Any) -> Any:
    for topic in topics.iterator(chunk_size=500):
        agenda = getattr(topic, "agenda_item", None)  # scheduled on a meeting, if it is
        yield [
            topic.title,
            topic.description,
            topic.unit.name,
            topic.proposed_by.person.name if topic.proposed_by and topic.proposed_by.person else "",
            exports.local_date(topic.created_at),
            topic.get_status_display(),
            topic.reason,
            agenda.meeting.title if agenda else "",
            timezone.localdate(agenda.meeting.starts_at) if agenda else None,
        ]


def _declare_topics(user: Any) -> exports.Export:
    return exports.Export(
        name=_("议题征集"),
        title=_("议题"),
        columns=[
            (_("议题"), 36),
            (_("议题说明"), 50),
            (_("提出单位"), 24),
            (_("提出人"), 12),
            (_("提出时间"), 12),
            (_("办理状态"), 10),
            (_("研究意见"), 40),
            (_("列入会议"), 36),
            (_("会议日期"), 12),
        ],
        rows=_topic_rows,
    )


exports.register(
    "topics",
    url_name="topic_export",
    declare=_declare_topics,
    queryset=lambda user, params: topic_filter_for(user, params).qs,
    allowed=may_see_records,
)
exports.register(
    "meetings",
    url_name="meeting_export",
    declare=_declare_meetings,
    queryset=lambda user, params: meeting_filter_for(user, params).qs,
    allowed=may_see_records,
)
exports.register(
    "follow_ups",
    url_name="follow_up_export",
    declare=_declare_follow_ups,
    queryset=lambda user, params: follow_up_filter_for(user, params).qs,
    allowed=may_see_records,
)

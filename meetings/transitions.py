"""The meetings app's state transitions, declared once (`portal.lib.transitions`).

Services call `check`/`apply` on the locked row; the pages derive their buttons from
`available()`/`names()`; `tests/test_meetings_transitions.py` walks every transition ×
every state × every persona against the services.

- `MEETING_WORKFLOW` (on a `Meeting`): planned → held (recording the attendance holds
  it); editing the meeting and recording attendance stay open in both states.
- `MINUTES_WORKFLOW` (on a meeting's `Minutes`): the state is derived from the minutes'
  document (no column of its own): 未报审 (no document yet, or a draft), 退回修改, 审核中
  (in review, awaiting or past signature), 已印发. The agenda (add, move, delete items)
  and the minutes' text are changed, and the minutes submitted, only while they are
  未报审 or 退回修改; the documents workflow moves the minutes between the states.
- `TOPIC_WORKFLOW` (on a `Topic`): its status, and 已列入议程 once an agenda item was
  made of it. The office decides a topic until it is scheduled; only an accepted one
  goes onto an agenda.
- `FOLLOW_UP_WORKFLOW` (on a `FollowUpItem`): the owner unit (or the office) reports
  while it is open; the office closes it (办结), once.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models import FollowUpItem, Meeting, Minutes, Topic
from meetings.permissions import can_manage_meetings, can_update_follow_up
from portal.documents.models import Document
from portal.lib.transitions import Transition, Workflow

# Meetings -----------------------------------------------------------------------------------


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("未召开")
    HELD = "held", _("已召开")


def meeting_state(meeting: Meeting) -> str:
    return MeetingState.HELD if meeting.held else MeetingState.PLANNED


MEETING_WORKFLOW = Workflow(
    MeetingState,
    Transition(
        "edit",
        _("修改会议"),
        source={"planned", "held"},
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
        style="outline-secondary",
    ),
    Transition(
        "record_attendance",
        _("登记出席情况"),
        source={"planned", "held"},
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
        style="outline-primary",
    ),
    state=meeting_state,
)


# Minutes and the agenda -----------------------------------------------------------------------


class MinutesState(models.TextChoices):
    UNSUBMITTED = "unsubmitted", _("未报审")
    RETURNED = "returned", _("退回修改")
    IN_REVIEW = "in_review", _("审核中")
    ISSUED = "issued", _("已印发")


def minutes_state(minutes: Minutes) -> str:
    """The minutes' state, read from their document (load `document` with them)."""
    document = minutes.document
    if document is None or document.state == Document.State.DRAFT:
        return MinutesState.UNSUBMITTED
    if document.state == Document.State.RETURNED:
        return MinutesState.RETURNED
    if document.state == Document.State.ISSUED:
        return MinutesState.ISSUED
    return MinutesState.IN_REVIEW


EDITABLE = {"unsubmitted", "returned"}


def _office_step(name: str, label: Any, style: str = "outline-primary") -> Transition:
    return Transition(
        name,
        label,
        source=EDITABLE,
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
        style=style,
    )


MINUTES_WORKFLOW = Workflow(
    MinutesState,
    _office_step("agenda_add", _("添加议程")),
    _office_step("agenda_move", _("调整议程顺序"), "outline-secondary"),
    _office_step("agenda_delete", _("删除议程"), "outline-danger"),
    _office_step("write", _("编写纪要")),
    _office_step("submit", _("报审纪要"), "primary"),
    state=minutes_state,
)


# Topics ---------------------------------------------------------------------------------------


class TopicState(models.TextChoices):
    PROPOSED = "proposed", _("待研究")
    ACCEPTED = "accepted", _("已采纳")
    DEFERRED = "deferred", _("暂缓")
    DECLINED = "declined", _("不予采纳")
    SCHEDULED = "scheduled", _("已列入议程")


def topic_state(topic: Topic) -> str:
    """The topic's status, or 已列入议程 once an agenda item was made of it (load
    `agenda_item` with the topic to read it without a query)."""
    if hasattr(topic, "agenda_item"):
        return TopicState.SCHEDULED
    return str(topic.status)


TOPIC_WORKFLOW = Workflow(
    TopicState,
    Transition(
        "decide",
        _("研究意见"),
        source={"proposed", "accepted", "deferred", "declined"},
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
        style="outline-primary",
    ),
    Transition(
        "schedule",
        _("列入议程"),
        source={"accepted"},
        target="scheduled",
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
    ),
    state=topic_state,
)


# Follow-up items ------------------------------------------------------------------------------

OPEN = {
    FollowUpItem.Status.OPEN.value,
    FollowUpItem.Status.IN_PROGRESS.value,
    FollowUpItem.Status.REPORTED.value,
}

FOLLOW_UP_WORKFLOW = Workflow(
    FollowUpItem.Status,
    Transition(
        "report",
        _("报告落实情况"),
        source=OPEN,
        who=can_update_follow_up,
        refused=_("只有责任单位可以报告落实情况。"),
    ),
    Transition(
        "close",
        _("办结"),
        source=OPEN,
        target=FollowUpItem.Status.CLOSED,
        who=can_manage_meetings,
        refused=_("只有办公室工作人员可以进行此操作。"),
        style="success",
    ),
    state="status",
)

WORKFLOWS = {
    "meeting": MEETING_WORKFLOW,
    "minutes": MINUTES_WORKFLOW,
    "topic": TOPIC_WORKFLOW,
    "follow_up": FOLLOW_UP_WORKFLOW,
}

"""The meetings app's declared transitions (`meetings/transitions.py`) against its
services: every transition × every state × every persona. The service succeeds exactly
when the declaration allows the step, and a refused step changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from meetings import services
from meetings.models import AgendaItem, Attendance, FollowUpItem, Meeting, Minutes, Topic
from meetings.transitions import (
    FOLLOW_UP_WORKFLOW,
    MEETING_WORKFLOW,
    MINUTES_WORKFLOW,
    TOPIC_WORKFLOW,
    WORKFLOWS,
)
from portal.documents import services as documents
from portal.lib.errors import Refused
from portal.lib.transitions import Workflow
from tests.conftest import Org
from tests.meetings_helpers import at, decided, issue_minutes, make_meeting, make_members

pytestmark = pytest.mark.django_db

PERSONAS = (
    "office",
    "leader",
    "deputy",
    "in_charge",
    "member",
    "commissioner_a",
    "commissioner_b",
    "outsider",
)


class Rollback(Exception):
    """Undo a step that succeeded, so the next persona starts from the same state."""


@dataclass
class Case:
    obj: Callable[[], Any]  # the record the workflow is asked about, fresh
    snapshot: Callable[[], Any]  # everything the step may change
    steps: dict[str, Callable[[Any], object]]  # transition → the service, as `by`


# Builders: one record in the given state, and the services that take each transition. ------


def meeting_case(org: Org, state: str) -> Case:
    make_members(org)
    meeting = make_meeting(org)
    if state == "held":
        decided(org, meeting, [("议程", "决定。")])

    def snapshot() -> Any:
        row = Meeting.objects.values("place", "held").get(pk=meeting.pk)
        return row, list(meeting.attendances.values_list("status", flat=True))

    rows = [
        services.AttendanceRow(person_id=a.person_id, status=Attendance.Status.OBSERVER)
        for a in meeting.attendances.all()
    ]
    return Case(
        obj=lambda: Meeting.objects.get(pk=meeting.pk),
        snapshot=snapshot,
        steps={
            "edit": lambda by: services.meeting_update(
                meeting=meeting, by=by, fields={"place": "新会议室"}
            ),
            "record_attendance": lambda by: services.attendance_record(
                meeting=meeting, by=by, rows=rows
            ),
        },
    )


def minutes_case(org: Org, state: str) -> Case:
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。"), ("议程二", "决定二。")])
    if state == "returned":
        document = services.minutes_submit(meeting=meeting, by=org.office)
        documents.document_return(document=document, by=org.in_charge, comment="请补充")
    elif state == "in_review":
        services.minutes_submit(meeting=meeting, by=org.office)
    elif state == "issued":
        issue_minutes(org, meeting)
    first, last = meeting.agenda_items.order_by("position")

    def snapshot() -> Any:
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .order_by("pk")
            .values_list("pk", "position", "title", "discussion", "decision")
        )
        minutes = Minutes.objects.select_related("document").get(meeting=meeting)
        document = minutes.document
        return items, minutes.opening, document and (document.state, document.body)

    return Case(
        obj=lambda: Minutes.objects.select_related("document").get(meeting=meeting),
        snapshot=snapshot,
        steps={
            "agenda_add": lambda by: services.agenda_item_create(
                meeting=meeting, by=by, title="新议程"
            ),
            "agenda_move": lambda by: services.agenda_item_move(item=first, by=by, offset=1),
            "agenda_delete": lambda by: services.agenda_item_delete(item=last, by=by),
            "write": lambda by: services.minutes_write(
                meeting=meeting, by=by, opening="会议研究了两项议程。", items={}
            ),
            "submit": lambda by: services.minutes_submit(meeting=meeting, by=by),
        },
    )


def topic_case(org: Org, state: str) -> Case:
    topic = services.topic_propose(by=org.commissioner_a, title="联谊会换届")
    if state in {"accepted", "scheduled"}:
        services.topic_decide(topic=topic, by=org.office, status="accepted", reason="")
    elif state in {"deferred", "declined"}:
        services.topic_decide(topic=topic, by=org.office, status=state, reason="下次研究")
    target = make_meeting(org, start=at(2026, 5, 8), title="第二次会议")
    if state == "scheduled":
        services.topic_schedule(topic=topic, meeting=make_meeting(org), by=org.office)

    def snapshot() -> Any:
        row = Topic.objects.values("status", "reason", "decided_by").get(pk=topic.pk)
        return row, AgendaItem.objects.filter(topic=topic).count()

    return Case(
        obj=lambda: Topic.objects.get(pk=topic.pk),
        snapshot=snapshot,
        steps={
            "decide": lambda by: services.topic_decide(
                topic=topic, by=by, status="declined", reason="不属于领导小组职责"
            ),
            "schedule": lambda by: services.topic_schedule(topic=topic, meeting=target, by=by),
        },
    )


def follow_up_case(org: Org, state: str) -> Case:
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程", "决定。")])
    item = services.follow_up_create(
        agenda_item=meeting.agenda_items.get(),
        by=org.office,
        task="完成信息更新",
        owner_unit=org.branch_a,
        due=dt.date(2026, 6, 30),
    )
    if state in {"in_progress", "reported"}:
        services.follow_up_update(item=item, by=org.office, text="进展", status=state)
    elif state == "closed":
        services.follow_up_close(item=item, by=org.office, note="核实")

    def snapshot() -> Any:
        row = FollowUpItem.objects.values("status", "closing_note", "closed_by").get(pk=item.pk)
        return row, item.updates.count()

    return Case(
        obj=lambda: FollowUpItem.objects.get(pk=item.pk),
        snapshot=snapshot,
        steps={
            "report": lambda by: services.follow_up_update(
                item=item, by=by, text="已完成", status="reported"
            ),
            "close": lambda by: services.follow_up_close(item=item, by=by, note="同意办结"),
        },
    )


BUILDERS: dict[str, Callable[[Org, str], Case]] = {
    "meeting": meeting_case,
    "minutes": minutes_case,
    "topic": topic_case,
    "follow_up": follow_up_case,
}

WALK = [
    pytest.param(key, transition.name, str(state), id=f"{key}-{transition.name}-{state}")
    for key, workflow in WORKFLOWS.items()
    for transition in workflow
    for state in workflow.states.values
]


@pytest.mark.parametrize(("key", "name", "state"), WALK)
def test_it_lets_the_service_take_a_step_exactly_when_the_declaration_allows(org, key, name, state):
    workflow: Workflow = WORKFLOWS[key]
    case = BUILDERS[key](org, state)
    assert workflow.state_of(case.obj()) == state
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        expected = workflow.can(case.obj(), name, user)
        before = case.snapshot()
        try:
            with transaction.atomic():
                case.steps[name](user)
                assert case.snapshot() != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert case.snapshot() == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    transition = workflow[name]
    if transition.starts_from(state):
        assert allowed, "nobody may take a step its state allows"
    else:
        assert allowed == []


def test_every_workflow_is_walked():
    assert set(BUILDERS) == set(WORKFLOWS)
    assert len(WALK) == sum(len(w.transitions) * len(w.states.values) for w in WORKFLOWS.values())


def test_the_office_alone_runs_meetings_and_the_owner_unit_reports(org):
    case = follow_up_case(org, "open")
    item = case.obj()
    reporters = {p for p in PERSONAS if FOLLOW_UP_WORKFLOW.can(item, "report", getattr(org, p))}
    closers = {p for p in PERSONAS if FOLLOW_UP_WORKFLOW.can(item, "close", getattr(org, p))}
    assert reporters == {"office", "commissioner_a"}
    assert closers == {"office"}
    topic = services.topic_propose(by=org.commissioner_b, title="议题")
    assert {p for p in PERSONAS if TOPIC_WORKFLOW.can(topic, "decide", getattr(org, p))} == {
        "office"
    }


# The drift the declaration fixes -----------------------------------------------------------


def test_it_refuses_to_move_an_agenda_item_after_the_minutes_are_issued(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。"), ("议程二", "决定二。")])
    issue_minutes(org, meeting)
    first = meeting.agenda_items.get(position=1)
    with pytest.raises(Refused, match="当前状态为“已印发”，不能调整议程顺序"):
        services.agenda_item_move(item=first, by=org.office, offset=1)
    first.refresh_from_db()
    assert first.position == 1
    minutes = Minutes.objects.select_related("document").get(meeting=meeting)
    assert MINUTES_WORKFLOW.names(minutes, org.office) == set()


def test_the_agenda_is_editable_again_when_the_minutes_are_returned(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。"), ("议程二", "决定二。")])
    document = services.minutes_submit(meeting=meeting, by=org.office)
    first = meeting.agenda_items.get(position=1)
    with pytest.raises(Refused, match="审核中"):
        services.agenda_item_move(item=first, by=org.office, offset=1)
    documents.document_return(document=document, by=org.in_charge, comment="顺序调整")
    services.agenda_item_move(item=first, by=org.office, offset=1)
    first.refresh_from_db()
    assert first.position == 2


def test_the_meeting_is_planned_until_its_attendance_is_recorded(org):
    make_members(org)
    meeting = make_meeting(org)
    assert MEETING_WORKFLOW.state_of(meeting) == "planned"
    decided(org, meeting, [("议程", "决定。")])
    meeting.refresh_from_db()
    assert MEETING_WORKFLOW.state_of(meeting) == "held"
    assert MEETING_WORKFLOW.names(meeting, org.office) == {"edit", "record_attendance"}
    assert MEETING_WORKFLOW.names(meeting, org.leader) == set()

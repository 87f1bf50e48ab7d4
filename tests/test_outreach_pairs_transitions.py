"""The heart-to-heart talk's declared transitions (`outreach/transitions/pairs.py`)
against its services: every transition × every state × every persona. The service
succeeds exactly when the declaration allows the step, and a refused step changes
nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from outreach.models import Figure, FriendshipPair, Talk
from outreach.services import pairs as services
from outreach.transitions.pairs import TALK_WORKFLOW
from portal.models import Person, PoliticalStatus
from tests.conftest import Org
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]

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


def talk_in(org: Org, state: str, *, briefed: bool) -> Talk:
    """A talk of the `leader` persona with their paired figure, in `state`."""
    today = timezone.localdate()
    Person.objects.filter(pk=org.leader.person_id).update(political_status=PoliticalStatus.CPC)
    figure = Figure.objects.create(
        person=PersonFactory(name="谈话对象", unit=org.branch_a, political_status="non_party"),
        category=Figure.Category.OTHER,
        registered_on=today,
    )
    FriendshipPair.objects.create(leader=org.leader.person, figure=figure, start_date=today)
    talk = services.talk_save(
        talk=None,
        leader=org.leader.person,
        figures=[figure],
        mode="one_to_one",
        date=today,
        summary="谈话情况",
        by=org.leader,
    )
    if state in {"sent", "read"}:
        services.talk_send(talk=talk, by=org.leader)
    if state == "read":
        services.talk_read(talk=talk, by=org.office)
    if briefed:
        services.talk_brief(talk=talk, briefing=True, by=org.office)
    return Talk.objects.get(pk=talk.pk)


def snapshot(talk: Talk) -> Any:
    return Talk.objects.values("state", "summary", "for_briefing", "sent_at", "read_at").get(
        pk=talk.pk
    )


STEPS: dict[str, Callable[[Talk, Any], object]] = {
    "edit": lambda talk, by: services.talk_save(
        talk=talk,
        leader=talk.leader,
        figures=list(talk.figures.all()),
        mode="daily",
        date=talk.date,
        summary="改过的谈话情况",
        by=by,
    ),
    "send": lambda talk, by: services.talk_send(talk=talk, by=by),
    "read": lambda talk, by: services.talk_read(talk=talk, by=by),
    "brief": lambda talk, by: services.talk_brief(talk=talk, briefing=True, by=by),
    "unbrief": lambda talk, by: services.talk_brief(talk=talk, briefing=False, by=by),
}

WALK = [
    pytest.param(transition.name, str(state), id=f"talk-{transition.name}-{state}")
    for transition in TALK_WORKFLOW
    for state in TALK_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), WALK)
def test_it_lets_the_service_take_a_step_exactly_when_the_declaration_allows(org, name, state):
    talk = talk_in(org, state, briefed=name == "unbrief" and state != "draft")
    assert TALK_WORKFLOW.state_of(talk) == state
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        fresh = Talk.objects.get(pk=talk.pk)
        expected = TALK_WORKFLOW.can(fresh, name, user)
        before = snapshot(talk)
        try:
            with transaction.atomic():
                STEPS[name](fresh, user)
                assert snapshot(talk) != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snapshot(talk) == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    if TALK_WORKFLOW[name].starts_from(state):
        assert allowed, "nobody may take a step its state allows"
    else:
        assert allowed == []


def test_the_leader_and_the_office_write_and_the_office_alone_reads(org):
    talk = talk_in(org, "draft", briefed=False)
    writers = {p for p in PERSONAS if TALK_WORKFLOW.can(talk, "send", getattr(org, p))}
    assert writers == {"office", "leader"}
    sent = talk_in(org, "sent", briefed=False)
    readers = {p for p in PERSONAS if TALK_WORKFLOW.can(sent, "read", getattr(org, p))}
    assert readers == {"office"}


def test_a_second_send_is_refused_in_chinese_and_changes_nothing(org):
    talk = talk_in(org, "sent", briefed=False)
    before = snapshot(talk)
    with pytest.raises(ValidationError, match="当前状态为“已报送办公室”，不能报送办公室"):
        services.talk_send(talk=talk, by=org.leader)
    assert snapshot(talk) == before

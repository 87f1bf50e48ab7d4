"""The suggestion's declared transitions (`outreach/transitions/suggestions.py`) against
its services: every transition × every state × every persona. The service succeeds
exactly when the declaration allows the step, and a refused step changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from outreach.models import Suggestion
from outreach.services import suggestions as services
from outreach.transitions.suggestions import SUGGESTION_WORKFLOW
from tests.conftest import Org

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


def suggestion_in(org: Org, state: str, *, satisfaction: str = "satisfied") -> Suggestion:
    """A suggestion in `state`, assigned (when it has been) to branch A."""
    office = org.office
    s = services.suggestion_record(
        title="建议",
        content="内容",
        source="direct",
        raised_on=timezone.localdate(),
        raised_by="民盟支部",
        by=office,
    )
    if state == "new":
        return s
    services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=office)
    if state == "sent_back":
        services.suggestion_send_back(suggestion=s, reason="不属本单位", by=org.commissioner_a)
    if state in {"answered", "approved", "fed_back"}:
        services.suggestion_answer(suggestion=s, answer="已办理", by=org.commissioner_a)
    if state in {"approved", "fed_back"}:
        services.suggestion_review(suggestion=s, approve=True, by=office)
    if state == "fed_back":
        services.suggestion_feed_back(
            suggestion=s,
            feedback_on=timezone.localdate(),
            means="phone",
            feedback_by="办公室",
            satisfaction=satisfaction,
            by=office,
        )
    return Suggestion.objects.get(pk=s.pk)


def snapshot(s: Suggestion) -> Any:
    return Suggestion.objects.values(
        "state", "round", "lead_unit", "answer", "review_comment", "satisfaction"
    ).get(pk=s.pk)


def steps(org: Org) -> dict[str, Callable[[Suggestion, Any], object]]:
    return {
        "assign": lambda s, by: services.suggestion_assign(
            suggestion=s, lead_unit=org.branch_b, by=by
        ),
        "send_back": lambda s, by: services.suggestion_send_back(
            suggestion=s, reason="不属本单位职责", by=by
        ),
        "answer": lambda s, by: services.suggestion_answer(suggestion=s, answer="答复", by=by),
        "approve": lambda s, by: services.suggestion_review(suggestion=s, approve=True, by=by),
        "return_answer": lambda s, by: services.suggestion_review(
            suggestion=s, approve=False, comment="请补充", by=by
        ),
        "feed_back": lambda s, by: services.suggestion_feed_back(
            suggestion=s,
            feedback_on=timezone.localdate(),
            means="in_person",
            feedback_by="办公室",
            satisfaction="satisfied",
            by=by,
        ),
        "reopen": lambda s, by: services.suggestion_reopen(
            suggestion=s, reason="提出人不满意", by=by
        ),
    }


WALK = [
    pytest.param(transition.name, str(state), id=f"suggestion-{transition.name}-{state}")
    for transition in SUGGESTION_WORKFLOW
    for state in SUGGESTION_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), WALK)
def test_it_lets_the_service_take_a_step_exactly_when_the_declaration_allows(org, name, state):
    satisfaction = "unsatisfied" if name == "reopen" else "satisfied"
    suggestion = suggestion_in(org, state, satisfaction=satisfaction)
    assert SUGGESTION_WORKFLOW.state_of(suggestion) == state
    step = steps(org)[name]
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        fresh = Suggestion.objects.get(pk=suggestion.pk)
        expected = SUGGESTION_WORKFLOW.can(fresh, name, user)
        before = snapshot(suggestion)
        try:
            with transaction.atomic():
                step(fresh, user)
                assert snapshot(suggestion) != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snapshot(suggestion) == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    if SUGGESTION_WORKFLOW[name].starts_from(state):
        assert allowed, "nobody may take a step its state allows"
    else:
        assert allowed == []


def test_the_office_runs_it_and_the_lead_unit_answers_or_sends_back(org):
    assigned = suggestion_in(org, "assigned")
    can = {
        name: {p for p in PERSONAS if SUGGESTION_WORKFLOW.can(assigned, name, getattr(org, p))}
        for name in ("answer", "send_back")
    }
    assert can == {"answer": {"office", "commissioner_a"}, "send_back": {"commissioner_a"}}

"""The consultation's declared transitions (`liaisons/transitions.py`) against its
services: every transition × every state × every persona. The service succeeds exactly
when the declaration allows the step, and a refused step changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from liaisons import services
from liaisons.models import Consultation
from liaisons.transitions import CONSULTATION_WORKFLOW
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


def consultation_in(org: Org, state: str) -> Consultation:
    """Branch A's consultation in `state`, filed by its commissioner."""
    c = services.consultation_file(
        unit=org.branch_a, kind="matter", title="事由", matter="说明", by=org.commissioner_a
    )
    if state in {"answered", "closed"}:
        services.consultation_answer(consultation=c, opinion="意见", by=org.office)
    if state == "closed":
        services.consultation_close(consultation=c, adoption="adopted", by=org.commissioner_a)
    if state == "withdrawn":
        services.consultation_withdraw(consultation=c, reason="取消", by=org.commissioner_a)
    return Consultation.objects.get(pk=c.pk)


def snapshot(c: Consultation) -> Any:
    return Consultation.objects.values("state", "opinion", "adoption").get(pk=c.pk)


STEPS: dict[str, Callable[[Consultation, Any], object]] = {
    "answer": lambda c, by: services.consultation_answer(consultation=c, opinion="答复", by=by),
    "withdraw": lambda c, by: services.consultation_withdraw(consultation=c, reason="撤回", by=by),
    "close": lambda c, by: services.consultation_close(
        consultation=c, adoption="partly", note="部分采纳", by=by
    ),
}

WALK = [
    pytest.param(transition.name, str(state), id=f"consultation-{transition.name}-{state}")
    for transition in CONSULTATION_WORKFLOW
    for state in CONSULTATION_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), WALK)
def test_it_lets_the_service_take_a_step_exactly_when_the_declaration_allows(org, name, state):
    consultation = consultation_in(org, state)
    assert CONSULTATION_WORKFLOW.state_of(consultation) == state
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        fresh = Consultation.objects.get(pk=consultation.pk)
        expected = CONSULTATION_WORKFLOW.can(fresh, name, user)
        before = snapshot(consultation)
        try:
            with transaction.atomic():
                STEPS[name](fresh, user)
                assert snapshot(consultation) != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snapshot(consultation) == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    if CONSULTATION_WORKFLOW[name].starts_from(state):
        assert allowed, "nobody may take a step its state allows"
    else:
        assert allowed == []


def test_the_office_answers_and_the_asking_unit_withdraws_or_closes(org):
    filed, answered = consultation_in(org, "filed"), consultation_in(org, "answered")

    def who(c: Consultation, name: str) -> set[str]:
        return {p for p in PERSONAS if CONSULTATION_WORKFLOW.can(c, name, getattr(org, p))}

    assert who(filed, "answer") == {"office"}
    assert who(filed, "withdraw") == {"office", "commissioner_a"}
    assert who(answered, "close") == {"office", "commissioner_a"}

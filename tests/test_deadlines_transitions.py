"""The deadline engine's declared transitions (portal/deadlines/transitions.py), walked
state × persona: each service succeeds exactly when the declaration allows the step
(from that state, for that user), raises Refused (state) or Forbidden (user) otherwise
and then changes no row; the page's buttons agree with the services."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from portal.deadlines.models import Deadline, ExtensionRequest, Notification
from portal.deadlines.services import (
    deadline_extend_decide,
    deadline_extend_request,
    deadline_waive,
)
from portal.deadlines.transitions import DEADLINE_WORKFLOW, EXTENSION_WORKFLOW
from portal.lib.errors import Forbidden, Refused
from tests.conftest import client_for
from tests.deadline_helpers import D, at, open_item

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
LEADERS = {"leader", "deputy", "in_charge"}

# Written out by hand, not read from the declaration: (states it starts from, personas).
# The deadline's responsible unit is branch A, so only its commissioner answers for it.
DEADLINE_STEPS = {
    "waive": ({"open", "overdue"}, {"office"}),
    "request_extension": ({"open"}, {"commissioner_a"}),
}
# The group leader and the leader in charge decide extensions; the deputies do not.
DECIDERS = {"leader", "in_charge"}
EXTENSION_STEPS = {
    "approve": ({"pending"}, DECIDERS),
    "refuse": ({"pending"}, DECIDERS),
}
BEFORE_DUE = at(2026, 9, 30, 10)


class _Undo(Exception):
    pass


def _snapshot() -> tuple[object, ...]:
    return (
        list(Deadline.objects.order_by("pk").values()),
        list(ExtensionRequest.objects.order_by("pk").values()),
        Deadline.history.count(),
        ExtensionRequest.history.count(),
        Notification.objects.count(),
    )


def _attempt(step) -> tuple[Exception | None, bool]:
    """Run `step` and undo it; (the error it raised, whether any row changed)."""
    before = _snapshot()
    error: Exception | None = None
    try:
        with transaction.atomic():
            try:
                step()
            except Refused as refused:
                error = refused
            changed = _snapshot() != before
            raise _Undo
    except _Undo:
        pass
    return error, changed


def test_it_declares_the_steps_the_tests_expect():
    for workflow, table in (
        (DEADLINE_WORKFLOW, DEADLINE_STEPS),
        (EXTENSION_WORKFLOW, EXTENSION_STEPS),
    ):
        assert set(workflow.transitions) == set(table)
        for name, (states, _personas) in table.items():
            assert {s for t, s in workflow.sources() if t.name == name} == states


def _deadline_in(org, state: str) -> Deadline:
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    Deadline.objects.filter(pk=deadline.pk).update(state=state)
    deadline.refresh_from_db()
    return deadline


def _run_deadline_step(name: str, deadline: Deadline, user) -> None:
    if name == "waive":
        deadline_waive(deadline=deadline, by=user, reason="上级通知取消")
    else:
        deadline_extend_request(
            deadline=deadline, by=user, requested_due=D(2026, 10, 23), reason="材料未齐"
        )


@time_machine.travel(BEFORE_DUE, tick=False)
@pytest.mark.parametrize("state", [str(s) for s in Deadline.State])
@pytest.mark.parametrize("name", sorted(DEADLINE_STEPS))
def test_it_lets_a_deadline_step_through_exactly_as_declared(org, name, state):
    deadline = _deadline_in(org, state)
    states, personas = DEADLINE_STEPS[name]
    for persona in PERSONAS:
        user = getattr(org, persona)
        allowed = state in states and persona in personas
        assert (name in DEADLINE_WORKFLOW.names(deadline, user)) == allowed, persona
        error, changed = _attempt(lambda user=user: _run_deadline_step(name, deadline, user))
        if allowed:
            assert (error, changed) == (None, True), persona
        else:
            assert error is not None and not changed, persona
            # The state is checked first; a user who may never take it is Forbidden (403).
            expected = Refused if state not in states else Forbidden
            assert type(error) is expected, persona


def _request_in(org, decision: str) -> ExtensionRequest:
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    request = deadline_extend_request(
        deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 23), reason="材料未齐"
    )
    ExtensionRequest.objects.filter(pk=request.pk).update(decision=decision)
    request.refresh_from_db()
    return request


@time_machine.travel(BEFORE_DUE, tick=False)
@pytest.mark.parametrize("decision", [str(s) for s in ExtensionRequest.Decision])
@pytest.mark.parametrize("name", sorted(EXTENSION_STEPS))
def test_it_lets_an_extension_decision_through_exactly_as_declared(org, name, decision):
    request = _request_in(org, decision)
    states, personas = EXTENSION_STEPS[name]
    for persona in PERSONAS:
        user = getattr(org, persona)
        allowed = decision in states and persona in personas
        assert (name in EXTENSION_WORKFLOW.names(request, user)) == allowed, persona
        error, changed = _attempt(
            lambda user=user: deadline_extend_decide(
                request=request, by=user, approve=name == "approve", note="意见"
            )
        )
        if allowed:
            assert (error, changed) == (None, True), persona
        else:
            assert error is not None and not changed, persona
            expected = Refused if decision not in states else Forbidden
            assert type(error) is expected, persona


@time_machine.travel(BEFORE_DUE, tick=False)
def test_it_refuses_an_extension_request_when_one_is_pending_or_the_date_has_passed(org):
    request = _request_in(org, "pending")
    deadline = request.deadline
    error, changed = _attempt(
        lambda: _run_deadline_step("request_extension", deadline, org.commissioner_a)
    )
    assert "已有一份延期申请在等待审批" in str(error) and not changed
    ExtensionRequest.objects.filter(pk=request.pk).update(decision="refused")
    with time_machine.travel(at(2026, 10, 10, 0, 0), tick=False):
        error, changed = _attempt(
            lambda: _run_deadline_step("request_extension", deadline, org.commissioner_a)
        )
    assert "期限已过" in str(error) and not changed


@time_machine.travel(BEFORE_DUE, tick=False)
def test_it_shows_the_buttons_the_user_may_take_now(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    url = deadline.get_absolute_url()

    def buttons(user) -> set[str]:
        page = client_for(user).get(url).content.decode()
        return {
            name for name in ("request_extension", "waive", "decide") if f'id="step-{name}"' in page
        }

    assert buttons(org.office) == {"waive"}
    assert buttons(org.commissioner_a) == {"request_extension"}
    assert buttons(org.leader) == set()
    deadline_extend_request(
        deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 23), reason="材料未齐"
    )
    assert buttons(org.commissioner_a) == set()  # one request at a time
    assert buttons(org.leader) == {"decide"}
    deadline_waive(deadline=deadline, by=org.office, reason="上级通知取消")
    assert buttons(org.office) == set()
    assert buttons(org.leader) == {"decide"}  # the request itself is still pending

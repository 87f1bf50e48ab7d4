"""portal.lib.transitions: the declared transitions that services, buttons and the
access matrix share."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from portal.lib.errors import Forbidden, Refused
from portal.lib.transitions import DECLARED, Transition, Workflow

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENT = "sent", "已报送"
    DONE = "done", "已办结"


def is_boss(user, obj) -> bool:
    return user.boss


FLOW = Workflow(
    State,
    Transition("send", "报送", source={"draft"}, target="sent"),
    Transition(
        "close",
        "办结",
        source={"sent"},
        target="done",
        who=is_boss,
        refused="只有领导可以办结。",
        blocked=lambda obj: "请先填写意见。" if not obj.opinion else None,
    ),
    Transition("edit", "修改", source={"draft", "sent"}),
)

boss = SimpleNamespace(is_authenticated=True, boss=True)
clerk = SimpleNamespace(is_authenticated=True, boss=False)
anon = SimpleNamespace(is_authenticated=False, boss=False)


def record(state: str, opinion: str = "同意") -> SimpleNamespace:
    return SimpleNamespace(state=state, opinion=opinion)


def test_it_applies_a_transition_and_returns_the_update_fields():
    obj = record("draft")
    assert FLOW.apply(obj, "send", by=clerk) == ["state"]
    assert obj.state == "sent"


def test_it_refuses_a_step_from_the_wrong_state_with_a_chinese_message():
    obj = record("done")
    with pytest.raises(Refused, match="当前状态为“已办结”，不能报送") as caught:
        FLOW.apply(obj, "send", by=clerk)
    assert not isinstance(caught.value, PermissionDenied)
    assert obj.state == "done"


def test_it_forbids_a_user_the_declaration_does_not_allow():
    obj = record("sent")
    with pytest.raises(Forbidden, match="只有领导可以办结") as caught:
        FLOW.apply(obj, "close", by=clerk)
    assert isinstance(caught.value, PermissionDenied)
    assert isinstance(caught.value, ValidationError)
    assert obj.state == "sent"


def test_it_refuses_an_anonymous_user_by_default():
    with pytest.raises(Forbidden, match="您不能报送"):
        FLOW.check(record("draft"), "send", by=anon)


def test_it_checks_the_records_own_guard_last():
    with pytest.raises(Refused, match="请先填写意见"):
        FLOW.check(record("sent", opinion=""), "close", by=boss)


def test_it_keeps_the_state_of_a_transition_without_target():
    obj = record("sent")
    assert FLOW.apply(obj, "edit", by=clerk) == []
    assert obj.state == "sent"


def test_it_offers_as_buttons_exactly_what_check_allows():
    assert [t.name for t in FLOW.available(record("sent"), boss)] == ["close", "edit"]
    assert FLOW.names(record("sent"), clerk) == {"edit"}
    assert FLOW.names(record("done"), boss) == set()


def test_it_lists_every_transition_with_each_source_state():
    assert list((t.name, s) for t, s in FLOW.sources()) == [
        ("send", "draft"),
        ("close", "sent"),
        ("edit", "draft"),
        ("edit", "sent"),
    ]


def test_it_refuses_a_declaration_with_an_unknown_state():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(State, Transition("x", "x", source={"nowhere"}, target="draft"))
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(State, Transition("x", "x", source={"draft"}), Transition("x", "y", source=()))


def test_it_keeps_every_declared_workflow_for_the_access_matrix():
    assert FLOW in DECLARED
    assert repr(FLOW) == "<Workflow of tests.test_lib_transitions.State>"

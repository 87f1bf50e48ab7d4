"""The publicity system's declared transitions (`liaisons/publicity/transitions.py`: a
piece's and a turn's) against their services: every transition × every state × every
persona. The service succeeds exactly when the declaration allows the step, and a
refused step changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liaisons.models import PublicityPiece, PublicitySlot
from liaisons.publicity import services
from liaisons.publicity.transitions import PIECE_WORKFLOW, SLOT_WORKFLOW
from portal.models import Role
from tests.conftest import Org, make_user

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
    "liaison",
    "publicity",  # the piece's author
    "other_member",  # another publicity member
)


class Rollback(Exception):
    """Undo a step that succeeded, so the next persona starts from the same state."""


@pytest.fixture
def users(org: Org) -> dict[str, Any]:
    found = {persona: getattr(org, persona, None) for persona in PERSONAS}
    found["other_member"] = make_user("publicity2", org.ufw_dept, Role.PUBLICITY)
    return found


def piece_in(org: Org, state: str) -> PublicityPiece:
    """A piece by the `publicity` member in `state`, through the services."""
    by = org.publicity
    piece = services.piece_create(
        title="先进事迹", text="正文", channel="wechat", author=by.person, by=by
    )
    if state != "draft":
        services.piece_submit(piece=piece, by=by)
    if state == "returned":
        services.piece_return(piece=piece, comments="请修改", by=org.office)
    if state in {"approved", "published"}:
        services.piece_approve(piece=piece, by=org.office)
    if state == "published":
        services.piece_publish(
            piece=piece, published_on=timezone.localdate(), link="https://example.com/", by=by
        )
    return PublicityPiece.objects.get(pk=piece.pk)


def snapshot(piece: PublicityPiece) -> Any:
    return PublicityPiece.objects.values("state", "title", "round", "published_on").get(pk=piece.pk)


STEPS: dict[str, Callable[[PublicityPiece, Any], object]] = {
    "edit": lambda p, by: services.piece_update(
        piece=p, title="改过的标题", text="正文", channel="wechat", by=by
    ),
    "submit": lambda p, by: services.piece_submit(piece=p, by=by),
    "approve": lambda p, by: services.piece_approve(piece=p, by=by),
    "return": lambda p, by: services.piece_return(piece=p, comments="请修改", by=by),
    "publish": lambda p, by: services.piece_publish(
        piece=p, published_on=timezone.localdate(), link="https://example.com/", by=by
    ),
}

WALK = [
    pytest.param(transition.name, str(state), id=f"piece-{transition.name}-{state}")
    for transition in PIECE_WORKFLOW
    for state in PIECE_WORKFLOW.states.values
]


def walk(workflow, record, fresh, step, snap, users) -> list[str]:
    allowed = []
    for persona in PERSONAS:
        user = users[persona]
        one = fresh()
        expected = workflow.can(one, step[0], user)
        before = snap(record)
        try:
            with transaction.atomic():
                step[1](one, user)
                assert snap(record) != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snap(record) == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {step[0]}"
        if took:
            allowed.append(persona)
    return allowed


@pytest.mark.parametrize(("name", "state"), WALK)
def test_a_piece_takes_a_step_exactly_when_the_declaration_allows(org, users, name, state):
    piece = piece_in(org, state)
    assert PIECE_WORKFLOW.state_of(piece) == state
    allowed = walk(
        PIECE_WORKFLOW,
        piece,
        lambda: PublicityPiece.objects.get(pk=piece.pk),
        (name, STEPS[name]),
        snapshot,
        users,
    )
    if not PIECE_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name in {"approve", "return"}:
        assert allowed == ["office"]
    else:
        assert allowed == ["office", "publicity"]


# --- a turn of the rotation: skip and swap ---


def slot_in(org: Org, state: str) -> PublicitySlot:
    """The first of the turns of a two-member rotation, in `state`."""
    today = timezone.localdate()
    other = make_user("rotation2", org.ufw_dept, None)
    for person in (org.publicity.person, other.person):
        services.member_add(person=person, start_date=today, by=org.office)
    services.rhythm_set(every_days=7, first_due=today + dt.timedelta(days=1), by=org.office)
    slot = PublicitySlot.objects.order_by("due_on").first()
    assert slot is not None
    if state == "skipped":
        services.slot_skip(slot=slot, reason="假期", by=org.office)
    if state == "done":
        piece = services.piece_create(
            title="轮值稿件",
            text="正文",
            channel="wechat",
            author=org.publicity.person,
            slot=slot,
            by=org.publicity,
        )
        services.piece_submit(piece=piece, by=org.publicity)
    return PublicitySlot.objects.get(pk=slot.pk)


def slot_snapshot(slot: PublicitySlot) -> Any:
    return PublicitySlot.objects.values("state", "member", "note").get(pk=slot.pk)


def _swap(slot: PublicitySlot, by: Any) -> object:
    other = PublicitySlot.objects.exclude(pk=slot.pk).order_by("due_on").first()
    assert other is not None
    return services.slot_swap(slot=slot, other=other, reason="出差", by=by)


SLOT_STEPS: dict[str, Callable[[PublicitySlot, Any], object]] = {
    "skip": lambda s, by: services.slot_skip(slot=s, reason="假期", by=by),
    "swap": _swap,
}

SLOT_WALK = [
    pytest.param(transition.name, str(state), id=f"slot-{transition.name}-{state}")
    for transition in SLOT_WORKFLOW
    for state in SLOT_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), SLOT_WALK)
def test_a_turn_takes_a_step_exactly_when_the_declaration_allows(org, users, name, state):
    slot = slot_in(org, state)
    assert SLOT_WORKFLOW.state_of(slot) == state
    allowed = walk(
        SLOT_WORKFLOW,
        slot,
        lambda: PublicitySlot.objects.get(pk=slot.pk),
        (name, SLOT_STEPS[name]),
        slot_snapshot,
        users,
    )
    assert allowed == (["office"] if SLOT_WORKFLOW[name].starts_from(state) else [])


def test_the_author_and_the_office_write_and_only_the_office_reviews(org, users):
    draft, submitted = piece_in(org, "draft"), piece_in(org, "submitted")

    def who(p: PublicityPiece, name: str) -> set[str]:
        return {x for x in PERSONAS if PIECE_WORKFLOW.can(p, name, users[x])}

    assert who(draft, "submit") == who(draft, "edit") == {"office", "publicity"}
    assert who(submitted, "approve") == who(submitted, "return") == {"office"}
    assert who(submitted, "edit") == set()

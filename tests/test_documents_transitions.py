"""The document workflow's declaration (`portal.documents.transitions.WORKFLOW`) and its
services agree: for a document in every state (an office notice and a unit's policy
document), every transition and every persona, the service succeeds exactly when
`WORKFLOW.can(...)` says so, and a refused step changes no row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from portal.documents import pdf as paper
from portal.documents import services
from portal.documents.models import Document, DocumentAttachment
from portal.documents.transitions import WORKFLOW, DocumentError, DocumentForbidden
from portal.models import User
from tests.conftest import Org
from tests.documents_helpers import draft, sample_file, snapshot

State = Document.State
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
CALLS: dict[str, Callable[[Document, User, Org], Any]] = {
    "update": lambda d, u, org: services.document_update(
        document=d, by=u, fields={"title": "改过的标题"}
    ),
    "attach": lambda d, u, org: services.document_attach(
        document=d, by=u, file=sample_file("名单.txt")
    ),
    "submit": lambda d, u, org: services.document_submit(document=d, by=u),
    "pass": lambda d, u, org: services.document_pass(document=d, by=u, comment="同意"),
    "return": lambda d, u, org: services.document_return(document=d, by=u, comment="请修改"),
    "delegate": lambda d, u, org: services.document_delegate(document=d, by=u, to=org.deputy),
    "revoke_delegation": lambda d, u, org: services.document_delegation_revoke(document=d, by=u),
    "sign": lambda d, u, org: services.document_sign(document=d, by=u),
    "issue": lambda d, u, org: services.document_issue(document=d, by=u),
    "acknowledge": lambda d, u, org: services.document_acknowledge(document=d, by=u),
    "revise": lambda d, u, org: services.document_revise(document=d, by=u),
}
_PDF: list[bytes] = []


@pytest.fixture(autouse=True)
def _one_pdf():
    """Issuing renders the PDF once for the module (WeasyPrint takes 0.2 s a page)."""
    render = paper.html_to_pdf

    def cached(html: str) -> bytes:
        if not _PDF:
            _PDF.append(render(html))
        return _PDF[0]

    with mock.patch.object(paper, "html_to_pdf", cached):
        yield


def in_state(org: Org, shape: str, state: str) -> Document:
    """An office notice (general; the office's draft skips review) or a unit's policy
    document (important: the group leader signs), in `state`, sent to branch A and
    the member."""
    office = shape == "office"
    drafter = org.office if office else org.commissioner_a
    signer = org.in_charge if office else org.leader
    member = org.member.person
    assert member is not None
    document = draft(
        org,
        kind="notice" if office else "policy",
        by=drafter,
        units=[org.branch_a],
        people=[member],
    )
    if state == State.DRAFT:
        return document
    services.document_submit(document=document, by=drafter)
    if state == State.IN_REVIEW:
        return document
    if state == State.RETURNED:
        reviewer = signer if office else org.office
        return services.document_return(document=document, by=reviewer, comment="请修改")
    if not office:
        services.document_pass(document=document, by=org.office)
    if state == State.AWAITING_SIGNATURE:
        if shape == "delegated":
            return services.document_delegate(document=document, by=org.leader, to=org.deputy)
        return document
    services.document_sign(document=document, by=signer)
    if state == State.SIGNED:
        return document
    return services.document_issue(document=document, by=org.office)


def rows(document: Document) -> tuple:
    return (
        snapshot(document),
        Document.objects.get(pk=document.pk).delegate_id,
        DocumentAttachment.objects.count(),
    )


SHAPES = [
    (shape, state)
    for shape in ("office", "unit")
    for state in State.values
    if not (shape == "office" and state == State.IN_REVIEW)  # the office reviewed it
] + [("delegated", State.AWAITING_SIGNATURE)]  # a unit's document the leader delegated


def test_it_has_a_service_for_every_declared_transition():
    assert set(CALLS) == set(WORKFLOW.transitions)
    states = {state for _transition, state in WORKFLOW.sources()}
    assert states == set(State.values)  # every state has a way on


@pytest.mark.parametrize(("shape", "state"), SHAPES)
def test_it_takes_a_step_exactly_when_the_workflow_allows_it(org, shape, state):
    document = in_state(org, shape, state)
    taken: set[tuple[str, str]] = set()
    for name, call in CALLS.items():
        for persona in PERSONAS:
            user = getattr(org, persona)
            current = Document.objects.get(pk=document.pk)
            allowed = WORKFLOW.can(current, name, user)
            before = rows(document)
            try:
                call(current, user, org)
            except DocumentError as error:
                assert not allowed, (name, persona, error.message)
                assert rows(document) == before, (name, persona)
                # 403 for a user who may never take it; a message for a state that does
                # not allow it now.
                step = WORKFLOW[name]
                refused_first = step.before is not None and step.before(current, user)
                forbidden = (
                    not refused_first and step.starts_from(state) and not step.who(user, current)
                )
                assert isinstance(error, DocumentForbidden) == forbidden, (name, persona)
                continue
            assert allowed, (name, persona)
            taken.add((name, persona))
            document = in_state(org, shape, state)  # a fresh one for the next persona
    # Who takes which step, by the rules (docs/domain): the drafters edit and submit,
    # the office reviews and issues, the signer signs (the group leader an important
    # document, the leader in charge a general one), the recipients sign for receipt.
    expected = {
        ("office", State.DRAFT): "attach:office submit:office update:office",
        ("office", State.RETURNED): "attach:office submit:office update:office",
        ("office", State.AWAITING_SIGNATURE): "return:in_charge return:office sign:in_charge",
        ("office", State.SIGNED): "issue:office",
        ("office", State.ISSUED): "acknowledge:commissioner_a acknowledge:member revise:office",
        ("unit", State.DRAFT): "attach:commissioner_a submit:commissioner_a update:commissioner_a",
        ("unit", State.IN_REVIEW): "attach:office pass:office return:office update:office",
        ("unit", State.RETURNED): (
            "attach:commissioner_a submit:commissioner_a update:commissioner_a"
        ),
        ("unit", State.AWAITING_SIGNATURE): (
            "delegate:leader return:leader return:office sign:leader"
        ),
        # The group leader keeps the power to sign (or return) what they delegated.
        ("delegated", State.AWAITING_SIGNATURE): (
            "delegate:leader return:deputy return:leader return:office"
            " revoke_delegation:leader sign:deputy sign:leader"
        ),
        ("unit", State.SIGNED): "issue:office",
        ("unit", State.ISSUED): "acknowledge:commissioner_a acknowledge:member revise:office",
    }
    assert {f"{name}:{persona}" for name, persona in taken} == set(expected[shape, state].split())

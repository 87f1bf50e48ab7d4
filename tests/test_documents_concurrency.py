"""Sign-off and numbering under concurrency, on PostgreSQL with real connections: each
thread has its own connection and transaction, as two web workers would.

Run by `make test-services` (the fast leg's SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from portal.documents import services
from portal.documents.models import Document, DocumentStep
from portal.documents.transitions import WORKFLOW, DocumentError
from tests.documents_helpers import awaiting, signed

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://… (services leg)"


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel threads released together; their results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the race: each signer holds its check for 0.3 s, so without the row lock
    both would pass it before either wrote."""
    original = WORKFLOW.check

    def slow(document, name, *, by):
        transition = original(document, name, by=by)
        if name == "sign":
            time.sleep(0.3)
        return transition

    monkeypatch.setattr(WORKFLOW, "check", slow)


@pytest.mark.usefixtures("slow_check")
def test_it_lets_two_leaders_signing_at_once_sign_once(org):
    document = awaiting(org, kind="policy")
    services.document_delegate(document=document, by=org.leader, to=org.deputy)
    results = at_once(
        lambda: services.document_sign(document=document, by=org.leader, opinion="组长同意"),
        lambda: services.document_sign(document=document, by=org.deputy, opinion="副组长同意"),
    )
    signed_ = [r for r in results if isinstance(r, Document)]
    refused = [r for r in results if isinstance(r, DocumentError)]
    assert len(signed_) == 1 and len(refused) == 1, results
    winner = signed_[0].signer
    assert refused[0].message == f"该文件已由{winner.display_name}签发，无需重复签发。"
    document.refresh_from_db()
    assert document.state == Document.State.SIGNED
    assert document.signer == winner
    assert DocumentStep.objects.filter(document=document, action="sign").count() == 1


@pytest.mark.usefixtures("slow_check")
def test_it_signs_once_on_a_double_click_in_two_requests(org):
    document = awaiting(org)
    results = at_once(
        lambda: services.document_sign(document=document, by=org.in_charge),
        lambda: services.document_sign(document=document, by=org.in_charge),
    )
    assert sorted(type(r).__name__ for r in results) == ["Document", "DocumentError"], results
    assert DocumentStep.objects.filter(document=document, action="sign").count() == 1


def test_it_numbers_documents_issued_in_parallel_without_gaps_or_duplicates(org):
    documents = [signed(org, title=f"并发印发的通知{n}") for n in range(5)]
    results = at_once(
        *(
            lambda document=document: services.document_issue(document=document, by=org.office)
            for document in documents
        )
    )
    assert all(isinstance(r, Document) for r in results), results
    numbers = sorted(
        Document.objects.filter(series__key="ufw-office").values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    references = set(Document.objects.values_list("reference", flat=True))
    assert len(references) == 5


def test_it_issues_once_when_two_clerks_issue_the_same_document(org):
    document = signed(org)
    results = at_once(
        lambda: services.document_issue(document=document, by=org.office),
        lambda: services.document_issue(document=document, by=org.office),
    )
    assert sorted(type(r).__name__ for r in results) == ["Document", "DocumentError"], results
    document.refresh_from_db()
    assert document.number == 1
    assert DocumentStep.objects.filter(document=document, action="issue").count() == 1

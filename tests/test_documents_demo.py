"""The demo data's documents: issued papers of both levels, a draft, documents waiting
for each signer; a second run adds nothing."""

from __future__ import annotations

import pytest

from portal.documents.models import Document, DocumentStep
from portal.documents.registry import Importance
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db

State = Document.State


def test_it_seeds_documents_in_every_stage_once():
    assert "演示公文：新增 5 份" in seed_demo()
    # The documents demo's own (the work points and the annual report are the groups and
    # reports demos': see test_work_points_demo).
    issued = Document.objects.filter(state=State.ISSUED, kind__in=["notice", "policy"])
    assert {d.importance for d in issued} == {Importance.GENERAL, Importance.IMPORTANT}
    for document in issued:
        assert document.pdf.read()[:5] == b"%PDF-"
        assert document.reference
        assert document.recipients.filter(acknowledged_at__isnull=False).exists()
        assert document.recipients.filter(acknowledged_at__isnull=True).exists()
    assert Document.objects.filter(state=State.DRAFT).count() == 1
    waiting = Document.objects.filter(state=State.AWAITING_SIGNATURE)
    assert {d.importance for d in waiting} == {Importance.GENERAL, Importance.IMPORTANT}

    counts = (Document.objects.count(), DocumentStep.objects.count(), Document.history.count())
    assert "演示公文：新增 0 份" in seed_demo()
    assert counts == (
        Document.objects.count(),
        DocumentStep.objects.count(),
        Document.history.count(),
    )


def test_with_the_demo_certificate_the_demo_documents_are_issued_signed(settings, tmp_path):
    """`make run` makes the demo certificate before seeding (Makefile `demo`), so the
    demo's issued documents carry a signature the verification page reports valid."""
    import io

    from django.core.management import call_command

    from portal.documents import pdf as paper

    settings.DEMO_SIGNING_P12 = tmp_path / "demo-signing.p12"
    settings.DEBUG = True
    call_command("demo_certificate", stdout=io.StringIO())
    settings.DEBUG = False
    settings.DOCUMENT_SIGNING_P12 = str(settings.DEMO_SIGNING_P12)
    settings.DOCUMENT_SIGNING_P12_PASSWORD = ""
    seed_demo()
    issued = Document.objects.filter(state=State.ISSUED)
    assert issued.count() >= 3
    for document in issued:
        check = paper.check_signature(document.pdf.read())
        assert document.pdf_signed, document
        assert (check.present, check.intact, check.trusted) == (True, True, True), document
        assert "演示证书" in check.signer, check.signer

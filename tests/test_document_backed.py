"""Records issued through a document (`portal.documents.models.DocumentBacked`): the work
points, the annual report and the minutes are submitted by one service
(`document_backed_submit`), see their state through their document, and are met by
one issued handler (`document_backed_issued`) at the document's issue time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models

from groups import services as groups_services
from groups.models import WorkPoints
from meetings import services as meetings_services
from meetings.models import Minutes
from portal.deadlines.models import Deadline
from portal.documents import services as documents
from portal.documents.models import Document, DocumentBacked
from portal.documents.registry import get_kind
from portal.documents.transitions import DocumentError, DocumentForbidden
from reports import services as reports_services
from reports.models import AnnualReport, AnnualReportSection
from tests.conftest import Org
from tests.groups_helpers import make_plan
from tests.meetings_helpers import decided, make_meeting, make_members

SHANGHAI = ZoneInfo("Asia/Shanghai")
State = Document.State


@dataclass
class Backed:
    """One kind of record: how the test builds it and how its app submits it."""

    kind: str
    model: type[DocumentBacked]
    signer: str  # the persona who signs (and may return) its document
    build: Callable[[Org], DocumentBacked]
    submit: Callable[[DocumentBacked, Org], Document]
    deadline: Callable[[DocumentBacked], Deadline]


def _plan(org: Org) -> WorkPoints:
    return make_plan(2026, [("思想引领", [("持续强化政治引领", org.ufw_dept, [])])])


def _report(org: Org) -> AnnualReport:
    report = reports_services.annual_report_create(year=2026, by=org.office)
    AnnualReportSection.objects.filter(report=report, position=1).update(
        body="一年来，学院统战工作稳步推进。"
    )
    return report


def _minutes(org: Org) -> Minutes:
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("研究年度工作要点", "原则通过2026年工作要点。")])
    return Minutes.objects.get(meeting=meeting)


KINDS = {
    "work_points": Backed(
        kind="work_points",
        model=WorkPoints,
        signer="leader",
        build=_plan,
        submit=lambda record, org: groups_services.work_points_submit(
            plan=record,
            by=org.office,
        ),
        deadline=lambda record: Deadline.objects.get(rule="work_points", period="2026"),
    ),
    "annual_report": Backed(
        kind="annual_report",
        model=AnnualReport,
        signer="leader",
        build=_report,
        submit=lambda record, org: reports_services.annual_report_submit(
            report=record,
            by=org.office,
        ),
        deadline=lambda record: Deadline.objects.get(rule="annual_report", period="2026"),
    ),
    "minutes": Backed(
        kind="minutes",
        model=Minutes,
        signer="in_charge",
        build=_minutes,
        submit=lambda record, org: meetings_services.minutes_submit(
            meeting=record.meeting,
            by=org.office,
        ),
        deadline=lambda record: Deadline.objects.get(
            rule="minutes_issue",
            object_id=record.meeting_id,
        ),
    ),
}


@pytest.fixture(params=list(KINDS))
def backed(request) -> Backed:
    return KINDS[request.param]


@pytest.fixture(autouse=True)
def _march():
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=SHANGHAI), tick=False):
        yield


def fresh(record: models.Model) -> DocumentBacked:
    fetched = type(record)._default_manager.select_related("document").get(pk=record.pk)
    assert isinstance(fetched, DocumentBacked)
    return fetched


def rows(record: models.Model) -> tuple:
    """What a refused submission must leave as it was."""
    document_id = fresh(record).document_id
    return (
        document_id,
        list(Document.objects.order_by("pk").values_list("pk", "state", "title", "body")),
        Document.history.count(),
        type(record)._default_manager.get(pk=record.pk).history.count(),
    )


def backed_submit(backed: Backed, record: DocumentBacked, by) -> Document:
    return documents.document_backed_submit(
        record=record, kind=backed.kind, by=by, title="标题", body="正文。"
    )


# The base ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document_state", "expected"),
    [
        (None, "drafting"),
        (State.DRAFT, "drafting"),
        (State.RETURNED, "drafting"),
        (State.IN_REVIEW, "in_review"),
        (State.AWAITING_SIGNATURE, "in_review"),
        (State.SIGNED, "in_review"),
        (State.ISSUED, "issued"),
    ],
)
@pytest.mark.parametrize("model", [WorkPoints, AnnualReport, Minutes])
def test_it_sees_the_records_state_through_its_document(model, document_state, expected):
    document = None if document_state is None else Document(state=document_state, reference="R1")
    record = model(document=document)
    assert record.state == expected
    assert record.get_state_display() == str(DocumentBacked.State(expected).label)
    assert record.is_editable == (expected == "drafting")
    assert record.is_issued == (expected == "issued")
    assert record.reference == ("R1" if expected == "issued" else "")


# Submitting ----------------------------------------------------------------------------


def test_it_creates_the_document_once_and_resubmits_it_after_a_return(org, backed):
    record = backed.build(org)
    assert fresh(record).document is None
    document = backed.submit(record, org)
    assert document.kind == backed.kind
    assert document.about == record
    assert document.state == State.AWAITING_SIGNATURE  # the office's draft skips review
    record = fresh(record)
    assert record.document == document
    assert record.state == DocumentBacked.State.IN_REVIEW
    assert not record.is_editable

    documents.document_return(document=document, by=getattr(org, backed.signer), comment="请修改")
    record = fresh(record)
    assert record.state == DocumentBacked.State.DRAFTING and record.is_editable

    again = backed.submit(record, org)
    assert again.pk == document.pk
    assert Document.objects.filter(kind=backed.kind).count() == 1
    assert fresh(record).document.state == State.AWAITING_SIGNATURE
    assert list(document.steps.values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
    ]


def test_it_submits_any_record_with_the_one_service(org, backed):
    record = backed.build(org)
    document = backed_submit(backed, record, org.office)
    assert record.document == document  # the caller's instance is linked too
    assert fresh(record).document_id == document.pk
    assert document.about == record
    assert document.state == State.AWAITING_SIGNATURE
    # The text is the record's (the kind's compose), not the first draft's placeholder.
    assert (document.title, document.body) == get_kind(backed.kind).compose(document)
    assert document.title != "标题"


def test_it_refuses_what_the_document_refuses_as_a_validation_error(org, backed):
    record = backed.build(org)
    backed_submit(backed, record, org.office)
    before = rows(record)
    with pytest.raises(ValidationError) as caught:
        backed_submit(backed, record, org.office)  # already awaiting signature
    assert isinstance(caught.value, DocumentError)
    assert caught.value.messages == ["文件处于“待签发”状态，不能报审。"]
    assert rows(record) == before


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("commissioner_a", "您不能起草"),  # drafts documents, but not this kind
        ("leader", "只有办公室工作人员和统战委员可以起草公文"),
        ("member", "只有办公室工作人员和统战委员可以起草公文"),
        ("outsider", "只有办公室工作人员和统战委员可以起草公文"),
    ],
)
def test_it_refuses_a_persona_who_may_not_submit_and_changes_nothing(org, backed, persona, message):
    record = backed.build(org)
    before = rows(record)
    with pytest.raises(DocumentForbidden) as caught:
        backed_submit(backed, record, getattr(org, persona))
    assert isinstance(caught.value, ValidationError)
    assert message in caught.value.message
    assert rows(record) == before
    assert not Document.objects.exists()


def test_it_refuses_another_drafter_a_returned_document_and_changes_nothing(org, backed):
    record = backed.build(org)
    document = backed_submit(backed, record, org.office)
    documents.document_return(document=document, by=getattr(org, backed.signer), comment="改")
    before = rows(record)
    with pytest.raises(DocumentForbidden, match="只有拟稿人可以报审"):
        backed_submit(backed, fresh(record), org.commissioner_a)
    assert rows(record) == before


# Issuing -------------------------------------------------------------------------------


def test_it_meets_the_records_deadline_at_the_issue_time(
    org, backed, django_capture_on_commit_callbacks
):
    record = backed.build(org)
    with django_capture_on_commit_callbacks(execute=True):
        document = backed.submit(record, org)
        documents.document_sign(document=document, by=getattr(org, backed.signer))
    issued_at = dt.datetime(2026, 3, 16, 9, 30, tzinfo=SHANGHAI)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        time_machine.travel(issued_at, tick=False),
    ):
        document = documents.document_issue(document=document, by=org.office)
    # The receiver runs later (a slow commit, a retry): the deadline is met when the
    # document was issued, not when the receiver ran.
    with time_machine.travel(issued_at + dt.timedelta(days=2), tick=False):
        for callback in callbacks:
            callback()
    deadline = backed.deadline(record)
    assert deadline.state == Deadline.State.MET
    assert deadline.closed_at == issued_at == document.issued_at
    assert fresh(record).state == DocumentBacked.State.ISSUED


def test_it_links_the_record_to_an_issued_correction(org, backed):
    record = backed.build(org)
    document = backed.submit(record, org)
    documents.document_sign(document=document, by=getattr(org, backed.signer))
    documents.document_issue(document=document, by=org.office)
    assert documents.document_backed_issued(document=document) == record
    revision = documents.document_revise(document=document, by=org.office)
    documents.document_submit(document=revision, by=org.office)
    documents.document_sign(document=revision, by=getattr(org, backed.signer))
    documents.document_issue(document=revision, by=org.office)
    assert fresh(record).document_id == document.pk  # the signal runs on commit
    documents.document_backed_issued(document=revision)
    assert fresh(record).document_id == revision.pk
    assert fresh(record).reference == revision.reference


def test_it_ignores_an_issued_document_about_no_record(org):
    from tests.documents_helpers import issued

    document = issued(org)
    assert documents.document_backed_issued(document=document) is None
    assert documents.document_backed_issued(document=Document(kind="notice")) is None

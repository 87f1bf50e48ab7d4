"""Official documents at scale, and the document pages to measure.

At scale 1: 1,500 documents over eight years, nine in ten issued (notices in the
office's series, policies in the leading group's), each sent to 5–30 units with most
receipts signed; the rest in every state of the workflow. A timeline of four to five
steps each. The bench office drafts the office's documents and the bench commissioner
their branch's; a third of the issued ones go to the commissioner's branch.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db.models import Count
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from portal.documents.models import Document, DocumentRecipient, DocumentSeries, DocumentStep
from portal.documents.registry import Importance
from portal.documents.services import CODE_ALPHABET, series_ensure
from portal.models import User

State = Document.State
Action = DocumentStep.Action
TOPICS = (
    "谈心谈话",
    "党外代表人士队伍建设",
    "统战信息报送",
    "民族团结进步创建",
    "党外知识分子建言献策",
    "统一战线理论学习",
    "同心实践基地建设",
    "统战工作督查",
)
FORMS = ("关于做好{}工作的通知", "关于开展{}的实施方案", "关于加强{}的意见", "关于{}情况的通报")
# The states of the tenth that is not issued, and the steps behind each.
IN_FLIGHT = (State.DRAFT, State.IN_REVIEW, State.RETURNED, State.AWAITING_SIGNATURE, State.SIGNED)
BODY = "\n\n".join(
    [
        "根据学院统一战线工作领导小组工作安排，现就有关事项通知如下。",
        "一、工作要求",
        "（一）明确对象。领导小组成员每年与重点联系的党外代表人士谈心谈话1次以上。",
        "（二）丰富形式。可采取一对一个别谈心，也可举行小范围集体谈心。",
        "二、报送材料",
        "请各党总支于6月30日前将有关情况报送领导小组办公室。",
    ]
)


def _code(used: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        if code not in used:
            used.add(code)
            return code


@seed_part(order=20)
def documents(ctx: SeedContext) -> None:
    rng = ctx.rng
    series_ensure()
    series = {s.key: s for s in DocumentSeries.objects.all()}
    office = User.objects.get(username="bench-office")
    commissioner = User.objects.get(username="bench-commissioner")
    leader = User.objects.get(username="bench-leader")
    assert office.person is not None and commissioner.person is not None
    unit_ids: list[int] = ctx.data["unit_ids"]
    branch_id = commissioner.person.unit_id
    numbers: dict[tuple[str, int], int] = {}
    codes: set[str] = set()
    start = dt.datetime(2019, 1, 7, 1, 0, tzinfo=dt.UTC)
    count = ctx.n(1500, minimum=20)
    rows = []
    for i in range(count):
        important = rng.random() < 0.25
        key = "ufw" if important else "ufw-office"
        by_office = rng.random() < 0.8
        drafter = office if by_office else commissioner
        created = start + dt.timedelta(days=i * 8 * 365 / count, hours=rng.randrange(8))
        # The older half all issued; among the newer, one in five still in the workflow.
        state = State.ISSUED if i < count // 2 or rng.random() < 0.8 else rng.choice(IN_FLIGHT)
        document = Document(
            kind="policy" if important else "notice",
            importance=Importance.IMPORTANT if important else Importance.GENERAL,
            title=rng.choice(FORMS).format(rng.choice(TOPICS)),
            addressee="各党总支，各部门",
            body=BODY,
            cc="学院党委",
            drafting_unit_id=drafter.person.unit_id,  # type: ignore[union-attr]
            drafter=drafter,
            by_office=by_office,
            state=state,
            created_at=created,
            submitted_at=None if state in {State.DRAFT} else created + dt.timedelta(hours=2),
        )
        if state in {State.SIGNED, State.ISSUED}:
            document.signer = leader
            document.signed_at = created + dt.timedelta(days=1)
            document.sign_opinion = "同意"
        if state == State.ISSUED:
            year = created.year
            numbers[key, year] = number = numbers.get((key, year), 0) + 1
            document.series = series[key]
            document.year, document.number = year, number
            document.reference = series[key].format_number(year, number)
            document.issued_at = created + dt.timedelta(days=2)
            document.issued_by = office
            document.verification_code = _code(codes)
            document.pdf_sha256 = secrets.token_hex(32)
        rows.append(document)
    rows = bulk_create_with_history(rows, Document, batch_size=500)

    steps, recipients = [], []
    for document in rows:
        at = document.created_at
        actions = [(Action.CREATE, document.drafter, State.DRAFT)]
        if document.state != State.DRAFT:
            actions.append((Action.SUBMIT, document.drafter, State.IN_REVIEW))
        if document.state == State.RETURNED:
            actions.append((Action.RETURN, office, State.RETURNED))
        if document.state in {State.AWAITING_SIGNATURE, State.SIGNED, State.ISSUED}:
            actions.append((Action.PASS, office, State.AWAITING_SIGNATURE))
        if document.state in {State.SIGNED, State.ISSUED}:
            actions.append((Action.SIGN, leader, State.SIGNED))
        if document.state == State.ISSUED:
            actions.append((Action.ISSUE, office, State.ISSUED))
        for n, (action, actor, after) in enumerate(actions):
            steps.append(
                DocumentStep(
                    document=document,
                    action=action,
                    actor=actor,
                    at=at + dt.timedelta(hours=n * 5),
                    note="同意" if action == Action.SIGN else "",
                    state_after=after,
                )
            )
        if document.state != State.ISSUED:
            continue
        sent_to = set(rng.sample(unit_ids, min(len(unit_ids), rng.randint(5, 30))))
        if rng.random() < 0.33:
            sent_to.add(branch_id)
        for unit_id in sorted(sent_to):
            signed = rng.random() < 0.7
            recipients.append(
                DocumentRecipient(
                    document=document,
                    unit_id=unit_id,
                    acknowledged_at=document.issued_at + dt.timedelta(days=1) if signed else None,
                    acknowledged_by=office if signed else None,
                )
            )
    DocumentStep.objects.bulk_create(steps, batch_size=1000)
    DocumentRecipient.objects.bulk_create(recipients, batch_size=1000)
    ctx.counts.update(documents=len(rows), document_recipients=len(recipients))


# The pages --------------------------------------------------------------------------


def _widest() -> int:
    """The issued document sent to the most units."""
    row = (
        Document.objects.issued()
        .annotate(n=Count("recipients"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    assert row is not None
    return row


def _code_of_widest() -> str:
    return Document.objects.get(pk=_widest()).verification_code


bench_page("document_list", kind="list", url=lambda: reverse("document_list"))
bench_page("document_list?tab=all", kind="list", url=lambda: reverse("document_list") + "?tab=all")
bench_page(
    "document_list?tab=issued&q=通知",
    kind="list",
    url=lambda: reverse("document_list") + "?tab=issued&q=通知",
)
bench_page(
    "document_list (leader)",
    kind="list",
    url=lambda: reverse("document_list") + "?tab=issued",
    persona="bench-leader",
)
bench_page(
    "document_list (commissioner)",
    kind="list",
    url=lambda: reverse("document_list") + "?tab=all",
    persona="bench-commissioner",
)
bench_page(
    "document_list (member)",
    kind="list",
    url=lambda: reverse("document_list") + "?tab=all",
    persona="bench-member",
)
bench_page(
    "document_detail (widest)",
    kind="detail",
    url=lambda: reverse("document_detail", args=[_widest()]),
)
bench_page(
    "document_history", kind="detail", url=lambda: reverse("document_history", args=[_widest()])
)
bench_page(
    "document_verify",
    kind="other",
    url=lambda: reverse("document_verify", args=[_code_of_widest()]),
)
bench_page("document_series_list", kind="other", url=lambda: reverse("document_series_list"))
bench_page("document_series_export", kind="other", url=lambda: reverse("document_series_export"))
bench_page(
    "document_export?tab=all", kind="other", url=lambda: reverse("document_export") + "?tab=all"
)

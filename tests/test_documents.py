"""The document workflow, through its services: both importance levels, every role,
delegation, return for revision, numbering, receipts, corrections and every refused
step (which must change nothing)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.documents import registry, services
from portal.documents.models import Document, DocumentSeries, DocumentStep, about_key
from portal.documents.registry import DocumentKind, Importance
from portal.documents.selectors import documents_about, documents_for_user
from portal.documents.signals import document_issued, document_state_changed
from portal.documents.transitions import DocumentError
from portal.todos import todos_for
from tests.documents_helpers import (
    awaiting,
    draft,
    issued,
    signed,
    signer_for,
    snapshot,
)

State = Document.State
SHANGHAI = ZoneInfo("Asia/Shanghai")


def actions(document: Document) -> list[str]:
    return list(document.steps.values_list("action", flat=True))


def refused(call, document: Document, message: str) -> None:
    """`call` raises a DocumentError whose message contains `message`; nothing changed."""
    before = snapshot(document)
    with pytest.raises(DocumentError) as caught:
        call()
    assert message in caught.value.message
    assert snapshot(document) == before


# The whole workflow ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "importance", "prefix"),
    [("notice", Importance.GENERAL, "X统办"), ("policy", Importance.IMPORTANT, "X统")],
)
def test_it_runs_an_office_document_from_draft_to_receipt(org, kind, importance, prefix):
    document = draft(org, kind=kind, units=[org.branch_a], people=[org.member.person])
    assert document.state == State.DRAFT
    assert document.importance == importance
    assert document.drafting_unit == org.ufw_dept
    assert document.by_office

    # The office's own draft has been reviewed by the office: it goes to the signer.
    services.document_submit(document=document, by=org.office)
    assert document.state == State.AWAITING_SIGNATURE
    assert document.submitted_at is not None

    signer = signer_for(org, kind)
    services.document_sign(document=document, by=signer, opinion="同意，请办公室印发。")
    assert document.state == State.SIGNED
    assert document.signer == signer
    assert document.sign_opinion == "同意，请办公室印发。"

    services.document_issue(document=document, by=org.office)
    year = dt.datetime.now(SHANGHAI).year
    assert document.state == State.ISSUED
    assert document.reference == f"{prefix}〔{year}〕1号"
    assert (document.series.key, document.year, document.number) == (
        registry.get_kind(kind).series,
        year,
        1,
    )
    assert len(document.verification_code) == 12
    assert document.pdf.read()[:5] == b"%PDF-"
    assert not document.pdf_signed  # no certificate configured

    services.document_acknowledge(document=document, by=org.commissioner_a)
    services.document_acknowledge(document=document, by=org.member)
    assert all(r.acknowledged_at for r in document.recipients.all())
    assert actions(document) == [
        "create",
        "submit",
        "sign",
        "issue",
        "acknowledge",
        "acknowledge",
    ]
    sign_step = document.steps.get(action="sign")
    assert (sign_step.actor, sign_step.note, sign_step.state_after) == (
        signer,
        "同意，请办公室印发。",
        State.SIGNED,
    )


def test_it_signs_with_the_default_opinion(org):
    document = services.document_sign(document=awaiting(org), by=org.in_charge, opinion="  ")
    assert document.sign_opinion == "同意"
    assert document.steps.get(action="sign").note == "同意"


def test_it_sends_a_units_draft_through_the_office_and_back_for_revision(org):
    document = draft(org, by=org.commissioner_a, title="机电工程学院党总支统战工作经验")
    assert document.drafting_unit == org.branch_a
    assert not document.by_office

    services.document_submit(document=document, by=org.commissioner_a)
    assert document.state == State.IN_REVIEW

    services.document_return(document=document, by=org.office, comment="请补充具体做法。")
    assert document.state == State.RETURNED
    assert document.steps.get(action="return").note == "请补充具体做法。"

    services.document_update(
        document=document, by=org.commissioner_a, fields={"body": "补充后的正文。"}
    )
    services.document_submit(document=document, by=org.commissioner_a)
    services.document_pass(document=document, by=org.office, comment="已核稿。")
    assert document.state == State.AWAITING_SIGNATURE

    # The signer may return it too, with comments.
    services.document_return(document=document, by=org.in_charge, comment="标题再斟酌。")
    assert document.state == State.RETURNED
    services.document_update(
        document=document, by=org.commissioner_a, fields={"title": "机电工程学院统战工作经验做法"}
    )
    services.document_submit(document=document, by=org.commissioner_a)
    services.document_pass(document=document, by=org.office)
    services.document_sign(document=document, by=org.in_charge)
    services.document_issue(document=document, by=org.office)
    assert document.state == State.ISSUED
    assert actions(document) == [
        "create",
        "submit",
        "return",
        "submit",
        "pass",
        "return",
        "submit",
        "pass",
        "sign",
        "issue",
    ]
    # Every version of the text is kept.
    bodies = set(document.history.values_list("body", flat=True))
    assert {"补充后的正文。"} <= bodies
    assert len(bodies) == 2
    titles = set(document.history.values_list("title", flat=True))
    assert titles == {"机电工程学院党总支统战工作经验", "机电工程学院统战工作经验做法"}


def test_it_lets_the_group_leader_delegate_one_important_document_to_a_deputy(org):
    document = awaiting(org, kind="policy")
    other = awaiting(org, kind="policy", title="另一份重要文件")
    refused(
        lambda: services.document_sign(document=document, by=org.deputy),
        document,
        "应由组长签发",
    )
    services.document_delegate(document=document, by=org.leader, to=org.deputy, note="出差期间")
    assert document.delegate == org.deputy
    step = document.steps.get(action="delegate")
    assert step.actor == org.leader
    assert "委托副组长deputy-人员签发" in step.note
    assert "出差期间" in step.note

    services.document_sign(document=document, by=org.deputy)
    assert document.signer == org.deputy
    # The delegation is for that one document only.
    refused(lambda: services.document_sign(document=other, by=org.deputy), other, "应由组长签发")


def test_it_refuses_delegation_outside_the_rule(org):
    general = awaiting(org, kind="notice")
    refused(
        lambda: services.document_delegate(document=general, by=org.leader, to=org.deputy),
        general,
        "一般文件由分管统战工作领导签发",
    )
    important = awaiting(org, kind="policy")
    for who in (org.deputy, org.in_charge, org.office, org.member):
        refused(
            lambda who=who: services.document_delegate(document=important, by=who, to=org.deputy),
            important,
            "只有组长可以委托",
        )
    for to in (org.in_charge, org.member, org.commissioner_a):
        refused(
            lambda to=to: services.document_delegate(document=important, by=org.leader, to=to),
            important,
            "只能委托副组长",
        )
    a_draft = draft(org, kind="policy")
    refused(
        lambda: services.document_delegate(document=a_draft, by=org.leader, to=org.deputy),
        a_draft,
        "只有待签发的文件",
    )


# Who may sign ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "may", "may_not"),
    [
        ("notice", ["in_charge"], ["leader", "deputy", "office", "member", "commissioner_a"]),
        ("policy", ["leader"], ["in_charge", "deputy", "office", "member", "commissioner_a"]),
    ],
)
def test_it_lets_only_the_rules_signer_sign(org, kind, may, may_not):
    document = awaiting(org, kind=kind)
    for persona in may_not:
        refused(
            lambda persona=persona: services.document_sign(
                document=document, by=getattr(org, persona)
            ),
            document,
            "您不能签发",
        )
    for persona in may:
        services.document_sign(document=document, by=getattr(org, persona))
    assert document.state == State.SIGNED


def test_it_signs_once_when_the_button_is_pressed_twice(org):
    document = awaiting(org)
    stale = Document.objects.get(pk=document.pk)  # the page the second click came from
    services.document_sign(document=document, by=org.in_charge)
    refused(
        lambda: services.document_sign(document=stale, by=org.in_charge),
        document,
        "该文件已由incharge-人员签发，无需重复签发",
    )
    assert document.steps.filter(action="sign").count() == 1


# Refused steps -----------------------------------------------------------------------


def test_it_refuses_to_sign_a_draft(org):
    document = draft(org)
    refused(
        lambda: services.document_sign(document=document, by=org.in_charge),
        document,
        "文件处于“起草中”状态，不能签发",
    )


def test_it_refuses_to_edit_an_issued_text(org):
    document = issued(org)
    for who in (org.office, org.in_charge, org.commissioner_a):
        refused(
            lambda who=who: services.document_update(
                document=document, by=who, fields={"body": "改过的正文"}
            ),
            document,
            "文件已印发，正文不能再修改",
        )


def test_it_refuses_to_edit_a_document_awaiting_signature(org):
    document = awaiting(org)
    refused(
        lambda: services.document_update(document=document, by=org.office, fields={"title": "x"}),
        document,
        "不能修改；如需修改，请先退回",
    )


def test_it_lets_the_reviewing_office_correct_a_units_draft(org):
    document = draft(org, by=org.commissioner_a)
    services.document_submit(document=document, by=org.commissioner_a)
    services.document_update(document=document, by=org.office, fields={"title": "改后的标题"})
    assert Document.objects.get(pk=document.pk).title == "改后的标题"
    refused(
        lambda: services.document_update(
            document=document, by=org.commissioner_a, fields={"title": "再改"}
        ),
        document,
        "不能修改",
    )


def test_it_refuses_edits_and_submission_by_others_than_the_drafters(org):
    unit_draft = draft(org, by=org.commissioner_a)
    for who in (org.commissioner_b, org.office, org.leader, org.member):
        refused(
            lambda who=who: services.document_update(
                document=unit_draft, by=who, fields={"title": "x"}
            ),
            unit_draft,
            "只有拟稿人可以修改草稿",
        )
        refused(
            lambda who=who: services.document_submit(document=unit_draft, by=who),
            unit_draft,
            "只有拟稿人可以报审",
        )


def test_it_lets_every_office_clerk_work_on_an_office_draft(org):
    from tests.conftest import make_user

    colleague = make_user("office2", org.ufw_dept, "office")
    document = draft(org)
    services.document_update(document=document, by=colleague, fields={"title": "同事改的"})
    services.document_submit(document=document, by=colleague)
    assert document.state == State.AWAITING_SIGNATURE


def test_it_refuses_review_steps_to_others_than_the_reviewers(org):
    document = draft(org, by=org.commissioner_a)
    services.document_submit(document=document, by=org.commissioner_a)
    for who in (org.commissioner_a, org.in_charge, org.leader, org.member):
        refused(
            lambda who=who: services.document_pass(document=document, by=who),
            document,
            "只有办公室可以审核",
        )
        refused(
            lambda who=who: services.document_return(document=document, by=who, comment="x"),
            document,
            "只有审核人或签发人可以退回",
        )
    refused(
        lambda: services.document_return(document=document, by=org.office, comment="  "),
        document,
        "请填写退回意见",
    )
    waiting = awaiting(org, kind="policy")
    for who in (org.in_charge, org.deputy, org.member, org.commissioner_a):
        refused(
            lambda who=who: services.document_return(document=waiting, by=who, comment="x"),
            waiting,
            "只有审核人或签发人可以退回",
        )
    refused(
        lambda: services.document_pass(document=waiting, by=org.office),
        waiting,
        "无需审核",
    )


def test_it_refuses_to_issue_what_is_not_signed_or_by_others_than_the_office(org):
    document = awaiting(org)
    refused(
        lambda: services.document_issue(document=document, by=org.office),
        document,
        "须经签发后才能印发",
    )
    services.document_sign(document=document, by=org.in_charge)
    for who in (org.in_charge, org.leader, org.member, org.commissioner_a):
        refused(
            lambda who=who: services.document_issue(document=document, by=who),
            document,
            "只有办公室可以印发",
        )
    services.document_issue(document=document, by=org.office)
    refused(
        lambda: services.document_issue(document=document, by=org.office),
        document,
        "已印发（X统办",
    )
    assert document.steps.filter(action="issue").count() == 1


def test_it_refuses_to_create_a_document_for_roles_that_do_not_draft(org):
    for who in (org.leader, org.in_charge, org.member, org.outsider):
        before = Document.objects.count()
        with pytest.raises(DocumentError, match="只有办公室工作人员和统战委员可以起草公文"):
            draft(org, by=who)
        assert Document.objects.count() == before
    with pytest.raises(DocumentError, match="未知的文种"):
        draft(org, kind="no-such-kind")
    with pytest.raises(DocumentError, match="标题"):
        draft(org, title="   ")
    assert Document.objects.count() == 0


def test_it_refuses_to_submit_an_empty_text(org):
    document = draft(org, body="正文")
    Document.objects.filter(pk=document.pk).update(body="\n\n")
    document.refresh_from_db()
    refused(
        lambda: services.document_submit(document=document, by=org.office),
        document,
        "标题和正文不能为空",
    )


# Receipts ----------------------------------------------------------------------------


def test_it_takes_receipts_from_the_unit_and_the_people_it_was_sent_to(org):
    document = issued(org, units=[org.school_a, org.branch_b], people=[org.member.person])
    # A commissioner signs for their branch and the school under it.
    receipts = services.document_acknowledge(document=document, by=org.commissioner_a)
    assert [r.unit for r in receipts] == [org.school_a]
    refused(
        lambda: services.document_acknowledge(document=document, by=org.commissioner_a),
        document,
        "您已签收，无需重复签收",
    )
    for who in (org.in_charge, org.outsider):
        refused(
            lambda who=who: services.document_acknowledge(document=document, by=who),
            document,
            "未分发给您或您的单位",
        )
    services.document_acknowledge(document=document, by=org.member)
    pending = [str(r) for r in document.recipients.filter(acknowledged_at__isnull=True)]
    assert pending == [org.branch_b.name]


def test_it_refuses_receipt_before_issue(org):
    document = signed(org, units=[org.branch_a])
    refused(
        lambda: services.document_acknowledge(document=document, by=org.commissioner_a),
        document,
        "尚未印发",
    )


def test_it_distributes_to_the_recipients_chosen_when_issuing(org):
    document = signed(org, units=[org.branch_a])
    services.document_issue(
        document=document, by=org.office, recipient_units=[org.branch_b], recipient_people=[]
    )
    assert [str(r) for r in document.recipients.all()] == [org.branch_b.name]


# Numbering ---------------------------------------------------------------------------


def test_it_numbers_each_series_by_year_without_gaps(org):
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        first = issued(org, kind="notice")
        second = issued(org, kind="notice")
        policy = issued(org, kind="policy")
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        next_year = issued(org, kind="notice")
    assert [first.reference, second.reference, policy.reference, next_year.reference] == [
        "X统办〔2026〕1号",
        "X统办〔2026〕2号",
        "X统〔2026〕1号",
        "X统办〔2027〕1号",
    ]


def test_it_uses_the_prefix_the_office_configured(org):
    series = DocumentSeries.objects.get(key="ufw-office")
    services.series_update(series=series, by=org.office, fields={"prefix": "桂商统办"})
    assert issued(org).reference.startswith("桂商统办〔")
    with pytest.raises(DocumentError, match="只有办公室"):
        services.series_update(series=series, by=org.leader, fields={"prefix": "改"})
    with pytest.raises(DocumentError):
        services.series_update(series=series, by=org.office, fields={"prefix": ""})
    assert DocumentSeries.objects.get(pk=series.pk).prefix == "桂商统办"


def test_it_creates_a_missing_series_from_the_registered_defaults(org):
    DocumentSeries.objects.filter(key="ufw").delete()
    document = issued(org, kind="policy")
    assert document.series.prefix == "X统"
    assert "统一战线工作领导小组文件" in document.series.header


# Corrections -------------------------------------------------------------------------


def test_it_corrects_an_issued_document_with_a_new_version(org):
    original = issued(org, units=[org.branch_a])
    before = snapshot(original)
    revision = services.document_revise(document=original, by=org.office)
    assert revision.state == State.DRAFT
    assert revision.supersedes == original
    assert (revision.title, revision.body, revision.kind) == (
        original.title,
        original.body,
        original.kind,
    )
    assert [r.unit for r in revision.recipients.all()] == [org.branch_a]
    assert snapshot(original)[:8] == before[:8]  # the issued one is untouched
    assert revision.steps.get().action == "revise"
    with pytest.raises(DocumentError, match="已有更正稿正在办理"):
        services.document_revise(document=original, by=org.office)
    services.document_update(document=revision, by=org.office, fields={"body": "更正后的正文。"})
    services.document_submit(document=revision, by=org.office)
    services.document_sign(document=revision, by=org.in_charge)
    services.document_issue(document=revision, by=org.office)
    assert revision.number == 2
    assert list(original.revisions.all()) == [revision]


def test_it_refuses_to_correct_a_draft_or_for_others_than_the_office(org):
    document = draft(org)
    refused(
        lambda: services.document_revise(document=document, by=org.office),
        document,
        "只有已印发的文件可以起草更正稿",
    )
    done = issued(org)
    for who in (org.in_charge, org.commissioner_a):
        refused(
            lambda who=who: services.document_revise(document=done, by=who),
            done,
            "只有办公室可以起草更正稿",
        )


# Who sees what -----------------------------------------------------------------------

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


def seers(org, document: Document) -> set[str]:
    return {p for p in PERSONAS if documents_for_user(getattr(org, p)).filter(pk=document.pk)}


def test_it_shows_a_draft_to_its_drafters_only(org):
    assert seers(org, draft(org)) == {"office"}
    unit_draft = draft(org, by=org.commissioner_a)
    assert seers(org, unit_draft) == {"commissioner_a"}
    # Returned for revision: its reviewer (the office) knows it; leaders still do not.
    services.document_submit(document=unit_draft, by=org.commissioner_a)
    assert seers(org, unit_draft) == {"commissioner_a", "office"}
    services.document_return(document=unit_draft, by=org.office, comment="改")
    assert seers(org, unit_draft) == {"commissioner_a", "office"}


def test_it_shows_a_document_awaiting_signature_to_its_signer(org):
    assert seers(org, awaiting(org, kind="notice")) == {"office", "in_charge"}
    important = awaiting(org, kind="policy")
    assert seers(org, important) == {"office", "leader"}
    services.document_delegate(document=important, by=org.leader, to=org.deputy)
    assert seers(org, important) == {"office", "leader", "deputy"}


def test_it_shows_an_issued_document_to_the_office_leaders_and_recipients(org):
    document = issued(org, units=[org.school_a], people=[org.member.person])
    assert seers(org, document) == {
        "office",
        "leader",
        "deputy",
        "in_charge",
        "member",
        "commissioner_a",
    }
    unsent = issued(org, title="未分发的文件")
    assert seers(org, unsent) == {"office", "leader", "deputy", "in_charge"}


def test_it_keeps_a_correction_in_draft_out_of_sight_of_the_originals_readers(org):
    original = issued(org, units=[org.branch_a])
    revision = services.document_revise(document=original, by=org.office)
    assert seers(org, revision) == {"office"}


# To-dos and signals ------------------------------------------------------------------


def titles(user) -> list[str]:
    return [todo.title for todo in todos_for(user) if "：" in todo.title]


def test_it_puts_the_next_step_on_the_right_to_do_list(org):
    draft(org, title="草稿不打扰任何人")
    awaiting(org, title="待签的通知")
    awaiting(org, kind="policy", title="待签的政策")
    signed(org, title="待印的通知")
    review = draft(org, by=org.commissioner_a, title="总支的报告")
    services.document_submit(document=review, by=org.commissioner_a)
    back = draft(org, by=org.commissioner_a, title="退回的报告")
    services.document_submit(document=back, by=org.commissioner_a)
    services.document_return(document=back, by=org.office, comment="改")
    issued(org, title="请签收的通知", units=[org.branch_a])

    assert sorted(titles(org.in_charge)) == ["待签发：待签的通知"]
    assert sorted(titles(org.leader)) == ["待签发：待签的政策"]
    assert sorted(titles(org.office)) == ["待印发：待印的通知", "待审核：总支的报告"]
    assert sorted(titles(org.commissioner_a)) == ["待签收：请签收的通知", "退回修改：退回的报告"]
    assert titles(org.commissioner_b) == []
    assert titles(org.member) == []
    assert titles(org.deputy) == []


def test_it_announces_each_step_after_commit(org, django_capture_on_commit_callbacks):
    changes, issues = [], []

    def on_change(sender, document, old_state, new_state, action, actor, **kwargs):
        changes.append((action, old_state, new_state, actor))

    def on_issue(sender, document, **kwargs):
        issues.append(document.reference)

    document_state_changed.connect(on_change)
    document_issued.connect(on_issue)
    try:
        document = draft(org)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            services.document_submit(document=document, by=org.office)
        assert changes == []  # nothing before the commit
        for callback in pending:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            services.document_sign(document=document, by=org.in_charge)
            services.document_issue(document=document, by=org.office)
    finally:
        document_state_changed.disconnect(on_change)
        document_issued.disconnect(on_issue)
    assert changes == [
        ("submit", "draft", "awaiting_signature", org.office),
        ("sign", "awaiting_signature", "signed", org.in_charge),
        ("issue", "signed", "issued", org.office),
    ]
    assert issues == [document.reference]


# The registry ------------------------------------------------------------------------


def test_it_lets_an_app_declare_what_it_issues(org):
    kind = DocumentKind(
        key="test-briefing",
        label="简报",
        importance=Importance.IMPORTANT,
        series="test-briefing",
    )
    registry.register(
        kind,
        series=registry.SeriesSpec(
            key="test-briefing",
            name="简报",
            prefix="X统简",
            header="统战工作简报",
            signing_unit="统战部",
            printed_by="统战部",
        ),
    )
    try:
        registry.register(kind)  # an app's ready() run twice
        with pytest.raises(registry.RegistryError):
            registry.register(DocumentKind("test-briefing", "别的", Importance.GENERAL, "x"))
        document = issued(org, kind="test-briefing")
        assert document.importance == Importance.IMPORTANT
        assert document.signer == org.leader
        assert document.reference.startswith("X统简〔")
        assert document.kind_label == "简报"
    finally:
        registry.unregister("test-briefing")


def test_it_links_a_document_to_the_record_it_is_about(org):
    document = services.document_create(
        kind="notice",
        title="关于某单位的通知",
        body="正文。",
        by=org.office,
        about=org.branch_a,
    )

    assert Document.objects.get(**about_key(org.branch_a)) == document
    assert document.about == org.branch_a
    assert list(documents_about(org.office, org.branch_a)) == [document]
    assert list(documents_about(org.leader, org.branch_a)) == []  # a draft: not theirs
    assert list(documents_about(org.office, org.branch_b)) == []


def test_it_keeps_the_timeline_in_order(org):
    document = issued(org)
    steps = list(DocumentStep.objects.filter(document=document))
    assert [s.at for s in steps] == sorted(s.at for s in steps)


def test_the_group_leader_revokes_a_delegation_before_it_is_used(org):
    from portal.deadlines.models import Delivery

    document = awaiting(org, kind="policy")
    services.document_delegate(document=document, by=org.leader, to=org.deputy)
    services.document_delegation_revoke(document=document, by=org.leader, note="已返校")
    assert document.delegate is None
    step = document.steps.order_by("-pk").first()
    assert step.action == DocumentStep.Action.REVOKE_DELEGATION
    assert step.actor == org.leader
    assert step.note == "撤销对副组长deputy-人员的委托，由组长签发。已返校"
    # The deputy is told, once, on every channel; their signature no longer counts.
    told = Delivery.objects.filter(recipient=org.deputy, key__startswith="documents.revoked/")
    assert told.count() >= 1
    assert "委托签发已撤销" in told.first().subject
    refused(
        lambda: services.document_sign(document=document, by=org.deputy), document, "应由组长签发"
    )
    refused(
        lambda: services.document_delegation_revoke(document=document, by=org.leader),
        document,
        "没有委托签发，无需撤销",
    )
    services.document_sign(document=document, by=org.leader)
    assert document.signer == org.leader


def test_a_used_delegation_cannot_be_revoked_and_only_the_group_leader_revokes(org):
    document = awaiting(org, kind="policy")
    services.document_delegate(document=document, by=org.leader, to=org.deputy)
    for who in (org.deputy, org.in_charge, org.office):
        refused(
            lambda who=who: services.document_delegation_revoke(document=document, by=who),
            document,
            "只有组长可以撤销委托签发",
        )
    services.document_sign(document=document, by=org.deputy)
    refused(
        lambda: services.document_delegation_revoke(document=document, by=org.leader),
        document,
        "委托不能再撤销",
    )
    assert document.signer == org.deputy

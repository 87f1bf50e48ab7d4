"""Supervision cases (督促检查, issue 12, 000 §三(六)): the office drafts a plan (scope,
units, items from the office's list or its own, working group, period); the group
leader approves it, or the deputy the leader delegated this case to (revocable until
used); findings per unit and item with evidence; the report due 20 working days after
the period ends (provisional where the year's holidays are not entered), issued through
the documents workflow and instructed (批示) by the leaders; a letter to each unit, each
seeing only its own; the notice of outstanding problems; problems assigned as
rectifications. The whole lifecycle runs across the 2026 National Day holiday."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from inspections import services as rectifications
from inspections import supervision_selectors as selectors
from inspections import supervision_services as services
from inspections.models import (
    CasePaper,
    Finding,
    InspectionItem,
    Instruction,
    Rectification,
    SupervisionCase,
)
from inspections.rules import SUPERVISION_REPORT
from portal.deadlines.models import Deadline, Delivery
from portal.documents import services as documents
from portal.documents.models import Document
from portal.forms import ScheduleLine
from portal.services import workday_year_set
from portal.todos import todos_for
from portal.unit_panels import items_for
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def planned(
    org: Org, *, title: str = "统战工作责任制落实情况专项督查", units=None
) -> SupervisionCase:
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.case_create(
            title=title,
            scope="检查各单位贯彻落实统战工作责任制情况。",
            units=units or [org.school_a, org.branch_b],
            items=InspectionItem.objects.filter(position__in=[2, 3]),
            local_items="校园统战宣传阵地建设",
            team_lead="统战部部长",
            team="统战部副部长、组织部干部",
            period_start=D(2026, 9, 14),
            period_end=D(2026, 9, 25),
            by=org.office,
        )


def approved(org: Org, **kwargs) -> SupervisionCase:
    case = planned(org, **kwargs)
    with time_machine.travel(at(2026, 9, 2, 10), tick=False):
        services.case_submit(case=case, by=org.office)
        return services.case_approve(case=case, note="同意，按方案开展。", by=org.leader)


def item(position: int) -> InspectionItem:
    return InspectionItem.objects.get(position=position)


def found(
    org: Org,
    case: SupervisionCase,
    unit=None,
    *,
    problem=True,
    outstanding=False,
    text="统战工作台账不全",
):
    with time_machine.travel(at(2026, 9, 18, 10), tick=False):
        return services.finding_add(
            case=case,
            unit=unit or org.school_a,
            item=item(3),
            text=text,
            is_problem=problem,
            is_outstanding=outstanding,
            evidence=SimpleUploadedFile("台账照片.pdf", PDF, content_type="application/pdf"),
            by=org.office,
        )


def issue(org: Org, paper: CasePaper, django_capture_on_commit_callbacks, signer) -> Document:
    """Submit, sign and issue a paper (the office's drafts go straight to the signer)."""
    with django_capture_on_commit_callbacks(execute=True):
        document = services.paper_submit(paper=paper, by=org.office)
        document = documents.document_sign(document=document, by=signer)
        return documents.document_issue(document=document, by=org.office)


# The list of items ------------------------------------------------------------------------


def test_the_office_keeps_the_list_of_items_in_the_admin(org):
    assert InspectionItem.objects.count() == 6
    response = client_for(org.office).get(reverse("admin:inspections_inspectionitem_changelist"))
    assert response.status_code == 200 and "统战工作责任制落实情况" in response.content.decode()


# The plan and its approval ------------------------------------------------------------------


def test_a_plan_needs_units_items_and_an_ordered_period_and_saves_nothing_otherwise(org):
    fields = dict(
        title="专项督查",
        scope="范围",
        units=[org.school_a],
        items=[item(1)],
        team_lead="甲",
        team="乙、丙",
        period_start=D(2026, 9, 14),
        period_end=D(2026, 9, 25),
        by=org.office,
    )
    with pytest.raises(ValidationError) as error:
        services.case_create(**{**fields, "units": []})
    assert "请选择被督查单位" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.case_create(**{**fields, "items": [], "local_items": "  "})
    assert "督查事项" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.case_create(**{**fields, "period_end": D(2026, 9, 1)})
    assert "督查结束日期不能早于开始日期" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.case_create(**{**fields, "by": org.commissioner_a})
    assert SupervisionCase.objects.count() == 0
    case = services.case_create(**{**fields, "items": [], "local_items": "自定事项"})
    assert case.local_item_lines() == ["自定事项"]


def test_the_same_plan_posted_twice_is_kept_once(org):
    first = planned(org)
    assert planned(org) == first
    assert SupervisionCase.objects.count() == 1


def test_approval_makes_the_report_due_twenty_working_days_after_the_period_across_national_day(
    org,
):
    case = approved(org)
    deadline = Deadline.objects.get(rule=SUPERVISION_REPORT, object_id=case.pk)
    # 25 Sep 2026 + 20 working days: 26–30 Sep (3), the holiday 1–8 Oct with 27 Sep and
    # 10 Oct worked, … → 29 Oct (as the admonition report, on the same calendar).
    assert deadline.due == D(2026, 10, 29)
    assert not deadline.due_provisional
    assert case.approved_by == org.leader and case.approval_note == "同意，按方案开展。"


def test_a_report_due_in_2027_is_provisional_until_the_office_enters_2027s_holidays(
    org, django_capture_on_commit_callbacks, eager_tasks
):
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        case = services.case_create(
            title="年末督查",
            scope="范围",
            units=[org.school_a],
            items=[item(1)],
            team_lead="甲",
            team="乙",
            period_start=D(2026, 12, 7),
            period_end=D(2026, 12, 18),
            by=org.office,
        )
        services.case_submit(case=case, by=org.office)
        services.case_approve(case=case, by=org.leader)
    deadline = Deadline.objects.get(rule=SUPERVISION_REPORT, object_id=case.pk)
    # 18 Dec 2026 + 20 working days on weekends only in 2027 (New Year's Day counted).
    assert (deadline.due, deadline.due_provisional) == (D(2027, 1, 15), True)
    page = client_for(org.office).get(case.get_absolute_url()).content.decode()
    assert "暂定" in page
    with (
        time_machine.travel(at(2026, 11, 21, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workday_year_set(
            by=org.office,
            year=2027,
            notice="国务院办公厅关于2027年部分节假日安排的通知",
            days=[ScheduleLine(D(2027, 1, 1), False, "元旦")],
        )
    deadline.refresh_from_db()
    assert (deadline.due, deadline.due_provisional) == (D(2027, 1, 18), False)


def test_the_group_leader_delegates_the_approval_and_may_revoke_it_until_used(org):
    case = planned(org)
    services.case_submit(case=case, by=org.office)
    with pytest.raises(PermissionDenied):  # only the group leader delegates
        services.case_delegate(case=case, to=org.deputy, by=org.deputy)
    with pytest.raises(ValidationError) as error:  # only to a deputy
        services.case_delegate(case=case, to=org.in_charge, by=org.leader)
    assert "只能委托副组长" in str(error.value)
    services.case_delegate(case=case, to=org.deputy, by=org.leader)
    assert Delivery.objects.filter(
        recipient=org.deputy, subject__contains="请批准督查方案"
    ).exists()
    assert [t.title for t in todos_for(org.deputy, D(2026, 9, 2))] == [
        "批准督查方案：统战工作责任制落实情况专项督查"
    ]
    services.case_revoke(case=case, by=org.leader)
    case.refresh_from_db()
    assert case.delegate is None
    assert Delivery.objects.filter(
        recipient=org.deputy, subject__contains="委托批准已撤销"
    ).exists()
    with pytest.raises(PermissionDenied):  # revoked: the deputy may no longer approve
        services.case_approve(case=case, by=org.deputy)
    services.case_delegate(case=case, to=org.deputy, by=org.leader)
    services.case_approve(case=case, by=org.deputy)
    case.refresh_from_db()
    assert case.state == "approved" and case.approved_by == org.deputy
    with pytest.raises(ValidationError):  # used: nothing to revoke any more
        services.case_revoke(case=case, by=org.leader)
    reasons = list(
        case.history.exclude(history_change_reason=None).values_list(
            "history_change_reason", flat=True
        )
    )
    assert any("委托副组长" in r for r in reasons) and any("撤销对副组长" in r for r in reasons)


def test_a_returned_plan_comes_back_as_a_draft_with_the_reason_and_the_delegation_ended(org):
    case = planned(org)
    services.case_submit(case=case, by=org.office)
    services.case_delegate(case=case, to=org.deputy, by=org.leader)
    with pytest.raises(ValidationError):
        services.case_return(case=case, reason=" ", by=org.deputy)
    services.case_return(case=case, reason="请补充工作组成员。", by=org.deputy)
    case.refresh_from_db()
    assert (
        case.state == "draft"
        and case.return_reason == "请补充工作组成员。"
        and case.delegate is None
    )
    assert not Deadline.objects.filter(rule=SUPERVISION_REPORT).exists()


# Findings ------------------------------------------------------------------------------


def test_findings_are_recorded_for_the_cases_units_and_items_only(org):
    case = approved(org)
    finding = found(org, case)
    assert finding.is_problem and finding.item_label == "统战工作责任制落实情况"
    with pytest.raises(ValidationError) as error:
        services.finding_add(case=case, unit=org.ufw_dept, item=item(3), text="x", by=org.office)
    assert "不在本次督查范围内" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.finding_add(case=case, unit=org.school_a, item=item(1), text="x", by=org.office)
    assert "不在本次督查方案中" in str(error.value)
    with pytest.raises(ValidationError):
        services.finding_add(case=case, unit=org.school_a, text="x", by=org.office)
    with pytest.raises(ValidationError) as error:  # both: which one did they mean?
        services.finding_add(
            case=case,
            unit=org.school_a,
            item=item(3),
            item_text="另一事项",
            text="x",
            by=org.office,
        )
    assert "不要同时填写" in str(error.value)
    assert found(org, case) == finding  # a double post
    assert Finding.objects.count() == 1
    local = services.finding_add(
        case=case,
        unit=org.branch_b,
        item_text="校园统战宣传阵地建设",
        text="阵地建设较好",
        by=org.office,
    )
    assert local.item_label == "校园统战宣传阵地建设" and not local.is_problem


def test_a_problem_becomes_a_rectification_once(org):
    case = approved(org)
    finding = found(org, case)
    with time_machine.travel(at(2026, 9, 28, 10), tick=False):
        rectification = services.finding_assign(
            finding=finding,
            title="健全统战工作台账",
            measures="补齐台账\n建立月报",
            due=D(2026, 11, 30),
            by=org.office,
        )
        again = services.finding_assign(
            finding=finding,
            title="健全统战工作台账",
            measures="补齐台账",
            due=D(2026, 11, 30),
            by=org.office,
        )
    assert again == rectification
    assert rectification.source == Rectification.Source.SUPERVISION
    assert rectification.unit == org.school_a and rectification.measures.count() == 2
    assert "统战工作责任制落实情况：统战工作台账不全" in rectification.problem
    assert Rectification.objects.count() == 1
    ok = found(org, case, problem=False, text="工作开展有序")
    with pytest.raises(ValidationError):
        services.finding_assign(
            finding=ok, title="x", measures="y", due=D(2026, 11, 30), by=org.office
        )


# Scope ---------------------------------------------------------------------------------


def test_a_unit_sees_an_approved_case_with_its_own_findings_only(org):
    draft = planned(org, title="未批准的督查")
    case = approved(org)
    own = found(org, case)
    other = found(org, case, unit=org.branch_b, text="经管学院问题")
    assert list(selectors.cases_for_user(org.commissioner_a)) == [case]  # not the draft
    assert set(selectors.cases_for_user(org.leader)) == {case, draft}
    assert list(selectors.cases_for_user(org.outsider)) == []
    shown = selectors.get_case_for_user(org.commissioner_a, case.pk)
    assert [f.pk for f in shown.findings.all()] == [own.pk]
    page = client_for(org.commissioner_a).get(case.get_absolute_url()).content.decode()
    assert "统战工作台账不全" in page and "经管学院问题" not in page
    assert "办理过程" not in page  # the history and instructions are the office's and leaders'
    client = client_for(org.commissioner_a)
    assert client.get(reverse("supervision_evidence", args=[own.pk])).status_code == 200
    assert client.get(reverse("supervision_evidence", args=[other.pk])).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("office", True), ("leader", True), ("commissioner_a", False), ("commissioner_b", False)],
)
def test_the_reports_date_and_light_are_on_the_list_for_the_office_and_leaders_only(
    org, persona, sees
):
    """The report is the office's to make: a unit's commissioner or member sees the case,
    not the office's deadline for its report (as on the case page and the unit's panel)."""
    approved(org)
    page = client_for(getattr(org, persona)).get(reverse("supervision_list")).content.decode()
    assert "统战工作责任制落实情况专项督查" in page  # the case is on everyone's list
    assert ("报告期限" in page) is sees
    assert ("2026-10-29" in page) is sees


def test_the_list_runs_the_same_queries_for_one_case_or_many(org):
    client = client_for(org.office)
    approved(org)
    client.get(reverse("supervision_list"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("supervision_list")).status_code == 200
    for n in range(5):
        found(org, approved(org, title=f"专项督查{n}"))
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("supervision_list"))
    assert len(six) == len(one)
    assert response.content.decode().count("专项督查") >= 6


# The whole lifecycle ---------------------------------------------------------------------


def test_the_whole_lifecycle_across_national_day(org, django_capture_on_commit_callbacks):
    """plan → delegated approval → findings → report due 29 Oct (20 working days after
    25 Sep across the holiday) → report issued with the group leader's signature → the
    leaders' instructions → letters (each unit its own) and the notice → rectification →
    closed."""
    case = planned(org)
    with time_machine.travel(at(2026, 9, 2, 10), tick=False):
        services.case_submit(case=case, by=org.office)
        services.case_delegate(case=case, to=org.deputy, by=org.leader)
        services.case_approve(case=case, by=org.deputy)
    problem = found(org, case, outstanding=True)
    found(org, case, unit=org.branch_b, problem=False, text="制度健全，落实到位")
    deadline = Deadline.objects.get(rule=SUPERVISION_REPORT, object_id=case.pk)
    assert deadline.due == D(2026, 10, 29)

    with time_machine.travel(at(2026, 9, 24, 10), tick=False):  # the period has not ended
        paper = services.paper_save(
            case=case,
            purpose="report",
            body=services.paper_draft(case, "report"),
            to_party_committee=True,
            by=org.office,
        )
        with pytest.raises(ValidationError) as error:
            services.paper_submit(paper=paper, by=org.office)
        assert "督查期间尚未结束" in str(error.value)
    assert "\n\n一、机电工程学院\n\n" in paper.body  # a heading paragraph per unit

    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        letter = services.paper_save(
            case=case,
            purpose="feedback",
            unit=org.school_a,
            body=services.paper_draft(case, "feedback", org.school_a),
            by=org.office,
        )
        with pytest.raises(ValidationError) as error:  # letters follow the report's instructions
            services.paper_submit(paper=letter, by=org.office)
        assert "督查报告印发后" in str(error.value)
        with pytest.raises(ValidationError):  # no instruction before the report goes
            services.instruction_add(
                case=case, text="同意", given_on=D(2026, 10, 20), by=org.leader
            )
        document = issue(org, paper, django_capture_on_commit_callbacks, signer=org.leader)
    assert document.kind == "supervision_report" and document.cc == "校党委"
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET  # issued before 29 Oct

    with time_machine.travel(at(2026, 10, 21, 10), tick=False):
        services.instruction_add(
            case=case, text="请抓好问题整改。", given_on=D(2026, 10, 21), by=org.leader
        )
        services.instruction_add(
            case=case, text="同意报告意见。", given_on=D(2026, 10, 21), by=org.deputy
        )
        services.instruction_add(
            case=case,
            text="请各单位举一反三。",
            given_on=D(2026, 10, 21),
            author="校党委书记",
            by=org.office,
        )
        with pytest.raises(PermissionDenied):
            services.instruction_add(
                case=case, text="x", given_on=D(2026, 10, 21), by=org.in_charge
            )
        with pytest.raises(ValidationError):
            services.instruction_add(case=case, text="x", given_on=D(2026, 10, 22), by=org.leader)
    assert [(i.source, i.author) for i in Instruction.objects.order_by("id")] == [
        ("leader", org.leader.display_name),
        ("leader", org.deputy.display_name),
        ("party", "校党委书记"),
    ]

    draft_page = client_for(org.commissioner_a).get(case.get_absolute_url()).content.decode()
    assert "反馈意见" not in draft_page  # a draft letter is the office's
    with time_machine.travel(at(2026, 10, 22, 10), tick=False):
        letter_a = issue(org, letter, django_capture_on_commit_callbacks, signer=org.in_charge)
        with pytest.raises(ValidationError) as error:  # branch B's letter is not issued yet
            services.case_close(case=case, by=org.office)
        assert "经济管理学院党总支" in str(error.value)
        letter_b = issue(
            org,
            services.paper_save(
                case=case,
                purpose="feedback",
                unit=org.branch_b,
                body=services.paper_draft(case, "feedback", org.branch_b),
                by=org.office,
            ),
            django_capture_on_commit_callbacks,
            signer=org.in_charge,
        )
        notice_text = services.paper_draft(case, "notice")
        assert "机电工程学院：统战工作台账不全" in notice_text and "制度健全" not in notice_text
        notice = issue(
            org,
            services.paper_save(case=case, purpose="notice", body=notice_text, by=org.office),
            django_capture_on_commit_callbacks,
            signer=org.in_charge,
        )
        rectification = services.finding_assign(
            finding=problem,
            title="健全统战工作台账",
            measures="补齐台账",
            due=D(2026, 12, 31),
            by=org.office,
        )
        services.case_close(case=case, note="反馈意见已印发，问题已交办整改。", by=org.office)
    # The rectification: reported, verified, found undone and reopened, done, closed.
    measure = rectification.measures.get()
    with time_machine.travel(at(2026, 11, 10, 10), tick=False):
        rectifications.measure_report(measure=measure, report="台账已补齐。", by=org.commissioner_a)
        rectifications.measure_accept(measure=measure, by=org.office)
        rectifications.measure_reopen(measure=measure, reason="缺少2025年台账。", by=org.office)
        with pytest.raises(ValidationError):  # a measure is not verified
            rectifications.rectification_close(
                rectification=rectification, conclusion="同意", by=org.office
            )
        rectifications.measure_report(
            measure=measure, report="已补齐2025年台账。", by=org.commissioner_a
        )
        rectifications.measure_accept(measure=measure, by=org.office)
        rectifications.rectification_close(
            rectification=rectification, conclusion="整改到位，同意销号。", by=org.office
        )
    rectification.refresh_from_db()
    assert rectification.state == "closed" and rectification.deadline.state == Deadline.State.MET
    case.refresh_from_db()
    assert case.state == "closed"

    # Each unit sees its own letter, not the other's; the notice goes to both.
    assert [r.unit for r in letter_a.recipients.all()] == [org.school_a]
    a, b = client_for(org.commissioner_a), client_for(org.commissioner_b)
    assert a.get(letter_a.get_absolute_url()).status_code == 200
    assert a.get(letter_b.get_absolute_url()).status_code == 404
    assert b.get(letter_a.get_absolute_url()).status_code == 404
    assert b.get(notice.get_absolute_url()).status_code == 200
    page_a = a.get(case.get_absolute_url()).content.decode()
    assert letter_a.reference in page_a and letter_b.reference not in page_a
    assert document.reference not in page_a  # the report is the leaders'
    assert rectification.get_absolute_url() in page_a

    # The letter as paper: the unit's own findings, in the official faces.
    reader = PdfReader(io.BytesIO(letter_a.pdf.read()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "专项督查的反馈意见" in text and "统战工作台账不全" in text and "制度健全" not in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts  # 仿宋 by default (embedded subset)


def test_cancelling_waives_the_report_deadline_but_not_once_the_report_is_issued(
    org, django_capture_on_commit_callbacks
):
    case = approved(org)
    with pytest.raises(ValidationError):
        services.case_cancel(case=case, reason="", by=org.office)
    services.case_cancel(case=case, reason="上级调整督查安排", by=org.office)
    deadline = Deadline.objects.get(rule=SUPERVISION_REPORT, object_id=case.pk)
    assert deadline.state == Deadline.State.WAIVED
    other = approved(org, title="另一项督查")
    with time_machine.travel(at(2026, 10, 9, 10), tick=False):
        paper = services.paper_save(case=other, purpose="report", body="报告正文", by=org.office)
        issue(org, paper, django_capture_on_commit_callbacks, signer=org.leader)
        with pytest.raises(ValidationError) as error:
            services.case_cancel(case=other, reason="x", by=org.office)
    assert "督查报告已印发" in str(error.value)


def test_a_submitted_paper_is_not_rewritten(org):
    case = approved(org)
    with time_machine.travel(at(2026, 10, 9, 10), tick=False):
        paper = services.paper_save(case=case, purpose="report", body="报告正文", by=org.office)
        services.paper_submit(paper=paper, by=org.office)
        with pytest.raises(ValidationError) as error:
            services.paper_save(case=case, purpose="report", body="改写", by=org.office)
        assert "已报审" in str(error.value)
        again = services.paper_submit  # a double click on 报审
        with pytest.raises(ValidationError):
            again(paper=paper, by=org.office)
    assert Document.objects.filter(kind="supervision_report").count() == 1


def test_the_unit_page_and_the_leaders_todos_show_the_case(org):
    case = planned(org)
    with time_machine.travel(at(2026, 9, 2, 10), tick=False):
        services.case_submit(case=case, by=org.office)
    assert [t.url for t in todos_for(org.leader, D(2026, 9, 2))] == [case.get_absolute_url()]
    assert todos_for(org.deputy, D(2026, 9, 2)) == []  # not delegated to them
    with time_machine.travel(at(2026, 9, 2, 11), tick=False):
        services.case_approve(case=case, by=org.leader)

    def cases(user):
        return [
            (i.title, i.due, i.light)
            for i in items_for(user, org.school_a, D(2026, 10, 27))
            if i.kind == "督促检查"
        ]

    assert cases(org.leader) == [(case.title, D(2026, 10, 29), "yellow")]
    assert cases(org.commissioner_a) == [(case.title, None, None)]  # the report is the office's
    assert [
        i
        for i in items_for(org.commissioner_b, org.school_a, D(2026, 10, 27))
        if i.kind == "督促检查"
    ] == []

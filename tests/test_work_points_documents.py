"""Work points through the documents workflow: the office submits the plan from its page,
the group leader signs, the office issues it with a number; the plan is read-only while
in flight (editable again when returned), the official PDF carries the sections as
headings and the numbered items with their units, and issuing meets the year's
work-points deadline (31 March)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from groups import services
from groups.models import WorkPoints
from groups.rules import WORK_POINTS
from portal.deadlines.models import Deadline
from portal.deadlines.reminders import periods_sync
from portal.deadlines.selectors import deadline_find
from portal.documents import pdf as paper
from portal.documents import services as documents
from portal.documents.models import Document, DocumentStep
from portal.documents.registry import Importance
from portal.documents.transitions import DocumentError, DocumentForbidden, allowed_actions
from tests.conftest import client_for
from tests.groups_helpers import department, make_plan

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SECTION_ONE = "以政治建设为统领，巩固新时代学校统一战线团结奋斗的共同思想政治基础"


def at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def march():
    with at(2026, 3, 10):
        yield


@pytest.fixture
def plan(org):
    hr = department("人事处")
    plan = make_plan(
        2026,
        [
            (
                SECTION_ONE,
                [("持续强化政治引领", org.ufw_dept, []), ("强化宣传教育", org.ufw_dept, [hr])],
            ),
            ("强化民族宗教工作", [("做好少数民族学生管理工作", hr, [org.school_a])]),
        ],
    )
    services.work_points_update(
        by=org.office,
        plan=plan,
        title=plan.title,
        preamble="2026年学校统战工作的指导思想和总体要求是：……",
    )
    return plan


def submit(plan: WorkPoints, org) -> Document:
    return services.work_points_submit(plan=plan, by=org.office)


def fresh(plan: WorkPoints) -> WorkPoints:
    return WorkPoints.objects.select_related("document").get(pk=plan.pk)


# The workflow -------------------------------------------------------------------------------


def test_it_submits_the_plan_as_an_important_document_for_the_group_leader(org, plan, march):
    document = submit(plan, org)
    assert document.kind == "work_points"
    assert document.importance == Importance.IMPORTANT
    assert document.about == plan
    assert document.state == Document.State.AWAITING_SIGNATURE  # the office reviewed it
    assert document.title == "2026年统战工作要点"
    assert document.addressee == "各党总支，各部门"
    assert {r.unit.name for r in document.recipients.all()} == {
        "党委统战部",
        "人事处",
        "机电工程学院",
    }
    assert fresh(plan).state == WorkPoints.State.IN_REVIEW
    # The group leader signs; the leader in charge (general documents) may not.
    assert "sign" in allowed_actions(org.leader, document)
    with pytest.raises(DocumentForbidden):
        documents.document_sign(document=document, by=org.in_charge)


def test_it_goes_through_sign_and_issue_and_the_plan_shows_the_number(org, plan, march):
    document = submit(plan, org)
    documents.document_sign(document=document, by=org.leader)
    assert fresh(plan).state == WorkPoints.State.IN_REVIEW
    documents.document_issue(document=document, by=org.office)
    plan = fresh(plan)
    assert plan.state == WorkPoints.State.ISSUED
    assert plan.reference == "X统〔2026〕1号"
    html = client_for(org.member).get("/work-points/2026/").content.decode()
    assert "X统〔2026〕1号" in html and "已印发" in html
    assert "提交审核" not in client_for(org.office).get("/work-points/2026/").content.decode()


def test_it_makes_the_plan_read_only_once_submitted(org, plan, march):
    submit(plan, org)
    plan = fresh(plan)
    section = plan.sections.first()
    with pytest.raises(ValidationError, match="报审中"):
        services.work_points_item_create(
            by=org.office, section=section, title="新事项", body="内容", lead_unit=org.ufw_dept
        )
    with pytest.raises(ValidationError, match="报审中"):
        services.work_points_update(by=org.office, plan=plan, title="改标题", preamble="")
    response = client_for(org.office).get("/work-points/2026/edit/")
    assert response.status_code == 302
    assert plan.items.count() == 3


def test_it_submits_once_when_clicked_twice(org, plan, march):
    client = client_for(org.office)
    assert client.post("/work-points/2026/submit/").status_code == 302
    response = client.post("/work-points/2026/submit/", follow=True)
    assert "已于" in response.content.decode()
    assert Document.objects.filter(kind="work_points").count() == 1
    assert DocumentStep.objects.filter(action="submit").count() == 1


def test_it_refuses_an_empty_plan_and_other_roles(org, march):
    services.work_points_create(by=org.office, year=2026)
    response = client_for(org.office).post("/work-points/2026/submit/", follow=True)
    assert "还没有事项" in response.content.decode()
    assert not Document.objects.exists()
    for user in (org.leader, org.member, org.commissioner_a):
        assert client_for(user).post("/work-points/2026/submit/").status_code == 403


def test_it_reopens_the_plan_when_returned_and_submits_the_new_text(org, plan, march):
    document = submit(plan, org)
    documents.document_return(document=document, by=org.leader, comment="第2项请写具体")
    plan = fresh(plan)
    assert plan.state == WorkPoints.State.DRAFTING
    html = client_for(org.office).get("/work-points/2026/").content.decode()
    assert "已退回修改" in html and "提交审核" in html
    second = plan.items.get(number=2)
    services.work_points_item_update(
        by=org.office,
        item=second,
        section=second.section,
        title="强化宣传教育",
        body="推出专题报道不少于6篇。",
        lead_unit=org.ufw_dept,
        co_units=[],
    )
    again = submit(plan, org)
    assert again.pk == document.pk  # the same document goes again
    again.refresh_from_db()
    assert again.state == Document.State.AWAITING_SIGNATURE
    assert "推出专题报道不少于6篇。（责任部门：党委统战部）" in again.body


def test_it_takes_the_text_from_the_plan_also_when_submitted_from_the_document_page(
    org, plan, march
):
    document = submit(plan, org)
    documents.document_return(document=document, by=org.leader, comment="请补充")
    services.work_points_update(
        by=org.office, plan=fresh(plan), title="2026年统战工作要点", preamble="新的总体要求。"
    )
    client_for(org.office).post(f"/documents/{document.pk}/submit/")
    document.refresh_from_db()
    assert document.state == Document.State.AWAITING_SIGNATURE
    assert document.body.startswith("新的总体要求。")


def test_it_refuses_to_edit_the_text_on_the_document_page(org, plan, march):
    document = submit(plan, org)
    documents.document_return(document=document, by=org.leader, comment="请补充")
    document.refresh_from_db()
    assert "update" not in allowed_actions(org.office, document)
    with pytest.raises(DocumentError, match="请在相应页面修改"):
        documents.document_update(document=document, by=org.office, fields={"body": "改写"})


def test_it_does_not_offer_work_points_on_the_generic_form(org):
    html = client_for(org.office).get("/documents/new/").content.decode()
    assert 'value="work_points"' not in html


# The paper ----------------------------------------------------------------------------------


def test_it_prints_the_sections_as_headings_and_the_items_with_their_units(org, plan, march):
    document = submit(plan, org)
    documents.document_sign(document=document, by=org.leader)
    documents.document_issue(document=document, by=org.office)
    document.refresh_from_db()
    content = document.pdf.read()
    reader = PdfReader(io.BytesIO(content))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert "X统〔2026〕1号" in text
    assert "2026年统战工作要点" in text
    assert f"一、{SECTION_ONE}" in text
    assert "二、强化民族宗教工作" in text
    assert "1.持续强化政治引领。" in text
    assert "（责任部门：党委统战部、人事处）" in text
    assert "3.做好少数民族学生管理工作。" in text
    assert "（责任部门：人事处、机电工程学院）" in text
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
                names.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "Noto-Sans-CJK-SC" in names  # 黑体: the section headings
    assert "Noto-Serif-CJK-SC" in names  # 仿宋: the items
    # Both section headings are first-level headings, not plain paragraphs.
    parsed = paper.parse_body(document.paragraphs())
    assert [p.head for p in parsed if p.level == 1] == [
        f"一、{SECTION_ONE}",
        "二、强化民族宗教工作",
    ]


# The deadline -------------------------------------------------------------------------------


def _issue(plan: WorkPoints, org, django_capture_on_commit_callbacks) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        document = submit(plan, org)
        documents.document_sign(document=document, by=org.leader)
        documents.document_issue(document=document, by=org.office)
    return document


def test_it_meets_the_deadline_when_issued_before_31_march(
    org, plan, django_capture_on_commit_callbacks
):
    with at(2026, 3, 20):
        periods_sync(dt.date(2026, 3, 20))
        deadline = deadline_find(rule=WORK_POINTS, period="2026")
        assert deadline is not None and deadline.due == dt.date(2026, 3, 31)
        assert deadline.state == Deadline.State.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            document = submit(plan, org)
            documents.document_sign(document=document, by=org.leader)
        assert deadline_find(rule=WORK_POINTS, period="2026").state == Deadline.State.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            documents.document_issue(document=document, by=org.office)
    deadline = deadline_find(rule=WORK_POINTS, period="2026")
    assert deadline.state == Deadline.State.MET
    assert deadline.closed_at.astimezone(SHANGHAI).date() == dt.date(2026, 3, 20)


def test_it_meets_the_deadline_when_issued_late_after_31_march(
    org, plan, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2):
        periods_sync(dt.date(2026, 3, 2))
    Deadline.objects.filter(rule=WORK_POINTS).update(state=Deadline.State.OVERDUE)
    with at(2026, 4, 10):
        html = client_for(org.office).get("/work-points/2026/").content.decode()
        assert "已逾期" in html
        _issue(plan, org, django_capture_on_commit_callbacks)
        html = client_for(org.office).get("/work-points/2026/").content.decode()
        assert "已逾期" not in html
    deadline = deadline_find(rule=WORK_POINTS, period="2026")
    assert deadline.state == Deadline.State.MET
    assert deadline.closed_at.astimezone(SHANGHAI).date() == dt.date(2026, 4, 10)


def test_it_meets_the_plans_own_year_when_issued_in_advance(
    org, django_capture_on_commit_callbacks
):
    plan = make_plan(2027, [("总体部署", [("谋划新一年工作", org.ufw_dept, [])])])
    with at(2026, 12, 20):
        _issue(plan, org, django_capture_on_commit_callbacks)
    assert deadline_find(rule=WORK_POINTS, period="2027").state == Deadline.State.MET
    assert deadline_find(rule=WORK_POINTS, period="2026") is None

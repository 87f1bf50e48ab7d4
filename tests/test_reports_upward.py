"""Experiences and information sent upward (issue 13, 000 §二(四) and §三(七)): a unit's
commissioner submits good practices, the office selects them, reports them upward and
records their publication (the unit is commended, on its page); selected experiences
are compiled into a briefing issued as a document whose text is theirs in order;
information is reviewed, sent upward and adopted or not, and counted per unit and year
(page and workbook). A commissioner sees only their own unit's; refusals are Chinese and
save nothing; a double post acts once; the lists' queries do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from portal.documents import services as documents
from portal.todos import todos_for
from portal.unit_panels import results_for
from reports import upward_selectors as selectors
from reports import upward_services as services
from reports.models import Briefing, Commendation, Experience, InformationReport
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date


@pytest.fixture(autouse=True)
def _on_a_day():
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):
        yield


def _experience(org: Org, title: str = "“三个一”联系党外教师", unit=None, by=None) -> Experience:
    return services.experience_create(
        unit=unit or org.school_a,
        title=title,
        summary="每月一次谈心",
        body="一是建立台账。\n\n二是定期走访。",
        by=by or org.commissioner_a,
    )


def _selected(org: Org, title: str, unit=None) -> Experience:
    experience = _experience(org, title, unit=unit, by=org.office)
    services.experience_submit(experience=experience, by=org.office)
    return services.experience_select(experience=experience, by=org.office)


# Experiences -------------------------------------------------------------------------------


def test_a_commissioner_submits_for_their_own_unit_only_and_a_double_post_acts_once(org: Org):
    first = _experience(org)
    assert _experience(org).pk == first.pk  # the same form twice
    with pytest.raises(PermissionDenied):
        _experience(org, unit=org.branch_b)
    with pytest.raises(PermissionDenied):
        _experience(org, by=org.leader)
    with pytest.raises(ValidationError) as error:
        services.experience_create(
            unit=org.school_a, title="  ", summary="", body="x", by=org.commissioner_a
        )
    assert error.value.message_dict == {"title": ["请填写标题。"]}
    assert Experience.objects.count() == 1


def test_publication_commends_the_unit_on_its_page(org: Org):
    experience = _experience(org)
    services.experience_submit(experience=experience, by=org.commissioner_a)
    services.experience_select(experience=experience, by=org.office)
    with pytest.raises(ValidationError) as error:
        services.experience_report_upward(
            experience=experience, reported_on=D(2026, 5, 21), reported_to="上级", by=org.office
        )
    assert error.value.message_dict == {"reported_on": ["报送日期不能晚于今天。"]}
    services.experience_report_upward(
        experience=experience, reported_on=D(2026, 5, 10), reported_to="上级", by=org.office
    )
    with pytest.raises(ValidationError) as error:
        services.experience_publish(
            experience=experience, outlet="简报", published_on=D(2026, 5, 1), by=org.office
        )
    assert error.value.message_dict == {"published_on": ["刊发日期不能早于报送上级的日期。"]}
    assert Experience.objects.get().state == "reported"  # nothing half-saved
    services.experience_publish(
        experience=experience, outlet="《统战工作简报》", published_on=D(2026, 5, 18), by=org.office
    )
    commendation = Commendation.objects.get()
    assert commendation.unit == org.school_a
    assert "《统战工作简报》" in commendation.text
    items = results_for(org.commissioner_a, org.school_a)
    assert [(i.kind, i.year) for i in items] == [("通报表扬", 2026)]
    assert results_for(org.commissioner_b, org.school_a) == []
    page = client_for(org.commissioner_a).get(org.school_a.get_absolute_url()).content.decode()
    assert "通报表扬" in page and "《统战工作简报》" in page


def test_a_commissioner_sees_only_their_units_experiences(org: Org):
    mine = _experience(org)
    theirs = _experience(org, "经管学院经验", unit=org.branch_b, by=org.commissioner_b)
    client = client_for(org.commissioner_a)
    listing = client.get(reverse("experience_list")).content.decode()
    assert mine.title in listing and theirs.title not in listing
    assert client.get(reverse("experience_detail", args=[theirs.pk])).status_code == 404
    assert (
        client_for(org.member).get(reverse("experience_detail", args=[theirs.pk])).status_code
        == 200
    )
    assert client_for(org.leader).get(reverse("experience_create")).status_code == 403


def test_the_office_has_a_todo_for_what_waits_for_it(org: Org):
    experience = _experience(org)
    services.experience_submit(experience=experience, by=org.commissioner_a)
    report = services.information_create(
        unit=org.school_a, title="信息一则", body="内容", by=org.commissioner_a
    )
    services.information_submit(report=report, by=org.commissioner_a)
    titles = [t.title for t in todos_for(org.office, D(2026, 5, 20))]
    assert f"遴选经验做法：{experience.title}" in titles
    assert "审核统战信息：信息一则" in titles
    assert not [t for t in todos_for(org.commissioner_a, D(2026, 5, 20)) if "遴选" in t.title]


# The briefing -----------------------------------------------------------------------------


def test_a_briefing_takes_selected_experiences_in_order_and_is_issued(org: Org):
    first = _selected(org, "第一篇经验")
    second = _selected(org, "第二篇经验", unit=org.branch_b)
    draft = _experience(org, "未报送的经验")
    with pytest.raises(ValidationError) as error:
        services.briefing_compile(
            title="经验交流", addressee="", foreword="", experiences=[draft], by=org.office
        )
    assert error.value.message_dict == {"experiences": ["《未报送的经验》尚未入选，不能编入。"]}
    with pytest.raises(PermissionDenied):
        services.briefing_compile(
            title="经验交流", addressee="", foreword="", experiences=[first], by=org.leader
        )
    briefing = services.briefing_compile(
        title="统战工作经验交流（第1期）",
        addressee="各党总支",
        foreword="现将两篇经验编印交流。",
        experiences=[second, first],
        by=org.office,
    )
    assert Briefing.objects.count() == 1
    title, body = services.briefing_text(briefing)
    assert body.index("第二篇经验") < body.index("第一篇经验")
    assert body.startswith("现将两篇经验编印交流。\n\n一、第二篇经验\n\n（经济管理学院党总支）")
    document = services.briefing_submit(briefing=briefing, by=org.office)
    with pytest.raises(ValidationError):
        services.briefing_submit(briefing=briefing, by=org.office)  # a second click
    documents.document_sign(document=document, by=org.in_charge)
    documents.document_issue(document=document, by=org.office)
    briefing.refresh_from_db()
    assert briefing.is_issued and briefing.reference
    document.refresh_from_db()
    assert document.pdf
    with document.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    flat = "".join(text.split())
    assert "第二篇经验" in flat and "第一篇经验" in flat and "经济管理学院党总支" in flat
    with pytest.raises(ValidationError):  # issued: frozen
        services.briefing_update(
            briefing=briefing,
            title="改",
            addressee="",
            foreword="",
            experiences=[first],
            by=org.office,
        )


# Information ------------------------------------------------------------------------------


def _information(org: Org, title: str, unit, by, steps: list[str]) -> InformationReport:
    report = services.information_create(unit=unit, title=title, body="内容", by=by)
    for step in steps:
        report = InformationReport.objects.get(pk=report.pk)
        if step == "submit":
            services.information_submit(report=report, by=by)
        elif step == "accept":
            services.information_accept(report=report, by=org.office)
        elif step == "send":
            services.information_send(
                report=report, sent_on=D(2026, 5, 19), sent_to="自治区党委统战部", by=org.office
            )
        elif step == "adopt":
            services.information_adopt(
                report=report,
                level="provincial",
                outlet="《统战信息》",
                adopted_on=D(2026, 5, 20),
                by=org.office,
            )
        elif step == "not_adopt":
            services.information_not_adopt(report=report, by=org.office)
        elif step == "return":
            services.information_return(report=report, reason="要素不全", by=org.office)
    return InformationReport.objects.get(pk=report.pk)


def test_information_is_counted_per_unit_and_year_and_exported(org: Org):
    a, b = org.school_a, org.branch_b
    _information(org, "甲一", a, org.commissioner_a, ["submit", "accept", "send", "adopt"])
    _information(org, "甲二", a, org.commissioner_a, ["submit", "accept", "send", "not_adopt"])
    _information(org, "甲三", a, org.commissioner_a, ["submit", "return"])
    _information(org, "甲四", a, org.commissioner_a, [])  # a draft: not counted
    _information(org, '=HYPERLINK("x")', b, org.commissioner_b, ["submit"])
    counts = {
        row.unit: (row.submitted, row.sent, row.adopted)
        for row in selectors.information_counts(org.office, 2026)
    }
    assert counts == {a.name: (3, 2, 1), b.name: (1, 0, 0)}
    assert selectors.information_counts(org.office, 2025) == []
    mine = selectors.information_counts(org.commissioner_a, 2026)
    assert [row.unit for row in mine] == [a.name]
    office = client_for(org.office)
    page = office.get(reverse("information_summary"), {"year": "2026"}).content.decode()
    assert "2026年统战信息编报统计" in page and a.name in page
    response = office.get(reverse("information_summary_export"), {"year": "2026"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["单位", "报送办公室", "报送上级", "被采用"]
    assert [a.name, 3, 2, 1] in rows and ["合计", 4, 2, 1] in rows


def test_the_export_keeps_formula_like_unit_names_as_text(org: Org):
    from reports.upward_exports import information_counts_xlsx
    from reports.upward_selectors import UnitCounts

    data = information_counts_xlsx([UnitCounts("=1+1", 1, 0, 0)], year=2026)
    cell = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_a_returned_piece_is_edited_and_submitted_again_counting_once(org: Org):
    report = _information(org, "乙", org.school_a, org.commissioner_a, ["submit", "return"])
    assert report.return_reason == "要素不全"
    services.information_update(report=report, title="乙（改）", body="补充", by=org.commissioner_a)
    services.information_submit(
        report=InformationReport.objects.get(pk=report.pk), by=org.commissioner_a
    )
    [row] = selectors.information_counts(org.office, 2026)
    assert row.submitted == 1
    with pytest.raises(ValidationError) as error:
        services.information_adopt(
            report=InformationReport.objects.get(pk=report.pk),
            level="provincial",
            outlet="x",
            adopted_on=D(2026, 5, 20),
            by=org.office,
        )
    assert "不能登记采用" in error.value.messages[0]


# The lists' queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["experience_list", "information_list", "experience_briefing_list"]
)
def test_the_lists_queries_do_not_grow_with_the_rows(org: Org, name):
    client = client_for(org.office)
    url = reverse(name)

    def add(n: int) -> None:
        experience = _selected(org, f"经验{n}", unit=org.branch_b if n % 2 else org.school_a)
        _information(org, f"信息{n}", org.school_a, org.commissioner_a, ["submit", "accept"])
        services.briefing_compile(
            title=f"简报{n}", addressee="", foreword="", experiences=[experience], by=org.office
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(0)
    few = count()
    for n in range(1, 4):
        add(n)
    assert count() == few

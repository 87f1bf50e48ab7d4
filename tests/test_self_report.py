"""The inspection self-report (督查汇报提纲, seed 004): when an upper level announces an
inspection, the office drafts the report the inspection group hears in 004's outline (an
opening, then the parts each filled from the year's data by the annual report's sources),
the group leader signs it, and its deadline is met when it is issued."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from groups.models import ProgressReport
from meetings.models import Meeting
from portal.deadlines.models import Deadline
from portal.deadlines.selectors import deadline_find
from portal.documents import services as documents
from portal.documents.models import Document
from portal.documents.registry import Importance
from portal.lib.errors import Forbidden
from portal.models import User
from reports import services
from reports.models import InspectionSelfReport
from reports.rules import INSPECTION_SELF_REPORT
from tests.conftest import client_for
from tests.groups_helpers import department, make_plan
from tests.meetings_helpers import at as meeting_at
from tests.meetings_helpers import hold, make_meeting, make_members

# Each test pins its dates (`at`) or posts at the suite's instant (a date in June 2026):
# the shifted legs' year-end instants would put its due dates in the past.
pytestmark = pytest.mark.dateless

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOTICE = "关于做好贯彻统战工作会议精神专项督查准备工作的通知"
OUTLINE = [
    "一、引领宣传，营造舆论氛围",
    "二、压实责任，营造落实氛围",
    "三、广交深交，凝聚党外人士共识",
    "四、注重问题解决，抓好督查整改",
    "五、存在的问题和下一步打算",
]


def at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def report(org):
    with at(2026, 11, 2):
        return services.self_report_create(
            year=2026, inspection=NOTICE, due_on=dt.date(2026, 11, 20), by=org.office
        )


@pytest.fixture
def year_data(org):
    """The work points of 2026 with one item done, and two plenary meetings held."""
    plan = make_plan(
        2026,
        [
            (
                "思想引领",
                [("持续强化政治引领", org.ufw_dept, []), ("强化宣传", department("人事处"), [])],
            )
        ],
    )
    ProgressReport.objects.create(
        item=plan.items.get(number=1), unit=org.ufw_dept, text="全年推送学习材料48期", percent=100
    )
    make_members(org)
    for month in (3, 9):
        hold(org, make_meeting(org, start=meeting_at(2026, month, 12), title=f"{month}月全体会议"))
    return plan


def _write_last(report: InspectionSelfReport, text: str, by: User) -> None:
    last = report.sections.get(source="next")
    services.self_report_update(
        report=report,
        title=report.title,
        addressee=report.addressee,
        inspection=report.inspection,
        due_on=report.due_on,
        opening=report.opening,
        sections={last.pk: {"heading": last.heading, "body": text}},
        by=by,
    )


def test_it_opens_the_report_in_004s_outline_with_its_deadline(org, report):
    assert report.title == "2026年统一战线工作情况汇报提纲"
    assert report.addressee == "上级党委统战部督查组"
    assert [s.numbered_heading for s in report.sections.order_by("position")] == OUTLINE
    assert report.opening.startswith("各位领导：")
    assert f"按照《{NOTICE}》要求" in report.opening
    assert "现就2026年学院统一战线工作开展情况汇报如下。" in report.opening
    deadline = deadline_find(rule=INSPECTION_SELF_REPORT, subject=report)
    assert deadline.due == dt.date(2026, 11, 20) and deadline.state == Deadline.State.OPEN
    assert report.deadline_id == deadline.pk


def test_only_the_office_writes_it(org, report):
    for user in (org.leader, org.member, org.commissioner_a):
        with pytest.raises(Forbidden):
            services.self_report_create(
                year=2026, inspection=NOTICE, due_on=dt.date(2026, 11, 20), by=user
            )
        with pytest.raises(Forbidden):
            services.self_report_fill(report=report, by=user)
        with pytest.raises(Forbidden):
            _write_last(report, "改写", user)
        with pytest.raises(Forbidden):
            services.annual_report_section_add(report=report, heading="附件", by=user)
    assert InspectionSelfReport.objects.count() == 1
    assert report.sections.filter(body="").count() == 5


def test_it_fills_each_part_from_its_sources_and_leaves_the_rest(org, report, year_data):
    _write_last(report, "下一步，我们将……", org.office)
    services.annual_report_section_add(report=report, heading="附：有关数据", by=org.office)
    filled = services.self_report_fill(report=report, by=org.office)
    assert [s.heading for s in filled] == ["引领宣传，营造舆论氛围", "压实责任，营造落实氛围"]
    guidance, duty, consensus, problems, last, extra = report.sections.order_by("position")
    assert (
        guidance.body
        == "2026年，统一战线工作领导小组召开领导小组全体会议2次，研究部署统一战线重点工作。"
    )
    assert guidance.figures == [
        {
            "label": "召开领导小组全体会议",
            "value": Meeting.objects.filter(starts_at__year=2026, held=True).count(),
            "unit": "次",
            "url": "/meetings/?year=2026&kind=plenary&held=true",
        }
    ]
    assert "1.持续强化政治引领（党委统战部牵头）：完成100%。全年推送学习材料48期。" in duty.body
    assert "共2项，已完成1项" in duty.body
    assert consensus.body == problems.body == "" and extra.body == ""
    assert last.body == "下一步，我们将……"
    # Again: the same text, not a second copy.
    services.self_report_fill(report=report, by=org.office)
    assert report.sections.get(pk=guidance.pk).body == guidance.body
    assert report.sections.count() == 6


def test_it_says_when_the_year_has_no_data(org, report):
    with pytest.raises(ValidationError, match="2026年没有可用的数据"):
        services.self_report_fill(report=report, by=org.office)


def test_a_figure_links_to_exactly_the_rows_it_counts(org, report, year_data):
    services.self_report_fill(report=report, by=org.office)
    figure = report.sections.get(source="guidance").figures[0]
    response = client_for(org.office).get(figure["url"])
    assert response.context["page"].paginator.count == figure["value"] == 2
    assert all(f"{m}月全体会议" in response.content.decode() for m in (3, 9))


def test_a_due_date_in_the_past_is_refused(org, report):
    with at(2026, 11, 21), pytest.raises(ValidationError, match="报送截止日期不能早于今天"):
        services.self_report_create(
            year=2026, inspection=NOTICE, due_on=dt.date(2026, 11, 20), by=org.office
        )
    with at(2026, 11, 10), pytest.raises(ValidationError, match="报送截止日期不能早于今天"):
        services.self_report_update(
            report=report,
            title=report.title,
            addressee=report.addressee,
            inspection=NOTICE,
            due_on=dt.date(2026, 11, 9),
            opening=report.opening,
            sections={},
            by=org.office,
        )
    assert InspectionSelfReport.objects.count() == 1
    assert deadline_find(rule=INSPECTION_SELF_REPORT, subject=report).due == dt.date(2026, 11, 20)
    with at(2026, 11, 21):  # overdue, but its due date unchanged: still editable
        _write_last(report, "下一步……", org.office)


def test_a_new_due_date_moves_the_deadline(org, report):
    services.self_report_update(
        report=report,
        title="学院统战工作情况汇报",
        addressee="市委统战部第二督查组",
        inspection=NOTICE,
        due_on=dt.date(2026, 11, 27),
        opening="各位领导：\n\n欢迎。",
        sections={},
        by=org.office,
    )
    report.refresh_from_db()
    assert (report.title, report.addressee, report.opening) == (
        "学院统战工作情况汇报",
        "市委统战部第二督查组",
        "各位领导：\n\n欢迎。",
    )
    assert deadline_find(rule=INSPECTION_SELF_REPORT, subject=report).due == dt.date(2026, 11, 27)
    assert Deadline.objects.filter(rule=INSPECTION_SELF_REPORT).count() == 1


def test_it_is_signed_by_the_group_leader_issued_and_printed(
    org, report, year_data, django_capture_on_commit_callbacks
):
    services.self_report_fill(report=report, by=org.office)
    with at(2026, 11, 16), django_capture_on_commit_callbacks(execute=True):
        document = services.self_report_submit(report=report, by=org.office)
        assert document.kind == "inspection_self_report"
        assert document.importance == Importance.IMPORTANT
        assert document.state == Document.State.AWAITING_SIGNATURE
        with pytest.raises(ValidationError, match="已提交审核"):
            services.self_report_submit(report=report, by=org.office)  # a double click
        with pytest.raises(ValidationError, match="不能再修改"):
            _write_last(report, "改写", org.office)
        documents.document_sign(document=document, by=org.leader)
        documents.document_issue(document=document, by=org.office)
    report = InspectionSelfReport.objects.select_related("document").get(pk=report.pk)
    assert report.state == InspectionSelfReport.State.ISSUED
    assert report.reference == "X统〔2026〕1号"
    deadline = deadline_find(rule=INSPECTION_SELF_REPORT, subject=report)
    assert deadline.state == Deadline.State.MET
    reader = PdfReader(io.BytesIO(report.document.pdf.read()))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")
    assert "2026年统一战线工作情况汇报提纲" in text
    assert "各位领导：" in text and f"按照《{NOTICE}》要求" in text
    assert text.index("各位领导：") < text.index("一、引领宣传，营造舆论氛围")
    assert "召开领导小组全体会议2次" in text
    assert "二、压实责任，营造落实氛围" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
                fonts.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "Noto-Serif-CJK-SC" in fonts


def test_it_refuses_an_empty_report(org, report):
    with pytest.raises(ValidationError, match="还没有内容"):
        services.self_report_submit(report=report, by=org.office)
    assert report.document is None and not Document.objects.exists()


def test_it_is_drafted_through_the_pages(org, year_data):
    client = client_for(org.office)
    response = client.post(
        "/reports/inspection/new/",
        {"inspection": NOTICE, "year": 2026, "due_on": "2026-11-20", "addressee": "督查组"},
    )
    assert response.status_code == 302
    report = InspectionSelfReport.objects.get()
    assert response["Location"] == f"/reports/inspection/{report.pk}/"
    assert client.post(f"/reports/inspection/{report.pk}/fill/").status_code == 302
    data = {
        "title": report.title,
        "addressee": "督查组",
        "inspection": NOTICE,
        "due_on": "2026-11-20",
        "opening": "各位领导：\r\n\r\n现将有关情况汇报如下。",  # as a browser posts it
    }
    for s in report.sections.all():
        data |= {f"heading_{s.pk}": s.heading, f"body_{s.pk}": s.body}
    last = report.sections.get(source="next")
    data[f"body_{last.pk}"] = "一是……\n\n二是……"
    assert client.post(f"/reports/inspection/{report.pk}/edit/", data).status_code == 302
    client.post(f"/reports/inspection/{report.pk}/sections/new/", {"heading": "附件"})
    html = client.get(f"/reports/inspection/{report.pk}/").content.decode()
    assert '<p class="document-par level0">各位领导：</p>' in html  # its own paragraph
    assert "现将有关情况汇报如下。" in html and "一是……" in html and "六、附件" in html
    assert "召开领导小组全体会议 2次" in html  # the figure's badge, linked
    assert 'href="/meetings/?year=2026&amp;kind=plenary&amp;held=true"' in html
    assert client.post(f"/reports/inspection/{report.pk}/submit/").status_code == 302
    html = client.get(f"/reports/inspection/{report.pk}/").content.decode()
    assert "报审中" in html and f'action="/reports/inspection/{report.pk}/submit/"' not in html
    assert client.get(f"/reports/inspection/{report.pk}/edit/").status_code == 302
    leader_html = client_for(org.leader).get("/reports/inspection/").content.decode()
    assert report.title in leader_html and NOTICE in leader_html
    for user in (org.member, org.commissioner_a):
        assert client_for(user).get("/reports/inspection/").status_code == 403
        assert client_for(user).get(report.get_absolute_url()).status_code == 403


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"due_on": "2026-13-40"}, "输入一个有效的日期"),
        ({"inspection": ""}, "这个字段是必填项"),
        ({"year": "1e9"}, "输入整数"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(org, bad, message):
    data = {"inspection": NOTICE, "year": 2026, "due_on": "2026-11-20"} | bad
    response = client_for(org.office).post("/reports/inspection/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InspectionSelfReport.objects.exists()
    assert not Deadline.objects.filter(rule=INSPECTION_SELF_REPORT).exists()


@pytest.mark.parametrize("rows", [3, 60])
def test_it_lists_reports_in_constant_queries(org, rows, django_assert_num_queries):
    InspectionSelfReport.objects.bulk_create(
        [
            InspectionSelfReport(
                year=2026, title=f"汇报{i}", inspection=NOTICE, due_on=dt.date(2026, 11, 20)
            )
            for i in range(rows)
        ]
    )
    client = client_for(org.leader)
    # session, user, roles; count; the page with documents and deadlines; navbar (2).
    with django_assert_num_queries(7):
        assert client.get("/reports/inspection/").status_code == 200


def test_its_pages_show_the_engines_due_date(org, report):
    """An approved extension moves the deadline (the engine's date, as
    `deadline_extension_decide` writes it); the report's pages show that date, not the
    one first entered."""
    Deadline.objects.filter(pk=report.deadline_id).update(due=dt.date(2026, 11, 30))
    for url in ("/reports/inspection/", report.get_absolute_url()):
        html = client_for(org.leader).get(url).content.decode()
        assert "2026年11月30日" in html and "2026年11月20日" not in html

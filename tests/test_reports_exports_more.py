"""The reports' other lists on the export registry (`reports.exporting`): the review
rounds (述职评议), the target statements (目标责任书), the briefings (经验交流材料), the
annual reports (年度工作汇报) and the inspection self-reports (督查汇报提纲). Each read
back with openpyxl: Chinese headers, a row's values, dates as dates, exactly the list's
rows under its filter and in the user's scope (a commissioner their own unit's rounds
and statements; a round's rating columns only where the user may see its ratings), the
roles the list refuses refused, and the same queries for one row as for twenty."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal import exports
from portal.documents import services as documents
from reports import review_services as reviews
from reports import services as drafted
from reports import upward_services as upward
from reports.models import (
    AnnualReport,
    AnnualReportSection,
    Briefing,
    BriefingEntry,
    InspectionSelfReport,
    PerformanceReport,
    Rating,
    ReviewRound,
    TargetStatement,
)
from tests.conftest import Org, client_for
from tests.deadline_helpers import at
from tests.groups_helpers import make_plan
from tests.sheets import export_queries, headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
TODAY = D(2026, 11, 2)


@pytest.fixture(autouse=True)
def _on_a_day():
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        yield


def _date(sheet, row: int, column: int) -> dt.date:
    cell = sheet.cell(row=row, column=column)
    assert cell.is_date, (row, column, cell.value)
    return cell.value.date()


def _listed(client, name: str, query=None) -> list:
    return list(client.get(reverse(name), query or {}).context["page"])


# Review rounds (述职评议) ---------------------------------------------------------------------

ROUND_HEADERS = [
    "年度",
    "名称",
    "类别",
    "述职报告报送截止",
    "状态",
    "参评单位数",
    "已报送",
    "负责人已确认",
    "退回修改",
    "发起日期",
    "锁定日期",
]
RATING_HEADERS = ["测评方式", "已测评单位数", "优秀", "良好", "合格"]


@pytest.fixture
def rounds(org):
    """2026's annual round (branches A and B) being rated, B's report sent; 2025's
    half-year round (branch B alone), rated and locked."""
    this = reviews.review_round_open(
        year=2026,
        kind=ReviewRound.Kind.ANNUAL,
        title="2026年度述职评议",
        due_on=D(2026, 11, 20),
        units=[org.branch_a, org.branch_b],
        by=org.office,
    )
    reviews.performance_report_save(
        report=this.reports.get(unit=org.branch_b),
        duties="落实联系交友制度",
        plans="",
        items={},
        submit=True,
        by=org.commissioner_b,
    )
    reviews.review_start_rating(review=this, method="office", by=org.office)
    reviews.ratings_save(
        review=this,
        rows={
            org.branch_a.pk: {"grade": "good", "score": 85, "comment": ""},
            org.branch_b.pk: {"grade": "qualified", "score": 70, "comment": ""},
        },
        by=org.office,
    )
    last = reviews.review_round_open(
        year=2025,
        kind=ReviewRound.Kind.HALF_YEAR,
        title="2025年半年述职评议",
        due_on=D(2026, 11, 20),
        units=[org.branch_b],
        by=org.office,
    )
    reviews.review_start_rating(review=last, method="office", by=org.office)
    reviews.ratings_save(
        review=last,
        rows={org.branch_b.pk: {"grade": "good", "score": 80, "comment": ""}},
        by=org.office,
    )
    reviews.review_lock(review=last, by=org.office)
    return org


def test_the_rounds_export_holds_the_lists_rows_with_their_counts(rounds):
    org = rounds
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("review_round_list_export")))
    assert headers_of(sheet) == ROUND_HEADERS + RATING_HEADERS
    assert [row[1] for row in rows_of(sheet)] == [
        r.title for r in _listed(client, "review_round_list")
    ]
    this, last = rows_of(sheet)
    assert this[:3] == (2026, "2026年度述职评议", "年度述职")
    assert this[4:9] == ("测评中", 2, 1, 0, 0)
    assert this[10] is None  # not locked
    assert this[11:] == ("办公室测评", 2, 0, 1, 1)
    assert last[4:9] == ("结果已锁定", 1, 0, 0, 0)
    assert last[11:] == ("办公室测评", 1, 0, 1, 0)
    assert _date(sheet, 2, 4) == D(2026, 11, 20)
    assert _date(sheet, 2, 10) == TODAY
    assert _date(sheet, 3, 11) == TODAY  # locked today


@pytest.mark.parametrize(
    ("persona", "titles", "ratings"),
    [
        ("leader", ["2026年度述职评议", "2025年半年述职评议"], [True, True]),
        # A group member sees every rating once the round is locked, as on its page.
        ("member", ["2026年度述职评议", "2025年半年述职评议"], [False, True]),
        # A commissioner: the rounds their unit reports in, no other unit's rating.
        ("commissioner_a", ["2026年度述职评议"], None),
        ("commissioner_b", ["2026年度述职评议", "2025年半年述职评议"], None),
    ],
)
def test_the_rounds_export_is_the_users_scope_and_ratings(rounds, persona, titles, ratings):
    client = client_for(getattr(rounds, persona))
    sheet = read_sheet(client.get(reverse("review_round_list_export")))
    rows = rows_of(sheet)
    assert [row[1] for row in rows] == titles
    assert [row[1] for row in rows] == [r.title for r in _listed(client, "review_round_list")]
    if ratings is None:
        assert headers_of(sheet) == ROUND_HEADERS
        return
    assert headers_of(sheet) == ROUND_HEADERS + RATING_HEADERS
    for row, shown in zip(rows, ratings, strict=True):
        rated = row[len(ROUND_HEADERS) :]
        assert (rated[0] == "办公室测评") is shown and (rated[1] is not None) is shown, row


# Target statements (目标责任书) ---------------------------------------------------------------

STATEMENT_HEADERS = [
    "年度",
    "单位",
    "状态",
    "工作要点事项数",
    "职责和目标数",
    "统战工作职责和目标",
    "签订日期",
    "签订人",
]


@pytest.fixture
def statements(org):
    """2026's statements of branches A (signed) and B, each with the plan's one item;
    2025's of branch B."""
    make_plan(
        2026, [("加强党外代表人士队伍建设", [("做好联谊交友", org.branch_b, [org.branch_a])])]
    )
    reviews.statements_prepare(year=2026, units=[org.branch_a, org.branch_b], by=org.office)
    reviews.statements_prepare(year=2025, units=[org.branch_b], by=org.office)
    signed = TargetStatement.objects.get(year=2026, unit=org.branch_a)
    reviews.statement_update(
        statement=signed,
        targets="=落实第一责任人\n配合联谊交友",
        items=signed.items.all(),
        by=org.office,
    )
    reviews.statement_sign(statement=signed, by=org.office)
    return org


def test_the_statements_export_is_the_lists_filtered_rows(statements):
    org = statements
    client = client_for(org.office)
    url = reverse("target_statement_export")
    for query in ({}, {"year": "2026"}, {"year": "2025"}, {"year": "1999"}):
        sheet = read_sheet(client.get(url, query))
        listed = _listed(client, "target_statement_list", query)
        assert [(row[0], row[1]) for row in rows_of(sheet)] == [
            (s.year, s.unit.name) for s in listed
        ], query
    sheet = read_sheet(client.get(url, {"year": "2026"}))
    assert headers_of(sheet) == STATEMENT_HEADERS
    rows = {row[1]: (index, row) for index, row in enumerate(rows_of(sheet), start=2)}
    index, signed = rows[org.branch_a.name]
    assert signed[:6] == (
        2026,
        org.branch_a.name,
        "已签订",
        1,
        2,
        "=落实第一责任人\n配合联谊交友",
    )
    assert signed[7] == org.office.display_name
    assert _date(sheet, index, 7) == TODAY
    index, draft = rows[org.branch_b.name]
    assert draft[2:4] == ("待签订", 1) and draft[6:] == (None, None)
    assert [row[1] for row in rows_of(read_sheet(client.get(url, {"year": "2025"})))] == [
        org.branch_b.name
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "leader",
            {
                (2026, "机电工程学院党总支"),
                (2026, "经济管理学院党总支"),
                (2025, "经济管理学院党总支"),
            },
        ),
        (
            "member",
            {
                (2026, "机电工程学院党总支"),
                (2026, "经济管理学院党总支"),
                (2025, "经济管理学院党总支"),
            },
        ),
        ("commissioner_a", {(2026, "机电工程学院党总支")}),
        ("commissioner_b", {(2026, "经济管理学院党总支"), (2025, "经济管理学院党总支")}),
    ],
)
def test_the_statements_export_is_the_users_scope(statements, persona, expected):
    client = client_for(getattr(statements, persona))
    sheet = read_sheet(client.get(reverse("target_statement_export")))
    assert headers_of(sheet) == STATEMENT_HEADERS
    assert {(row[0], row[1]) for row in rows_of(sheet)} == expected
    listed = _listed(client, "target_statement_list")
    assert [(row[0], row[1]) for row in rows_of(sheet)] == [(s.year, s.unit.name) for s in listed]
    # Another unit's year does not widen a commissioner's scope.
    other = read_sheet(client.get(reverse("target_statement_export"), {"year": "2025"}))
    assert {(row[0], row[1]) for row in rows_of(other)} <= expected


# Briefings (经验交流材料) ---------------------------------------------------------------------

BRIEFING_HEADERS = [
    "标题",
    "收录经验数",
    "状态",
    "发文字号",
    "主送",
    "编印日期",
    "编印人",
    "签发人",
    "签发日期",
    "印发日期",
    "收录的经验做法",
]


def _selected(org: Org, title: str, unit):
    experience = upward.experience_create(
        unit=unit, title=title, summary="", body="一是建立台账。", by=org.office
    )
    upward.experience_submit(experience=experience, by=org.office)
    return upward.experience_select(experience=experience, by=org.office)


@pytest.fixture
def briefings(org):
    """第1期 of two experiences, issued (the leader in charge signs); 第2期 of one, a
    draft."""
    first = _selected(org, "机电经验", org.school_a)
    second = _selected(org, "经管经验", org.branch_b)
    issued = upward.briefing_compile(
        title="经验交流材料第1期",
        addressee="各党总支",
        foreword="",
        experiences=[second, first],
        by=org.office,
    )
    document = upward.briefing_submit(briefing=issued, by=org.office)
    documents.document_sign(document=document, by=org.in_charge)
    documents.document_issue(document=document, by=org.office)
    upward.briefing_compile(
        title="经验交流材料第2期",
        addressee="",
        foreword="",
        experiences=[_selected(org, "第三篇经验", org.branch_a)],
        by=org.office,
    )
    return org


def test_the_briefings_export_holds_the_lists_rows(briefings):
    org = briefings
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("experience_briefing_export")))
    assert headers_of(sheet) == BRIEFING_HEADERS
    assert [row[0] for row in rows_of(sheet)] == [
        b.title for b in _listed(client, "experience_briefing_list")
    ]
    draft, issued = rows_of(sheet)
    reference = Briefing.objects.get(title="经验交流材料第1期").reference
    assert reference
    assert issued[:5] == ("经验交流材料第1期", 2, "已印发", reference, "各党总支")
    assert issued[6:8] == (org.office.display_name, org.in_charge.display_name)
    assert issued[10] == "1. 经管经验（经济管理学院党总支）\n2. 机电经验（机电工程学院）"
    for column in (6, 9, 10):
        assert _date(sheet, 3, column) == TODAY
    assert draft[:4] == ("经验交流材料第2期", 1, "起草中", None)
    assert draft[7:10] == (None, None, None)  # not issued: nobody has signed it


@pytest.mark.parametrize("persona", ["leader", "member"])
def test_the_briefings_export_is_the_same_for_every_reader(briefings, persona):
    client = client_for(getattr(briefings, persona))
    sheet = read_sheet(client.get(reverse("experience_briefing_export")))
    assert headers_of(sheet) == BRIEFING_HEADERS
    assert [row[0] for row in rows_of(sheet)] == ["经验交流材料第2期", "经验交流材料第1期"]


# Annual reports (年度工作汇报) and inspection self-reports (督查汇报提纲) ------------------------

ANNUAL_HEADERS = [
    "汇报年度",
    "标题",
    "主送",
    "状态",
    "部分数",
    "文号",
    "签发人",
    "签发日期",
    "印发日期",
]
SELF_REPORT_HEADERS = [
    "汇报年度",
    "标题",
    "督查事项",
    "主送",
    "截止日期",
    "状态",
    "部分数",
    "文号",
    "签发人",
    "签发日期",
    "印发日期",
]


def _issue(org: Org, document) -> None:
    documents.document_sign(document=document, by=org.leader)
    documents.document_issue(document=document, by=org.office)


@pytest.fixture
def annual(org):
    """2025's report, issued; 2024's, a draft."""
    report = drafted.annual_report_create(year=2025, by=org.office)
    first = report.sections.order_by("position").first()
    drafted.annual_report_update(
        report=report,
        title=report.title,
        addressee=report.addressee,
        sections={first.pk: {"heading": first.heading, "body": "一年来，统战工作稳步推进。"}},
        by=org.office,
    )
    _issue(org, drafted.annual_report_submit(report=report, by=org.office))
    drafted.annual_report_create(year=2024, by=org.office)
    return org


def test_the_annual_reports_export_holds_the_lists_rows(annual):
    org = annual
    client = client_for(org.leader)
    sheet = read_sheet(client.get(reverse("annual_report_export")))
    assert headers_of(sheet) == ANNUAL_HEADERS
    assert [row[0] for row in rows_of(sheet)] == [
        r.year for r in _listed(client, "annual_report_list")
    ]
    issued, draft = rows_of(sheet)
    report = AnnualReport.objects.get(year=2025)
    assert issued[:7] == (
        2025,
        report.title,
        report.addressee,
        "已印发",
        report.sections.count(),
        report.reference,
        org.leader.display_name,
    )
    assert report.reference and report.sections.count() > 1
    assert _date(sheet, 2, 8) == TODAY and _date(sheet, 2, 9) == TODAY
    assert draft[0] == 2024 and draft[3] == "起草中" and draft[5:] == (None, None, None, None)


@pytest.fixture
def self_reports(org):
    """2026's self-report, issued; 2025's, a draft due later."""
    report = drafted.self_report_create(
        year=2026,
        inspection="关于做好统战工作专项督查准备工作的通知",
        due_on=D(2026, 11, 20),
        by=org.office,
    )
    last = report.sections.get(source="next")
    drafted.self_report_update(
        report=report,
        title=report.title,
        addressee=report.addressee,
        inspection=report.inspection,
        due_on=report.due_on,
        opening=report.opening,
        sections={last.pk: {"heading": last.heading, "body": "下一步，我们将……"}},
        by=org.office,
    )
    _issue(org, drafted.self_report_submit(report=report, by=org.office))
    drafted.self_report_create(
        year=2025, inspection="专项督查", due_on=D(2026, 12, 1), by=org.office
    )
    return org


def test_the_self_reports_export_holds_the_lists_rows(self_reports):
    org = self_reports
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("self_report_export")))
    assert headers_of(sheet) == SELF_REPORT_HEADERS
    assert [row[1] for row in rows_of(sheet)] == [
        r.title for r in _listed(client, "self_report_list")
    ]
    draft, issued = rows_of(sheet)
    report = InspectionSelfReport.objects.get(year=2026)
    assert issued[:4] == (2026, report.title, report.inspection, report.addressee)
    assert issued[5:9] == (
        "已印发",
        report.sections.count(),
        report.reference,
        org.leader.display_name,
    )
    assert report.reference
    assert _date(sheet, 3, 5) == D(2026, 11, 20)
    assert _date(sheet, 3, 10) == TODAY and _date(sheet, 3, 11) == TODAY
    assert draft[2] == "专项督查" and draft[5] == "起草中" and draft[7:] == (None, None, None, None)
    assert _date(sheet, 2, 5) == D(2026, 12, 1)


# Refused as the list refuses ------------------------------------------------------------------

URL_OF = {
    "review_rounds": ("review_round_list_export", "review_round_list"),
    "target_statements": ("target_statement_export", "target_statement_list"),
    "experience_briefings": ("experience_briefing_export", "experience_briefing_list"),
    "annual_reports": ("annual_report_export", "annual_report_list"),
    "self_reports": ("self_report_export", "self_report_list"),
}
PERSONAS = (
    "office",
    "leader",
    "deputy",
    "member",
    "commissioner_a",
    "commissioner_b",
    "outsider",
    "liaison",
    "publicity",
)


@pytest.mark.parametrize("key", sorted(URL_OF))
def test_an_export_is_refused_as_its_list_is_and_its_registration_agrees(org, key):
    export_url, list_url = URL_OF[key]
    registered = exports.get(key)
    assert registered is not None and registered.url_name == export_url
    refused = 0
    for persona in PERSONAS:
        user = getattr(org, persona)
        client = client_for(user)
        listed = client.get(reverse(list_url)).status_code
        assert listed in (200, 403), (persona, listed)
        assert client.get(reverse(export_url)).status_code == listed, (key, persona)
        assert registered.allowed(user) is (listed == 200), (key, persona)
        refused += listed == 403
    assert refused >= 3  # the outsider, the liaison, the publicity member at least
    assert client_for(None).get(reverse(export_url)).status_code == 302  # to the login


def test_the_list_pages_carry_their_query_to_the_export(statements):
    page = client_for(statements.office).get(reverse("target_statement_list"), {"year": "2026"})
    assert f'href="{reverse("target_statement_export")}?year=2026"' in page.content.decode()
    for key, (export_url, list_url) in URL_OF.items():
        page = client_for(statements.office).get(reverse(list_url)).content.decode()
        assert f'href="{reverse(export_url)}"' in page, key


# Queries --------------------------------------------------------------------------------------


def _more_rounds(org: Org, n: int) -> None:
    """`n` rounds of branch A, every other one locked and its report sent; each rated."""
    start = ReviewRound.objects.count()
    for i in range(n):
        locked = bool(i % 2)
        review = ReviewRound.objects.create(
            year=2000 + start + i,
            kind=ReviewRound.Kind.HALF_YEAR,
            title=f"述职评议{n}-{i}",
            due_on=D(2026, 12, 1),
            state=ReviewRound.State.LOCKED if locked else ReviewRound.State.RATING,
            opened_by=org.office,
            locked_at=timezone.now() if locked else None,
        )
        review.units.set([org.branch_a])
        PerformanceReport.objects.create(
            round=review, unit=org.branch_a, submitted_at=timezone.now() if locked else None
        )
        Rating.objects.create(round=review, unit=org.branch_a, grade="good", score=80)


def _more_statements(org: Org, n: int) -> None:
    start = TargetStatement.objects.count()
    for i in range(n):
        signed = bool(i % 2)
        TargetStatement.objects.create(
            year=2000 + start + i,
            unit=org.branch_a,
            targets="落实第一责任人\n配合联谊交友",
            state=TargetStatement.State.SIGNED if signed else TargetStatement.State.DRAFTING,
            signed_at=timezone.now() if signed else None,
            signed_by=org.office if signed else None,
        )


def _more_briefings(org: Org, n: int) -> None:
    experience = _selected(org, f"经验{n}", org.branch_a)
    for i in range(n):
        briefing = Briefing.objects.create(title=f"经验交流材料{n}-{i}", created_by=org.office)
        BriefingEntry.objects.create(briefing=briefing, experience=experience, position=1)


def _more_annual(org: Org, n: int) -> None:
    start = AnnualReport.objects.count()
    for i in range(n):
        report = AnnualReport.objects.create(year=2000 + start + i, title=f"汇报{n}-{i}")
        AnnualReportSection.objects.create(report=report, position=1, heading="主要工作")


def _more_self_reports(org: Org, n: int) -> None:
    for i in range(n):
        report = InspectionSelfReport.objects.create(
            year=2026, title=f"汇报提纲{n}-{i}", inspection="专项督查", due_on=D(2026, 12, 1)
        )
        report.sections.create(position=1, heading="主要工作")


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("review_round_list_export", "office", _more_rounds),
        ("review_round_list_export", "member", _more_rounds),
        ("review_round_list_export", "commissioner_a", _more_rounds),
        ("target_statement_export", "office", _more_statements),
        ("target_statement_export", "commissioner_a", _more_statements),
        ("experience_briefing_export", "office", _more_briefings),
        ("annual_report_export", "office", _more_annual),
        ("self_report_export", "leader", _more_self_reports),
    ],
)
def test_a_reports_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    client = client_for(getattr(org, persona))

    more(org, 1)  # a row, so that every related read runs
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows == rows + 20
    assert many == few

"""Four more lists on the export registry (`portal.exports`): the numbering series
(发文字号), the login lockouts (登录锁定), the research contact points (调研指导联系点)
and the rounds of liaison reports (联络员报告征集). Each read back with openpyxl:
Chinese headers, a row's values, dates as dates, exactly the list's rows under its
filter in the user's scope (a round's reports counted as the user may see them, also
when the worker builds the file), the roles the list refuses refused, and the same
queries for one row as for thirty."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections import research_services
from inspections.models import ContactPoint
from liaisons import services as liaison_services
from liaisons.models import LiaisonReport, ReportRound
from liaisons.rules import reports_sync
from portal import exports
from portal.documents.models import DocumentSeries
from portal.exportjobs.services import export_job_run, export_job_start
from portal.models import PoliticalStatus, Unit
from tests.conftest import client_for
from tests.deadline_helpers import at
from tests.documents_helpers import issued
from tests.factories import PersonFactory, UnitFactory
from tests.sheets import export_queries, headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date


def _refused(org, name: str, *personas: str) -> None:
    for persona in personas:
        response = client_for(getattr(org, persona)).get(reverse(name))
        assert response.status_code == 403, persona


def _export_button(user, list_name: str, export_name: str, query: str = "") -> None:
    """The list's 导出Excel carries the list's query."""
    page = client_for(user).get(reverse(list_name) + (f"?{query}" if query else ""))
    href = reverse(export_name) + (f"?{query}" if query else "")
    assert f'href="{href}"' in page.content.decode()


# The numbering series (发文字号) ---------------------------------------------------------

SERIES_HEADERS = [
    "名称",
    "前缀",
    "文号格式",
    "发文机关标志",
    "发文机关署名",
    "印发机关",
    "年度",
    "本年度印发",
    "本年度最后顺序号",
    "本年度最后文号",
    "累计印发",
    "最近印发日期",
]


def test_the_series_export_holds_each_series_with_this_years_numbers(org):
    # One notice issued last year and two this year, in the office's series (X统办).
    with time_machine.travel(at(2025, 11, 3, 10), tick=False):
        issued(org, title="去年的通知")
    with time_machine.travel(at(2026, 6, 10, 10), tick=False):
        issued(org, title="今年的通知一")
        issued(org, title="今年的通知二")
    client = client_for(org.office)
    with time_machine.travel(at(2026, 6, 15, 10), tick=False):
        sheet = read_sheet(client.get(reverse("document_series_export")))
        listed = [s.name for s in client.get(reverse("document_series_list")).context["series"]]
    assert headers_of(sheet) == SERIES_HEADERS
    rows = {row[0]: row for row in rows_of(sheet)}
    assert list(rows) == listed  # the list's series, in its order
    office = rows["领导小组办公室文件"]
    assert office[1:3] == ("X统办", "X统办〔2026〕N号")
    assert office[6:11] == (2026, 2, 2, "X统办〔2026〕2号", 3)
    cell = sheet.cell(row=listed.index("领导小组办公室文件") + 2, column=12)
    assert cell.is_date and cell.value.date() == D(2026, 6, 10)
    # A series with nothing issued: zero, no number, no date.
    assert rows["领导小组文件"][7:12] == (0, None, None, 0, None)
    _export_button(org.office, "document_series_list", "document_series_export")


# Login lockouts (登录锁定) ----------------------------------------------------------------

NOW = at(2026, 6, 15, 10)


def _attempt(username: str, *, failures: int = 5, minutes_ago: int = 5, **extra):
    """A throttling row of `username`, its last failure `minutes_ago` before `NOW`."""
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=extra.get("ip_address", "10.0.0.8"),
        user_agent=extra.get("user_agent", "Mozilla/5.0 测试浏览器"),
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=NOW - dt.timedelta(minutes=minutes_ago)
    )
    return attempt


def test_the_lockouts_export_holds_the_lists_lockouts(org, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 15 / 60
    _attempt("leader", minutes_ago=5)
    _attempt("member", minutes_ago=2, ip_address="10.0.0.9")
    _attempt("deputy", failures=2)  # under the limit: not locked
    _attempt("in_charge", minutes_ago=40)  # the cool-off has passed
    client = client_for(org.office)
    with time_machine.travel(NOW, tick=False):
        sheet = read_sheet(client.get(reverse("lockout_export")))
        listed = [a.username for a in client.get(reverse("lockout_list")).context["attempts"]]
    assert headers_of(sheet) == ["账号", "来源地址", "浏览器", "失败次数", "最近一次", "锁定至"]
    rows = rows_of(sheet)
    assert [row[0] for row in rows] == listed == ["member", "leader"]  # latest first
    assert rows[1][:4] == ("leader", "10.0.0.8", "Mozilla/5.0 测试浏览器", 5)
    last, until = sheet.cell(row=3, column=5), sheet.cell(row=3, column=6)
    assert last.is_date and until.is_date
    # Local wall-clock time, as the list shows it.
    assert last.value == at(2026, 6, 15, 9, 55).replace(tzinfo=None)
    assert until.value == at(2026, 6, 15, 10, 10).replace(tzinfo=None)
    with time_machine.travel(NOW, tick=False):
        _export_button(org.office, "lockout_list", "lockout_export")


# Contact points (调研指导联系点) -------------------------------------------------------------


@pytest.fixture
def contact_points(org):
    """Branch A a current contact point (the office's contact person), school A one
    ended on 30 April 2026."""
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        current = research_services.contact_point_add(
            unit=org.branch_a,
            since=D(2026, 3, 2),
            contact=org.office,
            note="=1+1 每学期走访",
            by=org.office,
        )
        ended = research_services.contact_point_add(
            unit=org.school_a, since=D(2026, 3, 2), by=org.office
        )
    with time_machine.travel(at(2026, 4, 30, 9), tick=False):
        research_services.contact_point_end(point=ended, until=D(2026, 4, 30), by=org.office)
    return current, ended


def test_the_contact_points_export_is_the_lists_rows_under_its_filter(org, contact_points):
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("contact_point_export")))
    assert headers_of(sheet) == [
        "联系点单位",
        "设立日期",
        "撤销日期",
        "状态",
        "办公室联系人",
        "备注",
    ]
    rows = {row[0]: row for row in rows_of(sheet)}
    assert set(rows) == {org.branch_a.name, org.school_a.name}
    assert rows[org.branch_a.name][2:] == (
        None,
        "现有联系点",
        org.office.display_name,
        "=1+1 每学期走访",
    )
    assert rows[org.school_a.name][3:5] == ("已撤销", None)  # an empty cell
    row = list(rows).index(org.school_a.name) + 2
    since, until = sheet.cell(row=row, column=2), sheet.cell(row=row, column=3)
    assert since.is_date and since.value.date() == D(2026, 3, 2)
    assert until.is_date and until.value.date() == D(2026, 4, 30)
    note = sheet.cell(row=list(rows).index(org.branch_a.name) + 2, column=6)
    assert (note.data_type, note.quotePrefix) == ("s", True)  # text, never a formula
    # The list's filter (状态) applies.
    for current, unit in (("yes", org.branch_a), ("no", org.school_a)):
        filtered = rows_of(
            read_sheet(client.get(reverse("contact_point_export"), {"current": current}))
        )
        page = client.get(reverse("contact_point_list"), {"current": current}).context["page"]
        assert [r[0] for r in filtered] == [p.unit.name for p in page] == [unit.name]
    _export_button(org.office, "contact_point_list", "contact_point_export", "current=yes")


def test_a_leader_exports_the_contact_points_the_list_shows_them(org, contact_points):
    """The office and the leaders see every contact point (the list's scope); the
    others are refused, as by the list."""
    client = client_for(org.leader)
    names = [row[0] for row in rows_of(read_sheet(client.get(reverse("contact_point_export"))))]
    listed = [p.unit.name for p in client.get(reverse("contact_point_list")).context["page"]]
    assert names == listed and set(names) == {org.branch_a.name, org.school_a.name}
    _refused(org, "contact_point_export", "member", "commissioner_a", "liaison", "outsider")


# Rounds of liaison reports (联络员报告征集) ------------------------------------------------------


REPORT_FIELDS = {"views": "关注职称评审。", "issues": "", "deeds": "", "recommendations": ""}


@pytest.fixture
def term(org):
    """School A's liaison (the `liaison` login) and branch B's school's, and this
    semester's round (2026-autumn, due 14 January 2027), school A's report submitted."""
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        person = org.liaison.person
        person.political_status = PoliticalStatus.NON_PARTY
        person.save()
        liaison_services.liaison_appoint(
            unit=org.school_a, person=person, start_date=D(2026, 9, 1), by=org.office
        )
        school_b = UnitFactory(name="经济管理学院", kind="school", parent=org.branch_b)
        other = PersonFactory(name="党外乙", unit=school_b, political_status=PoliticalStatus.JIUSAN)
        liaison_services.liaison_appoint(
            unit=school_b, person=other, start_date=D(2026, 9, 1), by=org.office
        )
        reports_sync(D(2026, 12, 1))
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        mine = LiaisonReport.objects.get(liaison__unit=org.school_a)
        liaison_services.report_save(report=mine, fields=REPORT_FIELDS, submit=True, by=org.office)
    return ReportRound.objects.get()


ROUND_HEADERS = [
    "名称",
    "学期",
    "报告重点",
    "报送截止日期",
    "状态",
    "发起",
    "发起日期",
    "已报送",
    "应报送",
]


MID_ROUND = at(2026, 12, 10, 9)


def _round_export(user, day=MID_ROUND):
    with time_machine.travel(day, tick=False):
        return read_sheet(client_for(user).get(reverse("liaison_round_export")))


def test_the_rounds_export_holds_each_round_with_its_reports_in(org, term):
    sheet = _round_export(org.office)
    assert headers_of(sheet) == ROUND_HEADERS
    (row,) = rows_of(sheet)
    assert row[:3] == ("2026年秋季学期联络员报告", "2026年秋季学期", None)  # no topic
    assert row[4:6] == ("征集中", "按学期")
    assert row[7:] == (1, 2)
    due, opened = sheet.cell(row=2, column=4), sheet.cell(row=2, column=7)
    assert due.is_date and due.value.date() == D(2027, 1, 14)
    assert opened.is_date and opened.value.date() == D(2026, 12, 1)
    # Past its due day the round is closed.
    (later,) = rows_of(_round_export(org.office, at(2027, 1, 15, 9)))
    assert later[4] == "已截止"
    with time_machine.travel(MID_ROUND, tick=False):
        _export_button(org.office, "liaison_round_list", "liaison_round_export")


# persona -> (submitted, expected): the reports of the round the persona may see.
ROUND_COUNTS_BY_ROLE = {
    "office": (1, 2),
    "leader": (1, 2),
    "member": (1, 2),
    "commissioner_a": (1, 1),  # branch A's units: school A
    "commissioner_b": (0, 1),  # branch B's: the school of economics
    "liaison": (1, 1),  # their own
}


@pytest.mark.parametrize("persona", sorted(ROUND_COUNTS_BY_ROLE))
def test_the_rounds_export_counts_the_reports_the_user_may_see(org, term, persona):
    user = getattr(org, persona)
    (row,) = rows_of(_round_export(user))
    assert row[7:] == ROUND_COUNTS_BY_ROLE[persona]
    with time_machine.travel(MID_ROUND, tick=False):
        (listed,) = client_for(user).get(reverse("liaison_round_list")).context["page"]
    assert (listed.submitted, listed.expected) == ROUND_COUNTS_BY_ROLE[persona]


def test_a_commissioners_rounds_export_prepared_in_the_background_is_as_scoped(org, term, settings):
    """Over the threshold the file is built by the worker from the key and the
    querystring alone: the same rows, counted for the same user."""
    settings.EXPORT_ASYNC_THRESHOLD = 0
    with time_machine.travel(MID_ROUND, tick=False):
        offer = client_for(org.commissioner_b).get(reverse("liaison_round_export"))
        assert offer.status_code == 200 and "Content-Disposition" not in offer
        job = export_job_start(key="liaison_rounds", querystring="", by=org.commissioner_b)
        assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet) == ROUND_HEADERS
    (row,) = rows_of(sheet)
    assert row[7:] == ROUND_COUNTS_BY_ROLE["commissioner_b"]


# Refused as the list refuses ------------------------------------------------------------

URL_OF = {
    "document_series": ("document_series_export", "document_series_list"),
    "lockouts": ("lockout_export", "lockout_list"),
    "contact_points": ("contact_point_export", "contact_point_list"),
    "liaison_rounds": ("liaison_round_export", "liaison_round_list"),
}
PERSONAS = (
    "office",
    "leader",
    "deputy",
    "in_charge",
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
    assert refused >= 2  # the outsider and the publicity member at least
    assert client_for(None).get(reverse(export_url)).status_code == 302  # to the login


# Query counts: an export's queries do not grow with its rows --------------------------


def _more_series(org, n: int) -> None:
    start = DocumentSeries.objects.count()
    for i in range(n):
        DocumentSeries.objects.create(
            key=f"s{start + i}",
            name=f"系列{start + i}",
            prefix=f"X{start + i}",
            header="版头",
            signing_unit="署名",
            printed_by="印发机关",
        )


def _more_lockouts(org, n: int) -> None:
    start = AccessAttempt.objects.count()
    for i in range(n):
        AccessAttempt.objects.create(
            username=f"user{start + i}",
            ip_address="10.0.0.8",
            user_agent="Mozilla/5.0",
            http_accept="text/html",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=10,
        )


def _more_contact_points(org, n: int) -> None:
    start = Unit.objects.count()
    for i in range(n):
        unit = Unit.objects.create(name=f"单位{start + i}", kind=Unit.Kind.DEPARTMENT)
        ContactPoint.objects.create(
            unit=unit, since=timezone.localdate(), contact=org.office if i % 2 else None
        )


def _more_rounds(org, n: int) -> None:
    from liaisons.models import Liaison

    liaison = Liaison.objects.first()
    if liaison is None:
        person = PersonFactory(unit=org.school_a, political_status=PoliticalStatus.NON_PARTY)
        liaison = liaison_services.liaison_appoint(
            unit=org.school_a, person=person, start_date=D(2026, 3, 1), by=org.office
        )
    start = ReportRound.objects.count()
    for i in range(n):
        report_round = ReportRound.objects.create(
            period=f"{2000 + start + i}-spring",  # one scheduled round a semester
            title=f"专题{start + i}",
            due_on=D(2026, 7, 1),
            opened_by=org.office if i % 2 else None,
        )
        LiaisonReport.objects.create(round=report_round, liaison=liaison)


@pytest.mark.parametrize(
    ("name", "more"),
    [
        ("document_series_export", _more_series),
        ("lockout_export", _more_lockouts),
        ("contact_point_export", _more_contact_points),
        ("liaison_round_export", _more_rounds),
    ],
)
def test_an_exports_queries_do_not_grow_with_its_rows(org, name, more):
    client = client_for(org.office)
    more(org, 1)
    few, _rows = export_queries(client, reverse(name))
    more(org, 30)
    many, rows = export_queries(client, reverse(name))
    assert many == few
    assert rows >= 31

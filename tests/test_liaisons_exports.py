"""The liaisons app's new registered exports (`liaisons.exporting`): the consultations
(征求意见), the liaison officers' training sessions and meetings (培训和会议) and the
publicity pieces (宣传稿件). Each read back with openpyxl: Chinese headers, dates as
dates, exactly the list's filtered rows in the user's scope (a unit its own
consultations, a publicity member their own pieces and the published ones), formula-like
text kept as text, the same columns for every role (no detail page hides a field from a
reader), the same queries for one row as for twenty, the roles the list refuses refused,
and the background job's file the same rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from liaisons import services
from liaisons.models import Liaison
from liaisons.publicity import services as publicity
from portal import exports
from portal.exportjobs.services import export_job_run, export_job_start
from portal.models import PoliticalStatus, Role, Unit
from tests.conftest import Org, client_for, make_user
from tests.deadline_helpers import at
from tests.factories import PersonFactory, UnitFactory
from tests.sheets import assert_text_cell, date_at, export_queries, headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
DAY = at(2026, 12, 1, 10)  # a Tuesday
LATER = at(2026, 12, 20, 10)  # past the consultations' answer deadline


@pytest.fixture(autouse=True)
def _on_a_day():
    with time_machine.travel(DAY, tick=False):
        yield


# Consultations (征求意见) --------------------------------------------------------------------

CONSULTATION_HEADERS = ["提交日期", "事由", "征求单位", "类别", "状态", "提交人", "情况说明"]


def _file(org: Org, title: str, *, unit=None, by=None):
    return services.consultation_file(
        unit=unit or org.branch_a,
        kind="matter",
        title=title,
        matter="拟推荐两名党外教师，请提出意见。",
        by=by or org.commissioner_a,
    )


@pytest.fixture
def consultations(org):
    """Branch A's consultation (its title formula-like), answered and closed; school A's
    waiting; branch B's filed by the office; and one of the office's own unit by the
    group member."""
    closed = _file(org, "=HYPERLINK(1) 研修班")
    services.consultation_answer(consultation=closed, opinion="同意。", by=org.office)
    services.consultation_close(
        consultation=closed, adoption="partly", note="部分采纳", by=org.commissioner_a
    )
    _file(org, "机电学院征求", unit=org.school_a)
    _file(org, "经管学院征求", unit=org.branch_b, by=org.office)
    _file(org, "统战部征求", unit=org.ufw_dept, by=org.member)
    return org


ALL_CONSULTATIONS = {"=HYPERLINK(1) 研修班", "机电学院征求", "经管学院征求", "统战部征求"}


def test_the_consultations_export_is_exactly_the_lists_filtered_rows(consultations):
    org = consultations
    url = reverse("consultation_export")
    with time_machine.travel(LATER, tick=False):
        client = client_for(org.office)
        for query in ({}, {"state": "filed"}, {"state": "closed"}, {"year": "2025"}):
            sheet = read_sheet(client.get(url, query))
            listed = client.get(reverse("consultation_list"), query).context["page"]
            assert [row[1] for row in rows_of(sheet)] == [c.title for c in listed], query
        assert rows_of(read_sheet(client.get(url, {"year": "2025"}))) == []
        closed = read_sheet(client.get(url, {"state": "closed"}))
        waiting = read_sheet(client.get(url, {"state": "filed"}))
    assert headers_of(closed)[:7] == CONSULTATION_HEADERS
    (row,) = rows_of(closed)
    assert row[2:6] == (org.branch_a.name, "事项办理", "已办结", org.commissioner_a.display_name)
    assert row[8] is None  # the deadline is met: no light (an empty cell)
    assert (row[10], row[11], row[12], row[13]) == (
        org.office.display_name,
        "同意。",
        "部分采纳",
        "部分采纳",
    )
    assert_text_cell(closed, "=HYPERLINK(1) 研修班")
    assert date_at(closed, 2, 1) == D(2026, 12, 1)  # filed
    assert date_at(closed, 2, 10) == D(2026, 12, 1)  # answered
    assert date_at(closed, 2, 15) == D(2026, 12, 1)  # closed
    lights = {row[1]: row[8] for row in rows_of(waiting)}
    assert set(lights.values()) == {"已逾期"}  # in words, as the list's red light
    assert date_at(waiting, 2, 8) < D(2026, 12, 20)  # the answer's due date, a date


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("office", ALL_CONSULTATIONS),
        ("leader", ALL_CONSULTATIONS),
        ("member", {"统战部征求"}),  # the group member's own unit
        ("commissioner_a", {"=HYPERLINK(1) 研修班", "机电学院征求"}),  # and school A
        ("commissioner_b", {"经管学院征求"}),
    ],
)
def test_the_consultations_export_is_the_users_scope_with_the_same_columns(
    consultations, persona, titles
):
    client = client_for(getattr(consultations, persona))
    sheet = read_sheet(client.get(reverse("consultation_export")))
    assert len(headers_of(sheet)) == 15 and headers_of(sheet)[:7] == CONSULTATION_HEADERS
    assert {row[1] for row in rows_of(sheet)} == titles
    listed = client.get(reverse("consultation_list")).context["page"]
    assert [row[1] for row in rows_of(sheet)] == [c.title for c in listed]


# Training sessions and meetings (培训和会议) ------------------------------------------------


def _appoint(org: Org, name: str) -> Liaison:
    unit = UnitFactory(name=f"{name}学院", kind=Unit.Kind.SCHOOL)
    person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.NON_PARTY)
    return services.liaison_appoint(
        unit=unit, person=person, start_date=D(2025, 9, 1), by=org.office
    )


def _session(org: Org, title: str, held_on: dt.date, **extra):
    return services.session_record(
        kind=extra.pop("kind", "training"), title=title, held_on=held_on, by=org.office, **extra
    )


@pytest.fixture
def sessions(org):
    """Two liaisons; a training attended by 甲 (乙 away on leave) and an earlier meeting."""
    first, second = _appoint(org, "联络甲"), _appoint(org, "联络乙")
    training = _session(
        org,
        "联络员业务培训",
        D(2026, 11, 20),
        place="会议室",
        organiser="=统战部",
        content="政策解读",
    )
    rows = {row.liaison_id: row.pk for row in training.attendance.all()}
    services.attendance_record(
        session=training,
        attended=[rows[first.pk]],
        reasons={rows[second.pk]: "病假"},
        by=org.office,
    )
    _session(org, "联络员例会", D(2026, 10, 9), kind="meeting")
    return org


def test_the_sessions_export_is_the_lists_rows_with_their_attendance(sessions):
    org = sessions
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("liaison_session_export")))
    headers = headers_of(sheet)
    assert headers[:4] == ["日期", "名称", "类别", "地点"]
    assert headers[-4:] == ["应到", "出席", "出席人员", "缺席人员（原因）"]
    rows = rows_of(sheet)
    listed = client.get(reverse("liaison_session_list")).context["page"]
    assert [row[1] for row in rows] == [s.title for s in listed] == ["联络员业务培训", "联络员例会"]
    assert rows[0][2:] == (
        "培训",
        "会议室",
        "=统战部",
        "政策解读",
        2,
        1,
        "联络甲",
        "联络乙（病假）",
    )
    assert rows[1][6:] == (2, 0, None, "联络甲、联络乙")
    assert_text_cell(sheet, "=统战部")
    assert date_at(sheet, 2, 1) == D(2026, 11, 20)
    assert date_at(sheet, 3, 1) == D(2026, 10, 9)


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_b"])
def test_every_role_of_the_sessions_list_exports_the_same_rows(sessions, persona):
    office = rows_of(read_sheet(client_for(sessions.office).get(reverse("liaison_session_export"))))
    theirs = read_sheet(
        client_for(getattr(sessions, persona)).get(reverse("liaison_session_export"))
    )
    assert rows_of(theirs) == office  # every session is on the list for every reader


# Publicity pieces (宣传稿件) ----------------------------------------------------------------

PIECE_HEADERS = ["创建日期", "标题", "撰稿人", "发布渠道", "先进典型专题报道", "报道对象", "状态"]


def _draft(by, title: str, **extra):
    return publicity.piece_create(
        title=title,
        text="正文",
        channel=extra.pop("channel", "wechat"),
        author=by.person,
        by=by,
        **extra,
    )


@pytest.fixture
def pieces(org):
    """The publicity member's published special report (returned once, then approved),
    their draft, and another member's published piece and submitted one."""
    other = make_user("pb", org.ufw_dept, Role.PUBLICITY)
    org.other_member = other
    mine = _draft(org.publicity, "=SUM(1) 先进事迹", special=True, figure_name="张教授")
    publicity.piece_submit(piece=mine, by=org.publicity)
    publicity.piece_return(piece=mine, comments="请补充图片", by=org.office)
    publicity.piece_submit(piece=mine, by=org.publicity)
    publicity.piece_approve(piece=mine, comments="可以发布", by=org.office)
    publicity.piece_publish(
        piece=mine, published_on=D(2026, 12, 1), link="https://example.edu.cn/a", by=org.publicity
    )
    _draft(org.publicity, "我的草稿", channel="website")
    theirs = _draft(other, "他人已发布", channel="website")
    publicity.piece_submit(piece=theirs, by=other)
    publicity.piece_approve(piece=theirs, by=org.office)
    publicity.piece_publish(
        piece=theirs, published_on=D(2026, 12, 1), link="https://example.edu.cn/b", by=other
    )
    waiting = _draft(other, "他人待审核")
    publicity.piece_submit(piece=waiting, by=other)
    return org


ALL_PIECES = {"=SUM(1) 先进事迹", "我的草稿", "他人已发布", "他人待审核"}


def test_the_pieces_export_is_exactly_the_lists_filtered_rows(pieces):
    org = pieces
    url = reverse("publicity_piece_export")
    client = client_for(org.office)
    for query in ({}, {"state": "published"}, {"channel": "website"}, {"state": "submitted"}):
        sheet = read_sheet(client.get(url, query))
        listed = client.get(reverse("publicity_piece_list"), query).context["page"]
        assert [row[1] for row in rows_of(sheet)] == [p.title for p in listed], query
    sheet = read_sheet(client.get(url))
    assert headers_of(sheet)[:7] == PIECE_HEADERS
    assert headers_of(sheet)[-3:] == ["最近审核意见", "发布日期", "发布链接"]
    by_title = {row[1]: row for row in rows_of(sheet)}
    special = by_title["=SUM(1) 先进事迹"]
    assert special[2:8] == (
        org.publicity.person.name,
        "学院微信公众号",
        "是",
        "张教授",
        "已发布",
        2,
    )
    assert (special[11], special[13]) == ("第2轮：审核通过；可以发布", "https://example.edu.cn/a")
    published = date_at(sheet, [row[1] for row in rows_of(sheet)].index(special[1]) + 2, 13)
    assert published == D(2026, 12, 1)
    assert by_title["他人已发布"][11] == "第1轮：审核通过"
    assert by_title["他人待审核"][11] is None  # not decided yet
    assert by_title["他人待审核"][10] in {"正常", "临近期限"}  # the review's light in words
    assert_text_cell(sheet, "=SUM(1) 先进事迹")
    rows = [row[1] for row in rows_of(sheet)]
    assert date_at(sheet, rows.index("他人待审核") + 2, 1) == D(2026, 12, 1)
    assert date_at(sheet, rows.index("他人待审核") + 2, 10) > D(2026, 12, 1)  # the review's due


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("office", ALL_PIECES),
        ("leader", ALL_PIECES),
        ("publicity", {"=SUM(1) 先进事迹", "我的草稿", "他人已发布"}),  # not another's draft
        ("other_member", {"=SUM(1) 先进事迹", "他人已发布", "他人待审核"}),
    ],
)
def test_the_pieces_export_is_the_users_scope_with_the_same_columns(pieces, persona, titles):
    client = client_for(getattr(pieces, persona))
    sheet = read_sheet(client.get(reverse("publicity_piece_export")))
    assert len(headers_of(sheet)) == 14 and headers_of(sheet)[:7] == PIECE_HEADERS
    assert {row[1] for row in rows_of(sheet)} == titles
    listed = client.get(reverse("publicity_piece_list")).context["page"]
    assert [row[1] for row in rows_of(sheet)] == [p.title for p in listed]


# Refused as the list refuses ------------------------------------------------------------------

URL_OF = {
    "consultations": ("consultation_export", "consultation_list"),
    "liaison_sessions": ("liaison_session_export", "liaison_session_list"),
    "liaison_reports": ("liaison_report_export", "liaison_report_list"),
    "publicity_pieces": ("publicity_piece_export", "publicity_piece_list"),
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
    assert registered is not None
    refused = 0
    for persona in PERSONAS:
        user = getattr(org, persona)
        client = client_for(user)
        listed = client.get(reverse(list_url)).status_code
        assert listed in (200, 403), (persona, listed)
        assert client.get(reverse(export_url)).status_code == listed, (key, persona)
        assert registered.allowed(user) is (listed == 200), (key, persona)
        refused += listed == 403
    assert refused >= 2  # the outsider and the liaison (or the publicity member) at least
    assert client_for(None).get(reverse(export_url)).status_code == 302  # to the login


# Queries --------------------------------------------------------------------------------------


def _more_consultations(org, n: int) -> None:
    for i in range(n):
        c = _file(org, f"征求{n}-{i}")
        if i % 2:
            services.consultation_answer(consultation=c, opinion="同意。", by=org.office)


def _more_sessions(org, n: int) -> None:
    if not Liaison.objects.exists():
        _appoint(org, "联络甲")
        _appoint(org, "联络乙")
    for i in range(n):
        _session(org, f"培训{n}-{i}", D(2026, 11, 1) - dt.timedelta(days=i))


def _more_pieces(org, n: int) -> None:
    for i in range(n):
        piece = _draft(org.publicity, f"稿件{n}-{i}")
        publicity.piece_submit(piece=piece, by=org.publicity)
        if i % 2:
            publicity.piece_return(piece=piece, comments="请修改", by=org.office)


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("consultation_export", "office", _more_consultations),
        ("consultation_export", "commissioner_a", _more_consultations),
        ("liaison_session_export", "office", _more_sessions),
        ("publicity_piece_export", "office", _more_pieces),
        ("publicity_piece_export", "publicity", _more_pieces),
    ],
)
def test_a_liaisons_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    client = client_for(getattr(org, persona))

    more(org, 1)  # a row, so that every related read runs
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows == rows + 20
    assert many == few


# The background job ---------------------------------------------------------------------------


def test_a_publicity_members_job_holds_their_scope_under_the_filter(pieces, settings):
    org = pieces
    settings.EXPORT_ASYNC_THRESHOLD = 0
    offer = client_for(org.publicity).get(reverse("publicity_piece_export"), {"channel": "website"})
    assert offer.status_code == 200 and "Content-Disposition" not in offer
    job = export_job_start(key="publicity_pieces", querystring="channel=website", by=org.publicity)
    assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet)[:7] == PIECE_HEADERS
    assert {row[1] for row in rows_of(sheet)} == {"我的草稿", "他人已发布"}
    assert (job.rows_total, job.rows_done) == (2, 2)


def test_the_list_pages_carry_their_query_to_the_export(org):
    client = client_for(org.office)
    page = client.get(reverse("consultation_list"), {"state": "filed"}).content.decode()
    assert f'href="{reverse("consultation_export")}?state=filed"' in page
    page = client.get(reverse("publicity_piece_list"), {"channel": "wechat"}).content.decode()
    assert f'href="{reverse("publicity_piece_export")}?channel=wechat"' in page
    page = client.get(reverse("liaison_session_list")).content.decode()
    assert f'href="{reverse("liaison_session_export")}"' in page

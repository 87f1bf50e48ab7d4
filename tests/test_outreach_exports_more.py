"""The pairs (联系交友) and talks (谈心谈话) lists' registered exports
(`outreach.exporting`). Each read back with openpyxl: Chinese headers, dates as dates,
exactly the list's filtered rows in the user's scope (a leader their own pairs and
talks, never another leader's talk or what was said in it), formula-like text kept as
text, the same queries for one row as for twenty, and the roles the list refuses
refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from outreach.models import Figure, Talk
from outreach.services import figures as figure_services
from outreach.services import pairs as pair_services
from portal import exports
from portal.exportjobs.services import export_job_run, export_job_start
from portal.models import PoliticalStatus
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.sheets import assert_text_cell, export_queries, headers_of, read_sheet, rows_of, text_of

pytestmark = pytest.mark.dateless  # relative dates only; the shifted legs skip it


def _today() -> dt.date:
    return timezone.localdate()


def _figure(org, unit, name, **extra) -> Figure:
    person = PersonFactory(
        name=name, unit=unit, political_status=PoliticalStatus.JIUSAN, title="教授"
    )
    return figure_services.figure_create(
        person=person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=dt.date(2024, 3, 1),
        by=org.office,
        **extra,
    )


def _pair(org, leader, figure, *, days=30, note=""):
    return pair_services.pair_create(
        leader=leader.person,
        figure=figure,
        start_date=_today() - dt.timedelta(days=days),
        note=note,
        by=org.office,
    )


# Pairs (联系交友) ------------------------------------------------------------------------

PAIR_HEADERS = [
    "联系领导",
    "联系对象",
    "对象单位",
    "重点联系对象",
    "结对日期",
    "结束日期",
    "本学年最近联系",
    "备注",
]


@pytest.fixture
def pairs(org):
    """The group leader with 党外丁 (a key contact, contacted today, a formula-like note)
    and, ended, with 党外己; the leader in charge with 党外戊."""
    ding = _figure(org, org.branch_b, "党外丁", is_key_contact=True)
    wu = _figure(org, org.branch_b, "党外戊")
    ji = _figure(org, org.school_a, "党外己")
    _pair(org, org.leader, ding, note='=HYPERLINK("http://x")')
    _pair(org, org.in_charge, wu)
    ended = _pair(org, org.leader, ji, days=60)
    pair_services.pair_end(
        pair=ended, end_date=_today() - dt.timedelta(days=1), reason="调离", by=org.office
    )
    pair_services.contact_record(
        leader=org.leader.person,
        figures=[ding],
        kind="visit",
        date=_today(),
        summary="走访",
        by=org.leader,
    )
    return org


def test_the_pairs_export_is_exactly_the_lists_filtered_rows(pairs):
    org = pairs
    client = client_for(org.office)
    for query in ({}, {"state": "all"}, {"state": "ended"}, {"key": "true"}, {"q": "党外戊"}):
        sheet = read_sheet(client.get(reverse("pair_export"), query))
        listed = client.get(reverse("pair_list"), query).context["page"]
        assert [row[1] for row in rows_of(sheet)] == [p.figure_name for p in listed], query
    sheet = read_sheet(client.get(reverse("pair_export")))
    assert headers_of(sheet) == PAIR_HEADERS
    by_figure = {row[1]: row for row in rows_of(sheet)}
    assert set(by_figure) == {"党外丁", "党外戊"}  # in force today: the list's default
    ding = by_figure["党外丁"]
    assert (ding[0], ding[2], ding[3]) == (org.leader.person.name, org.branch_b.name, "是")
    assert by_figure["党外戊"][6] is None  # not contacted this year
    assert_text_cell(sheet, '=HYPERLINK("http://x")')
    row = [r[1] for r in rows_of(sheet)].index("党外丁") + 2
    start, seen = sheet.cell(row=row, column=5), sheet.cell(row=row, column=7)
    assert start.is_date and start.value.date() == _today() - dt.timedelta(days=30)
    assert seen.is_date and seen.value.date() == _today()
    ended = rows_of(read_sheet(client.get(reverse("pair_export"), {"state": "ended"})))
    assert [(r[1], r[5].date()) for r in ended] == [("党外己", _today() - dt.timedelta(days=1))]


@pytest.mark.parametrize(
    ("persona", "figures"),
    [
        ("office", {"党外丁", "党外戊", "党外己"}),
        ("leader", {"党外丁", "党外己"}),  # the pairs they lead
        ("in_charge", {"党外戊"}),
        ("member", set()),  # leads no pair
    ],
)
def test_the_pairs_export_is_the_users_scope(pairs, persona, figures):
    client = client_for(getattr(pairs, persona))
    sheet = read_sheet(client.get(reverse("pair_export"), {"state": "all"}))
    assert {row[1] for row in rows_of(sheet)} == figures
    listed = client.get(reverse("pair_list"), {"state": "all"}).context["page"]
    assert {p.figure_name for p in listed} == figures


# Talks (谈心谈话) ------------------------------------------------------------------------

TALK_HEADERS = [
    "谈话日期",
    "谈话领导",
    "谈话对象",
    "谈话形式",
    "地点",
    "主题",
    "谈话情况",
    "反映的意见建议",
    "状态",
    "报送日期",
    "编入工作简报",
]


@pytest.fixture
def talks(pairs):
    """The group leader's talk with 党外丁, sent (a formula-like topic, what was said);
    the leader in charge's draft with 党外戊, recorded by the office."""
    org = pairs
    ding, wu = Figure.objects.get(person__name="党外丁"), Figure.objects.get(person__name="党外戊")
    mine = pair_services.talk_save(
        talk=None,
        leader=org.leader.person,
        figures=[ding],
        mode=Talk.Mode.ONE_TO_ONE,
        date=_today() - dt.timedelta(days=2),
        place="办公室",
        topic='=HYPERLINK("http://y")',
        summary="谈了职称评审中的困惑",
        raised="建议完善评审办法",
        by=org.leader,
    )
    pair_services.talk_send(talk=mine, by=org.leader)
    pair_services.talk_save(
        talk=None,
        leader=org.in_charge.person,
        figures=[wu],
        mode=Talk.Mode.GROUP,
        date=_today() - dt.timedelta(days=1),
        summary="谈了家属就业的难处",
        raised="希望协调子女入学",
        by=org.office,
    )
    return org


def test_the_talks_export_is_exactly_the_lists_filtered_rows(talks):
    org = talks
    client = client_for(org.office)
    queries = (
        {},
        {"state": "draft"},
        {"state": "sent"},
        {"mode": "group"},
        {"q": "党外丁"},
        {"year": str(_today().year - 1)},
    )
    for query in queries:
        sheet = read_sheet(client.get(reverse("talk_export"), query))
        listed = client.get(reverse("talk_list"), query).context["page"]
        assert [row[2] for row in rows_of(sheet)] == ["、".join(t.figure_names) for t in listed], (
            query
        )
    sheet = read_sheet(client.get(reverse("talk_export")))
    assert headers_of(sheet) == TALK_HEADERS
    rows = rows_of(sheet)
    assert [row[2] for row in rows] == ["党外戊", "党外丁"]  # the list's order: latest first
    draft, sent = rows
    assert (draft[1], draft[3], draft[8], draft[9]) == (
        org.in_charge.person.name,
        "一对多集体谈心",
        "草稿",
        None,
    )
    assert (sent[4], sent[6], sent[7], sent[8]) == (
        "办公室",
        "谈了职称评审中的困惑",
        "建议完善评审办法",
        "已报送办公室",
    )
    assert_text_cell(sheet, '=HYPERLINK("http://y")')
    day, sent_on = sheet.cell(row=3, column=1), sheet.cell(row=3, column=10)
    assert day.is_date and day.value.date() == _today() - dt.timedelta(days=2)
    assert sent_on.is_date and sent_on.value.date() == _today()


@pytest.mark.parametrize(
    ("persona", "figures"),
    [
        ("office", ["党外戊", "党外丁"]),
        ("leader", ["党外丁"]),  # the talks they held
        ("in_charge", ["党外戊"]),
        ("member", []),
    ],
)
def test_a_talks_content_is_exported_only_to_who_may_open_the_talk(talks, persona, figures):
    """What a figure said (谈话情况, 反映的意见建议) is in the rows of the talks the user
    may open, as on the talk's page, and nowhere else."""
    client = client_for(getattr(talks, persona))
    sheet = read_sheet(client.get(reverse("talk_export")))
    assert headers_of(sheet) == TALK_HEADERS
    assert [row[2] for row in rows_of(sheet)] == figures
    text = text_of(sheet)
    assert ("职称评审中的困惑" in text) is ("党外丁" in figures)
    assert ("完善评审办法" in text) is ("党外丁" in figures)
    assert ("家属就业" in text) is ("党外戊" in figures)
    assert ("子女入学" in text) is ("党外戊" in figures)
    for talk in Talk.objects.all():
        opened = client.get(talk.get_absolute_url()).status_code
        assert (opened == 200) is (talk.figures.get().person.name in figures), (persona, talk)


def test_a_leaders_talks_job_holds_their_own_filtered_rows(talks, settings):
    org = talks
    settings.EXPORT_ASYNC_THRESHOLD = 0
    offer = client_for(org.leader).get(reverse("talk_export"), {"state": "sent"})
    assert offer.status_code == 200 and "Content-Disposition" not in offer
    job = export_job_start(key="talks", querystring="state=sent", by=org.leader)
    assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet) == TALK_HEADERS
    assert [row[2] for row in rows_of(sheet)] == ["党外丁"]
    assert (job.rows_total, job.rows_done) == (1, 1)


# Refused as the list refuses ----------------------------------------------------------------

URL_OF = {
    "pairs": ("pair_export", "pair_list"),
    "talks": ("talk_export", "talk_list"),
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
    """The view's answer is the list's (403 for a role the list refuses), and the
    registered `allowed`, which the background job checks, says the same."""
    export_url, list_url = URL_OF[key]
    registered = exports.get(key)
    assert registered is not None
    refused = 0
    for persona in PERSONAS:
        user = getattr(org, persona)
        client = client_for(user)
        listed = client.get(reverse(list_url)).status_code
        exported = client.get(reverse(export_url)).status_code
        assert listed in (200, 403), (persona, listed)
        assert exported == listed, (key, persona)
        assert registered.allowed(user) is (listed == 200), (key, persona)
        refused += listed == 403
    assert refused >= 5  # the commissioners, the outsider, the liaison, the publicity member
    assert client_for(None).get(reverse(export_url)).status_code == 302  # to the login


# Queries: an export's queries do not grow with its rows ---------------------------------------


def _more_pairs(org, n: int) -> None:
    for i in range(n):
        figure = _figure(org, org.branch_b, f"结对{n}-{i}", is_key_contact=bool(i % 2))
        _pair(org, org.leader, figure, note=f"备注{i}")
        if i % 3:
            pair_services.contact_record(
                leader=org.leader.person,
                figures=[figure],
                kind="call",
                date=_today(),
                summary=f"联系{n}-{i}",
                by=org.office,
            )


def _more_talks(org, n: int) -> None:
    for i in range(n):
        figure = _figure(org, org.branch_b, f"谈话{n}-{i}")
        other = _figure(org, org.school_a, f"谈话{n}-{i}乙")
        _pair(org, org.leader, figure)
        _pair(org, org.leader, other)
        talk = pair_services.talk_save(
            talk=None,
            leader=org.leader.person,
            figures=[figure, other],
            mode=Talk.Mode.TOPIC,
            date=_today() - dt.timedelta(days=1 + i % 20),
            summary=f"谈话情况{n}-{i}",
            by=org.office,
        )
        if i % 2:
            pair_services.talk_send(talk=talk, by=org.office)


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("pair_export", "office", _more_pairs),
        ("pair_export", "leader", _more_pairs),
        ("talk_export", "office", _more_talks),
        ("talk_export", "leader", _more_talks),
    ],
)
def test_an_outreach_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    client = client_for(getattr(org, persona))

    more(org, 1)  # a row, so that every related read runs (none runs on no rows)
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows == rows + 20
    assert many == few

"""The outreach lists' registered exports (`outreach.exporting`): the register
(党外人士名册), the returned-overseas list, contacts, suggestions and the cadre reserve.
Each read back with openpyxl: Chinese headers, dates as dates, the list's filter and
scope, formula-like text kept as text, what a role may not see left out, the same
queries for one row as for twenty, and the roles the list refuses refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from outreach.models import Figure, OverseasRecord
from outreach.services import figures as figure_services
from outreach.services import learning
from outreach.services import pairs as pair_services
from outreach.services import suggestions as suggestion_services
from portal import exports
from portal.exportjobs.models import ExportJob
from portal.exportjobs.services import export_job_run, export_job_start
from portal.models import PoliticalStatus, SensitiveView
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.sheets import assert_text_cell, export_queries, headers_of, read_sheet, rows_of

pytestmark = pytest.mark.dateless  # relative dates only; the shifted legs skip it


def _today() -> dt.date:
    return timezone.localdate()


def _figure(org, unit, name, *, affiliation="", overseas=None, **extra) -> Figure:
    person = PersonFactory(
        name=name, unit=unit, political_status=PoliticalStatus.JIUSAN, title="教授"
    )
    figure = figure_services.figure_create(
        person=person,
        category=extra.pop("category", Figure.Category.DEMOCRATIC_PARTY),
        registered_on=dt.date(2024, 3, 1),
        by=org.office,
        **extra,
    )
    if affiliation:
        figure_services.figure_sensitive_update(
            figure=figure, affiliation=affiliation, opinions="", notes="", by=org.office
        )
    if overseas:
        OverseasRecord.objects.create(figure=figure, kind="study", **overseas)
    return figure


def _pair(org, leader, figure):
    return pair_services.pair_create(
        leader=leader.person,
        figure=figure,
        start_date=_today() - dt.timedelta(days=30),
        by=org.office,
    )


# The register (党外人士名册) ---------------------------------------------------------------

REGISTER_HEADERS = ["姓名", "单位", "职务/职称", "类别", "党外代表人士", "重点联系对象"]
SENSITIVE_HEADERS = ["政治面貌", "党派及任职情况", "海外经历"]


@pytest.fixture
def register(org):
    """Two figures of unit B with sensitive data: 党外丁 paired with the group leader,
    党外戊 paired with no one; a third of school A."""
    ding = _figure(
        org,
        org.branch_b,
        "党外丁",
        affiliation="九三学社支社委员",
        overseas={"country": "德国", "institution": "亚琛工业大学", "degree": "doctor"},
        expertise="=HYPERLINK(1)",
    )
    _figure(
        org,
        org.branch_b,
        "党外戊",
        affiliation="民盟支部主委",
        overseas={"country": "日本", "institution": "东京大学"},
        is_representative=True,
    )
    _figure(org, org.school_a, "党外己", category=Figure.Category.NON_PARTY_INTELLECTUAL)
    _pair(org, org.leader, ding)
    return org


# persona -> (sensitive columns?, the figures whose sensitive cells are filled)
REGISTER_BY_ROLE = {
    "office": (True, {"党外丁", "党外戊", "党外己"}),
    "leader": (True, {"党外丁"}),  # paired with 党外丁 only
    "deputy": (False, set()),  # a leader paired with no one
    "member": (False, set()),
    "commissioner_b": (False, set()),
}


@pytest.mark.parametrize("persona", sorted(REGISTER_BY_ROLE))
def test_the_register_export_fills_sensitive_cells_for_the_figures_the_user_may_see(
    register, persona
):
    from outreach.selectors import sensitive

    org = register
    user = getattr(org, persona)
    columns, filled = REGISTER_BY_ROLE[persona]
    sheet = read_sheet(client_for(user).get(reverse("figure_export"), {"state": "all"}))
    headers = headers_of(sheet)
    assert headers[:6] == REGISTER_HEADERS
    assert (headers[-3:] == SENSITIVE_HEADERS) is columns
    assert len(headers) == (13 if columns else 10)
    rows = {row[0]: row for row in rows_of(sheet)}
    assert {"党外丁", "党外戊"} <= set(rows)
    fresh = type(user).objects.get(pk=user.pk)
    for name, row in rows.items():
        cells = [value for value in row[10:] if value not in (None, "")]
        assert bool(cells) is (name in filled), (persona, name)
        if name in filled:  # never more than the profile would show this user
            figure = Figure.objects.get(person__name=name)
            assert sensitive.sensitive_for(fresh, [figure], page="", log=False), name
    text = " ".join(str(v) for row in rows.values() for v in row)
    assert ("九三学社支社委员" in text) is ("党外丁" in filled)
    assert ("亚琛工业大学" in text) is ("党外丁" in filled)
    assert ("民盟支部主委" in text) is ("党外戊" in filled)
    assert ("东京大学" in text) is ("党外戊" in filled)
    if "党外丁" in filled:
        assert rows["党外丁"][10:12] == ("九三学社社员", "九三学社支社委员")
        assert "德国 亚琛工业大学" in rows["党外丁"][12]


def test_a_paired_leaders_register_export_is_logged_for_their_figure_only(register):
    org = register
    read_sheet(client_for(org.leader).get(reverse("figure_export")))
    looks = list(SensitiveView.objects.values_list("viewer", "person__name", "page"))
    assert looks == [(org.leader.pk, "党外丁", reverse("figure_export"))]
    read_sheet(client_for(org.office).get(reverse("figure_export")))
    read_sheet(client_for(org.deputy).get(reverse("figure_export")))
    assert SensitiveView.objects.count() == 1  # the office's reading is not logged


def test_the_register_export_is_the_lists_filter_and_scope_with_dates_and_text(register):
    org = register
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("figure_export"), {"unit": org.branch_b.pk}))
    assert sorted(row[0] for row in rows_of(sheet)) == ["党外丁", "党外戊"]
    listed = client.get(reverse("figure_list"), {"unit": org.branch_b.pk}).context["page"]
    assert {row.name for row in listed} == {"党外丁", "党外戊"}
    assert_text_cell(sheet, "=HYPERLINK(1)")
    registered = sheet.cell(row=2, column=9)
    assert registered.is_date and registered.value.date() == dt.date(2024, 3, 1)
    flagged = rows_of(read_sheet(client.get(reverse("figure_export"), {"flag": "representative"})))
    assert [row[0] for row in flagged] == ["党外戊"]
    # A commissioner's export holds their units' figures only.
    theirs = rows_of(read_sheet(client_for(org.commissioner_a).get(reverse("figure_export"))))
    assert [row[0] for row in theirs] == ["党外己"]


# The returned-overseas list -----------------------------------------------------------------


def test_the_returned_overseas_export_is_the_lists_filter(register):
    org = register
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("overseas_export")))
    assert headers_of(sheet)[:5] == ["姓名", "单位", "类型", "国家/地区", "院校/机构"]
    by_name = {row[0]: row for row in rows_of(sheet)}
    assert by_name["党外丁"][3:6] == ("德国", "亚琛工业大学", "博士")
    assert by_name["党外甲"][2:4] == (None, None)  # no structured record: one row saying so
    assert "英国曼彻斯特大学访问学者" in by_name["党外甲"][8]
    listed = client.get(reverse("overseas_list"), {"unit": org.branch_b.pk}).context["rows"]
    filtered = rows_of(
        read_sheet(client.get(reverse("overseas_export"), {"unit": org.branch_b.pk}))
    )
    assert sorted(row[0] for row in filtered) == sorted(row.name for row in listed)
    assert sorted(row[0] for row in filtered) == ["党外丁", "党外戊"]


# Contacts -----------------------------------------------------------------------------------


@pytest.fixture
def contacts(register):
    """The group leader's contact with 党外丁, and the leader in charge's with 党外戊
    (recorded by the office)."""
    org = register
    ding, wu = Figure.objects.get(person__name="党外丁"), Figure.objects.get(person__name="党外戊")
    _pair(org, org.in_charge, wu)
    pair_services.contact_record(
        leader=org.leader.person,
        figures=[ding],
        kind="visit",
        date=_today() - dt.timedelta(days=2),
        summary="=cmd|' /C calc'!A0",
        place="家中",
        by=org.leader,
    )
    pair_services.contact_record(
        leader=org.in_charge.person,
        figures=[wu],
        kind="call",
        date=_today() - dt.timedelta(days=1),
        summary="电话问候",
        by=org.office,
    )
    return org


def test_the_contacts_export_is_the_lists_scope_and_filter(contacts):
    org = contacts
    office = read_sheet(client_for(org.office).get(reverse("contact_export")))
    assert headers_of(office) == ["日期", "联系领导", "方式", "联系对象", "地点", "情况摘要"]
    rows = rows_of(office)
    assert [row[3] for row in rows] == ["党外戊", "党外丁"]  # the list's order: latest first
    assert [row[1] for row in rows] == [org.in_charge.person.name, org.leader.person.name]
    assert office.cell(row=2, column=1).is_date
    assert office.cell(row=2, column=1).value.date() == _today() - dt.timedelta(days=1)
    assert_text_cell(office, "=cmd|' /C calc'!A0")
    calls = rows_of(
        read_sheet(client_for(org.office).get(reverse("contact_export"), {"kind": "call"}))
    )
    assert [row[3] for row in calls] == ["党外戊"]
    mine = rows_of(read_sheet(client_for(org.leader).get(reverse("contact_export"))))
    assert [row[3] for row in mine] == ["党外丁"]  # the leader's own only


# Suggestions --------------------------------------------------------------------------------


@pytest.fixture
def suggestions(register):
    org = register
    ding = Figure.objects.get(person__name="党外丁")
    first = suggestion_services.suggestion_record(
        title="=SUM(1,2) 建议完善研修支持办法",
        content="建议内容",
        source="talk",
        raised_on=_today() - dt.timedelta(days=3),
        figure=ding,
        by=org.office,
    )
    suggestion_services.suggestion_assign(suggestion=first, lead_unit=org.branch_a, by=org.office)
    suggestion_services.suggestion_record(
        title="建议增设青年教师研修经费",
        content="建议内容二",
        source="direct",
        raised_on=_today() - dt.timedelta(days=2),
        raised_by="九三学社支社",
        by=org.office,
    )
    return org


@pytest.mark.parametrize(
    ("persona", "proposer", "titles"),
    [
        ("office", True, {"=SUM(1,2) 建议完善研修支持办法", "建议增设青年教师研修经费"}),
        ("leader", True, {"=SUM(1,2) 建议完善研修支持办法", "建议增设青年教师研修经费"}),
        ("commissioner_a", False, {"=SUM(1,2) 建议完善研修支持办法"}),  # their unit leads it
        ("commissioner_b", False, set()),
    ],
)
def test_the_suggestions_export_shows_the_proposer_only_to_who_may_see_it(
    suggestions, persona, proposer, titles
):
    org = suggestions
    sheet = read_sheet(client_for(getattr(org, persona)).get(reverse("suggestion_export")))
    headers = headers_of(sheet)
    assert headers[:2] == ["提出日期", "标题"]
    assert ("提出人" in headers) is proposer
    rows = rows_of(sheet)
    assert {row[1] for row in rows} == titles
    text = " ".join(str(v) for row in rows for v in row)
    assert "党外丁" not in text or proposer
    assert "九三学社支社" not in text or proposer
    if titles:
        assert_text_cell(sheet, "=SUM(1,2) 建议完善研修支持办法")
        assert sheet.cell(row=2, column=1).is_date
    if proposer:
        by_title = {row[1]: row for row in rows}
        assert by_title["=SUM(1,2) 建议完善研修支持办法"][2] == "党外丁"
        assert by_title["建议增设青年教师研修经费"][2] == "九三学社支社"


def test_the_suggestions_export_is_the_lists_filter(suggestions):
    client = client_for(suggestions.office)
    new = rows_of(read_sheet(client.get(reverse("suggestion_export"), {"state": "new"})))
    assert [row[1] for row in new] == ["建议增设青年教师研修经费"]
    found = rows_of(read_sheet(client.get(reverse("suggestion_export"), {"q": "研修支持"})))
    assert [row[1] for row in found] == ["=SUM(1,2) 建议完善研修支持办法"]


# The cadre reserve --------------------------------------------------------------------------


@pytest.fixture
def reserve(register):
    org = register
    ding = Figure.objects.get(person__name="党外丁")
    wu = Figure.objects.get(person__name="党外戊")
    learning.reserve_add(
        figure=ding,
        added_on=_today() - dt.timedelta(days=40),
        proposed_post="=HYPERLINK(2)",
        assessment="政治立场坚定，业务能力突出。",
        by=org.office,
    )
    ended = learning.reserve_add(
        figure=wu, added_on=_today() - dt.timedelta(days=40), proposed_post="处长", by=org.office
    )
    learning.reserve_end(
        cadre=ended, removed_on=_today() - dt.timedelta(days=1), outcome="retired", by=org.office
    )
    return org


@pytest.mark.parametrize(("persona", "assessment"), [("office", True), ("leader", False)])
def test_the_reserve_export_has_the_assessment_for_the_office_only(reserve, persona, assessment):
    sheet = read_sheet(client_for(getattr(reserve, persona)).get(reverse("reserve_export")))
    headers = headers_of(sheet)
    assert headers[:4] == ["姓名", "单位", "类别", "列入日期"]
    assert ("考察意见" in headers) is assessment
    rows = rows_of(sheet)
    assert [row[0] for row in rows] == ["党外丁"]  # the list's default: in the reserve today
    assert sheet.cell(row=2, column=4).value.date() == _today() - dt.timedelta(days=40)
    assert_text_cell(sheet, "=HYPERLINK(2)")
    text = " ".join(str(v) for v in rows[0])
    assert ("业务能力突出" in text) is assessment
    assert "九三学社支社委员" not in text  # never the sensitive data


def test_the_reserve_export_is_the_lists_filter(reserve):
    client = client_for(reserve.office)
    ended = rows_of(read_sheet(client.get(reverse("reserve_export"), {"state": "ended"})))
    assert [(row[0], row[8]) for row in ended] == [("党外戊", "退休")]
    assert ended[0][7] is not None
    theirs = rows_of(read_sheet(client_for(reserve.commissioner_a).get(reverse("reserve_export"))))
    assert theirs == []  # no cadre of branch A


# Refused as the list refuses ----------------------------------------------------------------

URL_OF = {
    "figures": ("figure_export", "figure_list"),
    "overseas": ("overseas_export", "overseas_list"),
    "contacts": ("contact_export", "contact_list"),
    "suggestions": ("suggestion_export", "suggestion_list"),
    "reserve": ("reserve_export", "reserve_list"),
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
    """The view's answer is the list's (403 for a role the list refuses), and the
    registered `allowed`, which the background job checks, says the same."""
    export_url, list_url = URL_OF[key]
    registered = exports.get(key)
    assert registered is not None
    for persona in PERSONAS:
        user = getattr(org, persona)
        client = client_for(user)
        listed = client.get(reverse(list_url)).status_code
        exported = client.get(reverse(export_url)).status_code
        assert listed in (200, 403), (persona, listed)
        assert exported == listed, (key, persona)
        assert registered.allowed(user) is (listed == 200), (key, persona)


# Queries: an export's queries do not grow with its rows ---------------------------------------


def _more_figures(org, n: int) -> None:
    for i in range(n):
        figure = _figure(
            org,
            org.branch_b,
            f"党外{n}-{i}",
            affiliation="民进会员",
            overseas={"country": "美国", "institution": f"大学{i}"},
        )
        figure.positions.create(
            kind="cppcc_member", level="city", title=f"政协委员{i}", term_start=dt.date(2023, 1, 1)
        )
        _pair(org, org.leader, figure)


def _more_contacts(org, n: int) -> None:
    for i in range(n):
        figure = _figure(org, org.branch_b, f"联系{n}-{i}")
        _pair(org, org.leader, figure)
        pair_services.contact_record(
            leader=org.leader.person,
            figures=[figure],
            kind="visit",
            date=_today() - dt.timedelta(days=1 + i % 20),
            summary=f"走访{n}-{i}",
            by=org.office,
        )


def _more_suggestions(org, n: int) -> None:
    for i in range(n):
        figure = _figure(org, org.branch_b, f"建议{n}-{i}")
        suggestion = suggestion_services.suggestion_record(
            title=f"建议{n}-{i}",
            content="内容",
            source="direct",
            raised_on=_today() - dt.timedelta(days=1),
            figure=figure,
            by=org.office,
        )
        if i % 2:
            suggestion_services.suggestion_assign(
                suggestion=suggestion, lead_unit=org.branch_b, by=org.office
            )


def _more_reserve(org, n: int) -> None:
    for i in range(n):
        figure = _figure(org, org.branch_b, f"后备{n}-{i}")
        learning.reserve_add(
            figure=figure, added_on=_today() - dt.timedelta(days=10), by=org.office
        )


def _more_overseas(org, n: int) -> None:
    for i in range(n):
        _figure(org, org.branch_b, f"留学{n}-{i}", overseas={"country": "英国"})


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("figure_export", "office", _more_figures),
        ("figure_export", "leader", _more_figures),  # the paired leader: logged
        ("overseas_export", "office", _more_overseas),
        ("contact_export", "office", _more_contacts),
        ("contact_export", "leader", _more_contacts),
        ("suggestion_export", "office", _more_suggestions),
        ("reserve_export", "office", _more_reserve),
    ],
)
def test_an_outreach_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    client = client_for(getattr(org, persona))

    more(org, 1)  # a row, so that every prefetch runs (none runs on no rows)
    few, rows = export_queries(client, reverse(name))
    more(org, 20)
    many, more_rows = export_queries(client, reverse(name))
    assert more_rows >= rows + 20
    assert many == few


# The background job ---------------------------------------------------------------------------


def test_a_paired_leaders_register_job_fills_their_figures_cells_only_and_logs(register, settings):
    """Over the threshold the export is offered in the background; the job rebuilds it
    from the key, the user and the querystring, with the same rows and cells."""
    org = register
    settings.EXPORT_ASYNC_THRESHOLD = 1
    offer = client_for(org.leader).get(reverse("figure_export"), {"unit": org.branch_b.pk})
    assert offer.status_code == 200 and "Content-Disposition" not in offer
    assert f'name="query" value="unit={org.branch_b.pk}"' in offer.content.decode()
    job = export_job_start(key="figures", querystring=f"unit={org.branch_b.pk}", by=org.leader)
    assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert (job.state, job.rows_total, job.rows_done) == (ExportJob.State.DONE, 2, 2)
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet)[-3:] == SENSITIVE_HEADERS
    rows = {row[0]: row for row in rows_of(sheet)}
    assert set(rows) == {"党外丁", "党外戊"}
    assert rows["党外丁"][11] == "九三学社支社委员"
    assert all(value in (None, "") for value in rows["党外戊"][10:])
    looks = list(SensitiveView.objects.values_list("viewer", "person__name", "page"))
    assert looks == [(org.leader.pk, "党外丁", reverse("figure_export"))]

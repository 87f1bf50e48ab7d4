"""The admonition talks (通报约谈), supervision cases (督促检查) and research-guidance
visits (调研指导) lists' registered exports (`inspections.exporting`). Each read back
with openpyxl: Chinese headers, dates as dates, exactly the list's filtered rows in the
user's scope, formula-like text kept as text, a case's approval and report deadline for
the office and the leaders only (as on the case's page), the same queries for one row
as for twenty, and the roles the list refuses refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from inspections import research_services, services
from inspections import supervision_services as supervision
from inspections.models import AdmonitionTrigger, InspectionItem
from portal import exports
from portal.exportjobs.services import export_job_run, export_job_start
from tests.conftest import client_for
from tests.deadline_helpers import at
from tests.sheets import assert_text_at, export_queries, headers_of, read_sheet, rows_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
LATER = at(2026, 12, 1, 9)  # every deadline below has passed


def _is_day(sheet, row: int, column: int, day: dt.date) -> None:
    cell = sheet.cell(row=row, column=column)
    assert cell.is_date and cell.value.date() == day, (row, column, cell.value)


def _same_as_list(client, export: str, listing: str, queries, column: int, label) -> None:
    for query in queries:
        sheet = read_sheet(client.get(reverse(export), query))
        listed = client.get(reverse(listing), query).context["page"]
        assert [row[column] for row in rows_of(sheet)] == [label(r) for r in listed], query


# Admonition talks (通报约谈) -------------------------------------------------------------


def _propose(org, unit, facts="工作部署推进不力，进度滞后。"):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.admonition_propose(
            unit=unit,
            triggers=AdmonitionTrigger.objects.filter(position__in=[3, 4]),
            facts=facts,
            partners="党委组织部",
            by=org.office,
        )


def _talked(org, unit, facts="工作部署推进不力，进度滞后。"):
    admonition = _propose(org, unit, facts)
    with time_machine.travel(at(2026, 9, 25, 15), tick=False):
        return services.admonition_talk(
            admonition=admonition,
            talk_on=D(2026, 9, 25),
            participants="办公室主任、学院党总支书记",
            record="指出问题，提出整改要求。",
            by=org.office,
        )


ADMONITION_HEADERS = ["提出日期", "约谈单位", "约谈情形", "存在问题", "会同部门", "状态"]


def test_the_admonitions_export_is_exactly_the_lists_filtered_rows(org):
    _talked(org, org.school_a, facts='=HYPERLINK("http://x")')
    _propose(org, org.branch_b, facts="经管学院问题")
    with time_machine.travel(LATER, tick=False):
        client = client_for(org.office)
        queries = ({}, {"state": "proposed"}, {"state": "talked"}, {"state": "bogus"})
        _same_as_list(
            client, "admonition_export", "admonition_list", queries, 1, lambda a: a.unit.name
        )
        sheet = read_sheet(client.get(reverse("admonition_export"), {"state": "talked"}))
    assert headers_of(sheet)[:6] == ADMONITION_HEADERS
    assert len(headers_of(sheet)) == 16
    (row,) = rows_of(sheet)
    triggers = AdmonitionTrigger.objects.filter(position__in=[3, 4]).order_by("position")
    assert row[2] == "\n".join(t.name for t in triggers)
    assert (row[1], row[4], row[5], row[7]) == (
        org.school_a.name,
        "党委组织部",
        "待报送整改报告",
        "办公室主任、学院党总支书记",
    )
    assert row[10] == "已逾期"  # 20 working days after the talk, in words
    assert_text_at(sheet, 2, 4, '=HYPERLINK("http://x")')
    _is_day(sheet, 2, 1, D(2026, 9, 1))
    _is_day(sheet, 2, 7, D(2026, 9, 25))
    assert sheet.cell(row=2, column=10).is_date


@pytest.mark.parametrize(
    ("persona", "units"),
    [
        ("office", {"机电工程学院", "经济管理学院党总支"}),
        ("leader", {"机电工程学院", "经济管理学院党总支"}),
        ("commissioner_a", {"机电工程学院"}),  # the school under their branch
        ("commissioner_b", {"经济管理学院党总支"}),
    ],
)
def test_the_admonitions_export_is_the_users_scope(org, persona, units):
    _talked(org, org.school_a, facts="机电学院问题")
    _propose(org, org.branch_b, facts="经管学院问题")
    with time_machine.travel(LATER, tick=False):
        sheet = read_sheet(client_for(getattr(org, persona)).get(reverse("admonition_export")))
    assert {row[1] for row in rows_of(sheet)} == units
    text = text_of(sheet)
    assert ("机电学院问题" in text) is ("机电工程学院" in units)
    assert ("经管学院问题" in text) is ("经济管理学院党总支" in units)


# Supervision cases (督促检查) ------------------------------------------------------------

CASE_HEADERS = [
    "督查名称",
    "督查开始日期",
    "督查结束日期",
    "被督查单位",
    "督查事项",
    "督查范围和内容",
    "工作组组长",
    "工作组成员",
    "状态",
    "发现问题",
    "未交办整改",
    "办结说明或撤销原因",
]
WHOLE_HEADERS = ["拟定人", "批准人", "批准日期", "批准意见", "督查报告期限", "时限情况"]


def _planned(org, title, units):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return supervision.case_create(
            title=title,
            scope="检查各单位贯彻落实统战工作责任制情况。",
            units=units,
            items=InspectionItem.objects.filter(position__in=[2, 3]),
            local_items="校园统战宣传阵地建设",
            team_lead="统战部部长",
            team="统战部副部长、组织部干部",
            period_start=D(2026, 9, 14),
            period_end=D(2026, 9, 25),
            by=org.office,
        )


def _approved(org, title, units, *, problems=()):
    case = _planned(org, title, units)
    with time_machine.travel(at(2026, 9, 2, 10), tick=False):
        supervision.case_submit(case=case, by=org.office)
        case = supervision.case_approve(case=case, note="同意，按方案开展（组长）。", by=org.leader)
    with time_machine.travel(at(2026, 9, 18, 10), tick=False):
        for unit in problems:
            supervision.finding_add(
                case=case,
                unit=unit,
                item=InspectionItem.objects.get(position=2),
                text="统战工作台账不全",
                is_problem=True,
                by=org.office,
            )
    return case


@pytest.fixture
def cases(org):
    """An approved case inspecting school A and unit B with a problem at each; a draft
    plan (the office's and the leaders' only)."""
    _approved(
        org,
        '=HYPERLINK("http://z")',
        [org.school_a, org.branch_b],
        problems=[org.school_a, org.branch_b],
    )
    _planned(org, "草拟中的督查", [org.branch_b])
    return org


def test_the_supervision_export_is_exactly_the_lists_filtered_rows(cases):
    org = cases
    with time_machine.travel(LATER, tick=False):
        client = client_for(org.office)
        queries = ({}, {"state": "draft"}, {"state": "approved"}, {"state": "closed"})
        _same_as_list(client, "supervision_export", "supervision_list", queries, 0, str)
        sheet = read_sheet(client.get(reverse("supervision_export"), {"state": "approved"}))
    assert headers_of(sheet) == CASE_HEADERS + WHOLE_HEADERS
    (row,) = rows_of(sheet)
    items = InspectionItem.objects.filter(position__in=[2, 3]).order_by("position")
    assert row[3] == "、".join(sorted([org.school_a.name, org.branch_b.name]))
    assert row[4] == "\n".join([*(i.name for i in items), "校园统战宣传阵地建设"])
    assert (row[6], row[8], row[9], row[10]) == ("统战部部长", "督查中", 2, 2)
    assert (row[12], row[13], row[15]) == (
        org.office.display_name,
        org.leader.display_name,
        "同意，按方案开展（组长）。",
    )
    assert row[17] == "已逾期"  # 20 working days after 25 September, in words
    assert_text_at(sheet, 2, 1, '=HYPERLINK("http://z")')
    _is_day(sheet, 2, 2, D(2026, 9, 14))
    _is_day(sheet, 2, 3, D(2026, 9, 25))
    _is_day(sheet, 2, 15, D(2026, 9, 2))
    assert sheet.cell(row=2, column=17).is_date


@pytest.mark.parametrize(
    ("persona", "whole", "titles", "problems"),
    [
        ("office", True, {'=HYPERLINK("http://z")', "草拟中的督查"}, 2),
        ("leader", True, {'=HYPERLINK("http://z")', "草拟中的督查"}, 2),
        ("commissioner_b", False, {'=HYPERLINK("http://z")'}, 1),  # approved, their unit's
        ("commissioner_a", False, {'=HYPERLINK("http://z")'}, 1),  # school A, under branch A
    ],
)
def test_a_cases_approval_and_deadline_are_exported_to_the_office_and_leaders_only(
    cases, persona, whole, titles, problems
):
    user = getattr(cases, persona)
    with time_machine.travel(LATER, tick=False):
        client = client_for(user)
        sheet = read_sheet(client.get(reverse("supervision_export")))
        listed = client.get(reverse("supervision_list")).context["page"]
    assert headers_of(sheet) == (CASE_HEADERS + WHOLE_HEADERS if whole else CASE_HEADERS)
    rows = {row[0]: row for row in rows_of(sheet)}
    assert set(rows) == titles == {c.title for c in listed}
    assert rows['=HYPERLINK("http://z")'][9] == problems  # their units' problems only
    text = text_of(sheet)
    assert ("同意，按方案开展（组长）。" in text) is whole
    assert (cases.leader.display_name in text) is whole
    assert ("已逾期" in text) is whole


def test_a_commissioners_supervision_job_leaves_the_approval_out(cases, settings):
    org = cases
    settings.EXPORT_ASYNC_THRESHOLD = 0
    with time_machine.travel(LATER, tick=False):
        offer = client_for(org.commissioner_b).get(reverse("supervision_export"))
        assert offer.status_code == 200 and "Content-Disposition" not in offer
        job = export_job_start(key="supervision_cases", querystring="", by=org.commissioner_b)
        assert export_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    assert headers_of(sheet) == CASE_HEADERS
    assert [row[0] for row in rows_of(sheet)] == ['=HYPERLINK("http://z")']
    assert "同意，按方案开展" not in text_of(sheet)


# Research-guidance visits (调研指导) -------------------------------------------------------

VISIT_HEADERS = ["年度", "调研主题", "调研单位", "开始日期", "结束日期", "调研方案", "状态"]


SEPTEMBER_7 = D(2026, 9, 7)


def _visit(org, *, units, plan="走访座谈，查阅台账。", starts=SEPTEMBER_7, ended=False):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        visit = research_services.research_visit_plan(
            year=starts.year,
            subject="统战工作重大决策部署落实情况",
            plan=plan,
            units=units,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=4),
            by=org.office,
        )
    if ended:
        with time_machine.travel(at(2026, 9, 14, 9), tick=False):
            visit = research_services.research_visit_finish(
                visit=visit, ends_on=D(2026, 9, 11), findings="联系点台账不全", by=org.office
            )
            research_services.research_visit_assign(
                visit=visit,
                unit=units[0],
                title="联系点台账整改",
                problem="台账不全",
                measures="补齐台账",
                due=D(2026, 10, 30),
                by=org.office,
            )
    return visit


def test_the_visits_export_is_exactly_the_lists_filtered_rows(org):
    _visit(org, units=[org.school_a, org.branch_b], plan='=HYPERLINK("http://v")', ended=True)
    _visit(org, units=[org.branch_a], plan="第二次调研", starts=D(2026, 11, 2))
    with time_machine.travel(LATER, tick=False):
        client = client_for(org.office)
        queries = ({}, {"state": "planned"}, {"state": "ended"}, {"state": "reported"})
        _same_as_list(
            client, "research_visit_export", "research_visit_list", queries, 5, lambda v: v.plan
        )
        sheet = read_sheet(client.get(reverse("research_visit_export"), {"state": "ended"}))
        members = rows_of(read_sheet(client_for(org.member).get(reverse("research_visit_export"))))
    assert headers_of(sheet)[:7] == VISIT_HEADERS
    (row,) = rows_of(sheet)
    assert row[0] == 2026
    assert row[2] == "、".join(sorted([org.school_a.name, org.branch_b.name]))
    assert (row[6], row[8], row[9]) == ("待报送报告", "已逾期", "联系点台账不全")
    assert row[16] == f"联系点台账整改（{org.school_a.name}）"
    assert_text_at(sheet, 2, 6, '=HYPERLINK("http://v")')
    _is_day(sheet, 2, 4, D(2026, 9, 7))
    _is_day(sheet, 2, 5, D(2026, 9, 11))
    _is_day(sheet, 2, 8, D(2026, 10, 11))  # one calendar month after the end
    assert len(members) == 2  # a group member reads every visit, as the list


# Refused as the list refuses --------------------------------------------------------------------

URL_OF = {
    "admonitions": ("admonition_export", "admonition_list"),
    "supervision_cases": ("supervision_export", "supervision_list"),
    "research_visits": ("research_visit_export", "research_visit_list"),
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
    assert refused >= 3  # the outsider, the liaison, the publicity member at least


# Queries ----------------------------------------------------------------------------------------


def _more_admonitions(org, n: int) -> None:
    units = [org.branch_b, org.school_a]
    for i in range(n):
        if i % 2:
            _talked(org, units[i % 2], facts=f"问题{n}-{i}")
        else:
            _propose(org, units[i % 2], facts=f"问题{n}-{i}")


def _more_cases(org, n: int) -> None:
    for i in range(n):
        if i % 2 == 0:
            _approved(org, f"督查{n}-{i}", [org.school_a, org.branch_b], problems=[org.branch_b])
        else:
            _planned(org, f"督查{n}-{i}", [org.branch_b])


def _more_visits(org, n: int) -> None:
    units = [org.school_a, org.branch_b, org.branch_a]
    for i in range(n):
        _visit(
            org,
            units=[units[i % 3], units[(i + 1) % 3]],
            plan=f"方案{n}-{i}",
            ended=bool(i % 2),
        )


@pytest.mark.parametrize(
    ("name", "persona", "more"),
    [
        ("admonition_export", "office", _more_admonitions),
        ("admonition_export", "commissioner_b", _more_admonitions),
        ("supervision_export", "office", _more_cases),
        ("supervision_export", "commissioner_b", _more_cases),
        ("research_visit_export", "office", _more_visits),
    ],
)
def test_an_inspections_exports_queries_do_not_grow_with_its_rows(org, name, persona, more):
    user = getattr(org, persona)

    def queries() -> tuple[int, int]:
        with time_machine.travel(LATER, tick=False):
            return export_queries(client_for(user), reverse(name))  # logged in then

    more(org, 1)  # a row, so that every related read runs
    few, rows = queries()
    more(org, 20)
    many, more_rows = queries()
    assert more_rows >= rows + 10  # a commissioner sees half of them
    assert many == few

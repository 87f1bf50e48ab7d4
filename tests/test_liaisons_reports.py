"""Liaison reports (联络员报告, 001 ch. 3): a round each semester by the schedule (or the
office's own, on a topic), one report per liaison in office with a deadline on their
to-dos; the liaison writes and submits, the office returns for more or reads, then
follows up: an issue becomes an outreach suggestion, a recommended person a reserve
cadre, each linking back. Who sees which report; the role that follows the
appointment; Chinese refusals that save nothing; lists with constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaisons import follow_ups, selectors, services
from liaisons.models import LiaisonReport, ReportFollowUp, ReportRound
from liaisons.roles import liaison_roles_sync
from liaisons.rules import LIAISON_REPORT, reports_sync
from liaisons.tasks import sync_liaison_roles
from outreach.models import Suggestion
from portal.deadlines.models import Deadline
from portal.models import PoliticalStatus, Role
from tests.conftest import Org, client_for
from tests.deadline_helpers import at
from tests.factories import PersonFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
FIELDS = {
    "views": "关注职称评审。",
    "issues": "实训室开放时间短。",
    "deeds": "",
    "recommendations": "",
}


def appoint_own(org: Org, day: D | None = None):
    """The `liaison` persona (a teacher of school A) appointed as school A's liaison."""
    person = org.liaison.person
    assert person is not None
    person.political_status = PoliticalStatus.NON_PARTY
    person.save()
    day = day or D(2026, 9, 1)
    return services.liaison_appoint(unit=org.school_a, person=person, start_date=day, by=org.office)


def other_liaison(org: Org):
    unit = UnitFactory(name="经济管理学院", kind="school", parent=org.branch_b)
    person = PersonFactory(name="党外乙", unit=unit, political_status=PoliticalStatus.JIUSAN)
    return services.liaison_appoint(
        unit=unit, person=person, start_date=D(2026, 9, 1), by=org.office
    )


def fresh(report: LiaisonReport) -> LiaisonReport:
    return LiaisonReport.objects.get(pk=report.pk)


def deadlines_of(report: LiaisonReport) -> list[Deadline]:
    return list(Deadline.objects.filter(rule=LIAISON_REPORT, object_id=report.pk).order_by("pk"))


@pytest.fixture
def term(org):
    """Two liaisons and this semester's round (2026-autumn), on 1 December 2026."""
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        own, other = appoint_own(org), other_liaison(org)
        reports_sync(D(2026, 12, 1))
    report_round = ReportRound.objects.get()
    mine = LiaisonReport.objects.get(liaison=own)
    theirs = LiaisonReport.objects.get(liaison=other)
    return report_round, mine, theirs


# The schedule ------------------------------------------------------------------------------


def test_the_semester_round_is_due_45_days_before_the_semester_ends_and_opens_once(org):
    appoint_own(org)
    reports_sync(D(2026, 12, 1))
    reports_sync(D(2026, 12, 2))
    report_round = ReportRound.objects.get()
    # 2026-autumn runs to 28 February 2027: due 14 January.
    assert (report_round.period, report_round.due_on) == ("2026-autumn", D(2027, 1, 14))
    assert report_round.is_scheduled and report_round.title == "2026年秋季学期联络员报告"
    report = LiaisonReport.objects.get()
    (deadline,) = deadlines_of(report)
    assert (deadline.due, deadline.state, report.deadline_id) == (
        D(2027, 1, 14),
        "open",
        deadline.pk,
    )
    assert list(deadline.responsible_users.all()) == [org.liaison]
    assert deadline.responsible_unit is None  # not the unit's commissioner's


def test_no_round_opens_once_its_due_day_has_passed_and_the_spring_one_is_due_in_july(org):
    appoint_own(org)
    reports_sync(D(2027, 1, 15))  # the autumn round's day passed: none is opened late
    assert not ReportRound.objects.exists()
    reports_sync(D(2027, 3, 2))
    assert ReportRound.objects.get().due_on == D(2027, 7, 17)  # 31 August - 45 days


def test_the_schedule_can_be_switched_off(org, settings):
    settings.LIAISON_REPORT_DAYS_BEFORE_SEMESTER_END = 0
    appoint_own(org)
    reports_sync(D(2026, 12, 1))
    assert not ReportRound.objects.exists()


def test_a_liaison_appointed_mid_round_owes_a_report_and_one_who_left_does_not(org, term):
    report_round, mine, _theirs = term
    services.liaison_end(
        liaison=mine.liaison, end_date=D(2026, 12, 1), reason="调离", by=org.office
    )
    newcomer_unit = UnitFactory(name="国际交流处", kind="department")
    newcomer = PersonFactory(
        name="党外丙", unit=newcomer_unit, political_status=PoliticalStatus.NON_PARTY
    )
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        liaison = services.liaison_appoint(
            unit=newcomer_unit, person=newcomer, start_date=D(2026, 12, 10), by=org.office
        )
        reports_sync(D(2026, 12, 10))
        reports_sync(D(2026, 12, 11))
    assert LiaisonReport.objects.filter(round=report_round, liaison=liaison).count() == 1
    assert LiaisonReport.objects.filter(round=report_round).count() == 3  # nobody twice


def test_the_office_opens_a_topic_round_and_moves_its_due_date(org, term):
    with time_machine.travel(at(2026, 12, 2, 9), tick=False):
        topic = services.round_open(
            title="关于新校区建设的意见征集", due_on=D(2026, 12, 20), topic="新校区", by=org.office
        )
        again = services.round_open(
            title="关于新校区建设的意见征集", due_on=D(2026, 12, 20), topic="新校区", by=org.office
        )
        assert again == topic  # a double post opens one round
        reports = list(LiaisonReport.objects.filter(round=topic))
        assert len(reports) == 2
        services.report_save(report=reports[0], fields=FIELDS, submit=True, by=org.office)
        services.round_update(
            report_round=topic, title=topic.title, due_on=D(2026, 12, 31), by=org.office
        )
    assert [d.due for d in deadlines_of(reports[1])] == [D(2026, 12, 31)]  # moved
    assert [d.due for d in deadlines_of(reports[0])] == [D(2026, 12, 20)]  # in: unchanged
    assert not topic.is_scheduled


@pytest.mark.parametrize(
    ("persona", "title", "due", "message"),
    [
        ("commissioner_a", "征集", D(2026, 12, 20), "只有办公室"),
        ("office", "  ", D(2026, 12, 20), "请填写名称"),
        ("office", "征集", D(2026, 11, 30), "不能早于今天"),
    ],
)
def test_opening_a_round_refuses_bad_input_in_chinese_and_opens_nothing(
    org, term, persona, title, due, message
):
    with (
        time_machine.travel(at(2026, 12, 1, 9), tick=False),
        pytest.raises((ValidationError, PermissionDenied)) as refused,
    ):
        services.round_open(title=title, due_on=due, by=getattr(org, persona))
    assert message in str(refused.value)
    assert ReportRound.objects.count() == 1


# Writing and submitting ------------------------------------------------------------------


def test_the_liaison_saves_a_draft_then_submits_which_meets_the_deadline(org, term):
    _round, mine, _theirs = term
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        services.report_save(report=mine, fields={"views": "草稿"}, by=org.liaison)
        assert (fresh(mine).state, fresh(mine).views) == ("due", "草稿")
        services.report_save(report=mine, fields=FIELDS, submit=True, by=org.liaison)
    report = fresh(mine)
    assert (report.state, report.issues) == ("submitted", "实训室开放时间短。")
    assert [d.state for d in deadlines_of(report)] == ["met"]


def test_an_empty_report_is_refused_and_a_second_submit_acts_once(org, term):
    _round, mine, _theirs = term
    with pytest.raises(ValidationError, match="报告内容为空"):
        services.report_save(report=mine, fields={}, submit=True, by=org.liaison)
    assert fresh(mine).state == "due"
    services.report_save(report=mine, fields=FIELDS, submit=True, by=org.liaison)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.report_save(report=mine, fields=FIELDS, submit=True, by=org.liaison)
    assert fresh(mine).history.filter(state="submitted").count() == 1


@pytest.mark.parametrize("persona", ["commissioner_a", "leader", "member", "publicity", "outsider"])
def test_only_the_liaison_or_the_office_writes_the_report(org, term, persona):
    _round, mine, _theirs = term
    with pytest.raises(PermissionDenied):
        services.report_save(report=mine, fields=FIELDS, submit=True, by=getattr(org, persona))
    assert (fresh(mine).state, fresh(mine).views) == ("due", "")


def test_another_liaison_may_not_write_mine(org, term):
    _round, _mine, theirs = term
    with pytest.raises(PermissionDenied):
        services.report_save(report=theirs, fields=FIELDS, by=org.liaison)


def test_a_returned_report_gets_a_new_deadline_and_resubmitting_meets_it(org, term):
    _round, mine, _theirs = term
    with time_machine.travel(at(2027, 1, 12, 9), tick=False):
        services.report_save(report=mine, fields=FIELDS, submit=True, by=org.liaison)
        with pytest.raises(ValidationError, match="请填写退回意见"):
            services.report_return(report=mine, comment=" ", by=org.office)
        services.report_return(report=mine, comment="请补充人数。", by=org.office)
    report = fresh(mine)
    assert (report.state, report.office_note) == ("returned", "请补充人数。")
    first, again = deadlines_of(report)
    # A week from the return, past the round's 14 January.
    assert (first.state, again.state, again.due) == ("met", "open", D(2027, 1, 19))
    assert report.deadline_id == again.pk
    with time_machine.travel(at(2027, 1, 13, 9), tick=False):
        services.report_save(report=report, fields=FIELDS, submit=True, by=org.liaison)
    assert [d.state for d in deadlines_of(report)] == ["met", "met"]


# Reading and following up ---------------------------------------------------------------


def submitted(org: Org, report: LiaisonReport) -> LiaisonReport:
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        services.report_save(report=report, fields=FIELDS, submit=True, by=org.liaison)
    return fresh(report)


def test_a_read_report_raised_as_a_suggestion_links_both_ways(org, term):
    _round, mine, _theirs = term
    report = submitted(org, mine)
    with pytest.raises(ValidationError, match="请先阅知"):
        follow_ups.follow_up_suggestion(
            report=report, title="实训室", content="内容", by=org.office
        )
    services.report_read(report=report, note="转办。", by=org.office)
    with time_machine.travel(at(2026, 12, 6, 9), tick=False):
        follow_up = follow_ups.follow_up_suggestion(
            report=fresh(report), title="延长实训室开放时间", content=report.issues, by=org.office
        )
    suggestion = follow_up.suggestion
    assert (suggestion.source, suggestion.state, suggestion.raised_on) == (
        Suggestion.Source.LIAISON,
        "new",
        D(2026, 12, 5),
    )
    page = client_for(org.office).get(suggestion.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in page  # the link back
    detail = client_for(org.office).get(report.get_absolute_url()).content.decode()
    assert suggestion.get_absolute_url() in detail


def test_a_recommended_figure_joins_the_reserve_with_a_link_back(org, term):
    from outreach.models import Figure

    _round, mine, _theirs = term
    report = submitted(org, mine)
    services.report_read(report=report, by=org.office)
    figure = Figure.objects.create(
        person=org.figure_a, category="party", registered_on=D(2026, 1, 5)
    )
    assert figure in follow_ups.reserve_candidates()
    follow_up = follow_ups.follow_up_reserve(
        report=fresh(report), figure=figure, proposed_post="副院长", by=org.office
    )
    assert (follow_up.kind, follow_up.reserve.figure, follow_up.reserve.removed_on) == (
        ReportFollowUp.Kind.RESERVE,
        figure,
        None,
    )
    assert figure not in follow_ups.reserve_candidates()
    page = client_for(org.office).get(follow_up.reserve.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in page


def test_a_good_deed_becomes_a_draft_for_a_roster_member_linking_back(org, term):
    from liaisons.publicity.services import member_add

    _round, mine, _theirs = term
    report = submitted(org, mine)
    services.report_read(report=report, by=org.office)
    publicity_person = org.publicity.person
    assert publicity_person is not None
    with time_machine.travel(at(2026, 12, 6, 9), tick=False):
        member_add(person=publicity_person, start_date=D(2026, 12, 1), by=org.office)
        assert list(follow_ups.publicity_authors()) == [publicity_person]
        page = client_for(org.office).post(
            reverse("liaison_report_follow", args=[report.pk, "publicity"]),
            {
                "title": "技能大赛一等奖",
                "text": "电气教研室获奖。",
                "channel": "wechat",
                "author": publicity_person.pk,
            },
        )
    follow_up = ReportFollowUp.objects.get(kind="publicity")
    piece = follow_up.piece
    assert (piece.state, piece.author, piece.title) == ("draft", publicity_person, "技能大赛一等奖")
    assert page["Location"] == piece.get_absolute_url()  # on to the draft
    with time_machine.travel(at(2026, 12, 6, 9), tick=False):
        detail = client_for(org.publicity).get(piece.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in detail


def test_only_the_office_reads_returns_and_follows_up(org, term):
    _round, mine, _theirs = term
    report = submitted(org, mine)
    for persona in ("liaison", "commissioner_a", "leader"):
        user = getattr(org, persona)
        with pytest.raises(PermissionDenied):
            services.report_read(report=report, by=user)
        with pytest.raises(PermissionDenied):
            services.report_return(report=report, comment="退回", by=user)
    services.report_read(report=report, by=org.office)
    with pytest.raises(PermissionDenied):
        follow_ups.follow_up_suggestion(report=fresh(report), title="t", content="c", by=org.leader)
    assert (fresh(report).state, ReportFollowUp.objects.count()) == ("read", 0)


# Who sees what ---------------------------------------------------------------------------


def test_each_role_sees_the_reports_the_brief_names(org, term):
    _round, mine, theirs = term
    seen = {
        persona: set(selectors.reports_for_user(getattr(org, persona)))
        for persona in (
            "office",
            "leader",
            "member",
            "commissioner_a",
            "commissioner_b",
            "liaison",
            "publicity",
            "outsider",
        )
    }
    assert seen == {
        "office": {mine, theirs},
        "leader": {mine, theirs},
        "member": {mine, theirs},
        "commissioner_a": {mine},  # school A is in branch A
        "commissioner_b": {theirs},
        "liaison": {mine},
        "publicity": set(),
        "outsider": set(),
    }


def test_the_liaison_role_follows_the_appointment(org, django_capture_on_commit_callbacks):
    org.liaison.groups.clear()
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            liaison = appoint_own(org, day=D(2026, 12, 1))
        assert org.liaison.groups.filter(name=Role.LIAISON).exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.liaison_end(
                liaison=liaison, end_date=D(2026, 12, 1), reason="调离", by=org.office
            )
    assert not org.liaison.groups.filter(name=Role.LIAISON).exists()


def test_an_appointment_entered_in_advance_gives_the_role_on_its_day(org):
    org.liaison.groups.clear()
    org.publicity.groups.clear()  # not on the roster: the job would take the role away
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        appoint_own(org, day=D(2026, 12, 7))
        liaison_roles_sync(person_ids=[org.liaison.person_id])
        assert not org.liaison.groups.filter(name=Role.LIAISON).exists()
    with time_machine.travel(at(2026, 12, 7, 0, 30), tick=False):
        assert sync_liaison_roles() == 1
        assert sync_liaison_roles() == 0  # idempotent
    assert org.liaison.groups.filter(name=Role.LIAISON).exists()


# Pages -------------------------------------------------------------------------------------


def test_the_liaison_writes_and_submits_on_the_page(org, term):
    _round, mine, _theirs = term
    url = reverse("liaison_report_edit", args=[mine.pk])
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        client = client_for(org.liaison)
        assert client.get(url).status_code == 200
        empty = client.post(url, {"send": "1"})
        client.post(url, {**FIELDS, "submit": "保存"})  # 保存: a draft
        saved = fresh(mine)
        client.post(url, {**FIELDS, "send": "1"})  # 报送
        todo = client.get(reverse("home")).content.decode()
        listing = client.get(reverse("liaison_report_list")).content.decode()
    assert "报告内容为空" in empty.content.decode()
    assert (saved.state, saved.views) == ("due", FIELDS["views"])
    assert fresh(mine).state == "submitted"
    assert "2026年秋季学期联络员报告" not in todo  # met: off the to-dos
    assert org.school_a.name in listing and "经济管理学院" not in listing


def test_the_report_appears_on_the_liaisons_to_dos(org, term):
    _round, mine, _theirs = term
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        page = client_for(org.liaison).get(reverse("home")).content.decode()
    assert "2026年秋季学期联络员报告" in page


def test_the_office_reads_and_returns_on_the_step_pages(org, term):
    _round, mine, theirs = term
    submitted(org, mine)
    submitted_other = theirs
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        services.report_save(report=submitted_other, fields=FIELDS, submit=True, by=org.office)
    client = client_for(org.office)
    client.post(reverse("liaison_report_step", args=[mine.pk, "read"]), {"note": "已阅"})
    client.post(reverse("liaison_report_step", args=[theirs.pk, "return"]), {"comment": "补充"})
    again = client.post(
        reverse("liaison_report_step", args=[mine.pk, "read"]), {"note": "x"}, follow=True
    )
    assert (fresh(mine).state, fresh(theirs).state) == ("read", "returned")
    assert "不能阅知" in again.content.decode()
    denied = client_for(org.liaison).get(reverse("liaison_report_step", args=[theirs.pk, "read"]))
    assert denied.status_code == 404  # not their report at all


def test_the_lists_run_the_same_queries_for_few_or_many(org):
    def count(persona: str, name: str) -> int:
        client = client_for(getattr(org, persona))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    pages = [
        (p, n)
        for p in ("office", "commissioner_a", "liaison")
        for n in ("liaison_report_list", "liaison_round_list")
    ]
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        appoint_own(org)
        reports_sync(D(2026, 12, 1))
        before = {page: count(*page) for page in pages}
        for n in range(5):
            other = UnitFactory(name=f"处室{n}", kind="department")
            person = PersonFactory(
                name=f"党外{n}", unit=other, political_status=PoliticalStatus.NON_PARTY
            )
            services.liaison_appoint(
                unit=other, person=person, start_date=D(2026, 9, 1), by=org.office
            )
            services.round_open(title=f"专题{n}", due_on=D(2026, 12, 20 + n), by=org.office)
        for report in LiaisonReport.objects.all()[:6]:
            services.report_save(report=report, fields=FIELDS, submit=True, by=org.office)
        assert {page: count(*page) for page in pages} == before


def _export(user, **params):
    import io

    from openpyxl import load_workbook

    response = client_for(user).get(reverse("liaison_report_export"), params)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_reports_export_is_the_lists_rows_in_the_users_scope(org, term):
    """As the list: the office every report under its filters, a liaison their own;
    formula-like text stays text (it is read back as written); the export is refused
    to whoever the list refuses."""
    _round, mine, theirs = term
    submitted(org, mine)
    LiaisonReport.objects.filter(pk=theirs.pk).update(views='=HYPERLINK("x")')
    rows = _export(org.office)
    assert rows[0][:6] == ["征集", "单位", "联络员", "状态", "报送期限", "报送日期"]
    by_unit = {row[1]: row for row in rows[1:]}
    assert set(by_unit) == {org.school_a.name, "经济管理学院"}
    assert by_unit[org.school_a.name][3] == "待阅"  # submitted, for the office to read
    assert by_unit[org.school_a.name][6] == "关注职称评审。"
    assert by_unit["经济管理学院"][6] == '=HYPERLINK("x")'
    assert by_unit[org.school_a.name][5].date() == D(2026, 12, 5)
    only_submitted = _export(org.office, state="submitted")
    assert [row[1] for row in only_submitted[1:]] == [org.school_a.name]
    own = _export(org.liaison)
    assert [row[1] for row in own[1:]] == [org.school_a.name]
    for persona in ("outsider", "publicity"):
        response = client_for(getattr(org, persona)).get(reverse("liaison_report_export"))
        assert response.status_code == 403, persona
    page = client_for(org.office).get(reverse("liaison_report_list"), {"state": "due"})
    assert f'href="{reverse("liaison_report_export")}?state=due"' in page.content.decode()


def test_the_reports_export_runs_the_same_queries_for_1_and_20_reports(org, term):
    from liaisons.models import Liaison

    client = client_for(org.office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("liaison_report_export"))
            b"".join(response.streaming_content)
        return len(captured)

    queries()
    few = queries()
    report_round, mine, _theirs = term
    liaison = Liaison.objects.get(pk=mine.liaison_id)
    for n in range(20):
        extra = ReportRound.objects.create(
            period="2026-autumn", title=f"专题{n}", due_on=D(2026, 12, 20), opened_by=org.office
        )
        LiaisonReport.objects.create(round=extra, liaison=liaison)
    assert queries() == few

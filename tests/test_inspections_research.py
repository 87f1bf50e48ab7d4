"""Research guidance and research topics (调研指导, 调研课题; issue 12, 000 §三(二) and
§二(五)): the office keeps contact points; plans the year's visit (a second in a year is
warned about, not refused); records its end, which makes the report due one calendar
month later (the month's last day when it has no such day); reports it to the group
(met), sends it upward, records the group's response, assigns problems found as
rectifications (source 调研指导, linked back), or cancels it (waived). Topics are taken
by a unit or a figure (one of them); the taking unit's commissioner records the outcome;
a unit sees only its own; Chinese refusals save nothing; the lists' queries are
constant; the export is read back."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import research_selectors as selectors
from inspections import research_services as services
from inspections.models import ContactPoint, Rectification, ResearchTopic, ResearchVisit
from inspections.rules import RESEARCH_REPORT, RESEARCH_TOPIC_DUE, research_report_due
from portal.deadlines.models import Deadline
from portal.unit_panels import items_for
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# The report's due date: one calendar month, clamped to the month's end --------------------


@pytest.mark.parametrize(
    ("ended", "due"),
    [
        (D(2026, 6, 15), D(2026, 7, 15)),
        (D(2027, 1, 31), D(2027, 2, 28)),
        (D(2027, 1, 30), D(2027, 2, 28)),
        (D(2027, 1, 28), D(2027, 2, 28)),
        (D(2028, 1, 31), D(2028, 2, 29)),  # a leap year
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 4, 30), D(2026, 5, 30)),
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2026, 12, 1), D(2027, 1, 1)),
        (D(2026, 2, 28), D(2026, 3, 28)),
    ],
)
def test_the_report_is_due_the_same_day_next_month_or_that_months_last_day(ended, due):
    assert research_report_due(ended) == due


# Contact points ---------------------------------------------------------------------------


def test_the_office_keeps_contact_points_and_a_unit_is_a_current_one_once(org: Org):
    point = services.contact_point_add(
        unit=org.school_a, since=D(2026, 3, 1), contact=org.office, note="每学期走访", by=org.office
    )
    # The same form posted twice: the first kept.
    again = services.contact_point_add(
        unit=org.school_a, since=D(2026, 3, 1), contact=org.office, note="每学期走访", by=org.office
    )
    assert again.pk == point.pk
    with pytest.raises(ValidationError) as error:
        services.contact_point_add(unit=org.school_a, since=D(2026, 4, 1), by=org.office)
    assert error.value.message_dict == {"unit": ["该单位已是调研指导联系点。"]}
    with pytest.raises(ValidationError) as error:
        services.contact_point_add(
            unit=org.branch_b, since=D(2026, 4, 1), contact=org.commissioner_a, by=org.office
        )
    assert error.value.message_dict == {"contact": ["办公室联系人须为领导小组办公室的工作人员。"]}
    with pytest.raises(PermissionDenied):
        services.contact_point_add(unit=org.branch_b, since=D(2026, 4, 1), by=org.leader)
    with pytest.raises(ValidationError) as error:
        services.contact_point_end(point=point, until=D(2026, 2, 1), by=org.office)
    assert error.value.message_dict == {"until": ["撤销日期不能早于设立日期。"]}
    services.contact_point_end(point=point, until=D(2026, 9, 1), by=org.office)
    assert ContactPoint.objects.get().until == D(2026, 9, 1)
    # Ended: the unit may become one again.
    services.contact_point_add(unit=org.school_a, since=D(2026, 10, 1), by=org.office)
    assert ContactPoint.objects.filter(unit=org.school_a).count() == 2


def test_the_contact_point_pages_are_the_offices_and_the_leaders_read(org: Org):
    office = client_for(org.office)
    response = office.post(
        reverse("contact_point_create"),
        {"unit": org.branch_b.pk, "since": "2026-03-01", "contact": org.office.pk, "note": ""},
    )
    assert response.status_code == 302
    point = ContactPoint.objects.get()
    page = client_for(org.leader).get(reverse("contact_point_list")).content.decode()
    assert org.branch_b.name in page and "设立联系点" not in page
    assert client_for(org.commissioner_b).get(reverse("contact_point_list")).status_code == 403
    response = office.post(
        reverse("contact_point_edit", args=[point.pk]),
        {"since": "2026-03-02", "contact": "", "note": "改由主任联系"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.since, point.contact, point.note) == (D(2026, 3, 2), None, "改由主任联系")
    response = office.post(reverse("contact_point_end", args=[point.pk]), {"until": "2026-01-01"})
    assert "撤销日期不能早于设立日期。" in response.content.decode()
    assert ContactPoint.objects.get().until is None
    office.post(reverse("contact_point_end", args=[point.pk]), {"until": "2026-09-30"})
    assert ContactPoint.objects.get().until == D(2026, 9, 30)


# Visits -----------------------------------------------------------------------------------


def plan(org: Org, *, year=2026, text="赴两个联系点座谈、查阅台账。") -> ResearchVisit:
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.research_visit_plan(
            year=year,
            subject="贯彻落实重大决策部署情况",
            plan=text,
            units=[org.school_a, org.branch_b],
            starts_on=D(year, 10, 12),
            ends_on=D(year, 10, 30),
            by=org.office,
        )


OCT_31 = D(2026, 10, 31)


def ended(org: Org, *, on: dt.date = OCT_31) -> ResearchVisit:
    visit = plan(org)
    with time_machine.travel(at(on.year, on.month, on.day, 17), tick=False):
        return services.research_visit_finish(
            visit=visit, ends_on=on, findings="个别学院党外人士台账未更新。", by=org.office
        )


def test_finishing_opens_the_report_deadline_one_month_later_on_the_office(org: Org):
    visit = ended(org, on=D(2026, 10, 31))
    deadline = Deadline.objects.get(rule=RESEARCH_REPORT, object_id=visit.pk)
    assert deadline.due == D(2026, 11, 30)  # 31 October: November has no 31st
    assert deadline.responsible_unit is None  # nobody named: the office answers for it
    assert (visit.state, visit.deadline_id, visit.ends_on) == (
        "ended",
        deadline.pk,
        D(2026, 10, 31),
    )


@pytest.mark.parametrize(
    ("ends_on", "message"),
    [
        (D(2026, 11, 2), "结束日期不能晚于今天：请在调研结束后登记。"),
        (D(2026, 10, 11), "结束日期不能早于开始日期。"),
    ],
)
def test_an_impossible_end_is_refused_and_nothing_changes(org: Org, ends_on, message):
    visit = plan(org)
    with time_machine.travel(at(2026, 11, 1, 9), tick=False), pytest.raises(ValidationError) as e:
        services.research_visit_finish(visit=visit, ends_on=ends_on, findings="有", by=org.office)
    assert e.value.message_dict == {"ends_on": [message]}
    assert ResearchVisit.objects.get().state == "planned"
    assert not Deadline.objects.filter(rule=RESEARCH_REPORT).exists()


def test_the_report_meets_the_deadline_then_goes_upward_once_and_gets_the_groups_response(
    org: Org,
):
    visit = ended(org)
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        services.research_visit_report(
            visit=visit,
            report="调研指导报告正文。",
            report_file=SimpleUploadedFile("报告.pdf", PDF),
            by=org.office,
        )
        with pytest.raises(ValidationError) as error:
            services.research_visit_send_upward(
                visit=visit, sent_on=D(2026, 11, 19), sent_to="自治区党委统战部", by=org.office
            )
        assert error.value.message_dict == {"sent_on": ["报上级部门日期不能早于报送领导小组日期。"]}
        services.research_visit_send_upward(
            visit=visit, sent_on=D(2026, 11, 20), sent_to="自治区党委统战部", by=org.office
        )
        with pytest.raises(ValidationError) as error:
            services.research_visit_send_upward(
                visit=visit, sent_on=D(2026, 11, 20), sent_to="又报", by=org.office
            )
        assert error.value.messages == ["已于 2026-11-20 报上级部门。"]
        services.research_visit_respond(visit=visit, response="同意报告意见。", by=org.office)
    visit = ResearchVisit.objects.get()
    assert (visit.state, visit.reported_on, visit.sent_upward_on, visit.sent_upward_to) == (
        "reported",
        D(2026, 11, 20),
        D(2026, 11, 20),
        "自治区党委统战部",
    )
    assert visit.response == "同意报告意见。" and visit.report_file
    assert Deadline.objects.get(rule=RESEARCH_REPORT).state == "met"
    download = client_for(org.member).get(reverse("research_visit_file", args=[visit.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_cancelling_after_the_end_waives_the_report(org: Org):
    visit = ended(org)
    services.research_visit_cancel(visit=visit, reason="上级统一部署，改为联合调研", by=org.office)
    deadline = Deadline.objects.get(rule=RESEARCH_REPORT)
    assert (deadline.state, deadline.waive_reason) == ("waived", "上级统一部署，改为联合调研")
    assert ResearchVisit.objects.get().state == "cancelled"


def test_a_second_visit_in_a_year_is_warned_about_not_refused(org: Org):
    first = plan(org)
    assert selectors.other_visits_in_year(2026, exclude=first.pk) == 0
    with time_machine.travel(at(2026, 9, 2, 9), tick=False):
        client = client_for(org.office)  # logged in on the day (a session does not travel)
        form = client.get(reverse("research_visit_create")).content.decode()
        assert "2026年度已安排调研指导：制度要求每年开展1次。" in form
        response = client.post(
            reverse("research_visit_create"),
            {
                "year": 2026,
                "subject": "专项调研",
                "plan": "第二次调研。",
                "units": [org.branch_b.pk],
                "starts_on": "2026-11-02",
                "ends_on": "2026-11-06",
            },
            follow=True,
        )
    page = response.content.decode()
    assert ResearchVisit.objects.filter(year=2026).count() == 2
    assert "2026年度已有 1 次调研指导：制度要求每年开展1次，请确认确需再次安排。" in page


def test_planning_refuses_bad_input_in_chinese_and_saves_nothing(org: Org):
    def attempt(**change):
        kwargs = {
            "year": 2026,
            "subject": "主题",
            "plan": "方案",
            "units": [org.school_a],
            "starts_on": D(2026, 10, 1),
            "ends_on": D(2026, 10, 5),
            "by": org.office,
        } | change
        with pytest.raises(ValidationError) as error:
            services.research_visit_plan(**kwargs)
        return error.value.message_dict

    assert attempt(units=[]) == {"units": ["请选择至少一个调研单位。"]}
    assert attempt(plan="  ") == {"plan": ["请填写调研方案。"]}
    assert attempt(ends_on=D(2026, 9, 30)) == {"ends_on": ["结束日期不能早于开始日期。"]}
    assert attempt(year=2027) == {"starts_on": ["开始日期须在所填年度内。"]}
    with pytest.raises(PermissionDenied):
        services.research_visit_plan(
            year=2026,
            subject="主题",
            plan="方案",
            units=[org.school_a],
            starts_on=D(2026, 10, 1),
            ends_on=D(2026, 10, 5),
            by=org.leader,
        )
    assert not ResearchVisit.objects.exists()
    # The same plan posted twice is kept once.
    assert plan(org).pk == plan(org).pk


def test_a_problem_found_is_assigned_as_a_rectification_linked_both_ways(org: Org):
    visit = ended(org)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        client = client_for(org.office)
        with pytest.raises(ValidationError) as error:
            services.research_visit_assign(
                visit=visit,
                unit=org.ufw_dept,
                title="台账更新",
                problem="未更新",
                measures="更新台账",
                due=D(2026, 12, 31),
                by=org.office,
            )
        assert error.value.message_dict == {"unit": ["请选择本次调研指导的单位。"]}
        assert not Rectification.objects.exists()
        url = reverse("research_visit_step", args=[visit.pk, "assign"])
        data = {
            "unit": org.school_a.pk,
            "title": "党外人士台账更新",
            "problem": "个别学院党外人士台账未更新。",
            "measures": "逐人核对\n建立更新机制",
            "due": "2026-12-31",
        }
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # a double post acts once
    rectification = Rectification.objects.get()
    assert (rectification.source, rectification.unit) == ("research", org.school_a)
    assert list(visit.rectifications.all()) == [rectification]
    page = client_for(org.commissioner_a).get(rectification.get_absolute_url()).content.decode()
    assert "调研指导" in page and visit.get_absolute_url() in page
    office_page = client_for(org.office).get(visit.get_absolute_url()).content.decode()
    assert rectification.get_absolute_url() in office_page


def test_the_visit_steps_go_through_their_pages_and_only_the_office_acts(org: Org):
    visit = plan(org)
    office, member = client_for(org.office), client_for(org.member)
    finish = reverse("research_visit_step", args=[visit.pk, "finish"])
    assert member.get(visit.get_absolute_url()).status_code == 200
    assert member.get(finish).status_code == 403
    assert client_for(org.commissioner_a).get(visit.get_absolute_url()).status_code == 403
    with time_machine.travel(at(2026, 10, 31, 9), tick=False):
        office = client_for(org.office)
        response = office.post(finish, {"ends_on": "2026-10-30", "findings": "发现若干问题。"})
        assert response.status_code == 302
        again = office.post(finish, {"ends_on": "2026-10-30", "findings": "又一次"}, follow=True)
    assert "当前状态为“待报送报告”，不能结束调研。" in again.content.decode()
    visit = ResearchVisit.objects.get()
    assert visit.findings == "发现若干问题。"
    assert Deadline.objects.filter(rule=RESEARCH_REPORT).count() == 1
    report = reverse("research_visit_step", args=[visit.pk, "report"])
    with time_machine.travel(at(2026, 11, 5, 9), tick=False):
        office = client_for(org.office)
        response = office.post(
            report, {"report": "报告。", "report_file": SimpleUploadedFile("a.pdf", PDF)}
        )
    assert response.status_code == 302
    assert ResearchVisit.objects.get().state == "reported"


# Topics -----------------------------------------------------------------------------------


def topic(org: Org, *, unit=None, person=None, title="新时代高校统战工作机制研究") -> ResearchTopic:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        return services.research_topic_propose(
            year=2026,
            title=title,
            description="研究统战工作与学校中心工作的融合机制。",
            unit=unit,
            person=person if unit is None else None,
            origin="实际工作中出现的新问题新情况",
            by=org.office,
        )


def test_a_topic_is_taken_by_a_unit_or_a_figure_not_both_nor_neither(org: Org):
    for unit, person in ((None, None), (org.school_a, org.figure_a)):
        with pytest.raises(ValidationError) as error:
            services.research_topic_propose(
                year=2026,
                title="课题",
                description="内容",
                unit=unit,
                person=person,
                origin="来源",
                by=org.office,
            )
        assert error.value.message_dict == {
            "unit": ["请选择承担单位或承担人（党外人士）中的一项，且只选一项。"]
        }
    with pytest.raises(ValidationError) as error:
        services.research_topic_propose(
            year=2026, title="课题", description="内容", unit=org.school_a, by=org.office
        )
    assert error.value.message_dict == {"origin": ["请选择对应的工作要点，或填写课题来源。"]}
    assert not ResearchTopic.objects.exists()
    assert topic(org, unit=org.school_a).pk == topic(org, unit=org.school_a).pk  # once


def test_the_topic_is_assigned_with_a_deadline_and_the_taking_unit_records_the_outcome(org: Org):
    mine = topic(org, person=org.figure_a)  # a figure of school A: commissioner A's
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        with pytest.raises(ValidationError) as error:
            services.research_topic_assign(topic=mine, due=D(2026, 3, 2), by=org.office)
        assert error.value.message_dict == {"due": ["完成时限不能早于今天。"]}
        services.research_topic_assign(topic=mine, due=D(2026, 11, 30), by=org.office)
    deadline = Deadline.objects.get(rule=RESEARCH_TOPIC_DUE)
    assert (deadline.due, deadline.responsible_unit) == (D(2026, 11, 30), org.school_a)
    with pytest.raises(PermissionDenied):
        services.research_topic_complete(
            topic=mine, outcome_kind="paper", outcome="论文", by=org.commissioner_b
        )
    url = reverse("research_topic_step", args=[mine.pk, "complete"])
    with time_machine.travel(at(2026, 11, 10, 9), tick=False):
        client = client_for(org.commissioner_a)
        response = client.post(url, {"outcome_kind": "paper", "outcome": ""})
        assert ResearchTopic.objects.get().state == "assigned"
        response = client.post(
            url,
            {
                "outcome_kind": "paper",
                "outcome": "《高校统战工作融合机制研究》",
                "outcome_file": SimpleUploadedFile("论文.pdf", PDF),
            },
        )
    assert response.status_code == 302
    mine = ResearchTopic.objects.get()
    assert (mine.state, mine.completed_on, mine.outcome_kind) == (
        "completed",
        D(2026, 11, 10),
        "paper",
    )
    assert Deadline.objects.get(rule=RESEARCH_TOPIC_DUE).state == "met"
    with time_machine.travel(at(2026, 12, 20, 9), tick=False):
        with pytest.raises(ValidationError) as error:
            services.research_topic_recognise(
                topic=mine, sent_upward_on=None, award=" ", by=org.office
            )
        assert error.value.messages == ["请填写报上级部门日期或获奖情况。"]
        services.research_topic_recognise(
            topic=mine,
            sent_upward_on=D(2026, 12, 1),
            award="自治区统战理论研究优秀成果二等奖",
            by=org.office,
        )
    mine = ResearchTopic.objects.get()
    assert (mine.sent_upward_on, mine.award) == (D(2026, 12, 1), "自治区统战理论研究优秀成果二等奖")
    file_url = reverse("research_topic_file", args=[mine.pk])
    assert client_for(org.commissioner_a).get(file_url).status_code == 200
    assert client_for(org.commissioner_b).get(file_url).status_code == 404


def test_dropping_an_assigned_topic_waives_its_deadline(org: Org):
    mine = topic(org, unit=org.school_a)
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        services.research_topic_assign(topic=mine, due=D(2026, 6, 30), by=org.office)
        services.research_topic_drop(topic=mine, reason="与上级课题重复", by=org.office)
    deadline = Deadline.objects.get(rule=RESEARCH_TOPIC_DUE)
    assert (deadline.state, deadline.waive_reason) == ("waived", "与上级课题重复")


def test_a_unit_sees_only_its_own_topics(org: Org):
    own = topic(org, unit=org.school_a, title="甲")
    figure = topic(org, person=org.figure_a, title="乙")
    other = topic(org, unit=org.branch_b, title="丙")
    assert set(selectors.topics_for_user(org.commissioner_a)) == {own, figure}
    assert set(selectors.topics_for_user(org.commissioner_b)) == {other}
    assert set(selectors.topics_for_user(org.leader)) == {own, figure, other}
    assert not selectors.topics_for_user(org.member).exists()  # the office's unit takes none
    assert not selectors.topics_for_user(org.outsider).exists()
    assert client_for(org.commissioner_b).get(own.get_absolute_url()).status_code == 404
    step = reverse("research_topic_step", args=[own.pk, "complete"])
    assert client_for(org.commissioner_b).get(step).status_code == 404


def test_the_office_proposes_through_the_form(org: Org):
    client = client_for(org.office)
    url = reverse("research_topic_create")
    response = client.post(url, {"year": 2026, "title": "课题", "description": "内容"})
    assert "请选择承担单位或承担人（党外人士）中的一项，且只选一项。" in response.content.decode()
    response = client.post(
        url,
        {
            "year": 2026,
            "title": "课题",
            "description": "内容",
            "unit": org.branch_b.pk,
            "origin": "新情况",
        },
    )
    created = ResearchTopic.objects.get()
    assert response["Location"] == created.get_absolute_url()
    assert client_for(org.commissioner_b).get(url).status_code == 403


def test_the_export_reads_back_as_filtered_and_keeps_formulas_as_text(org: Org):
    topic(org, unit=org.school_a, title='=HYPERLINK("http://x")')
    topic(org, unit=org.branch_b, title="乙课题")
    client = client_for(org.office)
    response = client.get(reverse("research_topic_export") + f"?unit={org.school_a.pk}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("年度", "课题名称", "课题来源", "承担单位或承担人")
    assert len(rows) == 2
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert rows[1][3] == org.school_a.name
    # A commissioner's export holds their unit's only.
    theirs = client_for(org.commissioner_b).get(reverse("research_topic_export"))
    names = [
        row[1]
        for row in openpyxl.load_workbook(io.BytesIO(theirs.getvalue())).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["乙课题"]


def test_open_research_work_is_on_the_units_page(org: Org):
    ended(org)
    mine = topic(org, unit=org.school_a, title="甲课题")
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        items = items_for(org.leader, org.school_a, D(2026, 11, 2))
        kinds = {(item.kind, item.title) for item in items}
        assert ("调研指导", "2026：待报送报告") in kinds
        assert ("调研课题", "甲课题") in kinds
        # Commissioner A sees the topic, not the visit (visits are the group's to read).
        mine_items = items_for(org.commissioner_a, org.school_a, D(2026, 11, 2))
        assert [(i.kind, i.title) for i in mine_items if i.kind.startswith("调研")] == [
            ("调研课题", mine.title)
        ]


@pytest.mark.parametrize(
    ("name", "persona", "make"),
    [
        ("research_topic_list", "office", "topic"),
        ("research_topic_list", "commissioner_a", "topic"),
        ("research_visit_list", "office", "visit"),
        ("contact_point_list", "leader", "point"),
    ],
)
def test_the_lists_run_a_constant_number_of_queries(org: Org, name, persona, make):
    client = client_for(getattr(org, persona))
    url = reverse(name)
    units = [org.school_a, org.branch_b, org.branch_a, org.ufw_dept]

    def add(number: int) -> None:
        if make == "topic":
            created = topic(org, unit=org.school_a, title=f"课题{number}")
            with time_machine.travel(at(2026, 3, 3, 9), tick=False):
                services.research_topic_assign(topic=created, due=D(2026, 9, 30), by=org.office)
        elif make == "visit":
            ended(org) if number == 0 else plan(org, text=f"方案{number}")
        else:
            services.contact_point_add(
                unit=units[number], since=D(2026, 1, 1), contact=org.office, by=org.office
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(0)
    few = count()
    for number in range(1, 4):
        add(number)
    assert count() == few

"""Suggestions answered: every step's deadline on the official calendar (across the 2026
National Day holiday), the send-back window, rounds, feedback and satisfaction, reopening,
who sees what (a unit its own, without the proposer's name), the list's light and the
export read back. On a frozen clock (`time_machine`), in Shanghai time."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from outreach import rules
from outreach.models import Figure, Suggestion
from outreach.services import suggestions as services
from portal.deadlines.models import Deadline
from portal.models import PoliticalStatus
from tests.conftest import Org
from tests.factories import PersonFactory
from tests.meetings_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date


def deadline(s: Suggestion, rule: str, period: str) -> Deadline:
    return Deadline.objects.get(rule=rule, period=period, object_id=s.pk)


def record(org: Org, **extra) -> Suggestion:
    figure = Figure.objects.create(
        person=PersonFactory(
            name="提出人甲", unit=org.branch_a, political_status=PoliticalStatus.CDL
        ),
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=D(2025, 1, 1),
    )
    fields = {
        "title": "建议完善青年教师出国研修支持办法",
        "content": "建议内容",
        "source": "talk",
        "raised_on": D(2026, 9, 25),
        "figure": figure,
    } | extra
    return services.suggestion_record(**fields, by=org.office)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_step_has_its_deadline_across_the_national_day_holiday(org):
    with time_machine.travel(at(2026, 9, 25, 10), tick=False):  # a Friday
        s = record(org)
        assign = deadline(s, rules.SUGGESTION_ASSIGN, "assign-0")
        # Three working days: 28, 29, 30 September.
        assert (assign.due, s.deadline_id) == (D(2026, 9, 30), assign.pk)
    with time_machine.travel(at(2026, 9, 28, 10), tick=False):
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
    s.refresh_from_db()
    assert deadline(s, rules.SUGGESTION_ASSIGN, "assign-0").state == "met"
    answer = deadline(s, rules.SUGGESTION_ANSWER, "answer-1")
    # 15 working days from 28 September skip 1–8 October (the holiday) and count the
    # adjusted Saturday 10 October: 29, 30 Sep, 9, 10, 12–16, 19–23 October.
    assert answer.due == D(2026, 10, 23)
    assert (answer.responsible_unit, s.deadline_id, s.round) == (org.branch_a, answer.pk, 1)
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        services.suggestion_answer(suggestion=s, answer="已列入明年预算。", by=org.commissioner_a)
        review = deadline(s, rules.SUGGESTION_REVIEW, "review-1")
        assert review.due == D(2026, 10, 23)
        services.suggestion_review(suggestion=s, approve=True, by=org.office)
        feedback = deadline(s, rules.SUGGESTION_FEEDBACK, "feedback-1")
        assert feedback.due == D(2026, 10, 27)
        services.suggestion_feed_back(
            suggestion=s,
            feedback_on=D(2026, 10, 20),
            means="phone",
            feedback_by="梁晓燕",
            satisfaction="basically",
            by=org.office,
        )
    s.refresh_from_db()
    assert (s.state, s.satisfaction, s.deadline) == ("fed_back", "basically", None)
    assert set(Deadline.objects.filter(object_id=s.pk).values_list("state", flat=True)) == {"met"}


def test_the_lead_unit_sends_back_only_within_three_working_days(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):  # a Monday
        s = record(org)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
    late = pytest.raises(ValidationError, match="交办已超过3个工作日，不能再退回")
    with time_machine.travel(at(2026, 11, 6, 10), tick=False), late:  # four working days on
        services.suggestion_send_back(suggestion=s, reason="不属本单位", by=org.commissioner_a)
    with time_machine.travel(at(2026, 11, 5, 10), tick=False):  # the third
        with pytest.raises(ValidationError, match="请填写退回理由"):
            services.suggestion_send_back(suggestion=s, reason=" ", by=org.commissioner_a)
        services.suggestion_send_back(suggestion=s, reason="不属本单位职责", by=org.commissioner_a)
        s.refresh_from_db()
        assert s.state == "sent_back"
        again = deadline(s, rules.SUGGESTION_ASSIGN, "assign-1")
        assert (again.state, s.deadline_id) == ("open", again.pk)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_b, by=org.office)
    s.refresh_from_db()
    assert (s.state, s.round, s.lead_unit) == ("assigned", 2, org.branch_b)
    assert deadline(s, rules.SUGGESTION_ANSWER, "answer-2").responsible_unit == org.branch_b


def test_a_returned_answer_and_an_unsatisfied_figure_start_a_new_round(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s = record(org)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
        services.suggestion_answer(suggestion=s, answer="已知悉。", by=org.commissioner_a)
        with pytest.raises(ValidationError, match="请填写退回意见"):
            services.suggestion_review(suggestion=s, approve=False, comment="", by=org.office)
        services.suggestion_review(
            suggestion=s, approve=False, comment="请说明具体措施", by=org.office
        )
        s.refresh_from_db()
        assert (s.state, s.round, s.review_comment) == ("assigned", 2, "请说明具体措施")
        services.suggestion_answer(suggestion=s, answer="设立专项经费。", by=org.commissioner_a)
        services.suggestion_review(suggestion=s, approve=True, by=org.office)
        with pytest.raises(ValidationError, match="反馈日期不能晚于今天"):
            services.suggestion_feed_back(
                suggestion=s,
                feedback_on=D(2026, 11, 3),
                means="phone",
                feedback_by="办公室",
                satisfaction="unsatisfied",
                by=org.office,
            )
        services.suggestion_feed_back(
            suggestion=s,
            feedback_on=D(2026, 11, 2),
            means="phone",
            feedback_by="办公室",
            satisfaction="unsatisfied",
            by=org.office,
        )
        services.suggestion_reopen(suggestion=s, reason="经费额度偏低", by=org.office)
    s.refresh_from_db()
    assert (s.state, s.round, s.lead_unit) == ("assigned", 3, org.branch_a)
    assert deadline(s, rules.SUGGESTION_ANSWER, "answer-3").state == "open"


def test_a_satisfied_figure_cannot_be_reopened(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s = record(org)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
        services.suggestion_answer(suggestion=s, answer="已办理。", by=org.office)
        services.suggestion_review(suggestion=s, approve=True, by=org.office)
        services.suggestion_feed_back(
            suggestion=s,
            feedback_on=D(2026, 11, 2),
            means="written",
            feedback_by="办公室",
            satisfaction="satisfied",
            by=org.office,
        )
        with pytest.raises(ValidationError, match="提出人对答复满意或基本满意"):
            services.suggestion_reopen(suggestion=s, reason="再看看", by=org.office)


def test_recording_needs_a_proposer_and_a_double_click_records_once(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        with pytest.raises(ValidationError, match="请选择提出人"):
            services.suggestion_record(
                title="建议",
                content="内容",
                source="direct",
                raised_on=D(2026, 11, 2),
                by=org.office,
            )
        first = record(org, figure=None, raised_by="民盟支部")
        second = services.suggestion_record(
            title=first.title,
            content=first.content,
            source="talk",
            raised_on=D(2026, 9, 25),
            raised_by="民盟支部",
            by=org.office,
        )
    assert first.pk == second.pk
    assert Suggestion.objects.count() == 1


def test_a_unit_sees_its_own_without_the_proposer_and_the_office_sees_all(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s = record(org)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
        other = record(org, title="另一条建议", figure=None, raised_by="九三学社支社")
        services.suggestion_assign(suggestion=other, lead_unit=org.branch_b, by=org.office)
        unit_page = _client(org.commissioner_a).get(reverse("suggestion_list"))
        office_page = _client(org.office).get(reverse("suggestion_list"))
        detail = _client(org.commissioner_a).get(reverse("suggestion_detail", args=[s.pk]))
        hidden = _client(org.commissioner_a).get(reverse("suggestion_detail", args=[other.pk]))
    assert [row.pk for row in unit_page.context["page"]] == [s.pk]
    assert {row.pk for row in office_page.context["page"]} == {s.pk, other.pk}
    assert "提出人甲" in office_page.content.decode()
    assert "提出人甲" not in unit_page.content.decode()
    assert "提出人甲" not in detail.content.decode()
    # The unit's rows do not even carry the proposer: the list's query does not read it.
    assert [(row.figure_name, row.raised_by) for row in unit_page.context["page"]] == [(None, None)]
    by_pk = {row.pk: row for row in office_page.context["page"]}
    assert (by_pk[s.pk].figure_name, by_pk[other.pk].raised_by) == ("提出人甲", "九三学社支社")
    assert "九三学社支社" in office_page.content.decode()
    assert "答复" in detail.content.decode() and "退回" in detail.content.decode()
    assert hidden.status_code == 404


def test_the_list_lights_each_current_step_and_the_export_reads_back(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s = record(org)
        services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
    with time_machine.travel(at(2026, 11, 30, 10), tick=False):  # the answer is late
        page = _client(org.office).get(reverse("suggestion_list"))
        export = _client(org.office).get(reverse("suggestion_export"))
        unit_export = _client(org.commissioner_a).get(reverse("suggestion_export"))
    assert [row.light for row in page.context["page"]] == ["red"]
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(values_only=True)
    )
    assert rows[0][:4] == ("提出日期", "标题", "提出人", "来源")
    assert rows[1][1:5] == (s.title, "提出人甲", "谈心谈话", "办理中")
    unit_rows = list(
        openpyxl.load_workbook(io.BytesIO(unit_export.getvalue())).active.iter_rows(
            values_only=True
        )
    )
    assert "提出人" not in unit_rows[0]
    assert unit_rows[1][1] == s.title


def test_the_steps_form_takes_a_step_and_a_stale_click_is_refused_in_chinese(org):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s = record(org)
        client = _client(org.office)
        url = reverse("suggestion_step", args=[s.pk, "assign"])
        assert client.get(url).status_code == 200
        response = client.post(url, {"lead_unit": org.branch_a.pk})
        assert response.status_code == 302
        again = client.post(url, {"lead_unit": org.branch_b.pk}, follow=True)
    s.refresh_from_db()
    assert (s.state, s.lead_unit, s.round) == ("assigned", org.branch_a, 1)
    assert "当前状态为“办理中”，不能交办" in again.content.decode()


def test_a_talk_becomes_a_suggestion_with_its_words(org):
    from outreach.models import FriendshipPair
    from outreach.services import pairs
    from portal.models import Person

    Person.objects.filter(pk=org.leader.person_id).update(political_status=PoliticalStatus.CPC)
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        s0 = record(org)  # creates the figure
        FriendshipPair.objects.create(
            leader=Person.objects.get(pk=org.leader.person_id),
            figure=s0.figure,
            start_date=D(2026, 1, 1),
        )
        talk = pairs.talk_save(
            talk=None,
            leader=Person.objects.get(pk=org.leader.person_id),
            figures=[s0.figure],
            mode="topic",
            date=D(2026, 11, 1),
            topic="实验室建设",
            summary="谈话",
            raised="建议增加实验室开放时间。",
            by=org.leader,
        )
        pairs.talk_send(talk=talk, by=org.leader)
        client = _client(org.office)
        form = client.get(reverse("suggestion_create"), {"talk": talk.pk}).context["form"]
        assert form.initial["content"] == "建议增加实验室开放时间。"
        assert form.initial["figure"] == s0.figure_id
        response = client.post(
            f"{reverse('suggestion_create')}?talk={talk.pk}",
            {
                "title": "实验室建设",
                "content": "建议增加实验室开放时间。",
                "source": "talk",
                "figure": s0.figure_id,
                "raised_on": "2026-11-01",
            },
        )
    assert response.status_code == 302
    assert Suggestion.objects.get(title="实验室建设").talk == talk


def test_answered_on_time_counts_in_the_list_and_the_annual_report_alike(org):
    """按期答复: answered, every answer-step deadline met by its due date (23 October
    here); a late answer, and one not answered yet and overdue, are not on time. The list's
    `?answered=on_time` and the annual report's figure read the same rule."""
    from reports.year_sources import outreach_figures

    with time_machine.travel(at(2026, 9, 25, 10), tick=False):
        early, late, silent = (record(org, title=f"建议{n}") for n in "甲乙丙")
    with time_machine.travel(at(2026, 9, 28, 10), tick=False):
        for s in (early, late, silent):
            services.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        services.suggestion_answer(suggestion=early, answer="按期答复。", by=org.commissioner_a)
    with time_machine.travel(at(2026, 10, 27, 10), tick=False):
        services.suggestion_answer(suggestion=late, answer="逾期答复。", by=org.commissioner_a)
        assert deadline(late, rules.SUGGESTION_ANSWER, "answer-1").state == "met"
        assert deadline(silent, rules.SUGGESTION_ANSWER, "answer-1").is_overdue
        page = _client(org.office).get(reverse("suggestion_list") + "?year=2026&answered=on_time")
        listed = [s.pk for s in page.context["page"]]
        assert listed == [early.pk]
        assert "按期答复" in page.content.decode()  # the list says it is narrowed
        figure = next(f for f in outreach_figures(2026) if f.label == "牵头单位按期答复")
        assert figure.value == 1
        assert figure.url.endswith("?year=2026&answered=on_time")

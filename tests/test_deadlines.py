"""The deadline engine: rules as declarations, due dates on the official calendar,
period rules opening their periods, and the services apps call.

Expected dates are worked out by hand from the State Council schedules (see
tests/test_workdays.py): 2026 中秋 09-25 (Fri) off, 国庆 10-01..10-07 off,
09-20 (Sun) and 10-10 (Sat) worked.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils.translation import gettext_lazy as _

from groups.rules import WORK_POINTS
from meetings.rules import ACTION_ITEM, MINUTES, OFFICE_MEETING_QUOTA, PLENARY_MEETING_QUOTA
from portal.celery import app as celery_app
from portal.deadlines import periods, registry
from portal.deadlines.models import Deadline, ExtensionRequest, Notification, compute_steps
from portal.deadlines.reminders import periods_sync
from portal.deadlines.selectors import deadline_find
from portal.deadlines.services import (
    deadline_extend_decide,
    deadline_extend_request,
    deadline_meet,
    deadline_open,
    deadline_waive,
    rule_steps,
)
from portal.forms import ScheduleLine
from portal.services import workday_year_set
from portal.workdays import WorkdayCalendar
from reports.rules import ANNUAL_REPORT
from tests.deadline_helpers import D, at, open_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection_rule():
    """A rule of a later issue, declared the way that issue will declare it."""
    rule = registry.register(
        registry.Rule(
            code="inspection_report",
            label=_("督查报告"),
            workdays=20,
            extra_lines=lambda d: [f"督查对象：{d.subject}"],
        )
    )
    yield rule
    registry.unregister(rule.code)


# Rules are declarations -----------------------------------------------------------------


def test_it_declares_the_day_one_rules():
    codes = {rule.code for rule in registry.all_rules()}
    assert {
        ANNUAL_REPORT,
        WORK_POINTS,
        PLENARY_MEETING_QUOTA,
        OFFICE_MEETING_QUOTA,
        MINUTES,
        ACTION_ITEM,
    } <= codes
    assert registry.label(ANNUAL_REPORT) == "年度工作汇报"
    assert registry.get(MINUTES).workdays_after() == 5


def test_it_refuses_a_rule_declared_twice_or_badly_named():
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        registry.register(registry.Rule(code=ANNUAL_REPORT, label="重复"))
    with pytest.raises(ImproperlyConfigured):
        registry.Rule(code="bad code!", label="坏")
    with pytest.raises(ImproperlyConfigured):
        registry.Rule(code="negative", label="负数", offsets=(3, -1))
    with pytest.raises(registry.RuleNotRegistered):
        registry.get("nobody_declared_this")


def test_it_opens_a_later_rule_from_its_declaration_alone(org, inspection_rule):
    # "Report within 20 working days of the inspection's end", ending 2026-09-28:
    # 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, worked), 10-12 … 10-30 is the 20th.
    deadline = deadline_open(
        rule="inspection_report",
        subject=org.branch_b,
        after=D(2026, 9, 28),
        responsible_unit=org.branch_b,
    )
    assert deadline.due == D(2026, 10, 30)
    assert not deadline.due_provisional
    assert (deadline.due_after, deadline.due_workdays) == (D(2026, 9, 28), 20)
    assert str(deadline) == "督查报告：经济管理学院党总支"


@override_settings(DEADLINE_RULE_OFFSETS={"action_item": (10, 2)})
def test_it_lets_settings_override_a_rules_offsets():
    assert registry.get(ACTION_ITEM).reminder_offsets() == (10, 2)
    assert registry.get(ANNUAL_REPORT).reminder_offsets() == (7, 3, 1, 0)
    assert registry.get(PLENARY_MEETING_QUOTA).reminder_offsets() == (20, 10, 5, 1)


@override_settings(DEADLINE_ESCALATION_DELAY=5)
def test_it_reads_the_escalation_delay_from_settings():
    assert registry.get(ACTION_ITEM).escalation_after() == 5
    assert registry.Rule(code="quiet", label="x", escalate=False).escalation_after() is None


# The reminder schedule on the official calendar ----------------------------------------


def test_it_schedules_reminders_across_the_2026_national_day_holiday():
    steps = rule_steps(D(2026, 10, 9), registry.get(ACTION_ITEM), WorkdayCalendar())
    assert [(s.key, s.fire_at) for s in steps] == [
        # 7 working days before Friday 10-09, skipping 国庆 and 中秋 (09-25).
        ("before-7", at(2026, 9, 22)),
        ("before-3", at(2026, 9, 29)),
        ("before-1", at(2026, 10, 8)),
        ("due", at(2026, 10, 9)),
        # The next working day is Saturday 10-10, an adjusted workday.
        ("overdue", at(2026, 10, 10)),
        # Three working days after: 10-10, 10-12, 10-13.
        ("escalation", at(2026, 10, 13)),
    ]
    assert {s.audience for s in steps[:-1]} == {"responsible"}
    assert steps[-1].audience == "escalation"


def test_it_reminds_on_an_adjusted_sunday_workday():
    # Monday 2026-09-21: the working day before it is Sunday 09-20 (调休上班).
    steps = compute_steps(
        D(2026, 9, 21), offsets=(3, 1), escalation_delay=None, hour=8, calendar=WorkdayCalendar()
    )
    assert [(s.key, s.fire_at.date()) for s in steps] == [
        ("before-3", D(2026, 9, 17)),
        ("before-1", D(2026, 9, 20)),
        ("overdue", D(2026, 9, 22)),
    ]
    assert steps[1].fire_at == at(2026, 9, 20, 8)


def test_it_lights_a_deadline_green_yellow_and_red_at_the_boundaries(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    calendar = WorkdayCalendar()

    def light(day):
        return deadline.light(day, calendar.add_workdays(day, 3).date)

    # Yellow within the last 3 working days: 09-29 + 3 = 10-09 (holiday in between).
    assert light(D(2026, 9, 28)) == "green"
    assert light(D(2026, 9, 29)) == "yellow"
    assert light(D(2026, 10, 9)) == "yellow"
    assert light(D(2026, 10, 10)) == "red"
    assert deadline.effective_state(D(2026, 10, 9)) == "open"
    assert deadline.effective_state(D(2026, 10, 10)) == "overdue"
    deadline.state = Deadline.State.MET
    assert light(D(2026, 10, 10)) is None
    # What a list reading its deadlines as values calls: the same light from the same facts.
    from portal.deadlines.models import light_of

    assert light_of("open", D(2026, 10, 9), D(2026, 9, 29), D(2026, 10, 9)) == "yellow"
    assert light_of("overdue", D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 14)) == "red"
    assert light_of("waived", D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 14)) is None
    assert deadline.effective_state(D(2026, 10, 10)) == "met"


# Opening deadlines ---------------------------------------------------------------------


def test_it_opens_a_deadline_once_per_rule_and_subject(org):
    first = open_item(org.branch_a, D(2026, 10, 9))
    again = open_item(org.branch_a, D(2026, 10, 9))
    assert again.pk == first.pk
    assert Deadline.objects.count() == 1
    assert first.history.count() == 1  # opening twice with the same facts records nothing new
    other_rule = deadline_open(rule=MINUTES, subject=org.branch_a, due=D(2026, 10, 9))
    assert other_rule.pk != first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            rule=ACTION_ITEM,
            content_type=first.content_type,
            object_id=first.object_id,
            due=D(2026, 12, 1),
            original_due=D(2026, 12, 1),
        )


def test_it_opens_a_period_deadline_once_per_period():
    first = deadline_open(rule=PLENARY_MEETING_QUOTA, period="2026")
    assert first.due == D(2026, 12, 31)
    assert deadline_open(rule=PLENARY_MEETING_QUOTA, period="2026").pk == first.pk
    assert deadline_open(rule=PLENARY_MEETING_QUOTA, period="2027").pk != first.pk
    assert deadline_find(rule=PLENARY_MEETING_QUOTA, period="2026") == first
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            rule=PLENARY_MEETING_QUOTA, period="2026", due=D(2026, 1, 1), original_due=D(2026, 1, 1)
        )


def test_it_needs_a_due_date_a_base_date_or_a_period(org):
    with pytest.raises(ValueError, match="either due or after"):
        deadline_open(
            rule=ACTION_ITEM, subject=org.branch_a, due=D(2026, 1, 1), after=D(2026, 1, 1)
        )
    with pytest.raises(ValueError, match="give due"):
        deadline_open(rule=ACTION_ITEM, subject=org.branch_a)
    with pytest.raises(ValueError, match="subject or a period"):
        deadline_open(rule=ACTION_ITEM, due=D(2026, 1, 1))
    with pytest.raises(registry.RuleNotRegistered):
        deadline_open(rule="no_such_rule", subject=org.branch_a, due=D(2026, 1, 1))
    assert Deadline.objects.count() == 0


def test_it_marks_a_due_date_in_an_unknown_year_provisional(org):
    # Five working days after 2026-12-28: 12-29, 12-30, 12-31, then 2027 on weekends
    # only (the package stops at 2026): 01-01 (Fri), 01-04.
    deadline = deadline_open(rule=MINUTES, subject=org.branch_a, after=D(2026, 12, 28))
    assert deadline.due == D(2027, 1, 4)
    assert deadline.due_provisional


@pytest.fixture
def eager_tasks():
    """Run tasks queued by signals in this process, in both legs."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def test_it_recomputes_provisional_due_dates_when_the_office_enters_the_year(
    org, django_capture_on_commit_callbacks, eager_tasks
):
    with time_machine.travel(at(2026, 11, 20), tick=False):
        deadline = deadline_open(rule=MINUTES, subject=org.branch_a, after=D(2026, 12, 28))
        fixed = open_item(org.branch_b, D(2027, 1, 4))  # a fixed date is not recomputed
    with (
        time_machine.travel(at(2026, 11, 21), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workday_year_set(
            by=org.office,
            year=2027,
            notice="国务院办公厅关于2027年部分节假日安排的通知",
            days=[ScheduleLine(D(2027, 1, 1), False, "元旦")],
        )
    deadline.refresh_from_db()
    fixed.refresh_from_db()
    # 12-29, 12-30, 12-31, 01-04, 01-05: New Year's Day is now a holiday.
    assert deadline.due == D(2027, 1, 5)
    assert not deadline.due_provisional
    assert deadline.history.first().history_change_reason == "按2027年节假日安排重新计算"
    assert fixed.due == D(2027, 1, 4)
    # Its reminders follow the new calendar: 7 working days before 01-05 is 12-24.
    steps = rule_steps(deadline.due, registry.get(MINUTES), WorkdayCalendar())
    assert deadline.next_reminder_at == steps[0].fire_at == at(2026, 12, 24)


def test_it_updates_an_open_deadline_and_leaves_a_closed_one(org):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
        moved = open_item(org.branch_a, D(2026, 10, 30), title="新的要求")
    assert moved.pk == deadline.pk
    assert (moved.due, moved.title) == (D(2026, 10, 30), "新的要求")
    assert moved.original_due == D(2026, 10, 9)
    # The reminders follow the new date: 7 working days before 10-30 is 10-21.
    assert moved.next_reminder_at == at(2026, 10, 21)
    deadline_meet(rule=ACTION_ITEM, subject=org.branch_a)
    closed = open_item(org.branch_a, D(2026, 12, 1))
    assert (closed.state, closed.due) == ("met", D(2026, 10, 30))


def test_it_records_responsible_users(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9), responsible_users=[org.member])
    assert list(deadline.responsible_users.all()) == [org.member]
    open_item(org.branch_a, D(2026, 10, 9), responsible_users=[org.commissioner_a])
    assert list(deadline.responsible_users.all()) == [org.commissioner_a]


# Meeting, waiving --------------------------------------------------------------------


def test_it_meets_a_deadline_once(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    met = deadline_meet(rule=ACTION_ITEM, subject=org.branch_a, by=org.office)
    assert met.state == "met" and met.next_reminder_at is None and met.closed_at
    assert met.history.first().history_change_reason == "已完成"
    assert met.history.first().history_user == org.office
    count = met.history.count()
    deadline_meet(rule=ACTION_ITEM, subject=org.branch_a)
    assert Deadline.objects.get(pk=deadline.pk).history.count() == count
    assert deadline_meet(rule=ACTION_ITEM, subject=org.branch_b) is None


def test_it_records_a_quota_met_before_its_period_was_opened():
    met = deadline_meet(rule=OFFICE_MEETING_QUOTA, period="2026-autumn")
    assert met is not None
    assert (met.state, met.due) == ("met", D(2027, 2, 28))


def test_it_waives_with_a_reason_in_the_history(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    with pytest.raises(ValidationError, match="请填写免除理由"):
        deadline_waive(deadline=deadline, by=org.office, reason="  ")
    waived = deadline_waive(deadline=deadline, by=org.office, reason="上级通知取消")
    assert (waived.state, waived.waive_reason) == ("waived", "上级通知取消")
    assert waived.next_reminder_at is None
    record = waived.history.first()
    assert record.history_change_reason == "免除：上级通知取消"
    assert record.history_user == org.office
    with pytest.raises(ValidationError, match="不能免除"):
        deadline_waive(deadline=waived, by=org.office, reason="再次")


# Extensions ----------------------------------------------------------------------------


def test_it_accepts_an_extension_request_until_the_end_of_the_due_date(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    with time_machine.travel(at(2026, 10, 9, 23, 59), tick=False):
        request = deadline_extend_request(
            deadline=deadline,
            by=org.commissioner_a,
            requested_due=D(2026, 10, 23),
            reason="材料未齐",
        )
    assert request.decision == "pending"
    assert request.current_due == D(2026, 10, 9)
    deadline_extend_decide(request=request, by=org.leader, approve=False)
    with (
        time_machine.travel(at(2026, 10, 10, 0, 0), tick=False),
        pytest.raises(ValidationError, match="期限已过"),
    ):
        deadline_extend_request(
            deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 23), reason="晚了"
        )
    assert ExtensionRequest.objects.count() == 1


def test_it_refuses_a_bad_extension_request(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    with time_machine.travel(at(2026, 9, 30), tick=False):
        with pytest.raises(ValidationError) as error:
            deadline_extend_request(
                deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 9), reason="x"
            )
        assert "须晚于原期限" in str(error.value)
        with pytest.raises(ValidationError):
            deadline_extend_request(
                deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 20), reason=""
            )
        deadline_extend_request(
            deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 20), reason="一"
        )
        with pytest.raises(ValidationError, match="等待审批"):
            deadline_extend_request(
                deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 21), reason="二"
            )
    assert ExtensionRequest.objects.count() == 1


def test_it_tells_the_leaders_about_a_request_and_the_requester_about_the_decision(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    with time_machine.travel(at(2026, 9, 30), tick=False):
        request = deadline_extend_request(
            deadline=deadline,
            by=org.commissioner_a,
            requested_due=D(2026, 10, 23),
            reason="材料未齐",
        )
    leaders = set(
        Notification.objects.filter(kind="extension").values_list("recipient__username", flat=True)
    )
    assert leaders == {"leader", "incharge"}  # those who may decide it; not the deputy
    note = Notification.objects.filter(recipient=org.leader).get()
    assert note.title == "延期申请待审批：督办事项：落实会议决定"
    assert "材料未齐" in note.items[0]["text"]
    assert note.url == f"/deadlines/extensions/{request.pk}/"
    deadline_extend_decide(request=request, by=org.leader, approve=True, note="同意")
    answer = Notification.objects.get(recipient=org.commissioner_a)
    assert answer.title == "延期申请已批准：督办事项：落实会议决定"
    assert "期限延至2026-10-23" in answer.items[0]["text"]
    assert "审批意见：同意" in answer.items[0]["text"]


def test_it_moves_the_due_date_when_a_leader_approves(org):
    with time_machine.travel(at(2026, 9, 30), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
        request = deadline_extend_request(
            deadline=deadline,
            by=org.commissioner_a,
            requested_due=D(2026, 10, 30),
            reason="材料未齐",
        )
    with time_machine.travel(at(2026, 10, 12, 10), tick=False):  # decided after the old date
        Deadline.objects.filter(pk=deadline.pk).update(state="overdue")
        decided = deadline_extend_decide(
            request=request, by=org.leader, approve=True, granted_due=D(2026, 10, 23)
        )
    deadline.refresh_from_db()
    assert decided.decision == "approved"
    assert (decided.decided_by, decided.granted_due) == (org.leader, D(2026, 10, 23))
    assert (deadline.due, deadline.original_due, deadline.state) == (
        D(2026, 10, 23),
        D(2026, 10, 9),
        "open",
    )
    record = deadline.history.first()
    assert record.history_change_reason == "批准延期：由2026-10-09延至2026-10-23（leader-人员）"
    assert record.history_user == org.leader
    # A fresh schedule: 7 working days before 10-23 is 10-14, after the decision.
    assert deadline.next_reminder_at == at(2026, 10, 14)


def test_it_decides_a_request_once(org):
    deadline = open_item(org.branch_a, D(2026, 10, 9))
    with time_machine.travel(at(2026, 9, 30), tick=False):
        request = deadline_extend_request(
            deadline=deadline,
            by=org.commissioner_a,
            requested_due=D(2026, 10, 30),
            reason="材料未齐",
        )
        deadline_extend_decide(request=request, by=org.in_charge, approve=False, note="按时完成")
        history = deadline.history.count()
        with pytest.raises(ValidationError, match="当前状态为“未批准”"):
            deadline_extend_decide(request=request, by=org.leader, approve=True)
    request.refresh_from_db()
    deadline.refresh_from_db()
    assert (request.decision, request.decided_by) == ("refused", org.in_charge)
    assert deadline.due == D(2026, 10, 9)
    assert deadline.history.count() == history
    assert Notification.objects.filter(recipient=org.commissioner_a).count() == 1


# Period rules ----------------------------------------------------------------------------


def _periods(rule: str) -> list[tuple[str, dt.date]]:
    return list(Deadline.objects.filter(rule=rule).order_by("period").values_list("period", "due"))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 30), []),
        (D(2026, 12, 1), [("2026", D(2027, 1, 15))]),
        (D(2027, 1, 15), [("2026", D(2027, 1, 15))]),
        (D(2027, 1, 16), []),  # too late to open last year's report
    ],
)
def test_it_opens_the_annual_report_from_december_to_15_january(day, expected):
    with time_machine.travel(dt.datetime.combine(day, dt.time(9)).astimezone(), tick=False):
        periods_sync(day)
    assert _periods(ANNUAL_REPORT) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 12, 31), []),
        (D(2026, 1, 1), [("2026", D(2026, 3, 31))]),
        (D(2026, 3, 31), [("2026", D(2026, 3, 31))]),
        (D(2026, 4, 1), []),
    ],
)
def test_it_opens_the_work_points_from_january_to_31_march(day, expected):
    periods_sync(day)
    assert _periods(WORK_POINTS) == expected


def test_it_opens_each_years_plenary_quota_and_each_semesters_office_quota():
    periods_sync(D(2026, 8, 31))
    periods_sync(D(2026, 9, 1))
    periods_sync(D(2026, 9, 2))
    assert _periods(PLENARY_MEETING_QUOTA) == [("2026", D(2026, 12, 31))]
    assert _periods(OFFICE_MEETING_QUOTA) == [
        ("2026-autumn", D(2027, 2, 28)),
        ("2026-spring", D(2026, 8, 31)),
    ]


def test_it_leaves_a_met_period_alone():
    deadline_meet(rule=PLENARY_MEETING_QUOTA, period="2026")
    periods_sync(D(2026, 6, 1))
    assert list(Deadline.objects.order_by("rule").values_list("rule", "state")) == [
        (OFFICE_MEETING_QUOTA, "open"),
        (PLENARY_MEETING_QUOTA, "met"),
    ]


@pytest.mark.parametrize(
    ("day", "key", "start", "end"),
    [
        (D(2026, 2, 28), "2025-autumn", D(2025, 9, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), "2026-spring", D(2026, 3, 1), D(2026, 8, 31)),
        (D(2026, 8, 31), "2026-spring", D(2026, 3, 1), D(2026, 8, 31)),
        (D(2026, 9, 1), "2026-autumn", D(2026, 9, 1), D(2027, 2, 28)),
        (D(2028, 2, 29), "2027-autumn", D(2027, 9, 1), D(2028, 2, 29)),  # a leap year
        (D(2027, 1, 10), "2026-autumn", D(2026, 9, 1), D(2027, 2, 28)),
    ],
)
def test_it_finds_the_semester_of_a_day(day, key, start, end):
    semester = periods.semester_of(day)
    assert (semester.key, semester.start, semester.end) == (key, start, end)
    assert periods.semester_by_key(key) == semester


@override_settings(SEMESTER_STARTS={"autumn": (8, 25), "spring": (2, 20)})
def test_it_follows_the_colleges_own_semester_dates():
    assert periods.semester_of(D(2026, 8, 24)).key == "2026-spring"
    assert periods.semester_of(D(2026, 8, 25)).end == D(2027, 2, 19)
    assert periods.semester_label("2026-autumn") == "2026年秋季学期"
    with pytest.raises(ValueError):
        periods.semester_by_key("2026-summer")


def test_it_sends_the_office_to_where_the_annual_report_and_work_points_are_written(org):
    from portal.deadlines.display import action_path
    from portal.deadlines.services import deadline_open
    from tests.conftest import client_for

    for rule, page in ((ANNUAL_REPORT, "/reports/annual/"), (WORK_POINTS, "/work-points/")):
        deadline = deadline_open(rule=rule, period="2026")
        assert action_path(deadline) == page
        assert client_for(org.office).get(page).status_code == 200
        html = client_for(org.office).get(f"/deadlines/{deadline.pk}/").content.decode()
        assert f'href="{page}"' in html  # 去办理


def test_a_list_page_lights_each_row_from_its_deadline(org):
    """`display.set_lights`: red overdue, yellow within the last working days (29 Sep
    is two working days after 25 Sep), green further, none once met or without one."""
    from types import SimpleNamespace

    from portal.deadlines.display import set_lights

    with time_machine.travel(at(2026, 9, 1), tick=False):
        rows = [
            SimpleNamespace(deadline=open_item(org.branch_a, D(2026, 9, 24))),
            SimpleNamespace(deadline=open_item(org.branch_b, D(2026, 9, 29))),
            SimpleNamespace(deadline=open_item(org.school_a, D(2026, 11, 30))),
            SimpleNamespace(deadline=None),
        ]
    deadline_meet(rule=ACTION_ITEM, subject=org.school_a)
    rows[2].deadline.refresh_from_db()
    lit = set_lights(rows, today=D(2026, 9, 25))
    assert lit is rows
    assert [row.light for row in rows] == ["red", "yellow", None, None]
    rows[2].deadline.state = Deadline.State.OPEN
    set_lights(rows, today=D(2026, 9, 25))
    assert rows[2].light == "green"

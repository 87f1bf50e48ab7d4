"""The deadline pages: the list (a timeline by month) with its filters, a deadline's
page, waiving, extension requests and decisions, the inbox, and "我的待办"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.deadlines import todos
from portal.deadlines.models import Deadline, ExtensionRequest, Notification
from portal.deadlines.reminders import reminders_scan
from portal.deadlines.services import deadline_extend_request, deadline_meet, deadline_open
from tests.conftest import client_for
from tests.deadline_helpers import D, at, open_item
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

TODAY = at(2026, 9, 29, 10)  # a Tuesday; 国庆 starts on Thursday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def lights(org):
    """Three deadlines of branch A: red, yellow, green; and one met, one of branch B."""
    return {
        "red": open_item(org.branch_a, D(2026, 9, 28), title="红色事项"),
        "yellow": open_item(org.branch_a, D(2026, 10, 9), title="黄色事项", subject=org.school_a),
        "green": open_item(org.branch_a, D(2026, 11, 30), title="绿色事项", subject=org.ufw_dept),
        "met": open_item(org.branch_a, D(2026, 9, 30), title="完成事项", subject=org.figure_a),
        "other": open_item(org.branch_b, D(2026, 10, 9), title="经管事项"),
    }


def _met(deadline: Deadline) -> None:
    deadline_meet(rule=deadline.rule, subject=deadline.subject)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _many(org, count: int) -> None:
    units = [UnitFactory(parent=org.branch_a) for _ in range(5)]
    for n in range(count):
        deadline_open(
            rule="action_item",
            subject=units[n % 5] if n % 3 else None,  # some about a record, some a period
            period=f"批次{n}",
            due=D(2026, 9, 20) + dt.timedelta(days=n % 90),
            title=f"事项{n}",
            responsible_unit=units[n % 5],
            responsible_users=[org.commissioner_a] if n % 2 else [],
        )


# The list --------------------------------------------------------------------------------


def test_it_lists_open_deadlines_as_a_timeline_with_their_lights(org, lights):
    _met(lights["met"])
    html = client_for(org.office).get("/deadlines/").content.decode()
    for title in ("红色事项", "黄色事项", "绿色事项", "经管事项"):
        assert title in html
    assert "完成事项" not in html  # by default, only what is still to do
    assert html.index("2026年9月") < html.index("2026年10月") < html.index("2026年11月")
    assert html.index("红色事项") < html.index("黄色事项") < html.index("绿色事项")
    assert 'class="todo-light danger"' in html
    assert 'class="todo-light warning"' in html
    assert 'class="todo-light info"' in html
    assert "已逾期1个工作日" in html
    assert "还有3个工作日" in html  # 09-30, 10-08, 10-09


def test_it_filters_by_unit_rule_and_state(org, lights):
    _met(lights["met"])
    client = client_for(org.office)
    by_unit = client.get(f"/deadlines/?unit={org.branch_b.pk}").content.decode()
    assert "经管事项" in by_unit and "红色事项" not in by_unit
    overdue = client.get("/deadlines/?state=overdue").content.decode()
    assert "红色事项" in overdue and "黄色事项" not in overdue
    met = client.get("/deadlines/?state=met").content.decode()
    assert "完成事项" in met and "红色事项" not in met
    everything = client.get("/deadlines/?state=all").content.decode()
    assert all(t in everything for t in ("红色事项", "完成事项", "经管事项"))
    deadline_open(rule="plenary_meeting_quota", period="2026")
    by_rule = client.get("/deadlines/?rule=plenary_meeting_quota").content.decode()
    assert "领导小组全体会议：2026年度" in by_rule and "红色事项" not in by_rule
    assert "领导小组办公室" in by_rule  # nobody named: the office answers for it


def test_it_shows_a_commissioner_only_their_units_deadlines(org, lights):
    html = client_for(org.commissioner_b).get("/deadlines/").content.decode()
    assert "经管事项" in html
    assert "红色事项" not in html
    html = client_for(org.member).get("/deadlines/").content.decode()
    assert 'id="deadline-empty"' in html
    assert client_for(org.leader).get("/deadlines/").content.decode().count("deadline-row") == 5


@pytest.mark.parametrize("persona", ["office", "commissioner_a"])
def test_it_lists_deadlines_in_a_constant_number_of_queries(org, persona):
    client = client_for(getattr(org, persona))
    _many(org, 5)
    few = _queries(client, "/deadlines/?state=all")
    _many(org, 500)
    many = _queries(client, "/deadlines/?state=all")
    # Session, user, roles, (own units), unit choices, count, page, users, subjects,
    # pending requests (annotated), two for the calendar, the inbox count.
    assert few == many


# A deadline's page -------------------------------------------------------------------------


def test_it_shows_a_deadline_with_its_history_and_actions(org, lights):
    deadline = lights["yellow"]
    html = client_for(org.commissioner_a).get(f"/deadlines/{deadline.pk}/").content.decode()
    assert "督办事项：黄色事项" in html
    assert "2026年10月9日" in html
    assert "申请延期" in html
    assert "免除" not in html.split("修改记录")[0].split("deadline-facts")[1]
    assert "开始计时" in html
    assert 'id="deadline-deliveries"' not in html  # the delivery log is the office's
    office = client_for(org.office).get(f"/deadlines/{deadline.pk}/").content.decode()
    assert f'href="/deadlines/{deadline.pk}/waive/"' in office
    assert f'href="/deadlines/{deadline.pk}/extension/"' not in office  # not theirs
    assert client_for(org.commissioner_b).get(f"/deadlines/{deadline.pk}/").status_code == 404


def test_it_shows_the_office_which_reminders_went_out(org, lights):
    reminders_scan(now=at(2026, 9, 29, 10))
    html = client_for(org.office).get(f"/deadlines/{lights['yellow'].pk}/").content.decode()
    assert 'id="deadline-deliveries"' in html
    assert "到期前3个工作日" in html and "已发送" in html


# Waiving -------------------------------------------------------------------------------------


def test_it_lets_the_office_waive_with_a_reason(org, lights):
    deadline = lights["red"]
    client = client_for(org.office)
    response = client.post(f"/deadlines/{deadline.pk}/waive/", {"reason": " "})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).state == "open"
    response = client.post(
        f"/deadlines/{deadline.pk}/waive/", {"reason": "并入年度总结"}, follow=True
    )
    assert "已免除期限" in response.content.decode()
    deadline.refresh_from_db()
    assert (deadline.state, deadline.waive_reason) == ("waived", "并入年度总结")
    assert "免除：并入年度总结" in response.content.decode()  # in the history


# Extensions ------------------------------------------------------------------------------


def test_it_takes_an_extension_request_from_the_responsible_unit(org, lights):
    deadline = lights["yellow"]
    client = client_for(org.commissioner_a)
    url = f"/deadlines/{deadline.pk}/extension/"
    response = client.post(url, {"requested_due": "2026-10-09", "reason": "材料未齐"})
    assert "申请延至的日期须晚于原期限（2026-10-09）" in response.content.decode()
    response = client.post(url, {"requested_due": "2026-10-23", "reason": ""})
    assert "这个字段是必填项" in response.content.decode()
    assert ExtensionRequest.objects.count() == 0
    response = client.post(url, {"requested_due": "2026-10-23", "reason": "材料未齐"}, follow=True)
    assert "延期申请已提交，等待领导审批" in response.content.decode()
    again = client.post(url, {"requested_due": "2026-10-30", "reason": "双击"})
    assert "已有一份延期申请在等待审批" in again.content.decode()
    assert ExtensionRequest.objects.get().requested_due == D(2026, 10, 23)


def test_it_refuses_an_extension_request_after_the_due_date(org, lights):
    url = f"/deadlines/{lights['red'].pk}/extension/"
    response = client_for(org.commissioner_a).post(
        url, {"requested_due": "2026-10-23", "reason": "晚了"}
    )
    assert "期限已过，不能再申请延期" in response.content.decode()
    assert ExtensionRequest.objects.count() == 0


def test_it_lets_a_leader_decide_once(org, lights):
    deadline = lights["yellow"]
    request = deadline_extend_request(
        deadline=deadline, by=org.commissioner_a, requested_due=D(2026, 10, 23), reason="材料未齐"
    )
    url = f"/deadlines/extensions/{request.pk}/"
    client = client_for(org.in_charge)
    page = client.get(url).content.decode()
    assert "2026年10月23日" in page and "材料未齐" in page
    bad = client.post(url, {"decision": "approve", "granted_due": "2026-10-01"})
    assert "批准延至的日期须晚于原期限（2026-10-09）" in bad.content.decode()
    response = client.post(url, {"decision": "approve", "note": "同意"}, follow=True)
    assert "已批准延期" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.due == D(2026, 10, 23)
    second = client_for(org.leader).post(url, {"decision": "refuse"}, follow=True)
    assert "当前状态为“已批准”，不能退回。" in second.content.decode()
    request.refresh_from_db()
    assert (request.decision, request.decided_by) == ("approved", org.in_charge)
    assert client_for(org.leader).get(url).content.decode().count('name="decision"') == 0


# Inbox ------------------------------------------------------------------------------------


def test_it_shows_the_unread_count_and_marks_messages_read(org, lights):
    reminders_scan(now=at(2026, 9, 29, 10))
    client = client_for(org.commissioner_a)
    home = client.get("/").content.decode()
    assert 'id="inbox-unread"' in home
    inbox = client.get("/inbox/").content.decode()
    message = Notification.objects.get(recipient=org.commissioner_a)
    assert message.title in inbox
    assert "未读" in inbox
    response = client.post(f"/inbox/{message.pk}/read/", {"next": "/inbox/"})
    assert response.status_code == 302 and response.url == "/inbox/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert 'id="inbox-unread"' not in client.get("/").content.decode()
    # Not someone else's message; not to another site.
    other = Notification.objects.create(recipient=org.office, kind="reminder", title="办公室的")
    assert client.post(f"/inbox/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(f"/inbox/{message.pk}/read/", {"next": "https://evil.example/"})
    assert response.url == "/inbox/"


def test_it_marks_all_messages_read(org):
    for n in range(3):
        Notification.objects.create(recipient=org.member, kind="reminder", title=f"消息{n}")
    Notification.objects.create(recipient=org.office, kind="reminder", title="别人的")
    response = client_for(org.member).post("/inbox/read-all/", follow=True)
    assert "已将3条消息标为已读" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert "没有未读消息" in client_for(org.member).get("/inbox/?unread=1").content.decode()


def test_it_lists_the_inbox_in_a_constant_number_of_queries(org):
    client = client_for(org.member)
    item = {"text": "督办事项", "url": "/deadlines/1/", "level": "red", "lines": ["地点"]}
    Notification.objects.bulk_create(
        Notification(recipient=org.member, kind="reminder", title=f"消息{n}", items=[item])
        for n in range(5)
    )
    few = _queries(client, "/inbox/")
    Notification.objects.bulk_create(
        Notification(recipient=org.member, kind="reminder", title=f"消息{n}", items=[item] * 3)
        for n in range(500)
    )
    # Session, user, roles, the unread count, count, page.
    assert _queries(client, "/inbox/") == few


# 我的待办 -------------------------------------------------------------------------------------


def test_it_lists_my_open_deadlines_by_urgency_on_the_home_page(org, lights):
    _met(lights["met"])
    html = client_for(org.commissioner_a).get("/").content.decode()
    red, yellow, green = (html.index(t) for t in ("红色事项", "黄色事项", "绿色事项"))
    assert red < yellow < green
    assert "完成事项" not in html and "经管事项" not in html
    assert "已逾期1个工作日；责任方：机电工程学院党总支" in html


def test_it_lists_the_most_urgent_deadlines_at_home_and_links_to_the_rest(org, monkeypatch):
    monkeypatch.setattr(todos, "TODO_LIMIT", 2)
    for n, day in enumerate((12, 9, 10)):
        open_item(org.branch_a, D(2026, 10, day), title=f"事项{'甲乙丙'[n]}", period=f"p{n}")
    html = client_for(org.commissioner_a).get("/").content.decode()
    assert "事项乙" in html and "事项丙" in html  # due on the 9th and 10th
    assert "事项甲" not in html
    assert "还有更多期限和延期申请" in html and 'href="/deadlines/"' in html

    deadline_meet(rule="action_item", subject=org.branch_a, period="p1")  # 事项乙
    html = client_for(org.commissioner_a).get("/").content.decode()
    assert "事项甲" in html and "事项丙" in html
    assert "还有更多期限和延期申请" not in html


def test_it_shows_the_office_the_deadlines_nobody_else_answers_for(org):
    deadline_open(rule="plenary_meeting_quota", period="2026")
    html = client_for(org.office).get("/").content.decode()
    assert "领导小组全体会议：2026年度" in html
    assert "领导小组全体会议" not in client_for(org.commissioner_a).get("/").content.decode()


def test_it_shows_leaders_requests_to_decide_and_escalations(org, lights):
    deadline_extend_request(
        deadline=lights["yellow"],
        by=org.commissioner_a,
        requested_due=D(2026, 10, 23),
        reason="材料未齐",
    )
    reminders_scan(now=at(2026, 10, 12, 9))  # "红色事项" (09-28) escalated on 10-08
    html = client_for(org.in_charge).get("/").content.decode()
    assert "审批延期申请：督办事项：黄色事项" in html
    assert "逾期督办：" in html and "红色事项" in html
    assert "红色事项" not in client_for(org.deputy).get("/").content.decode()


def test_it_builds_the_home_page_in_a_constant_number_of_queries(org):
    client = client_for(org.commissioner_a)
    _many(org, 5)
    few = _queries(client, "/")
    _many(org, 500)
    assert _queries(client, "/") == few

"""The reminder scan: when each reminder goes out (time travel to just before, at and
just after each step, across the 2026 National Day holiday and an adjusted Sunday),
to whom, on which channel, once, as one digest per person, and what happens when a
channel fails or a worker dies.

The fast leg runs the scan in-process on SQLite with Django's locmem mail backend;
tests/test_reminders_services.py runs it through real Celery workers on Redis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from smtplib import SMTPException
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from meetings.rules import PLENARY_MEETING_QUOTA
from portal.celery import app
from portal.deadlines import registry
from portal.deadlines.models import Deadline, Delivery, Notification
from portal.deadlines.reminders import deliveries_send, reminders_scan
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.deadlines.tasks import send_reminders
from portal.models import Role, Unit, User
from tests.conftest import make_user
from tests.deadline_helpers import D, Robot, at, open_item, sent_steps
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

SITE = "https://tongzhan.example.edu.cn"


@pytest.fixture(autouse=True)
def _site():
    with override_settings(SITE_URL=SITE, DEADLINE_WEBHOOK_URL=""):
        yield


@pytest.fixture
def mailable(org):
    """Give the personas addresses: reminders by email need one."""
    for user in (org.office, org.commissioner_a, org.commissioner_b, org.in_charge, org.leader):
        user.email = f"{user.username}@example.edu.cn"
        user.save(update_fields=["email"])
    return org


def scan(moment: dt.datetime, **kwargs):
    with time_machine.travel(moment, tick=False):
        return reminders_scan(**kwargs)


def new_steps(deadline: Deadline, moment: dt.datetime) -> list[tuple[str, str]]:
    before = len(sent_steps(deadline))
    scan(moment)
    return sent_steps(deadline)[before:]


# When: every step at its boundary ------------------------------------------------------


def test_it_reminds_at_each_step_across_the_national_day_holiday(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    a = "commissioner"
    assert new_steps(deadline, at(2026, 9, 22, 7, 59)) == []
    assert new_steps(deadline, at(2026, 9, 22, 8, 0)) == [("before-7", a)]
    assert new_steps(deadline, at(2026, 9, 22, 8, 1)) == []
    assert new_steps(deadline, at(2026, 9, 29, 7, 59)) == []
    assert new_steps(deadline, at(2026, 9, 29, 8, 0)) == [("before-3", a)]
    # 国庆: nothing from 09-30 to 10-07; the day before is Thursday 10-08.
    assert new_steps(deadline, at(2026, 10, 5, 12)) == []
    assert new_steps(deadline, at(2026, 10, 8, 7, 59)) == []
    assert new_steps(deadline, at(2026, 10, 8, 8, 0)) == [("before-1", a)]
    assert new_steps(deadline, at(2026, 10, 9, 8, 0)) == [("due", a)]
    deadline.refresh_from_db()
    assert deadline.state == "open"
    # Overdue on the next working day: Saturday 10-10, an adjusted workday.
    assert new_steps(deadline, at(2026, 10, 10, 7, 59)) == []
    assert new_steps(deadline, at(2026, 10, 10, 8, 0)) == [("overdue", a)]
    deadline.refresh_from_db()
    assert deadline.state == "overdue"
    assert deadline.history.first().history_change_reason == "逾期未完成"
    # Escalated to the leader in charge three working days after: 10-13.
    assert new_steps(deadline, at(2026, 10, 13, 7, 59)) == []
    assert new_steps(deadline, at(2026, 10, 13, 8, 0)) == [("escalation", "incharge")]
    deadline.refresh_from_db()
    assert deadline.next_reminder_at is None
    assert new_steps(deadline, at(2026, 12, 31)) == []
    # The same steps went out by email, one message per step here.
    assert [s for s, _who in sent_steps(deadline, "email")] == [
        "before-7",
        "before-3",
        "before-1",
        "due",
        "overdue",
        "escalation",
    ]
    assert sorted(m.to[0] for m in mail.outbox if "督办事项" in m.body) == [
        *["commissioner@example.edu.cn"] * 5,
        "incharge@example.edu.cn",
    ]
    assert Delivery.objects.exclude(status="sent").count() == 0


def test_it_reminds_the_day_before_on_an_adjusted_sunday(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 9, 21))  # a Monday
    scan(at(2026, 9, 17, 8))
    assert new_steps(deadline, at(2026, 9, 19, 8)) == []  # Saturday: off
    assert new_steps(deadline, at(2026, 9, 20, 7, 59)) == []
    assert new_steps(deadline, at(2026, 9, 20, 8, 0)) == [("before-1", "commissioner")]


def test_it_stops_reminding_once_met_or_waived(org):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        met = open_item(org.branch_a, D(2026, 10, 9))
        waived = open_item(org.branch_b, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    deadline_meet(rule="action_item", subject=org.branch_a)
    deadline_waive(deadline=waived, by=org.office, reason="取消")
    assert new_steps(met, at(2026, 10, 13, 9)) == []
    assert new_steps(waived, at(2026, 10, 13, 9)) == []


def test_it_reminds_the_office_of_a_quota_only_while_none_was_held(org):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        reminders_scan()  # the sync opens 2026's plenary quota
    quota = Deadline.objects.get(rule=PLENARY_MEETING_QUOTA, period="2026")
    # 20 working days before Thursday 12-31 is 12-03.
    assert new_steps(quota, at(2026, 12, 2, 9)) == []
    assert new_steps(quota, at(2026, 12, 3, 8)) == [("before-20", "office")]
    deadline_meet(rule=PLENARY_MEETING_QUOTA, period="2026")
    assert new_steps(quota, at(2026, 12, 17, 8)) == []


# Whom, and once ------------------------------------------------------------------------


def test_it_reminds_the_unit_the_named_people_and_the_branch_above_a_school(org):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        school = open_item(org.school_a, D(2026, 10, 9))
        named = open_item(org.branch_b, D(2026, 10, 9), responsible_users=[org.member])
        nobody = deadline_open(rule="minutes_issue", subject=org.ufw_dept, due=D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    assert sent_steps(school) == [("before-7", "commissioner")]
    assert sorted(sent_steps(named)) == [("before-7", "commissioner2"), ("before-7", "member")]
    assert sent_steps(nobody) == [("before-7", "office")]  # nobody named: the office


def test_it_reads_the_named_people_of_a_batch_in_chunks(org, monkeypatch):
    """The names of a batch are read a chunk of ids at a time; none is lost at a seam."""
    monkeypatch.setattr("portal.deadlines.recipients.NAMED_CHUNK", 2)
    with time_machine.travel(at(2026, 9, 1), tick=False):
        items = [
            open_item(
                org.branch_b,
                D(2026, 10, 9),
                title=f"事项{n}",
                subject=subject,
                responsible_users=[org.member],
            )
            for n, subject in enumerate((org.branch_b, org.school_a, org.ufw_dept))
        ]
    scan(at(2026, 9, 22, 8))
    for item in items:
        assert ("before-7", "member") in sent_steps(item)


def test_it_emails_only_those_with_an_address(org):
    """Email goes to users with an address (theirs or their person's); the inbox to all."""
    org.member.email = "member@example.edu.cn"
    org.member.save(update_fields=["email"])
    with time_machine.travel(at(2026, 9, 1), tick=False):
        named = open_item(org.branch_b, D(2026, 10, 9), responsible_users=[org.member])
    with override_settings(DEADLINE_CHANNELS=["inbox", "email"]):
        scan(at(2026, 9, 22, 8), send=False)
    assert sorted(sent_steps(named, "email")) == [("before-7", "member")]
    assert sorted(sent_steps(named)) == [("before-7", "commissioner2"), ("before-7", "member")]


def test_it_never_sends_a_reminder_twice(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    first, sent = scan(at(2026, 9, 22, 8))
    assert (first.deliveries, sent.messages) == (2, 2)  # inbox + email
    # Beat fires again at the same moment, and again a minute later.
    again, sent_again = scan(at(2026, 9, 22, 8))
    later, sent_later = scan(at(2026, 9, 22, 8, 1))
    assert again.deliveries == later.deliveries == 0
    assert sent_again.messages == sent_later.messages == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    # Even a scan that forgot where it was (next_reminder_at reset) cannot send it again.
    Deadline.objects.filter(pk=deadline.pk).update(next_reminder_at=at(2026, 9, 22, 8))
    forgot, _sent = scan(at(2026, 9, 22, 9))
    assert forgot.deadlines == 1
    assert Delivery.objects.count() == 2
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_catches_up_after_downtime_with_one_digest_per_person(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        a = open_item(org.branch_a, D(2026, 10, 9), title="甲")
        b = open_item(org.branch_a, D(2026, 10, 8), title="乙", subject=org.school_a)
        c = open_item(org.branch_a, D(2026, 9, 30), title="丙", subject=org.ufw_dept)
    # The worker was off from 09-24 to 09-29 10:00; before that everything was sent.
    scan(at(2026, 9, 23, 8))
    mail.outbox.clear()
    before = Notification.objects.count()
    scan(at(2026, 9, 29, 10))
    # Only the latest step of each deadline, nothing skipped, one message per channel.
    assert sent_steps(a)[-1] == ("before-3", "commissioner")
    assert sent_steps(b)[-1] == ("before-3", "commissioner")  # 09-28 before-3 came too
    assert sent_steps(c)[-1] == ("before-1", "commissioner")
    assert ("before-3", "commissioner") not in sent_steps(c)  # superseded by before-1
    assert Notification.objects.count() == before + 1
    digest = Notification.objects.latest("pk")
    assert digest.title == "期限提醒：3项待办"
    assert [item["text"].split(" · ")[0] for item in digest.items] == [
        "督办事项：丙",
        "督办事项：乙",
        "督办事项：甲",
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【统战工作平台】期限提醒：3项待办"


def test_it_escalates_to_the_leader_in_charge_and_tells_the_unit(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 9, 30))
    scan(at(2026, 10, 10, 9))  # 09-30 + 3 working days: 10-08, 10-09, 10-10 (Sat)
    deadline.refresh_from_db()
    assert deadline.state == "overdue"
    assert sent_steps(deadline)[-2:] == [("overdue", "commissioner"), ("escalation", "incharge")]
    leader_note = Notification.objects.get(recipient=org.in_charge)
    assert leader_note.kind == "escalation"
    assert leader_note.title == "逾期督办：1项事项已逾期"
    assert leader_note.items[0]["text"].startswith("【督办】督办事项：落实会议决定")
    assert "责任方：机电工程学院党总支" in leader_note.items[0]["text"]
    unit_note = Notification.objects.get(recipient=org.commissioner_a)
    assert unit_note.title == "期限提醒：1项待办（其中1项已逾期）"
    assert "已逾期3个工作日" in unit_note.items[0]["text"]  # 10-08, 10-09, 10-10
    to_leader = next(m for m in mail.outbox if m.to == ["incharge@example.edu.cn"])
    assert "以下事项已逾期，请督促办理" in to_leader.body


def test_it_escalates_to_the_group_leader_when_nobody_is_in_charge(org):
    User.objects.filter(pk=org.in_charge.pk).update(leadership="")
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 9, 30))
    scan(at(2026, 10, 12, 9))
    assert sent_steps(deadline)[-1] == ("escalation", "leader")


# What a reminder says ---------------------------------------------------------------------


def test_it_emails_what_is_due_for_which_record_by_when_and_where_to_act(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9), title="报送党外代表人士名单")
    scan(at(2026, 9, 29, 8))
    message = mail.outbox[0]
    assert message.to == ["commissioner@example.edu.cn"]
    assert message.subject == "【统战工作平台】期限提醒：1项待办"
    body = message.body
    assert "commissioner-人员，您好" in body
    assert "督办事项：报送党外代表人士名单" in body
    assert "期限：2026年10月9日，还有3个工作日" in body  # 09-30, 10-08, 10-09
    assert "责任方：机电工程学院党总支" in body
    assert f"办理：{SITE}/units/{org.branch_a.pk}/" in body
    assert f"申请延期或查看记录：{SITE}/deadlines/{deadline.pk}/" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "督办事项：报送党外代表人士名单" in html
    assert f'href="{SITE}/deadlines/{deadline.pk}/"' in html
    assert "还有3个工作日" in html


class Meeting:
    """Stands in for the meetings app's Meeting: a subject that supplies extra lines."""


@pytest.fixture
def briefing_rule():
    rule = registry.register(
        registry.Rule(
            code="briefing_test",
            label=_("专题会议通知"),
            extra_lines=lambda d: ["时间：2026年10月12日 14:30", "地点：行政楼301会议室"],
            action_url=lambda d: "/meetings/7/",
        )
    )
    yield rule
    registry.unregister(rule.code)


def test_it_carries_a_meetings_date_time_and_place(mailable, briefing_rule):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline_open(
            rule="briefing_test",
            subject=org.branch_a,
            due=D(2026, 10, 12),
            responsible_unit=org.branch_a,
        )
    scan(at(2026, 10, 9, 8))  # before-1
    body = mail.outbox[0].body
    assert "时间：2026年10月12日 14:30" in body
    assert "地点：行政楼301会议室" in body
    assert f"办理：{SITE}/meetings/7/" in body
    note = Notification.objects.get(recipient=org.commissioner_a)
    assert note.items[0]["lines"] == ["时间：2026年10月12日 14:30", "地点：行政楼301会议室"]


def test_it_asks_the_subject_for_extra_lines_when_the_rule_has_none(mailable, monkeypatch):
    org = mailable
    monkeypatch.setattr(Unit, "reminder_lines", lambda self: [f"地点：{self.name}"], raising=False)
    with time_machine.travel(at(2026, 9, 1), tick=False):
        open_item(org.branch_a, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    assert "地点：机电工程学院党总支" in mail.outbox[0].body


@override_settings(DEADLINE_DIGEST_MAX_ITEMS=2)
def test_it_caps_a_long_digest_and_points_to_the_portal(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        for n in range(4):
            deadline_open(
                rule="action_item",
                subject=UnitFactory(parent=org.branch_a),
                due=D(2026, 10, 9),
                title=f"事项{n}",
                responsible_unit=org.branch_a,
            )
    scan(at(2026, 9, 22, 8))
    body = mail.outbox[0].body
    assert body.count("督办事项：事项") == 2
    assert "另有2项，请登录平台查看" in body


# Failures and retries ---------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("421 mail server busy")


def test_it_records_a_failed_email_and_retries_with_backoff(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    with override_settings(EMAIL_BACKEND="tests.test_reminders.FailingBackend"):
        _scan, sent = scan(at(2026, 9, 22, 8))
    assert (sent.messages, sent.failed) == (1, 1)  # the inbox went, the email did not
    row = Delivery.objects.get(deadline=deadline, channel="email")
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error == "SMTPException: 421 mail server busy"
    assert row.next_attempt_at == at(2026, 9, 22, 8, 1)  # 60 s
    assert sent.retry_at == row.next_attempt_at
    with override_settings(EMAIL_BACKEND="tests.test_reminders.FailingBackend"):
        with time_machine.travel(
            at(
                2026,
                9,
                22,
                8,
                0,
            )
            + dt.timedelta(seconds=59),
            tick=False,
        ):
            assert deliveries_send().sent == 0  # not yet
        with time_machine.travel(at(2026, 9, 22, 8, 1), tick=False):
            assert deliveries_send().failed == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.next_attempt_at == at(2026, 9, 22, 8, 3)  # then 120 s
    with time_machine.travel(at(2026, 9, 22, 8, 3), tick=False):
        assert deliveries_send().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=org.commissioner_a).count() == 1


@override_settings(
    EMAIL_BACKEND="tests.test_reminders.FailingBackend", DEADLINE_RETRY_MAX_ATTEMPTS=2
)
def test_it_gives_up_after_the_last_attempt(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    with time_machine.travel(at(2026, 9, 22, 9), tick=False):
        assert deliveries_send().abandoned == 1
    row = Delivery.objects.get(deadline=deadline, channel="email")
    assert (row.status, row.attempts, row.next_attempt_at) == ("abandoned", 2, None)
    with time_machine.travel(at(2026, 9, 23, 9), tick=False):
        assert deliveries_send().sent == 0


def test_it_sends_what_a_dead_worker_left_and_never_repeats_what_it_was_sending(mailable):
    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        left = open_item(org.branch_a, D(2026, 10, 9))
        cut = open_item(org.branch_b, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8), send=False)
    # A worker claimed everything, started one email, and died.
    Delivery.objects.update(status="claimed", claimed_by="dead", claimed_at=at(2026, 9, 22, 8))
    Delivery.objects.filter(deadline=cut, channel="email").update(status="sending")
    with time_machine.travel(at(2026, 9, 22, 8, 5), tick=False):
        assert deliveries_send().sent == 0  # the lease (10 minutes) has not run out
    with time_machine.travel(at(2026, 9, 22, 8, 11), tick=False):
        result = deliveries_send()
    assert (result.released, result.unknown) == (3, 1)
    statuses = dict(Delivery.objects.filter(channel="email").values_list("deadline_id", "status"))
    assert statuses == {left.pk: "sent", cut.pk: "unknown"}
    assert [m.to for m in mail.outbox] == [["commissioner@example.edu.cn"]]
    assert Notification.objects.count() == 2  # both inbox copies exist


# The webhook: a group robot on a local HTTP server --------------------------------------


@pytest.fixture
def robot() -> Iterator[Robot]:
    with Robot() as server, override_settings(DEADLINE_WEBHOOK_URL=server.url):
        yield server


def test_it_posts_one_digest_per_scan_to_the_group_robot(org, robot):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        a = open_item(org.branch_a, D(2026, 10, 9), title="甲")
        open_item(org.branch_b, D(2026, 10, 9), title="乙")
    scan(at(2026, 9, 22, 8))
    assert len(robot.posts) == 1
    payload = robot.posts[0]["json"]
    assert payload["msgtype"] == "markdown"
    content = payload["markdown"]["content"]
    assert content.startswith("**期限提醒：2项待办**")
    assert "督办事项：甲｜期限10-09，还有7个工作日｜机电工程学院党总支" in content
    assert f"[办理]({SITE}/units/{org.branch_a.pk}/)" in content
    assert Delivery.objects.filter(channel="webhook", recipient=None, status="sent").count() == 2
    scan(at(2026, 9, 22, 9))
    assert len(robot.posts) == 1
    assert sent_steps(a, "webhook") == [("before-7", "")]


def test_it_retries_the_robot_after_a_failure(org, robot):
    robot.answers = [(500, {"errmsg": "busy"}), (200, {"errcode": 45009, "errmsg": "freq"})]
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    _scan, sent = scan(at(2026, 9, 22, 8))
    assert sent.failed == 1
    row = Delivery.objects.get(channel="webhook")
    assert row.status == "failed"
    assert row.last_error.startswith("WebhookError: HTTPError: HTTP Error 500")
    with time_machine.travel(at(2026, 9, 22, 8, 1), tick=False):
        assert deliveries_send().failed == 1  # answered, but with an error code
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.last_error == "WebhookError: errcode 45009: freq"
    with time_machine.travel(at(2026, 9, 22, 8, 3), tick=False):
        assert deliveries_send().sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 3)
    assert len(robot.posts) == 3
    assert sent_steps(deadline, "webhook") == [("before-7", "")]


def test_it_records_an_unreachable_robot(org):
    with Robot() as server:
        url = server.url
    with override_settings(DEADLINE_WEBHOOK_URL=url, DEADLINE_WEBHOOK_TIMEOUT=2):
        with time_machine.travel(at(2026, 9, 1), tick=False):
            open_item(org.branch_a, D(2026, 10, 9))
        _scan, sent = scan(at(2026, 9, 22, 8))
    assert sent.failed == 1
    assert "URLError" in Delivery.objects.get(channel="webhook").last_error


def test_it_signs_dingtalk_robot_messages(org, robot):
    with override_settings(DEADLINE_WEBHOOK_KIND="dingtalk", DEADLINE_WEBHOOK_SECRET="SEC123"):
        with time_machine.travel(at(2026, 9, 1), tick=False):
            open_item(org.branch_a, D(2026, 10, 9))
        scan(at(2026, 9, 22, 8))
    post = robot.posts[0]
    assert post["json"]["markdown"]["title"] == "期限提醒：1项待办"
    query = parse_qs(urlsplit(post["path"]).query)
    assert query["key"] == ["k"]
    assert query["timestamp"] and query["sign"]


# Scale: constant queries per batch ---------------------------------------------------------


def _queries_per_batch(count: int, org) -> list[int]:
    units = [UnitFactory(parent=org.branch_a) for _ in range(10)]
    rows = [
        Deadline(
            rule="action_item",
            content_type_id=None,
            object_id=None,
            period=f"bench-{n}",
            due=D(2026, 10, 9),
            original_due=D(2026, 10, 9),
            responsible_unit=units[n % 10],
            next_reminder_at=at(2026, 9, 22, 8),
        )
        for n in range(count)
    ]
    Deadline.objects.bulk_create(rows)
    marks: list[int] = []
    with (
        CaptureQueriesContext(connection) as ctx,
        time_machine.travel(at(2026, 9, 22, 8), tick=False),
    ):
        reminders_scan(batch_size=100, send=False, on_batch=lambda n: marks.append(len(ctx)))
    return [b - a for a, b in zip(marks, marks[1:], strict=False)]


def test_it_scans_in_a_constant_number_of_queries_per_batch(org):
    few = _queries_per_batch(200, org)
    Deadline.objects.all().delete()
    many = _queries_per_batch(1000, org)
    assert len(few) == 1 and len(many) == 9
    assert set(few) == set(many)
    # The batch (locked), its deadlines, their users, the deliveries, the update, plus
    # the savepoint around them: a handful, whatever the number of deadlines.
    assert few[0] <= 9
    assert Delivery.objects.count() == 1000  # one per deadline (commissioner A, inbox)


def test_it_does_not_loop_on_a_deadline_of_an_undeclared_rule(org):
    open_item(org.branch_a, D(2026, 10, 9))
    Deadline.objects.update(rule="forgotten_rule", next_reminder_at=at(2026, 9, 1))
    result, _sent = scan(at(2026, 9, 22, 8))
    assert result.deadlines == 1
    assert Deadline.objects.get(rule="forgotten_rule").next_reminder_at is None


# Operators: the command, the task, the beat schedule -----------------------------------------


def test_it_runs_the_scan_from_the_command(org):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        open_item(org.branch_a, D(2026, 10, 9))
    out = StringIO()
    with time_machine.travel(at(2026, 9, 22, 8, 5), tick=False):
        call_command("send_reminders", stdout=out)
    assert "新增提醒 1 条" in out.getvalue()
    assert "发送消息 1 封" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--at", "2026-09-29T08:00", "--channels", "inbox", stdout=out)
    assert "新增提醒 1 条" in out.getvalue()
    with pytest.raises(CommandError, match="不是有效的时刻"):
        call_command("send_reminders", "--at", "yesterday")
    with pytest.raises(CommandError, match="unknown reminder channels"):
        call_command("send_reminders", "--channels", "pigeon")


def test_it_schedules_the_scan_in_code_and_runs_it_as_a_task(org):
    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == "portal.deadlines.tasks.send_reminders"
    assert entry["schedule"] == 600.0
    with time_machine.travel(at(2026, 9, 1), tick=False):
        open_item(org.branch_a, D(2026, 10, 9))
    with time_machine.travel(at(2026, 9, 22, 8), tick=False):
        summary = send_reminders.apply().get(timeout=5)  # the task's body, in this process
    assert summary["deliveries"] == 1
    assert summary["sent"] == 1


def test_it_reads_no_address_for_users_without_one(org):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    assert sent_steps(deadline, "email") == []
    assert sent_steps(deadline, "inbox") == [("before-7", "commissioner")]
    person = org.commissioner_a.person
    person.email = "hlj@example.edu.cn"
    person.save(update_fields=["email"])
    scan(at(2026, 9, 29, 8))
    assert mail.outbox[0].to == ["hlj@example.edu.cn"]


def test_it_skips_inactive_users(org):
    make_user("gone", org.branch_a, Role.COMMISSIONER, is_active=False)
    with time_machine.travel(at(2026, 9, 1), tick=False):
        deadline = open_item(org.branch_a, D(2026, 10, 9))
    scan(at(2026, 9, 22, 8))
    assert sent_steps(deadline) == [("before-7", "commissioner")]


def test_it_writes_reminders_in_chinese_whatever_language_a_request_left_active(mailable):
    """A Celery worker, or a web process that served an English page before, still
    reminds in the portal's language."""
    from django.utils import translation

    org = mailable
    with time_machine.travel(at(2026, 9, 1), tick=False):
        open_item(org.branch_a, D(2026, 9, 30))
    translation.activate("en")  # what the language switch leaves behind in a thread
    scan(at(2026, 10, 10, 9))
    assert translation.get_language() == "en"  # left as it was found
    note = Notification.objects.get(recipient=org.in_charge)
    assert note.title == "逾期督办：1项事项已逾期"
    assert note.items[0]["text"].startswith("【督办】督办事项：落实会议决定")
    to_leader = next(m for m in mail.outbox if m.to == ["incharge@example.edu.cn"])
    assert "以下事项已逾期，请督促办理" in to_leader.body


def test_it_reads_a_batch_as_the_orm_would_converting_each_distinct_value_once(org):
    from django.db import transaction

    from portal.deadlines import bulk
    from portal.deadlines.reminders import SCAN_FIELDS

    for index in range(6):  # a subject has one deadline per rule
        open_item(UnitFactory(), D(2026, 10, 9 + index % 2), title=f"事项{index}")
    Deadline.objects.update(next_reminder_at=at(2026, 9, 1, 8))
    batch = Deadline.objects.order_by("pk").values_list(*SCAN_FIELDS)
    with transaction.atomic():
        rows = bulk.read_values(batch.select_for_update(skip_locked=True)[:5])
    assert rows == list(batch[:5])
    assert [row[SCAN_FIELDS.index("title")] for row in rows] == [f"事项{i}" for i in range(5)]
    moment = SCAN_FIELDS.index("next_reminder_at")
    assert rows[0][moment] == at(2026, 9, 1, 8) and rows[0][moment].tzinfo is not None
    due = SCAN_FIELDS.index("due")
    assert rows[0][due] == rows[2][due] and rows[0][due] != rows[1][due]
    if connection.vendor == "sqlite":  # Django converts its text; psycopg's own types
        # one object per distinct value: the conversion ran once for it
        assert all(row[moment] is rows[0][moment] for row in rows)
        assert rows[0][due] is rows[2][due]

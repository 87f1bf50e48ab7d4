"""seed_demo's deadlines: every colour of the light, a met and a waived one, a request
waiting for a leader, inbox messages; the same after a second run."""

from __future__ import annotations

import pytest
import time_machine

from portal.deadlines.models import Deadline, Delivery, ExtensionRequest, Notification
from tests.conftest import client_for, seed_demo
from tests.deadline_helpers import at

# One seeding for the module (`demo`), on one worker, at this instant (a Wednesday).
DEMO_AT = at(2026, 11, 25, 10)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("deadlines_demo")]


def counts() -> tuple[int, ...]:
    return (
        Deadline.objects.count(),
        Deadline.history.count(),
        ExtensionRequest.objects.count(),
        Notification.objects.count(),
        Delivery.objects.count(),
    )


@time_machine.travel(DEMO_AT, tick=False)
def test_it_seeds_deadlines_in_every_colour_and_messages(demo, django_user_model):
    output = demo
    # Met: the deadlines demo's own, this year's work points and last year's annual
    # report (both issued by the groups and reports demos); with the meetings demo, its
    # overdue minutes and follow-up items and its met quotas and minutes; with the
    # outreach demo, its pairs' quotas, its suggestions' steps and its latest study push;
    # with the liaisons demo, the liaison turning 35. Normal: the inspections demo's
    # research-guidance report (due a month after a visit ended two weeks ago) and its
    # research topic in progress (due in 90 days) are two of them; overdue: the supervision
    # case's report; met: the closed case's report and its rectification. The reports
    # demo's review rounds: last year's sixteen reports met, this year's two sent (met)
    # and fourteen being drafted (normal: due in three weeks); the inspection
    # self-report (normal: due in two weeks).
    assert "期限：逾期 8 个，临近 10 个，正常 52 个，已完成 98 个；待审批延期申请 1 份" in output
    states = dict(Deadline.objects.filter(rule="action_item").values_list("title", "state"))
    assert states["提交统战工作经验交流材料"] == "met"
    assert states["报送留学归国人员联谊会筹备方案"] == "waived"
    assert {"plenary_meeting_quota", "office_meeting_quota"} <= set(
        Deadline.objects.values_list("rule", flat=True)
    )
    commissioner = django_user_model.objects.get(username="commissioner")
    assert Notification.objects.filter(recipient=commissioner).exists()
    leader = django_user_model.objects.get(username="leader")
    assert Notification.objects.filter(recipient=leader, kind="extension").count() == 1
    home = client_for(commissioner).get("/").content.decode()
    assert "报送党外代表人士信息更新表" in home and 'class="todo-light danger"' in home
    assert 'id="inbox-unread"' in home


@time_machine.travel(DEMO_AT, tick=False)
def test_it_seeds_deadlines_idempotently(demo):
    first = counts()
    seed_demo()
    assert counts() == first

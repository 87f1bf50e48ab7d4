"""One due date: the engine's `Deadline` is the only date of a follow-up item, the work
points and the annual report. An approved extension moves it, and every place that
shows the date or 已逾期 agrees: the follow-up page, the list filter, the year view, the
home page (我的待办), the reminder scan; the work-points and annual-report pages.

Every test travels to fixed instants (never the real clock): the due date is Tuesday
31 March 2026, the extension runs to Thursday 30 April 2026."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from groups.rules import WORK_POINTS
from meetings import services
from meetings.models import FollowUpItem
from meetings.rules import ACTION_ITEM
from portal.deadlines.models import Deadline, Delivery
from portal.deadlines.reminders import reminders_scan
from portal.deadlines.selectors import period_deadline
from portal.deadlines.services import deadline_extend_decide, deadline_extend_request, deadline_open
from reports import services as reports_services
from reports.rules import ANNUAL_REPORT
from tests.conftest import client_for
from tests.groups_helpers import make_plan
from tests.meetings_helpers import decided, make_meeting

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TASK = "完成党外代表人士信息核对"


@contextmanager
def on(year: int, month: int, day: int, hour: int = 10):
    with time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False):
        yield


def _closed_fragment(html: str, start: int) -> str:
    """The markup from `start` to the end of its row, list entry or field."""
    ends = [html.find(tag, start) for tag in ("</tr>", "</li>", "</dd>")]
    return html[start : min(e for e in ends if e != -1)]


def _after(html: str, marker: str) -> str:
    """The row / entry / field in which `marker` appears (asserting that it does)."""
    assert marker in html, marker
    return _closed_fragment(html, html.index(marker))


def _todos_about(html: str, *urls: str) -> list[str]:
    """The home page's to-do entries that lead to one of `urls`."""
    blocks = html.split('<a class="list-group-item')[1:]
    return [b for b in blocks if any(f'href="{url}"' in b for url in urls)]


class FollowUpView:
    """What each place says about the follow-up item, as the people concerned see it."""

    def __init__(self, org, item: FollowUpItem) -> None:
        self.org, self.item = org, item

    @property
    def office(self):
        return client_for(self.org.office)  # logged in on the day travelled to

    @property
    def owner(self):
        return client_for(self.org.commissioner_a)

    def page(self) -> tuple[str, bool]:
        html = self.owner.get(self.item.get_absolute_url()).content.decode()
        field = _after(html, 'id="follow-up-due"')
        return re.search(r"\d{4}-\d{2}-\d{2}", field).group(0), "已逾期" in field  # type: ignore[union-attr]

    def in_overdue_filter(self) -> bool:
        return TASK in self.office.get("/follow-ups/?status=overdue").content.decode()

    def listed_overdue(self) -> bool:
        return "已逾期" in _after(self.office.get("/follow-ups/").content.decode(), TASK)

    def year_view_overdue(self) -> bool:
        html = self.office.get("/meetings/years/2026/").content.decode()
        return "已逾期" in _after(html, TASK[:20])

    def home_overdue(self) -> dict[str, bool]:
        assert self.item.deadline is not None
        urls = (self.item.get_absolute_url(), self.item.deadline.get_absolute_url())
        said = {}
        for name, client in (("owner", self.owner), ("office", self.office)):
            todos = _todos_about(client.get("/").content.decode(), *urls)
            # The owner unit always has it to do; the office only once it is overdue.
            assert todos or name == "office", "the owner's home page lists the item"
            said[name] = any("已逾期" in todo for todo in todos)
        return said

    def everywhere(self) -> dict[str, object]:
        due, page_overdue = self.page()
        return {
            "due": due,
            "page": page_overdue,
            "filter": self.in_overdue_filter(),
            "list": self.listed_overdue(),
            "year": self.year_view_overdue(),
            "home": self.home_overdue(),
        }


def overdue_everywhere(due: str) -> dict[str, object]:
    flags = dict.fromkeys(("page", "filter", "list", "year"), True)
    return {"due": due, **flags, "home": {"owner": True, "office": True}}


def on_time_everywhere(due: str) -> dict[str, object]:
    flags = dict.fromkeys(("page", "filter", "list", "year"), False)
    return {"due": due, **flags, "home": {"owner": False, "office": False}}


def overdue_deliveries(deadline: Deadline) -> int:
    return Delivery.objects.filter(deadline=deadline, step="overdue").count()


def test_it_shows_one_due_date_for_a_follow_up_item_before_and_after_an_extension(org):
    with on(2026, 3, 16):
        meeting = decided(org, make_meeting(org), [("审议信息核对工作", "同意，由机电学院落实。")])
        item = services.follow_up_create(
            agenda_item=meeting.agenda_items.get(),
            by=org.office,
            task=TASK,
            owner_unit=org.branch_a,
            due=dt.date(2026, 3, 31),
        )
        deadline = item.deadline
        assert deadline is not None and deadline.rule == ACTION_ITEM and deadline.subject == item
        view = FollowUpView(org, item)
        assert view.everywhere() == on_time_everywhere("2026-03-31")
        request = deadline_extend_request(
            deadline=deadline,
            by=org.commissioner_a,
            requested_due=dt.date(2026, 4, 30),
            reason="需等上级部门反馈意见",
        )

    # 1 April, the extension not decided yet: overdue everywhere, and the scan says so.
    with on(2026, 4, 1):
        scan, _sent = reminders_scan(now=dt.datetime(2026, 4, 1, 9, tzinfo=SHANGHAI))
        deadline.refresh_from_db()
        assert deadline.state == Deadline.State.OVERDUE and scan.overdue >= 1
        assert overdue_deliveries(deadline) > 0
        assert view.everywhere() == overdue_everywhere("2026-03-31")
        assert FollowUpItem.objects.overdue(dt.date(2026, 4, 1)).get() == item

        # The leader approves: the engine's one row moves, and every page follows.
        deadline_extend_decide(request=request, by=org.leader, approve=True)
        deadline.refresh_from_db()
        assert (deadline.due, deadline.state) == (dt.date(2026, 4, 30), Deadline.State.OPEN)
        assert view.everywhere() == on_time_everywhere("2026-04-30")
        assert not FollowUpItem.objects.overdue(dt.date(2026, 4, 1)).exists()
        sent_before = overdue_deliveries(deadline)
        scan, _sent = reminders_scan(now=dt.datetime(2026, 4, 1, 11, tzinfo=SHANGHAI))
        deadline.refresh_from_db()
        assert deadline.state == Deadline.State.OPEN and scan.overdue == 0
        assert overdue_deliveries(deadline) == sent_before  # no new overdue notice

    # Due day of the new date: still on time; the next working day after it: overdue.
    with on(2026, 4, 30):
        assert view.everywhere() == on_time_everywhere("2026-04-30")
    with on(2026, 5, 8):
        reminders_scan(now=dt.datetime(2026, 5, 8, 9, tzinfo=SHANGHAI))
        deadline.refresh_from_db()
        assert deadline.state == Deadline.State.OVERDUE
        assert view.everywhere() == overdue_everywhere("2026-04-30")


def test_it_keeps_a_reported_or_closed_item_off_the_overdue_list(org):
    with on(2026, 3, 16):
        meeting = decided(org, make_meeting(org), [("审议信息核对工作", "同意。")])
        item = services.follow_up_create(
            agenda_item=meeting.agenda_items.get(),
            by=org.office,
            task=TASK,
            owner_unit=org.branch_a,
            due=dt.date(2026, 3, 31),
        )
    with on(2026, 4, 2):
        assert FollowUpItem.objects.get().is_overdue
        services.follow_up_update(
            item=item, by=org.commissioner_a, text="已完成。", status="reported"
        )
        item = FollowUpItem.objects.with_deadline().get()
        assert item.deadline is not None and item.deadline.state == Deadline.State.MET
        assert not item.is_overdue
        assert not FollowUpItem.objects.overdue(dt.date(2026, 4, 2)).exists()


def test_it_shows_the_engines_work_points_date_after_an_extension(org):
    with on(2026, 3, 20):
        plan = make_plan(2026, [])
        deadline = deadline_open(rule=WORK_POINTS, period="2026")
        request = deadline_extend_request(
            deadline=deadline,
            by=org.office,
            requested_due=dt.date(2026, 4, 30),
            reason="待领导小组会议审议",
        )

    def due_line() -> str:
        html = client_for(org.office).get(f"/work-points/{plan.year}/").content.decode()
        start = html.index('id="plan-due"')
        return html[start : html.index("</p>", start)]

    with on(2026, 4, 1):
        assert "2026年3月31日" in due_line() and "已逾期" in due_line()
        deadline_extend_decide(request=request, by=org.leader, approve=True)
        assert "2026年4月30日" in due_line() and "已逾期" not in due_line()


def test_it_shows_the_engines_annual_report_date_after_an_extension(org):
    with on(2027, 1, 10):
        report = reports_services.annual_report_create(year=2026, by=org.office)
        deadline = deadline_open(rule=ANNUAL_REPORT, period="2026")
        request = deadline_extend_request(
            deadline=deadline,
            by=org.office,
            requested_due=dt.date(2027, 1, 29),
            reason="等待学院党委会审定",
        )

    def due_line() -> str:
        html = client_for(org.office).get(f"/reports/annual/{report.year}/").content.decode()
        start = html.index('id="report-due"')
        return html[start : html.index("</p>", start)]

    with on(2027, 1, 18):
        assert "2027年1月15日" in due_line() and "已逾期" in due_line()
        deadline_extend_decide(request=request, by=org.leader, approve=True)
        assert "2027年1月29日" in due_line() and "已逾期" not in due_line()


def test_it_gives_a_period_not_opened_yet_the_rules_own_date(db):
    with on(2026, 6, 15):
        assert not Deadline.objects.exists()
        deadline = period_deadline(ANNUAL_REPORT, "2020")
        assert deadline.pk is None and deadline.due == dt.date(2021, 1, 15)
        assert deadline.is_overdue
        assert not period_deadline(WORK_POINTS, "2027").is_overdue
        opened = deadline_open(rule=WORK_POINTS, period="2026")
        assert period_deadline(WORK_POINTS, "2026") == opened

"""The deadline engine's main path in a real browser: a branch commissioner sees a
deadline turning yellow on the home page and asks for an extension; the group leader
finds the request in the inbox, approves it and marks the message read; the
commissioner reads the answer."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.deadlines.models import Deadline
from portal.deadlines.services import deadline_open
from portal.workdays import add_workdays
from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser


def test_commissioner_asks_for_an_extension_and_the_leader_approves(borg: Org, ui: UI) -> None:
    page = ui.page
    today = timezone.localdate()
    due = add_workdays(today, 2)  # within the last three working days: yellow
    wanted = add_workdays(due, 10)
    deadline = deadline_open(
        rule="action_item",
        subject=borg.branch_a,
        title="报送党外代表人士信息更新表",
        due=due,
        responsible_unit=borg.branch_a,
    )

    # The commissioner: the yellow deadline on the home page, then the request.
    ui.login(borg.commissioner_a)
    todo = page.locator("#todo-list a", has_text="报送党外代表人士信息更新表")
    expect(todo.locator(".todo-light.warning")).to_have_count(1)
    todo.click()
    expect(page).to_have_url(ui.url(f"/deadlines/{deadline.pk}/"))
    expect(page.get_by_role("heading", name="督办事项：报送党外代表人士信息更新表")).to_be_visible()
    ui.shot("deadline")
    page.get_by_role("link", name="申请延期").click()
    expect(page.get_by_role("heading", name=re.compile("^申请延期"))).to_be_visible()
    page.get_by_label("申请延至").fill(wanted.isoformat())
    page.get_by_label("延期理由").fill("调研对象在外地培训，座谈需延后两周。")
    ui.shot("extension-form")
    page.get_by_role("button", name="提交延期申请").click()
    expect(page).to_have_url(ui.url(f"/deadlines/{deadline.pk}/"))
    expect(page.get_by_role("alert")).to_contain_text("延期申请已提交，等待领导审批")
    expect(page.locator("#extension-requests")).to_contain_text("待审批")
    expect(page.get_by_role("link", name="申请延期")).to_have_count(0)
    ui.shot("requested")
    ui.logout()

    # The group leader: the request in the inbox, approved.
    ui.login(borg.leader)
    expect(page.locator("#inbox-unread")).to_have_text("1")
    page.locator("#nav-inbox").click()
    expect(page).to_have_url(ui.url("/inbox/"))
    message = page.locator(".inbox-message").first
    expect(message).to_contain_text("延期申请待审批：督办事项：报送党外代表人士信息更新表")
    ui.shot("leader-inbox")
    message.locator(".inbox-item a").first.click()
    expect(page.get_by_role("heading", name="审批延期申请")).to_be_visible()
    expect(page.locator("#requested-due")).to_contain_text(f"{wanted.year}年{wanted.month}月")
    page.get_by_label("同意延期").check()
    page.get_by_label("审批意见").fill("同意，请按期报送。")
    ui.shot("decision-form")
    page.get_by_role("button", name="提交审批意见").click()
    expect(page).to_have_url(ui.url(f"/deadlines/{deadline.pk}/"))
    expect(page.get_by_role("alert")).to_contain_text("已批准延期")
    expect(page.locator("#deadline-due")).to_contain_text(
        f"{wanted.year}年{wanted.month}月{wanted.day}日"
    )
    expect(page.locator("#deadline-history")).to_contain_text("批准延期")
    ui.shot("approved")
    page.locator("#nav-inbox").click()
    page.get_by_role("button", name="标为已读").first.click()
    expect(page.locator("#inbox-unread")).to_have_count(0)
    expect(page.locator(".inbox-message.unread")).to_have_count(0)
    ui.shot("leader-inbox-read")
    ui.logout()

    # The commissioner reads the answer.
    ui.login(borg.commissioner_a)
    expect(page.locator("#inbox-unread")).to_have_text("1")
    page.locator("#nav-inbox").click()
    expect(page.locator(".inbox-message").first).to_contain_text("延期申请已批准")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("alert")).to_contain_text("已将1条消息标为已读")
    expect(page.locator("#inbox-unread")).to_have_count(0)
    ui.shot("commissioner-inbox-read")
    ui.logout()

    deadline.refresh_from_db()
    assert (deadline.due, deadline.original_due) == (wanted, due)
    assert Deadline.history.filter(id=deadline.pk).count() == 2

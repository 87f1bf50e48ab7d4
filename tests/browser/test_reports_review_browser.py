"""A performance review (述职评议) in a real browser: the office opens the year's round;
branch B's commissioner writes its report on its work-points item and sends it; the
branch's head (the member seated for it) confirms it from 我的待办; the office rates
within the cap, locks the result and sends branch B its letter, which the leader in
charge signs; the commissioner reads the result and the letter on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups import services as groups
from groups.models import GroupMembership
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.groups_helpers import make_group, make_plan

pytestmark = pytest.mark.browser

ROUND = "年度统战工作述职评议"


def test_a_round_is_reported_confirmed_rated_locked_and_fed_back(
    borg: Org, ui: UI, phone_ui: UI
) -> None:
    today = timezone.localdate()
    make_group(borg)
    groups.group_membership_start(
        person=borg.member.person,
        role=GroupMembership.Role.MEMBER,
        unit=borg.branch_b,
        post="党总支书记",
        start_date=dt.date(2024, 3, 1),
        by=borg.office,
    )
    make_plan(today.year, [("联谊交友", [("做好党外人士联谊交友", borg.branch_b, [])])])
    page = ui.page
    title = f"{today.year}{ROUND}"

    # The office opens the round for the two branches.
    ui.login(borg.office)
    ui.nav("述职评议")
    page.get_by_role("link", name="发起述职评议").click()
    page.get_by_label("名称").fill(title)
    page.get_by_label("述职报告报送截止日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label(borg.branch_a.name, exact=True).check()
    page.get_by_label(borg.branch_b.name, exact=True).check()
    page.get_by_role("button", name="发起述职评议").click()
    expect(page.locator("main form")).to_contain_text("报送截止日期不能早于今天。")
    page.get_by_label("述职报告报送截止日期").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="发起述职评议").click()
    expect(page.get_by_role("alert")).to_contain_text("已发起述职评议")
    ui.shot("opened")
    ui.logout()

    # Branch B's commissioner writes the report and sends it to the head.
    ui.login(borg.commissioner_b)
    ui.nav("述职评议")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("link", name=borg.branch_a.name)).to_have_count(0)
    page.get_by_role("link", name=borg.branch_b.name).click()
    page.get_by_label("1. 做好党外人士联谊交友").fill("组织联谊活动2次，走访党外教师12人次。")
    page.get_by_label("履行统战工作职责情况").fill("落实联系交友制度，按时报送统战信息。")
    page.get_by_role("button", name="保存并报送负责人确认").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送，请单位负责人确认")
    ui.shot("sent")
    ui.logout()

    # The head confirms it from 我的待办.
    ui.login(borg.member)
    page.get_by_role("link", name=f"确认述职报告：{borg.branch_b.name}").click()
    expect(page.get_by_text("组织联谊活动2次，走访党外教师12人次。")).to_be_visible()
    page.get_by_role("link", name="负责人确认").click()
    page.get_by_role("button", name="负责人确认").click()
    expect(page.get_by_role("alert")).to_contain_text("已确认述职报告")
    ui.logout()

    # The office rates (two units at 30 %: one 优秀), locks and sends branch B its letter.
    ui.login(borg.office)
    ui.nav("述职评议")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="开始测评").click()
    page.get_by_label("办公室测评").check()
    page.get_by_role("button", name="开始测评").click()
    expect(page.get_by_role("alert")).to_contain_text("已开始测评")
    page.get_by_role("link", name="评定测评结果").click()
    for unit, grade, score, comment in (
        (borg.branch_a, "优秀", "90", "统战工作扎实"),
        (borg.branch_b, "优秀", "95", "联谊交友成效突出"),
    ):
        page.get_by_label(f"{unit.name} 等次").select_option(label=grade)
        page.get_by_label(f"{unit.name} 得分").fill(score)
        page.get_by_label(f"{unit.name} 点评意见").fill(comment)
    page.get_by_role("button", name="保存测评结果").click()
    expect(page.locator("main form")).to_contain_text("“优秀”不能超过参评单位的30%")
    page.get_by_label(f"{borg.branch_a.name} 等次").select_option(label="良好")
    page.get_by_role("button", name="保存测评结果").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存测评结果")
    page.get_by_role("link", name="锁定结果").click()
    page.get_by_role("button", name="锁定结果").click()
    expect(page.get_by_role("alert")).to_contain_text("已锁定测评结果")
    expect(page.get_by_text("表扬（前5）")).to_be_visible()
    page.get_by_role("button", name="起草全部反馈").click()
    expect(page.get_by_role("alert")).to_contain_text("已起草2份测评结果反馈")
    ui.shot("locked")
    letter = page.locator("main li", has_text=f"测评结果反馈 · {borg.branch_b.name}")
    letter.get_by_role("button", name="报审").click()
    expect(page.get_by_role("alert")).to_contain_text("已报审测评结果反馈")
    ui.logout()

    letter_title = f"关于{borg.branch_b.name}{title}测评结果的反馈"
    ui.login(borg.in_charge)
    page.get_by_role("link", name=f"待签发：{letter_title}").click()
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签发")
    ui.logout()
    ui.login(borg.office)
    ui.nav("述职评议")
    page.get_by_role("link", name=title).click()
    page.locator("main li", has_text=f"测评结果反馈 · {borg.branch_b.name}").get_by_role(
        "link"
    ).first.click()
    page.get_by_role("link", name="编号印发").click()
    page.get_by_role("button", name="编号并印发").click()
    expect(page.get_by_role("alert")).to_contain_text("已印发")
    ui.logout()
    ui.expect_no_problems()

    # On a phone, branch B's commissioner reads its own result and letter only.
    phone = phone_ui.page
    phone_ui.login(borg.commissioner_b)
    phone_ui.nav("述职评议")
    phone.get_by_role("link", name=title).click()
    expect(phone.locator("main table").get_by_text("联谊交友成效突出").first).to_be_visible()
    expect(phone.get_by_text("统战工作扎实")).to_have_count(0)
    phone_ui.shot("unit-result-phone")
    phone.locator("main li", has_text="测评结果反馈").get_by_role("link").first.click()
    expect(phone.locator("#document-state")).to_have_text("已印发")
    phone_ui.expect_no_problems()

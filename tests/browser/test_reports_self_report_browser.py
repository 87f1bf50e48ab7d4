"""An inspection self-report (督查汇报提纲) in a real browser: the office records the
upper level's inspection (a past due date is refused in Chinese), drafts the outline from
the year's data, checks a figure's link, writes the last part and submits it; the group
leader reads it on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import ProgressReport
from reports.models import InspectionSelfReport
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.groups_helpers import make_plan

pytestmark = pytest.mark.browser

NOTICE = "关于做好统战工作专项督查准备工作的通知"


def test_the_office_drafts_it_from_the_years_data_and_the_leader_reads_it(
    borg: Org, ui: UI, phone_ui: UI
) -> None:
    today = timezone.localdate()
    plan = make_plan(today.year, [("思想引领", [("持续强化政治引领", borg.ufw_dept, [])])])
    ProgressReport.objects.create(
        item=plan.items.get(), unit=borg.ufw_dept, text="推送学习材料48期", percent=100
    )
    page = ui.page
    ui.login(borg.office)
    ui.nav("督查汇报提纲")
    page.get_by_role("link", name="新建汇报提纲").click()
    page.get_by_label("督查事项").fill(NOTICE)
    page.get_by_label("材料报送截止日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="新建").click()
    expect(page.locator("main form")).to_contain_text("报送截止日期不能早于今天。")
    assert not InspectionSelfReport.objects.exists()
    page.get_by_label("材料报送截止日期").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="新建").click()
    expect(page.get_by_role("alert")).to_contain_text("已按汇报提纲建立各部分")
    expect(page.locator("#report-body")).to_contain_text("各位领导：")
    expect(page.locator("#report-body")).to_contain_text("一、引领宣传，营造舆论氛围")
    ui.shot("opened")

    page.get_by_role("button", name=f"从{today.year}年数据生成").click()
    expect(page.get_by_role("alert")).to_contain_text("已从")
    body = page.locator("#report-body")
    expect(body).to_contain_text("持续强化政治引领（党委统战部牵头）：完成100%")
    ui.shot("filled")

    page.get_by_role("link", name="编辑").click()
    last = page.locator("textarea").last
    last.fill("一是压实责任；二是拓展渠道。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    expect(body).to_contain_text("一是压实责任；二是拓展渠道。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审核")
    expect(page.locator("#report-state")).to_have_text("报审中")
    ui.shot("submitted")
    ui.logout()

    phone = phone_ui.page
    phone_ui.login(borg.leader)
    phone_ui.nav("督查汇报提纲")
    phone.get_by_role("link", name=f"{today.year}年统一战线工作情况汇报提纲").click()
    expect(phone.locator("#report-body")).to_contain_text("一是压实责任；二是拓展渠道。")
    expect(phone.get_by_role("button", name="提交审核")).to_have_count(0)
    phone_ui.shot("leader-phone")

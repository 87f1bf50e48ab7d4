"""A supervision case (督促检查) in a real browser: the office plans it; the group leader
delegates the approval to a deputy, who approves; the office records a problem with
evidence and sends the report, which the group leader signs and the office issues; the
group leader instructs (批示); the letter to school A is signed by the leader in charge
and issued, and school A's commissioner reads it and nothing of the other unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser

TITLE = "统战工作责任制落实情况专项督查"


def sign_and_issue(ui: UI, signer, office, title: str) -> None:
    page = ui.page
    ui.login(signer)
    page.get_by_role("link", name=f"待签发：{title}").click()
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签发")
    ui.logout()
    ui.login(office)
    ui.nav("督促检查")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="公文流转").first.click()
    page.get_by_role("link", name="编号印发").click()
    page.get_by_role("button", name="编号并印发").click()
    expect(page.get_by_role("alert")).to_contain_text("已印发")
    ui.logout()


def test_a_case_is_planned_approved_by_a_deputy_reported_instructed_and_fed_back(
    borg: Org, ui: UI, tmp_path
) -> None:
    evidence = tmp_path / "台账检查记录.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    today = timezone.localdate()
    page = ui.page

    # The office plans the case (its period over, so the report may go at once).
    ui.login(borg.office)
    ui.nav("督促检查")
    page.get_by_role("link", name="拟定督查方案").click()
    page.get_by_label("督查名称").fill(TITLE)
    page.get_by_label("督查范围和内容").fill("检查各学院落实统战工作责任制情况。")
    page.get_by_label(borg.school_a.name, exact=True).check()
    page.get_by_label(borg.branch_b.name, exact=True).check()
    page.get_by_label("统战工作责任制落实情况").check()
    page.get_by_label("工作组组长").fill("统战部部长")
    page.get_by_label("工作组成员").fill("统战部、组织部各一名同志")
    page.get_by_label("督查开始日期").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("督查结束日期").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="保存方案").click()
    expect(page.locator("main form")).to_contain_text("督查结束日期不能早于开始日期。")
    page.get_by_label("督查结束日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="保存方案").click()
    expect(page.get_by_role("alert")).to_contain_text("督查方案已保存")
    page.get_by_role("link", name="报请批准").click()
    page.get_by_role("button", name="报请批准").click()
    expect(page.get_by_role("alert")).to_contain_text("已报请批准")
    ui.logout()

    # The group leader finds it on 我的待办 and delegates it to the deputy.
    ui.login(borg.leader)
    page.get_by_role("link", name=f"批准督查方案：{TITLE}").click()
    page.get_by_role("link", name="委托副组长批准").click()
    page.get_by_label("委托副组长").select_option(label=borg.deputy.display_name)
    page.get_by_role("button", name="委托副组长批准").click()
    expect(page.get_by_role("alert")).to_contain_text("已委托副组长批准")
    ui.logout()

    ui.login(borg.deputy)
    page.get_by_role("link", name=f"批准督查方案：{TITLE}").click()
    page.get_by_role("link", name="批准", exact=True).click()
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_role("alert")).to_contain_text("已批准督查方案")
    expect(page.get_by_text("督查报告形成期限")).to_be_visible()
    ui.shot("approved")
    ui.logout()

    # The office records a problem with evidence and sends the report.
    ui.login(borg.office)
    ui.nav("督促检查")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="登记督查发现").first.click()
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("督查事项", exact=True).select_option(label="统战工作责任制落实情况")
    page.get_by_label("检查情况").fill("统战工作台账不全。")
    page.get_by_label("突出问题，列入督查通报").check()
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="登记督查发现").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记督查发现")
    expect(page.get_by_text("统战工作台账不全。")).to_be_visible()
    page.get_by_role("link", name="起草督查报告").click()
    expect(page.get_by_label("正文")).to_contain_text("一、机电工程学院")
    page.get_by_label("视情报校党委（抄送校党委）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    page.get_by_role("button", name="报审督查报告").click()
    expect(page.get_by_role("alert")).to_contain_text("已报审督查报告")
    ui.shot("report-submitted")
    ui.logout()

    sign_and_issue(ui, borg.leader, borg.office, f"{TITLE}报告")

    # The group leader's instruction, on the case.
    ui.login(borg.leader)
    ui.nav("督促检查")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="登记批示").first.click()
    page.get_by_label("批示意见").fill("请督促机电工程学院限期整改。")
    page.get_by_role("button", name="登记批示").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记批示")
    expect(page.get_by_text("请督促机电工程学院限期整改。")).to_be_visible()
    ui.logout()

    # The letter to school A, drafted from its findings.
    ui.login(borg.office)
    ui.nav("督促检查")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="起草反馈意见").first.click()
    expect(page.get_by_label("正文")).to_contain_text("统战工作台账不全。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    page.get_by_role("button", name="报审").first.click()
    expect(page.get_by_role("alert")).to_contain_text("已报审反馈意见")
    ui.shot("letter-submitted")
    ui.logout()

    sign_and_issue(ui, borg.in_charge, borg.office, f"关于{TITLE}的反馈意见")

    # School A's commissioner reads its letter; the report and branch B stay out of sight.
    ui.login(borg.commissioner_a)
    ui.nav("督促检查")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("统战工作台账不全。")).to_be_visible()
    expect(page.get_by_text("督查报告", exact=True)).to_have_count(0)
    expect(page.locator("main .card-header")).to_have_count(1)  # its own unit's card only
    expect(page.locator("main .card-header")).to_contain_text(borg.school_a.name)
    ui.shot("unit-view")
    page.locator("main .card-header").get_by_role("link").first.click()
    expect(page.locator("#document-state")).to_have_text("已印发")
    ui.expect_no_problems()

"""Rectification (整改) in a real browser: the office assigns one to a school with two
measures; the branch's commissioner reports progress with evidence and each measure
done; the office verifies one and sends the other back; once both are verified it
closes (销号)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import Rectification
from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser


def test_a_rectification_is_assigned_reported_verified_reopened_and_closed(
    borg: Org, ui: UI, tmp_path
) -> None:
    evidence = tmp_path / "安全台账.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    due = timezone.localdate() + dt.timedelta(days=30)
    page = ui.page
    ui.login(borg.office)
    ui.nav("整改落实")
    page.locator("main").get_by_role("link", name="交办整改").click()
    page.get_by_label("整改单位").select_option(label=borg.school_a.name)
    page.get_by_label("问题来源").select_option(label="督促检查")
    page.get_by_label("整改事项").fill("实训室安全管理整改")
    page.get_by_label("存在问题").fill("安全台账不全。")
    page.get_by_label("整改措施").fill("建立安全台账\n每月检查并记录")
    page.get_by_label("整改时限").fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="交办").click()
    expect(page.locator("main form")).to_contain_text("整改时限不能早于今天。")
    page.get_by_label("整改时限").fill(due.isoformat())
    page.get_by_role("button", name="交办").click()
    expect(page.get_by_role("alert")).to_contain_text("已交办")
    expect(page.get_by_text(f"整改时限：{due:%Y-%m-%d}")).to_be_visible()
    ui.shot("assigned")
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("整改落实")
    page.get_by_role("link", name="实训室安全管理整改").click()
    page.get_by_label("进展情况").fill("安全台账已建立，附扫描件。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报告进展").click()
    expect(page.get_by_role("alert")).to_contain_text("已报告整改进展")
    expect(page.get_by_role("link", name="佐证材料")).to_be_visible()
    for number, text in ((1, "台账已建立。"), (2, "已检查一次。")):
        page.locator("li[id^=measure-]").nth(number - 1).get_by_role(
            "link", name="报告完成"
        ).click()
        page.get_by_label("完成情况").fill(text)
        page.get_by_role("button", name="报告完成").click()
        expect(page.get_by_role("alert")).to_contain_text("待办公室核验")
    ui.shot("reported")
    ui.logout()

    ui.login(borg.office)
    ui.nav("整改落实")
    page.get_by_role("link", name="实训室安全管理整改").click()
    measures = page.locator("li[id^=measure-]")
    measures.nth(0).get_by_role("link", name="核验通过").click()
    page.get_by_role("button", name="核验通过").click()
    expect(page.get_by_role("alert")).to_contain_text("已核验通过")
    page.locator("li[id^=measure-]").nth(1).get_by_role("link", name="退回整改").click()
    page.get_by_label("原因").fill("需连续三个月的检查记录。")
    page.get_by_role("button", name="退回整改").click()
    expect(page.get_by_role("alert")).to_contain_text("已退回整改")
    # Not every measure verified: no 销号 yet.
    expect(page.get_by_role("link", name="销号", exact=True)).to_have_count(0)
    expect(page.get_by_text("整改措施（已核验 1/2）")).to_be_visible()
    ui.shot("reopened")
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("整改落实")
    page.get_by_role("link", name="实训室安全管理整改").click()
    expect(page.get_by_text("退回原因：需连续三个月的检查记录。")).to_be_visible()
    page.locator("li[id^=measure-]").nth(1).get_by_role("link", name="报告完成").click()
    page.get_by_label("完成情况").fill("已连续检查三个月。")
    page.get_by_role("button", name="报告完成").click()
    ui.logout()

    ui.login(borg.office)
    ui.nav("整改落实")
    page.get_by_role("link", name="实训室安全管理整改").click()
    page.locator("li[id^=measure-]").nth(1).get_by_role("link", name="核验通过").click()
    page.get_by_role("button", name="核验通过").click()
    page.get_by_role("link", name="销号", exact=True).click()
    page.get_by_label("销号意见").fill("整改到位，同意销号。")
    page.get_by_role("button", name="销号").click()
    expect(page.get_by_role("alert")).to_contain_text("已销号")
    expect(page.locator("h1")).to_contain_text("已销号")
    ui.shot("closed")
    assert Rectification.objects.get().state == "closed"

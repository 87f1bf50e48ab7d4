"""This year's work points issued in a real browser: the office submits the plan from its
page, the group leader signs it from the to-do list, the office numbers and issues it,
and the plan page shows the number and the year-end view exports."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from groups.models import WorkPoints
from portal.documents.models import Document
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.groups_helpers import make_plan

pytestmark = pytest.mark.browser


def test_the_office_submits_the_plan_the_leader_signs_and_the_office_issues(
    borg: Org, ui: UI
) -> None:
    plan = make_plan(
        2026,
        [
            ("以政治建设为统领", [("持续强化政治引领", borg.ufw_dept, [borg.school_a])]),
            ("强化民族宗教工作", [("做好少数民族学生管理工作", borg.branch_b, [])]),
        ],
    )
    page = ui.page

    # The office submits the plan from its page.
    ui.login(borg.office)
    ui.goto(plan.get_absolute_url())
    expect(page.locator("#plan-state")).to_have_text("起草中")
    ui.shot("drafting")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审核，等待组长签发")
    expect(page.locator("#plan-state")).to_have_text("报审中")
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    ui.shot("submitted")
    ui.logout()

    # The group leader signs it from the to-do list.
    document = Document.objects.get(kind="work_points")
    ui.login(borg.leader)
    page.get_by_role("link", name=f"待签发：{plan.title}").click()
    expect(page).to_have_url(ui.url(f"/documents/{document.pk}/"))
    expect(page.locator(".document-par.level1").first).to_contain_text("一、以政治建设为统领")
    ui.shot("to-sign")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已签发")
    ui.shot("signed")
    ui.logout()

    # The office numbers and issues it; the plan page shows the number.
    ui.login(borg.office)
    ui.goto(f"/documents/{document.pk}/")
    page.get_by_role("link", name="编号印发").click()
    expect(page.get_by_label(borg.school_a.name, exact=True)).to_be_checked()
    page.get_by_role("button", name="编号并印发").click()
    document.refresh_from_db()
    expect(page.get_by_role("alert")).to_contain_text(f"已印发，文号 {document.reference}")
    ui.goto(plan.get_absolute_url())
    expect(page.locator("#plan-state")).to_have_text("已印发")
    expect(page.locator("#plan-reference")).to_have_text(document.reference)
    assert WorkPoints.objects.get(pk=plan.pk).reference == document.reference
    ui.shot("issued")

    # The year-end view, and its export.
    page.get_by_role("link", name="年终情况").click()
    expect(page.locator("#summary-table")).to_contain_text(borg.school_a.name)
    saved = ui.download(page.get_by_role("link", name="导出Excel"))
    assert saved.name.endswith("完成情况.xlsx")
    ui.shot("year-end")

"""A notice's whole life in a real browser: the office drafts and submits it, the leader
in charge signs it on a phone, the office issues it, a branch commissioner acknowledges
receipt, and the official PDF is downloaded and read back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.documents.models import Document
from tests.browser.conftest import UI, pdf_text
from tests.conftest import Org

pytestmark = pytest.mark.browser

TITLE = "关于做好2026年度党外代表人士谈心谈话工作的通知"


def test_a_notice_goes_from_draft_to_receipt(borg: Org, ui: UI, phone_ui: UI) -> None:
    page = ui.page

    # The office drafts the notice and submits it.
    ui.login(borg.office)
    ui.nav("公文")
    expect(page.get_by_role("heading", name="公文", level=1)).to_be_visible()
    page.get_by_role("link", name="起草公文").click()
    expect(page.get_by_role("heading", name="起草公文")).to_be_visible()
    page.get_by_label("文种").select_option(label="通知")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("主送").fill("各党总支")
    page.get_by_label("正文").fill(
        "根据领导小组工作安排，现就有关事项通知如下。\n\n"
        "一、工作要求\n\n"
        "（一）明确对象。领导小组成员每年与重点联系的党外代表人士谈心谈话1次以上。"
    )
    page.get_by_label(borg.branch_a.name, exact=True).check()
    ui.shot("draft-form")
    page.get_by_role("button", name="保存草稿").click()
    # Wait for the redirect before reading the row: the click returns before the POST.
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    document = Document.objects.get(title=TITLE)
    expect(page).to_have_url(ui.url(f"/documents/{document.pk}/"))
    expect(page.get_by_role("alert")).to_contain_text("草稿已保存")
    expect(page.locator("#document-state")).to_have_text("起草中")
    ui.shot("draft")
    page.get_by_role("button", name="报审").click()
    expect(page.get_by_role("alert")).to_contain_text("已报审。")
    expect(page.locator("#document-state")).to_have_text("待签发")
    expect(page.locator("#timeline")).to_contain_text("报审")
    ui.shot("submitted")
    ui.logout()

    # The leader in charge signs it on a phone, from the to-do list.
    phone = phone_ui
    phone.shot_dir = ui.shot_dir / "phone"  # the two tabs share the test's folder
    phone.shot_dir.mkdir()
    phone.login(borg.in_charge)
    phone.page.get_by_role("link", name=f"待签发：{TITLE}").click()
    expect(phone.page).to_have_url(phone.url(f"/documents/{document.pk}/"))
    expect(phone.page.get_by_label("签批意见")).to_have_value("同意")
    phone.expect_fits_width()
    phone.shot("to-sign")
    phone.page.get_by_label("签批意见").fill("同意，请办公室印发。")
    phone.page.get_by_role("button", name="签发", exact=True).click()
    expect(phone.page.get_by_role("alert")).to_contain_text("已签发")
    expect(phone.page.locator("#document-state")).to_have_text("已签发待印发")
    expect(phone.page.locator("#timeline")).to_contain_text("同意，请办公室印发。")
    phone.expect_fits_width()
    phone.shot("signed")
    phone.logout()

    # The office numbers and issues it.
    ui.login(borg.office)
    ui.goto(f"/documents/{document.pk}/")
    page.get_by_role("link", name="编号印发").click()
    expect(page.get_by_role("heading", name=f"编号印发：{TITLE}")).to_be_visible()
    expect(page.locator("#unsigned-warning")).to_be_visible()
    expect(page.get_by_label(borg.branch_a.name, exact=True)).to_be_checked()
    ui.shot("issue-form")
    page.get_by_role("button", name="编号并印发").click()
    document.refresh_from_db()
    expect(page.get_by_role("alert")).to_contain_text(f"已印发，文号 {document.reference}")
    expect(page.locator("#document-reference")).to_have_text(document.reference)
    expect(page.locator("#receipt-summary")).to_contain_text("1 个未签收")
    ui.shot("issued")
    ui.logout()

    # A branch commissioner acknowledges receipt.
    ui.login(borg.commissioner_a)
    page.get_by_role("link", name=f"待签收：{TITLE}").click()
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_role("alert")).to_contain_text("已签收。")
    expect(page.locator("#receipt-table")).to_contain_text("签收")
    ui.shot("acknowledged")

    # …and downloads the official PDF.
    saved = ui.download(page.get_by_role("link", name="下载正式PDF"))
    assert saved.name == f"{document.reference} {TITLE}.pdf"
    text = re.sub(r"\s+", "", pdf_text(saved))
    assert TITLE in text
    assert document.reference in text
    assert "领导小组成员每年与重点联系的党外代表人士谈心谈话1次以上" in text
    ui.logout()

    # The office sees every receipt.
    ui.login(borg.office)
    ui.goto(f"/documents/{document.pk}/")
    expect(page.locator("#receipt-summary")).to_contain_text("0 个未签收")
    ui.shot("all-acknowledged")
    ui.logout()


def test_anyone_verifies_a_printed_copy_by_its_code(borg: Org, ui: UI) -> None:
    from tests.documents_helpers import issued

    document = issued(borg)
    page = ui.page
    ui.goto("/documents/verify/")
    expect(page.get_by_role("heading", name="公文核验")).to_be_visible()
    code = document.verification_code
    page.get_by_label("核验码").fill(f"{code[:4]}-{code[4:8]}-{code[8:]}".lower())
    page.get_by_role("button", name="核验").click()
    expect(page).to_have_url(ui.url(f"/documents/verify/{code}/"))
    expect(page.locator("#verify-reference")).to_have_text(document.reference)
    expect(page.locator("#verify-title")).to_have_text(document.title)
    expect(page.locator("#verify-sha256")).to_have_text(document.pdf_sha256)
    ui.shot("verified")

"""The publicity system in a real browser: the office puts a member on the roster and
sets a weekly rhythm; the member writes for their turn with an image and submits; the
office returns it with comments; the member revises and submits again; the office sees
what changed, approves and records it as published; the year view counts it."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaisons.models import PublicityPiece
from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser


def tiny_png(path: Path) -> Path:
    """A real 2×2 PNG (the page shows it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xc0\x30\x30" * 2 for _ in range(2))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


def test_a_turn_is_written_reviewed_twice_and_published(borg: Org, ui: UI, tmp_path) -> None:
    page = ui.page
    member = borg.publicity
    assert member.person is not None
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    # The office: the roster and the rhythm.
    ui.login(borg.office)
    ui.nav("宣传工作")
    page.get_by_role("link", name="轮值安排").click()
    page.get_by_role("link", name="加入名单").click()
    page.get_by_label("宣传工作成员").select_option(label=f"{member.person.name}（党委统战部）")
    page.get_by_role("button", name="加入名单").click()
    expect(page.get_by_role("alert")).to_contain_text("已加入宣传工作成员名单")
    page.get_by_role("link", name="设置节奏").click()
    page.get_by_label("间隔天数").fill("7")
    page.get_by_label("首期截止日期").fill(tomorrow.isoformat())
    page.get_by_role("button", name="保存节奏").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存轮值节奏")
    expect(page.locator("tbody tr")).to_have_count(4)
    ui.shot("rotation")
    ui.logout()

    # The member: their turn is on 我的待办; they write for it with an image.
    ui.login(member)
    expect(page.get_by_text("宣传轮值").first).to_be_visible()
    ui.nav("宣传工作")
    page.get_by_role("link", name="轮值安排").click()
    page.get_by_role("link", name="撰写").first.click()
    page.get_by_label("标题").fill("我校召开党外人士座谈会")
    page.get_by_label("正文").fill("会议由统战部主持。\n代表们踊跃发言。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("alert")).to_contain_text("草稿已保存")
    page.locator("#id_image").set_input_files(tiny_png(tmp_path / "会场.png"))
    page.get_by_label("图片说明").fill("会场")
    page.get_by_role("button", name="上传图片").click()
    expect(page.get_by_role("alert")).to_contain_text("已上传图片")
    expect(page.get_by_role("img", name="会场")).to_be_visible()
    page.get_by_role("link", name="送审").click()
    page.get_by_role("button", name="送审").click()
    expect(page.get_by_role("alert")).to_contain_text("等待组织统战部审核")
    ui.shot("submitted")
    ui.logout()

    # The office returns it: comments are required.
    ui.login(borg.office)
    ui.nav("宣传工作")
    page.get_by_role("link", name="我校召开党外人士座谈会").click()
    page.get_by_role("link", name="退回修改").click()
    page.get_by_label("审核意见").fill("   ")  # blank: refused on the form
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("main form")).to_contain_text("必填")
    page.get_by_label("审核意见").fill("请写明会议日期。")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("alert")).to_contain_text("已退回修改")
    ui.logout()

    # The member revises and submits the second round.
    ui.login(member)
    ui.nav("宣传工作")
    page.get_by_role("link", name="我校召开党外人士座谈会").click()
    expect(page.get_by_text("请写明会议日期。")).to_be_visible()
    page.get_by_role("link", name="修改", exact=True).click()
    page.get_by_label("正文").fill("12月1日，会议由统战部主持。\n代表们踊跃发言。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    page.get_by_role("link", name="送审").click()
    page.get_by_role("button", name="送审").click()
    expect(page.get_by_role("alert")).to_contain_text("等待组织统战部审核")
    ui.logout()

    # The office sees what changed, approves and records the publication.
    ui.login(borg.office)
    ui.nav("宣传工作")
    page.get_by_role("link", name="我校召开党外人士座谈会").click()
    expect(page.locator("#round-2 .publicity-diff ins")).to_have_text("12月1日，")
    ui.shot("diff")
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_role("alert")).to_contain_text("已审核通过")
    page.get_by_role("link", name="登记发布").click()
    page.get_by_label("发布链接").fill("not a link")
    page.get_by_role("button", name="登记发布").click()
    expect(page.locator("main form")).to_contain_text("有效链接")
    page.get_by_label("发布链接").fill("https://mp.weixin.qq.com/s/demo")
    page.get_by_role("button", name="登记发布").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记发布")
    assert PublicityPiece.objects.get().state == "published"
    page.get_by_role("link", name="宣传稿件").first.click()
    page.get_by_role("link", name="年度统计").click()
    expect(page.locator("main")).to_contain_text("全年发布 1 篇")
    ui.shot("year")

"""A meeting's whole cycle in a real browser: the office creates a meeting, puts an item
on the agenda, records attendance, writes the minutes and submits them; the leader in
charge signs on a phone; the office issues them and breaks the decision down into a
follow-up item for branch A; branch A's commissioner reports on it. The issued minutes
PDF is downloaded, read back and rendered to PNG next to the screenshots (and, with
UPDATE_DOCS_IMG=1, to docs/img/minutes.png)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from meetings.models import FollowUpItem, Meeting
from tests.browser.conftest import UI, pdf_text
from tests.conftest import Org
from tests.meetings_helpers import make_members

pytestmark = pytest.mark.browser

TITLE = "2026年第二次领导小组全体会议"
DECISION = "同意成立党外知识分子联谊会，由机电工程学院党总支牵头筹备。"
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_a_meeting_goes_from_invitation_to_follow_up(borg: Org, ui: UI, phone_ui: UI) -> None:
    leader, deputy, member = make_members(borg)
    page = ui.page

    # The office creates the meeting: the group on that date is invited.
    ui.login(borg.office)
    ui.nav("会议")
    expect(page.get_by_role("heading", name="会议", level=1)).to_be_visible()
    expect(page.locator("#quota-standings")).to_contain_text("领导小组全体会议")
    page.get_by_role("link", name="新建会议").click()
    page.get_by_label("会议类型").select_option(label="领导小组全体会议")
    page.get_by_label("会议名称").fill(TITLE)
    page.get_by_label("开始时间").fill("2026-11-20T15:00")
    page.get_by_label("结束时间").fill("2026-11-20T17:00")
    page.get_by_label("地点").fill("行政楼三楼第一会议室")
    page.get_by_label("主持人").select_option(label=f"{leader.name}（{leader.unit.name}）")
    ui.shot("meeting-form")
    page.get_by_role("button", name="保存").click()
    # Wait for the redirect before reading the row: the click returns before the POST.
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(title=TITLE)
    expect(page).to_have_url(ui.url(f"/meetings/{meeting.pk}/"))
    expect(page.locator("#attendance")).to_contain_text(deputy.name)

    # An agenda item.
    page.locator("summary", has_text="添加议程").click()
    page.get_by_label("议程", exact=True).fill("研究成立党外知识分子联谊会")
    page.get_by_label("汇报人").fill("党委统战部")
    page.get_by_role("button", name="加入议程").click()
    expect(page.locator("#agenda-list")).to_contain_text("研究成立党外知识分子联谊会")

    # Attendance: the deputy on leave.
    page.get_by_role("link", name="登记出席情况").click()
    for person in (leader, member):
        page.get_by_label(person.name, exact=True).select_option(label="出席")
    page.get_by_label(deputy.name, exact=True).select_option(label="请假")
    page.get_by_label(f"{deputy.name}的请假事由").fill("外出学习")
    ui.shot("attendance")
    page.get_by_role("button", name="保存出席情况").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存出席情况")
    expect(page.locator("#meeting-state")).to_have_text("已召开")

    # The minutes, then 报审.
    page.get_by_role("link", name="编写纪要").click()
    page.get_by_label("导语").fill("会议研究了成立党外知识分子联谊会事宜。现纪要如下。")
    page.get_by_label("讨论情况").fill("与会同志认为成立联谊会有利于团结凝聚党外知识分子。")
    page.get_by_label("会议决定").fill(DECISION)
    ui.shot("minutes-editor")
    page.get_by_role("button", name="保存纪要").click()
    expect(page.locator("#agenda-list")).to_contain_text(DECISION)
    page.get_by_role("button", name="报审纪要").click()
    expect(page.get_by_role("alert")).to_contain_text("纪要已报送签发")
    expect(page.locator("#document-state")).to_have_text("待签发")
    ui.shot("minutes-submitted")
    ui.logout()

    # The leader in charge signs on a phone.
    phone = phone_ui
    phone.shot_dir = ui.shot_dir / "phone"
    phone.shot_dir.mkdir()
    phone.login(borg.in_charge)
    phone.page.get_by_role("link", name=f"待签发：{TITLE}纪要").click()
    phone.expect_fits_width()
    phone.page.get_by_role("button", name="签发", exact=True).click()
    expect(phone.page.get_by_role("alert")).to_contain_text("已签发")
    phone.shot("signed")
    phone.logout()

    # The office issues them and assigns a follow-up item to branch A.
    ui.login(borg.office)
    ui.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name=f"{TITLE}纪要").click()
    page.get_by_role("link", name="编号印发").click()
    page.get_by_role("button", name="编号并印发").click()
    expect(page.get_by_role("alert")).to_contain_text("已印发")
    saved = ui.download(page.get_by_role("link", name="下载正式PDF"))
    text = re.sub(r"\s+", "", pdf_text(saved))
    assert DECISION in text
    assert "请假：覃副组长（外出学习）" in text
    assert "X统纪〔2026〕1号" in text
    ui.goto(f"/meetings/{meeting.pk}/")
    expect(page.locator("#minutes-state")).to_have_text("已印发")
    page.get_by_role("link", name="交办督办事项").click()
    page.get_by_label("督办内容").fill("牵头筹备党外知识分子联谊会成立大会")
    page.get_by_label("责任单位").select_option(label=borg.branch_a.name)
    page.get_by_label("办理期限").fill("2026-12-31")
    page.get_by_role("button", name="交办").click()
    expect(page.locator("#agenda-list")).to_contain_text("牵头筹备党外知识分子联谊会成立大会")
    ui.shot("follow-up-assigned")
    ui.logout()

    # Branch A's commissioner finds it on the home page and reports.
    ui.login(borg.commissioner_a)
    page.get_by_role("link", name=re.compile("督办事项待落实：牵头筹备")).click()
    page.get_by_label("办理状态").select_option(label="已报告完成")
    page.get_by_label("落实情况").fill("筹备方案已拟定，成立大会定于12月中旬召开。")
    page.get_by_role("button", name="报告落实情况").click()
    expect(page.get_by_role("alert")).to_contain_text("已报告落实情况")
    expect(page.locator("#follow-up-status")).to_have_text("已报告完成")
    ui.shot("follow-up-reported")
    assert FollowUpItem.objects.get().status == FollowUpItem.Status.REPORTED

    # The paper, for the docs: the issued minutes' pages side by side.
    png = shutil.which("pdftoppm")
    if png:
        prefix = ui.shot_dir / "minutes"
        subprocess.run(  # noqa: S603
            [png, "-png", "-r", "60", str(saved), str(prefix)], check=True, timeout=60
        )
        pages = sorted(ui.shot_dir.glob("minutes-*.png"))
        assert pages
        images = [Image.open(path) for path in pages]
        sheet = Image.new(
            "RGB",
            (sum(i.width for i in images) + 10 * (len(images) - 1), max(i.height for i in images)),
            "#888888",
        )
        x = 0
        for image in images:
            sheet.paste(image, (x, 0))
            x += image.width + 10
        sheet.save(ui.shot_dir / "minutes.png")  # look at it
        if os.environ.get("UPDATE_DOCS_IMG") == "1":  # refresh the picture in the docs
            sheet.save(DOCS_IMG / "minutes.png")


# The height of a cell's content box and of each cell's text, in line heights: a column
# squeezed to one Chinese character a line makes its row many lines tall.
_ROW_HEIGHTS = """(row) => {
  const shown = [...row.querySelectorAll("td")].filter((cell) => cell.offsetParent !== null);
  const lines = (cell, height) => height / parseFloat(getComputedStyle(cell).lineHeight);
  const date = row.querySelector("td.text-nowrap");
  const style = getComputedStyle(date);
  const box = date.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return {
    date: lines(date, box),
    cells: shown.map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return lines(cell, range.getBoundingClientRect().height);
    }),
  };
}"""


def test_the_topic_list_keeps_readable_columns_on_a_phone(borg: Org, phone_ui: UI) -> None:
    """At 390 px the topics table keeps its columns readable (a row one or two lines
    tall, not one character a line) and scrolls sideways inside its box; the page itself
    stays as wide as the screen."""
    from meetings import services

    services.topic_propose(by=borg.office, title="关于建立统战工作联系点的建议", unit=borg.branch_a)
    ui = phone_ui
    ui.sign_in(borg.office)
    ui.goto("/topics/")
    row = ui.page.locator("#topic-list tbody tr").first
    expect(row).to_contain_text("关于建立统战工作联系点的建议")
    ui.shot("topics-phone")
    ui.expect_fits_width()
    heights = row.evaluate(_ROW_HEIGHTS)
    assert heights["date"] < 2.5, heights  # the row: one or two lines
    assert max(heights["cells"]) < 2.5, heights  # no column one character a line
    box = ui.page.locator(".table-responsive").first
    assert box.evaluate("(box) => box.scrollWidth > box.clientWidth")  # it scrolls sideways

"""Research guidance (调研指导) and research topics (调研课题) in a real browser: the
office sets up a contact point, plans the year's visit, records its end (the report
falls due a month later), reports it to the group with its file and notes it went
upward; it sets a topic for a school, which the branch's commissioner completes with
its paper; the office records the award; the topics export downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import ResearchTopic, ResearchVisit
from inspections.rules import research_report_due
from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser


def test_a_visit_is_planned_ended_reported_and_a_topic_completed(
    borg: Org, ui: UI, tmp_path
) -> None:
    report = tmp_path / "调研指导报告.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    today = timezone.localdate()
    page = ui.page
    ui.login(borg.office)
    ui.nav("调研指导")
    page.locator("main").get_by_role("link", name="调研指导联系点").click()
    page.locator("main").get_by_role("link", name="设立联系点").click()
    page.get_by_label("联系点单位").select_option(label=borg.school_a.name)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已设立调研指导联系点")
    expect(page.locator("main table")).to_contain_text(borg.school_a.name)
    ui.shot("contact-point")

    ui.nav("调研指导")
    page.locator("main").get_by_role("link", name="安排调研指导").click()
    # The contact points are chosen by default.
    page.get_by_label("调研方案").fill("座谈、查阅台账。")
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main form")).to_contain_text("结束日期不能早于开始日期。")
    page.get_by_label("结束日期").fill(today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已安排调研指导")
    ui.shot("planned")

    page.get_by_role("link", name="结束调研").click()
    page.get_by_label("调研发现").fill("个别学院台账更新不及时。")
    page.get_by_role("button", name="结束调研").click()
    expect(page.get_by_role("alert")).to_contain_text("报告须在1个月内报领导小组")
    expect(
        page.get_by_text(f"报告报领导小组期限：{research_report_due(today):%Y-%m-%d}")
    ).to_be_visible()
    ui.shot("ended")

    page.get_by_role("link", name="报送领导小组").click()
    page.get_by_label("调研指导报告").fill("调研指导报告正文。")
    ui.upload("报告文件", report)
    page.get_by_role("button", name="报送领导小组").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送领导小组")
    page.get_by_role("link", name="报上级部门").click()
    page.get_by_label("上级部门").fill("自治区党委统战部")
    page.get_by_role("button", name="报上级部门").click()
    expect(page.locator("main dl")).to_contain_text("自治区党委统战部")
    expect(page.get_by_role("link", name="报上级部门")).to_have_count(0)
    ui.shot("reported")
    assert ResearchVisit.objects.get().state == "reported"

    ui.nav("调研课题")
    page.locator("main").get_by_role("link", name="确定调研课题").click()
    page.get_by_label("课题名称").fill("高校党外知识分子思想引领研究")
    page.get_by_label("研究内容").fill("调研思想状况，提出对策。")
    page.get_by_label("课题来源").fill("新问题新情况")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main form")).to_contain_text("只选一项")
    page.get_by_label("承担单位").select_option(label=borg.school_a.name)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已确定调研课题")
    page.get_by_role("link", name="下达课题").click()
    page.get_by_label("完成时限").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="下达课题").click()
    expect(page.get_by_role("alert")).to_contain_text("已下达调研课题")
    ui.shot("topic-assigned")
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("调研课题")
    page.get_by_role("link", name="高校党外知识分子思想引领研究").click()
    page.get_by_role("link", name="报送成果").click()
    page.get_by_label("论文").check()
    page.get_by_label("研究成果").fill("《高校党外知识分子思想引领机制探析》")
    ui.upload("成果文件", report)
    page.get_by_role("button", name="报送成果").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送研究成果")
    ui.shot("topic-completed")
    ui.logout()

    ui.login(borg.office)
    ui.nav("调研课题")
    page.get_by_role("link", name="高校党外知识分子思想引领研究").click()
    page.get_by_role("link", name="登记报送和获奖").click()
    page.get_by_label("获奖情况").fill("自治区统战理论研究优秀成果二等奖")
    page.get_by_role("button", name="登记报送和获奖").click()
    expect(page.locator("main dl")).to_contain_text("优秀成果二等奖")
    page.locator(".breadcrumb").get_by_role("link", name="调研课题").click()
    path = ui.download(page.locator("main").get_by_role("link", name="导出Excel"))
    assert path.stat().st_size > 0
    ui.shot("topic-awarded")
    assert ResearchTopic.objects.get().award == "自治区统战理论研究优秀成果二等奖"

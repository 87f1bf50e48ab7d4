"""Experiences and information upward in a real browser: a branch commissioner registers
and sends a good practice, the office selects it and compiles a briefing, which goes for
review; a commissioner's information is accepted, sent upward and adopted, and counted on
the summary page; the lists on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Briefing, Experience, InformationReport
from tests.browser.conftest import UI
from tests.conftest import Org

pytestmark = pytest.mark.browser


def test_an_experience_is_selected_and_compiled_and_information_adopted(borg: Org, ui: UI) -> None:
    today = timezone.localdate()
    page = ui.page
    ui.login(borg.commissioner_a)
    ui.nav("经验交流")
    page.locator("main").get_by_role("link", name="登记经验做法").click()
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("标题").fill("党外教师“三个一”联系制度")
    page.get_by_label("正文").fill("一是建立台账。\n\n二是定期走访。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存经验做法")
    page.get_by_role("link", name="报送办公室").click()
    page.get_by_role("button", name="报送办公室").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送办公室")
    ui.shot("experience-sent")

    ui.nav("统战信息")
    page.locator("main").get_by_role("link", name="编报统战信息").click()
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("标题").fill("我院党外教师积极建言献策")
    page.get_by_label("正文").fill("近日，学院召开党外教师座谈会。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="报送审核").click()
    page.get_by_role("button", name="报送审核").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送办公室审核")
    ui.logout()

    ui.login(borg.office)
    ui.nav("经验交流")
    page.get_by_role("link", name="党外教师“三个一”联系制度").click()
    page.get_by_role("link", name="入选", exact=True).click()
    page.get_by_role("button", name="入选").click()
    expect(page.get_by_role("alert")).to_contain_text("已入选")
    ui.goto("/reports/briefings/")
    page.locator("main").get_by_role("link", name="编印经验交流材料").click()
    page.get_by_label("编者按").fill("现将典型经验编印交流。")
    page.get_by_label("党外教师“三个一”联系制度（机电工程学院）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已编入")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交审核")
    ui.shot("briefing-submitted")
    briefing = Briefing.objects.select_related("document").get()
    assert briefing.document is not None and briefing.state == "in_review"
    assert Experience.objects.get().state == "selected"

    ui.nav("统战信息")
    page.get_by_role("link", name="我院党外教师积极建言献策").click()
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_role("link", name="报送上级").click()
    page.get_by_label("报送日期").fill(today.isoformat())
    page.get_by_label("报送对象").fill("自治区党委统战部信息处")
    page.get_by_role("button", name="报送上级").click()
    page.get_by_role("link", name="登记采用", exact=True).click()
    page.get_by_label("采用层级").select_option(label="自治区（省）")
    page.get_by_label("采用载体").fill("《统战信息》第3期")
    page.get_by_label("采用日期").fill(today.isoformat())
    page.get_by_role("button", name="登记采用").click()
    expect(page.locator("main dl")).to_contain_text("《统战信息》第3期")
    ui.shot("information-adopted")
    assert InformationReport.objects.get().state == "adopted"
    ui.nav("信息编报统计")
    row = page.locator("main tbody tr").filter(has_text=borg.school_a.name)
    expect(row).to_contain_text("1")
    ui.shot("summary")
    path = ui.download(page.locator("main").get_by_role("link", name="导出Excel"))
    assert path.stat().st_size > 0


def test_the_lists_fit_a_phone(borg: Org, phone_ui: UI) -> None:
    from reports import upward_services as services

    services.experience_create(
        unit=borg.school_a,
        title="党外人士参与学院治理的实践",
        summary="",
        body="做法",
        by=borg.office,
    )
    phone_ui.login(borg.commissioner_a)
    phone_ui.nav("经验交流")
    expect(phone_ui.page.locator("main table")).to_contain_text("党外人士参与学院治理的实践")
    phone_ui.shot("experiences-phone")
    phone_ui.nav("信息编报统计")
    phone_ui.shot("summary-phone")

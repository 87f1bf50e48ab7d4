"""Each role, in a real browser: log in through the form, do the role's main task by
clicking and typing, log out through the user menu. Console errors (including
Content-Security-Policy violations), failed requests and error responses fail the test
(see tests/browser/conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.models import Person
from tests.browser.conftest import UI
from tests.conftest import PASSWORD, Org

pytestmark = pytest.mark.browser


def test_office_registers_a_person_and_enters_a_holiday_schedule(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.office)

    # A new non-party figure, sensitive fields included.
    ui.nav("人员")
    expect(page).to_have_url(ui.url("/people/"))
    expect(page.get_by_role("link", name="党外甲")).to_be_visible()
    ui.shot("people")
    page.get_by_role("link", name="新建人员").click()
    expect(page.get_by_role("heading", name="新建人员")).to_be_visible()
    page.get_by_label("姓名").fill("新来丙")
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("性别").select_option(label="女")
    page.get_by_label("政治面貌").select_option(label="民盟盟员")
    page.get_by_label("有留学经历").check()
    page.get_by_label("留学经历", exact=True).fill("日本东京大学博士（2010—2014）")
    ui.shot("person-form")
    page.get_by_role("button", name="保存").click()
    # Wait for the redirect before reading the row: the click returns before the POST.
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    person = Person.objects.get(name="新来丙")
    expect(page).to_have_url(ui.url(f"/people/{person.pk}/"))
    expect(page.get_by_role("alert")).to_contain_text("已保存“新来丙”的信息。")
    expect(page.get_by_role("heading", name="新来丙")).to_be_visible()
    expect(page.locator("#sensitive-status")).to_have_text("民盟盟员")
    expect(page.get_by_text("日本东京大学博士（2010—2014）")).to_be_visible()
    expect(page.get_by_role("link", name=borg.school_a.name)).to_be_visible()
    ui.shot("person-page")

    # The working-day calculator across the 2026 National Day holiday.
    ui.nav("工作日历")
    expect(page.get_by_role("heading", name="工作日历", level=1)).to_be_visible()
    page.get_by_label("起算日").fill("2026-09-30")
    page.get_by_label("工作日数").fill("1")
    page.get_by_role("button", name="计算").click()
    expect(page).to_have_url(ui.url("/calendar/?start=2026-09-30&n=1"))
    expect(page.locator("#workday-result")).to_contain_text("2026年10月8日")
    ui.shot("calculator")

    # The 2027 schedule, entered by hand from the State Council notice.
    row_2027 = page.get_by_role("row").filter(has=page.get_by_role("link", name="2027", exact=True))
    expect(row_2027).to_have_count(1)
    row_2027.get_by_role("link", name=re.compile("录入官方安排|修改")).click()
    expect(page).to_have_url(ui.url("/calendar/2027/edit/"))
    expect(page.get_by_role("heading", name="录入2027年节假日安排")).to_be_visible()
    page.get_by_label("依据").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_label("放假与调休安排").fill("2027-01-01 休 元旦")
    ui.shot("schedule-form")
    page.get_by_role("button", name="保存并重新计算").click()
    expect(page).to_have_url(ui.url("/calendar/2027/"))
    expect(page.get_by_role("alert")).to_contain_text("已保存2027年节假日安排")
    expect(page.get_by_text("国务院办公厅关于2027年部分节假日安排的通知")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2027-01-01")
    expect(rows.first).to_contain_text("放假")
    expect(rows.first).to_contain_text("元旦")
    ui.shot("schedule-2027")

    ui.logout()


def test_leader_sees_a_figure_without_the_affiliation(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.leader)
    ui.nav("人员")
    expect(page.get_by_role("link", name="新建人员")).to_have_count(0)
    ui.shot("people")
    page.get_by_role("link", name="党外甲").click()
    expect(page).to_have_url(ui.url(f"/people/{borg.figure_a.pk}/"))
    expect(page.get_by_role("heading", name="党外甲")).to_be_visible()
    expect(page.get_by_text("仅统战部和联系领导可见")).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text("九三学社")
    expect(main).not_to_contain_text("曼彻斯特")
    expect(main).not_to_contain_text("关注职称评审")
    expect(page.locator("#sensitive-status")).to_have_count(0)
    ui.shot("figure-page")
    ui.logout()


def test_member_reads_the_units_but_cannot_create_one(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.member)
    ui.nav("单位")
    expect(page).to_have_url(ui.url("/units/"))
    expect(page.get_by_role("heading", name="单位", level=1)).to_be_visible()
    for unit in (borg.ufw_dept, borg.branch_a, borg.branch_b, borg.school_a):
        expect(page.get_by_role("link", name=unit.name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="新建单位")).to_have_count(0)
    expect(page.get_by_role("button", name="新建单位")).to_have_count(0)
    ui.shot("units")
    ui.logout()


def test_commissioner_sees_only_their_branch(borg: Org, person_b: Person, ui: UI) -> None:
    page = ui.page
    ui.login(borg.commissioner_a)
    ui.nav("人员")
    expect(page.get_by_role("link", name="党外甲")).to_be_visible()
    expect(page.get_by_role("link", name=person_b.name)).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(borg.branch_b.name)
    ui.shot("people")

    ui.nav("单位")
    expect(page.get_by_role("link", name=borg.branch_a.name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=borg.branch_b.name, exact=True)).to_have_count(0)
    ui.shot("units")

    # Typing the address of branch B's page: a Chinese "not found", nothing leaked.
    ui.allow_status(404, f"/units/{borg.branch_b.pk}/")
    ui.goto(f"/units/{borg.branch_b.pk}/")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(person_b.name)
    ui.shot("branch-b-not-found")

    ui.logout()


def test_office_pages_fit_a_phone(borg: Org, phone_ui: UI) -> None:
    ui = phone_ui
    page = ui.page
    ui.login(borg.office)
    ui.expect_fits_width()

    toggler = page.locator(".navbar-toggler")
    menu = page.locator("#mainnav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    toggler.click()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("button", name="组织", exact=True)).to_be_visible()
    ui.shot("menu-open")
    ui.nav("人员")

    expect(page).to_have_url(ui.url("/people/"))
    expect(page.get_by_role("link", name="党外甲")).to_be_visible()
    ui.shot("people")
    ui.expect_fits_width()

    ui.logout()


def test_office_creates_a_unit_and_finds_its_people_by_filter(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.office)
    ui.nav("单位")
    page.get_by_role("link", name="新建单位").click()
    expect(page.get_by_role("heading", name="新建单位")).to_be_visible()
    page.get_by_label("名称").fill("机电工程学院智能制造系")
    page.get_by_label("简称").fill("智造系")
    page.get_by_label("类别").select_option(label="二级学院")
    page.get_by_label("上级单位").select_option(label=borg.branch_a.name)
    ui.shot("unit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存单位“机电工程学院智能制造系”。")
    expect(page.get_by_role("heading", name="机电工程学院智能制造系")).to_be_visible()
    expect(page.get_by_role("link", name=borg.branch_a.name)).to_be_visible()
    ui.shot("unit-page")

    # The people list, narrowed to school A's non-party figures of the 九三学社.
    ui.nav("人员")
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("政治面貌").select_option(label="九三学社社员")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(ui.url_pattern("/people/"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("党外甲")
    expect(page.get_by_label("政治面貌")).to_have_value("jiusan")  # the filter stays set
    ui.shot("people-filtered")
    page.get_by_label("搜索").fill("没有这个人")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("没有符合条件的人员。")).to_be_visible()
    ui.shot("people-none")
    ui.logout()


def test_commissioner_registers_and_edits_a_person_of_their_branch(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.commissioner_a)
    ui.nav("人员")
    page.get_by_role("link", name="新建人员").click()
    expect(page.get_by_role("heading", name="新建人员")).to_be_visible()
    # Only their own branch and the school under it; no affiliation fields to fill.
    options = page.get_by_label("单位").locator("option")
    expect(options).to_have_count(3)  # the empty choice and their two units
    assert sorted(options.all_inner_texts()[1:]) == sorted([borg.branch_a.name, borg.school_a.name])
    expect(page.get_by_label("政治面貌")).to_have_count(0)
    expect(page.get_by_label("留学经历", exact=True)).to_have_count(0)
    page.get_by_label("姓名").fill("韦新")
    page.get_by_label("单位").select_option(label=borg.school_a.name)
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("出生日期").fill("1991-07-15")
    page.get_by_label("职务/职称").fill("讲师")
    ui.shot("person-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存“韦新”的信息。")
    expect(page.get_by_text("仅统战部和联系领导可见")).to_be_visible()
    ui.shot("person-page")

    page.get_by_role("link", name="编辑").click()
    page.get_by_label("职务/职称").fill("副教授")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("副教授")
    page.get_by_role("link", name="变更记录").click()
    expect(page.locator(".history-change").first).to_contain_text("讲师 → 副教授")
    ui.shot("person-history")
    person = Person.objects.get(name="韦新")
    assert person.unit == borg.school_a
    assert person.political_status == ""  # left for the office to record
    ui.logout()


def test_member_changes_their_password_and_logs_in_with_it(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.login(borg.member)
    page.locator("#usermenu").click()
    page.get_by_role("link", name="修改密码").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    # "新密码" also matches the next field, 新密码确认; the first match is the new password.
    page.get_by_label("旧密码").fill("wrong-password")
    page.get_by_label("新密码").first.fill("Tongzhan-2026!")
    page.get_by_label("新密码确认").fill("Tongzhan-2026!")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("main")).to_contain_text("你的旧密码不正确")
    ui.shot("wrong-old-password")
    page.get_by_label("旧密码").fill(PASSWORD)
    page.get_by_label("新密码").first.fill("Tongzhan-2026!")
    page.get_by_label("新密码确认").fill("Tongzhan-2026!")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="密码已修改")).to_be_visible()
    ui.shot("password-changed")
    ui.logout()
    ui.login(borg.member, password="Tongzhan-2026!")
    ui.logout()

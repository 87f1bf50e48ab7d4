"""The leading group and the work points in a real browser: the office imports a roster
(file upload, preview, confirmation) and prints the org chart; a commissioner reports
progress on their item with an evidence file; the leader reads the plan and the
year-end view; the pages fit a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups import services
from groups.imports import ROSTER_HEADERS
from groups.models import BranchCommissioner, GroupMembership, ProgressReport, WorkPoints
from portal.spreadsheets import build_xlsx
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.factories import PersonFactory, UnitFactory
from tests.groups_helpers import TERM_START, department, make_group, make_plan

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


def _roster_xlsx(path: Path, org: Org) -> Path:
    rows = [
        ["组长", org.ufw_dept.name, "韦国平", "党委书记", TERM_START, None, ""],
        ["组长", org.ufw_dept.name, "黄志远", "院长", TERM_START, None, ""],
        ["副组长", org.ufw_dept.name, "覃丽萍", "党委副书记", TERM_START, None, ""],
        ["成员", "党委宣传部", "罗海燕", "宣传部部长", TERM_START, None, ""],
        ["办公室主任", org.ufw_dept.name, "蒙春梅", "统战部部长", TERM_START, None, ""],
        ["统战委员", org.branch_a.name, "黄丽娟", "", TERM_START, None, ""],
    ]
    data = build_xlsx(title="名册", headers=ROSTER_HEADERS, rows=rows, widths=(12,) * 7)
    target = path / "领导小组名册.xlsx"
    target.write_bytes(data)
    return target


def test_office_imports_a_roster_and_prints_the_org_chart(
    borg: Org, ui: UI, tmp_path: Path
) -> None:
    make_group(borg)
    publicity = UnitFactory(name="党委宣传部", short_name="宣传部")
    for name in ("韦国平", "黄志远", "覃丽萍", "蒙春梅"):
        PersonFactory(name=name, unit=borg.ufw_dept)
    PersonFactory(name="罗海燕", unit=publicity)
    PersonFactory(name="黄丽娟", unit=borg.branch_a)
    page = ui.page
    ui.login(borg.office)

    ui.nav("领导小组")
    expect(page.get_by_role("heading", name="统一战线工作领导小组", level=1)).to_be_visible()
    ui.shot("empty-group")
    page.get_by_role("link", name="导入名册").click()
    expect(page.get_by_role("heading", name="导入领导小组名册")).to_be_visible()
    ui.upload("Excel 文件（.xlsx）", _roster_xlsx(tmp_path, borg))
    ui.shot("upload")
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", name="导入预览：领导小组名册.xlsx")).to_be_visible()
    expect(page.locator("#import-summary")).to_contain_text("新增 6")
    rows = page.locator("#import-changes tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.nth(5)).to_contain_text("黄丽娟")
    assert not GroupMembership.objects.exists()  # nothing saved before the confirmation
    ui.shot("preview")
    page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(ui.url("/groups/"))
    expect(page.get_by_role("alert")).to_contain_text("新增 6 项任职")
    chart = page.locator("#org-chart")
    expect(chart.get_by_role("link", name="韦国平")).to_be_visible()
    expect(chart.get_by_role("link", name="罗海燕")).to_be_visible()
    # Branch B has no commissioner yet.
    expect(chart.locator(".org-vacant", has_text=borg.branch_b.name)).to_contain_text("暂缺")
    assert BranchCommissioner.objects.get().person.name == "黄丽娟"
    ui.shot("org-chart")

    page.emulate_media(media="print")
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(page.locator("#org-date")).to_be_hidden()
    ui.shot("org-chart-print")
    page.pdf(path=str(ui.shot_dir / "org-chart.pdf"), format="A4")
    page.emulate_media(media="screen")

    # The chart of a day before the import: the term had no one yet.
    page.get_by_label("查看日期").fill("2024-02-01")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("该日没有在任的领导小组")).to_be_visible()
    ui.logout()


def _plan_for(org: Org) -> WorkPoints:
    hr = department("学生工作部（学生工作处）")
    plan = make_plan(
        timezone.localdate().year,
        [
            (
                "以政治建设为统领",
                [("持续强化政治引领", org.ufw_dept, []), ("开展条例宣贯学习", org.ufw_dept, [])],
            ),
            ("强化民族宗教工作", [("做好少数民族学生管理工作", hr, [org.school_a, org.branch_b])]),
        ],
    )
    services.progress_report_create(
        item=plan.items.get(number=1),
        unit=org.ufw_dept,
        by=org.office,
        text="已建立线上学习推送机制。",
        percent=100,
    )
    return plan


def test_commissioner_reports_progress_with_evidence(borg: Org, ui: UI, tmp_path: Path) -> None:
    plan = _plan_for(borg)
    evidence = tmp_path / "座谈会签到表.pdf"
    evidence.write_bytes(PDF)
    page = ui.page
    ui.login(borg.commissioner_a)

    ui.nav("工作要点")
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", name=plan.title, level=1)).to_be_visible()
    page.get_by_role("link", name="只看本单位承担的 1 项").click()
    expect(page.locator("table.wp-table tbody tr:not(:has(td[colspan]))")).to_have_count(1)
    ui.shot("my-items")
    page.get_by_role("link", name="做好少数民族学生管理工作").click()
    expect(page.get_by_role("heading", name="3. 做好少数民族学生管理工作")).to_be_visible()
    page.get_by_role("link", name="报告进展").click()

    expect(
        page.get_by_role("heading", name="报告进展：3. 做好少数民族学生管理工作")
    ).to_be_visible()
    # Only their own school is offered (branch B shares the item too).
    options = page.get_by_label("报告单位").locator("option")
    expect(options).to_have_text(["---------", borg.school_a.name])
    page.get_by_label("报告单位").select_option(label=borg.school_a.name)
    page.get_by_label("完成进度（%）").fill("60")
    page.get_by_label("进展情况").fill("学院召开少数民族学生座谈会，21名学生参加，收集意见6条。")
    ui.upload("佐证材料", evidence)
    ui.shot("report-form")
    page.get_by_role("button", name="提交进展").click()

    expect(page.get_by_role("alert")).to_contain_text("已提交第3项的进展")
    expect(page.locator("#report-list")).to_contain_text("60%")
    expect(page.locator("#item-status")).to_contain_text("60%")
    report = ProgressReport.objects.get(unit=borg.school_a)
    assert report.author == borg.commissioner_a
    ui.shot("reported")
    downloaded = ui.download(page.get_by_role("link", name="佐证材料：座谈会签到表.pdf"))
    assert downloaded.name == "座谈会签到表.pdf"
    assert downloaded.read_bytes() == PDF

    # Another unit's item: no report button.
    page.goto(ui.url(plan.items.get(number=1).get_absolute_url()))
    expect(page.get_by_role("link", name="报告进展")).to_have_count(0)
    ui.logout()


def test_leader_reads_the_plan_and_the_year_end_view(borg: Org, ui: UI) -> None:
    plan = _plan_for(borg)
    page = ui.page
    ui.login(borg.leader)
    ui.nav("工作要点")
    expect(page.locator("#plan-list")).to_contain_text(plan.title)
    ui.shot("plans")
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", name="一、以政治建设为统领")).to_be_visible()
    expect(page.get_by_role("heading", name="二、强化民族宗教工作")).to_be_visible()
    first = page.locator(f"#item-{plan.items.get(number=1).pk}")
    expect(first).to_contain_text("100%")
    expect(first).to_contain_text("已完成")
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    ui.shot("plan")
    page.get_by_role("link", name="年终情况").click()
    expect(page.locator("#summary-table")).to_contain_text("已建立线上学习推送机制。")
    ui.shot("year-end")
    ui.logout()


def test_group_and_plan_pages_fit_a_phone(borg: Org, phone_ui: UI) -> None:
    ui = phone_ui
    make_group(borg)
    for role, name in (("leader", "韦国平"), ("deputy_leader", "覃丽萍"), ("member", "罗海燕")):
        services.group_membership_start(
            by=borg.office,
            person=PersonFactory(name=name, unit=borg.ufw_dept),
            role=role,
            unit=borg.ufw_dept,
            post="职务",
            start_date=TERM_START,
        )
    plan = _plan_for(borg)
    ui.login(borg.office)
    for path in (
        "/groups/",
        "/groups/roster/",
        plan.get_absolute_url(),
        f"{plan.get_absolute_url()}year-end/",
    ):
        ui.goto(path)
        ui.expect_fits_width()
        ui.shot(path.strip("/").replace("/", "-") or "home")
    ui.logout()

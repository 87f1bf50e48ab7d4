"""Liaison officers in a real browser: the office fills a vacancy from the list (a young
Party member needs a reason, asked for in Chinese on the form), the commissioner sees
their school's liaison without the basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaisons.models import Liaison
from portal.models import PoliticalStatus
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_the_office_fills_a_vacancy_and_the_commissioner_sees_it(borg: Org, ui: UI) -> None:
    today = timezone.localdate()
    PersonFactory(
        name="青年党员教师",
        unit=borg.school_a,
        political_status=PoliticalStatus.CPC,
        birth_date=dt.date(today.year - 28, 1, 1),
        title="讲师",
    )
    page = ui.page
    ui.login(borg.office)
    ui.nav("统战联络员")
    row = page.locator("tr", has_text=borg.school_a.name)
    expect(row).to_contain_text("暂缺")
    row.get_by_role("link", name="任命").click()
    page.get_by_label("联络员").select_option(label="青年党员教师（机电工程学院，讲师）")
    page.get_by_role("button", name="任命").click()
    expect(page.locator("main form")).to_contain_text("请说明本单位没有符合前两项条件人选的理由")
    ui.shot("reason-asked")
    page.get_by_label("推荐理由").fill("本院党外教师均在外访学")
    page.get_by_role("button", name="任命").click()
    expect(page.get_by_role("alert")).to_contain_text("已任命 青年党员教师")
    expect(page.get_by_text("青年党员教师（需说明理由）")).to_be_visible()
    assert Liaison.objects.get().basis == "young_party_member"
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("统战联络员")
    page.get_by_role("link", name="青年党员教师").click()
    expect(page.get_by_role("heading", name="青年党员教师")).to_be_visible()
    expect(page.get_by_text("本院党外教师均在外访学")).to_have_count(0)
    ui.shot("commissioner")


def test_a_unit_asks_for_comment_the_office_answers_and_the_unit_records_adoption(
    borg: Org, ui: UI, tmp_path
) -> None:
    draft = tmp_path / "办法草稿.pdf"
    draft.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    page = ui.page
    ui.login(borg.commissioner_a)
    ui.nav("征求意见")
    page.locator("main").get_by_role("link", name="征求意见").click()
    page.get_by_label("类别").select_option(label="文件起草")
    page.get_by_label("事由").fill("《党外人士联系办法》征求意见稿")
    page.get_by_label("情况说明").fill("请审阅第三章。")
    page.get_by_role("button", name="提交征求意见").click()
    expect(page.locator("main form")).to_contain_text("请附上文件草稿")
    page.get_by_label("文件草稿").set_input_files(str(draft))
    page.get_by_role("button", name="提交征求意见").click()
    expect(page.get_by_role("alert")).to_contain_text("个工作日内书面答复")
    expect(page.get_by_text("书面答复期限")).to_be_visible()
    ui.shot("filed")
    ui.logout()

    ui.login(borg.office)
    ui.nav("征求意见")
    page.get_by_role("link", name="《党外人士联系办法》征求意见稿").click()
    page.get_by_role("link", name="书面答复").click()
    page.get_by_label("书面意见").fill("建议第三章增加联系渠道。")
    page.get_by_role("button", name="书面答复").click()
    expect(page.get_by_role("alert")).to_contain_text("已书面答复")
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("征求意见")
    page.get_by_role("link", name="《党外人士联系办法》征求意见稿").click()
    expect(page.get_by_text("建议第三章增加联系渠道。")).to_be_visible()
    page.get_by_role("link", name="登记采纳情况").click()
    page.get_by_label("部分采纳").check()
    page.get_by_role("button", name="登记采纳情况").click()
    expect(page.locator("main form")).to_contain_text("请说明理由")
    page.get_by_label("说明").fill("第三章另行研究。")
    page.get_by_role("button", name="登记采纳情况").click()
    expect(page.get_by_role("alert")).to_contain_text("征求意见办结")
    expect(page.get_by_text("部分采纳")).to_be_visible()
    ui.shot("closed")


def test_the_office_records_a_training_and_who_attended(borg: Org, ui: UI) -> None:
    today = timezone.localdate()
    for name, unit in (("联络员甲", borg.school_a), ("联络员乙", borg.ufw_dept)):
        person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.NON_PARTY)
        Liaison.objects.create(
            unit=unit, person=person, start_date=today, basis="non_party", appointed_by=borg.office
        )
    page = ui.page
    ui.login(borg.office)
    ui.nav("统战联络员")
    page.get_by_role("link", name="培训和会议").click()
    page.get_by_role("link", name="登记培训和会议").click()
    page.get_by_label("名称").fill("联络员业务培训班")
    page.get_by_label("地点").fill("行政楼会议室")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_contain_text("请在本页登记出席情况")
    page.locator("tr", has_text="联络员甲").get_by_label("出席").check()
    page.get_by_label("联络员乙的缺席原因").fill("出差")
    page.get_by_role("button", name="保存出席情况").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记出席情况")
    expect(page.get_by_text("1/2")).to_be_visible()
    ui.shot("attendance")
    page.get_by_role("link", name="联络员乙").click()
    expect(page.get_by_text("缺席（出差）")).to_be_visible()


def test_a_liaison_writes_their_report_and_the_office_raises_it_as_a_suggestion(
    borg: Org, ui: UI
) -> None:
    """The liaison logs in with their own role, finds the report on 我的待办, is told in
    Chinese that an empty report cannot go, saves a draft, submits; the commissioner of
    the branch reads it; the office reads it and turns the issue into a suggestion that
    links back."""
    from liaisons import services
    from liaisons.models import LiaisonReport
    from outreach.models import Suggestion

    today = timezone.localdate()
    person = borg.liaison.person
    assert person is not None
    person.political_status = PoliticalStatus.NON_PARTY
    person.save()
    services.liaison_appoint(unit=borg.school_a, person=person, start_date=today, by=borg.office)
    services.round_open(
        title="新校区建设专题报告", due_on=today + dt.timedelta(days=20), by=borg.office
    )
    page = ui.page
    ui.login(borg.liaison)
    expect(page.locator("main").get_by_role("link", name="人员", exact=True)).to_have_count(0)
    page.get_by_role("link", name="新校区建设专题报告").first.click()
    page.get_by_role("link", name="去办理").click()
    page.get_by_role("button", name="报送").click()
    expect(page.locator("main form")).to_contain_text("报告内容为空")
    page.get_by_label("思想动态").fill("党外教师关注新校区建设进度。")
    page.get_by_label("热点难点问题").fill("新校区通勤班车班次不足。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已保存，尚未报送")
    page.get_by_role("link", name="填写报告").click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送")
    ui.shot("liaison-submitted")
    assert LiaisonReport.objects.get().state == "submitted"
    ui.logout()

    ui.login(borg.commissioner_a)
    ui.nav("联络员报告")
    page.get_by_role("link", name="新校区建设专题报告").click()
    expect(page.get_by_text("新校区通勤班车班次不足。")).to_be_visible()
    expect(page.get_by_role("link", name="阅知")).to_have_count(0)
    ui.logout()

    ui.login(borg.office)
    ui.nav("联络员报告")
    page.get_by_role("link", name="新校区建设专题报告").click()
    page.get_by_role("link", name="阅知").click()
    page.get_by_label("办公室意见").fill("转后勤处办理。")
    page.get_by_role("button", name="阅知").click()
    expect(page.get_by_role("alert")).to_contain_text("已阅知")
    page.get_by_role("link", name="转为意见建议").click()
    page.get_by_label("标题").fill("增加新校区通勤班车班次")
    page.get_by_role("button", name="转为意见建议").click()
    expect(page.get_by_role("alert")).to_contain_text("来源报告已关联")
    link_back = page.get_by_role("link", name="联络员报告：机电工程学院 新校区建设专题报告")
    expect(link_back).to_be_visible()
    ui.shot("suggestion-links-back")
    link_back.click()
    expect(page.locator("#follow-ups")).to_contain_text("增加新校区通勤班车班次")
    ui.shot("report-followed-up")
    assert Suggestion.objects.get().source == "liaison"

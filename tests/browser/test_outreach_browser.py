"""Outreach in a real browser: the office publishes study material to the paired
leaders, the leader finds it under 我的学习 and confirms it once, the office sees the
confirmation on the activity and records a figure's "五个一", which the year board
shows; a commissioner's board holds their unit's figures only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Figure, FiveOne, FriendshipPair, StudyActivity
from portal.models import PoliticalStatus
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def _figures(org: Org) -> tuple[Figure, Figure]:
    def figure(unit, name):
        person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.JIUSAN)
        return Figure.objects.create(
            person=person, category="democratic_party", registered_on=dt.date(2020, 1, 1)
        )

    mine, other = figure(org.branch_b, "乙单位人士"), figure(org.school_a, "甲单位人士")
    FriendshipPair.objects.create(
        leader=org.leader.person, figure=mine, start_date=timezone.localdate()
    )
    return mine, other


def test_a_study_push_is_confirmed_and_the_five_ones_reach_the_board(borg: Org, ui: UI) -> None:
    mine, _other = _figures(borg)
    page = ui.page
    ui.login(borg.office)
    ui.nav("学习活动")
    page.get_by_role("link", name="发布学习活动").click()
    page.get_by_label("学习主题").fill("学习统一战线工作条例")
    page.get_by_label("学习内容").fill("请学习第三章。")
    page.get_by_label("联系交友的党员领导干部").check()
    ui.shot("publish")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("alert")).to_contain_text("学习对象 1 人")
    activity = StudyActivity.objects.get()

    ui.logout()
    ui.login(borg.leader)
    ui.nav("我的学习")
    expect(page.get_by_role("link", name="学习统一战线工作条例")).to_be_visible()
    page.get_by_role("button", name="我已学习").click()
    expect(page.get_by_role("alert")).to_contain_text("已确认")
    expect(page.get_by_role("button", name="我已学习")).to_have_count(0)
    ui.shot("confirmed")
    assert activity.participants.get().confirmed_by == borg.leader

    ui.logout()
    ui.login(borg.office)
    ui.goto(activity.get_absolute_url())
    expect(page.locator("tbody")).to_contain_text("本人确认")
    year = timezone.localdate().year
    ui.goto(f"/figures/{mine.pk}/five-ones/?year={year}")
    page.get_by_label("项目").select_option(label="读一本好书")
    page.get_by_label("完成日期").fill(timezone.localdate().isoformat())
    page.get_by_label("内容").fill("《统一战线学》")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记")
    assert FiveOne.objects.get().figure == mine
    ui.nav("学习情况和“五个一”")
    row = page.locator("tr", has_text="乙单位人士")
    expect(row).to_contain_text("1/5")
    ui.shot("board")

    ui.logout()
    ui.login(borg.commissioner_b)
    ui.nav("学习情况和“五个一”")
    expect(page.locator("tbody")).to_contain_text("乙单位人士")
    expect(page.locator("tbody")).not_to_contain_text("甲单位人士")


def test_a_leader_sees_their_own_pairs_sensitive_data_and_a_member_none(borg: Org, ui: UI) -> None:
    from outreach.models import SensitiveProfile

    mine, other = _figures(borg)
    for figure in (mine, other):
        SensitiveProfile.objects.create(figure=figure, opinions=f"{figure.person.name}的思想动态")
    page = ui.page
    ui.login(borg.leader)
    ui.nav("联系覆盖情况")
    expect(page.locator("tbody")).to_contain_text("乙单位人士")
    expect(page.locator("tbody")).not_to_contain_text("甲单位人士")
    ui.goto(mine.get_absolute_url())
    expect(page.get_by_text("乙单位人士的思想动态")).to_be_visible()
    ui.goto(other.get_absolute_url())
    expect(page.get_by_role("heading", name="甲单位人士")).to_be_visible()
    expect(page.get_by_text("甲单位人士的思想动态")).to_have_count(0)
    ui.shot("leader-other-figure")
    ui.logout()

    ui.login(borg.member)
    ui.nav("党外人士")
    page.get_by_role("link", name="乙单位人士").click()
    expect(page.get_by_role("heading", name="乙单位人士")).to_be_visible()
    expect(page.get_by_text("敏感信息")).to_have_count(0)
    expect(page.get_by_text("乙单位人士的思想动态")).to_have_count(0)

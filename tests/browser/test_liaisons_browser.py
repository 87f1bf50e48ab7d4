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

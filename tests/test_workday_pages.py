"""The working-day schedule around the calendar: `parse_schedule` and `WorkdayYearForm`,
the service `workday_year_set`, the calendar pages and the `missing_schedule` todo.

The 2027 schedules entered here are made up (the State Council has not published 2027
when these were written); the 2026 one is the official notice, checked against
chinesecalendar 1.11.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.forms import ScheduleLine, WorkdayYearForm, parse_schedule
from portal.models import User, WorkdayException, WorkdayYear
from portal.services import workday_schedule_changed, workday_year_set
from portal.todos import todos_for
from portal.workdays import (
    WorkdayCalendar,
    add_workdays,
    add_workdays_marked,
    is_workday,
    workdays_between,
)
from tests.conftest import client_for

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")

SCHEDULE_2027 = """\
2027-01-01 休 元旦
2027-02-06 至 2027-02-12 休 春节
2027-02-20 班 春节调休
"""

# The official 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知), as the office
# would transcribe it; every day checked against chinesecalendar 1.11.
OFFICIAL_2026 = """\
2026-01-01 至 2026-01-03 休 元旦
2026-01-04 班 元旦调休
2026-02-14 班 春节调休
2026-02-15 至 2026-02-23 休 春节
2026-02-28 班 春节调休
2026-04-04 至 2026-04-06 休 清明节
2026-05-01 至 2026-05-05 休 劳动节
2026-05-09 班 劳动节调休
2026-06-19 至 2026-06-21 休 端午节
2026-09-20 班 国庆节调休
2026-09-25 至 2026-09-27 休 中秋节
2026-10-01 至 2026-10-07 休 国庆节
2026-10-10 班 国庆节调休
"""


def _parsed(year: int, text: str) -> list[ScheduleLine]:
    days, errors = parse_schedule(year, text)
    assert errors == []
    return days


def _enter_2027(
    by: User, notice: str = "国务院办公厅关于2027年部分节假日安排的通知"
) -> WorkdayYear:
    return workday_year_set(year=2027, notice=notice, days=_parsed(2027, SCHEDULE_2027), by=by)


def _counts() -> tuple[int, int]:
    return WorkdayYear.objects.count(), WorkdayException.objects.count()


def _result_block(html: str) -> str:
    """The calculator's answer: from its box to the end of the page content."""
    start = html.index('id="workday-result"')
    return html[start : html.index("</main>", start)]


def _titles(user, today: dt.date) -> list[str]:
    return [todo.title for todo in todos_for(user, today=today)]


def _shanghai(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


# --- parse_schedule ----------------------------------------------------------------------


def test_it_parses_a_range_with_zhi_and_skips_its_weekends():
    days, errors = parse_schedule(2027, "2027-10-01 至 2027-10-07 休 国庆节")
    assert errors == []
    # Fri 10-01, then Sat 10-02 and Sun 10-03 are off anyway, then Mon 10-04 .. Thu 10-07.
    assert [d.date for d in days] == [D(2027, 10, 1)] + [D(2027, 10, day) for day in (4, 5, 6, 7)]
    assert all(not d.is_workday and d.name == "国庆节" for d in days)


def test_it_accepts_the_other_range_separators_and_unpadded_dates():
    for text in (
        "2027-10-01 到 2027-10-07 休 国庆节",
        "2027-10-01 ~ 2027-10-07 休 国庆节",
        "2027-10-01 -- 2027-10-07 休 国庆节",
        "2027-10-01至2027-10-07 休 国庆节",
        "  2027-10-1 至 2027-10-7 休 国庆节  ",
    ):
        days, errors = parse_schedule(2027, text)
        assert errors == [], text
        assert [d.date for d in days] == [D(2027, 10, d) for d in (1, 4, 5, 6, 7)], text


def test_it_parses_an_adjusted_weekend_working_day():
    days, errors = parse_schedule(2027, "2027-09-26 班 国庆节调休")
    assert errors == []
    assert days == [ScheduleLine(D(2027, 9, 26), True, "国庆节调休")]


def test_it_returns_the_days_sorted_whatever_the_line_order():
    days = _parsed(2027, "2027-10-01 休 国庆节\n2027-01-01 休 元旦\n2027-02-20 班 春节调休")
    assert [d.date for d in days] == [D(2027, 1, 1), D(2027, 2, 20), D(2027, 10, 1)]


def test_it_rejects_ban_on_a_weekday_naming_the_line():
    text = "2027-10-01 至 2027-10-07 休 国庆节\n2027-10-08 班 国庆节调休"  # 10-08 is a Friday
    _, errors = parse_schedule(2027, text)
    assert len(errors) == 1
    assert "第2行" in errors[0]
    assert "2027-10-08" in errors[0]
    assert "工作日" in errors[0]


def test_it_numbers_lines_counting_blank_lines_and_comments():
    text = "# 国办发明电〔2026〕X号\n\n2027-01-01 休 元旦\n2027-01-04 班 元旦调休"
    _, errors = parse_schedule(2027, text)
    assert len(errors) == 1
    assert "第4行" in errors[0]


def test_it_rejects_a_date_outside_the_year():
    _, errors = parse_schedule(2027, "2027-01-01 休 元旦\n2026-10-01 休 国庆节")
    assert len(errors) == 1
    assert "第2行" in errors[0]
    assert "2027年" in errors[0]
    _, errors = parse_schedule(2027, "2026-12-31 至 2027-01-01 休 元旦")
    assert len(errors) == 1
    assert "第1行" in errors[0]


def test_it_rejects_an_impossible_date():
    days, errors = parse_schedule(2027, "2027-02-30 休 春节")
    assert days == []
    assert len(errors) == 1
    assert "第1行" in errors[0]
    assert "不存在" in errors[0]
    assert "2027-02-30" in errors[0]
    _, errors = parse_schedule(2027, "2027-13-01 休 春节")
    assert len(errors) == 1
    assert "不存在" in errors[0]


@pytest.mark.parametrize(
    "line",
    [
        "2027/10/01 休 国庆节",
        "2027-10-01 放 国庆节",
        "2027-10-01 休",
        "国庆节放假七天",
        "10-01 休 国庆节",
        "2027-10-01 至 休 国庆节",
    ],
)
def test_it_rejects_a_malformed_line(line):
    days, errors = parse_schedule(2027, f"2027-01-01 休 元旦\n{line}")
    assert [d.date for d in days] == [D(2027, 1, 1)]
    assert len(errors) == 1
    assert "第2行格式不对" in errors[0]
    assert line.strip() in errors[0]


def test_it_rejects_an_end_before_the_start():
    _, errors = parse_schedule(2027, "2027-10-07 至 2027-10-01 休 国庆节")
    assert len(errors) == 1
    assert "第1行" in errors[0]
    assert "早于" in errors[0]


def test_it_rejects_a_day_entered_twice():
    _, errors = parse_schedule(2027, "2027-10-01 至 2027-10-07 休 国庆节\n2027-10-04 休 中秋节")
    assert len(errors) == 1
    assert "第2行" in errors[0]
    assert "2027-10-04" in errors[0]
    assert "重复" in errors[0]
    _, errors = parse_schedule(2027, "2027-09-26 班 国庆节调休\n\n2027-09-26 班 国庆节调休")
    assert len(errors) == 1
    assert "第3行" in errors[0]


def test_it_reports_every_bad_line_not_just_the_first():
    text = "2027-02-30 休 春节\n2027-10-08 班 调休\n胡乱一行\n2026-01-01 休 元旦"
    _, errors = parse_schedule(2027, text)
    assert len(errors) == 4
    for number, error in enumerate(errors, start=1):
        assert f"第{number}行" in error


def test_it_truncates_a_long_name_to_the_field_length():
    days = _parsed(2027, "2027-01-01 休 " + "元" * 80)
    assert days[0].name == "元" * 50


def test_it_accepts_a_valid_schedule_in_the_form():
    form = WorkdayYearForm({"notice": "通知", "schedule": SCHEDULE_2027}, year=2027)
    assert form.is_valid(), form.errors
    assert [d.date for d in form.parsed][:2] == [D(2027, 1, 1), D(2027, 2, 8)]
    assert ScheduleLine(D(2027, 2, 20), True, "春节调休") in form.parsed


def test_it_shows_every_parse_error_on_the_form_field():
    form = WorkdayYearForm(
        {"notice": "通知", "schedule": "2027-01-01 休 元旦\n2027-01-04 班 调休\n坏行"}, year=2027
    )
    assert not form.is_valid()
    errors = form.errors["schedule"]
    assert len(errors) == 2
    assert "第2行" in errors[0]
    assert "第3行" in errors[1]


def test_it_requires_a_day_and_a_notice_in_the_form():
    # Sat 2027-01-02 is off anyway, so the line yields nothing to record.
    form = WorkdayYearForm({"notice": "通知", "schedule": "2027-01-02 休 周末"}, year=2027)
    assert not form.is_valid()
    assert "请至少登记一个放假日" in str(form.errors["schedule"])
    form = WorkdayYearForm({"notice": "", "schedule": SCHEDULE_2027}, year=2027)
    assert not form.is_valid()
    assert "notice" in form.errors


# --- workday_year_set and the calendar's sources -----------------------------------------


@pytest.mark.django_db
def test_it_saves_a_year_and_its_days(org):
    schedule = _enter_2027(org.office)
    assert schedule.year == 2027
    assert schedule.notice == "国务院办公厅关于2027年部分节假日安排的通知"
    rows = list(WorkdayException.objects.filter(schedule=schedule).order_by("date"))
    # 01-01, then 02-08..02-12 (02-06/07 are a weekend), then the worked Saturday 02-20.
    assert [r.date for r in rows] == [
        D(2027, 1, 1),
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 2, 10),
        D(2027, 2, 11),
        D(2027, 2, 12),
        D(2027, 2, 20),
    ]
    assert [r.is_workday for r in rows] == [False] * 6 + [True]
    assert rows[0].name == "元旦"
    assert WorkdayYear.history.filter(year=2027).count() == 1
    assert WorkdayException.history.filter(date=D(2027, 1, 1), history_type="+").exists()


@pytest.mark.django_db
def test_it_replaces_a_years_days_rather_than_adding_to_them(org):
    _enter_2027(org.office)
    days = _parsed(2027, "2027-01-01 休 元旦\n2027-10-01 休 国庆节")
    schedule = workday_year_set(by=org.office, year=2027, notice="修订后的通知", days=days)
    assert WorkdayYear.objects.count() == 1
    assert sorted(schedule.exceptions.values_list("date", flat=True)) == [
        D(2027, 1, 1),
        D(2027, 10, 1),
    ]
    schedule.refresh_from_db()
    assert schedule.notice == "修订后的通知"
    assert is_workday(D(2027, 2, 8))  # no longer 春节
    assert not is_workday(D(2027, 10, 1))
    assert WorkdayException.history.filter(date=D(2027, 2, 8), history_type="-").exists()


@pytest.mark.django_db
def test_it_keeps_the_old_schedule_when_a_new_day_is_invalid(org):
    _enter_2027(org.office)
    before = _counts()
    bad = [
        ScheduleLine(D(2027, 10, 1), False, "国庆节"),
        ScheduleLine(D(2027, 10, 8), True, "国庆节调休"),  # a Friday cannot be 调休上班
    ]
    with pytest.raises(ValidationError):
        workday_year_set(by=org.office, year=2027, notice="另一份通知", days=bad)
    assert _counts() == before
    schedule = WorkdayYear.objects.get(year=2027)
    assert schedule.notice == "国务院办公厅关于2027年部分节假日安排的通知"
    assert not WorkdayException.objects.filter(date=D(2027, 10, 1)).exists()
    assert not is_workday(D(2027, 2, 8))  # the old 春节 is still in force


@pytest.mark.django_db
def test_it_creates_nothing_when_a_new_years_first_schedule_is_invalid(org):
    bad = [ScheduleLine(D(2027, 1, 2), False, "元旦")]  # a Saturday cannot be 放假
    with pytest.raises(ValidationError):
        workday_year_set(by=org.office, year=2027, notice="通知", days=bad)
    assert _counts() == (0, 0)


@pytest.mark.django_db
def test_it_announces_the_changed_year_after_commit(org, django_capture_on_commit_callbacks):
    heard: list[int] = []

    def receiver(sender, year, **kwargs):
        heard.append(year)

    workday_schedule_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            _enter_2027(org.office)
            assert heard == []  # not before the transaction commits
        assert len(callbacks) == 1
        assert heard == [2027]
    finally:
        workday_schedule_changed.disconnect(receiver)


@pytest.mark.django_db
def test_it_stops_2027_being_provisional_once_its_schedule_is_entered(org):
    # Wed 2026-12-30 +5 on weekends only: Thu 12-31, Fri 2027-01-01, Mon 01-04, Tue 01-05,
    # Wed 01-06.
    before = add_workdays_marked(D(2026, 12, 30), 5)
    assert (before.date, before.provisional) == (D(2027, 1, 6), True)
    _enter_2027(org.office)
    # With 2027-01-01 off: Thu 12-31, Mon 01-04, Tue 01-05, Wed 01-06, Thu 01-07.
    after = add_workdays_marked(D(2026, 12, 30), 5)
    assert (after.date, after.provisional) == (D(2027, 1, 7), False)
    assert WorkdayCalendar().year(2027).source == "portal"
    # The entered 调休 Saturday is a working day, the 春节 weekdays are not.
    assert add_workdays(D(2027, 2, 19), 1) == D(2027, 2, 20)
    # Fri 02-05 +1: the weekend, 02-08..02-12 off, the weekend, then Mon 02-15.
    assert add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 15)
    # (02-05, 02-20]: Mon 02-15 .. Fri 02-19 and the worked Saturday 02-20.
    assert workdays_between(D(2027, 2, 5), D(2027, 2, 20)) == 6


@pytest.mark.django_db
def test_it_lets_a_2026_schedule_entered_in_the_portal_override_the_package(org):
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)
    days = _parsed(2026, OFFICIAL_2026 + "2026-10-09 休 国庆节（补）")
    workday_year_set(
        by=org.office, year=2026, notice="2026年节假日安排（假设的补充通知）", days=days
    )
    assert WorkdayCalendar().year(2026).source == "portal"
    assert not is_workday(D(2026, 10, 9))
    # Thu 10-08 +1: Fri 10-09 now off, Sat 10-10 worked.
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 10)
    # The 20-day walk from Fri 09-18 loses 10-09 and ends a working day later: Fri 10-23.
    assert add_workdays(D(2026, 9, 18), 20) == D(2026, 10, 23)
    assert add_workdays_marked(D(2026, 9, 18), 20).provisional is False


@pytest.mark.django_db
def test_it_matches_the_package_day_for_day_with_the_official_2026_text(org):
    package = WorkdayCalendar()
    expected = [package.is_workday(D(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365)]
    workday_year_set(
        by=org.office,
        year=2026,
        notice="国务院办公厅关于2026年部分节假日安排的通知",
        days=_parsed(2026, OFFICIAL_2026),
    )
    portal = WorkdayCalendar()
    assert portal.year(2026).source == "portal"
    actual = [portal.is_workday(D(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365)]
    assert actual == expected


@pytest.mark.django_db
def test_it_replaces_the_package_year_instead_of_merging(org):
    workday_year_set(
        by=org.office, year=2026, notice="只录了一天", days=_parsed(2026, "2026-10-09 休 调休")
    )
    # Only what was entered counts: the package's 国庆节 no longer applies.
    assert is_workday(D(2026, 10, 1))
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 1)
    assert not is_workday(D(2026, 10, 9))


# --- pages -------------------------------------------------------------------------------


def test_it_opens_the_edit_page_for_the_office(org):
    response = client_for(org.office).get("/calendar/2027/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "录入2027年节假日安排" in html
    assert 'name="schedule"' in html


def test_it_prefills_the_edit_page_with_the_entered_schedule(org):
    _enter_2027(org.office)
    html = client_for(org.office).get("/calendar/2027/edit/").content.decode()
    assert "2027-02-20 班 春节调休" in html
    assert "国务院办公厅关于2027年部分节假日安排的通知" in html


def test_it_saves_the_offices_schedule_and_redirects_to_the_year(org):
    response = client_for(org.office).post(
        "/calendar/2027/edit/", {"notice": "国办发明电〔2026〕X号", "schedule": SCHEDULE_2027}
    )
    assert response.status_code == 302
    assert response["Location"] == "/calendar/2027/"
    schedule = WorkdayYear.objects.get(year=2027)
    assert schedule.notice == "国办发明电〔2026〕X号"
    assert schedule.exceptions.count() == 7
    assert schedule.exceptions.get(date=D(2027, 2, 20)).is_workday is True
    history = WorkdayYear.history.filter(year=2027)
    assert history.count() == 1
    assert history.get().history_user == org.office
    # Each day's creation is recorded too, and attributed to the clerk.
    assert WorkdayException.history.filter(history_type="+", history_user=org.office).count() == 7


def test_it_shows_the_saved_days_and_notice_on_the_year_page(org):
    client = client_for(org.office)
    client.post(
        "/calendar/2027/edit/", {"notice": "国办发明电〔2026〕X号", "schedule": SCHEDULE_2027}
    )
    response = client.get("/calendar/2027/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "国办发明电〔2026〕X号" in html
    assert "2027-02-20" in html
    assert "春节调休" in html
    assert "已保存2027年节假日安排" in html  # the success message
    assert "尚无2027年的官方节假日安排" not in html


def test_it_saves_nothing_when_one_line_is_bad(org):
    before = _counts()
    text = "2027-01-01 休 元旦\n2027-01-04 班 元旦调休\n2027-02-06 至 2027-02-12 休 春节"
    response = client_for(org.office).post(
        "/calendar/2027/edit/", {"notice": "通知", "schedule": text}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2行" in html
    assert "不能登记为调休上班" in html
    assert _counts() == before == (0, 0)
    assert not WorkdayYear.history.exists()


def test_it_leaves_an_entered_schedule_untouched_when_one_line_is_bad(org):
    _enter_2027(org.office)
    before = _counts()
    response = client_for(org.office).post(
        "/calendar/2027/edit/",
        {"notice": "新通知", "schedule": "2027-10-01 休 国庆节\n2027-02-30 休 x"},
    )
    assert response.status_code == 200
    assert "第2行的日期不存在" in response.content.decode()
    assert _counts() == before
    assert WorkdayYear.objects.get(year=2027).notice == "国务院办公厅关于2027年部分节假日安排的通知"
    assert not WorkdayException.objects.filter(date=D(2027, 10, 1)).exists()


def test_it_replaces_the_days_when_the_office_posts_again(org):
    client = client_for(org.office)
    client.post("/calendar/2027/edit/", {"notice": "通知", "schedule": SCHEDULE_2027})
    response = client.post(
        "/calendar/2027/edit/", {"notice": "通知", "schedule": "2027-10-01 休 国庆节"}
    )
    assert response.status_code == 302
    assert list(WorkdayException.objects.values_list("date", flat=True)) == [D(2027, 10, 1)]
    assert WorkdayYear.objects.filter(year=2027).count() == 1


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a", "outsider"])
def test_it_forbids_other_roles_to_edit_a_schedule(org, persona):
    _enter_2027(org.office)
    before = _counts()
    client = client_for(getattr(org, persona))
    assert client.get("/calendar/2027/edit/").status_code == 403
    response = client.post(
        "/calendar/2027/edit/", {"notice": "篡改", "schedule": "2027-10-01 休 x"}
    )
    assert response.status_code == 403
    response = client.post(
        "/calendar/2028/edit/", {"notice": "篡改", "schedule": "2028-10-02 休 x"}
    )
    assert response.status_code == 403
    assert _counts() == before
    assert WorkdayYear.objects.get().notice == "国务院办公厅关于2027年部分节假日安排的通知"


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a"])
def test_it_shows_other_roles_the_calendar_without_edit_links(org, persona):
    response = client_for(getattr(org, persona)).get("/calendar/")
    assert response.status_code == 200
    assert "/calendar/2027/edit/" not in response.content.decode()
    assert "/calendar/2027/edit/" in client_for(org.office).get("/calendar/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/calendar/", "/calendar/2027/", "/calendar/2027/edit/"])
def test_it_sends_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(url, {"notice": "x", "schedule": "2027-10-01 休 x"})
    assert response.status_code == 302
    assert not WorkdayYear.objects.exists()


def test_it_skips_the_national_day_week_in_the_calculator(org):
    response = client_for(org.member).get("/calendar/", {"start": "2026-09-30", "n": "1"})
    assert response.status_code == 200
    block = _result_block(response.content.decode())
    assert "2026年9月30日" in block
    assert "2026年10月8日" in block
    assert "暂定" not in block


def test_it_goes_backwards_in_the_calculator(org):
    response = client_for(org.member).get("/calendar/", {"start": "2026-10-08", "n": "-1"})
    assert "2026年9月30日" in _result_block(response.content.decode())


def test_it_marks_a_calculator_result_in_2027_provisional(org):
    # Sun 2026-12-20 +20 on weekends only: 12-21..25 (5), 12-28..31 (9), Fri 2027-01-01
    # (10), 01-04..08 (15), 01-11..15 (20).
    response = client_for(org.member).get("/calendar/", {"start": "2026-12-20", "n": "20"})
    block = _result_block(response.content.decode())
    assert "2027年1月15日" in block
    assert "暂定" in block


def test_it_recomputes_the_calculator_result_once_2027_is_entered(org):
    _enter_2027(org.office)
    # Same walk with 2027-01-01 off: the 20th working day moves to Mon 2027-01-18.
    response = client_for(org.member).get("/calendar/", {"start": "2026-12-20", "n": "20"})
    block = _result_block(response.content.decode())
    assert "2027年1月18日" in block
    assert "暂定" not in block


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-09-30", "n": "abc"},
        {"start": "2026-09-30", "n": "401"},
        {"start": "2026-09-30", "n": "-401"},
        {"start": "2026-09-30", "n": "1.5"},
        {"start": "2026-02-30", "n": "1"},
        {"start": "明天", "n": "1"},
    ],
)
def test_it_explains_bad_calculator_input_in_chinese(org, params):
    response = client_for(org.member).get("/calendar/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入1900至2100年间的有效日期，以及 -400 到 400 之间的工作日数。" in html
    assert 'id="workday-result"' not in html


@pytest.mark.parametrize(
    "params", [{"start": "9999-12-31", "n": "1"}, {"start": "0001-01-01", "n": "-1"}]
)
def test_it_explains_a_calculator_result_beyond_the_calendar_in_chinese(org, params):
    # A valid date and a valid n whose result does not exist must not be a server error.
    response = client_for(org.member).get("/calendar/", params)
    assert response.status_code == 200
    assert (
        "请输入1900至2100年间的有效日期，以及 -400 到 400 之间的工作日数。"
        in response.content.decode()
    )


def test_it_lists_package_and_provisional_years_on_the_calendar(org):
    with time_machine.travel(_shanghai(2026, 11, 22, 10), tick=False):
        html = client_for(org.member).get("/calendar/").content.decode()
    # 2025..2028 are shown; 2025 and 2026 come from the package, 2027 and 2028 are not known.
    assert html.count("chinesecalendar 数据") == 2
    assert html.count("暂定：仅按周末计算") == 2


def test_it_shows_package_days_and_the_provisional_warning_on_year_pages(org):
    html = client_for(org.member).get("/calendar/2026/").content.decode()
    assert "2026-09-25" in html
    assert "中秋节" in html
    assert "2026-09-20" in html
    assert "chinesecalendar" in html
    html = client_for(org.member).get("/calendar/2027/").content.decode()
    assert "尚无2027年的官方节假日安排" in html


# --- the missing_schedule todo -----------------------------------------------------------

TODO_2027 = "录入2027年节假日安排"


def test_it_asks_the_office_for_next_years_schedule_in_november(org):
    todos = todos_for(org.office, today=D(2026, 11, 22))
    mine = [t for t in todos if t.title == TODO_2027]
    assert len(mine) == 1
    assert mine[0].url == "/calendar/2027/edit/"
    assert mine[0].due == D(2027, 1, 1)
    assert mine[0].level == "warning"
    assert "暂定" in mine[0].detail


def test_it_shows_the_todo_on_the_offices_home_page_in_november(org):
    with time_machine.travel(_shanghai(2026, 11, 22, 10), tick=False):
        response = client_for(org.office).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert TODO_2027 in html
    assert "/calendar/2027/edit/" in html


def test_it_starts_the_todo_on_the_first_of_october(org):
    assert TODO_2027 not in _titles(org.office, D(2026, 9, 30))
    assert TODO_2027 in _titles(org.office, D(2026, 10, 1))
    assert TODO_2027 in _titles(org.office, D(2026, 12, 31))


def test_it_does_not_show_the_todo_in_september(org):
    with time_machine.travel(_shanghai(2026, 9, 15, 10), tick=False):
        html = client_for(org.office).get("/").content.decode()
        assert TODO_2027 not in _titles(org.office, timezone.localdate())
    assert TODO_2027 not in html


def test_it_drops_the_todo_once_2027_is_entered(org):
    assert TODO_2027 in _titles(org.office, D(2026, 11, 22))
    client = client_for(org.office)
    client.post("/calendar/2027/edit/", {"notice": "通知", "schedule": SCHEDULE_2027})
    assert TODO_2027 not in _titles(org.office, D(2026, 11, 22))
    with time_machine.travel(_shanghai(2026, 11, 22, 10), tick=False):
        html = client_for(org.office).get("/").content.decode()
    assert TODO_2027 not in html


def test_it_does_not_raise_the_todo_for_a_year_the_package_knows(org):
    assert not [t for t in todos_for(org.office, today=D(2025, 11, 22)) if "2026" in t.title]


@pytest.mark.parametrize("persona", ["leader", "deputy", "member", "commissioner_a", "outsider"])
def test_it_never_shows_the_todo_to_other_roles(org, persona):
    user = getattr(org, persona)
    for today in (D(2026, 10, 1), D(2026, 11, 22), D(2026, 12, 31)):
        assert TODO_2027 not in _titles(user, today)
    if persona != "outsider":  # a bare account cannot open the home page at all
        with time_machine.travel(_shanghai(2026, 11, 22, 10), tick=False):
            html = client_for(user).get("/").content.decode()
        assert TODO_2027 not in html


def test_it_keeps_asking_in_january_when_the_year_is_still_unknown(org):
    todos = [t for t in todos_for(org.office, today=D(2027, 1, 10)) if t.title == TODO_2027]
    assert len(todos) == 1
    assert todos[0].level == "danger"  # overdue: this year's dates are provisional now
    assert not [t for t in todos_for(org.leader, today=D(2027, 1, 10)) if t.title == TODO_2027]

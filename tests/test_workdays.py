"""The working-day calendar (portal/workdays.py): pure calendar behaviour.

Expected dates are the official State Council schedules, worked out by hand from the
notices and cross-checked against `chinese_calendar.get_holidays`/`get_workdays`
(chinesecalendar 1.11), never copied from the code under test:

2025  春节 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked;
      国庆+中秋 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) worked.
2026  春节 02-15..02-23 off, 02-14 (Sat) and 02-28 (Sat) worked;
      中秋 09-25 (Fri) off; 国庆 10-01..10-07 off, 09-20 (Sun) and 10-10 (Sat) worked.

The calendar reads the portal's entered schedules first, so even these tests touch
the (empty) database.
"""

from __future__ import annotations

import datetime as dt
import random

import chinese_calendar
import pytest

from portal.workdays import (
    WorkdayCalendar,
    add_workdays,
    add_workdays_marked,
    is_provisional,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


# An independent oracle: the package's own is_workday for the years it knows, weekends
# otherwise. Deliberately naive (one day at a time) so it shares nothing with the code.
def _oracle_is_workday(day: dt.date) -> bool:
    if 2004 <= day.year <= 2026:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _oracle_add(start: dt.date, n: int) -> dt.date:
    step = 1 if n >= 0 else -1
    day, found = start, 0
    while found < abs(n):
        day += dt.timedelta(days=step)
        if _oracle_is_workday(day):
            found += 1
    return day


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- the official schedules themselves --------------------------------------------------


def test_it_knows_the_2026_national_day_and_mid_autumn_schedule():
    # Cross-check the expectation against the package's own lists first.
    holidays = set(chinese_calendar.get_holidays(D(2026, 9, 19), D(2026, 10, 11)))
    workdays = set(chinese_calendar.get_workdays(D(2026, 9, 19), D(2026, 10, 11)))
    assert D(2026, 9, 25) in holidays
    assert set(_days(D(2026, 10, 1), D(2026, 10, 7))) <= holidays
    assert {D(2026, 9, 20), D(2026, 10, 10)} <= workdays

    assert not is_workday(D(2026, 9, 25))  # Friday, 中秋节
    assert D(2026, 9, 25).weekday() == 4
    for day in _days(D(2026, 10, 1), D(2026, 10, 7)):
        assert not is_workday(day), day
    assert is_workday(D(2026, 9, 20))  # Sunday worked
    assert D(2026, 9, 20).weekday() == 6
    assert is_workday(D(2026, 10, 10))  # Saturday worked
    assert D(2026, 10, 10).weekday() == 5
    assert is_workday(D(2026, 10, 8))
    assert is_workday(D(2026, 9, 30))
    assert not is_workday(D(2026, 9, 19))  # an ordinary Saturday
    assert not is_workday(D(2026, 10, 11))  # an ordinary Sunday


def test_it_knows_the_2026_spring_festival_schedule():
    for day in _days(D(2026, 2, 15), D(2026, 2, 23)):
        assert not is_workday(day), day
    assert is_workday(D(2026, 2, 14))  # Saturday worked
    assert is_workday(D(2026, 2, 28))  # Saturday worked
    assert is_workday(D(2026, 2, 13))
    assert is_workday(D(2026, 2, 24))


def test_it_knows_the_2025_spring_festival_and_national_day_schedules():
    for day in _days(D(2025, 1, 28), D(2025, 2, 4)):
        assert not is_workday(day), day
    assert is_workday(D(2025, 1, 26))  # Sunday worked
    assert is_workday(D(2025, 2, 8))  # Saturday worked
    for day in _days(D(2025, 10, 1), D(2025, 10, 8)):
        assert not is_workday(day), day
    assert is_workday(D(2025, 9, 28))  # Sunday worked
    assert is_workday(D(2025, 10, 11))  # Saturday worked


def test_it_agrees_with_the_package_on_every_day_from_2004_to_2026():
    calendar = WorkdayCalendar()
    wrong = [
        day
        for day in _days(D(2004, 1, 1), D(2026, 12, 31))
        if calendar.is_workday(day) != chinese_calendar.is_workday(day)
    ]
    assert wrong == []


def test_it_counts_248_working_days_in_2025_and_in_2026():
    # 2025: 261 weekdays - 18 weekday holidays + 5 worked weekend days = 248.
    # 2026: 261 weekdays - 19 weekday holidays + 6 worked weekend days = 248.
    assert workdays_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert workdays_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
    assert len(chinese_calendar.get_workdays(D(2026, 1, 1), D(2026, 12, 31))) == 248


def test_it_names_the_holidays_and_adjusted_days_in_chinese():
    calendar = WorkdayCalendar()
    assert calendar.day_name(D(2026, 10, 1)) == "国庆节"
    assert calendar.day_name(D(2026, 9, 25)) == "中秋节"
    assert calendar.day_name(D(2026, 2, 16)) == "春节"
    assert calendar.day_name(D(2026, 9, 20)) == "国庆节调休"
    assert calendar.day_name(D(2026, 2, 14)) == "春节调休"
    assert calendar.day_name(D(2026, 9, 30)) == ""


# --- add_workdays ------------------------------------------------------------------------


def test_it_skips_the_national_day_week_from_the_last_day_of_september():
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_it_counts_strictly_after_a_start_that_is_itself_a_holiday():
    assert add_workdays(D(2026, 10, 1), 1) == D(2026, 10, 8)
    assert add_workdays(D(2026, 10, 7), 1) == D(2026, 10, 8)
    assert add_workdays(D(2026, 9, 25), 1) == D(2026, 9, 28)  # from 中秋节 (Fri)


def test_it_counts_an_adjusted_sunday_as_the_next_working_day():
    assert add_workdays(D(2026, 9, 19), 1) == D(2026, 9, 20)
    assert add_workdays(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)  # adjusted Saturday


def test_it_finds_20_working_days_after_an_inspection_ending_2026_09_18():
    # Inspection ends Fri 2026-09-18; counting starts the day after:
    #   Sat 09-19 off; Sun 09-20 worked (调休) ........................ 1
    #   Mon 09-21 .. Thu 09-24 ....................................... 2-5
    #   Fri 09-25 中秋节 off; Sat 09-26, Sun 09-27 off
    #   Mon 09-28 .. Wed 09-30 ....................................... 6-8
    #   Thu 10-01 .. Wed 10-07 国庆节 off (7 days)
    #   Thu 10-08, Fri 10-09 ......................................... 9-10
    #   Sat 10-10 worked (调休) ........................................ 11
    #   Sun 10-11 off
    #   Mon 10-12 .. Fri 10-16 ....................................... 12-16
    #   Sat 10-17, Sun 10-18 off
    #   Mon 10-19 .. Thu 10-22 ....................................... 17-20
    # => Thu 2026-10-22. On weekends alone it would have been Fri 2026-10-16.
    assert add_workdays(D(2026, 9, 18), 20) == D(2026, 10, 22)
    assert workdays_between(D(2026, 9, 18), D(2026, 10, 22)) == 20
    assert len(chinese_calendar.get_workdays(D(2026, 9, 19), D(2026, 10, 22))) == 20


def test_it_handles_the_2026_spring_festival():
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)  # Fri -> worked Sat
    assert add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)  # whole break skipped
    assert add_workdays(D(2026, 2, 15), 1) == D(2026, 2, 24)  # start inside the break
    assert add_workdays(D(2026, 2, 27), 1) == D(2026, 2, 28)  # Fri -> worked Sat
    # Thu 02-12 +5: Fri 02-13, Sat 02-14, Tue 02-24, Wed 02-25, Thu 02-26.
    assert add_workdays(D(2026, 2, 12), 5) == D(2026, 2, 26)


def test_it_handles_the_2025_spring_festival_and_national_day():
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)  # Fri -> worked Sun
    assert add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)  # 01-28..02-04 off
    assert add_workdays(D(2025, 2, 7), 1) == D(2025, 2, 8)  # Fri -> worked Sat
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Fri -> worked Sun
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)  # 10-01..10-08 off
    assert add_workdays(D(2025, 10, 10), 1) == D(2025, 10, 11)  # Fri -> worked Sat
    # Tue 2025-09-30 +3: Thu 10-09, Fri 10-10, Sat 10-11 (worked).
    assert add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_it_goes_backwards_for_negative_n():
    assert add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_workdays(D(2026, 10, 4), -1) == D(2026, 9, 30)  # from inside the break
    assert add_workdays(D(2026, 9, 21), -1) == D(2026, 9, 20)  # worked Sunday
    assert add_workdays(D(2026, 9, 20), -1) == D(2026, 9, 18)  # Saturday skipped
    assert add_workdays(D(2026, 2, 24), -1) == D(2026, 2, 14)
    # 10-22 is itself a working day, so 19 back is the worked Sunday 09-20 and 20 back
    # is Fri 09-18 (see the 20-day walk above).
    assert add_workdays(D(2026, 10, 22), -19) == D(2026, 9, 20)
    assert add_workdays(D(2026, 10, 22), -20) == D(2026, 9, 18)


def test_it_returns_the_start_itself_for_zero():
    assert add_workdays(D(2026, 10, 1), 0) == D(2026, 10, 1)
    assert workdays_between(D(2026, 10, 1), D(2026, 10, 1)) == 0


def test_it_crosses_the_new_year_inside_the_package():
    # Wed 2025-12-31 +1: 2026-01-01 and 01-02 are 元旦, Sat 01-03 off, Sun 01-04 worked.
    assert add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert add_workdays(D(2026, 1, 4), -1) == D(2025, 12, 31)


# --- workdays_between --------------------------------------------------------------------


def test_it_counts_working_days_in_the_half_open_interval():
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert workdays_between(D(2026, 10, 1), D(2026, 10, 8)) == 1
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert workdays_between(D(2026, 9, 19), D(2026, 9, 20)) == 1  # end included
    assert workdays_between(D(2026, 9, 20), D(2026, 9, 21)) == 1  # start excluded


def test_it_counts_negatively_when_the_dates_are_reversed():
    assert workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert workdays_between(D(2026, 10, 22), D(2026, 9, 18)) == -20
    assert workdays_between(D(2026, 10, 7), D(2026, 10, 1)) == 0


def test_it_round_trips_add_workdays_and_workdays_between():
    calendar = WorkdayCalendar()
    checked = 0
    for start in _days(D(2025, 1, 1), D(2026, 10, 31)):
        for n in (1, 2, 3, 5, 7, 10, 20, 30):
            end = calendar.add_workdays(start, n).date
            assert end == _oracle_add(start, n), (start, n)
            assert end > start
            assert calendar.is_workday(end), (start, n)
            assert calendar.workdays_between(start, end) == n, (start, n)
            assert calendar.workdays_between(end, start) == -n, (start, n)
            # Going back n from the result lands on the last working day <= start.
            back = calendar.add_workdays(end, -n).date
            assert back == (start if calendar.is_workday(start) else _oracle_add(start, -1))
            checked += 1
    assert checked == 669 * 8


def test_it_goes_backwards_like_the_oracle():
    calendar = WorkdayCalendar()
    for start in _days(D(2025, 3, 1), D(2026, 12, 31)):
        for n in (1, 4, 20):
            back = calendar.add_workdays(start, -n).date
            assert back == _oracle_add(start, -n), (start, n)
            assert back < start
            # Working days in (back, start]: the n-1 in between, plus start if worked.
            expected = n - 1 + (1 if calendar.is_workday(start) else 0)
            assert calendar.workdays_between(back, start) == expected, (start, n)
            assert calendar.workdays_between(start, back) == -expected, (start, n)


def test_it_is_monotonic_in_n():
    for start in (D(2026, 9, 18), D(2026, 10, 1), D(2025, 1, 25)):
        results = [add_workdays(start, n) for n in range(-15, 16)]
        assert results == sorted(results)
        assert len(set(results)) == len(results)


# --- provisional years -------------------------------------------------------------------


def test_it_computes_2027_on_weekends_only_and_marks_it_provisional():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 3, 1))  # the package does not know 2027
    # Mon 2027-03-01 +5 on weekends only: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8.
    result = add_workdays_marked(D(2027, 3, 1), 5)
    assert result.date == D(2027, 3, 8)
    assert result.provisional is True
    assert is_provisional(D(2027, 6, 1)) is True
    assert is_workday(D(2027, 1, 1))  # Friday; 元旦 unknown so far
    assert not is_workday(D(2027, 1, 2))
    # 2027 has 261 weekdays and, with no schedule, every one of them counts.
    assert workdays_between(D(2026, 12, 31), D(2027, 12, 31)) == 261


def test_it_marks_a_computation_crossing_into_2027_as_provisional():
    # Wed 2026-12-30 +5: Thu 12-31, Fri 2027-01-01 (weekends only), Mon 01-04, Tue 01-05,
    # Wed 01-06.
    result = add_workdays_marked(D(2026, 12, 30), 5)
    assert result.date == D(2027, 1, 6)
    assert result.provisional is True


def test_it_does_not_mark_a_computation_entirely_in_2026():
    result = add_workdays_marked(D(2026, 9, 30), 1)
    assert result.date == D(2026, 10, 8)
    assert result.provisional is False
    # Up to the last day of 2026 without stepping into 2027.
    result = add_workdays_marked(D(2026, 12, 30), 1)
    assert result.date == D(2026, 12, 31)
    assert result.provisional is False
    assert is_provisional(D(2026, 12, 31)) is False


def test_it_marks_a_backward_computation_through_2027_as_provisional():
    # Mon 2027-01-04 -2: Fri 2027-01-01 (only a working day if 元旦 is ignored), then
    # Thu 2026-12-31. The result depends on 2027's unknown schedule.
    result = add_workdays_marked(D(2027, 1, 4), -2)
    assert result.date == D(2026, 12, 31)
    assert result.provisional is True


def test_it_marks_years_before_the_package_as_provisional():
    assert is_provisional(D(2003, 6, 1)) is True
    assert is_provisional(D(2004, 6, 1)) is False


def test_it_says_whether_a_span_touches_a_provisional_year():
    calendar = WorkdayCalendar()
    assert calendar.is_provisional(D(2026, 1, 1), D(2026, 12, 31)) is False
    assert calendar.is_provisional(D(2026, 12, 30), D(2027, 1, 6)) is True
    assert calendar.is_provisional(D(2027, 1, 6), D(2026, 12, 30)) is True  # reversed
    assert calendar.is_provisional(D(2025, 1, 1), D(2026, 12, 31)) is False


# Loading ----------------------------------------------------------------------------------


def test_it_reads_every_entered_year_in_one_query_whatever_the_years_asked(
    org, django_assert_num_queries
):
    """A page whose rows fall in years far apart (an overdue deadline of 2023, a due date
    in 2030) reads the calendar once: the bench's home page made one more query at
    scale 1 than at 0.1 when its to-dos reached a year beyond the first one's
    neighbours."""
    from portal.forms import ScheduleLine
    from portal.services import workday_year_set

    workday_year_set(
        by=org.office,
        year=2030,
        notice="国务院办公厅关于2030年部分节假日安排的通知",
        days=[ScheduleLine(D(2030, 1, 1), False, "元旦")],
    )
    calendar = WorkdayCalendar()
    with django_assert_num_queries(1):
        assert not calendar.is_workday(D(2023, 10, 2))  # the package: 国庆节
        assert not calendar.is_workday(D(2030, 1, 1))  # entered, four years on
        assert calendar.is_workday(D(2035, 1, 1))  # weekends only: a Monday
        calendar.preload(range(2000, 2040))
    assert calendar.year(2030).source == "portal"


def test_it_loads_a_year_and_its_neighbours_in_one_query(org, django_assert_num_queries):
    from portal.forms import ScheduleLine
    from portal.services import workday_year_set

    workday_year_set(
        by=org.office,
        year=2027,
        notice="国务院办公厅关于2027年部分节假日安排的通知",
        days=[
            ScheduleLine(D(2027, 1, 1), False, "元旦"),
            ScheduleLine(D(2027, 2, 7), True, "春节调休"),
        ],
    )
    calendar = WorkdayCalendar()
    with django_assert_num_queries(1):
        assert not calendar.is_workday(dt.date(2027, 1, 1))  # entered by the office
        assert calendar.is_workday(dt.date(2027, 2, 7))  # an adjusted Sunday
        assert not calendar.is_workday(dt.date(2026, 10, 1))  # the package
        assert not calendar.is_workday(dt.date(2028, 1, 1))  # weekends only: a Saturday
    assert calendar.year(2027).source == "portal"
    assert calendar.year(2028).provisional


def test_it_shares_one_calendar_within_a_request_and_none_across_requests(rf):
    from portal.workdays import WorkdayCalendarMiddleware, current_calendar

    seen: list[WorkdayCalendar] = []

    def view(request):
        seen.extend([current_calendar(), current_calendar()])
        return None

    middleware = WorkdayCalendarMiddleware(view)
    middleware(rf.get("/"))
    middleware(rf.get("/"))
    assert seen[0] is seen[1] and seen[2] is seen[3]
    assert seen[0] is not seen[2]
    assert current_calendar() is not current_calendar()  # outside a request: fresh each time


def test_it_counts_working_days_between_any_two_dates_as_the_oracle_does():
    """`workdays_between` reads each year's running count instead of walking the days:
    against the naive count, across years, leap days, holidays and provisional years,
    in both directions."""
    rng = random.Random(7)
    days = _days(D(2023, 12, 25), D(2028, 1, 5))
    pairs = [(rng.choice(days), rng.choice(days)) for _ in range(300)]
    pairs += [(D(2024, 2, 28), D(2024, 3, 1)), (D(2026, 12, 31), D(2027, 1, 1))]
    calendar = WorkdayCalendar()
    for start, end in pairs:
        low, high = sorted((start, end))
        naive = sum(_oracle_is_workday(d) for d in _days(low, high) if d != low)
        assert calendar.workdays_between(start, end) == (naive if start <= end else -naive)

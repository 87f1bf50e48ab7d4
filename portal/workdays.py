"""Working days on the official Chinese calendar.

A date is a working day unless it is a weekend or a public holiday, except that an
adjusted working day (调休) on a weekend is worked. Three sources, by precedence:

1. A schedule the office entered in the portal for that year (`WorkdayYear`), copied
   from the State Council's notice. It replaces everything else for that year.
2. The chinesecalendar package, which knows 2004 to 2026.
3. Weekends only. Such a year is *provisional*: every date computed through it is
   marked so in the UI and recomputed once the year's schedule is entered.

"N working days after D" is the N-th working day strictly after D, even when D itself
is not a working day. `workdays_between(a, b)` counts working days d with a < d <= b,
so that `workdays_between(d, add_workdays(d, n)) == n`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import chinese_calendar

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

Source = Literal["portal", "package", "weekends"]

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# Years the package knows (it raises NotImplementedError outside them).
_PACKAGE_YEARS = frozenset(d.year for d in chinese_calendar.holidays)


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: Source
    days_off: frozenset[dt.date]  # weekdays that are holidays
    days_on: frozenset[dt.date]  # weekend days that are worked (调休)
    names: dict[dt.date, str]

    @property
    def provisional(self) -> bool:
        return self.source == "weekends"

    def is_workday(self, day: dt.date) -> bool:
        if day in self.days_on:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    @cached_property
    def _running(self) -> tuple[int, ...]:
        """Working days from 1 January through each day of the year (by day of year)."""
        counts: list[int] = []
        worked = 0
        day = dt.date(self.year, 1, 1)
        while day.year == self.year:
            worked += self.is_workday(day)
            counts.append(worked)
            day += dt.timedelta(days=1)
        return tuple(counts)

    def workdays_through(self, day: dt.date) -> int:
        """Working days from 1 January through `day` (inclusive) of this year."""
        return self._running[day.toordinal() - dt.date(self.year, 1, 1).toordinal()]

    @property
    def workdays_total(self) -> int:
        return self._running[-1]


@dataclass(frozen=True)
class ComputedDate:
    """A date computed on the calendar, and whether any year it crossed is provisional."""

    date: dt.date
    provisional: bool


def _package_schedule(year: int) -> YearSchedule:
    off: set[dt.date] = set()
    on: set[dt.date] = set()
    names: dict[dt.date, str] = {}
    for day, holiday in chinese_calendar.holidays.items():
        if day.year == year and day.weekday() < 5:
            off.add(day)
            names[day] = _HOLIDAY_NAMES.get(str(holiday), str(holiday))
    for day, holiday in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            on.add(day)
            names[day] = f"{_HOLIDAY_NAMES.get(str(holiday), str(holiday))}调休"
    return YearSchedule(year, "package", frozenset(off), frozenset(on), names)


class WorkdayCalendar:
    """Loads the schedules the office entered once (one query, every year: a few dozen
    rows a year) and answers from memory; the years not entered come from the bundled
    data or weekends, without a query. So a page reads the calendar once whatever the
    years its rows fall in.

    Make one per unit of work (a request, a scan); it does not see schedules entered
    after it first loaded.
    """

    def __init__(self) -> None:
        self._years: dict[int, YearSchedule] = {}
        self._entered: dict[int, YearSchedule] | None = None

    def _load_entered(self) -> dict[int, YearSchedule]:
        if self._entered is None:
            from portal.models import WorkdayYear

            found: dict[int, tuple[set[dt.date], set[dt.date], dict[dt.date, str]]] = {}
            # A left join: a year the office entered with no exceptions is a row of Nones.
            rows = WorkdayYear.objects.values_list(
                "year", "exceptions__date", "exceptions__is_workday", "exceptions__name"
            )
            for year, day, is_workday, name in rows:
                off, on, names = found.setdefault(year, (set(), set(), {}))
                if day is None:
                    continue
                (on if is_workday else off).add(day)
                names[day] = name
            self._entered = {
                year: YearSchedule(year, "portal", frozenset(off), frozenset(on), names)
                for year, (off, on, names) in found.items()
            }
        return self._entered

    def preload(self, years: range | set[int]) -> None:
        """Make the `years` ready (the entered schedules are read once, on first use)."""
        for year in years:
            self.year(year)

    def year(self, year: int) -> YearSchedule:
        if year not in self._years:
            entered = self._load_entered()
            if year in entered:
                self._years[year] = entered[year]
            elif year in _PACKAGE_YEARS:
                self._years[year] = _package_schedule(year)
            else:
                self._years[year] = YearSchedule(year, "weekends", frozenset(), frozenset(), {})
        return self._years[year]

    def is_workday(self, day: dt.date) -> bool:
        return self.year(day.year).is_workday(day)

    def day_name(self, day: dt.date) -> str:
        return self.year(day.year).names.get(day, "")

    def add_workdays(self, start: dt.date, n: int) -> ComputedDate:
        """The n-th working day strictly after `start` (before it, for negative n)."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        provisional = self.year(start.year).provisional
        while remaining:
            day += dt.timedelta(days=step)
            schedule = self.year(day.year)
            provisional = provisional or schedule.provisional
            if schedule.is_workday(day):
                remaining -= 1
        return ComputedDate(day, provisional)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        # By each year's running count, not day by day: a deadline overdue for two years
        # is counted in three lookups (the to-do lists count every row's days).
        first, last = self.year(start.year), self.year(end.year)
        if start.year == end.year:
            return last.workdays_through(end) - first.workdays_through(start)
        between = sum(self.year(y).workdays_total for y in range(start.year + 1, end.year))
        return (
            first.workdays_total
            - first.workdays_through(start)
            + between
            + last.workdays_through(end)
        )

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        low, high = sorted((start, end))
        return any(self.year(y).provisional for y in range(low.year, high.year + 1))


_request_calendar: ContextVar[WorkdayCalendar | None] = ContextVar("workday_calendar", default=None)


def current_calendar() -> WorkdayCalendar:
    """The calendar of the request being answered (set by `WorkdayCalendarMiddleware`,
    so the page, the navigation and the to-do providers of one request read the
    schedule once), or a fresh one outside a request."""
    return _request_calendar.get() or WorkdayCalendar()


class WorkdayCalendarMiddleware:
    """Gives each request one calendar, loaded lazily and dropped with the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_calendar.set(WorkdayCalendar())
        try:
            return self.get_response(request)
        finally:
            _request_calendar.reset(token)


def is_workday(day: dt.date) -> bool:
    return current_calendar().is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    return current_calendar().add_workdays(start, n).date


def add_workdays_marked(start: dt.date, n: int) -> ComputedDate:
    """Like `add_workdays`, and says whether the result is provisional."""
    return current_calendar().add_workdays(start, n)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return current_calendar().workdays_between(start, end)


def is_provisional(day: dt.date) -> bool:
    return current_calendar().year(day.year).provisional

"""Periods of period rules: calendar years ("2026") and the college's semesters
("2026-autumn", "2027-spring"), from ``settings.SEMESTER_STARTS``.

A semester runs from its start to the day before the next semester starts; it is named
after the year it starts in. With the default starts (autumn 1 September, spring
1 March) "2026-autumn" is 2026-09-01 to 2027-02-28 and "2027-spring" 2027-03-01 to
2027-08-31.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEMESTER_NAMES = {"autumn": gettext_lazy("秋季学期"), "spring": gettext_lazy("春季学期")}


@dataclass(frozen=True)
class Semester:
    key: str  # "2026-autumn"
    name: str  # "autumn"
    start: dt.date
    end: dt.date


def _starts() -> list[tuple[int, int, str]]:
    starts: dict[str, tuple[int, int]] = settings.SEMESTER_STARTS
    return sorted((month, day, name) for name, (month, day) in starts.items())


def _starts_around(year: int) -> list[tuple[dt.date, str]]:
    return [
        (dt.date(y, month, day), name)
        for y in (year - 1, year, year + 1)
        for month, day, name in _starts()
    ]


def semester_of(day: dt.date) -> Semester:
    """The semester `day` falls in."""
    starts = _starts_around(day.year)
    index = max(i for i, (start, _name) in enumerate(starts) if start <= day)
    start, name = starts[index]
    end = starts[index + 1][0] - dt.timedelta(days=1)
    return Semester(f"{start.year}-{name}", name, start, end)


def semester_by_key(key: str) -> Semester:
    """The semester named `key` ("2026-autumn"); ValueError if there is none."""
    year_text, _sep, name = key.partition("-")
    starts: dict[str, tuple[int, int]] = settings.SEMESTER_STARTS
    if not year_text.isdigit() or name not in starts:
        raise ValueError(f"not a semester: {key!r}")
    month, day = starts[name]
    return semester_of(dt.date(int(year_text), month, day))


def semester_label(key: str) -> str:
    semester = semester_by_key(key)
    name = SEMESTER_NAMES.get(semester.name, semester.name)
    return _("%(year)s年%(name)s") % {"year": semester.start.year, "name": name}


def year_label(key: str) -> str:
    return _("%(year)s年度") % {"year": key}


@dataclass(frozen=True)
class AcademicYear:
    key: str  # "2026-2027"
    start: dt.date
    end: dt.date


def _academic_start() -> tuple[int, int]:
    """The academic year starts with the autumn semester (or the earliest start)."""
    starts: dict[str, tuple[int, int]] = settings.SEMESTER_STARTS
    return starts.get("autumn") or min(starts.values())


def academic_year_of(day: dt.date) -> AcademicYear:
    """The academic year `day` falls in: from the autumn semester's start to the day
    before the next one's ("2026-2027" is 2026-09-01 to 2027-08-31 by default)."""
    month, first = _academic_start()
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    start = dt.date(year, month, first)
    end = dt.date(year + 1, month, first) - dt.timedelta(days=1)
    return AcademicYear(f"{year}-{year + 1}", start, end)


def academic_year_by_key(key: str) -> AcademicYear:
    """The academic year named `key` ("2026-2027"); ValueError if there is none."""
    first, _sep, second = key.partition("-")
    if not (first.isdigit() and second.isdigit()) or int(second) != int(first) + 1:
        raise ValueError(f"not an academic year: {key!r}")
    month, day = _academic_start()
    return academic_year_of(dt.date(int(first), month, day))


def academic_year_label(key: str) -> str:
    year = academic_year_by_key(key)
    return _("%(first)s—%(second)s学年") % {"first": year.start.year, "second": year.end.year}

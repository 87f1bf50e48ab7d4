"""The supervision board (督查督办一览): every open supervision case, admonition talk,
rectification, research-guidance report and research topic the user may see, with its
light, by unit and by month of its due date.

Each kind of record is a source: `source(user, today, yellow_until) -> list[BoardRow]`,
scoped by the app's own selector and read in one or two queries, so the board runs a
constant number of queries whatever the count; a new kind registers its own with
`register`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import research_selectors, supervision_selectors
from inspections import selectors as rectification_selectors
from inspections.models import Rectification, SupervisionCase
from portal.deadlines.display import LIGHT_TEXT
from portal.models import User
from portal.spreadsheets import build_xlsx

OFFICE_KEY = 0  # what the office owes (a case's report) is filed under the office
NO_DUE = "none"
LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2}


@dataclass(frozen=True)
class BoardRow:
    kind: str
    title: str
    url: str
    unit_id: int  # OFFICE_KEY for the office's own
    unit_name: str
    state: str
    due: dt.date | None = None
    provisional: bool = False
    light: str | None = None

    @property
    def month(self) -> str:
        return f"{self.due:%Y-%m}" if self.due else NO_DUE

    @property
    def sort_key(self) -> tuple[int, dt.date, str]:
        return (LIGHT_ORDER.get(self.light or "", 3), self.due or dt.date.max, self.title)


Source = Callable[[User | AnonymousUser, dt.date, dt.date], list[BoardRow]]
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def office_name() -> str:
    return _("领导小组办公室")


@register
def open_cases(user: User | AnonymousUser, today: dt.date, yellow: dt.date) -> list[BoardRow]:
    """Cases not closed: a plan being drafted or approved (no date yet), or an approved
    case with its report owed by the office: the office's and the leaders' to follow
    (a unit finds the cases inspecting it on its own page)."""
    if not supervision_selectors.sees_whole_case(user):
        return []
    rows = (
        supervision_selectors.cases_for_user(user)
        .filter(state__in=supervision_selectors.OPEN_STATES)
        .select_related("deadline")
        .order_by("-period_start", "-id")
    )
    return [
        BoardRow(
            kind=_("督查报告") if case.state == SupervisionCase.State.APPROVED else _("督查方案"),
            title=case.title,
            url=case.get_absolute_url(),
            unit_id=OFFICE_KEY,
            unit_name=office_name(),
            state=case.state_label,
            due=case.deadline.due if case.deadline and not case.deadline.is_closed else None,
            provisional=bool(case.deadline and case.deadline.due_provisional),
            light=case.deadline.light(today, yellow) if case.deadline else None,
        )
        for case in rows
    ]


@register
def open_admonitions(user: User | AnonymousUser, today: dt.date, yellow: dt.date) -> list[BoardRow]:
    rows = (
        rectification_selectors.admonitions_for_user(user)
        .filter(state__in=rectification_selectors.OPEN_ADMONITION_STATES)
        .select_related("unit", "deadline")
        .order_by("-proposed_on", "-id")
    )
    return [
        BoardRow(
            kind=_("通报约谈"),
            title=_("%(unit)s通报约谈") % {"unit": row.unit.name},
            url=row.get_absolute_url(),
            unit_id=row.unit_id,
            unit_name=row.unit.name,
            state=row.state_label,
            due=row.deadline.due if row.deadline and not row.deadline.is_closed else None,
            provisional=bool(row.deadline and row.deadline.due_provisional),
            light=row.deadline.light(today, yellow) if row.deadline else None,
        )
        for row in rows
    ]


@register
def open_rectifications(
    user: User | AnonymousUser, today: dt.date, yellow: dt.date
) -> list[BoardRow]:
    rows = (
        rectification_selectors.rectifications_for_user(user)
        .filter(state=Rectification.State.OPEN)
        .select_related("unit", "deadline")
        .order_by("-opened_on", "-id")
    )
    return [
        BoardRow(
            kind=_("整改"),
            title=row.title,
            url=row.get_absolute_url(),
            unit_id=row.unit_id,
            unit_name=row.unit.name,
            state=row.state_label,
            due=row.deadline.due if row.deadline else None,
            provisional=bool(row.deadline and row.deadline.due_provisional),
            light=row.deadline.light(today, yellow) if row.deadline else None,
        )
        for row in rows
    ]


@register
def open_research(user: User | AnonymousUser, today: dt.date, yellow: dt.date) -> list[BoardRow]:
    """Research-guidance visits whose report is not yet with the group (the office's),
    and research topics in progress, under the unit taking them (itself or through its
    figure). Two queries."""
    visits = (
        research_selectors.visits_for_user(user)
        .filter(state__in=research_selectors.OPEN_VISIT_STATES)
        .select_related("deadline")
        .order_by("-year", "-id")
    )
    topics = (
        research_selectors.topics_for_user(user)
        .filter(state__in=research_selectors.OPEN_TOPIC_STATES)
        .select_related("unit", "person__unit", "deadline")
        .order_by("-year", "-id")
    )
    rows = [
        BoardRow(
            kind=_("调研指导"),
            title=_("%(year)s年调研指导") % {"year": visit.year},
            url=visit.get_absolute_url(),
            unit_id=OFFICE_KEY,
            unit_name=office_name(),
            state=visit.state_label,
            due=visit.deadline.due if visit.deadline and not visit.deadline.is_closed else None,
            provisional=bool(visit.deadline and visit.deadline.due_provisional),
            light=visit.deadline.light(today, yellow) if visit.deadline else None,
        )
        for visit in visits
        if supervision_selectors.sees_whole_case(user)  # the office's report to make
    ]
    for topic in topics:
        unit = topic.unit or (topic.person.unit if topic.person else None)
        rows.append(
            BoardRow(
                kind=_("调研课题"),
                title=topic.title,
                url=topic.get_absolute_url(),
                unit_id=unit.pk if unit else OFFICE_KEY,
                unit_name=unit.name if unit else office_name(),
                state=topic.state_label,
                due=topic.deadline.due if topic.deadline and not topic.deadline.is_closed else None,
                provisional=bool(topic.deadline and topic.deadline.due_provisional),
                light=topic.deadline.light(today, yellow) if topic.deadline else None,
            )
        )
    return rows


def board_rows(user: User | AnonymousUser, today: dt.date, yellow: dt.date) -> list[BoardRow]:
    """Every source's rows, the most urgent first."""
    rows = [row for source in _SOURCES for row in source(user, today, yellow)]
    return sorted(rows, key=lambda row: row.sort_key)


@dataclass
class Cell:
    count: int = 0
    lights: Counter[str] = field(default_factory=Counter)

    @property
    def worst(self) -> str | None:
        for light in ("red", "yellow", "green"):
            if self.lights[light]:
                return light
        return None


@dataclass
class Pivot:
    """Units × months: how many open items each unit has due each month, and the worst
    light among them."""

    units: list[tuple[int, str]]
    months: list[str]
    cells: dict[tuple[int, str], Cell]
    unit_totals: dict[int, Cell]

    def cell(self, unit_id: int, month: str) -> Cell | None:
        return self.cells.get((unit_id, month))

    def table(self) -> list[tuple[int, str, list[tuple[str, Cell | None]], Cell]]:
        """The rows a template walks: (unit id, name, [(month, cell or None)], total)."""
        return [
            (
                unit_id,
                name,
                [(month, self.cell(unit_id, month)) for month in self.months],
                self.unit_totals[unit_id],
            )
            for unit_id, name in self.units
        ]


def pivot(rows: Iterable[BoardRow]) -> Pivot:
    cells: dict[tuple[int, str], Cell] = {}
    totals: dict[int, Cell] = {}
    names: dict[int, str] = {}
    for row in rows:
        names[row.unit_id] = row.unit_name
        cell = cells.setdefault((row.unit_id, row.month), Cell())
        for bucket in (cell, totals.setdefault(row.unit_id, Cell())):
            bucket.count += 1
            if row.light:
                bucket.lights[row.light] += 1
    months = sorted({month for _unit, month in cells if month != NO_DUE})
    if any(month == NO_DUE for _unit, month in cells):
        months.append(NO_DUE)
    units = sorted(
        names.items(),
        key=lambda item: (
            LIGHT_ORDER.get(totals[item[0]].worst or "", 3),
            -totals[item[0]].count,
            item[1],
        ),
    )
    return Pivot(units=units, months=months, cells=cells, unit_totals=totals)


HEADERS_AND_WIDTHS = (
    (gettext_lazy("类别"), 10),
    (gettext_lazy("事项"), 36),
    (gettext_lazy("单位"), 20),
    (gettext_lazy("状态"), 12),
    (gettext_lazy("期限"), 12),
    (gettext_lazy("暂定"), 6),
    (gettext_lazy("时限情况"), 10),
    (gettext_lazy("月份"), 10),
)


def board_xlsx(rows: Iterable[BoardRow]) -> bytes:
    return build_xlsx(
        title=_("督查督办一览"),
        headers=[str(header) for header, _width in HEADERS_AND_WIDTHS],
        rows=[
            [
                row.kind,
                row.title,
                row.unit_name,
                row.state,
                row.due,
                _("是") if row.provisional else "",
                str(LIGHT_TEXT[row.light]) if row.light else "",
                row.month if row.due else _("无期限"),
            ]
            for row in rows
        ],
        widths=[width for _header, width in HEADERS_AND_WIDTHS],
    )

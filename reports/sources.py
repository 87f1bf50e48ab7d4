"""What can fill a section of the annual report (从…生成). An app registers a source
from its `AppConfig.ready()`; the report's page offers one button per source:

    from reports.sources import Source, register

    register(Source(key="meetings", label=_("从会议记录生成"),
                    heading=lambda year: f"{year}年领导小组会议情况",
                    build=lambda year: "…"))  # the section's body, paragraphs by blank lines

The work points are registered by this app (`reports.apps`); meetings will add theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    """A number the section states, with the list of the records it counts: the report's
    page links each figure to its list, so the office can check it before signing."""

    label: str  # “召开领导小组会议”
    value: int
    unit: str  # the measure word: “次”, “项”, “篇”
    url: str  # the list, filtered to exactly what was counted


@dataclass(frozen=True)
class Source:
    key: str
    label: str | Promise  # the button: “从工作要点生成”
    heading: Callable[[int], str]  # the section's title for a year
    build: Callable[[int], str]  # the section's body for a year ("" when nothing to say)
    figures: Callable[[int], list[Figure]] | None = None  # the numbers the body states


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def get(key: str) -> Source | None:
    return _SOURCES.get(key)


def all_sources() -> list[Source]:
    return list(_SOURCES.values())


# The work points: each item's final status ---------------------------------------------


def work_points_heading(year: int) -> str:
    return f"{year}年工作要点落实情况"


def work_points_body(year: int) -> str:
    """One paragraph per item: its number and title, final percentage, lead unit and the
    latest report, in the order of the plan; a closing count."""
    import datetime as dt

    from django.http import Http404

    from groups.models import Light
    from groups.selectors import get_plan, year_end

    try:
        plan = get_plan(year)
    except Http404:
        return ""
    rows = year_end(plan, today=dt.date(year, 12, 31))  # the year as a whole
    paragraphs = []
    for row in rows:
        item, status = row.status.item, row.status
        percent = f"完成{status.percent}%" if status.percent is not None else "未报告进展"
        latest = status.outcome.strip().rstrip("。") if status.outcome else ""
        text = f"{item.number}.{item.title.rstrip('。')}（{row.units[0].unit.name}牵头）：{percent}"
        paragraphs.append(f"{text}。{latest}。" if latest else f"{text}。")
    done = sum(1 for row in rows if row.status.light == Light.DONE)
    if rows:
        paragraphs.append(
            f"《{plan.title}》共{len(rows)}项，已完成{done}项，"
            f"其余{len(rows) - done}项结转下一年度继续推进。"
        )
    return "\n\n".join(paragraphs)

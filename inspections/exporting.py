"""The rectifications list (整改落实) and the research topics list (调研课题) as registered
exports (`portal.exports`): each list view and its export build their rows with the
same `*_filter_for(user, params)` here, the list's selector (its scope) under its
filter on the request's query.

The supervision board (督查督办一览) keeps its own builder (`inspections.board`): its
rows are gathered from several kinds of record and filtered in Python, not one
queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import research_selectors
from inspections import selectors as rectification_selectors
from inspections.models import Measure, Rectification, ResearchTopic
from portal import exports
from portal.deadlines.display import LIGHT_TEXT, yellow_until
from portal.permissions import has_role
from portal.workdays import current_calendar

CHUNK = 500


def _active_with(*roles: str) -> Any:
    def allowed(user: Any) -> bool:
        return bool(getattr(user, "is_active", False)) and has_role(user, *roles)

    return allowed


def _light_text(deadline: Any, today: Any, yellow: Any) -> str:
    light = deadline.light(today, yellow) if deadline else None
    return str(LIGHT_TEXT[light]) if light else ""


# Rectifications (整改落实) -----------------------------------------------------------


def rectification_filter_for(user: Any, params: QueryDict) -> QuerySet[Rectification]:
    """The list's rows (`rectification_rows`: the user's scope, the unit, the deadline,
    the measures counted) under its filters: 状态, 单位, and the year it was opened (which
    the annual report's figures link with)."""
    rows = rectification_selectors.rectification_rows(user)
    state = params.get("state", "")
    if state in Rectification.State.values:
        rows = rows.filter(state=state)
    year = params.get("year", "")
    if year.isdigit() and len(year) == 4:
        rows = rows.filter(opened_on__year=int(year))
    unit = params.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    return rows


def _rectification_rows(rectifications: Any) -> Any:
    """Each with its measures and their states: every exported rectification's measures
    in one query (a subquery of the rectifications), so the export's queries do not grow
    with its rows."""
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    by_rectification: dict[int, list[Measure]] = {}
    chosen = Measure.objects.filter(
        rectification_id__in=rectifications.order_by().values("pk")
    ).order_by("rectification_id", "position", "pk")
    for measure in chosen.iterator(chunk_size=2000):
        by_rectification.setdefault(measure.rectification_id, []).append(measure)
    for rectification in rectifications.iterator(chunk_size=CHUNK):
        measures = by_rectification.get(rectification.pk, [])
        accepted = sum(m.state == Measure.State.ACCEPTED for m in measures)
        deadline = rectification.deadline
        yield [
            rectification.opened_on,
            rectification.unit.name,
            rectification.title,
            rectification.source_label,
            rectification.problem,
            "\n".join(f"{m.position}. {m.text}（{m.state_label}）" for m in measures),
            f"{accepted}/{len(measures)}",
            rectification.state_label,
            deadline.due if deadline else None,
            _light_text(deadline, today, yellow),
            rectification.closed_on,
            rectification.conclusion,
        ]


def _declare_rectifications(user: Any) -> exports.Export:
    return exports.Export(
        name=_("整改落实"),
        title=_("整改落实"),
        columns=[
            (_("交办日期"), 12),
            (_("整改单位"), 20),
            (_("整改事项"), 30),
            (_("问题来源"), 10),
            (_("存在问题"), 40),
            (_("整改措施"), 50),
            (_("已核验/总数"), 10),
            (_("状态"), 8),
            (_("整改时限"), 12),
            (_("时限情况"), 10),
            (_("销号或撤销日期"), 12),
            (_("销号意见或撤销原因"), 30),
        ],
        rows=_rectification_rows,
    )


# Research topics (调研课题) -----------------------------------------------------------


def topic_filter_for(user: Any, params: QueryDict) -> QuerySet[ResearchTopic]:
    """The list's rows (`topic_rows`: the user's scope, with the unit, the figure, the
    work-points item and the deadline joined) under its filters: 年度, 状态, 承担单位."""
    rows = research_selectors.topic_rows(user)
    year = params.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    state = params.get("state", "")
    if state in ResearchTopic.State.values:
        rows = rows.filter(state=state)
    unit = params.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(Q(unit_id=int(unit)) | Q(person__unit_id=int(unit)))
    return rows


def _topic_rows(topics: Any) -> Any:
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    for topic in topics.iterator(chunk_size=CHUNK):
        deadline = topic.deadline
        item = topic.work_points_item
        origin = f"{item.number}. {item.title}" if item is not None else topic.origin
        yield [
            topic.year,
            topic.title,
            origin,
            topic.taker_name,
            topic.state_label,
            deadline.due if deadline else None,
            _light_text(deadline, today, yellow) if topic.state == "assigned" else "",
            topic.outcome_kind_label,
            topic.outcome,
            topic.completed_on,
            topic.sent_upward_on,
            topic.award,
        ]


def _declare_topics(user: Any) -> exports.Export:
    return exports.Export(
        name=_("调研课题"),
        title=_("调研课题"),
        columns=[
            (_("年度"), 8),
            (_("课题名称"), 30),
            (_("课题来源"), 24),
            (_("承担单位或承担人"), 20),
            (_("状态"), 8),
            (_("完成时限"), 12),
            (_("时限情况"), 10),
            (_("成果形式"), 10),
            (_("研究成果"), 40),
            (_("结题日期"), 12),
            (_("报上级部门日期"), 12),
            (_("获奖情况"), 24),
        ],
        rows=_topic_rows,
    )


exports.register(
    "rectifications",
    declare=_declare_rectifications,
    queryset=rectification_filter_for,
    allowed=_active_with(*rectification_selectors.RECTIFICATION_ROLES),
)
exports.register(
    "research_topics",
    declare=_declare_topics,
    queryset=topic_filter_for,
    allowed=_active_with(*research_selectors.TOPIC_ROLES),
)

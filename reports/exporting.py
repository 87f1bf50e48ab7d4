"""The experiences (经验做法) and information (统战信息) lists as registered exports
(`portal.exports`): each list view and its export build their rows with the same
`*_filter_for(user, params)` here, the list's selector (its scope: a commissioner their
own unit's and the units under it) under its filter on the request's query.

Neither detail page hides a field from a role that may open it (the return reason, the
reason an experience was not selected and every date are on the page for all its
readers), so the workbooks have the same columns for every role; the scope is the
list's. The per-unit counts of information (信息编报统计) keep their own workbook
(`reports.upward_exports`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal import exports
from reports import upward_selectors as selectors
from reports.models import Experience, InformationReport

CHUNK = 500  # rows a server-side cursor fetches at a time


_allowed = exports.allowed_for(*selectors.READERS)


def _state_unit(rows: QuerySet[Any], params: QueryDict, states: Any) -> QuerySet[Any]:
    state = params.get("state", "")
    if state in states.values:
        rows = rows.filter(state=state)
    unit = params.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    return rows


# Experiences (经验做法) ----------------------------------------------------------------


def experience_filter_for(user: Any, params: QueryDict) -> QuerySet[Experience]:
    """The list's rows (`experience_rows`: the user's scope, newest first) under its
    filters: 状态 and 单位."""
    rows: QuerySet[Experience] = _state_unit(
        selectors.experience_rows(user), params, Experience.State
    )
    return rows


def _experience_rows(experiences: Any) -> Any:
    rows = experiences.select_related("unit", "created_by__person")
    for e in rows.iterator(chunk_size=CHUNK):
        yield [
            exports.local_date(e.created_at),
            e.title,
            e.unit.name,
            e.state_label,
            e.summary,
            e.created_by.display_name,
            exports.local_date(e.submitted_at),
            e.not_selected_reason,
            e.reported_on,
            e.reported_to,
            e.published_outlet,
            e.published_on,
            e.speech_meeting,
            e.speech_on,
        ]


def _declare_experiences(user: Any) -> exports.Export:
    return exports.Export(
        name=_("经验做法"),
        title=_("经验做法"),
        columns=[
            (_("登记日期"), 12),
            (_("标题"), 36),
            (_("单位"), 24),
            (_("状态"), 10),
            (_("摘要"), 40),
            (_("登记人"), 10),
            (_("报送办公室日期"), 14),
            (_("未入选原因"), 30),
            (_("报送上级日期"), 14),
            (_("报送单位"), 20),
            (_("刊发载体"), 20),
            (_("刊发日期"), 12),
            (_("交流发言会议"), 24),
            (_("交流发言日期"), 14),
        ],
        rows=_experience_rows,
    )


# Information (统战信息) ----------------------------------------------------------------


def information_filter_for(user: Any, params: QueryDict) -> QuerySet[InformationReport]:
    """The list's rows (`information_rows`: the user's scope, newest first) under its
    filters: 年度, 状态 and 单位."""
    rows: QuerySet[InformationReport] = _state_unit(
        selectors.information_rows(user), params, InformationReport.State
    )
    year = params.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    return rows


def _information_rows(reports: Any) -> Any:
    rows = reports.select_related("unit", "created_by__person")
    for r in rows.iterator(chunk_size=CHUNK):
        yield [
            r.year,
            r.title,
            r.unit.name,
            r.state_label,
            r.created_by.display_name,
            exports.local_date(r.created_at),
            exports.local_date(r.submitted_at),
            r.return_reason,
            r.sent_on,
            r.sent_to,
            r.adoption_level_label,
            r.adoption_outlet,
            r.adopted_on,
        ]


def _declare_information(user: Any) -> exports.Export:
    return exports.Export(
        name=_("统战信息"),
        title=_("统战信息"),
        columns=[
            (_("年度"), 8),
            (_("标题"), 36),
            (_("单位"), 24),
            (_("状态"), 10),
            (_("登记人"), 10),
            (_("登记日期"), 12),
            (_("报送办公室日期"), 14),
            (_("退回原因"), 30),
            (_("报送上级日期"), 14),
            (_("报送对象"), 20),
            (_("采用层级"), 12),
            (_("采用载体"), 20),
            (_("采用日期"), 12),
        ],
        rows=_information_rows,
    )


exports.register(
    "experiences",
    url_name="experience_export",
    declare=_declare_experiences,
    queryset=experience_filter_for,
    allowed=_allowed,
)
exports.register(
    "information",
    url_name="information_export",
    declare=_declare_information,
    queryset=information_filter_for,
    allowed=_allowed,
)

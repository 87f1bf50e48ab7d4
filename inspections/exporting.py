"""The inspections lists as registered exports (`portal.exports`): rectifications
(整改落实), admonition talks (通报约谈), supervision cases (督促检查), research-guidance
visits (调研指导), their contact points (调研指导联系点) and research topics (调研课题).
Each list view and its export build
their rows with the same `*_filter_for(user, params)` here, the list's selector (its
scope) under its filter on the request's query.

A record's many related rows (a rectification's measures, an admonition's situations, a
case's units and items, a visit's units and rectifications) are read once for the whole
export, with the export's queryset as a subquery, so its queries do not grow with its
rows. What a role may not see stays out: a supervision case's approval and its report's
deadline are the office's and the leaders' (`sees_whole_case`), as on the case's page.

The supervision board (督查督办一览) keeps its own builder (`inspections.board`): its
rows are gathered from several kinds of record and filtered in Python, not one
queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import research_selectors, supervision_selectors
from inspections import selectors as rectification_selectors
from inspections.models import (
    Admonition,
    ContactPoint,
    Measure,
    Rectification,
    ResearchTopic,
    ResearchVisit,
    SupervisionCase,
)
from portal import exports
from portal.deadlines.display import LIGHT_TEXT, yellow_until
from portal.lib.queries import grouped_by
from portal.workdays import current_calendar

CHUNK = 500


def _light_text(deadline: Any, today: Any, yellow: Any) -> str:
    light = deadline.light(today, yellow) if deadline else None
    return str(LIGHT_TEXT[light]) if light else ""


def _state_filter(rows: QuerySet[Any], params: QueryDict, states: Any) -> QuerySet[Any]:
    state = params.get("state", "")
    return rows.filter(state=state) if state in states else rows


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
    by_rectification = grouped_by(
        rectifications,
        Measure.objects.order_by("rectification_id", "position", "pk"),
        "rectification_id",
    )
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


# Admonition talks (通报约谈) -------------------------------------------------------------


def admonition_filter_for(user: Any, params: QueryDict) -> QuerySet[Admonition]:
    """The list's rows (`admonition_rows`: the user's scope, with the unit and the
    deadline) under its filter: 状态."""
    return _state_filter(
        rectification_selectors.admonition_rows(user), params, Admonition.State.values
    )


def _admonition_rows(admonitions: Any) -> Any:
    """Each with its situations (约谈情形), all of them read in one query."""
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    through = Admonition.triggers.through.objects.order_by(
        "admonition_id", "admonitiontrigger__position", "admonitiontrigger_id"
    )
    triggers = grouped_by(admonitions, through, "admonition_id", "admonitiontrigger__name")
    for admonition in admonitions.iterator(chunk_size=CHUNK):
        deadline = admonition.deadline
        yield [
            admonition.proposed_on,
            admonition.unit.name,
            "\n".join(triggers.get(admonition.pk, [])),
            admonition.facts,
            admonition.partners,
            admonition.state_label,
            admonition.talk_on,
            admonition.participants,
            admonition.record,
            deadline.due if deadline else None,
            _light_text(deadline, today, yellow),
            admonition.reported_on,
            admonition.report,
            admonition.verdict_label,
            admonition.verdict_note,
            admonition.concluded_on,
        ]


def _declare_admonitions(user: Any) -> exports.Export:
    return exports.Export(
        name=_("通报约谈"),
        title=_("通报约谈"),
        columns=[
            (_("提出日期"), 12),
            (_("约谈单位"), 20),
            (_("约谈情形"), 40),
            (_("存在问题"), 40),
            (_("会同部门"), 16),
            (_("状态"), 12),
            (_("约谈日期"), 12),
            (_("参加人员"), 24),
            (_("约谈记录"), 40),
            (_("报送期限"), 12),
            (_("时限情况"), 10),
            (_("报送日期"), 12),
            (_("整改落实情况"), 40),
            (_("办理结论"), 12),
            (_("办理意见或撤回原因"), 30),
            (_("办结或撤回日期"), 12),
        ],
        rows=_admonition_rows,
    )


# Supervision cases (督促检查) ------------------------------------------------------------


def supervision_filter_for(user: Any, params: QueryDict) -> QuerySet[SupervisionCase]:
    """The list's rows (`case_rows`: the user's scope, with the deadline, the problems
    counted among the units the user may see) under its filter: 状态."""
    return _state_filter(
        supervision_selectors.case_rows(user), params, SupervisionCase.State.values
    )


def _case_rows(whole: bool) -> Any:
    def rows(cases: Any) -> Any:
        """Each with its units and items, all of them read in two queries. The plan
        (scope, units, items, working group) is on the case's page for whoever may open
        it; the approval and the report's deadline only for the office and the leaders
        (`whole`)."""
        today = timezone.localdate()
        yellow = yellow_until(today, current_calendar())
        units = grouped_by(
            cases,
            SupervisionCase.units.through.objects.order_by(
                "supervisioncase_id", "unit__sort_order", "unit__name", "unit_id"
            ),
            "supervisioncase_id",
            "unit__name",
        )
        items = grouped_by(
            cases,
            SupervisionCase.items.through.objects.order_by(
                "supervisioncase_id", "inspectionitem__position", "inspectionitem_id"
            ),
            "supervisioncase_id",
            "inspectionitem__name",
        )
        if whole:
            cases = cases.select_related("created_by__person", "approved_by__person")
        for case in cases.iterator(chunk_size=CHUNK):
            row: list[Any] = [
                case.title,
                case.period_start,
                case.period_end,
                "、".join(units.get(case.pk, [])),
                "\n".join([*items.get(case.pk, []), *case.local_item_lines()]),
                case.scope,
                case.team_lead,
                case.team,
                case.state_label,
                case.problem_count,
                case.open_problem_count,
                case.close_note,
            ]
            if whole:
                deadline = case.deadline
                approver = case.approved_by
                row += [
                    case.created_by.display_name,
                    approver.display_name if approver else "",
                    exports.local_date(case.approved_at),
                    case.approval_note,
                    deadline.due if deadline else None,
                    _light_text(deadline, today, yellow),
                ]
            yield row

    return rows


def _declare_cases(user: Any) -> exports.Export:
    """The approval and the report's deadline for the office and the leaders only."""
    whole = supervision_selectors.sees_whole_case(user)
    columns = [
        (_("督查名称"), 30),
        (_("督查开始日期"), 12),
        (_("督查结束日期"), 12),
        (_("被督查单位"), 30),
        (_("督查事项"), 40),
        (_("督查范围和内容"), 40),
        (_("工作组组长"), 12),
        (_("工作组成员"), 24),
        (_("状态"), 10),
        (_("发现问题"), 10),
        (_("未交办整改"), 10),
        (_("办结说明或撤销原因"), 30),
    ]
    if whole:
        columns += [
            (_("拟定人"), 10),
            (_("批准人"), 10),
            (_("批准日期"), 12),
            (_("批准意见"), 24),
            (_("督查报告期限"), 12),
            (_("时限情况"), 10),
        ]
    return exports.Export(
        name=_("督促检查"),
        title=_("督促检查"),
        columns=columns,
        rows=_case_rows(whole),
    )


# Contact points (调研指导联系点) -------------------------------------------------------------


def contact_point_filter_for(user: Any, params: QueryDict) -> QuerySet[ContactPoint]:
    """The list's rows (`contact_point_rows`: every contact point, for the office and
    the leaders) under its filter: 状态 (`?current=yes`: the current ones, `no`: those
    ended)."""
    rows = research_selectors.contact_point_rows(user)
    current = params.get("current", "")
    if current == "yes":
        rows = rows.filter(until__isnull=True)
    elif current == "no":
        rows = rows.filter(until__isnull=False)
    return rows


def _contact_point_rows(points: Any) -> Any:
    current, ended = _("现有联系点"), _("已撤销")
    for point in points.iterator(chunk_size=CHUNK):
        yield [
            point.unit.name,
            point.since,
            point.until,
            ended if point.until else current,
            point.contact.display_name if point.contact else "",
            point.note,
        ]


def _declare_contact_points(user: Any) -> exports.Export:
    return exports.Export(
        name=_("调研指导联系点"),
        title=_("调研指导联系点"),
        columns=[
            (_("联系点单位"), 30),
            (_("设立日期"), 12),
            (_("撤销日期"), 12),
            (_("状态"), 12),
            (_("办公室联系人"), 12),
            (_("备注"), 40),
        ],
        rows=_contact_point_rows,
    )


# Research-guidance visits (调研指导) -------------------------------------------------------


def visit_filter_for(user: Any, params: QueryDict) -> QuerySet[ResearchVisit]:
    """The list's rows (`visit_rows`: the user's scope, with the deadline) under its
    filter: 状态."""
    return _state_filter(research_selectors.visit_rows(user), params, ResearchVisit.State.values)


def _visit_rows(visits: Any) -> Any:
    """Each with its units and the rectifications it assigned, read in one query each
    (not the list's prefetch, which would run once a chunk)."""
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    units = grouped_by(
        visits,
        ResearchVisit.units.through.objects.order_by(
            "researchvisit_id", "unit__sort_order", "unit__name", "unit_id"
        ),
        "researchvisit_id",
        "unit__name",
    )
    assigned = grouped_by(
        visits,
        ResearchVisit.rectifications.through.objects.order_by(
            "researchvisit_id", "rectification__opened_on", "rectification_id"
        ),
        "researchvisit_id",
        "rectification__title",
        "rectification__unit__name",
    )
    for visit in visits.prefetch_related(None).iterator(chunk_size=CHUNK):
        deadline = visit.deadline
        ended = visit.state == ResearchVisit.State.ENDED
        yield [
            visit.year,
            visit.subject,
            "、".join(units.get(visit.pk, [])),
            visit.starts_on,
            visit.ends_on,
            visit.plan,
            visit.state_label,
            deadline.due if deadline and ended else None,
            _light_text(deadline, today, yellow) if ended else "",
            visit.findings,
            visit.report,
            visit.reported_on,
            visit.sent_upward_on,
            visit.sent_upward_to,
            visit.response,
            visit.cancel_reason,
            "\n".join(f"{title}（{unit}）" for title, unit in assigned.get(visit.pk, [])),
        ]


def _declare_visits(user: Any) -> exports.Export:
    return exports.Export(
        name=_("调研指导"),
        title=_("调研指导"),
        columns=[
            (_("年度"), 8),
            (_("调研主题"), 30),
            (_("调研单位"), 30),
            (_("开始日期"), 12),
            (_("结束日期"), 12),
            (_("调研方案"), 40),
            (_("状态"), 12),
            (_("报告期限"), 12),
            (_("时限情况"), 10),
            (_("调研发现"), 40),
            (_("调研指导报告"), 40),
            (_("报送领导小组日期"), 12),
            (_("报上级部门日期"), 12),
            (_("报送上级部门"), 20),
            (_("领导小组意见"), 30),
            (_("取消原因"), 20),
            (_("交办整改"), 30),
        ],
        rows=_visit_rows,
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
    url_name="rectification_export",
    declare=_declare_rectifications,
    queryset=rectification_filter_for,
    allowed=exports.allowed_for(*rectification_selectors.RECTIFICATION_ROLES),
)
exports.register(
    "admonitions",
    url_name="admonition_export",
    declare=_declare_admonitions,
    queryset=admonition_filter_for,
    allowed=exports.allowed_for(*rectification_selectors.ADMONITION_ROLES),
)
exports.register(
    "supervision_cases",
    url_name="supervision_export",
    declare=_declare_cases,
    queryset=supervision_filter_for,
    allowed=exports.allowed_for(*supervision_selectors.SUPERVISION_ROLES),
)
exports.register(
    "research_visits",
    url_name="research_visit_export",
    declare=_declare_visits,
    queryset=visit_filter_for,
    allowed=exports.allowed_for(*research_selectors.VISIT_ROLES),
)
exports.register(
    "research_topics",
    url_name="research_topic_export",
    declare=_declare_topics,
    queryset=topic_filter_for,
    allowed=exports.allowed_for(*research_selectors.TOPIC_ROLES),
)
exports.register(
    "contact_points",
    url_name="contact_point_export",
    declare=_declare_contact_points,
    queryset=contact_point_filter_for,
    allowed=exports.allowed_for(*research_selectors.CONTACT_POINT_ROLES),
)

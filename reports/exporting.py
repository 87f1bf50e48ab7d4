"""The reports' lists as registered exports (`portal.exports`): each list view and its
export build their rows with the same `*_filter_for(user, params)` here, the list's
selector (its scope) under its filter on the request's query.

- The experiences (经验做法) and information (统战信息): a commissioner their own unit's
  and the units under it. Neither detail page hides a field from a role that may open it
  (the return reason, the reason an experience was not selected and every date are on
  the page for all its readers), so the workbooks have the same columns for every role.
  The per-unit counts of information (信息编报统计) keep their own workbook
  (`reports.upward_exports`).
- The briefings (经验交流材料): the office, leaders and group members, every one.
- The review rounds (述职评议): a commissioner the rounds their unit reports in. The
  reports' counts (报送, 确认, 退回) are over all the round's units, as the list's
  已确认/参评单位, for every reader; the rating columns (测评方式, the grades counted) are
  in the workbook for the office, leaders and group members and filled for the rounds
  whose ratings the user may see (`sees_ratings`: the office and leaders always, members
  once locked), as on the round's page; a commissioner, who sees only their own unit's
  rating, gets none of them. A round's
  per-unit results keep their own workbook (`review_round_export`).
- The target statements (目标责任书): a commissioner their own units'.
- The annual reports (年度工作汇报) and inspection self-reports (督查汇报提纲): the office
  and leaders, every one. Who signed the document and when it was signed and issued
  are given once it is issued, as its reference (文号) is on the pages.

Related counts and lists are read once per export (annotated, or one query with the
export's rows as a subquery), so an export's queries do not grow with its rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal import exports
from portal.lib.queries import grouped_by
from portal.models import Role
from portal.permissions import has_role
from reports import review_selectors
from reports import selectors as drafted_selectors
from reports import upward_selectors as selectors
from reports.models import (
    AnnualReport,
    Briefing,
    BriefingEntry,
    Experience,
    Grade,
    InformationReport,
    InspectionSelfReport,
    PerformanceReport,
    Rating,
    ReviewRound,
    TargetStatement,
)

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


def _issued(record: Any) -> list[Any]:
    """签发人, 签发日期, 印发日期 of a record's issued document (blank before it is
    issued, as its 文号 is). Load `document__signer__person` with the record."""
    document = record.document
    if document is None or not document.is_issued:
        return ["", None, None]
    signer = document.signer
    return [
        signer.display_name if signer is not None else "",
        exports.local_date(document.signed_at),
        exports.local_date(document.issued_at),
    ]


_ISSUED_COLUMNS = [(_("签发人"), 10), (_("签发日期"), 12), (_("印发日期"), 12)]


# Briefings (经验交流材料) --------------------------------------------------------------


def briefing_filter_for(user: Any, params: QueryDict) -> QuerySet[Briefing]:
    """The list's rows (`briefing_rows`: every briefing for its readers, newest first,
    their experiences counted); the list has no filter."""
    return selectors.briefing_rows(user)


def _briefing_rows(briefings: Any) -> Any:
    """Each with the titles of the experiences it takes, in order: every exported
    briefing's entries in one query (the briefings as a subquery)."""
    entries = grouped_by(
        briefings,
        BriefingEntry.objects.order_by("briefing_id", "position"),
        "briefing_id",
        "experience__title",
        "experience__unit__name",
    )
    titles = {pk: [f"{title}（{unit}）" for title, unit in taken] for pk, taken in entries.items()}
    rows = briefings.select_related("created_by__person", "document__signer__person")
    for b in rows.iterator(chunk_size=CHUNK):
        taken = titles.get(b.pk, [])
        yield [
            b.title,
            b.entry_count,
            b.get_state_display(),
            b.reference,
            b.addressee,
            exports.local_date(b.created_at),
            b.created_by.display_name,
            *_issued(b),
            "\n".join(f"{n}. {title}" for n, title in enumerate(taken, start=1)),
        ]


def _declare_briefings(user: Any) -> exports.Export:
    return exports.Export(
        name=_("经验交流材料"),
        title=_("经验交流材料"),
        columns=[
            (_("标题"), 36),
            (_("收录经验数"), 10),
            (_("状态"), 10),
            (_("发文字号"), 18),
            (_("主送"), 24),
            (_("编印日期"), 12),
            (_("编印人"), 10),
            *_ISSUED_COLUMNS,
            (_("收录的经验做法"), 60),
        ],
        rows=_briefing_rows,
    )


# Review rounds (述职评议) --------------------------------------------------------------


def review_round_filter_for(user: Any, params: QueryDict) -> QuerySet[ReviewRound]:
    """The list's rows (`rounds_for_user`: a commissioner the rounds their unit reports
    in, the newest first, the units and the confirmed reports counted); the list has no
    filter."""
    return review_selectors.rounds_for_user(user)


GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.QUALIFIED)  # the columns' order


def _rating_columns(user: Any) -> bool:
    """The rating columns are in the workbook for those who see every unit's rating of
    some round (the office and leaders; group members once a round is locked)."""
    return has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER)


def _round_rows(user: Any) -> Any:
    with_ratings = _rating_columns(user)

    def rows(rounds: Any) -> Any:
        chosen = rounds.order_by().values("pk")
        reports = {
            counted["round_id"]: counted
            for counted in PerformanceReport.objects.filter(round_id__in=chosen)
            .values("round_id")
            .annotate(
                sent=Count("pk", filter=Q(submitted_at__isnull=False)),
                returned=Count("pk", filter=Q(state=PerformanceReport.State.RETURNED)),
            )
            .order_by()
        }
        grades: dict[int, dict[str, int]] = {}
        if with_ratings:
            graded_rows = (
                Rating.objects.filter(round_id__in=chosen)
                .exclude(grade="")
                .values_list("round_id", "grade")
                .annotate(n=Count("pk"))
                .order_by()
            )
            for round_id, grade, n in graded_rows:
                grades.setdefault(round_id, {})[grade] = n
        for r in rounds.iterator(chunk_size=CHUNK):
            counts = reports.get(r.pk, {})
            row = [
                r.year,
                r.title,
                r.kind_label,
                r.due_on,
                r.state_label,
                r.unit_count,
                counts.get("sent", 0),
                r.confirmed_count,
                counts.get("returned", 0),
                exports.local_date(r.opened_at),
                exports.local_date(r.locked_at),
            ]
            if with_ratings:
                if review_selectors.sees_ratings(user, r):
                    graded = grades.get(r.pk, {})
                    row += [
                        r.get_method_display() if r.state != ReviewRound.State.REPORTING else "",
                        sum(graded.values()),
                        *(graded.get(grade, 0) for grade in GRADES),
                    ]
                else:
                    row += ["", None, *(None for _grade in GRADES)]
            yield row

    return rows


def _declare_rounds(user: Any) -> exports.Export:
    columns = [
        (_("年度"), 8),
        (_("名称"), 36),
        (_("类别"), 10),
        (_("述职报告报送截止"), 14),
        (_("状态"), 12),
        (_("参评单位数"), 10),
        (_("已报送"), 8),
        (_("负责人已确认"), 12),
        (_("退回修改"), 10),
        (_("发起日期"), 12),
        (_("锁定日期"), 12),
    ]
    if _rating_columns(user):
        columns += [
            (_("测评方式"), 20),
            (_("已测评单位数"), 12),
            (_("优秀"), 8),
            (_("良好"), 8),
            (_("合格"), 8),
        ]
    return exports.Export(
        name=_("述职评议"), title=_("述职评议"), columns=columns, rows=_round_rows(user)
    )


# Target statements (目标责任书) ----------------------------------------------------------


def target_statement_filter_for(user: Any, params: QueryDict) -> QuerySet[TargetStatement]:
    """The list's rows (`statements_for_user`: a commissioner their own units', the
    items counted; by year, then the unit's order) under its filter: 年度."""
    statements = review_selectors.statements_for_user(user)
    year = params.get("year", "")
    if year.isdigit() and len(year) == 4:
        statements = statements.filter(year=int(year))
    return statements.order_by("-year", "unit__sort_order", "unit__name")


def _statement_rows(statements: Any) -> Any:
    for s in statements.iterator(chunk_size=CHUNK):
        signed_by = s.signed_by
        yield [
            s.year,
            s.unit.name,
            s.state_label,
            s.item_count,
            len(s.target_lines),
            "\n".join(s.target_lines),
            exports.local_date(s.signed_at),
            signed_by.display_name if signed_by is not None and s.signed_at else "",
        ]


def _declare_statements(user: Any) -> exports.Export:
    return exports.Export(
        name=_("目标责任书"),
        title=_("目标责任书"),
        columns=[
            (_("年度"), 8),
            (_("单位"), 24),
            (_("状态"), 10),
            (_("工作要点事项数"), 12),
            (_("职责和目标数"), 12),
            (_("统战工作职责和目标"), 60),
            (_("签订日期"), 12),
            (_("签订人"), 10),
        ],
        rows=_statement_rows,
    )


# Annual reports (年度工作汇报) and inspection self-reports (督查汇报提纲) ------------------

_drafted_allowed = exports.allowed_for(*drafted_selectors.READERS)


def annual_report_filter_for(user: Any, params: QueryDict) -> QuerySet[AnnualReport]:
    """The list's rows (`annual_reports`: every one, the latest year first); the list
    has no filter (and no scope: its readers, the office and leaders, see all)."""
    return drafted_selectors.annual_reports()


def _annual_rows(reports: Any) -> Any:
    rows = reports.select_related("document__signer__person").annotate(
        section_count=Count("sections")
    )
    for r in rows.iterator(chunk_size=CHUNK):
        yield [
            r.year,
            r.title,
            r.addressee,
            r.get_state_display(),
            r.section_count,
            r.reference,
            *_issued(r),
        ]


def _declare_annual_reports(user: Any) -> exports.Export:
    return exports.Export(
        name=_("年度工作汇报"),
        title=_("年度工作汇报"),
        columns=[
            (_("汇报年度"), 10),
            (_("标题"), 36),
            (_("主送"), 28),
            (_("状态"), 10),
            (_("部分数"), 8),
            (_("文号"), 18),
            *_ISSUED_COLUMNS,
        ],
        rows=_annual_rows,
    )


def self_report_filter_for(user: Any, params: QueryDict) -> QuerySet[InspectionSelfReport]:
    """The list's rows (`self_reports`: every one, the latest due first, with their
    deadline); the list has no filter (and no scope)."""
    return drafted_selectors.self_reports()


def _self_report_rows(reports: Any) -> Any:
    rows = reports.select_related("document__signer__person").annotate(
        section_count=Count("sections")
    )
    for r in rows.iterator(chunk_size=CHUNK):
        yield [
            r.year,
            r.title,
            r.inspection,
            r.addressee,
            r.due,
            r.get_state_display(),
            r.section_count,
            r.reference,
            *_issued(r),
        ]


def _declare_self_reports(user: Any) -> exports.Export:
    return exports.Export(
        name=_("督查汇报提纲"),
        title=_("督查汇报提纲"),
        columns=[
            (_("汇报年度"), 10),
            (_("标题"), 36),
            (_("督查事项"), 36),
            (_("主送"), 24),
            (_("截止日期"), 12),
            (_("状态"), 10),
            (_("部分数"), 8),
            (_("文号"), 18),
            *_ISSUED_COLUMNS,
        ],
        rows=_self_report_rows,
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
exports.register(
    "experience_briefings",
    url_name="experience_briefing_export",
    declare=_declare_briefings,
    queryset=briefing_filter_for,
    allowed=exports.allowed_for(*selectors.BRIEFING_READERS),
)
exports.register(
    "review_rounds",
    url_name="review_round_list_export",
    declare=_declare_rounds,
    queryset=review_round_filter_for,
    allowed=exports.allowed_for(*review_selectors.READERS),
)
exports.register(
    "target_statements",
    url_name="target_statement_export",
    declare=_declare_statements,
    queryset=target_statement_filter_for,
    allowed=exports.allowed_for(*review_selectors.READERS),
)
exports.register(
    "annual_reports",
    url_name="annual_report_export",
    declare=_declare_annual_reports,
    queryset=annual_report_filter_for,
    allowed=_drafted_allowed,
)
exports.register(
    "self_reports",
    url_name="self_report_export",
    declare=_declare_self_reports,
    queryset=self_report_filter_for,
    allowed=_drafted_allowed,
)

"""The liaison officers' list as a registered export (`portal.exports`): the list view
and the export read the same units (`liaison_units`, the list's scope) with the same
current liaison (`with_current`). The basis and its reason tell a person's political
status or overseas study: their columns are in the workbook for those who may see some
liaison's (`may_see_some_basis`), and filled row by row as the liaison's page would
show them (`can_see_basis`, the person page's rule); the others' are blanked by
`hide_basis` before a cell is written.

The consultations (征求意见), the training sessions and meetings (培训和会议), the
liaisons' reports (联络员报告), their rounds (报告征集) and the publicity pieces
(宣传稿件) are registered here too, each list view and its export building their rows with the same
`*_filter_for(user, params)`: the list's selector
(its scope) under its filter. None of their detail pages hides a field from a role
that may open the record (a session's attendance, a piece's review comments are on the
page for all its readers), so their columns are the same for every role."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons import selectors
from liaisons.models import (
    Consultation,
    Liaison,
    LiaisonAttendance,
    LiaisonReport,
    LiaisonSession,
    PublicityPiece,
    PublicityReview,
    ReportRound,
)
from liaisons.publicity import selectors as publicity_selectors
from portal import exports, services
from portal.deadlines.display import LIGHT_TEXT, yellow_until
from portal.deadlines.periods import semester_label
from portal.filters import year_or
from portal.lib.queries import grouped_by
from portal.models import Person, Unit, field_labels
from portal.permissions import is_office
from portal.workdays import current_calendar

CHUNK = 500  # rows a server-side cursor fetches at a time


def liaison_units_for(user: Any, params: QueryDict) -> Any:
    """The list's rows (it has no filter: every unit the user may see)."""
    return selectors.liaison_units(user)


def _rows(user: Any, basis: bool) -> Any:
    def rows(units: Any) -> Any:
        today = timezone.localdate()
        shown: list[Person] = []
        chunk: list[Unit] = []
        for unit in units.iterator(chunk_size=CHUNK):
            chunk.append(unit)
            if len(chunk) == CHUNK:
                yield from _cells(user, chunk, today, basis, shown)
                chunk = []
        yield from _cells(user, chunk, today, basis, shown)
        if shown and not is_office(user):
            services.sensitive_view_record(
                people=shown,
                fields=field_labels(Liaison, selectors.BASIS_FIELDS),
                page=reverse("liaison_export"),
                by=user,
            )

    return rows


def _cells(user: Any, units: list[Unit], today: Any, basis: bool, shown: list[Person]) -> Any:
    if not units:
        return
    for row in selectors.with_current(units, today):
        liaison = row.liaison
        cells = [
            row.unit.name,
            liaison.person.name if liaison else _("暂缺"),
            liaison.person.title if liaison else "",
            liaison.start_date if liaison else None,
        ]
        if basis:
            if liaison is not None and selectors.can_see_basis(user, liaison):
                shown.append(liaison.person)
            elif liaison is not None:
                selectors.hide_basis(liaison)
            cells += [
                liaison.get_basis_display() if liaison and liaison.basis else "",
                liaison.basis_reason if liaison else "",
            ]
        yield cells


def _declare(user: Any) -> exports.Export:
    basis = selectors.may_see_some_basis(user)
    columns = [(_("单位"), 30), (_("联络员"), 12), (_("职务/职称"), 20), (_("任职日期"), 12)]
    if basis:
        columns += [(_("人选条件"), 20), (_("推荐理由"), 40)]
    return exports.Export(
        name=_("统战联络员"), title=_("统战联络员"), columns=columns, rows=_rows(user, basis)
    )


def _allowed(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and selectors.can_see_liaisons(user)


exports.register(
    "liaisons",
    url_name="liaison_export",
    declare=_declare,
    queryset=liaison_units_for,
    allowed=_allowed,
)


def _light_text(deadline: Any, today: Any, yellow: Any) -> str:
    light = deadline.light(today, yellow) if deadline else None
    return str(LIGHT_TEXT[light]) if light else ""


# Consultations (征求意见) ---------------------------------------------------------------


def consultation_filter_for(user: Any, params: QueryDict) -> QuerySet[Consultation]:
    """The list's rows (`consultations_for_user`: the office and leaders every one, a
    commissioner or group member their own unit's) under its filters: 状态, and the
    year filed (`?year=`, which the annual report's figures link with)."""
    rows = selectors.consultations_for_user(user)
    state = params.get("state", "")
    if state in Consultation.State.values:
        rows = rows.filter(state=state)
    year = year_or(params.get("year"), 0)
    if year:
        rows = rows.filter(filed_on__year=year)
    return rows


def _consultation_rows(consultations: Any) -> Any:
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    rows = consultations.select_related(
        "unit", "deadline", "filed_by__person", "answered_by__person"
    )
    for c in rows.iterator(chunk_size=CHUNK):
        deadline = c.deadline
        yield [
            c.filed_on,
            c.title,
            c.unit.name,
            c.kind_label,
            c.state_label,
            c.filed_by.display_name,
            c.matter,
            deadline.due if deadline else None,
            _light_text(deadline, today, yellow),
            c.answered_on,
            c.answered_by.display_name if c.answered_by else "",
            c.opinion,
            c.adoption_label,
            c.adoption_note,
            c.closed_on,
        ]


def _declare_consultations(user: Any) -> exports.Export:
    return exports.Export(
        name=_("征求意见"),
        title=_("征求意见"),
        columns=[
            (_("提交日期"), 12),
            (_("事由"), 30),
            (_("征求单位"), 24),
            (_("类别"), 10),
            (_("状态"), 8),
            (_("提交人"), 10),
            (_("情况说明"), 40),
            (_("答复期限"), 12),
            (_("时限情况"), 10),
            (_("答复日期"), 12),
            (_("答复人"), 10),
            (_("书面意见"), 40),
            (_("采纳情况"), 10),
            (_("采纳情况说明"), 30),
            (_("办结日期"), 12),
        ],
        rows=_consultation_rows,
    )


# Training sessions and meetings (培训和会议) ---------------------------------------------


def session_filter_for(user: Any, params: QueryDict) -> QuerySet[LiaisonSession]:
    """The list's rows (`sessions_for_user`: every session, with its invited and
    attended counts, for those who see the liaisons); the list has no filter."""
    return selectors.sessions_for_user(user)


def _attendance_by_session(sessions: Any) -> dict[int, tuple[list[str], list[str]]]:
    """Session id → (who attended, who did not with the reason), for every exported
    session in one query (their ids as a subquery): the export's queries do not grow
    with its rows."""
    by_session: dict[int, tuple[list[str], list[str]]] = {}
    rows = grouped_by(
        sessions,
        LiaisonAttendance.objects.order_by("session_id", "liaison__unit__sort_order", "pk"),
        "session_id",
        "liaison__person__name",
        "attended",
        "absence_reason",
    )
    for session_id, marks in rows.items():
        present, absent = by_session[session_id] = ([], [])
        for name, attended, reason in marks:
            if attended:
                present.append(name)
            else:
                absent.append(f"{name}（{reason}）" if reason else name)
    return by_session


def _session_rows(sessions: Any) -> Any:
    attendance = _attendance_by_session(sessions)
    for s in sessions.iterator(chunk_size=CHUNK):
        present, absent = attendance.get(s.pk, ([], []))
        yield [
            s.held_on,
            s.title,
            s.kind_label,
            s.place,
            s.organiser,
            s.content,
            s.invited,
            s.present,
            "、".join(present),
            "、".join(absent),
        ]


def _declare_sessions(user: Any) -> exports.Export:
    return exports.Export(
        name=_("联络员培训和会议"),
        title=_("培训和会议"),
        columns=[
            (_("日期"), 12),
            (_("名称"), 30),
            (_("类别"), 8),
            (_("地点"), 16),
            (_("主办"), 16),
            (_("内容"), 40),
            (_("应到"), 8),
            (_("出席"), 8),
            (_("出席人员"), 40),
            (_("缺席人员（原因）"), 40),
        ],
        rows=_session_rows,
    )


# Publicity pieces (宣传稿件) -------------------------------------------------------------


def publicity_piece_filter_for(user: Any, params: QueryDict) -> QuerySet[PublicityPiece]:
    """The list's rows (`pieces_for_user`: the office and leaders every piece, a
    publicity member their own and every published one) under its filters: 状态 and
    发布渠道."""
    rows = publicity_selectors.pieces_for_user(user)
    state = params.get("state", "")
    if state in PublicityPiece.State.values:
        rows = rows.filter(state=state)
    channel = params.get("channel", "")
    if channel in PublicityPiece.Channel.values:
        rows = rows.filter(channel=channel)
    return rows


def _latest_decisions(pieces: Any) -> dict[int, str]:
    """Piece id → its latest decided review round in words (the decision and the
    comments, as the piece's page shows them to every reader of the piece), for every
    exported piece in one query."""
    reviews = grouped_by(
        pieces,
        PublicityReview.objects.exclude(decision="").order_by("piece_id", "round"),
        "piece_id",
        "round",
        "decision",
        "comments",
    )
    labels = dict(PublicityReview.Decision.choices)
    decided: dict[int, str] = {}
    for piece_id, rounds in reviews.items():
        number, decision, comments = rounds[-1]  # the latest round decides
        text = _("第%(n)s轮：%(decision)s") % {"n": number, "decision": labels[decision]}
        decided[piece_id] = f"{text}；{comments}" if comments else text
    return decided


def _piece_rows(pieces: Any) -> Any:
    today = timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    decisions = _latest_decisions(pieces)
    yes = _("是")
    for p in pieces.select_related("author", "deadline", "slot").iterator(chunk_size=CHUNK):
        deadline = p.deadline
        yield [
            exports.local_date(p.created_at),
            p.title,
            p.author.name,
            p.channel_label,
            yes if p.special else "",
            p.figure_name,
            p.state_label,
            p.round,
            p.slot.due_on if p.slot else None,
            deadline.due if deadline else None,
            _light_text(deadline, today, yellow),
            decisions.get(p.pk, ""),
            p.published_on,
            p.link,
        ]


def _declare_pieces(user: Any) -> exports.Export:
    return exports.Export(
        name=_("宣传稿件"),
        title=_("宣传稿件"),
        columns=[
            (_("创建日期"), 12),
            (_("标题"), 36),
            (_("撰稿人"), 10),
            (_("发布渠道"), 16),
            (_("先进典型专题报道"), 10),
            (_("报道对象"), 12),
            (_("状态"), 12),
            (_("送审轮次"), 8),
            (_("轮值日期"), 12),
            (_("期限"), 12),
            (_("时限情况"), 10),
            (_("最近审核意见"), 40),
            (_("发布日期"), 12),
            (_("发布链接"), 30),
        ],
        rows=_piece_rows,
    )


# The liaisons' reports (联络员报告) ----------------------------------------------------


def liaison_report_filter_for(user: Any, params: QueryDict) -> QuerySet[LiaisonReport]:
    """The list's rows (`reports_for_user`: the office, leaders and group members every
    report, a commissioner their branch's units', a liaison their own), newest round
    first, under its filters: 征集, 状态, and the round's year (`?year=`, which the
    annual report's figures link with)."""
    reports = selectors.reports_for_user(user).order_by(
        "-round__due_on", "-round_id", "liaison__unit__sort_order", "pk"
    )
    chosen = params.get("round", "")
    if chosen.isdigit():
        reports = reports.filter(round_id=int(chosen))
    state = params.get("state", "")
    if state in LiaisonReport.State.values:
        reports = reports.filter(state=state)
    year = year_or(params.get("year"), 0)
    if year:
        reports = reports.filter(round__due_on__year=year)
    return reports


def _liaison_report_rows(reports: Any) -> Any:
    for report in reports.select_related("read_by__person").iterator(chunk_size=CHUNK):
        yield [
            report.round.title,
            report.liaison.unit.name,
            report.liaison.person.name,
            report.get_state_display(),
            report.round.due_on,
            exports.local_date(report.submitted_at),
            report.views,
            report.issues,
            report.deeds,
            report.recommendations,
            report.read_on,
            report.read_by.display_name if report.read_by else "",
            report.office_note,
        ]


def _declare_liaison_reports(user: Any) -> exports.Export:
    return exports.Export(
        name=_("联络员报告"),
        title=_("联络员报告"),
        columns=[
            (_("征集"), 30),
            (_("单位"), 24),
            (_("联络员"), 12),
            (_("状态"), 10),
            (_("报送期限"), 12),
            (_("报送日期"), 12),
            (_("思想动态"), 50),
            (_("热点难点问题"), 50),
            (_("好人好事"), 40),
            (_("推荐人选"), 30),
            (_("阅知日期"), 12),
            (_("阅知人"), 12),
            (_("办公室意见"), 40),
        ],
        rows=_liaison_report_rows,
    )


# The rounds of reports (联络员报告征集) ------------------------------------------------------


def round_filter_for(user: Any, params: QueryDict) -> QuerySet[ReportRound]:
    """The list's rows (`rounds_for_user`: every round, latest due first, with how many
    of the reports the user may see are expected and in: a commissioner counts their
    branch's units', a liaison their own); the list has no filter."""
    return selectors.rounds_for_user(user)


def _period_label(key: str) -> str:
    try:
        return semester_label(key)
    except ValueError:  # not a semester key: shown as stored
        return key


def _round_rows(rounds: Any) -> Any:
    today = timezone.localdate()
    open_, closed, scheduled = _("征集中"), _("已截止"), _("按学期")
    for r in rounds.iterator(chunk_size=CHUNK):
        yield [
            r.title,
            _period_label(r.period),
            r.topic,
            r.due_on,
            open_ if r.due_on >= today else closed,
            r.opened_by.display_name if r.opened_by else scheduled,
            exports.local_date(r.opened_at),
            r.submitted,
            r.expected,
        ]


def _declare_rounds(user: Any) -> exports.Export:
    return exports.Export(
        name=_("联络员报告征集"),
        title=_("报告征集"),
        columns=[
            (_("名称"), 30),
            (_("学期"), 16),
            (_("报告重点"), 40),
            (_("报送截止日期"), 12),
            (_("状态"), 8),
            (_("发起"), 10),
            (_("发起日期"), 12),
            (_("已报送"), 8),
            (_("应报送"), 8),
        ],
        rows=_round_rows,
    )


exports.register(
    "liaison_reports",
    url_name="liaison_report_export",
    declare=_declare_liaison_reports,
    queryset=liaison_report_filter_for,
    allowed=exports.allowed_for(*selectors.REPORT_ROLES),
)
exports.register(
    "consultations",
    url_name="consultation_export",
    declare=_declare_consultations,
    queryset=consultation_filter_for,
    allowed=exports.allowed_for(*selectors.CONSULTATION_ROLES),
)
exports.register(
    "liaison_sessions",
    url_name="liaison_session_export",
    declare=_declare_sessions,
    queryset=session_filter_for,
    allowed=exports.allowed_for(*selectors.LIAISON_ROLES),
)
exports.register(
    "publicity_pieces",
    url_name="publicity_piece_export",
    declare=_declare_pieces,
    queryset=publicity_piece_filter_for,
    allowed=exports.allowed_for(*publicity_selectors.PUBLICITY_ROLES),
)
exports.register(
    "liaison_rounds",
    url_name="liaison_round_export",
    declare=_declare_rounds,
    queryset=round_filter_for,
    allowed=exports.allowed_for(*selectors.REPORT_ROLES),
)

"""Writes of the performance review (述职评议, 000 §三(三)). Keyword-only, atomic, the
row locked first (a double click acts once), `full_clean()` then save; the declared
transitions (`reports.review_transitions`) say who may take each step.

The rules of the result (the 优秀 cap, ranks, 前5后3 and their ties) are the pure
functions of `reports.ranking`; this module stores what they give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.deadlines.models import Deadline
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib.errors import Forbidden, required
from portal.models import Unit, User
from portal.permissions import is_office
from reports import ranking
from reports.models import (
    Ballot,
    BallotGrade,
    BallotReceipt,
    Grade,
    PerformanceReport,
    PerformanceReportItem,
    Rating,
    ReviewPaper,
    ReviewRound,
    TargetStatement,
)
from reports.review_selectors import ballot_result, signed_items, unit_items
from reports.review_transitions import REPORT_WORKFLOW, ROUND_WORKFLOW, STATEMENT_WORKFLOW
from reports.rules import PERFORMANCE_REPORT

FEEDBACK_KIND = "review_feedback"
COMMENDATION_KIND = "review_commendation"
KIND_OF = {
    ReviewPaper.Purpose.FEEDBACK: FEEDBACK_KIND,
    ReviewPaper.Purpose.COMMENDATION: COMMENDATION_KIND,
}


def _save(obj: Any, by: User | None, fields: list[str] | None = None) -> None:
    obj._history_user = by
    obj.full_clean(validate_constraints=False)
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _check_office(by: User, message: str) -> None:
    if not is_office(by):
        raise Forbidden(message)


def _locked_round(review: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update(of=("self",)).get(pk=review.pk)


def _locked_report(report: PerformanceReport) -> PerformanceReport:
    return (
        PerformanceReport.objects.select_for_update(of=("self",))
        .select_related("round", "unit", "deadline")
        .get(pk=report.pk)
    )


def _open_deadline(report: PerformanceReport) -> None:
    report.deadline = deadline_open(
        rule=PERFORMANCE_REPORT,
        subject=report,
        due=report.round.due_on,
        title=f"{report.unit.name}{report.round.title}",
        responsible_unit=report.unit,
    )
    # The deadline needs the report's id: link it without a second history row.
    report.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]


def _check_cap(grades: Iterable[str], n: int, cap_percent: int) -> None:
    excellent = sum(1 for grade in grades if grade == Grade.EXCELLENT)
    most = ranking.excellent_cap(n, cap_percent)
    if excellent > most:
        raise ValidationError(
            _("“优秀”不能超过参评单位的%(cap)d%%：%(n)d个单位最多%(most)d个，现有%(excellent)d个。")
            % {"cap": cap_percent, "n": n, "most": most, "excellent": excellent}
        )


# Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def review_round_open(
    *,
    year: int,
    kind: str,
    title: str,
    due_on: dt.date,
    units: Iterable[Unit],
    note: str = "",
    method: str = ReviewRound.Method.OFFICE,
    excellent_cap: int | None = None,
    by: User,
) -> ReviewRound:
    """The office opens a round: every unit named owes a report due on `due_on`, its
    work-points items of the year listed in it (those of its signed target statement,
    where it has one), and gets an empty rating."""
    _check_office(by, _("只有办公室可以发起述职评议。"))
    units = list(units)
    if not units:
        raise ValidationError({"units": _("请选择参评单位。")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("报送截止日期不能早于今天。")})
    if ReviewRound.objects.filter(year=year, kind=kind).exists():
        raise ValidationError(
            {
                "kind": _("%(year)d年的%(kind)s已经发起。")
                % {"year": year, "kind": ReviewRound.Kind(kind).label}
            }
        )
    review = ReviewRound(
        year=year,
        kind=kind,
        title=required(title, "title", _("请填写名称。")),
        note=note.strip(),
        due_on=due_on,
        method=method,
        opened_by=by,
    )
    if excellent_cap is not None:
        review.excellent_cap = excellent_cap
    _save(review, by)
    review.units.set(units)
    # The items of each unit's signed target statement, else all it leads or shares.
    items = unit_items(year, {unit.pk for unit in units}) | signed_items(year, units)
    for unit in units:
        report = PerformanceReport(round=review, unit=unit)
        _save(report, by)
        PerformanceReportItem.objects.bulk_create(
            PerformanceReportItem(report=report, item=item) for item in items[unit.pk]
        )
        report.round, report.unit = review, unit
        _open_deadline(report)
        _save(Rating(round=review, unit=unit), by)
    return review


@transaction.atomic
def review_round_update(
    *,
    review: ReviewRound,
    title: str,
    due_on: dt.date,
    note: str = "",
    excellent_cap: int,
    by: User,
) -> ReviewRound:
    """The office changes the name, requirements, due date or cap; the reports not yet
    submitted follow the new date (their deadlines and reminders move)."""
    locked = _locked_round(review)
    fields = ROUND_WORKFLOW.apply(locked, "edit", by=by)
    if due_on != locked.due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("报送截止日期不能早于今天。")})
    moved = due_on != locked.due_on
    locked.title = required(title, "title", _("请填写名称。"))
    locked.note, locked.due_on, locked.excellent_cap = note.strip(), due_on, excellent_cap
    _save(locked, by, [*fields, "title", "note", "due_on", "excellent_cap"])
    if moved:
        pending = locked.reports.filter(
            state__in=[PerformanceReport.State.DRAFTING, PerformanceReport.State.RETURNED]
        ).select_related("unit", "round")
        for report in pending:
            _open_deadline(report)
    return locked


@transaction.atomic
def review_start_rating(*, review: ReviewRound, method: str, by: User) -> ReviewRound:
    """测评: the office rates, or opens the anonymous ballot of the group's members.
    Reports still out stay due (and are marked late once their date passes)."""
    locked = _locked_round(review)
    fields = ROUND_WORKFLOW.apply(locked, "start_rating", by=by)
    if method not in ReviewRound.Method.values:
        raise ValidationError({"method": _("请选择测评方式。")})
    locked.method = method
    _save(locked, by, [*fields, "method"])
    return locked


def _decimal(value: Any, unit: Unit) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(unit)s的得分不是数字。") % {"unit": unit.name}) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(_("%(unit)s的得分应在0到100之间。") % {"unit": unit.name})
    return score


@transaction.atomic
def ratings_save(
    *, review: ReviewRound, rows: Mapping[int, Mapping[str, Any]], by: User
) -> list[Rating]:
    """The office's rating (or its calibration of the ballot): each unit's grade, score
    and comment (`rows`: unit id → {"grade", "score", "comment"}). The 优秀 cap holds
    over the whole round; nothing is saved when any row is wrong."""
    locked = _locked_round(review)
    ROUND_WORKFLOW.check(locked, "rate", by=by)
    ratings = list(locked.ratings.select_related("unit").select_for_update(of=("self",)))
    for rating in ratings:
        row = rows.get(rating.unit_id)
        if row is None:
            continue
        grade = str(row.get("grade") or "")
        if grade and grade not in Grade.values:
            raise ValidationError(_("%(unit)s的测评等次无效。") % {"unit": rating.unit.name})
        rating.grade = grade
        rating.score = _decimal(row.get("score"), rating.unit)
        rating.comment = str(row.get("comment") or "").strip()
    _check_cap((r.grade for r in ratings), len(ratings), locked.excellent_cap)
    for rating in ratings:
        _save(rating, by, ["grade", "score", "comment"])
    return ratings


@transaction.atomic
def ballot_cast(*, review: ReviewRound, grades: Mapping[int, str], by: User) -> None:
    """A member of the leading group votes once in a round's anonymous ballot: a grade
    for every unit, 优秀 within the cap. The ballot is stored apart from the receipt
    that says this member has voted, and neither has a time or a history that ties
    them together."""
    locked = _locked_round(review)
    ROUND_WORKFLOW.check(locked, "cast_ballot", by=by)
    units = list(locked.units.order_by("sort_order", "name"))
    missing = [unit.name for unit in units if grades.get(unit.pk) not in Grade.values]
    if missing:
        raise ValidationError(
            _("请为每个单位选择等次（未选：%(units)s）。") % {"units": "、".join(missing)}
        )
    _check_cap((grades[unit.pk] for unit in units), len(units), locked.excellent_cap)
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(round=locked, voter=by)
    except IntegrityError:
        raise ValidationError(_("您已经投过票了，每人只能投一次。")) from None
    ballot = Ballot.objects.create(round=locked)
    BallotGrade.objects.bulk_create(
        BallotGrade(ballot=ballot, unit=unit, grade=grades[unit.pk]) for unit in units
    )


@transaction.atomic
def ratings_from_ballot(*, review: ReviewRound, by: User) -> list[Rating]:
    """The office takes the ballot's result as the rating to calibrate: each unit's
    score is the mean of its ballots and its grade the one most ballots gave. When that
    puts more units at 优秀 than the cap allows, the lowest-scoring ones beyond it are
    put at 良好 (all of a tie at the cut: the office may raise one back by hand)."""
    locked = _locked_round(review)
    ROUND_WORKFLOW.check(locked, "adopt_ballot", by=by)
    result = ballot_result(locked)
    tallies = {tally.unit.pk: tally for tally in result.tallies}
    grades = {pk: tally.plurality for pk, tally in tallies.items()}
    most = ranking.excellent_cap(len(tallies), locked.excellent_cap)
    excellent = sorted(
        (pk for pk, grade in grades.items() if grade == Grade.EXCELLENT),
        key=lambda pk: -tallies[pk].score,
    )
    if len(excellent) > most:
        cut = tallies[excellent[most]].score  # the best score that does not fit
        for pk in excellent:
            if tallies[pk].score <= cut:
                grades[pk] = Grade.GOOD
    rows = {
        pk: {"grade": grades[pk], "score": tally.score, "comment": None}
        for pk, tally in tallies.items()
    }
    current = {rating.unit_id: rating.comment for rating in locked.ratings.all()}
    for pk, row in rows.items():
        row["comment"] = current.get(pk, "")
    return ratings_save(review=locked, rows=rows, by=by)


@transaction.atomic
def review_lock(*, review: ReviewRound, by: User) -> ReviewRound:
    """锁定: every unit has a grade and a score, 优秀 is within the cap; the ranks and
    前5后3 are computed and stored; the reports still out are closed (their deadlines
    waived: the round is over)."""
    locked = _locked_round(review)
    fields = ROUND_WORKFLOW.apply(locked, "lock", by=by)
    ratings = list(locked.ratings.select_related("unit").select_for_update(of=("self",)))
    incomplete = [r.unit.name for r in ratings if not r.grade or r.score is None]
    if incomplete:
        raise ValidationError(
            _("以下单位还没有测评等次或得分：%(units)s。") % {"units": "、".join(incomplete)}
        )
    _check_cap((r.grade for r in ratings), len(ratings), locked.excellent_cap)
    standings = ranking.standings({r.unit_id: r.score for r in ratings if r.score is not None})
    for rating in ratings:
        standing = standings[rating.unit_id]
        rating.rank, rating.place = standing.rank, standing.place
        _save(rating, by, ["rank", "place"])
    now = timezone.now()
    locked.locked_at = now
    _save(locked, by, [*fields, "locked_at"])
    open_deadlines = Deadline.objects.filter(
        pk__in=locked.reports.exclude(deadline__isnull=True).values("deadline_id"),
        state=Deadline.State.OPEN,
    )
    for deadline in open_deadlines:
        deadline_waive(deadline=deadline, by=by, reason=_("述职评议结果已锁定"), now=now)
    return locked


@transaction.atomic
def review_reopen(*, review: ReviewRound, reason: str, by: User) -> ReviewRound:
    """A locked result changes only through a recorded reopen (the reason is in the
    round's history), and only while no letter or notice has gone to review."""
    locked = _locked_round(review)
    fields = ROUND_WORKFLOW.apply(locked, "reopen", by=by)
    reason = required(reason, "reason", _("请填写重新开放的理由。"))
    locked.locked_at = None
    locked._change_reason = _("重新开放测评：%(reason)s") % {"reason": reason}  # type: ignore[attr-defined]
    _save(locked, by, [*fields, "locked_at"])
    for rating in locked.ratings.select_for_update(of=("self",)):
        rating.rank, rating.place = None, ""
        _save(rating, by, ["rank", "place"])
    return locked


# Reports ---------------------------------------------------------------------------------


@transaction.atomic
def performance_report_save(
    *,
    report: PerformanceReport,
    duties: str,
    plans: str,
    items: Mapping[int, str],
    submit: bool = False,
    by: User,
) -> PerformanceReport:
    """The unit writes its report (`items`: report item id → what it did); with
    `submit`, it goes to the unit's head to confirm and the deadline is met."""
    locked = _locked_report(report)
    fields = REPORT_WORKFLOW.apply(locked, "edit", by=by)
    locked.duties, locked.plans = duties.strip(), plans.strip()
    for entry in locked.items.select_for_update(of=("self",)):
        if entry.pk in items:
            entry.text = str(items[entry.pk]).strip()
            _save(entry, by, ["text"])
    update = [*fields, "duties", "plans"]
    if submit:
        update += REPORT_WORKFLOW.apply(locked, "submit", by=by)
        if not locked.duties and not any(entry.text for entry in locked.items.all()):
            raise ValidationError(_("述职报告还没有内容，不能报送。"))
        locked.submitted_at, locked.submitted_by = timezone.now(), by
        update += ["submitted_at", "submitted_by"]
    _save(locked, by, update)
    if submit:
        deadline_meet(rule=PERFORMANCE_REPORT, subject=locked, by=by)
    return locked


@transaction.atomic
def performance_report_confirm(*, report: PerformanceReport, by: User) -> PerformanceReport:
    locked = _locked_report(report)
    fields = REPORT_WORKFLOW.apply(locked, "confirm", by=by)
    locked.confirmed_at, locked.confirmed_by = timezone.now(), by
    _save(locked, by, [*fields, "confirmed_at", "confirmed_by"])
    return locked


@transaction.atomic
def performance_report_return(
    *, report: PerformanceReport, note: str, by: User
) -> PerformanceReport:
    """The unit's head sends the report back with what to change."""
    locked = _locked_report(report)
    fields = REPORT_WORKFLOW.apply(locked, "return", by=by)
    locked.return_note = required(note, "note", _("请填写退回意见。"))
    locked._change_reason = locked.return_note  # type: ignore[attr-defined]
    _save(locked, by, [*fields, "return_note"])
    return locked


# Letters and the commendation notice -------------------------------------------------------


def _result_line(rating: Rating, ratings: list[Rating]) -> str:
    tied = sum(1 for other in ratings if other.rank == rating.rank) > 1
    text = (
        _("测评等次为“%(grade)s”，在%(n)d个参评单位中并列第%(rank)d")
        if tied
        else _("测评等次为“%(grade)s”，在%(n)d个参评单位中排名第%(rank)d")
    )
    line = text % {"grade": rating.grade_label, "n": len(ratings), "rank": rating.rank or 0}
    if rating.place == Rating.Place.TOP:
        line += _("，列入前5名予以表扬")
    elif rating.place == Rating.Place.BOTTOM:
        line += _("，列入后3名予以点评")
    return line + "。"


def paper_draft(review: ReviewRound, purpose: str, unit: Unit | None) -> str:
    """A first text of a letter (its unit's result and comment, and nothing of any
    other unit) or of the notice (the units commended)."""
    ratings = list(review.ratings.select_related("unit").order_by("rank", "unit__sort_order"))
    heading = _(
        "根据《统一战线工作领导小组工作规则》述职评议制度，领导小组办公室组织开展了%(title)s。"
    ) % {"title": review.title}
    if purpose == ReviewPaper.Purpose.FEEDBACK:
        rating = next(r for r in ratings if unit is not None and r.unit_id == unit.pk)
        paragraphs = [heading, _("经测评，你单位") + _result_line(rating, ratings)]
        if rating.comment:
            paragraphs.append(_("点评意见：%(comment)s") % {"comment": rating.comment})
        paragraphs.append(
            _("请对照点评意见认真总结，巩固成绩、改进不足。测评结果纳入专项考核参考依据。")
        )
        return "\n\n".join(paragraphs)
    top = [r.unit.name for r in ratings if r.place == Rating.Place.TOP]
    return "\n\n".join(
        [
            heading,
            _("经测评，%(units)s统一战线工作成绩突出，列入前5名，领导小组决定予以通报表扬。")
            % {"units": "、".join(top)},
            _(
                "希望受到表扬的单位再接再厉，全校各单位以先进为榜样，进一步做好新时代学校统一战线工作。"
            ),
        ]
    )


def _check_paper_round(review: ReviewRound, by: User) -> None:
    ROUND_WORKFLOW.check(review, "write_papers", by=by)


@transaction.atomic
def paper_save(
    *, review: ReviewRound, purpose: str, unit: Unit | None, body: str, by: User
) -> ReviewPaper:
    """The office writes a unit's letter or the notice (while it is a draft)."""
    locked = _locked_round(review)
    _check_paper_round(locked, by)
    if purpose == ReviewPaper.Purpose.FEEDBACK and (
        unit is None or not locked.units.filter(pk=unit.pk).exists()
    ):
        raise ValidationError(_("该单位没有参加这次述职评议。"))
    if (
        purpose == ReviewPaper.Purpose.COMMENDATION
        and not locked.ratings.filter(place=Rating.Place.TOP).exists()
    ):
        raise ValidationError(_("没有列入前5名的单位，无需通报表扬。"))
    paper = (
        ReviewPaper.objects.select_for_update(of=("self",))
        .select_related("document")
        .filter(round=locked, purpose=purpose, unit=unit)
        .first()
    )
    if paper is None:
        paper = ReviewPaper(round=locked, purpose=purpose, unit=unit)
    elif not paper.is_editable:
        raise ValidationError(_("%(paper)s已报审，不能修改。") % {"paper": paper.purpose_label})
    paper.body = required(body, "body", _("请填写正文。"))
    _save(paper, by)
    return paper


@transaction.atomic
def papers_draft_all(*, review: ReviewRound, by: User) -> int:
    """起草全部反馈: a letter for every unit that has none yet, from its result.
    Returns how many were drafted."""
    locked = _locked_round(review)
    _check_paper_round(locked, by)
    have = set(
        locked.papers.filter(purpose=ReviewPaper.Purpose.FEEDBACK).values_list("unit_id", flat=True)
    )
    created = 0
    for unit in locked.units.exclude(pk__in=have).order_by("sort_order", "name"):
        body = paper_draft(locked, ReviewPaper.Purpose.FEEDBACK, unit)
        _save(
            ReviewPaper(round=locked, purpose=ReviewPaper.Purpose.FEEDBACK, unit=unit, body=body),
            by,
        )
        created += 1
    return created


def _paper_title(paper: ReviewPaper) -> str:
    if paper.purpose == ReviewPaper.Purpose.FEEDBACK:
        assert paper.unit is not None
        return _("关于%(unit)s%(round)s测评结果的反馈") % {
            "unit": paper.unit.name,
            "round": paper.round.title,
        }
    return _("关于%(round)s结果的通报表扬") % {"round": paper.round.title}


@transaction.atomic
def paper_submit(*, paper: ReviewPaper, by: User) -> Document:
    """报审: a letter goes to its unit only, the notice to every unit of the round."""
    _check_office(by, _("只有办公室可以报审测评结果反馈和通报。"))
    review = _locked_round(paper.round)
    _check_paper_round(review, by)
    paper = (
        ReviewPaper.objects.select_for_update(of=("self",))
        .select_related("document", "unit")
        .get(pk=paper.pk)
    )
    if not paper.is_editable:
        raise ValidationError(_("%(paper)s已报审。") % {"paper": paper.purpose_label})
    paper.round = review
    if paper.purpose == ReviewPaper.Purpose.FEEDBACK:
        assert paper.unit is not None
        addressee, units = paper.unit.name, [paper.unit]
    else:
        addressee, units = _("各党总支、各部门"), list(review.units.all())
    return document_backed_submit(
        record=paper,
        kind=KIND_OF[ReviewPaper.Purpose(paper.purpose)],
        by=by,
        title=_paper_title(paper),
        body=paper.body,
        addressee=addressee,
        recipient_units=units,
    )


def paper_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for the two kinds."""
    paper = document.about
    if not isinstance(paper, ReviewPaper):
        raise DocumentError(_("这份公文没有对应的述职评议文书。"))
    return _paper_title(paper), paper.body


def paper_issued(paper: Any, document: Document, at: dt.datetime) -> None:
    """Nothing further: a letter is read on its document by the unit it is sent to."""


# Target statements (目标责任书) ----------------------------------------------------------------

DEFAULT_TARGETS = (
    "落实统一战线工作责任制，单位主要负责人履行统战工作第一责任人职责",
    "按年度工作要点完成所承担的统战工作任务，按时报告进展",
    "落实党外人士联系交友制度，听取和反映党外人士意见建议",
    "按时报送统战信息和工作总结，参加领导小组述职评议",
)


@transaction.atomic
def statements_prepare(*, year: int, units: Iterable[Unit], by: User) -> int:
    """起草目标责任书: a draft for each unit that has none for `year`, with the usual
    duties and the work-points items it leads or shares. Returns how many were made."""
    _check_office(by, _("只有办公室可以起草目标责任书。"))
    units = list(units)
    if not units:
        raise ValidationError({"units": _("请选择单位。")})
    have = set(
        TargetStatement.objects.filter(year=year, unit__in=units).values_list("unit_id", flat=True)
    )
    items = unit_items(year, {unit.pk for unit in units})
    made = 0
    for unit in units:
        if unit.pk in have:
            continue
        statement = TargetStatement(year=year, unit=unit, targets="\n".join(DEFAULT_TARGETS))
        _save(statement, by)
        statement.items.set(items[unit.pk])
        made += 1
    return made


def _locked_statement(statement: TargetStatement) -> TargetStatement:
    return (
        TargetStatement.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=statement.pk)
    )


@transaction.atomic
def statement_update(
    *, statement: TargetStatement, targets: str, items: Iterable[Any], by: User
) -> TargetStatement:
    """The office edits the targets and the items (of the statement's year only)."""
    locked = _locked_statement(statement)
    fields = STATEMENT_WORKFLOW.apply(locked, "edit", by=by)
    locked.targets = required(targets, "targets", _("请填写统战工作职责和目标。"))
    items = list(items)
    if any(item.plan.year != locked.year for item in items):
        raise ValidationError({"items": _("只能选择本年度工作要点的事项。")})
    _save(locked, by, [*fields, "targets"])
    locked.items.set(items)
    return locked


@transaction.atomic
def statement_sign(*, statement: TargetStatement, by: User) -> TargetStatement:
    locked = _locked_statement(statement)
    fields = STATEMENT_WORKFLOW.apply(locked, "sign", by=by)
    if not locked.target_lines:
        raise ValidationError(_("目标责任书还没有目标，不能签订。"))
    locked.signed_at, locked.signed_by = timezone.now(), by
    _save(locked, by, [*fields, "signed_at", "signed_by"])
    return locked


@transaction.atomic
def statement_reopen(*, statement: TargetStatement, reason: str, by: User) -> TargetStatement:
    locked = _locked_statement(statement)
    fields = STATEMENT_WORKFLOW.apply(locked, "reopen", by=by)
    reason = required(reason, "reason", _("请填写退回理由。"))
    locked.signed_at, locked.signed_by = None, None
    locked._change_reason = _("退回修改：%(reason)s") % {"reason": reason}  # type: ignore[attr-defined]
    _save(locked, by, [*fields, "signed_at", "signed_by"])
    return locked

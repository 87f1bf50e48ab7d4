"""Demo data for the performance review (述职评议): this year's target statements (目标责任书,
signed but two); last year's annual round, reported,
confirmed, rated by the office with a tie at fifth place, locked, its letters drafted
(those of the demo logins' units issued) and the commendation notice issued; and this
year's annual round in progress (a report waiting for the 人事处 head's confirmation,
one confirmed, the rest being drafted). Idempotent: keyed on (year, kind)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from portal.documents import services as documents
from portal.documents.models import Document
from portal.models import Unit, User
from reports import review_selectors as selectors
from reports import review_services as services
from reports.models import (
    Grade,
    PerformanceReport,
    Rating,
    ReviewPaper,
    ReviewRound,
    TargetStatement,
)

# The units whose letters are issued: those the demo logins answer for.
ISSUED_LETTERS = ("机电工程学院党总支", "经济管理学院党总支", "人事处")

DUTIES = (
    "按照统战工作职责，建立党外人士联系台账，班子成员与党外代表人士开展谈心谈话，"
    "及时收集反映意见建议，组织党外人士参加理论学习和考察调研。"
)
PLANS = "联系交友覆盖面还不够广；下一步将完善联系台账，每学期至少开展一次专题座谈。"


def _drafter(unit: Unit, logins: dict[str, User], office: User) -> User:
    for login in logins.values():
        person = login.person
        if (
            person is not None
            and person.unit_id == unit.pk
            and login.username.startswith("commissioner")
        ):
            return login
    return office


def _confirmer(report: PerformanceReport, office: User) -> User | None:
    heads = selectors.heads_of(report.unit_id)
    if not heads:
        return office
    return User.objects.filter(person_id__in=heads, is_active=True).first()


def _write(report: PerformanceReport, by: User, *, submit: bool) -> None:
    items = {
        entry.pk: f"{entry.item.title.rstrip('。')}：按计划推进，已完成阶段性任务。"
        for entry in report.items.select_related("item")
    }
    services.performance_report_save(
        report=report, duties=DUTIES, plans=PLANS, items=items, submit=submit, by=by
    )


def _issue(document: Document, signer: User, office: User) -> None:
    if document.state == Document.State.AWAITING_SIGNATURE:
        document = documents.document_sign(document=document, by=signer, opinion="同意。")
    if document.state == Document.State.SIGNED:
        documents.document_issue(document=document, by=office)


def seed_last_year(today: dt.date, logins: dict[str, User]) -> ReviewRound | None:
    office, leader, in_charge = logins["office"], logins["leader"], logins["incharge"]
    year = today.year - 1
    review = ReviewRound.objects.filter(year=year, kind=ReviewRound.Kind.ANNUAL).first()
    if review is None:
        units = list(selectors.default_units(today))
        if len(units) < 2:
            return None
        review = services.review_round_open(
            year=year,
            kind=ReviewRound.Kind.ANNUAL,
            title=f"{year}年度统战工作述职评议",
            note="对照年度工作要点和统战工作职责，报告落实情况、存在问题和下一步打算。",
            due_on=today,
            units=units,
            by=office,
        )
    if review.state == ReviewRound.State.REPORTING:
        for report in review.reports.select_related("unit", "round"):
            if report.state == PerformanceReport.State.DRAFTING:
                _write(report, _drafter(report.unit, logins, office), submit=True)
                report.refresh_from_db()
            confirmer = _confirmer(report, office)
            if report.state == PerformanceReport.State.SUBMITTED and confirmer is not None:
                services.performance_report_confirm(report=report, by=confirmer)
        services.review_start_rating(review=review, method=ReviewRound.Method.OFFICE, by=office)
        review.refresh_from_db()
    if review.state == ReviewRound.State.RATING:
        ratings = list(review.ratings.select_related("unit").order_by("unit__sort_order", "pk"))
        most = 0
        rows = {}
        for index, rating in enumerate(ratings):
            # Scores falling by two, with the 5th and 6th tied (both commended).
            score = Decimal(96 - 2 * index - (0 if index < 5 else 2))
            if index == 5:
                score = Decimal(96 - 2 * 4)
            grade = Grade.EXCELLENT if most < 3 and index < 3 else Grade.GOOD
            if index >= len(ratings) - 2:
                grade = Grade.QUALIFIED
            most += grade == Grade.EXCELLENT
            comment = (
                "统战工作责任落实到位，联系交友和意见建议办理成效明显。"
                if grade == Grade.EXCELLENT
                else "统战工作有序开展，党外人士作用发挥的平台还需拓展。"
                if grade == Grade.GOOD
                else "统战工作台账不够完整，联系党外人士的频次偏低，请对照要求整改。"
            )
            rows[rating.unit_id] = {"grade": grade, "score": score, "comment": comment}
        services.ratings_save(review=review, rows=rows, by=office)
        services.review_lock(review=review, by=office)
        review.refresh_from_db()
    if not review.papers.exists():
        services.papers_draft_all(review=review, by=office)
        if review.ratings.filter(place=Rating.Place.TOP).exists():
            services.paper_save(
                review=review,
                purpose=ReviewPaper.Purpose.COMMENDATION,
                unit=None,
                body=services.paper_draft(review, ReviewPaper.Purpose.COMMENDATION, None),
                by=office,
            )
    for paper in review.papers.select_related("unit", "document"):
        wanted = paper.unit is None or paper.unit.name in ISSUED_LETTERS
        if not wanted:
            continue
        if paper.document is None:
            services.paper_submit(paper=paper, by=office)
            paper.refresh_from_db()
        assert paper.document is not None
        signer = leader if paper.unit is None else in_charge
        _issue(paper.document, signer, office)
    return review


def seed_this_year(today: dt.date, logins: dict[str, User]) -> ReviewRound | None:
    office = logins["office"]
    review = ReviewRound.objects.filter(year=today.year, kind=ReviewRound.Kind.ANNUAL).first()
    if review is not None:
        return review
    units = list(selectors.default_units(today))
    if len(units) < 2:
        return None
    review = services.review_round_open(
        year=today.year,
        kind=ReviewRound.Kind.ANNUAL,
        title=f"{today.year}年度统战工作述职评议",
        note="对照年度工作要点和统战工作职责，报告落实情况、存在问题和下一步打算。",
        due_on=today + dt.timedelta(days=21),
        units=units,
        by=office,
    )
    by_name = {r.unit.name: r for r in review.reports.select_related("unit", "round")}
    # 人事处's report waits for its head (the `member` login) to confirm it.
    if "人事处" in by_name:
        _write(by_name["人事处"], office, submit=True)
    # 机电's commissioner has sent it, and the office confirmed for its head (no login).
    if "机电工程学院党总支" in by_name:
        report = by_name["机电工程学院党总支"]
        _write(report, _drafter(report.unit, logins, office), submit=True)
        confirmer = _confirmer(report, office)
        if confirmer is not None:
            services.performance_report_confirm(report=report, by=confirmer)
    # 经管's commissioner has started a draft.
    if "经济管理学院党总支" in by_name:
        report = by_name["经济管理学院党总支"]
        _write(report, _drafter(report.unit, logins, office), submit=False)
    return review


def seed_statements(today: dt.date, office: User) -> tuple[int, int]:
    """This year's target statements: drafted for the member units, signed but the last
    two. Returns (signed, total)."""
    units = list(selectors.default_units(today))
    if units:
        services.statements_prepare(year=today.year, units=units, by=office)
    statements = list(
        TargetStatement.objects.filter(year=today.year).order_by("unit__sort_order", "pk")
    )
    for statement in statements[:-2]:
        if statement.state == TargetStatement.State.DRAFTING:
            services.statement_sign(statement=statement, by=office)
    signed = TargetStatement.objects.filter(year=today.year, state="signed").count()
    return signed, len(statements)


def seed(today: dt.date, logins: dict[str, User]) -> str:
    needed = ("office", "leader", "incharge")
    if any(name not in logins for name in needed):
        return ""
    signed, total = seed_statements(today, logins["office"])
    last = seed_last_year(today, logins)
    current = seed_this_year(today, logins)
    if last is None or current is None:
        return ""
    top = last.ratings.filter(place=Rating.Place.TOP).count()
    issued = sum(1 for paper in last.papers.select_related("document") if paper.is_issued)
    waiting = current.reports.exclude(state=PerformanceReport.State.CONFIRMED).count()
    return (
        f"目标责任书：{today.year}年度{total}份（已签订{signed}份）；"
        f"述职评议：{last.title}已锁定（表扬{top}个单位，已印发反馈和通报{issued}份）；"
        f"{current.title}进行中（{waiting}个单位未确认）。"
    )

"""The performance review's workflows (`reports.review_transitions`) walked persona ×
state: each persona takes each step from each state through the service; the service
must agree with the declaration, a step taken changes the record and a refused one
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from groups import services as groups
from groups.models import GroupMembership
from reports import review_services as services
from reports.models import (
    Ballot,
    PerformanceReport,
    Rating,
    ReviewPaper,
    ReviewRound,
    TargetStatement,
)
from reports.review_transitions import REPORT_WORKFLOW, ROUND_WORKFLOW, STATEMENT_WORKFLOW
from tests.conftest import Org, make_user
from tests.groups_helpers import department, make_group
from tests.test_reports_review import seat
from tests.walks import walk

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]

PERSONAS = (
    "office",
    "leader",
    "deputy",
    "in_charge",
    "member",
    "commissioner_a",
    "commissioner_b",
    "outsider",
    "liaison",
    "publicity",
)


def open_round(org: Org) -> ReviewRound:
    """A round of branch B (whose head is the member persona, seated for it)."""
    make_group(org)
    groups.group_membership_start(
        person=org.member.person,
        role=GroupMembership.Role.MEMBER,
        unit=org.branch_b,
        post="书记",
        start_date=dt.date(2024, 3, 1),
        by=org.office,
    )
    today = timezone.localdate()
    return services.review_round_open(
        year=today.year,
        kind=ReviewRound.Kind.ANNUAL,
        title="年度述职评议",
        due_on=today + dt.timedelta(days=10),
        units=[org.branch_b],
        by=org.office,
    )


def round_in(org: Org, state: str) -> ReviewRound:
    review = open_round(org)
    if state in {"rating", "locked"}:
        services.review_start_rating(review=review, method="office", by=org.office)
        services.ratings_save(
            review=review,
            rows={org.branch_b.pk: {"grade": "good", "score": 85, "comment": "较好"}},
            by=org.office,
        )
    if state == "locked":
        services.review_lock(review=review, by=org.office)
    return ReviewRound.objects.get(pk=review.pk)


ROUND_STEPS: dict[str, Callable[[ReviewRound, Any], object]] = {
    "edit": lambda r, by: services.review_round_update(
        review=r, title="改名", due_on=r.due_on, note="要求", excellent_cap=20, by=by
    ),
    "start_rating": lambda r, by: services.review_start_rating(review=r, method="ballot", by=by),
    "lock": lambda r, by: services.review_lock(review=r, by=by),
    "reopen": lambda r, by: services.review_reopen(review=r, reason="录入有误", by=by),
    "rate": lambda r, by: services.ratings_save(
        review=r,
        rows={r.units.get().pk: {"grade": "qualified", "score": 70, "comment": "改评"}},
        by=by,
    ),
    "write_papers": lambda r, by: services.papers_draft_all(review=r, by=by),
}
# The ballot's steps, walked on a ballot round (below).
BALLOT_STEPS: dict[str, Callable[[ReviewRound, Any], object]] = {
    "cast_ballot": lambda r, by: services.ballot_cast(
        review=r, grades={r.units.get().pk: "good"}, by=by
    ),
    "adopt_ballot": lambda r, by: services.ratings_from_ballot(review=r, by=by),
}


def _round_snapshot(review: ReviewRound) -> object:
    return (
        ReviewRound.objects.values(
            "state", "title", "note", "excellent_cap", "method", "locked_at"
        ).get(pk=review.pk),
        list(
            Rating.objects.filter(round=review).values_list(
                "rank", "place", "grade", "score", "comment"
            )
        ),
        ReviewPaper.objects.filter(round=review).count(),
        Ballot.objects.filter(round=review).count(),
    )


def test_every_step_of_a_round_is_walked():
    assert set(ROUND_STEPS) | set(BALLOT_STEPS) == set(ROUND_WORKFLOW.transitions)


@pytest.mark.parametrize(
    ("name", "state"),
    [(name, s) for name in ROUND_STEPS for s in ROUND_WORKFLOW.states.values],
)
def test_a_round_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    review = round_in(org, state)
    assert ROUND_WORKFLOW.state_of(review) == state
    allowed = walk(
        workflow=ROUND_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ReviewRound.objects.get(pk=review.pk),
        step=ROUND_STEPS[name],
        snapshot=lambda: _round_snapshot(review),
    )
    assert allowed == (["office"] if ROUND_WORKFLOW[name].starts_from(state) else [])


def _seat_voters(org: Org, n: int) -> list[Any]:
    people = []
    for i in range(n):
        user = make_user(f"voter{i}", org.ufw_dept, "member")
        seat(org, user, department(f"成员单位{i}"))
        people.append(user)
    return people


def ballot_round_in(org: Org, state: str, ballots: int) -> tuple[ReviewRound, list[Any]]:
    """A ballot round of branch B with `ballots` ballots cast by as many seated voters
    (plus `member`, seated for branch B, who has not voted)."""
    review = open_round(org)
    voters = _seat_voters(org, ballots)
    if state in {"rating", "locked"}:
        services.review_start_rating(review=review, method="ballot", by=org.office)
        for voter in voters:
            services.ballot_cast(review=review, grades={org.branch_b.pk: "excellent"}, by=voter)
    if state == "locked":
        services.ratings_save(
            review=review,
            rows={org.branch_b.pk: {"grade": "good", "score": 85, "comment": ""}},
            by=org.office,
        )
        services.review_lock(review=review, by=org.office)
    return ReviewRound.objects.get(pk=review.pk), voters


# Who may take each ballot step on a ballot round in rating with five ballots in: the
# seated member of the leading group who has not voted yet casts one; the office adopts.
BALLOT_WHO = {"cast_ballot": ["member"], "adopt_ballot": ["office"]}


@pytest.mark.parametrize(
    ("name", "state"),
    [(name, s) for name in BALLOT_STEPS for s in ROUND_WORKFLOW.states.values],
)
def test_a_ballot_round_takes_a_ballot_step_exactly_when_the_declaration_allows(org, name, state):
    review, _voters = ballot_round_in(org, state, ballots=5)
    allowed = walk(
        workflow=ROUND_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ReviewRound.objects.get(pk=review.pk),
        step=BALLOT_STEPS[name],
        snapshot=lambda: _round_snapshot(review),
    )
    assert allowed == (BALLOT_WHO[name] if ROUND_WORKFLOW[name].starts_from(state) else [])


@pytest.mark.parametrize("name", sorted(BALLOT_STEPS))
def test_no_ballot_step_on_a_round_the_office_rates(org, name):
    review = round_in(org, "rating")  # rated by the office, not by ballot
    allowed = walk(
        workflow=ROUND_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ReviewRound.objects.get(pk=review.pk),
        step=BALLOT_STEPS[name],
        snapshot=lambda: _round_snapshot(review),
    )
    assert allowed == []


def test_the_ballot_is_adopted_only_once_five_ballots_are_in(org):
    review, _voters = ballot_round_in(org, "rating", ballots=4)
    allowed = walk(
        workflow=ROUND_WORKFLOW,
        name="adopt_ballot",
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ReviewRound.objects.get(pk=review.pk),
        step=BALLOT_STEPS["adopt_ballot"],
        snapshot=lambda: _round_snapshot(review),
    )
    assert allowed == []


def report_in(org: Org, state: str) -> PerformanceReport:
    review = open_round(org)
    report = review.reports.get()
    if state != "drafting":
        services.performance_report_save(
            report=report, duties="履职", plans="", items={}, submit=True, by=org.commissioner_b
        )
    if state == "returned":
        services.performance_report_return(report=report, note="补充", by=org.member)
    if state == "confirmed":
        services.performance_report_confirm(report=report, by=org.member)
    return PerformanceReport.objects.get(pk=report.pk)


REPORT_STEPS: dict[str, Callable[[PerformanceReport, Any], object]] = {
    "edit": lambda r, by: services.performance_report_save(
        report=r, duties="又写了", plans="打算", items={}, by=by
    ),
    "submit": lambda r, by: services.performance_report_save(
        report=r, duties="又写了", plans="", items={}, submit=True, by=by
    ),
    "confirm": lambda r, by: services.performance_report_confirm(report=r, by=by),
    "return": lambda r, by: services.performance_report_return(report=r, note="再改", by=by),
}
# The unit's commissioner (branch B's) and the office write it; its head (the member
# seated for branch B) confirms or returns it.
WHO = {
    "edit": ["office", "commissioner_b"],
    "submit": ["office", "commissioner_b"],
    "confirm": ["member"],
    "return": ["member"],
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in REPORT_WORKFLOW for s in REPORT_WORKFLOW.states.values],
)
def test_a_report_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    report = report_in(org, state)
    assert REPORT_WORKFLOW.state_of(report) == state
    allowed = walk(
        workflow=REPORT_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: PerformanceReport.objects.select_related("round", "unit").get(pk=report.pk),
        step=REPORT_STEPS[name],
        snapshot=lambda: PerformanceReport.objects.values(
            "state", "duties", "plans", "return_note", "confirmed_by"
        ).get(pk=report.pk),
    )
    assert allowed == (WHO[name] if REPORT_WORKFLOW[name].starts_from(state) else [])


def test_nothing_of_a_report_changes_once_its_round_is_locked(org):
    review = round_in(org, "locked")
    report = review.reports.get()
    for name in ("edit", "submit"):
        allowed = walk(
            workflow=REPORT_WORKFLOW,
            name=name,
            users=[(p, getattr(org, p)) for p in PERSONAS],
            load=lambda: PerformanceReport.objects.select_related("round").get(pk=report.pk),
            step=REPORT_STEPS[name],
            snapshot=lambda: PerformanceReport.objects.values("state", "duties").get(pk=report.pk),
        )
        assert allowed == []


def statement_in(org: Org, state: str) -> TargetStatement:
    services.statements_prepare(year=timezone.localdate().year, units=[org.branch_b], by=org.office)
    statement = TargetStatement.objects.get()
    if state == "signed":
        services.statement_sign(statement=statement, by=org.office)
    return TargetStatement.objects.get(pk=statement.pk)


STATEMENT_STEPS: dict[str, Callable[[TargetStatement, Any], object]] = {
    "edit": lambda s, by: services.statement_update(
        statement=s, targets="新的目标", items=[], by=by
    ),
    "sign": lambda s, by: services.statement_sign(statement=s, by=by),
    "reopen": lambda s, by: services.statement_reopen(statement=s, reason="补充", by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in STATEMENT_WORKFLOW for s in STATEMENT_WORKFLOW.states.values],
)
def test_a_statement_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    statement = statement_in(org, state)
    allowed = walk(
        workflow=STATEMENT_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: TargetStatement.objects.get(pk=statement.pk),
        step=STATEMENT_STEPS[name],
        snapshot=lambda: TargetStatement.objects.values("state", "targets", "signed_by").get(
            pk=statement.pk
        ),
    )
    assert allowed == (["office"] if STATEMENT_WORKFLOW[name].starts_from(state) else [])

"""The supervision-case workflow (`inspections.transitions.SUPERVISION_WORKFLOW`) walked
persona × state: each persona takes each step from each state through the service; the
service must agree with the declaration, a step taken changes the record and a refused
one nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db.models import Count

from inspections import supervision_services as services
from inspections.models import CasePaper, InspectionItem, SupervisionCase
from inspections.transitions import SUPERVISION_WORKFLOW
from portal.documents import services as documents
from tests.conftest import Org
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]

D = dt.date
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


def _issue(org: Org, paper: CasePaper, signer: Any) -> None:
    document = services.paper_submit(paper=paper, by=org.office)
    document = documents.document_sign(document=document, by=signer)
    documents.document_issue(document=document, by=org.office)
    documents.document_backed_issued(document=document)  # what the on-commit signal does


def case_in(org: Org, state: str, *, delegated: bool = False, report: str = "") -> SupervisionCase:
    """School A's case in `state`; `delegated` to the deputy while submitted; its report
    `submitted` or `issued` (with every letter, for a close) while approved."""
    case = services.case_create(
        title="专项督查",
        scope="范围",
        units=[org.school_a],
        items=InspectionItem.objects.filter(position=1),
        team_lead="甲",
        team="乙",
        period_start=D(2026, 9, 14),
        period_end=D(2026, 9, 25),
        by=org.office,
    )
    if state != "draft":
        services.case_submit(case=case, by=org.office)
    if delegated:
        services.case_delegate(case=case, to=org.deputy, by=org.leader)
    if state in {"approved", "closed"}:
        services.case_approve(case=case, by=org.leader)
    if report or state == "closed":
        paper = services.paper_save(case=case, purpose="report", body="报告", by=org.office)
        if report == "submitted":
            services.paper_submit(paper=paper, by=org.office)
        else:
            _issue(org, paper, org.leader)
            letter = services.paper_save(
                case=case, purpose="feedback", unit=org.school_a, body="反馈", by=org.office
            )
            _issue(org, letter, org.in_charge)
    if state == "closed":
        services.case_close(case=case, by=org.office)
    if state == "cancelled":
        services.case_cancel(case=case, reason="调整", by=org.office)
    return SupervisionCase.objects.get(pk=case.pk)


STEPS: dict[str, Callable[[SupervisionCase, Any], object]] = {
    "edit": lambda c, by: services.case_update(
        case=c,
        title="专项督查（修订）",
        scope="范围",
        units=list(c.units.all()),
        items=list(c.items.all()),
        team_lead="甲",
        team="乙",
        period_start=c.period_start,
        period_end=c.period_end,
        by=by,
    ),
    "submit": lambda c, by: services.case_submit(case=c, by=by),
    "approve": lambda c, by: services.case_approve(case=c, by=by),
    "return": lambda c, by: services.case_return(case=c, reason="补充", by=by),
    "delegate": lambda c, by: services.case_delegate(case=c, to=_deputy(c), by=by),
    "revoke": lambda c, by: services.case_revoke(case=c, by=by),
    "record": lambda c, by: services.finding_add(
        case=c, unit=c.units.get(), item=c.items.get(), text="发现", by=by
    ),
    "instruct": lambda c, by: services.instruction_add(
        case=c, text="阅", given_on=D(2026, 10, 20), author="校党委书记", by=by
    ),
    "close": lambda c, by: services.case_close(case=c, note="办结", by=by),
    "cancel": lambda c, by: services.case_cancel(case=c, reason="调整", by=by),
}


def _deputy(case: SupervisionCase) -> Any:
    from inspections.supervision_selectors import deputies

    return deputies().get()


def snapshot(case: SupervisionCase) -> Any:
    row = SupervisionCase.objects.filter(pk=case.pk).annotate(
        findings_n=Count("findings", distinct=True),
        instructions_n=Count("instructions", distinct=True),
    )
    return row.values("state", "title", "delegate", "findings_n", "instructions_n").get()


def expected(name: str, state: str) -> list[str]:
    if not SUPERVISION_WORKFLOW[name].starts_from(state):
        return []
    if name in {"approve", "return"}:
        return ["leader"]  # not delegated: the group leader only
    if name in {"delegate"}:
        return ["leader"]
    if name == "revoke":
        return []  # nothing delegated: blocked for everyone
    if name == "instruct":  # once the report is submitted (a closed case's is issued)
        return ["office", "leader", "deputy"] if state == "closed" else []
    if name == "close":
        return []  # no report issued yet
    return ["office"]


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in SUPERVISION_WORKFLOW for s in SUPERVISION_WORKFLOW.states.values],
)
def test_a_case_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        case = case_in(org, state)
        assert SUPERVISION_WORKFLOW.state_of(case) == state
        allowed = walk_case(org, case, name)
    assert allowed == expected(name, state)


def walk_case(org: Org, case: SupervisionCase, name: str) -> list[str]:
    from tests.walks import walk

    return walk(
        workflow=SUPERVISION_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: SupervisionCase.objects.get(pk=case.pk),
        step=STEPS[name],
        snapshot=lambda: snapshot(case),
    )


def test_a_delegated_case_is_approved_returned_or_revoked_as_declared(org):
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        case = case_in(org, "submitted", delegated=True)
        assert walk_case(org, case, "approve") == ["leader", "deputy"]
        assert walk_case(org, case, "return") == ["leader", "deputy"]
        assert walk_case(org, case, "revoke") == ["leader"]
        assert walk_case(org, case, "delegate") == []  # delegated already: revoke first


def test_instructions_once_the_report_is_submitted(org):
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        case = case_in(org, "approved", report="submitted")
        assert walk_case(org, case, "instruct") == ["office", "leader", "deputy"]
        assert walk_case(org, case, "close") == []  # not issued


def test_close_once_the_report_and_every_letter_are_issued(org):
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        case = case_in(org, "approved", report="issued")
        assert walk_case(org, case, "close") == ["office"]
        assert walk_case(org, case, "cancel") == []  # the report is issued
        assert walk_case(org, case, "instruct") == ["office", "leader", "deputy"]

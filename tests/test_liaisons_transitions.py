"""The liaisons' declared transitions (`liaisons/transitions.py`: a consultation's and
an appointment's) against their services: every transition × every state × every
persona. The service succeeds exactly
when the declaration allows the step, and a refused step changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liaisons import services
from liaisons.models import Consultation, Liaison, LiaisonReport
from liaisons.rules import reports_sync
from liaisons.transitions import CONSULTATION_WORKFLOW, LIAISON_WORKFLOW, REPORT_WORKFLOW
from portal.models import PoliticalStatus
from tests.conftest import Org
from tests.factories import PersonFactory
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


class Rollback(Exception):
    """Undo a step that succeeded, so the next persona starts from the same state."""


def consultation_in(org: Org, state: str) -> Consultation:
    """Branch A's consultation in `state`, filed by its commissioner."""
    c = services.consultation_file(
        unit=org.branch_a, kind="matter", title="事由", matter="说明", by=org.commissioner_a
    )
    if state in {"answered", "closed"}:
        services.consultation_answer(consultation=c, opinion="意见", by=org.office)
    if state == "closed":
        services.consultation_close(consultation=c, adoption="adopted", by=org.commissioner_a)
    if state == "withdrawn":
        services.consultation_withdraw(consultation=c, reason="取消", by=org.commissioner_a)
    return Consultation.objects.get(pk=c.pk)


def snapshot(c: Consultation) -> Any:
    return Consultation.objects.values("state", "opinion", "adoption").get(pk=c.pk)


STEPS: dict[str, Callable[[Consultation, Any], object]] = {
    "answer": lambda c, by: services.consultation_answer(consultation=c, opinion="答复", by=by),
    "withdraw": lambda c, by: services.consultation_withdraw(consultation=c, reason="撤回", by=by),
    "close": lambda c, by: services.consultation_close(
        consultation=c, adoption="partly", note="部分采纳", by=by
    ),
}

WALK = [
    pytest.param(transition.name, str(state), id=f"consultation-{transition.name}-{state}")
    for transition in CONSULTATION_WORKFLOW
    for state in CONSULTATION_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), WALK)
def test_it_lets_the_service_take_a_step_exactly_when_the_declaration_allows(org, name, state):
    consultation = consultation_in(org, state)
    assert CONSULTATION_WORKFLOW.state_of(consultation) == state
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        fresh = Consultation.objects.get(pk=consultation.pk)
        expected = CONSULTATION_WORKFLOW.can(fresh, name, user)
        before = snapshot(consultation)
        try:
            with transaction.atomic():
                STEPS[name](fresh, user)
                assert snapshot(consultation) != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snapshot(consultation) == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    if CONSULTATION_WORKFLOW[name].starts_from(state):
        assert allowed, "nobody may take a step its state allows"
    else:
        assert allowed == []


def test_the_office_answers_and_the_asking_unit_withdraws_or_closes(org):
    filed, answered = consultation_in(org, "filed"), consultation_in(org, "answered")

    def who(c: Consultation, name: str) -> set[str]:
        return {p for p in PERSONAS if CONSULTATION_WORKFLOW.can(c, name, getattr(org, p))}

    assert who(filed, "answer") == {"office"}
    assert who(filed, "withdraw") == {"office", "commissioner_a"}
    assert who(answered, "close") == {"office", "commissioner_a"}


# --- an appointment: keep (after a lapse) and end ---


def liaison_in(org: Org, state: str) -> Liaison:
    """A young Party-member liaison of school A (the basis lapses at 35) in `state`."""
    person = PersonFactory(
        name="青年教师",
        unit=org.school_a,
        political_status=PoliticalStatus.CPC,
        birth_date=timezone.localdate().replace(day=1, year=timezone.localdate().year - 34),
    )
    liaison = services.liaison_appoint(
        unit=org.school_a,
        person=person,
        start_date=timezone.localdate(),
        reason="本院无其他人选",
        by=org.office,
    )
    if state == "kept":
        services.liaison_keep(liaison=liaison, reason="留任至学期末", by=org.office)
    if state == "ended":
        services.liaison_end(
            liaison=liaison, end_date=timezone.localdate(), reason="换届", by=org.office
        )
    return Liaison.objects.get(pk=liaison.pk)


def liaison_snapshot(liaison: Liaison) -> Any:
    return Liaison.objects.values("end_date", "kept_on", "basis_reason").get(pk=liaison.pk)


LIAISON_STEPS: dict[str, Callable[[Liaison, Any], object]] = {
    "keep": lambda one, by: services.liaison_keep(liaison=one, reason="继续任职", by=by),
    "end": lambda one, by: services.liaison_end(
        liaison=one, end_date=timezone.localdate(), reason="工作调整", by=by
    ),
}

LIAISON_WALK = [
    pytest.param(transition.name, str(state), id=f"liaison-{transition.name}-{state}")
    for transition in LIAISON_WORKFLOW
    for state in LIAISON_WORKFLOW.states.values
]


@pytest.mark.parametrize(("name", "state"), LIAISON_WALK)
def test_an_appointment_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    liaison = liaison_in(org, state)
    assert LIAISON_WORKFLOW.state_of(liaison) == state
    allowed = []
    for persona in PERSONAS:
        user = getattr(org, persona)
        fresh = Liaison.objects.get(pk=liaison.pk)
        expected = LIAISON_WORKFLOW.can(fresh, name, user)
        before = liaison_snapshot(liaison)
        try:
            with transaction.atomic():
                LIAISON_STEPS[name](fresh, user)
                assert liaison_snapshot(liaison) != before, f"{persona}: nothing changed"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert liaison_snapshot(liaison) == before, f"{persona}: a refused step changed"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    if LIAISON_WORKFLOW[name].starts_from(state):
        assert allowed == ["office"]
    else:
        assert allowed == []


def test_a_liaison_whose_basis_never_lapses_has_nothing_to_keep(org):
    person = PersonFactory(name="党外教师", unit=org.school_a, political_status="non_party")
    liaison = services.liaison_appoint(
        unit=org.school_a, person=person, start_date=timezone.localdate(), by=org.office
    )
    assert LIAISON_WORKFLOW.names(liaison, org.office) == {"end"}
    with pytest.raises(ValidationError, match="仍符合任职条件"):
        services.liaison_keep(liaison=liaison, reason="理由", by=org.office)


# --- a liaison's report: submit, return, read ---


def report_in(org: Org, state: str) -> LiaisonReport:
    """The `liaison` persona's report in this semester's round, in `state`."""
    person = org.liaison.person
    assert person is not None
    person.political_status = PoliticalStatus.NON_PARTY
    person.save()
    services.liaison_appoint(
        unit=org.school_a, person=person, start_date=timezone.localdate(), by=org.office
    )
    reports_sync(timezone.localdate())
    report = LiaisonReport.objects.get()
    if state != "due":
        services.report_save(report=report, fields=REPORT, submit=True, by=org.liaison)
    if state == "returned":
        services.report_return(report=report, comment="补充", by=org.office)
    if state == "read":
        services.report_read(report=report, by=org.office)
    return LiaisonReport.objects.get(pk=report.pk)


REPORT = {"views": "思想动态", "issues": "问题"}


def written(report: LiaisonReport) -> LiaisonReport:
    """The report as the form fills it before the step (the submit guard reads it)."""
    for field, text in REPORT.items():
        setattr(report, field, text)
    return report


REPORT_STEPS: dict[str, Callable[[LiaisonReport, Any], object]] = {
    "submit": lambda r, by: services.report_save(report=r, fields=REPORT, submit=True, by=by),
    "return": lambda r, by: services.report_return(report=r, comment="请补充", by=by),
    "read": lambda r, by: services.report_read(report=r, note="已阅", by=by),
}
REPORT_WALK = [
    pytest.param(transition.name, str(state), id=f"report-{transition.name}-{state}")
    for transition in REPORT_WORKFLOW
    for state in REPORT_WORKFLOW.states.values
]


@pytest.fixture
def semester_open(settings):
    """A semester whose round is still open on the test instant, whatever it is."""
    settings.LIAISON_REPORT_DAYS_BEFORE_SEMESTER_END = 1


@pytest.mark.parametrize(("name", "state"), REPORT_WALK)
def test_a_report_takes_a_step_exactly_when_the_declaration_allows(org, semester_open, name, state):
    report = report_in(org, state)
    assert REPORT_WORKFLOW.state_of(report) == state
    allowed = walk(
        workflow=REPORT_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: written(LiaisonReport.objects.get(pk=report.pk)),
        step=REPORT_STEPS[name],
        snapshot=lambda: LiaisonReport.objects.values("state", "views", "office_note").get(
            pk=report.pk
        ),
    )
    if not REPORT_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name == "submit":
        assert allowed == ["office", "liaison"]
    else:
        assert allowed == ["office"]

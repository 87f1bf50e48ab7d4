"""The experience and information workflows (`reports.upward_transitions`) walked
persona × state: each persona takes each step from each state through the service; the
service must agree with the declaration, a step taken changes the record and a refused
one nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from reports import upward_services as services
from reports.models import Commendation, Experience, InformationReport
from reports.upward_transitions import EXPERIENCE_WORKFLOW, INFORMATION_WORKFLOW
from tests.conftest import Org
from tests.deadline_helpers import at
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
DAY = dt.date(2026, 5, 20)
# Who may take a step on school A's record (school A is under commissioner A's branch).
UNIT_STEPS = {"edit", "submit"}


@pytest.fixture(autouse=True)
def _on_a_day():
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):
        yield


def experience_in(org: Org, state: str) -> Experience:
    """School A's experience, drafted by commissioner A, in `state`."""
    experience = services.experience_create(
        unit=org.school_a, title="经验", summary="", body="做法", by=org.commissioner_a
    )
    path = {
        "drafting": [],
        "submitted": ["submit"],
        "selected": ["submit", "select"],
        "not_selected": ["submit", "reject"],
        "reported": ["submit", "select", "report_upward"],
        "published": ["submit", "select", "report_upward", "publish"],
    }[state]
    for name in path:
        EXPERIENCE_STEPS[name](Experience.objects.get(pk=experience.pk), org.office)
    return Experience.objects.get(pk=experience.pk)


EXPERIENCE_STEPS: dict[str, Callable[[Experience, Any], object]] = {
    "edit": lambda e, by: services.experience_update(
        experience=e, title="经验（改）", summary="摘要", body="做法（改）", by=by
    ),
    "submit": lambda e, by: services.experience_submit(experience=e, by=by),
    "select": lambda e, by: services.experience_select(experience=e, by=by),
    "reject": lambda e, by: services.experience_reject(experience=e, reason="不典型", by=by),
    "report_upward": lambda e, by: services.experience_report_upward(
        experience=e, reported_on=DAY, reported_to="上级统战部", by=by
    ),
    "publish": lambda e, by: services.experience_publish(
        experience=e, outlet="《统战工作简报》", published_on=DAY, by=by
    ),
    "speech": lambda e, by: services.experience_arrange_speech(
        experience=e, meeting="全体会议", speech_on=DAY, by=by
    ),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in EXPERIENCE_WORKFLOW for s in EXPERIENCE_WORKFLOW.states.values],
)
def test_an_experience_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    experience = experience_in(org, state)
    assert EXPERIENCE_WORKFLOW.state_of(experience) == state
    allowed = walk(
        workflow=EXPERIENCE_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: Experience.objects.select_related("unit").get(pk=experience.pk),
        step=EXPERIENCE_STEPS[name],
        snapshot=lambda: (
            Experience.objects.values(
                "state", "title", "not_selected_reason", "reported_to", "speech_meeting"
            ).get(pk=experience.pk),
            Commendation.objects.count(),
        ),
    )
    if not EXPERIENCE_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name in UNIT_STEPS:
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]


def information_in(org: Org, state: str) -> InformationReport:
    report = services.information_create(
        unit=org.school_a, title="信息", body="内容", by=org.commissioner_a
    )
    path = {
        "drafting": [],
        "submitted": ["submit"],
        "returned": ["submit", "return"],
        "accepted": ["submit", "accept"],
        "sent": ["submit", "accept", "send"],
        "adopted": ["submit", "accept", "send", "adopt"],
        "not_adopted": ["submit", "accept", "send", "not_adopt"],
    }[state]
    for name in path:
        INFORMATION_STEPS[name](InformationReport.objects.get(pk=report.pk), org.office)
    return InformationReport.objects.get(pk=report.pk)


INFORMATION_STEPS: dict[str, Callable[[InformationReport, Any], object]] = {
    "edit": lambda r, by: services.information_update(
        report=r, title="信息（改）", body="内容（改）", by=by
    ),
    "submit": lambda r, by: services.information_submit(report=r, by=by),
    "return": lambda r, by: services.information_return(report=r, reason="要素不全", by=by),
    "accept": lambda r, by: services.information_accept(report=r, by=by),
    "send": lambda r, by: services.information_send(
        report=r, sent_on=DAY, sent_to="自治区党委统战部", by=by
    ),
    "adopt": lambda r, by: services.information_adopt(
        report=r, level="provincial", outlet="《统战信息》", adopted_on=DAY, by=by
    ),
    "not_adopt": lambda r, by: services.information_not_adopt(report=r, by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in INFORMATION_WORKFLOW for s in INFORMATION_WORKFLOW.states.values],
)
def test_information_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    report = information_in(org, state)
    assert INFORMATION_WORKFLOW.state_of(report) == state
    allowed = walk(
        workflow=INFORMATION_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: InformationReport.objects.select_related("unit").get(pk=report.pk),
        step=INFORMATION_STEPS[name],
        snapshot=lambda: InformationReport.objects.values(
            "state", "title", "return_reason", "sent_to", "adoption_outlet"
        ).get(pk=report.pk),
    )
    if not INFORMATION_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name in UNIT_STEPS:
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]

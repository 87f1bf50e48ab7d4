"""The research workflows (`inspections.research_transitions`) walked persona × state:
each persona takes each step from each state through the service; the service must
agree with the declaration, a step taken changes the record and a refused one nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from inspections import research_services as services
from inspections.models import ResearchTopic, ResearchVisit
from inspections.research_transitions import RESEARCH_TOPIC_WORKFLOW, RESEARCH_VISIT_WORKFLOW
from tests.conftest import Org
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


def visit_in(org: Org, state: str) -> ResearchVisit:
    today = timezone.localdate()
    visit = services.research_visit_plan(
        year=today.year,
        subject="主题",
        plan="方案",
        units=[org.school_a],
        starts_on=today,
        ends_on=today,
        by=org.office,
    )
    if state in {"ended", "reported"}:
        services.research_visit_finish(visit=visit, ends_on=today, findings="发现", by=org.office)
    if state == "reported":
        services.research_visit_report(visit=visit, report="报告", by=org.office)
    if state == "cancelled":
        services.research_visit_cancel(visit=visit, reason="取消", by=org.office)
    return ResearchVisit.objects.get(pk=visit.pk)


VISIT_STEPS: dict[str, Callable[[ResearchVisit, Any], object]] = {
    "finish": lambda v, by: services.research_visit_finish(
        visit=v, ends_on=timezone.localdate(), findings="又发现", by=by
    ),
    "report": lambda v, by: services.research_visit_report(visit=v, report="又报告", by=by),
    "send_upward": lambda v, by: services.research_visit_send_upward(
        visit=v, sent_on=timezone.localdate(), sent_to="上级统战部", by=by
    ),
    "respond": lambda v, by: services.research_visit_respond(visit=v, response="意见", by=by),
    "assign": lambda v, by: services.research_visit_assign(
        visit=v,
        unit=v.units.get(),
        title="整改",
        problem="问题",
        measures="措施",
        due=timezone.localdate() + dt.timedelta(days=30),
        by=by,
    ),
    "cancel": lambda v, by: services.research_visit_cancel(visit=v, reason="不再进行", by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in RESEARCH_VISIT_WORKFLOW for s in RESEARCH_VISIT_WORKFLOW.states.values],
)
def test_a_visit_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    visit = visit_in(org, state)
    assert RESEARCH_VISIT_WORKFLOW.state_of(visit) == state
    allowed = walk(
        workflow=RESEARCH_VISIT_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ResearchVisit.objects.select_related("deadline").get(pk=visit.pk),
        step=VISIT_STEPS[name],
        snapshot=lambda: (
            ResearchVisit.objects.values(
                "state", "findings", "report", "sent_upward_to", "response", "cancel_reason"
            ).get(pk=visit.pk),
            list(ResearchVisit.objects.get(pk=visit.pk).rectifications.values_list("pk")),
        ),
    )
    assert allowed == (["office"] if RESEARCH_VISIT_WORKFLOW[name].starts_from(state) else [])


def test_a_visit_goes_upward_once(org):
    visit = visit_in(org, "reported")
    VISIT_STEPS["send_upward"](visit, org.office)
    allowed = walk(
        workflow=RESEARCH_VISIT_WORKFLOW,
        name="send_upward",
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ResearchVisit.objects.get(pk=visit.pk),
        step=VISIT_STEPS["send_upward"],
        snapshot=lambda: ResearchVisit.objects.values("sent_upward_on", "sent_upward_to").get(
            pk=visit.pk
        ),
    )
    assert allowed == []


def topic_in(org: Org, state: str) -> ResearchTopic:
    """A topic taken by school A (commissioner A's) in `state`."""
    topic = services.research_topic_propose(
        year=timezone.localdate().year,
        title="课题",
        description="内容",
        unit=org.school_a,
        origin="新情况",
        by=org.office,
    )
    if state in {"assigned", "completed"}:
        services.research_topic_assign(topic=topic, by=org.office)
    if state == "completed":
        services.research_topic_complete(
            topic=topic, outcome_kind="report", outcome="报告", by=org.office
        )
    if state == "dropped":
        services.research_topic_drop(topic=topic, reason="撤销", by=org.office)
    return ResearchTopic.objects.get(pk=topic.pk)


TOPIC_STEPS: dict[str, Callable[[ResearchTopic, Any], object]] = {
    "assign": lambda t, by: services.research_topic_assign(topic=t, by=by),
    "complete": lambda t, by: services.research_topic_complete(
        topic=t, outcome_kind="paper", outcome="论文", by=by
    ),
    "recognise": lambda t, by: services.research_topic_recognise(
        topic=t, sent_upward_on=None, award="获奖", by=by
    ),
    "drop": lambda t, by: services.research_topic_drop(topic=t, reason="不再研究", by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in RESEARCH_TOPIC_WORKFLOW for s in RESEARCH_TOPIC_WORKFLOW.states.values],
)
def test_a_topic_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    topic = topic_in(org, state)
    assert RESEARCH_TOPIC_WORKFLOW.state_of(topic) == state
    allowed = walk(
        workflow=RESEARCH_TOPIC_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: ResearchTopic.objects.select_related("unit", "person", "deadline").get(
            pk=topic.pk
        ),
        step=TOPIC_STEPS[name],
        snapshot=lambda: ResearchTopic.objects.values(
            "state", "outcome", "award", "drop_reason"
        ).get(pk=topic.pk),
    )
    if not RESEARCH_TOPIC_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name == "complete":
        # The taking unit (school A is under commissioner A's branch) or the office.
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]

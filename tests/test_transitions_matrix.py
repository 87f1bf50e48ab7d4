"""The access matrix's transitions part: every workflow the portal declares is walked.

Each app's walk test takes every transition × every state it starts from × every
persona, builds the record in that state through the services, and checks the service
succeeds exactly when the declaration allows and changes no row otherwise
(`tests/test_<app>_transitions.py`). This test fails while a declared workflow has no
walk, so a new app's workflow cannot go unwalked.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps

from portal.lib.transitions import DECLARED, Workflow

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

# The walk of each workflow: the test module that takes it transition × state × persona.
WALKS = {
    "portal.documents.transitions.WORKFLOW": "tests.test_documents_transitions",
    "portal.deadlines.transitions.DEADLINE_WORKFLOW": "tests.test_deadlines_transitions",
    "portal.deadlines.transitions.EXTENSION_WORKFLOW": "tests.test_deadlines_transitions",
    "portal.exportjobs.transitions.JOB_WORKFLOW": "tests.test_exportjobs_transitions",
    "meetings.transitions.MEETING_WORKFLOW": "tests.test_meetings_transitions",
    "meetings.transitions.MINUTES_WORKFLOW": "tests.test_meetings_transitions",
    "meetings.transitions.TOPIC_WORKFLOW": "tests.test_meetings_transitions",
    "meetings.transitions.FOLLOW_UP_WORKFLOW": "tests.test_meetings_transitions",
    "outreach.transitions.pairs.TALK_WORKFLOW": "tests.test_outreach_pairs_transitions",
    "outreach.transitions.suggestions.SUGGESTION_WORKFLOW": (
        "tests.test_outreach_suggestions_transitions"
    ),
    "liaisons.transitions.CONSULTATION_WORKFLOW": "tests.test_liaisons_transitions",
    "liaisons.transitions.LIAISON_WORKFLOW": "tests.test_liaisons_transitions",
    "liaisons.publicity.transitions.PIECE_WORKFLOW": "tests.test_liaisons_publicity_transitions",
    "liaisons.publicity.transitions.SLOT_WORKFLOW": "tests.test_liaisons_publicity_transitions",
    "liaisons.transitions.REPORT_WORKFLOW": "tests.test_liaisons_transitions",
    "inspections.transitions.RECTIFICATION_WORKFLOW": "tests.test_inspections_transitions",
    "inspections.transitions.MEASURE_WORKFLOW": "tests.test_inspections_transitions",
    "inspections.transitions.ADMONITION_WORKFLOW": "tests.test_inspections_transitions",
    "inspections.transitions.SUPERVISION_WORKFLOW": (
        "tests.test_inspections_supervision_transitions"
    ),
    "inspections.research_transitions.RESEARCH_VISIT_WORKFLOW": (
        "tests.test_inspections_research_transitions"
    ),
    "inspections.research_transitions.RESEARCH_TOPIC_WORKFLOW": (
        "tests.test_inspections_research_transitions"
    ),
    "reports.review_transitions.ROUND_WORKFLOW": "tests.test_reports_review_transitions",
    "reports.review_transitions.REPORT_WORKFLOW": "tests.test_reports_review_transitions",
    "reports.review_transitions.STATEMENT_WORKFLOW": "tests.test_reports_review_transitions",
    # reports: experiences and information upward
    "reports.upward_transitions.EXPERIENCE_WORKFLOW": "tests.test_reports_upward_transitions",
    "reports.upward_transitions.INFORMATION_WORKFLOW": "tests.test_reports_upward_transitions",
}


def _resolve(dotted: str) -> Workflow:
    module, _, name = dotted.rpartition(".")
    workflow = getattr(importlib.import_module(module), name)
    assert isinstance(workflow, Workflow), dotted
    return workflow


def _portal_workflows() -> list[Workflow]:
    """Every workflow the apps declare in their `transitions` module, not the tests' own."""
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.transitions") is not None:
            importlib.import_module(f"{config.name}.transitions")
    return [w for w in DECLARED if not w.states.__module__.startswith("tests.")]


def test_it_walks_every_workflow_the_portal_declares():
    walked = {id(_resolve(dotted)) for dotted in WALKS}
    unwalked = [repr(w) for w in _portal_workflows() if id(w) not in walked]
    assert not unwalked, f"declare a walk in WALKS and write it: {unwalked}"


@pytest.mark.parametrize("dotted", sorted(WALKS))
def test_it_finds_each_workflow_in_its_walk(dotted):
    """The walk module uses the very workflow object (not a copy of its table)."""
    workflow = _resolve(dotted)
    walk = importlib.import_module(WALKS[dotted])
    assert any(value is workflow for value in vars(walk).values()), WALKS[dotted]
    assert list(workflow.sources()), f"{dotted} declares no transition"

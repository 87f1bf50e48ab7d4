"""The rectification workflows (`inspections.transitions`) walked persona × state: each
persona takes each step from each state through the service; the service must agree
with the declaration, a step taken changes the record and a refused one nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from inspections import services
from inspections.models import Admonition, AdmonitionTrigger, Measure, Rectification
from inspections.transitions import (
    ADMONITION_WORKFLOW,
    MEASURE_WORKFLOW,
    RECTIFICATION_WORKFLOW,
)
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


def assigned(org: Org, measures: str = "措施一\n措施二") -> Rectification:
    """School A's rectification (under branch A: commissioner A's), due in a month."""
    return services.rectification_assign(
        unit=org.school_a,
        source=Rectification.Source.SUPERVISION,
        title="实训室安全管理",
        problem="台账不全",
        measures=measures,
        due=timezone.localdate() + dt.timedelta(days=30),
        by=org.office,
    )


def measure_in(org: Org, state: str, *, closed: str = "") -> Measure:
    """The first measure of a rectification, in `state`; the rectification closed or
    cancelled when `closed` says so (its measures all verified first, for a close)."""
    rectification = assigned(org, measures="措施一")
    measure = rectification.measures.get()
    if state in {"reported", "accepted", "reopened"} or closed == "close":
        services.measure_report(measure=measure, report="已完成", by=org.commissioner_a)
    if state == "accepted" or closed == "close":
        services.measure_accept(measure=measure, by=org.office)
    if state == "reopened":
        services.measure_reopen(measure=measure, reason="佐证不足", by=org.office)
    if closed == "close":
        services.rectification_close(
            rectification=rectification, conclusion="同意销号", by=org.office
        )
    elif closed == "cancel":
        services.rectification_cancel(rectification=rectification, reason="重复交办", by=org.office)
    return Measure.objects.get(pk=measure.pk)


RECTIFICATION_STEPS: dict[str, Callable[[Rectification, Any], object]] = {
    "edit": lambda r, by: services.rectification_update(
        rectification=r,
        title="实训室安全管理（修改）",
        problem=r.problem,
        due=r.deadline.due,  # type: ignore[union-attr]
        by=by,
    ),
    "progress": lambda r, by: services.progress_add(rectification=r, text="新的进展", by=by),
    "close": lambda r, by: services.rectification_close(rectification=r, conclusion="同意", by=by),
    "cancel": lambda r, by: services.rectification_cancel(rectification=r, reason="重复", by=by),
}


def rectification_in(org: Org, state: str, *, verified: bool) -> Rectification:
    rectification = assigned(org, measures="措施一")
    measure = rectification.measures.get()
    if verified or state == "closed":
        services.measure_report(measure=measure, report="已完成", by=org.commissioner_a)
        services.measure_accept(measure=measure, by=org.office)
    if state == "closed":
        services.rectification_close(rectification=rectification, conclusion="同意", by=org.office)
    elif state == "cancelled":
        services.rectification_cancel(rectification=rectification, reason="重复", by=org.office)
    return Rectification.objects.get(pk=rectification.pk)


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in RECTIFICATION_WORKFLOW for s in RECTIFICATION_WORKFLOW.states.values],
)
def test_a_rectification_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    rectification = rectification_in(org, state, verified=True)
    assert RECTIFICATION_WORKFLOW.state_of(rectification) == state
    allowed = walk(
        workflow=RECTIFICATION_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: Rectification.objects.get(pk=rectification.pk),
        step=RECTIFICATION_STEPS[name],
        snapshot=lambda: (
            Rectification.objects.values("state", "conclusion", "title").get(pk=rectification.pk),
            rectification.progress.count(),
        ),
    )
    if state != "open":
        assert allowed == []
    elif name == "progress":  # the owner unit (school A is commissioner A's) or the office
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]


def test_a_rectification_with_a_measure_not_verified_cannot_be_closed(org):
    rectification = rectification_in(org, "open", verified=False)
    allowed = walk(
        workflow=RECTIFICATION_WORKFLOW,
        name="close",
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: Rectification.objects.get(pk=rectification.pk),
        step=RECTIFICATION_STEPS["close"],
        snapshot=lambda: Rectification.objects.values("state").get(pk=rectification.pk),
    )
    assert allowed == []


MEASURE_STEPS: dict[str, Callable[[Measure, Any], object]] = {
    "report": lambda m, by: services.measure_report(measure=m, report="又做了", by=by),
    "accept": lambda m, by: services.measure_accept(measure=m, by=by),
    "reopen": lambda m, by: services.measure_reopen(measure=m, reason="不够", by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in MEASURE_WORKFLOW for s in MEASURE_WORKFLOW.states.values],
)
def test_a_measure_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    measure = measure_in(org, state)
    assert MEASURE_WORKFLOW.state_of(measure) == state
    allowed = walk(
        workflow=MEASURE_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: Measure.objects.select_related("rectification").get(pk=measure.pk),
        step=MEASURE_STEPS[name],
        snapshot=lambda: Measure.objects.values("state", "report", "reopen_reason").get(
            pk=measure.pk
        ),
    )
    if not MEASURE_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name == "report":
        # The owner unit (school A is under commissioner A's branch) or the office.
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]


@pytest.mark.parametrize("closed", ["close", "cancel"])
def test_no_measure_moves_once_its_rectification_is_closed_or_cancelled(org, closed):
    measure = measure_in(org, "accepted", closed=closed)
    for name in ("report", "accept", "reopen"):
        allowed = walk(
            workflow=MEASURE_WORKFLOW,
            name=name,
            users=[(p, getattr(org, p)) for p in PERSONAS],
            load=lambda: Measure.objects.select_related("rectification").get(pk=measure.pk),
            step=MEASURE_STEPS[name],
            snapshot=lambda: Measure.objects.values("state").get(pk=measure.pk),
        )
        assert allowed == [], name


# Admonition talks -------------------------------------------------------------------------


def admonition_in(org: Org, state: str) -> Admonition:
    """School A's admonition (commissioner A's) in `state`."""
    admonition = services.admonition_propose(
        unit=org.school_a,
        triggers=AdmonitionTrigger.objects.all()[:1],
        facts="工作推进不力",
        by=org.office,
    )
    today = timezone.localdate()
    if state in {"talked", "reported", "concluded"}:
        services.admonition_talk(
            admonition=admonition,
            talk_on=today,
            participants="甲、乙",
            record="记录",
            by=org.office,
        )
    if state in {"reported", "concluded"}:
        services.admonition_report(admonition=admonition, report="已整改", by=org.commissioner_a)
    if state == "concluded":
        services.admonition_conclude(
            admonition=admonition, verdict="done", note="到位", by=org.office
        )
    if state == "withdrawn":
        services.admonition_withdraw(admonition=admonition, reason="情况有变", by=org.office)
    return Admonition.objects.get(pk=admonition.pk)


ADMONITION_STEPS: dict[str, Callable[[Admonition, Any], object]] = {
    "talk": lambda a, by: services.admonition_talk(
        admonition=a, talk_on=timezone.localdate(), participants="丙", record="又谈", by=by
    ),
    "report": lambda a, by: services.admonition_report(admonition=a, report="报告", by=by),
    "conclude": lambda a, by: services.admonition_conclude(
        admonition=a, verdict="done", note="同意", by=by
    ),
    "withdraw": lambda a, by: services.admonition_withdraw(admonition=a, reason="撤回", by=by),
}


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in ADMONITION_WORKFLOW for s in ADMONITION_WORKFLOW.states.values],
)
def test_an_admonition_takes_a_step_exactly_when_the_declaration_allows(org, name, state):
    admonition = admonition_in(org, state)
    assert ADMONITION_WORKFLOW.state_of(admonition) == state
    allowed = walk(
        workflow=ADMONITION_WORKFLOW,
        name=name,
        users=[(p, getattr(org, p)) for p in PERSONAS],
        load=lambda: Admonition.objects.select_related("unit", "deadline").get(pk=admonition.pk),
        step=ADMONITION_STEPS[name],
        snapshot=lambda: Admonition.objects.values("state", "report", "verdict_note").get(
            pk=admonition.pk
        ),
    )
    if not ADMONITION_WORKFLOW[name].starts_from(state):
        assert allowed == []
    elif name == "report":
        assert allowed == ["office", "commissioner_a"]
    else:
        assert allowed == ["office"]

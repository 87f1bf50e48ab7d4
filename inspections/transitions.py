"""The inspections app's declared workflows.

A rectification (整改):

open ──close──▶ closed        (the office, once every measure is verified; meets the deadline)
open ──cancel──▶ cancelled    (the office, with a reason: raised in error; waives it)
open: edit (the office), progress (the owner unit or the office) leave the state as it is

A measure of an open rectification (整改措施):

pending, reopened ──report──▶ reported   (the owner unit, or the office for it)
reported ──accept──▶ accepted            (the office verifies it)
reported, accepted ──reopen──▶ reopened  (the office, with the reason)

An admonition talk (通报约谈):

proposed ──talk──▶ talked            (the office records the talk; the unit's report is due)
talked ──report──▶ reported          (the unit, or the office for it; meets the deadline)
reported ──conclude──▶ concluded     (the office's verdict; may assign a rectification)
proposed, talked ──withdraw──▶ withdrawn  (the office, with a reason)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from inspections.models import Admonition, CasePaper, Measure, Rectification, SupervisionCase
from portal.documents.permissions import is_group_leader
from portal.lib.transitions import Transition, Workflow
from portal.models import Role, User
from portal.permissions import has_role, is_office, own_unit_ids

GROUP_LEADER = User.Leadership.GROUP_LEADER
DEPUTY_LEADER = User.Leadership.DEPUTY_LEADER

# Who acts for the owner unit: its commissioner, or a group member from it.
UNIT_ROLES = (Role.COMMISSIONER, Role.MEMBER)

State = Rectification.State
MeasureState = Measure.State


def office(user: Any, record: Any) -> bool:
    return is_office(user)


def owner_unit(user: Any, rectification: Rectification) -> bool:
    return has_role(user, *UNIT_ROLES) and rectification.unit_id in own_unit_ids(user)


def _measures_open(rectification: Rectification) -> str | None:
    left = [m for m in rectification.measures.all() if m.state != MeasureState.ACCEPTED]
    if left:
        return str(_("还有 %(count)s 项整改措施未核验，不能销号。") % {"count": len(left)})
    return None


def owner_unit_or_office_of(user: Any, rectification: Rectification) -> bool:
    return is_office(user) or owner_unit(user, rectification)


RECTIFICATION_WORKFLOW = Workflow(
    Rectification.State,
    Transition(
        "edit",
        _("修改"),
        source={State.OPEN},
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以修改整改事项。"),
    ),
    Transition(
        "progress",
        _("报告进展"),
        source={State.OPEN},
        who=owner_unit_or_office_of,
        refused=_("只有整改单位或办公室可以报告整改进展。"),
    ),
    Transition(
        "close",
        _("销号"),
        source={State.OPEN},
        target=State.CLOSED,
        who=office,
        blocked=_measures_open,
        refused=_("只有办公室可以销号。"),
    ),
    Transition(
        "cancel",
        _("撤销"),
        source={State.OPEN},
        target=State.CANCELLED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以撤销整改事项。"),
    ),
)


def owner_unit_or_office(user: Any, measure: Measure) -> bool:
    return is_office(user) or owner_unit(user, measure.rectification)


def _rectification_closed(measure: Measure) -> str | None:
    if measure.rectification.state != State.OPEN:
        return str(_("整改事项%(state)s。") % {"state": measure.rectification.state_label})
    return None


MEASURE_WORKFLOW = Workflow(
    Measure.State,
    Transition(
        "report",
        _("报告完成"),
        source={MeasureState.PENDING, MeasureState.REOPENED},
        target=MeasureState.REPORTED,
        who=owner_unit_or_office,
        blocked=_rectification_closed,
        refused=_("只有整改单位或办公室可以报告整改完成情况。"),
    ),
    Transition(
        "accept",
        _("核验通过"),
        source={MeasureState.REPORTED},
        target=MeasureState.ACCEPTED,
        who=office,
        blocked=_rectification_closed,
        refused=_("只有办公室可以核验整改措施。"),
    ),
    Transition(
        "reopen",
        _("退回整改"),
        source={MeasureState.REPORTED, MeasureState.ACCEPTED},
        target=MeasureState.REOPENED,
        who=office,
        style="outline-danger",
        blocked=_rectification_closed,
        refused=_("只有办公室可以退回整改措施。"),
    ),
)


AdmonitionState = Admonition.State


def admonished_unit_or_office(user: Any, admonition: Admonition) -> bool:
    return is_office(user) or (
        has_role(user, *UNIT_ROLES) and admonition.unit_id in own_unit_ids(user)
    )


ADMONITION_WORKFLOW = Workflow(
    Admonition.State,
    Transition(
        "talk",
        _("登记约谈"),
        source={AdmonitionState.PROPOSED},
        target=AdmonitionState.TALKED,
        who=office,
        refused=_("只有办公室可以登记约谈。"),
    ),
    Transition(
        "report",
        _("报送整改报告"),
        source={AdmonitionState.TALKED},
        target=AdmonitionState.REPORTED,
        who=admonished_unit_or_office,
        refused=_("只有被约谈单位或办公室可以报送整改报告。"),
    ),
    Transition(
        "conclude",
        _("审核办结"),
        source={AdmonitionState.REPORTED},
        target=AdmonitionState.CONCLUDED,
        who=office,
        refused=_("只有办公室可以审核办结。"),
    ),
    Transition(
        "withdraw",
        _("撤回"),
        source={AdmonitionState.PROPOSED, AdmonitionState.TALKED},
        target=AdmonitionState.WITHDRAWN,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以撤回通报约谈。"),
    ),
)


# Supervision cases (督促检查) ------------------------------------------------------------------
#
# draft ──submit──▶ submitted ──approve──▶ approved ──close──▶ closed
#   ▲                  │ return                │
#   └──────────────────┘                       │ (findings, the report, the letters, the notice)
# draft, submitted, approved ──cancel──▶ cancelled
#
# `delegate`/`revoke` (the group leader, while it waits for approval), `edit` (the plan,
# while a draft), `record` (findings, while approved) and `instruct` (批示 on the report)
# leave the state as it is.

CaseState = SupervisionCase.State


def may_approve(user: Any, case: SupervisionCase) -> bool:
    """The group leader, or the deputy the group leader delegated this case to."""
    if not has_role(user, Role.LEADER):
        return False
    return is_group_leader(user) or (case.delegate_id is not None and case.delegate_id == user.pk)


def may_instruct(user: Any, case: SupervisionCase) -> bool:
    """批示: the group leader and the deputies review the report; the office records the
    Party committee's."""
    return is_office(user) or (
        has_role(user, Role.LEADER)
        and getattr(user, "leadership", "") in {GROUP_LEADER, DEPUTY_LEADER}
    )


def _delegated(case: SupervisionCase) -> str | None:
    if case.delegate_id is not None:
        return str(_("已委托副组长批准，如需改派请先撤销委托。"))
    return None


def _not_delegated(case: SupervisionCase) -> str | None:
    if case.delegate_id is None:
        return str(_("本方案没有委托，无需撤销。"))
    return None


def _report_submitted(case: SupervisionCase) -> str | None:
    report = case_paper(case, CasePaper.Purpose.REPORT)
    if report is None or report.document_id is None or report.is_editable:
        return str(_("督查报告报审后才能登记批示。"))
    return None


def _report_issued(case: SupervisionCase) -> str | None:
    report = case_paper(case, CasePaper.Purpose.REPORT)
    if report is not None and report.is_issued:
        return str(_("督查报告已印发，不能撤销。"))
    return None


def _papers_issued(case: SupervisionCase) -> str | None:
    report = case_paper(case, CasePaper.Purpose.REPORT)
    if report is None or not report.is_issued:
        return str(_("督查报告印发后才能办结。"))
    issued = {
        p.unit_id
        for p in case.papers.all()
        if p.purpose == CasePaper.Purpose.FEEDBACK and p.is_issued
    }
    missing = [unit.name for unit in case.units.all() if unit.pk not in issued]
    if missing:
        return str(
            _("以下单位的反馈意见尚未印发：%(units)s。") % {"units": "、".join(sorted(missing))}
        )
    return None


def case_paper(case: SupervisionCase, purpose: str, unit_id: int | None = None) -> CasePaper | None:
    """The case's report, notice or one unit's letter, from the prefetched papers when
    the page prefetched them."""
    for paper in case.papers.all():
        if paper.purpose == purpose and paper.unit_id == unit_id:
            return paper
    return None


SUPERVISION_WORKFLOW = Workflow(
    SupervisionCase.State,
    Transition(
        "edit",
        _("修改方案"),
        source={CaseState.DRAFT},
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以拟定督查方案。"),
    ),
    Transition(
        "submit",
        _("报请批准"),
        source={CaseState.DRAFT},
        target=CaseState.SUBMITTED,
        who=office,
        refused=_("只有办公室可以报请批准督查方案。"),
    ),
    Transition(
        "approve",
        _("批准"),
        source={CaseState.SUBMITTED},
        target=CaseState.APPROVED,
        who=may_approve,
        refused=_("督查方案由组长或组长委托的副组长批准。"),
    ),
    Transition(
        "return",
        _("退回修改"),
        source={CaseState.SUBMITTED},
        target=CaseState.DRAFT,
        who=may_approve,
        style="outline-danger",
        refused=_("督查方案由组长或组长委托的副组长批准。"),
    ),
    Transition(
        "delegate",
        _("委托副组长批准"),
        source={CaseState.SUBMITTED},
        who=lambda user, case: is_group_leader(user),
        style="outline-primary",
        blocked=_delegated,
        refused=_("只有组长可以委托副组长批准。"),
    ),
    Transition(
        "revoke",
        _("撤销委托"),
        source={CaseState.SUBMITTED},
        who=lambda user, case: is_group_leader(user),
        style="outline-secondary",
        blocked=_not_delegated,
        refused=_("只有组长可以撤销委托。"),
    ),
    Transition(
        "record",
        _("登记督查发现"),
        source={CaseState.APPROVED},
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以登记督查发现。"),
    ),
    Transition(
        "instruct",
        _("登记批示"),
        source={CaseState.APPROVED, CaseState.CLOSED},
        who=may_instruct,
        style="outline-primary",
        blocked=_report_submitted,
        refused=_("批示由组长、副组长作出，校党委的批示由办公室登记。"),
    ),
    Transition(
        "close",
        _("办结"),
        source={CaseState.APPROVED},
        target=CaseState.CLOSED,
        who=office,
        blocked=_papers_issued,
        refused=_("只有办公室可以办结督促检查。"),
    ),
    Transition(
        "cancel",
        _("撤销"),
        source={CaseState.DRAFT, CaseState.SUBMITTED, CaseState.APPROVED},
        target=CaseState.CANCELLED,
        who=office,
        style="outline-danger",
        blocked=_report_issued,
        refused=_("只有办公室可以撤销督促检查。"),
    ),
)

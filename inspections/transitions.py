"""The inspections app's declared workflows.

A rectification (整改):

open ──close──▶ closed        (the office, once every measure is verified; meets the deadline)
open ──cancel──▶ cancelled    (the office, with a reason: raised in error; waives it)

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

from inspections.models import Admonition, Measure, Rectification
from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids

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


RECTIFICATION_WORKFLOW = Workflow(
    Rectification.State,
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

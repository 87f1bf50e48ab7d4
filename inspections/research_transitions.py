"""The research workflows (调研指导, 调研课题), declared as the app's others are
(`inspections.transitions`).

A research-guidance visit (调研指导), the office's throughout; leaders and group
members read:

planned ──finish──▶ ended             (the end date and findings; the report falls due
                                       one calendar month later: `research_report`)
ended ──report──▶ reported            (the report to the group; meets the deadline)
reported ──send_upward──▶ reported    (报上级部门: the date and to whom; once)
reported ──respond──▶ reported        (the group's response, recorded by the office)
ended, reported ──assign──▶ (same)    (a problem found, assigned as a rectification)
planned, ended ──cancel──▶ cancelled  (with a reason; waives the deadline)

A research topic (调研课题):

proposed ──assign──▶ assigned          (the office gives it to the unit or the figure)
assigned ──complete──▶ completed       (the outcome: the office, or the taking unit's
                                        commissioner or group member; meets the deadline)
completed ──recognise──▶ completed     (the office: sent upward, any award)
proposed, assigned ──drop──▶ dropped   (the office, with a reason; waives the deadline)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from inspections.models import ResearchTopic, ResearchVisit
from inspections.transitions import UNIT_ROLES, office
from portal.lib.transitions import Transition, Workflow
from portal.permissions import has_role, is_office, own_unit_ids

VisitState = ResearchVisit.State
TopicState = ResearchTopic.State


def _already_upward(visit: ResearchVisit) -> str | None:
    if visit.sent_upward_on is not None:
        return str(_("已于 %(day)s 报上级部门。") % {"day": f"{visit.sent_upward_on:%Y-%m-%d}"})
    return None


RESEARCH_VISIT_WORKFLOW = Workflow(
    ResearchVisit.State,
    Transition(
        "finish",
        _("结束调研"),
        source={VisitState.PLANNED},
        target=VisitState.ENDED,
        who=office,
        refused=_("只有办公室可以登记调研指导结束。"),
    ),
    Transition(
        "report",
        _("报送领导小组"),
        source={VisitState.ENDED},
        target=VisitState.REPORTED,
        who=office,
        refused=_("只有办公室可以报送调研指导报告。"),
    ),
    Transition(
        "send_upward",
        _("报上级部门"),
        source={VisitState.REPORTED},
        target=None,
        who=office,
        style="outline-primary",
        blocked=_already_upward,
        refused=_("只有办公室可以登记报上级部门。"),
    ),
    Transition(
        "respond",
        _("登记领导小组意见"),
        source={VisitState.REPORTED},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以登记领导小组意见。"),
    ),
    Transition(
        "assign",
        _("交办整改"),
        source={VisitState.ENDED, VisitState.REPORTED},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以交办整改事项。"),
    ),
    Transition(
        "cancel",
        _("取消"),
        source={VisitState.PLANNED, VisitState.ENDED},
        target=VisitState.CANCELLED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以取消调研指导。"),
    ),
)


def taking_unit_or_office(user: Any, topic: ResearchTopic) -> bool:
    """The office, or a commissioner or group member of the unit that answers for the
    topic (the taking unit, or the figure's unit) or a unit above it."""
    if is_office(user):
        return True
    return has_role(user, *UNIT_ROLES) and topic.owner_unit_id in own_unit_ids(user)


RESEARCH_TOPIC_WORKFLOW = Workflow(
    ResearchTopic.State,
    Transition(
        "assign",
        _("下达课题"),
        source={TopicState.PROPOSED},
        target=TopicState.ASSIGNED,
        who=office,
        refused=_("只有办公室可以下达调研课题。"),
    ),
    Transition(
        "complete",
        _("报送成果"),
        source={TopicState.ASSIGNED},
        target=TopicState.COMPLETED,
        who=taking_unit_or_office,
        refused=_("只有承担单位或办公室可以报送研究成果。"),
    ),
    Transition(
        "recognise",
        _("登记报送和获奖"),
        source={TopicState.COMPLETED},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以登记报送和获奖情况。"),
    ),
    Transition(
        "drop",
        _("撤销课题"),
        source={TopicState.PROPOSED, TopicState.ASSIGNED},
        target=TopicState.DROPPED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以撤销调研课题。"),
    ),
)

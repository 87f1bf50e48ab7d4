"""A suggestion's workflow (意见建议 → 处理 → 情况反馈).

new, sent_back ──assign──▶ assigned          (the office; a lead unit and co-units)
assigned ──send_back──▶ sent_back            (the lead unit, within a few working days)
assigned ──answer──▶ answered                (the lead unit, or the office for it)
answered ──approve──▶ approved               (the office accepts the answer)
answered ──return_answer──▶ assigned         (the office wants a better one)
approved ──feed_back──▶ fed_back             (the office tells the figure; satisfaction)
fed_back ──reopen──▶ assigned                (the office, when the figure is unsatisfied)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import Suggestion
from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids
from portal.workdays import workdays_between

State = Suggestion.State


def send_back_workdays() -> int:
    return int(getattr(settings, "OUTREACH_SUGGESTION_SEND_BACK_WORKDAYS", 3))


def office(user: Any, suggestion: Suggestion) -> bool:
    return is_office(user)


def lead_unit(user: Any, suggestion: Suggestion) -> bool:
    """The lead unit's commissioner or group member (as for follow-up items)."""
    return (
        suggestion.lead_unit_id is not None
        and has_role(user, Role.COMMISSIONER, Role.MEMBER)
        and suggestion.lead_unit_id in own_unit_ids(user)
    )


def lead_unit_or_office(user: Any, suggestion: Suggestion) -> bool:
    return is_office(user) or lead_unit(user, suggestion)


def _send_back_window(suggestion: Suggestion) -> str | None:
    if suggestion.assigned_on is None:
        return None
    days = workdays_between(suggestion.assigned_on, timezone.localdate())
    if days > send_back_workdays():
        return str(
            _("交办已超过%(days)s个工作日，不能再退回；如确非本单位职责，请联系办公室。")
            % {"days": send_back_workdays()}
        )
    return None


def _unsatisfied(suggestion: Suggestion) -> str | None:
    if suggestion.satisfaction != Suggestion.Satisfaction.UNSATISFIED:
        return str(_("提出人对答复满意或基本满意，无需重新办理。"))
    return None


SUGGESTION_WORKFLOW = Workflow(
    Suggestion.State,
    Transition(
        "assign",
        _("交办"),
        source={State.NEW, State.SENT_BACK},
        target=State.ASSIGNED,
        who=office,
        refused=_("只有办公室可以交办意见建议。"),
    ),
    Transition(
        "send_back",
        _("退回"),
        source={State.ASSIGNED},
        target=State.SENT_BACK,
        who=lead_unit,
        style="outline-danger",
        blocked=_send_back_window,
        refused=_("只有牵头办理单位可以退回交办。"),
    ),
    Transition(
        "answer",
        _("答复"),
        source={State.ASSIGNED},
        target=State.ANSWERED,
        who=lead_unit_or_office,
        refused=_("只有牵头办理单位或办公室可以答复。"),
    ),
    Transition(
        "approve",
        _("审核通过"),
        source={State.ANSWERED},
        target=State.APPROVED,
        who=office,
        refused=_("只有办公室可以审核答复。"),
    ),
    Transition(
        "return_answer",
        _("退回重新答复"),
        source={State.ANSWERED},
        target=State.ASSIGNED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以审核答复。"),
    ),
    Transition(
        "feed_back",
        _("反馈提出人"),
        source={State.APPROVED},
        target=State.FED_BACK,
        who=office,
        refused=_("只有办公室可以反馈提出人。"),
    ),
    Transition(
        "reopen",
        _("重新办理"),
        source={State.FED_BACK},
        target=State.ASSIGNED,
        who=office,
        style="outline-danger",
        blocked=_unsatisfied,
        refused=_("只有办公室可以重新交办。"),
    ),
)

"""The liaisons app's declared workflows.

An appointment (its state derived from its dates, not stored):

serving ──keep──▶ kept          (the office, once the basis lapses or is about to)
serving, kept ──end──▶ ended    (the office)

A consultation's workflow (征求意见, 001 article 15):

filed ──answer──▶ answered      (the office: its written opinion; meets the deadline)
filed ──withdraw──▶ withdrawn   (the asking unit, or the office, before an answer)
answered ──close──▶ closed      (the asking unit, or the office: whether it was taken)

A liaison's report (联络员报告, 001 ch. 3):

due, returned ──submit──▶ submitted   (the liaison, or the office on their behalf)
submitted ──return──▶ returned        (the office, asking for more)
submitted ──read──▶ read              (the office; it then follows up)
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaisons.models import Consultation, Liaison, LiaisonReport
from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids

State = Consultation.State

# Who files for a unit: its commissioner or a group member from it (as for suggestions'
# lead units), or the office on a department's behalf.
FILING_ROLES = (Role.COMMISSIONER, Role.MEMBER)


def office(user: Any, consultation: Consultation) -> bool:
    return is_office(user)


def asking_unit(user: Any, consultation: Consultation) -> bool:
    return has_role(user, *FILING_ROLES) and consultation.unit_id in own_unit_ids(user)


def asking_unit_or_office(user: Any, consultation: Consultation) -> bool:
    return is_office(user) or asking_unit(user, consultation)


CONSULTATION_WORKFLOW = Workflow(
    Consultation.State,
    Transition(
        "answer",
        _("书面答复"),
        source={State.FILED},
        target=State.ANSWERED,
        who=office,
        refused=_("只有办公室可以答复征求意见。"),
    ),
    Transition(
        "withdraw",
        _("撤回"),
        source={State.FILED},
        target=State.WITHDRAWN,
        who=asking_unit_or_office,
        style="outline-danger",
        refused=_("只有征求单位或办公室可以撤回。"),
    ),
    Transition(
        "close",
        _("登记采纳情况"),
        source={State.ANSWERED},
        target=State.CLOSED,
        who=asking_unit_or_office,
        refused=_("只有征求单位或办公室可以登记采纳情况。"),
    ),
)


class LiaisonState(models.TextChoices):
    """An appointment's state, derived from its dates (`liaison_state`)."""

    SERVING = "serving", _("在任")
    KEPT = "kept", _("确认继续任职")
    ENDED = "ended", _("已离任")


def liaison_state(liaison: Liaison) -> str:
    if liaison.end_date is not None:
        return LiaisonState.ENDED
    return LiaisonState.KEPT if liaison.kept_on is not None else LiaisonState.SERVING


def _nothing_to_keep(liaison: Liaison) -> str | None:
    from liaisons.rules import lapse_of  # the rules import the models; read at call time

    day, changed = lapse_of(liaison, timezone.localdate())
    if day is None and not changed:
        return str(_("该联络员仍符合任职条件，无需确认继续任职。"))
    return None


LIAISON_WORKFLOW = Workflow(
    LiaisonState,
    Transition(
        "keep",
        _("确认继续任职"),
        source={LiaisonState.SERVING},
        target=LiaisonState.KEPT,
        who=office,
        style="outline-primary",
        blocked=_nothing_to_keep,
        refused=_("只有办公室工作人员可以任免统战联络员。"),
    ),
    Transition(
        "end",
        _("办理离任"),
        source={LiaisonState.SERVING, LiaisonState.KEPT},
        target=LiaisonState.ENDED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室工作人员可以任免统战联络员。"),
    ),
    state=liaison_state,
)


ReportState = LiaisonReport.State


def reporting_liaison(user: Any, report: LiaisonReport) -> bool:
    """The liaison whose report it is (by their login's person), while in the role."""
    person_id = getattr(user, "person_id", None)
    return (
        has_role(user, Role.LIAISON)
        and person_id is not None
        and person_id == report.liaison.person_id
    )


def liaison_or_office(user: Any, report: LiaisonReport) -> bool:
    return is_office(user) or reporting_liaison(user, report)


def _empty(report: LiaisonReport) -> str | None:
    if not any(
        text.strip() for text in (report.views, report.issues, report.deeds, report.recommendations)
    ):
        return str(_("报告内容为空：请至少填写一项后再报送。"))
    return None


REPORT_WORKFLOW = Workflow(
    LiaisonReport.State,
    Transition(
        "submit",
        _("报送"),
        source={ReportState.DUE, ReportState.RETURNED},
        target=ReportState.SUBMITTED,
        who=liaison_or_office,
        blocked=_empty,
        refused=_("只有本人或办公室可以报送联络员报告。"),
    ),
    Transition(
        "return",
        _("退回补充"),
        source={ReportState.SUBMITTED},
        target=ReportState.RETURNED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以退回联络员报告。"),
    ),
    Transition(
        "read",
        _("阅知"),
        source={ReportState.SUBMITTED},
        target=ReportState.READ,
        who=office,
        refused=_("只有办公室可以阅知联络员报告。"),
    ),
)

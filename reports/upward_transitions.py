"""The workflows of experiences (经验做法) and information (统战信息) sent upward, declared
once (`portal.lib.transitions`): the services check them on the locked row, the pages
show their buttons, `tests/test_reports_upward_transitions.py` walks them.

An experience (经验做法, 000 §三(七)):

drafting ──submit──▶ submitted              (the unit's commissioner, or the office for it)
drafting ──edit──▶ drafting                 (the same)
submitted ──select──▶ selected              (入选: the office)
submitted ──reject──▶ not_selected          (未入选, with the reason: the office)
selected ──report_upward──▶ reported        (报送上级: date, to whom; the office)
reported ──publish──▶ published             (获刊发: outlet, date; the unit is commended)
selected, reported, published ──speech──▶ (same)   (交流发言 at a meeting: the office)

An information report (统战信息, 000 §二(四) 信息编报):

drafting, returned ──edit / submit──▶ submitted    (the unit's commissioner, or the office)
submitted ──return──▶ returned              (with the reason: the office)
submitted ──accept──▶ accepted              (审核通过: the office)
accepted ──send──▶ sent                     (报送: date, to whom; the office)
sent ──adopt──▶ adopted                     (采用: level, outlet, date; the office)
sent ──not_adopt──▶ not_adopted             (未采用: the office)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids
from reports.models import Experience, InformationReport

ExperienceState = Experience.State
InformationState = InformationReport.State


def office(user: Any, record: Any) -> bool:
    return is_office(user)


def unit_or_office(user: Any, record: Any) -> bool:
    """The office, or a branch commissioner of the record's unit (or a unit above it)."""
    if is_office(user):
        return True
    return has_role(user, Role.COMMISSIONER) and record.unit_id in own_unit_ids(user)


EXPERIENCE_WORKFLOW = Workflow(
    Experience.State,
    Transition(
        "edit",
        _("修改"),
        source={ExperienceState.DRAFTING},
        target=None,
        who=unit_or_office,
        style="outline-primary",
        refused=_("只有本单位统战委员或办公室可以修改经验做法。"),
    ),
    Transition(
        "submit",
        _("报送办公室"),
        source={ExperienceState.DRAFTING},
        target=ExperienceState.SUBMITTED,
        who=unit_or_office,
        refused=_("只有本单位统战委员或办公室可以报送经验做法。"),
    ),
    Transition(
        "select",
        _("入选"),
        source={ExperienceState.SUBMITTED},
        target=ExperienceState.SELECTED,
        who=office,
        refused=_("只有办公室可以遴选经验做法。"),
    ),
    Transition(
        "reject",
        _("不入选"),
        source={ExperienceState.SUBMITTED},
        target=ExperienceState.NOT_SELECTED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以遴选经验做法。"),
    ),
    Transition(
        "report_upward",
        _("报送上级"),
        source={ExperienceState.SELECTED},
        target=ExperienceState.REPORTED,
        who=office,
        refused=_("只有办公室可以向上级报送经验做法。"),
    ),
    Transition(
        "publish",
        _("登记刊发"),
        source={ExperienceState.REPORTED},
        target=ExperienceState.PUBLISHED,
        who=office,
        refused=_("只有办公室可以登记刊发情况。"),
    ),
    Transition(
        "speech",
        _("安排交流发言"),
        source={ExperienceState.SELECTED, ExperienceState.REPORTED, ExperienceState.PUBLISHED},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以安排交流发言。"),
    ),
)


INFORMATION_WORKFLOW = Workflow(
    InformationReport.State,
    Transition(
        "edit",
        _("修改"),
        source={InformationState.DRAFTING, InformationState.RETURNED},
        target=None,
        who=unit_or_office,
        style="outline-primary",
        refused=_("只有本单位统战委员或办公室可以修改统战信息。"),
    ),
    Transition(
        "submit",
        _("报送审核"),
        source={InformationState.DRAFTING, InformationState.RETURNED},
        target=InformationState.SUBMITTED,
        who=unit_or_office,
        refused=_("只有本单位统战委员或办公室可以报送统战信息。"),
    ),
    Transition(
        "return",
        _("退回修改"),
        source={InformationState.SUBMITTED},
        target=InformationState.RETURNED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以审核统战信息。"),
    ),
    Transition(
        "accept",
        _("审核通过"),
        source={InformationState.SUBMITTED},
        target=InformationState.ACCEPTED,
        who=office,
        refused=_("只有办公室可以审核统战信息。"),
    ),
    Transition(
        "send",
        _("报送上级"),
        source={InformationState.ACCEPTED},
        target=InformationState.SENT,
        who=office,
        refused=_("只有办公室可以向上级报送统战信息。"),
    ),
    Transition(
        "adopt",
        _("登记采用"),
        source={InformationState.SENT},
        target=InformationState.ADOPTED,
        who=office,
        refused=_("只有办公室可以登记采用情况。"),
    ),
    Transition(
        "not_adopt",
        _("登记未采用"),
        source={InformationState.SENT},
        target=InformationState.NOT_ADOPTED,
        who=office,
        style="outline-secondary",
        refused=_("只有办公室可以登记采用情况。"),
    ),
)

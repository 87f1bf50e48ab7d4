"""The workflows of a performance review (述职评议), declared (`portal.lib.transitions`).

A round, the office's throughout:

reporting ──edit──▶ (same)             (title, requirements, due date: the reports not
rating    ──edit──▶ (same)              yet in follow the new date)
reporting ──start_rating──▶ rating     (测评: the office rates, or the group's members
                                        vote by anonymous ballot)
rating ──lock──▶ locked                (every unit graded and scored, 优秀 within the cap;
                                        ranks and 前5后3 are fixed; open report deadlines
                                        are waived)
locked ──reopen──▶ rating              (with a reason, recorded; only while no feedback
                                        letter or notice has gone to review)
rating ──rate──▶ (same)                (the office grades, scores and comments; 优秀
                                        within the cap)
rating ──cast_ballot──▶ (same)         (a member of the leading group votes once, in a
                                        ballot round)
rating ──adopt_ballot──▶ (same)        (the office takes the ballot's count as the rating
                                        to calibrate, once five ballots are in)
locked ──write_papers──▶ (same)        (the office drafts the feedback letters and the
                                        commendation notice)

A unit's report (述职报告):

drafting, returned ──edit──▶ (same)        (the unit's commissioner or contact, or the office)
drafting, returned ──submit──▶ submitted   (meets the deadline; the service refuses it
                                            while the report is empty)
submitted ──confirm──▶ confirmed           (the unit's head: its member of the leading
                                            group; the office where it has none)
submitted ──return──▶ returned             (the same, with what to change)

A unit's target statement (目标责任书), the office's:

drafting ──edit──▶ (same)      (the targets, the work-points items it undertakes)
drafting ──sign──▶ signed      (签订; refused while it has no target)
signed ──reopen──▶ drafting    (with a reason, recorded)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office, own_unit_ids
from reports.models import Ballot, PerformanceReport, ReviewRound, TargetStatement

RoundState = ReviewRound.State
ReportState = PerformanceReport.State


def office(user: Any, obj: Any) -> bool:
    return is_office(user)


def drafter(user: Any, report: PerformanceReport) -> bool:
    """The office, or a commissioner or group member of the reporting unit (or a unit
    above it)."""
    if is_office(user):
        return True
    return has_role(user, Role.COMMISSIONER, Role.MEMBER) and report.unit_id in own_unit_ids(user)


def unit_head(user: Any, report: PerformanceReport) -> bool:
    """The unit's head: the person seated on the leading group for the unit on the
    round's reporting day, or the office when the unit has no seat."""
    from reports.review_selectors import heads_of

    heads = heads_of(report.unit_id)
    if not heads:
        return is_office(user)
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id in heads


def _round_locked(report: PerformanceReport) -> str | None:
    if report.round.state == RoundState.LOCKED:
        return str(_("述职评议结果已锁定，不能再修改述职报告。"))
    return None


def _editable(report: PerformanceReport) -> str | None:
    return _round_locked(report)


def voter(user: Any, review: ReviewRound) -> bool:
    """A member of the leading group today (组长, 副组长 or 成员)."""
    from reports.review_selectors import is_voter

    return is_voter(user)


def _not_ballot(review: ReviewRound) -> str | None:
    if review.method != ReviewRound.Method.BALLOT:
        return str(_("这次述职评议没有在进行无记名测评。"))
    return None


def _ballot_not_counted(review: ReviewRound) -> str | None:
    """A ballot round's count is taken once at least the minimum of ballots is in."""
    from reports.review_selectors import ballot_minimum

    problem = _not_ballot(review)
    if problem:
        return problem
    # One COUNT, not the tallies: the round's page asks this for its buttons.
    ballots, minimum = Ballot.objects.filter(round=review).count(), ballot_minimum()
    if ballots < minimum:
        return str(
            _("已收到%(n)d张测评票，至少%(minimum)d张后才能统计结果。")
            % {"n": ballots, "minimum": minimum}
        )
    return None


def _papers_gone(review: ReviewRound) -> str | None:
    """A round whose letters or notice went to review stays locked."""
    if review.papers.filter(document__isnull=False).exists():
        return str(_("测评结果反馈或通报已报审，不能重新开放测评。"))
    return None


ROUND_WORKFLOW = Workflow(
    ReviewRound.State,
    Transition(
        "edit",
        _("修改"),
        source={RoundState.REPORTING, RoundState.RATING},
        target=None,
        who=office,
        style="outline-secondary",
        refused=_("只有办公室可以修改述职评议。"),
    ),
    Transition(
        "start_rating",
        _("开始测评"),
        source={RoundState.REPORTING},
        target=RoundState.RATING,
        who=office,
        refused=_("只有办公室可以开始测评。"),
    ),
    Transition(
        "lock",
        _("锁定结果"),
        source={RoundState.RATING},
        target=RoundState.LOCKED,
        who=office,
        refused=_("只有办公室可以锁定测评结果。"),
    ),
    Transition(
        "reopen",
        _("重新开放测评"),
        source={RoundState.LOCKED},
        target=RoundState.RATING,
        who=office,
        style="outline-danger",
        blocked=_papers_gone,
        refused=_("只有办公室可以重新开放测评。"),
    ),
    Transition(
        "rate",
        _("评定测评结果"),
        source={RoundState.RATING},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以评定测评结果。"),
    ),
    Transition(
        "cast_ballot",
        _("参加无记名测评"),
        source={RoundState.RATING},
        target=None,
        who=voter,
        blocked=_not_ballot,
        refused=_("只有领导小组成员可以参加无记名测评。"),
    ),
    Transition(
        "adopt_ballot",
        _("采用统计结果"),
        source={RoundState.RATING},
        target=None,
        who=office,
        style="outline-primary",
        blocked=_ballot_not_counted,
        refused=_("只有办公室可以采用测评结果。"),
    ),
    Transition(
        "write_papers",
        _("起草反馈和通报"),
        source={RoundState.LOCKED},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以起草测评结果反馈和通报。"),
    ),
)
# The round's own steps, taken on the round's page bar (the others have their pages).
ROUND_BAR = ("edit", "start_rating", "lock", "reopen")

REPORT_WORKFLOW = Workflow(
    PerformanceReport.State,
    Transition(
        "edit",
        _("填写"),
        source={ReportState.DRAFTING, ReportState.RETURNED},
        target=None,
        who=drafter,
        style="outline-primary",
        blocked=_editable,
        refused=_("只有本单位统战委员、联系人或办公室可以填写述职报告。"),
    ),
    Transition(
        "submit",
        _("报送负责人确认"),
        source={ReportState.DRAFTING, ReportState.RETURNED},
        target=ReportState.SUBMITTED,
        who=drafter,
        blocked=_round_locked,
        refused=_("只有本单位统战委员、联系人或办公室可以报送述职报告。"),
    ),
    Transition(
        "confirm",
        _("负责人确认"),
        source={ReportState.SUBMITTED},
        target=ReportState.CONFIRMED,
        who=unit_head,
        blocked=_round_locked,
        refused=_("只有本单位负责人（领导小组成员）可以确认述职报告。"),
    ),
    Transition(
        "return",
        _("退回修改"),
        source={ReportState.SUBMITTED},
        target=ReportState.RETURNED,
        who=unit_head,
        style="outline-danger",
        blocked=_round_locked,
        refused=_("只有本单位负责人（领导小组成员）可以退回述职报告。"),
    ),
)

StatementState = TargetStatement.State

STATEMENT_WORKFLOW = Workflow(
    TargetStatement.State,
    Transition(
        "edit",
        _("修改"),
        source={StatementState.DRAFTING},
        target=None,
        who=office,
        style="outline-secondary",
        refused=_("只有办公室可以修改目标责任书。"),
    ),
    Transition(
        "sign",
        _("签订"),
        source={StatementState.DRAFTING},
        target=StatementState.SIGNED,
        who=office,
        refused=_("只有办公室可以签订目标责任书。"),
    ),
    Transition(
        "reopen",
        _("退回修改"),
        source={StatementState.SIGNED},
        target=StatementState.DRAFTING,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以退回目标责任书。"),
    ),
)

"""The liaisons app's deadline rules (`portal.deadlines.registry`).

`liaison_eligibility`: an appointed liaison who stops meeting the rule they were
appointed under (turns 35, joins the Party) is not changed silently: every reminder scan
(`eligibility_sync`) opens a deadline for the office on that liaison, due on their 35th
birthday (opened a notice period before it) or, for a change already made (the Party
joined), a few working days after the scan. Ending the appointment, or the office's
recorded decision to keep them (`liaison_keep`), meets it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaisons.eligibility import Basis, eligibility, eligible_until
from liaisons.models import Liaison, ReportRound
from portal.deadlines.models import Deadline
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_open

LIAISON_ELIGIBILITY = "liaison_eligibility"
CONSULTATION_ANSWER = "consultation_answer"
LIAISON_REPORT = "liaison_report"


def report_days_before_semester_end() -> int:
    """The semester's liaison reports are due this many days before the semester ends
    (default 45: mid-January for the autumn semester, mid-July for the spring one).
    0 turns the semester's schedule off (the office then opens every round itself)."""
    return int(getattr(settings, "LIAISON_REPORT_DAYS_BEFORE_SEMESTER_END", 45))


def consultation_workdays() -> int:
    """Working days the office has to answer a consultation in writing."""
    return int(getattr(settings, "LIAISON_CONSULTATION_WORKDAYS", 5))


def notice_days() -> int:
    """How many days before a liaison's 35th birthday the office is told."""
    return int(getattr(settings, "LIAISON_ELIGIBILITY_NOTICE_DAYS", 30))


def review_workdays() -> int:
    """Working days the office has to decide after a liaison's status changed."""
    return int(getattr(settings, "LIAISON_ELIGIBILITY_REVIEW_WORKDAYS", 10))


def lapse_of(liaison: Liaison, today: dt.date) -> tuple[dt.date | None, bool]:
    """When the liaison stops meeting the basis they were appointed on: (the day, and
    whether it already happened for a reason other than age), or (None, False)."""
    person = liaison.person
    now = eligibility(
        political_status=person.political_status,
        birth_date=person.birth_date,
        overseas_study=person.overseas_study,
        on=today,
    )
    if liaison.basis == Basis.NON_PARTY and now != Basis.NON_PARTY:
        return today, True  # joined the Party
    if liaison.basis == Basis.YOUNG_RETURNED and not person.overseas_study:
        return today, True  # the record of overseas study was withdrawn
    until = eligible_until(
        political_status=person.political_status,
        birth_date=person.birth_date,
        overseas_study=person.overseas_study,
        basis=liaison.basis,
    )
    return until, False


def eligibility_sync(today: dt.date) -> None:
    """Open the office's deadline for every liaison in office whose basis lapses within
    the notice period (or has lapsed), unless the office already decided to keep them."""
    have = set(
        Deadline.objects.filter(rule=LIAISON_ELIGIBILITY).values_list("object_id", flat=True)
    )
    horizon = today + dt.timedelta(days=notice_days())
    for liaison in (
        Liaison.objects.current_on(today)
        .filter(kept_on__isnull=True)
        .exclude(pk__in=have)
        .select_related("person", "unit")
    ):
        day, changed = lapse_of(liaison, today)
        if day is None or day > horizon:
            continue
        title = f"{liaison.unit.name} {liaison.person.name}"
        if changed:
            deadline_open(
                rule=LIAISON_ELIGIBILITY,
                subject=liaison,
                after=today,
                workdays=review_workdays(),
                title=title,
            )
        else:
            deadline_open(rule=LIAISON_ELIGIBILITY, subject=liaison, due=day, title=title)


def report_resubmit_days() -> int:
    """Days a liaison has to complete a report the office returned (at least until the
    round's due date)."""
    return int(getattr(settings, "LIAISON_REPORT_RESUBMIT_DAYS", 7))


def reports_sync(today: dt.date) -> None:
    """The semester's schedule: open this semester's round if it has none (due
    `report_days_before_semester_end()` days before the semester ends, unless that day
    has passed), and give every liaison in office a report in each round still open
    (a liaison appointed mid-round owes one too). Idempotent; two queries when nothing
    is missing."""
    from liaisons.services import round_fill, round_schedule  # services import the rules

    round_schedule(today)
    for report_round in ReportRound.objects.filter(due_on__gte=today):
        round_fill(report_round, today)


def register_rules() -> None:
    register(
        Rule(
            code=LIAISON_ELIGIBILITY,
            label=_("联络员资格变化"),
            description=_(
                "联络员将满35周岁或政治面貌变化，不再符合任职条件：办公室另行推荐人选或说明理由继续任职。"
            ),
            responsible_label=_("领导小组办公室"),
            offsets=(5, 0),
            escalate=False,
            sync=eligibility_sync,
            action_url=lambda deadline: reverse("liaison_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=CONSULTATION_ANSWER,
            label=_("征求意见答复"),
            description=_(
                "各职能部门处理涉及统战侨务政策的事项或起草相关文件征求意见，"
                "组织统战部在规定工作日内书面答复。"
            ),
            responsible_label=_("领导小组办公室"),
            workdays=consultation_workdays,
            offsets=(2, 0),
            action_url=lambda deadline: reverse("consultation_detail", args=[deadline.object_id]),
        ),
        replace=True,
    )
    register(
        Rule(
            code=LIAISON_REPORT,
            label=_("联络员报告"),
            description=_(
                "统战联络员每学期报送本单位党外人士思想动态、热点难点问题、好人好事和推荐人选。"
            ),
            responsible_label=_("统战联络员"),
            offsets=(14, 3, 0),
            sync=reports_sync,
            action_url=lambda deadline: reverse("liaison_report_edit", args=[deadline.object_id]),
        ),
        replace=True,
    )

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
from liaisons.models import Liaison
from portal.deadlines.models import Deadline
from portal.deadlines.registry import Rule, register
from portal.deadlines.services import deadline_open

LIAISON_ELIGIBILITY = "liaison_eligibility"
CONSULTATION_ANSWER = "consultation_answer"


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

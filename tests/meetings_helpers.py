"""Builders shared by the meetings tests: a group with members, a meeting with an agenda,
minutes written and issued. Everything goes through the services the pages use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from groups import services as groups_services
from groups.models import GroupMembership
from meetings import services
from meetings.models import Attendance, FollowUpItem, Meeting
from meetings.rules import ACTION_ITEM
from portal.deadlines.models import Deadline
from portal.documents import services as documents
from portal.models import Person
from tests.conftest import Org
from tests.factories import PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TERM_START = dt.date(2024, 3, 1)


def bulk_follow_ups(items: list[FollowUpItem], due: dt.date) -> list[FollowUpItem]:
    """Many follow-up items at once, each with its engine deadline (its one due date), as
    the bench seeds them: for list pages' query counts, not through the services."""
    made = FollowUpItem.objects.bulk_create(items)
    content_type = ContentType.objects.get_for_model(FollowUpItem)
    deadlines = Deadline.objects.bulk_create(
        Deadline(
            rule=ACTION_ITEM,
            content_type=content_type,
            object_id=item.pk,
            title=item.task[:80],
            due=due,
            original_due=due,
            responsible_unit_id=item.owner_unit_id,
        )
        for item in made
    )
    for item, deadline in zip(made, deadlines, strict=True):
        item.deadline = deadline
    FollowUpItem.objects.bulk_update(made, ["deadline"])
    return made


def at(year: int, month: int, day: int, hour: int = 15, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_members(org: Org) -> list[Person]:
    """A term from TERM_START: the secretary (组长), a deputy, a member of branch A."""
    groups_services.leading_group_start_term(
        by=org.office, term_start=TERM_START, office_unit=org.ufw_dept
    )
    specs = [("韦书记", org.ufw_dept), ("覃副组长", org.ufw_dept), ("陆成员", org.branch_a)]
    people: list[Person] = [PersonFactory(name=name, unit=unit) for name, unit in specs]
    roles = [
        GroupMembership.Role.LEADER,
        GroupMembership.Role.DEPUTY_LEADER,
        GroupMembership.Role.MEMBER,
    ]
    for person, role in zip(people, roles, strict=True):
        groups_services.group_membership_start(
            by=org.office,
            person=person,
            role=role,
            unit=person.unit,
            post="职务",
            start_date=TERM_START,
        )
    return people


def make_meeting(
    org: Org,
    *,
    kind: str = Meeting.Kind.PLENARY,
    start: dt.datetime | None = None,
    title: str = "2026年第一次领导小组全体会议",
    **extra,
) -> Meeting:
    start = start or at(2026, 3, 12)
    return services.meeting_create(
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="行政楼三楼会议室",
        by=org.office,
        **extra,
    )


def hold(org: Org, meeting: Meeting) -> Meeting:
    """Record everyone present."""
    rows = [
        services.AttendanceRow(person_id=a.person_id, status=Attendance.Status.PRESENT)
        for a in meeting.attendances.all()
    ]
    return services.attendance_record(meeting=meeting, by=org.office, rows=rows)


def decided(org: Org, meeting: Meeting, decisions: list[tuple[str, str]]) -> Meeting:
    """Agenda items with their decisions, the meeting held."""
    for title, _decision in decisions:
        services.agenda_item_create(meeting=meeting, by=org.office, title=title)
    items = {
        item.pk: (f"会议讨论了{item.title}。", decision)
        for item, (_t, decision) in zip(
            meeting.agenda_items.order_by("position"), decisions, strict=True
        )
    }
    services.minutes_write(meeting=meeting, by=org.office, opening="", items=items)
    return hold(org, meeting)


def issue_minutes(org: Org, meeting: Meeting):
    document = services.minutes_submit(meeting=meeting, by=org.office)
    document = documents.document_sign(document=document, by=org.in_charge)
    return documents.document_issue(document=document, by=org.office)

"""The meetings pages: constant queries for 5 and 500 rows, and the office's cycle
through the forms (create, attendance, agenda, minutes, submit; follow-up reports)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import AgendaItem, FollowUpItem, Meeting, Topic
from portal.deadlines.models import Deadline
from portal.documents.models import Document
from tests.conftest import client_for
from tests.meetings_helpers import at, bulk_follow_ups, decided, make_meeting, make_members

pytestmark = pytest.mark.django_db


def many_meetings(org, n: int) -> None:
    start = at(2026, 1, 5)
    Meeting.objects.bulk_create(
        Meeting(
            kind=Meeting.Kind.OFFICE,
            title=f"办公室会议{i}",
            starts_at=start + dt.timedelta(days=i % 300),
            ends_at=start + dt.timedelta(days=i % 300, hours=1),
            place="会议室",
            created_by=org.office,
        )
        for i in range(n)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/meetings/", "/meetings/?year=2026&kind=office", "/meetings/years/2026/"]
)
def test_meeting_pages_run_constant_queries(org, url):
    client = client_for(org.office)
    many_meetings(org, 5)
    few = queries(client, url)
    many_meetings(org, 495)
    assert queries(client, url) == few


def test_topic_and_follow_up_lists_run_constant_queries(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程", "决定。")])
    item = meeting.agenda_items.get()

    def add(n: int) -> None:
        Topic.objects.bulk_create(
            Topic(title=f"议题{i}", unit=org.branch_a, proposed_by=org.commissioner_a)
            for i in range(n)
        )
        bulk_follow_ups(
            [
                FollowUpItem(agenda_item=item, task=f"事项{i}", owner_unit=org.branch_a)
                for i in range(n)
            ],
            due=dt.date(2026, 6, 1),
        )

    for user in (org.office, org.commissioner_a):
        client = client_for(user)
        add(5)
        # Session and user, roles, units (commissioner), count, page, navigation.
        few = {url: queries(client, url) for url in ("/topics/", "/follow-ups/")}
        add(495)
        assert {url: queries(client, url) for url in few} == few
        Topic.objects.all().delete()
        FollowUpItem.objects.all().delete()
        Deadline.objects.all().delete()


def test_the_office_runs_a_meeting_through_the_pages(org):
    leader, deputy, member = make_members(org)
    office = client_for(org.office)
    response = office.post(
        "/meetings/new/",
        {
            "kind": "plenary",
            "title": "2026年第一次领导小组全体会议",
            "starts_at": "2026-03-12T15:00",
            "ends_at": "2026-03-12T17:00",
            "place": "行政楼三楼会议室",
            "chair": leader.pk,
            "notes": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.attendances.count() == 3
    office.post(f"/meetings/{meeting.pk}/agenda/", {"title": "审议工作要点", "presenter": "办公室"})
    item = AgendaItem.objects.get()
    rows = {a.person_id: a.pk for a in meeting.attendances.all()}
    data = {}
    for person, status, reason in (
        (leader, "present", ""),
        (deputy, "absent", ""),
        (member, "present", ""),
    ):
        pk = rows[person.pk]
        data |= {f"status_{pk}": status, f"reason_{pk}": reason, f"represented_{pk}": ""}
    response = office.post(f"/meetings/{meeting.pk}/attendance/", data)
    assert response.status_code == 200  # absent without a reason
    assert "覃副组长：请假请填写事由。" in response.content.decode()
    data[f"reason_{rows[deputy.pk]}"] = "出差"
    assert office.post(f"/meetings/{meeting.pk}/attendance/", data).status_code == 302
    response = office.post(
        f"/meetings/{meeting.pk}/minutes/",
        {
            "opening": "",
            f"discussion_{item.pk}": "讨论。",
            f"decision_{item.pk}": "原则通过工作要点。",
        },
    )
    assert response.status_code == 302
    response = office.post(f"/meetings/{meeting.pk}/minutes/submit/")
    document = Document.objects.get(kind="minutes")
    assert response["Location"] == document.get_absolute_url()
    assert document.state == Document.State.AWAITING_SIGNATURE
    again = office.post(f"/meetings/{meeting.pk}/minutes/submit/", follow=True)
    assert "纪要已报审" in again.content.decode()
    assert Document.objects.filter(kind="minutes").count() == 1
    page = office.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "原则通过工作要点。" in page
    assert "出差" in page


def test_a_commissioner_reports_on_their_units_item_and_not_on_anothers(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程", "决定。")])
    item = meeting.agenda_items.get()
    mine = services.follow_up_create(
        agenda_item=item,
        by=org.office,
        task="甲事项",
        owner_unit=org.branch_a,
        due=dt.date(2026, 6, 1),
    )
    theirs = services.follow_up_create(
        agenda_item=item,
        by=org.office,
        task="乙事项",
        owner_unit=org.branch_b,
        due=dt.date(2026, 6, 1),
    )
    client = client_for(org.commissioner_a)
    listing = client.get("/follow-ups/").content.decode()
    assert "甲事项" in listing and "乙事项" not in listing
    assert client.get(f"/follow-ups/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/follow-ups/{mine.pk}/update/", {"status": "reported", "text": "已完成"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == FollowUpItem.Status.REPORTED
    assert client.post(f"/follow-ups/{mine.pk}/close/", {"note": ""}).status_code == 403
    office = client_for(org.office)
    office.post(f"/follow-ups/{mine.pk}/close/", {"note": "核实"})
    office.post(f"/follow-ups/{mine.pk}/close/", {"note": "再次"})  # a double click
    mine.refresh_from_db()
    assert mine.status == FollowUpItem.Status.CLOSED
    assert mine.closing_note == "核实"


def test_the_year_view_shows_each_decision_and_what_became_of_it(org):
    make_members(org)
    meeting = make_meeting(org, start=at(2025, 6, 5))
    decided(org, meeting, [("议程", "建立联谊会。")])
    services.follow_up_create(
        agenda_item=meeting.agenda_items.get(),
        by=org.office,
        task="筹备联谊会",
        owner_unit=org.branch_a,
        due=dt.date(2025, 9, 1),
    )
    html = client_for(org.office).get("/meetings/years/2025/").content.decode()
    assert "建立联谊会。" in html
    assert "筹备联谊会" in html
    assert "待落实" in html

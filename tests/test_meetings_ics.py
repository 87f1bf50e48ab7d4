"""The meeting as .ics: the download and the invitation email, parsed back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from icalendar import Calendar

from meetings import calendar, services
from portal.models import Person
from tests.meetings_helpers import at, make_meeting, make_members

pytestmark = pytest.mark.django_db


def events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_the_download_is_one_event_at_the_meetings_time(org, client):
    leader, _deputy, _member = make_members(org)
    Person.objects.filter(pk=leader.pk).update(email="wei@example.edu.cn")
    meeting = make_meeting(org, start=at(2026, 3, 12, 15, 0))
    services.agenda_item_create(meeting=meeting, by=org.office, title="审议工作要点")
    client.force_login(org.commissioner_a)
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    (event,) = events(response.content)
    assert str(event["SUMMARY"]) == "2026年第一次领导小组全体会议"
    assert str(event["LOCATION"]) == "行政楼三楼会议室"
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 12, 7, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
    assert "1. 审议工作要点" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:wei@example.edu.cn"]
    assert attendees[0].params["CN"] == "韦书记"


def test_invitations_go_by_email_with_the_ics_once(
    org, django_capture_on_commit_callbacks, eager_tasks
):
    leader, deputy, _member = make_members(org)
    Person.objects.filter(pk=leader.pk).update(email="wei@example.edu.cn")
    Person.objects.filter(pk=deputy.pk).update(email="qin@example.edu.cn")
    meeting = make_meeting(org)
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar.meeting_invitations_send(meeting=meeting, by=org.office) == 2
    with django_capture_on_commit_callbacks(execute=True):  # a double click
        assert calendar.meeting_invitations_send(meeting=meeting, by=org.office) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["qin@example.edu.cn", "wei@example.edu.cn"]
    message = mail.outbox[0]
    assert "会议通知：2026年第一次领导小组全体会议" in message.subject
    assert "行政楼三楼会议室" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "meeting.ics"
    assert mimetype.startswith("text/calendar")
    data = content if isinstance(content, bytes) else content.encode()
    calendar_ = Calendar.from_ical(data)
    assert str(calendar_["METHOD"]) == "REQUEST"
    (event,) = events(data)
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 12, 7, 0, tzinfo=dt.UTC)


def test_only_the_office_sends_invitations(org):
    from django.core.exceptions import PermissionDenied

    make_members(org)
    meeting = make_meeting(org)
    with pytest.raises(PermissionDenied):
        calendar.meeting_invitations_send(meeting=meeting, by=org.leader)

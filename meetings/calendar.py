"""The meeting as an iCalendar event (RFC 5545), for the invitation email and the
download. Built with the `icalendar` library (see docs/decisions.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Attendance, Meeting
from portal.deadlines.outbox import Attachment, Message, messages_queue
from portal.models import User
from portal.permissions import is_office

ICS_TYPE = "text/calendar"


def meeting_uid(meeting: Meeting) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "portal"
    return f"meeting-{meeting.pk}@{host}"


def meeting_ics(meeting: Meeting, *, method: str = "PUBLISH") -> bytes:
    """One VEVENT: the meeting's time (UTC), place, title, agenda and invitees."""
    calendar = Calendar()
    calendar.add("prodid", "-//统战工作平台//meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    event.add("sequence", int(meeting.updated_at.timestamp()) if meeting.updated_at else 0)
    agenda = [f"{item.position}. {item.title}" for item in meeting.agenda_items.all()]
    lines = [str(meeting.get_kind_display())]
    if agenda:
        lines += [_("议程："), *agenda]
    event.add("description", "\n".join(lines))
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    for attendance in meeting.attendances.select_related("person"):
        if attendance.person.email:
            address = vCalAddress(f"mailto:{attendance.person.email}")
            address.params["cn"] = vText(attendance.person.name)
            address.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", address, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


@transaction.atomic
def meeting_invitations_send(*, meeting: Meeting, by: User) -> int:
    """Invite by email every invited person with an address who has not been invited
    yet, with the meeting as an .ics attachment. Nothing is sent here: one message per
    person is queued in the delivery log (``portal.deadlines.outbox``) and goes out once
    this transaction commits; ``invited_at`` is stamped when it is queued. Rows are
    locked and stamped, and each message has its key, so a double click or a retry
    queues nothing twice. Returns how many were queued."""
    from django.core.exceptions import PermissionDenied

    if not is_office(by):
        raise PermissionDenied
    rows = list(
        Attendance.objects.select_for_update()
        .filter(meeting=meeting, invited_at__isnull=True)
        .exclude(person__email="")
        .select_related("person")
    )
    if not rows:
        return 0
    ics = meeting_ics(meeting, method="REQUEST")
    start = timezone.localtime(meeting.starts_at)
    context = {
        "meeting": meeting,
        "start": start,
        "end": timezone.localtime(meeting.ends_at),
        "agenda": list(meeting.agenda_items.all()),
        "url": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
    }
    subject = _("会议通知：%(title)s（%(when)s）") % {
        "title": meeting.title,
        "when": f"{start:%Y-%m-%d %H:%M}",
    }
    attachment = Attachment("meeting.ics", ics, f"{ICS_TYPE}; method=REQUEST; charset=UTF-8")
    messages_queue(
        [
            Message(
                key=invitation_key(attendance),
                recipient=attendance.person.email,
                subject=subject,
                body=render_to_string(
                    "emails/meeting_invitation.txt", {**context, "name": attendance.person.name}
                ),
                url=str(context["url"]),
                attachments=(attachment,),
            )
            for attendance in rows
        ],
        by=by,
    )
    Attendance.objects.filter(pk__in=[row.pk for row in rows]).update(invited_at=timezone.now())
    return len(rows)


def invitation_key(attendance: Attendance) -> str:
    """The outbox key of one person's invitation to one meeting: queued once."""
    return f"meetings.invitation/{attendance.meeting_id}/{attendance.pk}"

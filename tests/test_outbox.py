"""The outbox: messages that are not reminders (meeting invitations, notices of a document
to sign) are queued in the delivery log inside the request's transaction and sent by
Celery once it commits: nothing leaves before the commit, nothing leaves twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from meetings import calendar
from meetings.models import Attendance
from portal.celery import app
from portal.deadlines import outbox, tasks
from portal.deadlines.models import Delivery, Notification
from portal.documents import services as documents
from portal.models import Person
from tests.documents_helpers import awaiting, draft
from tests.meetings_helpers import make_meeting, make_members

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
ADDRESSES = ["wei@example.edu.cn", "qin@example.edu.cn", "lu@example.edu.cn"]


@pytest.fixture(autouse=True)
def _clock(eager_tasks):
    with time_machine.travel(NOW, tick=False):
        yield


def three_invited(org):
    """A meeting with three invited people who have an address."""
    people = make_members(org)
    for person, address in zip(people, ADDRESSES, strict=True):
        Person.objects.filter(pk=person.pk).update(email=address)
    return make_meeting(org)


def by_recipient() -> Counter[str]:
    return Counter(address for message in mail.outbox for address in message.to)


def failing_for(address: str):
    """The mail backend, as the outbox uses it, refusing one address."""
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        if any(address in message.to for message in messages):
            raise ConnectionRefusedError(f"550 mailbox unavailable: {address}")
        return real(self, messages)

    return mock.patch.object(EmailBackend, "send_messages", send_messages)


# Meeting invitations -----------------------------------------------------------------


def test_it_sends_no_invitation_before_the_commit_and_three_after(
    org, client, django_capture_on_commit_callbacks
):
    meeting = three_invited(org)
    client.force_login(org.office)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/meetings/{meeting.pk}/invite/")
    assert response.status_code == 302
    assert mail.outbox == []  # the request's transaction has not committed
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 3
    for callback in callbacks:
        callback()
    assert by_recipient() == Counter(ADDRESSES)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_it_attaches_the_meeting_as_ics_to_each_invitation(org, django_capture_on_commit_callbacks):
    meeting = three_invited(org)
    with django_capture_on_commit_callbacks(execute=True):
        calendar.meeting_invitations_send(meeting=meeting, by=org.office)
    for message in mail.outbox:
        ((name, content, mimetype),) = message.attachments
        assert name == "meeting.ics"
        assert mimetype.startswith("text/calendar")
        data = content if isinstance(content, bytes) else content.encode()
        assert b"BEGIN:VEVENT" in data
        assert f"meeting-{meeting.pk}@".encode() in data


def test_it_sends_everybody_one_invitation_after_a_failure_halfway_and_a_retry(
    org, django_capture_on_commit_callbacks
):
    meeting = three_invited(org)
    with failing_for(ADDRESSES[1]), django_capture_on_commit_callbacks(execute=True):
        assert calendar.meeting_invitations_send(meeting=meeting, by=org.office) == 3
    assert by_recipient() == Counter([ADDRESSES[0], ADDRESSES[2]])
    failed = Delivery.objects.get(address=ADDRESSES[1])
    assert failed.status == Delivery.Status.FAILED
    assert "mailbox unavailable" in failed.last_error
    # The office clicks again: nothing is queued twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar.meeting_invitations_send(meeting=meeting, by=org.office) == 0
    assert Delivery.objects.count() == 3
    # Before its backoff has run out the flush leaves it alone; after, it goes once.
    assert tasks.flush_messages()["sent"] == 0
    with time_machine.travel(failed.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert tasks.flush_messages()["sent"] == 1
        assert tasks.flush_messages()["sent"] == 0
    assert by_recipient() == Counter(ADDRESSES)


def test_it_queues_once_when_the_invite_view_is_posted_twice(
    org, client, django_capture_on_commit_callbacks
):
    meeting = three_invited(org)
    client.force_login(org.office)
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(f"/meetings/{meeting.pk}/invite/")
    with django_capture_on_commit_callbacks(execute=False) as second:
        client.post(f"/meetings/{meeting.pk}/invite/")
    assert len(first) == 1
    assert second == []
    assert Delivery.objects.count() == 3
    for callback in first:
        callback()
    assert by_recipient() == Counter(ADDRESSES)


def test_it_commits_the_invited_stamps_whatever_the_sending_does(
    org, django_capture_on_commit_callbacks
):
    meeting = three_invited(org)
    refuse_all = mock.patch.object(
        EmailBackend, "send_messages", side_effect=ConnectionRefusedError("smtp down")
    )
    with refuse_all, django_capture_on_commit_callbacks(execute=True):
        calendar.meeting_invitations_send(meeting=meeting, by=org.office)
    assert mail.outbox == []
    stamps = Attendance.objects.filter(meeting=meeting).values_list("invited_at", flat=True)
    assert list(stamps) == [NOW, NOW, NOW]
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.FAILED: 3}


def test_it_leaves_nothing_queued_when_the_request_rolls_back(org):
    meeting = three_invited(org)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        calendar.meeting_invitations_send(meeting=meeting, by=org.office)
        raise Boom
    assert Delivery.objects.count() == 0
    assert not Attendance.objects.filter(invited_at__isnull=False).exists()


# The outbox itself ---------------------------------------------------------------------


def test_it_queues_a_key_once_per_channel(org, django_capture_on_commit_callbacks):
    org.member.email = "member@example.edu.cn"
    org.member.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.message_queue(
            key="test/1", recipient=org.member, subject="主题", body="正文", by=org.office
        )
        again = outbox.message_queue(
            key="test/1", recipient=org.member, subject="主题", body="正文", by=org.office
        )
        inbox = outbox.message_queue(
            key="test/1",
            recipient=org.member,
            channel=Delivery.Channel.INBOX,
            subject="主题",
            body="正文",
            url="/documents/",
            by=org.office,
        )
    assert first is not None and inbox is not None
    assert again is None
    assert [m.to for m in mail.outbox] == [["member@example.edu.cn"]]
    (notification,) = Notification.objects.filter(recipient=org.member)
    assert notification.kind == Notification.Kind.MESSAGE
    assert notification.items[0]["url"] == "/documents/"
    assert Delivery.objects.get(pk=inbox).notification == notification


def test_it_queues_nothing_for_someone_without_an_address(org):
    org.member.email = ""
    org.member.save(update_fields=["email"])
    Person.objects.filter(pk=org.member.person_id).update(email="")
    org.member.refresh_from_db()
    assert (
        outbox.message_queue(key="k", recipient=org.member, subject="s", body="b", by=None) is None
    )
    assert Delivery.objects.count() == 0


def test_it_abandons_a_message_after_the_last_attempt(org, settings):
    settings.DEADLINE_RETRY_MAX_ATTEMPTS = 2
    pk = outbox.message_queue(key="k", recipient="a@example.edu.cn", subject="s", body="b", by=None)
    with failing_for("a@example.edu.cn"):
        assert outbox.messages_send(ids=[pk]).failed == 1
        row = Delivery.objects.get(pk=pk)
        later = row.next_attempt_at + dt.timedelta(seconds=1)
        assert outbox.messages_send(now=later).abandoned == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Delivery.Status.ABANDONED, 2)
    assert outbox.messages_send(now=later + dt.timedelta(days=1)).sent == 0


def test_it_sends_a_claimed_message_only_once(org):
    """Two workers reach the same row: only the one whose conditional update changed it
    sends."""
    pk = outbox.message_queue(key="k", recipient="a@example.edu.cn", subject="s", body="b", by=None)
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENDING, claimed_by="other")
    result = outbox.messages_send(ids=[pk])
    assert (result.sent, result.skipped) == (0, 0)  # not ready: not even tried
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.PENDING, claimed_by="")
    first, second = outbox.messages_send(ids=[pk]), outbox.messages_send(ids=[pk])
    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1


def test_it_keeps_outbox_messages_out_of_the_reminder_digests(org):
    from portal.deadlines.reminders import deliveries_send

    outbox.message_queue(key="k", recipient="a@example.edu.cn", subject="s", body="b", by=None)
    assert deliveries_send().messages == 0
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_it_retries_a_failed_message_with_a_countdown(org):
    pk = outbox.message_queue(key="k", recipient="a@example.edu.cn", subject="s", body="b", by=None)
    with (
        failing_for("a@example.edu.cn"),
        mock.patch.object(tasks.send_messages, "apply_async") as later,
    ):
        assert tasks.send_messages([pk]) == {"sent": 0, "failed": 1, "abandoned": 0, "skipped": 0}
    row = Delivery.objects.get(pk=pk)
    later.assert_called_once()
    assert later.call_args.args == (([pk],),)
    expected = (row.next_attempt_at - timezone.now()).total_seconds()
    assert later.call_args.kwargs["countdown"] == int(expected) + 1


def test_its_tasks_have_time_limits_and_beat_flushes_the_outbox():
    for task in (tasks.send_messages, tasks.flush_messages):
        assert task.time_limit and task.soft_time_limit
        assert task.soft_time_limit < task.time_limit
    assert app.conf.beat_schedule["send-messages"]["task"] == tasks.flush_messages.name


# Notices of a document to sign --------------------------------------------------------


def with_addresses(org) -> None:
    for user in (org.leader, org.in_charge, org.deputy):
        user.email = f"{user.username}@example.edu.cn"
        user.save(update_fields=["email"])


def test_it_tells_the_signer_a_document_waits_for_signature(
    org, django_capture_on_commit_callbacks
):
    with_addresses(org)
    with django_capture_on_commit_callbacks(execute=True):
        document = awaiting(org)  # a general notice: the leader in charge signs
    assert by_recipient() == Counter(["incharge@example.edu.cn"])
    (message,) = mail.outbox
    assert document.title in message.subject
    assert f"/documents/{document.pk}/" in message.body
    (notice,) = Notification.objects.filter(recipient=org.in_charge)
    assert document.title in notice.title
    assert not Notification.objects.filter(recipient=org.leader).exists()


def test_it_tells_a_delegated_deputy_once(org, django_capture_on_commit_callbacks):
    with_addresses(org)
    with django_capture_on_commit_callbacks(execute=True):
        document = awaiting(org, kind="policy")  # important: the group leader signs
    assert by_recipient() == Counter(["leader@example.edu.cn"])
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_delegate(document=document, by=org.leader, to=org.deputy)
    assert by_recipient() == Counter(["leader@example.edu.cn", "deputy@example.edu.cn"])


def test_it_tells_the_signer_again_when_a_returned_document_comes_back(
    org, django_capture_on_commit_callbacks
):
    with_addresses(org)
    with django_capture_on_commit_callbacks(execute=True):
        document = awaiting(org)
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_return(document=document, by=org.in_charge, comment="请修改第二段")
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_submit(document=document, by=org.office)
    assert by_recipient() == Counter({"incharge@example.edu.cn": 2})


def test_it_tells_nobody_while_a_units_draft_is_in_review(org, django_capture_on_commit_callbacks):
    with_addresses(org)
    document = draft(org, by=org.commissioner_a)
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_submit(document=document, by=org.commissioner_a)
    assert mail.outbox == []
    assert Delivery.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # the office passes it on
        documents.document_pass(document=document, by=org.office)
    assert by_recipient() == Counter(["incharge@example.edu.cn"])

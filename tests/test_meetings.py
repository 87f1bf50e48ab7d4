"""Meetings: invitations from the group on the meeting's date, attendance, the agenda and
the topic pool, minutes through to the issued PDF, follow-up items and their scoping,
and the deadlines they open and meet."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pypdf import PdfReader

from groups import services as groups_services
from groups.models import GroupMembership
from meetings import selectors, services
from meetings.models import Attendance, FollowUpItem, Meeting, Topic
from meetings.todos import follow_up_todos
from portal.deadlines.models import Deadline
from portal.documents.models import Document
from tests.conftest import client_for
from tests.meetings_helpers import at, decided, hold, issue_minutes, make_meeting, make_members

pytestmark = pytest.mark.django_db

Status = Attendance.Status


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


# Invitations and attendance --------------------------------------------------------------


def test_it_invites_whoever_was_in_the_group_on_the_meeting_date(org):
    leader, deputy, member = make_members(org)
    seat = GroupMembership.objects.get(person=member)
    groups_services.seat_end(by=org.office, seat=seat, end_date=dt.date(2026, 3, 31))
    before = make_meeting(org, start=at(2026, 3, 12))
    after = make_meeting(org, start=at(2026, 4, 20), title="第二次会议")
    assert {a.person for a in before.attendances.all()} == {leader, deputy, member}
    assert {a.person for a in after.attendances.all()} == {leader, deputy}


def test_it_invites_the_chair_even_when_outside_the_group(org):
    make_members(org)
    meeting = make_meeting(org, chair=org.in_charge.person)
    assert meeting.attendances.filter(person=org.in_charge.person).exists()


def test_it_refuses_a_meeting_that_ends_before_it_starts(org):
    with pytest.raises(ValidationError):
        services.meeting_create(
            kind=Meeting.Kind.OFFICE,
            title="办公室会议",
            starts_at=at(2026, 3, 12, 15),
            ends_at=at(2026, 3, 12, 14),
            place="会议室",
            by=org.office,
        )
    assert not Meeting.objects.exists()


def test_only_the_office_creates_meetings(org):
    with pytest.raises(PermissionDenied):
        make_meeting(org.__class__(**{**org.__dict__, "office": org.commissioner_a}))


def test_it_records_attendance_all_or_nothing(org):
    leader, deputy, member = make_members(org)
    meeting = make_meeting(org)
    rows = [
        services.AttendanceRow(person_id=leader.pk, status=Status.PRESENT),
        services.AttendanceRow(person_id=deputy.pk, status=Status.ABSENT, reason=""),
    ]
    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=meeting, by=org.office, rows=rows)
    assert "覃副组长：请假请填写事由。" in error.value.messages
    assert set(meeting.attendances.values_list("status", flat=True)) == {Status.PENDING}
    meeting.refresh_from_db()
    assert not meeting.held

    rows[1] = services.AttendanceRow(person_id=deputy.pk, status=Status.ABSENT, reason="出差")
    rows.append(
        services.AttendanceRow(
            person_id=member.pk, status=Status.REPRESENTED, represented_by="黄副书记"
        )
    )
    services.attendance_record(meeting=meeting, by=org.office, rows=rows)
    meeting.refresh_from_db()
    assert meeting.held
    assert meeting.attendances.get(person=deputy).reason == "出差"
    assert meeting.attendances.get(person=member).represented_by == "黄副书记"


# Deadlines -------------------------------------------------------------------------------


def test_a_held_plenary_meets_the_years_quota_and_an_office_meeting_the_semesters(org):
    make_members(org)
    hold(org, make_meeting(org, start=at(2026, 12, 30)))
    plenary = Deadline.objects.get(rule="plenary_meeting_quota", period="2026")
    assert plenary.state == Deadline.State.MET
    # 2027-02-20 belongs to the autumn semester that began in September 2026.
    office = make_meeting(
        org, kind=Meeting.Kind.OFFICE, start=at(2027, 2, 20), invitees=[org.office.person]
    )
    hold(org, office)
    assert Deadline.objects.get(rule="office_meeting_quota", period="2026-autumn").state == "met"
    assert not Deadline.objects.filter(rule="office_meeting_quota", period="2027-spring").exists()


def test_a_meeting_opens_its_minutes_deadline_and_issuing_meets_it(
    org, django_capture_on_commit_callbacks
):
    make_members(org)
    meeting = make_meeting(org, start=at(2026, 3, 12))  # a Thursday
    deadline = Deadline.objects.get(rule="minutes_issue", object_id=meeting.pk)
    assert deadline.due == dt.date(2026, 3, 19)  # 5 working days after
    decided(org, meeting, [("研究年度工作要点", "原则通过2026年工作要点。")])
    with django_capture_on_commit_callbacks(execute=True):
        issue_minutes(org, meeting)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET


def test_the_minutes_document_links_back_to_its_meeting_for_every_role(org):
    make_members(org)
    meeting = make_meeting(org, start=at(2026, 3, 12))
    decided(org, meeting, [("研究年度工作要点", "原则通过2026年工作要点。")])
    document = services.minutes_submit(meeting=meeting, by=org.office)
    link = f'href="{meeting.get_absolute_url()}"'
    for user in (org.office, org.in_charge):
        html = client_for(user).get(f"/documents/{document.pk}/").content.decode()
        assert 'id="document-source"' in html and link in html
        assert client_for(user).get(meeting.get_absolute_url()).status_code == 200


def test_the_minutes_document_takes_its_text_from_the_meeting_and_nowhere_else(org):
    from portal.documents import services as documents
    from portal.documents.transitions import DocumentError

    make_members(org)
    meeting = make_meeting(org, start=at(2026, 3, 12))
    decided(org, meeting, [("研究年度工作要点", "原则通过2026年工作要点。")])
    document = services.minutes_submit(meeting=meeting, by=org.office)
    documents.document_return(document=document, by=org.in_charge, comment="决定表述再斟酌")
    # Not on the document page: the text is the meeting's.
    with pytest.raises(DocumentError):
        documents.document_update(document=document, by=org.office, fields={"body": "改写"})
    item = meeting.agenda_items.get()
    services.minutes_write(
        meeting=meeting, by=org.office, opening="", items={item.pk: ("讨论。", "修改后通过。")}
    )
    document = services.minutes_submit(meeting=meeting, by=org.office)
    assert "会议决定：修改后通过。" in document.body
    assert "原则通过2026年工作要点" not in document.body


# Topics and the agenda -------------------------------------------------------------------


def test_topics_are_decided_with_a_reason_and_scheduled_in_order(org):
    make_members(org)
    meeting = make_meeting(org)
    first = services.topic_propose(by=org.commissioner_a, title="党外知识分子联谊会换届")
    second = services.topic_propose(by=org.commissioner_b, title="民主党派基层组织建设")
    third = services.topic_propose(by=org.commissioner_b, title="暂不成熟的议题")
    assert first.unit == org.branch_a
    with pytest.raises(ValidationError):
        services.topic_decide(topic=third, by=org.office, status=Topic.Status.DECLINED, reason="")
    services.topic_decide(topic=third, by=org.office, status=Topic.Status.DEFERRED, reason="待调研")
    for topic in (second, first):
        services.topic_decide(topic=topic, by=org.office, status=Topic.Status.ACCEPTED, reason="")
    assert list(selectors.schedulable_topics()) == [first, second]
    with pytest.raises(ValidationError):
        services.topic_schedule(topic=third, meeting=meeting, by=org.office)
    services.agenda_item_create(meeting=meeting, by=org.office, title="通报上半年工作")
    services.topic_schedule(topic=second, meeting=meeting, by=org.office)
    services.topic_schedule(topic=first, meeting=meeting, by=org.office)
    with pytest.raises(ValidationError):  # a double click schedules once
        services.topic_schedule(topic=first, meeting=meeting, by=org.office)
    titles = list(meeting.agenda_items.values_list("position", "title"))
    assert titles == [
        (1, "通报上半年工作"),
        (2, "民主党派基层组织建设"),
        (3, "党外知识分子联谊会换届"),
    ]
    services.agenda_item_move(item=meeting.agenda_items.get(position=3), by=org.office, offset=-1)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "通报上半年工作",
        "党外知识分子联谊会换届",
        "民主党派基层组织建设",
    ]
    assert not selectors.schedulable_topics().exists()


def test_a_commissioner_sees_only_their_units_topics(org):
    mine = services.topic_propose(by=org.commissioner_a, title="甲")
    theirs = services.topic_propose(by=org.commissioner_b, title="乙")
    assert list(selectors.topics_for_user(org.commissioner_a)) == [mine]
    assert set(selectors.topics_for_user(org.office)) == {mine, theirs}
    with pytest.raises(Http404):
        selectors.get_topic(org.commissioner_a, theirs.pk)


# Minutes ----------------------------------------------------------------------------------


def test_minutes_go_through_to_an_issued_pdf_with_the_decisions(org):
    leader, deputy, member = make_members(org)
    meeting = make_meeting(org, chair=leader)
    services.agenda_item_create(meeting=meeting, by=org.office, title="审议2026年工作要点")
    services.agenda_item_create(meeting=meeting, by=org.office, title="研究谈心谈话安排")
    first, second = meeting.agenda_items.order_by("position")
    with pytest.raises(ValidationError):  # not held yet
        services.minutes_submit(meeting=meeting, by=org.office)
    services.attendance_record(
        meeting=meeting,
        by=org.office,
        rows=[
            services.AttendanceRow(person_id=leader.pk, status=Status.PRESENT),
            services.AttendanceRow(person_id=deputy.pk, status=Status.ABSENT, reason="外出学习"),
            services.AttendanceRow(person_id=member.pk, status=Status.PRESENT),
        ],
    )
    services.minutes_write(
        meeting=meeting,
        by=org.office,
        opening="会议听取了办公室工作汇报。现纪要如下。",
        items={first.pk: ("与会同志逐条讨论。", "原则通过2026年工作要点，由办公室印发。")},
    )
    with pytest.raises(ValidationError) as error:  # the second item has no decision
        services.minutes_submit(meeting=meeting, by=org.office)
    assert "研究谈心谈话安排" in error.value.messages[0]
    services.minutes_write(
        meeting=meeting,
        by=org.office,
        opening="会议听取了办公室工作汇报。现纪要如下。",
        items={second.pk: ("", "各成员年内与联系对象谈心谈话不少于1次。")},
    )
    document = services.minutes_submit(meeting=meeting, by=org.office)
    assert document.kind == "minutes"
    assert document.state == Document.State.AWAITING_SIGNATURE
    with pytest.raises(ValidationError):  # frozen while in review
        services.minutes_write(meeting=meeting, by=org.office, opening="改", items={})
    document = issue_minutes_from(org, document)
    assert document.reference.startswith("X统纪〔")
    text = text_of(document.pdf.read())
    assert "原则通过2026年工作要点，由办公室印发。" in text
    assert "各成员年内与联系对象谈心谈话不少于1次。" in text
    assert "出席：韦书记、陆成员" in text
    assert "请假：覃副组长（外出学习）" in text
    assert "会议纪要" in text
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.is_issued


def issue_minutes_from(org, document):
    from portal.documents import services as documents

    document = documents.document_sign(document=document, by=org.in_charge)
    return documents.document_issue(document=document, by=org.office)


def test_returned_minutes_are_edited_and_submitted_again(org):
    from portal.documents import services as documents

    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。")])
    document = services.minutes_submit(meeting=meeting, by=org.office)
    documents.document_return(document=document, by=org.in_charge, comment="请补充")
    item = meeting.agenda_items.get()
    services.minutes_write(
        meeting=meeting, by=org.office, opening="", items={item.pk: ("", "决定一（修改）。")}
    )
    again = services.minutes_submit(meeting=meeting, by=org.office)
    assert again.pk == document.pk
    assert "决定一（修改）。" in again.body
    assert Document.objects.filter(kind="minutes").count() == 1


# Follow-up items ---------------------------------------------------------------------------


def follow_up(org, meeting, unit, due=dt.date(2026, 6, 30), task="完成党外人士信息更新"):
    item = meeting.agenda_items.first()
    return services.follow_up_create(
        agenda_item=item, by=org.office, task=task, owner_unit=unit, due=due
    )


def test_follow_up_items_are_scoped_to_their_owner_unit(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。")])
    item_a = follow_up(org, meeting, org.branch_a)
    item_b = follow_up(org, meeting, org.branch_b)
    assert list(selectors.follow_ups_for_user(org.commissioner_a)) == [item_a]
    assert set(selectors.follow_ups_for_user(org.office)) == {item_a, item_b}
    with pytest.raises(Http404):
        selectors.get_follow_up(org.commissioner_a, item_b.pk)
    deadline = Deadline.objects.get(rule="action_item", object_id=item_a.pk)
    assert deadline.responsible_unit == org.branch_a
    assert deadline.due == dt.date(2026, 6, 30)


def test_the_owner_unit_reports_and_the_office_closes_once(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。")])
    item = follow_up(org, meeting, org.branch_a)
    with pytest.raises(PermissionDenied):
        services.follow_up_update(
            item=item, by=org.commissioner_b, text="越权", status=FollowUpItem.Status.IN_PROGRESS
        )
    services.follow_up_update(
        item=item, by=org.commissioner_a, text="已完成信息更新", status=FollowUpItem.Status.REPORTED
    )
    assert item.status == FollowUpItem.Status.REPORTED
    # Reported done: the unit's deadline is met; the office still checks and closes.
    assert Deadline.objects.get(rule="action_item", object_id=item.pk).state == "met"
    with pytest.raises(PermissionDenied):
        services.follow_up_close(item=item, by=org.commissioner_a, note="")
    services.follow_up_close(item=item, by=org.office, note="经核实已完成")
    with pytest.raises(ValidationError):
        services.follow_up_close(item=item, by=org.office, note="再次")
    assert item.updates.count() == 1
    assert Deadline.objects.get(rule="action_item", object_id=item.pk).state == "met"


def test_a_follow_up_needs_a_decision(org):
    make_members(org)
    meeting = make_meeting(org)
    services.agenda_item_create(meeting=meeting, by=org.office, title="尚未决定")
    with pytest.raises(ValidationError):
        follow_up(org, meeting, org.branch_a)


def test_home_page_shows_open_and_overdue_follow_ups(org):
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。")])
    late = follow_up(org, meeting, org.branch_a, due=dt.date(2026, 4, 1), task="逾期事项")
    follow_up(org, meeting, org.branch_b, due=dt.date(2026, 9, 1), task="乙单位事项")
    today = dt.date(2026, 5, 1)
    mine = follow_up_todos(org.commissioner_a, today)
    assert [t.title for t in mine] == ["督办事项已逾期：逾期事项"]
    assert mine[0].level == "danger"
    office = follow_up_todos(org.office, today)
    assert [t.title for t in office] == ["督办事项已逾期：逾期事项"]
    services.follow_up_update(
        item=late, by=org.commissioner_a, text="完成", status=FollowUpItem.Status.REPORTED
    )
    assert follow_up_todos(org.commissioner_a, today) == []
    assert [t.title for t in follow_up_todos(org.office, today)] == ["督办事项待办结：逾期事项"]
    assert follow_up_todos(org.leader, today) == []

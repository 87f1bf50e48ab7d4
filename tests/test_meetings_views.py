"""The meetings pages' error paths: form errors in Chinese, refusals shown as messages,
records out of scope (404), the list filters' query parameters, buttons derived from the
declared transitions, materials, the year view."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import AgendaItem, FollowUpItem, Material, Meeting, Topic
from portal.documents.models import Document
from portal.lib.errors import Refused
from tests.conftest import client_for
from tests.meetings_helpers import (
    SHANGHAI,
    at,
    decided,
    issue_minutes,
    make_meeting,
    make_members,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% material\n"


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def held_meeting(org, decisions=(("议程一", "决定一。"), ("议程二", "决定二。"))) -> Meeting:
    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, list(decisions))
    return meeting


def follow_up(org, meeting, unit, task="完成信息更新", due=dt.date(2026, 6, 30)):
    return services.follow_up_create(
        agenda_item=meeting.agenda_items.order_by("position").first(),
        by=org.office,
        task=task,
        owner_unit=unit,
        due=due,
    )


# The meeting list's filters ----------------------------------------------------------------


def test_the_meeting_list_filters_by_year_and_kind_with_the_same_parameters(org):
    make_meeting(org, start=at(2025, 6, 5), title="二〇二五年全体会议")
    make_meeting(org, kind=Meeting.Kind.OFFICE, start=at(2026, 4, 2), title="四月办公室会议")
    make_meeting(org, start=at(2026, 5, 2), title="五月全体会议")
    client = client_for(org.commissioner_a)

    def titles(query: str) -> set[str]:
        html = client.get(f"/meetings/{query}").content.decode()
        return {t for t in ("二〇二五年全体会议", "四月办公室会议", "五月全体会议") if t in html}

    assert titles("?year=2025") == {"二〇二五年全体会议"}
    assert titles("?year=2026&kind=office") == {"四月办公室会议"}
    assert titles("?kind=plenary") == {"二〇二五年全体会议", "五月全体会议"}
    # Values that are not valid are ignored, as they always were.
    everything = {"二〇二五年全体会议", "四月办公室会议", "五月全体会议"}
    assert titles("?year=abc&kind=bogus") == everything
    assert titles("?year=1800") == everything
    html = client.get("/meetings/?year=2026&kind=office").content.decode()
    assert '<option value="2026" selected>' in html
    assert '<option value="office" selected>' in html
    assert "/meetings/years/2026/" in html


def test_the_topic_list_filters_by_status(org):
    accepted = services.topic_propose(by=org.commissioner_a, title="甲议题")
    services.topic_decide(topic=accepted, by=org.office, status="accepted", reason="")
    services.topic_propose(by=org.commissioner_a, title="乙议题")
    client = client_for(org.office)
    html = client.get("/topics/?status=accepted").content.decode()
    assert "甲议题" in html and "乙议题" not in html
    assert '<option value="accepted" selected>' in html
    html = client.get("/topics/?status=nonsense").content.decode()
    assert "甲议题" in html and "乙议题" in html


def test_the_follow_up_list_filters_by_status_and_overdue(org):
    meeting = held_meeting(org)
    late = follow_up(org, meeting, org.branch_a, task="逾期事项", due=dt.date(2026, 4, 1))
    follow_up(org, meeting, org.branch_a, task="未到期事项", due=dt.date(2026, 9, 1))
    done = follow_up(org, meeting, org.branch_a, task="已办结事项", due=dt.date(2026, 3, 20))
    services.follow_up_close(item=done, by=org.office, note="")
    client = client_for(org.commissioner_a)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI), tick=False):
        overdue = client.get("/follow-ups/?status=overdue").content.decode()
        closed = client.get("/follow-ups/?status=closed").content.decode()
        every = client.get("/follow-ups/?status=whatever").content.decode()
    assert "逾期事项" in overdue and "未到期事项" not in overdue and "已办结事项" not in overdue
    assert '<option value="overdue" selected>' in overdue
    assert "已办结事项" in closed and "逾期事项" not in closed
    assert all(task in every for task in ("逾期事项", "未到期事项", "已办结事项"))
    assert late.status == FollowUpItem.Status.OPEN


# Meeting forms ---------------------------------------------------------------------------


def test_a_meeting_that_ends_before_it_starts_is_refused_in_chinese(org):
    response = client_for(org.office).post(
        "/meetings/new/",
        {
            "kind": "office",
            "title": "办公室会议",
            "starts_at": "2026-05-08T15:00",
            "ends_at": "2026-05-08T14:00",
            "place": "会议室",
        },
    )
    assert response.status_code == 200
    assert "结束时间应晚于开始时间。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_office_edits_a_meeting_and_sees_the_error_when_it_ends_too_early(org):
    meeting = make_meeting(org)
    client = client_for(org.office)
    page = client.get(f"/meetings/{meeting.pk}/edit/")
    assert page.status_code == 200
    assert "行政楼三楼会议室" in page.content.decode()
    data = {
        "kind": "plenary",
        "title": meeting.title,
        "starts_at": "2026-03-12T15:00",
        "ends_at": "2026-03-12T14:00",
        "place": "新会议室",
    }
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert "结束时间应晚于开始时间。" in response.content.decode()
    data["ends_at"] = "2026-03-12T17:00"
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "新会议室"


def test_the_attendance_form_is_shown_to_the_office(org):
    make_members(org)
    meeting = make_meeting(org)
    response = client_for(org.office).get(f"/meetings/{meeting.pk}/attendance/")
    assert response.status_code == 200
    assert "韦书记" in response.content.decode()


# The agenda ------------------------------------------------------------------------------


def test_an_agenda_item_needs_a_topic_or_a_title(org):
    meeting = make_meeting(org)
    response = client_for(org.office).post(
        f"/meetings/{meeting.pk}/agenda/", {"title": "", "presenter": ""}
    )
    assert response.status_code == 302
    assert "请选择一个议题或填写议程。" in texts(response)
    assert not meeting.agenda_items.exists()


def test_an_accepted_topic_goes_onto_the_agenda_once(org):
    meeting = make_meeting(org)
    topic = services.topic_propose(by=org.commissioner_a, title="联谊会换届")
    services.topic_decide(topic=topic, by=org.office, status="accepted", reason="")
    client = client_for(org.office)
    response = client.post(f"/meetings/{meeting.pk}/agenda/", {"topic": topic.pk})
    assert "已加入议程。" in texts(response)
    item = meeting.agenda_items.get()
    assert (item.title, item.topic_id) == ("联谊会换届", topic.pk)
    # Scheduled: no longer offered, and not decided again.
    response = client.post(f"/meetings/{meeting.pk}/agenda/", {"topic": topic.pk})
    assert meeting.agenda_items.count() == 1
    decide = client.post(f"/topics/{topic.pk}/decide/", {"status": "declined", "reason": "重复"})
    assert decide.status_code == 200
    assert "当前状态为“已列入议程”，不能研究意见。" in decide.content.decode()
    topic.refresh_from_db()
    assert topic.status == Topic.Status.ACCEPTED
    html = client.get("/topics/").content.decode()
    assert f"/topics/{topic.pk}/decide/" not in html


def test_a_deferred_topic_is_refused_onto_the_agenda(org):
    meeting = make_meeting(org)
    topic = services.topic_propose(by=org.commissioner_a, title="联谊会换届")
    services.topic_decide(topic=topic, by=org.office, status="deferred", reason="明年研究")
    with pytest.raises(ValidationError, match="当前状态为“暂缓”，不能列入议程"):
        services.topic_schedule(topic=topic, meeting=meeting, by=org.office)
    assert not meeting.agenda_items.exists()


def test_the_office_moves_and_deletes_agenda_items(org):
    meeting = make_meeting(org)
    first = services.agenda_item_create(meeting=meeting, by=org.office, title="一")
    second = services.agenda_item_create(meeting=meeting, by=org.office, title="二")
    client = client_for(org.office)
    response = client.post(f"/meetings/agenda/{second.pk}/move/", {"direction": "up"})
    assert response["Location"] == f"/meetings/{meeting.pk}/#agenda"
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "二",
        "一",
    ]
    # Past the end: nothing moves.
    client.post(f"/meetings/agenda/{second.pk}/move/", {"direction": "up"})
    first.refresh_from_db()
    assert first.position == 2
    assert (
        client.post(f"/meetings/agenda/{first.pk}/move/", {"direction": "left"}).status_code == 400
    )
    response = client.post(f"/meetings/agenda/{second.pk}/delete/")
    assert "已删除议程。" in texts(response)
    first.refresh_from_db()
    assert first.position == 1
    assert client.post(f"/meetings/agenda/{second.pk}/delete/").status_code == 404
    assert (
        client.post(f"/meetings/agenda/{second.pk}/move/", {"direction": "up"}).status_code == 404
    )


def test_an_agenda_item_with_follow_ups_is_not_deleted(org):
    meeting = held_meeting(org)
    follow_up(org, meeting, org.branch_a)
    item = meeting.agenda_items.get(position=1)
    response = client_for(org.office).post(f"/meetings/agenda/{item.pk}/delete/")
    assert "该议程已有督办事项，不能删除。" in texts(response)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_once_the_minutes_are_issued_the_page_offers_no_agenda_or_minutes_buttons(org):
    meeting = held_meeting(org)
    client = client_for(org.office)
    before = client.get(f"/meetings/{meeting.pk}/").content.decode()
    first = meeting.agenda_items.get(position=1)
    for url in (
        f"/meetings/agenda/{first.pk}/move/",
        f"/meetings/agenda/{first.pk}/delete/",
        f"/meetings/{meeting.pk}/minutes/",
        f"/meetings/{meeting.pk}/minutes/submit/",
    ):
        assert url in before
    issue_minutes(org, meeting)
    after = client.get(f"/meetings/{meeting.pk}/").content.decode()
    for url in (
        f"/meetings/agenda/{first.pk}/move/",
        f"/meetings/agenda/{first.pk}/delete/",
        f'/meetings/{meeting.pk}/minutes/"',
        f"/meetings/{meeting.pk}/minutes/submit/",
        f"/meetings/{meeting.pk}/agenda/",
    ):
        assert url not in after
    assert f"/meetings/{meeting.pk}/edit/" in after  # the meeting itself stays editable
    response = client.post(f"/meetings/agenda/{first.pk}/move/", {"direction": "down"})
    assert "当前状态为“已印发”，不能调整议程顺序。" in texts(response)
    response = client.post(f"/meetings/{meeting.pk}/agenda/", {"title": "补充议程"})
    assert "当前状态为“已印发”，不能添加议程。" in texts(response)
    assert meeting.agenda_items.count() == 2


def test_a_leader_sees_the_meeting_without_the_offices_buttons(org):
    meeting = held_meeting(org)
    html = client_for(org.leader).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "决定一。" in html
    for url in ("/edit/", "/attendance/", "/minutes/", "/agenda/"):
        assert f"/meetings/{meeting.pk}{url}" not in html


# Minutes ---------------------------------------------------------------------------------


def test_minutes_in_review_are_not_edited(org):
    meeting = held_meeting(org)
    services.minutes_submit(meeting=meeting, by=org.office)
    client = client_for(org.office)
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 200
    item = meeting.agenda_items.get(position=1)
    response = client.post(
        f"/meetings/{meeting.pk}/minutes/",
        {"opening": "改", f"discussion_{item.pk}": "", f"decision_{item.pk}": "改过的决定"},
    )
    assert response.status_code == 200
    assert "当前状态为“审核中”，不能编写纪要。" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == "决定一。"


def test_minutes_of_a_meeting_not_held_are_not_submitted(org):
    make_members(org)
    meeting = make_meeting(org)
    services.agenda_item_create(meeting=meeting, by=org.office, title="议程")
    response = client_for(org.office).post(f"/meetings/{meeting.pk}/minutes/submit/")
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert "请先登记出席情况，再报审纪要。" in texts(response)
    assert not Document.objects.filter(kind="minutes").exists()


# Materials -------------------------------------------------------------------------------


def test_a_material_is_uploaded_and_downloaded_and_a_wrong_file_refused(org):
    meeting = make_meeting(org)
    client = client_for(org.office)
    response = client.post(
        f"/meetings/{meeting.pk}/materials/",
        {"file": SimpleUploadedFile("程序.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert response["Location"] == f"/meetings/{meeting.pk}/#materials"
    assert texts(response)  # the validator's reason, in Chinese
    assert not Material.objects.exists()
    assert client.post(f"/meetings/{meeting.pk}/materials/", {}).status_code == 302
    assert not Material.objects.exists()
    response = client.post(
        f"/meetings/{meeting.pk}/materials/",
        {"file": SimpleUploadedFile("会议议程.pdf", PDF, "application/pdf")},
    )
    assert "已上传会议材料。" in texts(response)
    material = Material.objects.get()
    download = client_for(org.commissioner_b).get(f"/meetings/materials/{material.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client.get(f"/meetings/materials/{material.pk + 1}/").status_code == 404
    material.file.delete(save=False)  # the file lost on disk: a 404, not a 500
    assert client.get(f"/meetings/materials/{material.pk}/").status_code == 404


def test_a_login_without_a_role_reads_no_meeting_record(org):
    meeting = held_meeting(org)
    material = services.material_attach(
        meeting=meeting,
        by=org.office,
        file=SimpleUploadedFile("材料.pdf", PDF, "application/pdf"),
    )
    from meetings import selectors

    for read in (
        lambda: selectors.get_meeting(org.outsider, meeting.pk),
        lambda: selectors.get_agenda_item(org.outsider, meeting.agenda_items.first().pk),
        lambda: selectors.get_material(org.outsider, material.pk),
    ):
        with pytest.raises(selectors.Http404):
            read()
    assert selectors.get_material(org.member, material.pk) == material


# Topics ----------------------------------------------------------------------------------


def test_a_commissioner_proposes_a_topic_for_their_unit(org):
    client = client_for(org.commissioner_a)
    assert client.get("/topics/new/").status_code == 200
    response = client.post("/topics/new/", {"title": "", "description": ""})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    response = client.post("/topics/new/", {"title": "  联谊会换届  ", "description": "说明"})
    assert response["Location"] == "/topics/"
    topic = Topic.objects.get()
    assert (topic.title, topic.unit, topic.status) == ("联谊会换届", org.branch_a, "proposed")


def test_a_topic_needs_a_proposer_with_a_unit(org):
    org.member.person = None
    org.member.save(update_fields=["person"])
    with pytest.raises(ValidationError, match="未关联人员和单位"):
        services.topic_propose(by=org.member, title="议题")
    topic = services.topic_propose(by=org.office, title="议题", unit=org.branch_b)
    assert topic.unit == org.branch_b


def test_deferring_a_topic_needs_a_reason(org):
    topic = services.topic_propose(by=org.commissioner_a, title="联谊会换届")
    client = client_for(org.office)
    page = client.get(f"/topics/{topic.pk}/decide/")
    assert page.status_code == 200 and "联谊会换届" in page.content.decode()
    response = client.post(f"/topics/{topic.pk}/decide/", {"status": "deferred", "reason": " "})
    assert response.status_code == 200
    assert "暂缓或不予采纳请说明理由。" in response.content.decode()
    response = client.post(f"/topics/{topic.pk}/decide/", {"status": "deferred", "reason": "明年"})
    assert response["Location"] == "/topics/"
    topic.refresh_from_db()
    assert (topic.status, topic.reason, topic.decided_by) == ("deferred", "明年", org.office)
    with pytest.raises(ValidationError, match="请选择研究意见"):
        services.topic_decide(topic=topic, by=org.office, status="proposed", reason="")
    assert client.get("/topics/999999/decide/").status_code == 404


# Follow-up items -------------------------------------------------------------------------


def test_the_office_assigns_a_follow_up_only_after_a_decision(org):
    make_members(org)
    meeting = make_meeting(org)
    item = services.agenda_item_create(meeting=meeting, by=org.office, title="议程")
    client = client_for(org.office)
    url = f"/meetings/agenda/{item.pk}/follow-ups/new/"
    assert client.get(url).status_code == 200
    data = {"task": "更新信息", "owner_unit": org.branch_a.pk, "due": "2026-06-30"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请先填写该议程的会议决定，再分解督办事项。" in response.content.decode()
    services.minutes_write(
        meeting=meeting, by=org.office, opening="", items={item.pk: ("", "同意")}
    )
    response = client.post(url, data)
    assert response["Location"] == f"/meetings/{meeting.pk}/#agenda"
    assert FollowUpItem.objects.get().owner_unit == org.branch_a
    assert client.get("/meetings/agenda/999999/follow-ups/new/").status_code == 404


def test_another_units_commissioner_gets_404_for_a_follow_up_out_of_scope(org):
    meeting = held_meeting(org)
    theirs = follow_up(org, meeting, org.branch_b, task="乙单位事项")
    client = client_for(org.commissioner_a)
    assert client.get(f"/follow-ups/{theirs.pk}/").status_code == 404
    response = client.post(f"/follow-ups/{theirs.pk}/update/", {"status": "reported", "text": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == FollowUpItem.Status.OPEN
    assert not theirs.updates.exists()
    # In scope for their own commissioner.
    assert client_for(org.commissioner_b).get(f"/follow-ups/{theirs.pk}/").status_code == 200


def test_a_report_needs_its_text_and_a_leader_does_not_report(org):
    meeting = held_meeting(org)
    item = follow_up(org, meeting, org.branch_a)
    client = client_for(org.commissioner_a)
    page = client.get(f"/follow-ups/{item.pk}/").content.decode()
    assert f"/follow-ups/{item.pk}/update/" in page
    assert f"/follow-ups/{item.pk}/close/" not in page
    response = client.post(f"/follow-ups/{item.pk}/update/", {"status": "reported", "text": ""})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    leader = client_for(org.leader)
    assert (
        f"/follow-ups/{item.pk}/update/"
        not in leader.get(f"/follow-ups/{item.pk}/").content.decode()
    )
    assert (
        leader.post(
            f"/follow-ups/{item.pk}/update/", {"status": "reported", "text": "x"}
        ).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == FollowUpItem.Status.OPEN


def test_a_closed_item_takes_no_more_reports_and_shows_no_forms(org):
    meeting = held_meeting(org)
    item = follow_up(org, meeting, org.branch_a)
    office = client_for(org.office)
    assert f"/follow-ups/{item.pk}/close/" in office.get(f"/follow-ups/{item.pk}/").content.decode()
    office.post(f"/follow-ups/{item.pk}/close/", {"note": "核实"})
    page = office.get(f"/follow-ups/{item.pk}/").content.decode()
    assert f"/follow-ups/{item.pk}/close/" not in page
    assert f"/follow-ups/{item.pk}/update/" not in page
    response = client_for(org.commissioner_a).post(
        f"/follow-ups/{item.pk}/update/", {"status": "reported", "text": "补报"}
    )
    assert "当前状态为“已办结”，不能报告落实情况。" in texts(response)
    assert not item.updates.exists()


# The year view ---------------------------------------------------------------------------


def test_the_year_view_answers_only_for_a_plausible_year(org):
    make_meeting(org, start=at(2025, 6, 5), title="年中会议")
    client = client_for(org.member)
    assert client.get("/meetings/years/1800/").status_code == 404
    assert client.get("/meetings/years/2101/").status_code == 404
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI), tick=False):
        html = client.get("/meetings/years/2025/").content.decode()
        empty = client.get("/meetings/years/2024/")
    assert "年中会议" in html
    assert empty.status_code == 200 and "年中会议" not in empty.content.decode()


# Services' remaining refusals --------------------------------------------------------------


def test_a_stale_page_acting_on_a_deleted_agenda_item_is_told_so(org):
    meeting = make_meeting(org)
    item = services.agenda_item_create(meeting=meeting, by=org.office, title="一")
    services.agenda_item_create(meeting=meeting, by=org.office, title="二")
    stale = AgendaItem.objects.get(pk=item.pk)
    services.agenda_item_delete(item=item, by=org.office)
    with pytest.raises(Refused, match="该议程已被删除。"):
        services.agenda_item_move(item=stale, by=org.office, offset=1)
    with pytest.raises(Refused, match="该议程已被删除。"):
        services.agenda_item_delete(item=stale, by=org.office)
    assert list(meeting.agenda_items.values_list("title", "position")) == [("二", 1)]


def test_minutes_without_an_agenda_are_not_submitted(org):
    make_members(org)
    meeting = make_meeting(org)
    from tests.meetings_helpers import hold

    hold(org, meeting)
    response = client_for(org.office).post(f"/meetings/{meeting.pk}/minutes/submit/")
    assert "会议没有议程，无法形成纪要。" in texts(response)


def test_attendance_rows_of_people_not_invited_are_ignored_and_fields_are_checked(org):
    make_members(org)
    meeting = make_meeting(org)
    stranger = org.figure_a
    services.attendance_record(
        meeting=meeting,
        by=org.office,
        rows=[services.AttendanceRow(person_id=stranger.pk, status="present")],
    )
    meeting.refresh_from_db()
    assert not meeting.held
    assert not meeting.attendances.filter(person=stranger).exists()
    with pytest.raises(ValueError, match="not editable here"):
        services.meeting_update(meeting=meeting, by=org.office, fields={"held": True})


def test_a_proposer_without_a_unit_is_told_on_the_form(org):
    org.commissioner_a.person = None
    org.commissioner_a.save(update_fields=["person"])
    response = client_for(org.commissioner_a).post("/topics/new/", {"title": "议题"})
    assert response.status_code == 200
    assert "您的账号未关联人员和单位，无法提出议题。" in response.content.decode()
    assert not Topic.objects.exists()


def test_the_records_name_themselves(org):
    meeting = held_meeting(org, decisions=(("议程一", "决定一。"),))
    item = meeting.agenda_items.get()
    task = follow_up(org, meeting, org.branch_a, task="更新党外人士信息")
    services.follow_up_update(item=task, by=org.office, text="正在更新", status="in_progress")
    topic = services.topic_propose(by=org.commissioner_a, title="联谊会换届")
    attendance = meeting.attendances.first()
    assert str(meeting) == meeting.title
    assert str(item) == "1. 议程一"
    assert str(task) == "更新党外人士信息"
    assert str(task.updates.get()) == "正在更新"
    assert str(topic) == "联谊会换届"
    assert str(meeting.minutes) == f"{meeting.title}纪要"
    assert str(attendance) == f"{attendance.person}：出席"
    assert meeting.minutes.get_absolute_url() == f"/meetings/{meeting.pk}/"
    assert not meeting.minutes.is_issued

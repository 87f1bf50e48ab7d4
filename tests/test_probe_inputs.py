"""Crafted input an outside probe sent (issue 14): each answered with a Chinese page or
message, never a server error, and nothing changed by the request that failed."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.deadlines.models import Notification
from portal.documents.models import Document
from tests.conftest import client_for
from tests.documents_helpers import awaiting, draft, signer_for

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

HUGE = "9" * 25  # past a 64-bit integer


def _quiet(client: Client) -> Client:
    """A client that returns the error page instead of raising the view's exception."""
    client.raise_request_exception = False
    return client


def test_a_huge_number_in_a_path_is_a_chinese_404_or_400(org):
    client = _quiet(client_for(org.office))
    for url in (f"/calendar/{HUGE}/", f"/documents/{HUGE}/", f"/units/{HUGE}/", f"/people/{HUGE}/"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "请求有误" in response.content.decode() or "页面不存在" in response.content.decode()


def test_a_huge_unit_id_in_a_form_is_an_error_on_the_form(org):
    client = _quiet(client_for(org.office))
    response = client.post(
        "/documents/new/",
        {
            "kind": "notice",
            "title": "一份通知",
            "body": "正文。",
            "recipient_units": [HUGE],
        },
    )
    assert response.status_code in (200, 400)
    assert not Document.objects.exists()


def test_a_delegate_that_is_no_user_is_refused_in_chinese(org):
    document = awaiting(org, kind="policy")  # important: the group leader may delegate
    client = _quiet(client_for(org.leader))
    for value in ("abc", HUGE, "-1"):
        response = client.post(f"/documents/{document.pk}/delegate/", {"to": value}, follow=True)
        assert response.status_code == 200, value
    document.refresh_from_db()
    assert document.delegate_id is None


def test_a_bad_next_after_reading_a_message_goes_to_the_inbox(org):
    message = Notification.objects.create(recipient=org.office, kind="reminder", title="消息")
    client = _quiet(client_for(org.office))
    for target in ("abc", "javascript:alert(1)", "//evil.example/"):
        response = client.post(f"/inbox/{message.pk}/read/", {"next": target})
        assert response.status_code == 302 and response["Location"] == "/inbox/", target
    good = client.post(f"/inbox/{message.pk}/read/", {"next": "/documents/"})
    assert good["Location"] == "/documents/"


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_the_error_pages_are_chinese(org, persona, settings):
    settings.DEBUG = False
    client = _quiet(client_for(getattr(org, persona)))
    draft(org)
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(getattr(org, persona))
    refused = csrf.post("/documents/new/", {"title": "x"})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "页面已过期" in page and "DEBUG" not in page
    assert client.get(f"/calendar/{HUGE}/").status_code in (400, 404)


def test_the_unmodified_roster_template_uploaded_back_is_explained(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _quiet(client_for(org.office))
    template = client.get("/groups/import/template.xlsx")
    assert template.status_code == 200
    upload = SimpleUploadedFile("模板.xlsx", template.content)
    response = client.post("/groups/import/", {"file": upload})
    assert response.status_code == 200
    assert "表格里没有数据" in response.content.decode()


def test_a_meeting_title_with_a_line_break_is_refused_and_mail_stays_one_line(org):
    """Probe finding: a title with a line break made every invitation of the meeting
    fail (BadHeaderError). The form refuses it; the outbox writes any subject on one
    line anyway."""
    from meetings.models import Meeting
    from portal.deadlines import outbox

    data = {
        "kind": "office",
        "title": "办公室会议\r\nBcc: everyone@example.com",
        "starts_at": "2026-05-08T15:00",
        "ends_at": "2026-05-08T17:00",
        "place": "统战部会议室",
    }
    response = client_for(org.office).post("/meetings/new/", data)
    assert response.status_code == 200
    assert "不能包含换行" in response.content.decode()
    assert not Meeting.objects.exists()
    for bad in ("\u202e", "\x00", "\t"):
        data["title"] = f"会议{bad}名称"
        assert (
            "不能包含换行" in client_for(org.office).post("/meetings/new/", data).content.decode()
        )
    from django.utils import timezone

    row = outbox._row(
        outbox.Message("probe", "member@example.com", "会议邀请：第一行\r\n第二行", "正文"),
        None,
        timezone.now(),
    )
    assert row is not None and row.subject == "会议邀请：第一行 第二行"
    assert "\n" not in outbox.email_message(row).message()["Subject"]


def test_the_400_and_500_pages_are_chinese_and_need_nothing(db, rf, django_assert_num_queries):
    """Django's stock pages are English ("Bad Request", "Server Error (500)"). Ours are
    Chinese, and render with no request context and no database (the error may be the
    database's)."""
    from django.views.defaults import bad_request, server_error

    request = rf.get("/")
    with django_assert_num_queries(0):
        error = server_error(request)
        bad = bad_request(request, ValueError("x"))
    assert error.status_code == 500 and "服务器出错了" in error.content.decode()
    assert bad.status_code == 400 and "请求有误" in bad.content.decode()
    assert "Server Error" not in error.content.decode()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("草稿 abc\u202efdp.exe.pdf", "草稿 abcfdp.exe.pdf"),  # no right-to-left override
        ("script>.pdf", "script-.pdf"),
        ("../../etc/passwd", "-..-etc-passwd"),
        ("a/b\\c.pdf", "a-b-c.pdf"),
        ("第一行\r\n第二行.xlsx", "第一行 第二行.xlsx"),
        ("\u200b\u200e", "download"),
        ("长" * 300 + ".pdf", "长" * 116 + ".pdf"),
    ],
)
def test_download_names_are_made_safe(name, safe):
    from portal.uploads import DOWNLOAD_NAME_MAX, content_disposition, download_name

    assert download_name(name) == safe
    assert len(download_name(name)) <= DOWNLOAD_NAME_MAX
    assert "\u202e" not in content_disposition(name)


def test_a_documents_title_with_a_direction_override_downloads_under_a_safe_name(org):
    document = draft(org, title="关于abc\u202efdp.exe的通知")
    response = client_for(org.office).get(f"/documents/{document.pk}/pdf/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "%E2%80%AE" not in disposition and "\u202e" not in disposition


def test_a_nul_in_the_minutes_or_attendance_is_explained_not_silently_dropped(org):
    """Probe finding: a NUL byte in the minutes or the attendance form re-displayed the
    form with no error and saved nothing; Django's own message was misleading."""
    from meetings import services as meetings_services
    from meetings.models import AgendaItem, Attendance
    from tests.meetings_helpers import make_meeting, make_members

    make_members(org)
    meeting = make_meeting(org)
    meetings_services.agenda_item_create(meeting=meeting, by=org.office, title="审议工作要点")
    item = AgendaItem.objects.get()
    client = client_for(org.office)
    response = client.post(
        f"/meetings/{meeting.pk}/minutes/",
        {"opening": "", f"discussion_{item.pk}": "讨论\x00。", f"decision_{item.pk}": "通过。"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "纪要没有保存" in page and "不能包含空字符" in page
    item.refresh_from_db()
    assert item.discussion == ""
    row = meeting.attendances.first()
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {f"status_{row.pk}": "absent", f"reason_{row.pk}": "出\x00差", f"represented_{row.pk}": ""},
    )
    page = response.content.decode()
    assert "出席情况没有保存" in page and "不能包含空字符" in page
    row.refresh_from_db()
    assert row.status != Attendance.Status.ABSENT


def test_every_form_refuses_control_characters_in_its_text(org):
    """One-line fields refuse any control character or direction override; multi-line
    ones keep their line breaks and refuse the rest."""
    client = client_for(org.office)
    response = client.post(
        "/documents/new/",
        {"kind": "notice", "title": "关于abc\u202efdp.exe的通知", "body": "第一段。\r\n第二段。"},
    )
    assert response.status_code == 200 and "不能包含换行" in response.content.decode()
    response = client.post(
        "/documents/new/", {"kind": "notice", "title": "通知", "body": "正文\u202e。"}
    )
    assert "不能包含控制字符" in response.content.decode()
    assert not Document.objects.exists()
    ok = client.post("/documents/new/", {"kind": "notice", "title": "通知", "body": "一。\r\n二。"})
    assert ok.status_code == 302
    assert Document.objects.get().body == "一。\r\n二。"
    # A form through the shared mixin (crispy): a unit's name.
    unit = client.post("/units/new/", {"name": "新\x07单位", "kind": "department", "sort_order": 1})
    assert "不能包含换行" in unit.content.decode()


def test_a_control_character_in_a_signing_opinion_is_refused_in_chinese(org):
    """Found by the form fuzz on PostgreSQL, which cannot store a NUL: signing with one
    in the opinion was a 500. Line breaks stay welcome."""
    document = awaiting(org)
    client = _quiet(client_for(signer_for(org, document.kind)))
    for opinion in ("同意\x00", "同意\u202e"):
        response = client.post(f"/documents/{document.pk}/sign/", {"opinion": opinion}, follow=True)
        assert "不能包含控制字符" in response.content.decode(), repr(opinion)
        document.refresh_from_db()
        assert document.state == Document.State.AWAITING_SIGNATURE
    client.post(f"/documents/{document.pk}/sign/", {"opinion": "同意。\r\n请办公室印发。"})
    document.refresh_from_db()
    assert document.state == Document.State.SIGNED


def test_a_login_name_longer_than_any_is_refused_before_the_throttle_records_it(org):
    """Found by the form fuzz on PostgreSQL: Django does not check the login form's
    username length, and the throttle's record of a 20,000-character one was a 500."""
    from axes.models import AccessAttempt

    response = Client().post("/accounts/login/", {"username": "a" * 20_000, "password": "x"})
    assert response.status_code == 200
    assert "请输入正确的用户名和密码" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    wrong = Client().post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert wrong.status_code == 200 and AccessAttempt.objects.count() == 1  # still counted

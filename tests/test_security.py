"""Security basics the whole portal relies on: templates that the Content-Security-Policy
does not break, cookies and login throttling in production, checked uploads that are
never published from static/. (CSRF on every POST, escaping, and role checks are walked
page by page in test_access_matrix.py and test_escaping.py.)"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, re_path
from django.views.static import serve

from portal import checks, devices
from portal.uploads import (
    DOCUMENTS,
    IMAGES,
    OFFICE_FILES,
    SPREADSHEETS,
    UploadPath,
    UploadValidator,
    attachment_response,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

ROOT = Path(__file__).resolve().parent.parent

# Templates ------------------------------------------------------------------------------

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


# Paper, not pages: WeasyPrint renders these to PDF (no browser, no CSP), with the
# stylesheet each document's fonts and header size need inline.
PAPER = ROOT / "templates" / "pdf"


def _project_templates() -> list[Path]:
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [ROOT / app / "templates" for app in ("portal", *_project_apps())]
    return sorted(
        p
        for folder in folders
        if folder.is_dir()
        for p in folder.rglob("*.html")
        if PAPER not in p.parents
    )


def _project_apps() -> list[str]:
    return [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").is_file()]


def test_it_keeps_every_template_free_of_inline_scripts_and_styles():
    """The CSP has no 'unsafe-inline': JS lives in static/portal/*.js, CSS in portal.css.
    (Rendered pages are scanned too, in the access matrix; this catches the branches of
    a template that the matrix's data does not reach.) Email templates are exempt: they are
    never served, and mail clients drop style sheets, so their styles must be inline."""
    emails = ROOT / "templates" / "emails"
    templates = [t for t in _project_templates() if not t.is_relative_to(emails)]
    assert len(templates) > 10
    found = [
        f"{template.relative_to(ROOT)}: {what}"
        for template in templates
        for what, pattern in INLINE.items()
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_it_sees_inline_markup_when_there_is_some():
    assert INLINE["inline <script>"].search("<script>alert(1)</script>")
    assert not INLINE["inline <script>"].search('<script src="/static/x.js"></script>')
    assert INLINE["style attribute"].search('<div class="x" style="color:red">')
    assert INLINE["event handler attribute"].search('<img src=x onerror="y()">')


# Production settings ----------------------------------------------------------------------


def test_it_sends_secure_http_only_cookies_in_production(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_TESTING", "DATABASE_URL"}} | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-for-the-test-0123456789abcdef",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "DENY"], result.stderr


# Login throttling (django-axes) -----------------------------------------------------------


def _login(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def test_it_still_lets_the_right_password_in_after_four_failures(org):
    client = Client()
    for _ in range(4):
        assert _login(client, "office", "wrong") == 200  # the form again, with an error
    assert _login(client, "office", PASSWORD) == 302


def test_it_locks_out_the_sixth_bad_login(org):
    client = Client()
    for _ in range(5):
        assert _login(client, "office", "wrong") in {200, 429}
    response = client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert _login(client, "office", PASSWORD) == 429  # the right password does not help


def test_it_locks_only_the_username_that_failed(org):
    client = Client()
    for _ in range(5):
        _login(client, "office", "wrong")
    assert _login(client, "member", PASSWORD) == 302


def test_it_lets_a_locked_user_in_again_after_the_cool_off(org):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = Client()
        for _ in range(5):
            _login(client, "office", "wrong")
        assert _login(client, "office", PASSWORD) == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert _login(Client(), "office", PASSWORD) == 302


def _lock_out(username: str) -> Client:
    """Somebody else, behind the same campus address, guessing `username`'s password."""
    attacker = Client()
    for _ in range(6):
        _login(attacker, username, "wrong")
    assert _login(attacker, username, PASSWORD) == 429
    return attacker


def test_a_browser_the_user_logged_in_from_is_never_locked_out(org):
    """Probe finding: five wrong passwords for `leader` from anyone behind the campus NAT
    locked the real leader out. The leader's own browser (a device cookie from a past
    login) keeps working; other browsers stay throttled."""
    own = Client()
    assert _login(own, "leader", PASSWORD) == 302
    assert devices.COOKIE in own.cookies
    own.post("/accounts/logout/")
    _lock_out("leader")
    assert _login(Client(), "leader", PASSWORD) == 429  # a browser without the cookie
    assert _login(own, "leader", PASSWORD) == 302


def test_a_device_cookie_helps_only_its_user_with_their_current_password(org):
    own = Client()
    assert _login(own, "leader", PASSWORD) == 302
    cookie = own.cookies[devices.COOKIE].value
    _lock_out("member")
    other = Client()
    other.cookies[devices.COOKIE] = cookie  # the leader's cookie, for the member
    assert _login(other, "member", PASSWORD) == 429
    forged = Client()
    forged.cookies[devices.COOKIE] = cookie[:-4] + "abcd"
    _lock_out("leader")
    assert _login(forged, "leader", PASSWORD) == 429
    org.leader.set_password("Another-Secret-2026")  # a new password: old cookies die
    org.leader.save()
    stale = Client()
    stale.cookies[devices.COOKIE] = cookie
    assert _login(stale, "leader", "Another-Secret-2026") == 429


def test_the_office_sees_and_lifts_a_lockout(org):
    from axes.models import AccessAttempt

    _lock_out("leader")
    office = Client()
    office.force_login(org.office)
    page = office.get("/accounts/lockouts/").content.decode()
    assert "leader" in page and "解除锁定" in page
    for persona in ("leader", "member", "commissioner_a"):
        someone = Client()
        someone.force_login(getattr(org, persona))
        assert someone.post("/accounts/lockouts/reset/", {"username": "leader"}).status_code == 403
    assert AccessAttempt.objects.filter(username="leader").exists()
    response = office.post("/accounts/lockouts/reset/", {"username": "leader"}, follow=True)
    assert "已解除 leader 的登录锁定" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="leader").exists()
    assert _login(Client(), "leader", PASSWORD) == 302


def _from(forwarded: str) -> Client:
    """A browser behind the documented nginx: every request reaches the portal from the
    proxy's address, with what nginx saw appended to X-Forwarded-For."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def test_without_a_trusted_proxy_a_forged_forwarded_for_dodges_nothing(org):
    guesses = [_from(f"10.0.0.{n}") for n in range(6)]  # a new forged address each time
    for client in guesses:
        _login(client, "leader", "wrong")
    assert _login(_from("10.0.0.99"), "leader", PASSWORD) == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_guessing_from_one_address_locks_only_that_address(org):
    """Probe finding: behind the proxy every user shared its address, so anyone could
    lock the group leader out of every browser without the device cookie."""
    for _ in range(6):
        _login(_from("10.1.2.3"), "leader", "wrong")
    assert _login(_from("10.1.2.3"), "leader", PASSWORD) == 429
    assert _login(_from("10.9.9.9"), "leader", PASSWORD) == 302  # the leader elsewhere
    # What stands left of nginx's entry is the client's own word: forging it changes
    # nothing, neither to dodge the lock nor to lock somebody else's address.
    assert _login(_from("10.9.9.9, 10.1.2.3"), "leader", PASSWORD) == 429
    for _ in range(6):
        _login(_from("10.7.7.7, 10.1.2.3"), "member", "wrong")
    assert _login(_from("10.1.2.3, 10.7.7.7"), "member", PASSWORD) == 302


def test_the_client_address_is_the_trusted_proxys_entry_or_the_peer():
    from django.test import RequestFactory

    from portal.net import client_ip

    def ip(forwarded: str | None, count: int) -> str:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **extra)
        with override_settings(TRUSTED_PROXY_COUNT=count):
            return client_ip(request)

    assert ip("10.0.0.5", 0) == "192.0.2.1"  # no proxy trusted: the peer
    assert ip("10.0.0.5", 1) == "10.0.0.5"
    assert ip("6.6.6.6, 10.0.0.5", 1) == "10.0.0.5"
    assert ip("6.6.6.6, 10.0.0.5, 172.16.0.2", 2) == "10.0.0.5"  # two proxies
    assert ip(None, 1) == "192.0.2.1"  # a request straight to the host
    assert ip("not-an-address", 1) == "192.0.2.1"
    assert ip(" 2001:db8::1 ", 1) == "2001:db8::1"


# Uploads ------------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "得分"])
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _error_code(validator: UploadValidator, upload: SimpleUploadedFile) -> str | None:
    try:
        validator(upload)
    except ValidationError as error:
        return error.code
    return None


# Named by file name: the contents of a generated workbook carry its creation time, and
# two pytest-xdist workers collecting a second apart must see the same test ids.
ACCEPTED = [
    ("发文.pdf", PDF),
    ("纪要.DOCX", _zip("[Content_Types].xml", "word/document.xml")),
    ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ("测评.xlsx", _xlsx()),
    ("现场照片.png", PNG),
    ("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
    ("电子公文.ofd", _zip("OFD.xml", "Doc_0/Document.xml")),
    ("金山文字.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ("金山表格.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ("汇报.pptx", _zip("[Content_Types].xml", "ppt/presentation.xml")),
    ("名单.txt", "名单：张三、李四".encode()),
    ("记事本存的名单.txt", "名单：张三、李四".encode("gb18030")),
    ("材料.zip", _zip("说明.txt")),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_it_accepts_the_kinds_of_file_the_office_works_with(name, content):
    upload = _upload(name, content)
    assert _error_code(UploadValidator(kinds=OFFICE_FILES), upload) is None
    assert upload.read() == content  # left at the start, for the storage to read


REFUSED = [
    ("空的.pdf", b"", "empty"),
    ("程序.exe", b"MZ\x90\x00", "kind"),
    ("没有扩展名", PDF, "kind"),
    ("网页.html", b"<script>alert(1)</script>", "kind"),
    ("改名的程序.pdf", b"MZ\x90\x00" + b"\x00" * 64, "content"),
    ("压缩包改名.docx", _zip("readme.txt"), "content"),
    ("表格改名.docx", _xlsx(), "content"),
    ("图片改名.pdf", PNG, "content"),
    ("程序改名.txt", b"MZ\x90\x00" + b"\x00" * 64, "content"),
    ("压缩包改名.ofd", _zip("readme.txt"), "content"),
    ("文本改名.zip", b"just text", "content"),
]


@pytest.mark.parametrize(("name", "content", "code"), REFUSED, ids=[case[0] for case in REFUSED])
def test_it_refuses_a_file_that_is_not_what_it_claims(name, content, code):
    assert _error_code(UploadValidator(kinds=OFFICE_FILES), _upload(name, content)) == code


def test_it_refuses_a_kind_the_field_does_not_take():
    validator = UploadValidator(kinds=DOCUMENTS)
    assert _error_code(validator, _upload("照片.png", PNG)) == "kind"
    with pytest.raises(ValidationError) as error:
        validator(_upload("照片.png", PNG))
    assert "PDF、DOCX、DOC" in error.value.messages[0]


def test_it_refuses_a_file_one_byte_over_the_limit():
    validator = UploadValidator(kinds=(".pdf",), max_bytes=1024)
    at_limit = PDF + b"\x00" * (1024 - len(PDF))
    assert _error_code(validator, _upload("a.pdf", at_limit)) is None
    assert _error_code(validator, _upload("a.pdf", at_limit + b"\x00")) == "too_large"


def test_it_takes_the_default_limit_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 100
    assert _error_code(UploadValidator(), _upload("a.pdf", PDF + b"\x00" * 100)) == "too_large"
    with pytest.raises(ValidationError, match="不能超过"):
        UploadValidator()(_upload("a.pdf", PDF + b"\x00" * 100))


def test_it_refuses_to_be_built_for_a_kind_it_cannot_check():
    with pytest.raises(ValueError, match=".exe"):
        UploadValidator(kinds=(".exe",))


def test_it_deconstructs_for_migrations():
    validator = UploadValidator(kinds=SPREADSHEETS + IMAGES, max_bytes=5_000_000)
    path, args, kwargs = validator.deconstruct()
    assert path == "portal.uploads.UploadValidator"
    assert UploadValidator(*args, **kwargs) == validator
    assert UploadPath("documents").deconstruct() == (
        "portal.uploads.UploadPath",
        ("documents",),
        {},
    )


def test_it_stores_uploads_under_random_names():
    with time_machine.travel(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC), tick=False):
        first = UploadPath("documents")(None, "../../etc/关于印发工作要点的通知.PDF")
        second = UploadPath("documents")(None, "关于印发工作要点的通知.pdf")
    assert re.fullmatch(r"documents/2026/03/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert UploadPath("evidence")(None, "x.php").endswith(tuple("0123456789abcdef"))


def test_it_hands_a_stored_file_back_only_as_a_download(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage

    stored = default_storage.save("documents/2026/03/abc.pdf", ContentFile(PDF))
    with default_storage.open(stored) as file:
        response = attachment_response(file, filename="关于印发工作要点的通知.pdf")
        body = b"".join(response.streaming_content)
    assert body == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_download_named_by_its_stem_keeps_the_stored_files_suffix(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from urllib.parse import quote

    from django.core.files.storage import default_storage

    stored = default_storage.save("evidence/2026/03/abc.xlsx", ContentFile(b"PK\x03\x04"))
    with default_storage.open(stored) as file:
        response = attachment_response(file, stem="机电工程学院-整改报告")
        b"".join(response.streaming_content)  # read while the file is open
    assert quote("机电工程学院-整改报告.xlsx") in response["Content-Disposition"]


# Uploads are never published ----------------------------------------------------------------


def _check_ids() -> list[str]:
    return [message.id for message in checks.check_uploads_are_not_served()]


def test_it_passes_the_upload_checks_with_the_real_settings():
    assert _check_ids() == []


def test_it_refuses_media_inside_the_static_folders(settings):
    settings.MEDIA_ROOT = Path(settings.STATIC_ROOT) / "uploads"
    assert _check_ids() == ["portal.E001"]
    settings.MEDIA_ROOT = ROOT / "static" / "media"
    assert _check_ids() == ["portal.E001"]


def test_it_refuses_a_media_url_under_static(settings):
    settings.MEDIA_URL = "/static/media/"
    assert _check_ids() == ["portal.E002"]


urlpatterns = [
    path("", lambda request: HttpResponse("home")),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": "/tmp"}),  # noqa: S108
]


def test_it_refuses_a_url_that_serves_files_from_disk():
    with override_settings(ROOT_URLCONF=__name__):
        assert _check_ids() == ["portal.E003"]


def test_it_counts_the_cool_off_from_the_last_attempt(org):
    """Trying again while locked out starts the 15 minutes again (django-axes keeps the
    time of the latest attempt), as the operations guide says."""
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _login(Client(), "office", "wrong")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert _login(Client(), "office", PASSWORD) == 429
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert _login(Client(), "office", PASSWORD) == 429  # 6 minutes after the last try
    with time_machine.travel(start + dt.timedelta(minutes=36), tick=False):
        assert _login(Client(), "office", PASSWORD) == 302  # 16 minutes after it


# The public verification pages: a rate limit per address ---------------------------------


@override_settings(VERIFY_LIMIT_PER_MINUTE=3, TRUSTED_PROXY_COUNT=1)
def test_the_verification_pages_answer_an_address_too_many_requests_with_a_chinese_429(db):
    """Probe finding: the public verification page had no rate limit (anyone may open it
    without a login; an upload hashes a whole PDF and checks its signature)."""
    start = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert _from("10.1.1.1").get("/documents/verify/?code=ABCD").status_code == 200
        refused = _from("10.1.1.1").get("/documents/verify/ABCDEFGHJKMN/")
        assert refused.status_code == 429
        assert "请求过于频繁" in refused.content.decode()
        assert "50 秒后再试" in refused.content.decode()
        assert refused["Retry-After"] == "50"
        # another browser behind the same proxy is not held up
        assert _from("10.2.2.2").get("/documents/verify/?code=ABCD").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        assert _from("10.1.1.1").get("/documents/verify/?code=ABCD").status_code == 200


@override_settings(VERIFY_LIMIT_PER_MINUTE=100, VERIFY_UPLOADS_PER_MINUTE=2)
def test_uploads_to_check_a_copy_have_their_own_smaller_limit(db):
    start = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        for _ in range(2):  # an unknown code: counted all the same
            upload = SimpleUploadedFile("copy.pdf", PDF, "application/pdf")
            answer = client.post("/documents/verify/ABCDEFGHJKMN/", {"file": upload})
            assert answer.status_code == 404
        upload = SimpleUploadedFile("copy.pdf", PDF, "application/pdf")
        answer = client.post("/documents/verify/ABCDEFGHJKMN/", {"file": upload})
        assert answer.status_code == 429
        assert client.get("/documents/verify/ABCDEFGHJKMN/").status_code == 404  # reading

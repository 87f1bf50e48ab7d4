"""Fault drills (the services leg, `make test-services`): the portal served by a real
gunicorn on the test database, and the process each drill breaks started and stopped
for real.

- **The database goes away** (PostgreSQL restarting: every connection cut, new ones
  refused): a page and a form post answer the Chinese 503 page, not a traceback;
  nothing of the post is saved; when the database is back the same gunicorn serves
  again, without a restart.
- **Redis stops** (the broker and the cache): pages still work; an action that queues
  mail commits and answers as usual, its message waiting in the outbox; beat's flush
  sends it once when run again and again.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from portal.deadlines.models import Delivery
from portal.deadlines.tasks import flush_messages
from portal.documents import services as documents
from portal.documents.models import Document
from portal.models import Unit, User
from tests.clock import child_env
from tests.conftest import Org, build_org

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis (make test-services)",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url(name: str | None = None) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"
    )


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


class Browser:
    """One user's cookies against the gunicorn under test."""

    def __init__(self, base: str, user: User) -> None:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        self.base = base
        self.cookies = {settings.SESSION_COOKIE_NAME: str(store.session_key)}

    def request(self, path: str, data: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - the loopback
            self.base + path,
            data=body,
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": self.base + path,
            },
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                answer = Answer(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.read().decode(), dict(error.headers))
        for header in answer.headers.get("Set-Cookie", "").split(","):
            name, _, rest = header.strip().partition("=")
            if name in {"csrftoken", settings.SESSION_COOKIE_NAME}:
                self.cookies[name] = rest.split(";", 1)[0]
        return answer

    def form_token(self, path: str) -> str:
        page = self.request(path)
        assert page.status == 200, page.status
        match = TOKEN.search(page.body)
        assert match is not None
        return match.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@contextmanager
def gunicorn(**env: str) -> Iterator[str]:
    """The portal under gunicorn on the test database (production settings otherwise);
    yields its base URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "PORTAL_TESTING": "true",  # plain static storage: no collectstatic in the drill
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # reads the sessions this test opens
            "ALLOWED_HOSTS": "127.0.0.1",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **child_env(),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                assert process.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def database_away() -> Iterator[None]:
    """PostgreSQL as during a restart: every connection to the test database cut, new
    ones refused (`ALLOW_CONNECTIONS false`); then back."""
    name = connection.settings_dict["NAME"]
    connection.close()  # this test's own connection is cut too: reopened afterwards
    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@contextmanager
def redis_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of the drill's own (the machine's serves the other tests)."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def org(django_db_serialized_rollback: None, transactional_db: None) -> Org:
    """Committed records (gunicorn is another process); the role groups come back after."""
    return build_org()


def test_a_database_restart_answers_the_chinese_503_saves_nothing_and_recovers(org):
    units = Unit.objects.count()
    with gunicorn() as base:
        office = Browser(base, org.office)
        assert office.request("/units/").status == 200
        token = office.form_token("/units/new/")
        with database_away():
            page = office.request("/units/")
            posted = office.request(
                "/units/new/",
                {
                    "csrfmiddlewaretoken": token,
                    "name": "断库时新建的单位",
                    "kind": "department",
                    "sort_order": "0",
                    "is_active": "on",
                },
            )
        for answer in (page, posted):
            assert answer.status == 503
            assert "数据库暂时无法连接" in answer.body
            assert "没有保存任何内容" in answer.body
            assert "Traceback" not in answer.body
            assert answer.headers["Retry-After"] == "30"
        # The same gunicorn, not restarted, serves again.
        assert office.request("/units/").status == 200
    assert Unit.objects.count() == units
    assert not Unit.objects.filter(name="断库时新建的单位").exists()


def test_with_redis_stopped_pages_work_and_queued_mail_goes_once_later(org, mailoutbox):
    org.leader.email = "leader@example.edu.cn"
    org.leader.save(update_fields=["email"])
    draft = documents.document_create(
        kind="policy",
        title="关于寒假走访慰问的通知",
        body="各党总支：请于1月15日前完成。",
        by=org.office,
    )
    with redis_server() as (redis_url, redis), gunicorn(REDIS_URL=redis_url) as base:
        office = Browser(base, org.office)
        assert office.request(f"/documents/{draft.pk}/").status == 200
        token = office.form_token(f"/documents/{draft.pk}/")
        redis.terminate()
        redis.wait(timeout=10)
        # Reading needs no Redis: sessions and locks are in the database.
        for path in ("/", "/documents/", f"/documents/{draft.pk}/", "/deadlines/"):
            assert office.request(path).status == 200, path
        # An action that queues mail (the leader's "please sign"): done, not an error.
        started = time.monotonic()
        submitted = office.request(f"/documents/{draft.pk}/submit/", {"csrfmiddlewaretoken": token})
        assert submitted.status == 302, submitted.body[:500]
        assert time.monotonic() - started < 10  # the broker is given up on quickly
    draft.refresh_from_db()
    assert draft.state == Document.State.AWAITING_SIGNATURE
    waiting = Delivery.objects.filter(key__startswith=f"documents.sign/{draft.pk}/")
    assert waiting.exists()
    assert set(waiting.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    # Beat's flush catches up, and only once however often it runs.
    flush_messages()
    flush_messages()
    assert set(waiting.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert [m.to for m in mailoutbox] == [["leader@example.edu.cn"]]

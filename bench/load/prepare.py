"""Build the load test's database and sessions: `python -m bench.load.prepare`.

A fresh PostgreSQL database (`LOAD_DATABASE_URL`, default `ufw_load` on the local
server) is created, migrated and filled by the benchmark's seed parts at `--scale`
(1: 200 units, 2,000 people, 42 branch commissioners, 100,000 deadlines). Then each
virtual user's session is opened in the database, as a login would (the user's id,
backend and session hash), and the keys are written to `var/load/sessions.json`:
the measurement is of the pages, not of password hashing, and the login throttle
never sees the load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ufw_load"
SESSIONS = ROOT / "var" / "load" / "sessions.json"
# Virtual users of each kind share the bench's accounts of that role.
KINDS = {"commissioner": 400, "leader": 60, "office": 20}
# Sessions are signed with the key of the stack that reads them (bench.load.run).
SECRET_KEY = "load-test-only-not-a-secret-0123456789abcdefghij"  # noqa: S105 - signs the load test's throw-away sessions


def recreate_database(url: str) -> str:
    """Drop and create the database `url` names, as a copy of the test suite's migrated
    template when there is one for these migrations (`tests/template_db.py`: the
    services leg leaves it; migrating takes a minute); returns how it was made."""
    import psycopg

    from tests.template_db import PREFIX, migrations_key

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    template = PREFIX + migrations_key()
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if found:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return f"copied from {template}"
        connection.execute(f'CREATE DATABASE "{name}"')
        return "migrated"


def open_sessions(per_kind: dict[str, int]) -> dict[str, list[str]]:
    """`per_kind[k]` session keys for the accounts of kind k, round robin."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from portal.models import Role, User

    accounts = {
        "commissioner": list(
            User.objects.filter(
                groups=Group.objects.get(name=Role.COMMISSIONER), is_active=True
            ).order_by("pk")
        ),
        "leader": list(User.objects.filter(username="bench-leader")),
        "office": list(User.objects.filter(username="bench-office")),
    }
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    keys: dict[str, list[str]] = {}
    for kind, wanted in per_kind.items():
        users = accounts[kind]
        keys[kind] = []
        for i in range(wanted):
            user = users[i % len(users)]
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = backend
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            assert store.session_key is not None
            keys[kind].append(store.session_key)
    return keys


def top_up_documents(wanted: int) -> int:
    """Policy documents drafted by the office and waiting for the group leader's
    signature, `wanted` of them, through the services (as the office submits them in
    January); returns how many were added."""
    from portal.documents import services
    from portal.documents.models import Document
    from portal.models import User

    office = User.objects.get(username="bench-office")
    waiting = Document.objects.filter(
        state=Document.State.AWAITING_SIGNATURE, kind="policy"
    ).count()
    for i in range(max(0, wanted - waiting)):
        document = services.document_create(
            kind="policy",
            title=f"关于做好寒假前党外代表人士走访慰问工作的通知（{i + 1}）",
            body="各党总支：\n\n请于1月15日前完成走访慰问，并报送情况。",
            by=office,
        )
        services.document_submit(document=document, by=office)
    return max(0, wanted - waiting)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load.prepare", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=sum(KINDS.values()))
    parser.add_argument(
        "--sessions-only", action="store_true", help="keep the database, open new sessions"
    )
    parser.add_argument("--documents", type=int, default=300, help="waiting to be signed")
    parser.add_argument(
        "--documents-only",
        action="store_true",
        help="only top the documents waiting to be signed up to --documents (before each load)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.pop("BENCH_DB", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    started = time.perf_counter()
    import django

    django.setup()  # connects to nothing yet
    if args.documents_only:
        print(f"load: {top_up_documents(args.documents)} documents added to sign", flush=True)
        return 0
    made = "kept" if args.sessions_only else recreate_database(url)
    from bench.seed import build

    report = {"counts": {}} if args.sessions_only else build(args.scale, path=None, verbose=False)
    # Sessions for the largest run: the peak's shares, scaled to --users.
    total = sum(KINDS.values())
    per_kind = {k: max(1, round(n * args.users / total)) for k, n in KINDS.items()}
    added = top_up_documents(args.documents)
    SESSIONS.parent.mkdir(parents=True, exist_ok=True)
    SESSIONS.write_text(json.dumps(open_sessions(per_kind)))
    counts = ", ".join(f"{n:,} {label}" for label, n in report["counts"].items())
    print(
        f"load database {urlsplit(url).path.lstrip('/')} ({made}) at scale {args.scale:g} "
        f"in {time.perf_counter() - started:.0f} s: {counts}; sessions {per_kind}; "
        f"{added} documents added to sign"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

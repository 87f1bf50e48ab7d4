"""Backups that restore (`manage.py backup`, `manage.py restore`): the demo database with
its issued documents is backed up, restored into a new, empty database and media
folder, and checked there: every table's rows (history included), every issued PDF with
its SHA-256 and verification code. On the fast leg the databases are SQLite files; on
the services leg (DATABASE_URL names PostgreSQL) two new PostgreSQL databases."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clock import child_env

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def databases(tmp_path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the engine the leg runs on: the source and the target."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'src.sqlite3'}", f"sqlite:///{tmp_path / 'dst.sqlite3'}"
        return
    import psycopg

    base = url.rsplit("/", 1)[0]
    names = [f"ufw_backup_{kind}_{os.getpid()}" for kind in ("src", "dst")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args: str, database: str, var: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        {
            "DEBUG": "true",
            "PORTAL_TESTING": "false",
            "DATABASE_URL": database,
            "PORTAL_VAR_DIR": str(var),
        }
    )
    env.update(child_env())  # the demo's dates on the test's clock
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_backup_restores_into_a_new_database_whole_and_restore_checks_it(databases, tmp_path):
    """One demo database for the whole story (seeding it is most of the time)."""
    source, target = databases
    src_var, dst_var, copy = tmp_path / "src", tmp_path / "dst", tmp_path / "copy"
    _ok(_manage("migrate", "-v", "0", database=source, var=src_var))
    _ok(_manage("seed_demo", "--quiet", database=source, var=src_var))
    out = _ok(_manage("backup", "--output", str(copy), database=source, var=src_var))
    assert f"已备份到 {copy}" in out
    assert {p.name for p in copy.iterdir()} >= {"manifest.json", "media.tar.gz"}

    # Restored into a new, empty database and media folder, and found whole.
    out = _ok(_manage("restore", str(copy), database=target, var=dst_var))
    assert "核对无误" in out
    assert "与备份一致" in out and "修改记录" in out
    issued_line = next(line for line in out.splitlines() if "已印发公文" in line)
    assert "已印发公文 0 份" not in issued_line  # the demo issues documents
    # The PDFs are the very files that were issued, byte for byte.
    pdfs = sorted((src_var / "media").rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        restored = dst_var / "media" / pdf.relative_to(src_var / "media")
        assert hashlib.sha256(restored.read_bytes()).digest() == (
            hashlib.sha256(pdf.read_bytes()).digest()
        )

    # Every issued document keeps its number, verification code and hash: the printed
    # QR code and code still lead to it, and a copy is checked against the same hash.
    issued = _issued(source)
    assert len(issued) >= 3 and all(code and digest for _n, code, digest in issued)
    assert _issued(target) == issued

    # A second restore over data is refused without --force.
    again = _manage("restore", str(copy), database=target, var=dst_var)
    assert again.returncode != 0
    assert "目标数据库不是空的" in again.stderr
    # A backup into an existing folder, or a restore from a folder that is no backup.
    taken = _manage("backup", "--output", str(copy), database=source, var=src_var)
    assert taken.returncode != 0 and "备份目录已存在" in taken.stderr
    wrong = _manage("restore", str(src_var), "--force", database=target, var=dst_var)
    assert wrong.returncode != 0 and "不是备份目录" in wrong.stderr

    # The check finds a tampered PDF and a lost history row.
    pdf = next((dst_var / "media" / "documents" / "issued").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%tampered")
    _delete_newest_history_row(target)
    result = _manage("restore", str(copy), "--check-only", database=target, var=dst_var)
    assert result.returncode != 0
    assert "SHA-256 不一致" in result.stderr
    assert "documents_historicaldocument：应有" in result.stderr


def _issued(database: str) -> list[tuple[str, str, str]]:
    sql = (
        "SELECT reference, verification_code, pdf_sha256 FROM documents_document"
        " WHERE state = 'issued' ORDER BY id"
    )
    if database.startswith("sqlite"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
            return [tuple(row) for row in db.execute(sql)]
    import psycopg

    with psycopg.connect(database) as db:
        return [tuple(row) for row in db.execute(sql)]


def _delete_newest_history_row(database: str) -> None:
    sql = (
        "DELETE FROM documents_historicaldocument WHERE history_id ="
        " (SELECT MAX(history_id) FROM documents_historicaldocument)"
    )
    if database.startswith("sqlite"):
        with sqlite3.connect(database.removeprefix("sqlite:///")) as db:
            db.execute(sql)
        return
    import psycopg

    with psycopg.connect(database, autocommit=True) as db:
        db.execute(sql)

"""Backups that restore: a consistent copy of the database and the media folder, and the
checks that a restored copy is whole (`manage.py backup`, `manage.py restore`).

A backup is a folder::

    <name>/database.sqlite3 | database.dump   the database (SQLite file / pg_dump custom)
    <name>/media.tar.gz                        the media folder (uploads, issued PDFs)
    <name>/manifest.json                       engine, time, row count of every table

- **Consistent**: on PostgreSQL the row counts are read in a REPEATABLE READ
  transaction whose snapshot `pg_dump --snapshot` then dumps, so manifest and dump are
  the same instant; on SQLite the copy is made with SQLite's online backup API and the
  counts are read from the copy. The media folder is archived after the database: files
  are written before the rows that name them commit and never changed afterwards, so
  every file a row of the copy names is in the archive.
- **Restored whole**: `restore` loads the copy into an empty database (the configured
  one) and the media folder, then runs `verify`: every table has the row count of the
  manifest (history included), and every check an app registered
  (`register_check`; the documents engine checks that every issued PDF is there with
  the SHA-256 and verification code it was issued with) finds nothing wrong.

A copy restores into the engine it was taken from (SQLite → SQLite, PostgreSQL →
PostgreSQL); docs/operations.md has the schedule and the tested procedure.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"

# Checks of a restored copy, registered by the apps that know what "whole" means for
# their records: each returns the problems it found (empty: all well) and a summary.
Check = Callable[[], tuple[list[str], str]]
CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    if check not in CHECKS:
        CHECKS.append(check)
    return check


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败：{result.stderr.strip()[:500]}")


def _count(cursor: Any, table: str) -> int:
    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
    return int(cursor.fetchone()[0])


def backup(target: Path) -> dict[str, Any]:
    """Write a backup into the new folder `target`; return its manifest."""
    engine = _engine()
    if target.exists():
        raise BackupError(f"备份目录已存在：{target}")
    target.mkdir(parents=True)
    tables = _tables()
    if engine == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        copy = sqlite3.connect(target / SQLITE_FILE)
        try:
            source.backup(copy)
            cursor = copy.cursor()
            counts = {table: _count(cursor, table) for table in tables}
        finally:
            copy.close()
    else:
        counts = _pg_dump(target / PG_FILE, tables)
    _archive_media(target / MEDIA)
    manifest = {
        "engine": engine,
        "taken_at": timezone.now().isoformat(),
        "tables": counts,
        "media_files": _media_count(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _pg_dump(path: Path, tables: list[str]) -> dict[str, int]:
    """Dump the database at the instant the counts are read (one exported snapshot)."""
    db = settings.DATABASES["default"]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {table: _count(cursor, table) for table in tables}
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                    str(db["NAME"]),
                ]
            )
        raw.rollback()
    finally:
        raw.close()
    return counts


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_count() -> int:
    root = _media_root()
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def _archive_media(path: Path) -> None:
    root = _media_root()
    with tarfile.open(path, "w:gz") as archive:
        if root.exists():
            archive.add(root, arcname="media")


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} 不是备份目录（缺少 {MANIFEST}）。") from None
    return manifest


def restore(source: Path, *, force: bool = False) -> Report:
    """Load the backup in `source` into the configured (empty) database and media
    folder, then verify it. `force` restores over existing data."""
    manifest = read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']}，不能恢复到 {engine} 数据库。")
    if _tables() and not force:
        raise BackupError("目标数据库不是空的；确认要覆盖时请加 --force。")
    root = _media_root()
    if root.exists() and any(root.iterdir()) and not force:
        raise BackupError(f"媒体目录 {root} 不是空的；确认要覆盖时请加 --force。")
    if engine == "sqlite":
        connection.close()
        shutil.copyfile(source / SQLITE_FILE, settings.DATABASES["default"]["NAME"])
    else:
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            command += ["--clean", "--if-exists"]
        connection.close()
        _run([*command, f"--dbname={settings.DATABASES['default']['NAME']}", str(source / PG_FILE)])
    if force and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        archive.extractall(root.parent / "_restoring", filter="data")
    unpacked = root.parent / "_restoring" / "media"
    if unpacked.exists():
        for item in unpacked.iterdir():
            shutil.move(str(item), root / item.name)
    shutil.rmtree(root.parent / "_restoring", ignore_errors=True)
    return verify(manifest)


def verify(manifest: dict[str, Any]) -> Report:
    """Compare the database with the manifest, then run the registered checks."""
    report = Report()
    tables = set(_tables())
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest["tables"].items()):
            if table not in tables:
                report.problems.append(f"缺少数据表 {table}")
                continue
            found = _count(cursor, table)
            if found != expected:
                report.problems.append(f"{table}：应有 {expected} 行，实有 {found} 行")
    history = sum(n for t, n in manifest["tables"].items() if "historical" in t)
    report.lines.append(
        f"数据表 {len(manifest['tables'])} 张、记录 {sum(manifest['tables'].values())} 行"
        f"（其中修改记录 {history} 行）与备份一致"
        if not report.problems
        else "数据表与备份不一致"
    )
    media = _media_count()
    if media < manifest.get("media_files", 0):
        report.problems.append(f"媒体文件应有 {manifest['media_files']} 个，实有 {media} 个")
    for check in CHECKS:
        problems, summary = check()
        report.problems += problems
        report.lines.append(summary)
    return report

"""The test database, copied from one built by the migrations instead of migrated anew.

Migrating an empty database took 26 s of CPU (Django renders the model states again for
each of the 90-odd migrations), in every pytest process: both workers of each of CI's
five runs of the suite. The template is built once by `manage.py migrate`, the same
migrations the portal runs, in a child process, and kept under a name made of a digest
of every installed app's migration files and the Django version: a changed or new
migration builds a new one. Each test database is then a copy: SQLite's backup API into
the in-memory test database, PostgreSQL's `CREATE DATABASE … TEMPLATE`.

`makemigrations --check` (make test) still guards that the migrations match the models.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "test-db"
PREFIX = "ufw_test_template_"


def migrations_key() -> str:
    """A digest of every installed app's migration files and of the Django version."""
    digest = hashlib.sha256(django.__version__.encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked() -> Iterator[None]:
    """One process at a time builds or copies the template (the xdist workers start
    together, and a template being copied must have no other user)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {"DATABASE_URL": database_url, "PORTAL_TESTING": "true"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating the test template failed:\n{result.stderr}")


def _sqlite_template() -> Path:
    path = CACHE / f"{migrations_key()}.sqlite3"
    if not path.exists():
        building = path.with_suffix(".building")
        for stale in [building, *building.parent.glob(f"{building.name}-*")]:
            stale.unlink(missing_ok=True)
        _migrate(f"sqlite:///{building}")
        with sqlite3.connect(building) as db:  # fold the write-ahead log into the file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        building.rename(path)
        for old in CACHE.glob("*.sqlite3"):
            if old != path:
                old.unlink()
    return path


def _postgres_template(connection: Any) -> str:
    name = PREFIX + migrations_key()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])
        existing = {row[0] for row in cursor.fetchall()}
        if name in existing:
            return name
        building = f"{name}_building"
        for old in existing:  # older migrations' templates, or a build that died
            cursor.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{building}"')
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    port = f":{params['PORT']}" if params["PORT"] else ""
    _migrate(f"postgres://{auth}@{params['HOST'] or 'localhost'}{port}/{building}")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def create_test_database(connection: Any) -> str:
    """Create the alias's test database as a copy of the template; what Django's
    `create_test_db` does, with the copy in place of `migrate`. The original name, for
    `destroy_test_db`."""
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    with _locked():
        if connection.vendor == "postgresql":
            connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = _postgres_template(
                connection
            )
            test_name = creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        elif connection.vendor == "sqlite":
            template = _sqlite_template()
            test_name = creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:  # pragma: no cover - the portal runs on SQLite and PostgreSQL only
            raise NotImplementedError(connection.vendor)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            with sqlite3.connect(template) as source:
                source.backup(connection.connection)
    # What the migrations' data (the role groups) looks like, for the tests marked
    # `serialized_rollback` to restore after their flush, as `create_test_db` keeps it.
    connection._test_serialized_contents = creation.serialize_db_to_string()
    return old_name

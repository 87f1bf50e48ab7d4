"""Settings come from the environment, strictly; production settings pass --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int, env_list, env_str

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "PORTAL_TESTING", "DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = _manage("check", DEBUG="false", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-the-check-0123456789",
    "ALLOWED_HOSTS": "ufw.example.edu.cn",
}


def test_it_warns_in_chinese_when_collectstatic_has_not_run(tmp_path):
    """Probe finding: production without collectstatic answered every page with a 500
    and nothing said why."""
    result = _manage("check", PORTAL_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert "portal.W004" in result.stderr + result.stdout
    assert "静态文件清单不存在" in result.stderr + result.stdout
    assert "collectstatic" in result.stderr + result.stdout


def test_it_passes_the_deploy_check_in_production_settings(tmp_path):
    static = tmp_path / "staticfiles"
    static.mkdir()
    (static / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-for-the-check-0123456789",
        ALLOWED_HOSTS="ufw.example.edu.cn",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env_str("SOME_SECRET") == "from-a-file"


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("off", False)])
def test_it_parses_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_it_rejects_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be a boolean"):
        env_bool("SOME_FLAG", False)


def test_it_rejects_a_malformed_integer(monkeypatch):
    monkeypatch.setenv("SOME_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_INT must be an integer"):
        env_int("SOME_INT", 1)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,,")
    assert env_list("SOME_LIST", []) == ["a.example", "b.example"]


def test_it_uses_postgres_and_redis_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.CELERY_BROKER_URL);"
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "true",
            "DATABASE_URL": "postgres://u:p@db.example:5432/portal",
            "REDIS_URL": "redis://cache.example:6379/0",
            "PORTAL_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.split()
    assert lines == [
        "django.db.backends.postgresql",
        "redis://cache.example:6379/0",
        "django.core.cache.backends.redis.RedisCache",
    ], result.stderr


@pytest.mark.parametrize(
    ("debug", "backend"),
    [("true", "filebased.EmailBackend"), ("false", "smtp.EmailBackend")],
)
def test_it_writes_mail_to_files_in_development_and_sends_it_in_production(
    tmp_path, debug, backend
):
    code = (
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_TESTING", "EMAIL_BACKEND"}}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": debug,
            "SECRET_KEY": "x" * 60,
            "PORTAL_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == [
        f"django.core.mail.backends.{backend}",
        str(tmp_path / "mail"),
    ], result.stderr


def test_make_run_signs_with_the_demo_certificate_when_there_is_one(tmp_path):
    code = "from django.conf import settings; print(repr(settings.DOCUMENT_SIGNING_P12))"
    env = {
        k: v for k, v in os.environ.items() if k not in {"PORTAL_TESTING", "DOCUMENT_SIGNING_P12"}
    }
    env |= {"DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_VAR_DIR": str(tmp_path)}

    def signing(**extra: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout.strip() or result.stderr

    assert signing(DEBUG="true") == "''"  # no demo certificate yet: unsigned
    (tmp_path / "demo-signing.p12").write_bytes(b"p12")
    assert signing(DEBUG="true") == repr(str(tmp_path / "demo-signing.p12"))
    # Production never falls back to the demo's certificate: only what it is given.
    assert signing(DEBUG="false", SECRET_KEY="x" * 60) == "''"
    given = signing(DEBUG="false", SECRET_KEY="x" * 60, DOCUMENT_SIGNING_P12="/etc/ufw.p12")
    assert given == "'/etc/ufw.p12'"


def test_it_defaults_to_chinese_and_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


def test_collectstatic_builds_the_manifest_in_production_settings(tmp_path):
    """The load test's finding: a vendored script named a source map that was not
    vendored, and `collectstatic` (the manifest storage) refused the whole deployment."""
    result = _manage(
        "collectstatic", "--noinput", "-v", "0", PORTAL_VAR_DIR=str(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr + result.stdout
    manifest = tmp_path / "staticfiles" / "staticfiles.json"
    assert "vendor/chartjs/chart.umd.min.js" in manifest.read_text()

"""Settings for the portal, read from the environment.

Every value comes from an environment variable through the small strict helpers below:
a malformed boolean or integer is a start-up error, never a silent default. Secrets may
also come from a file named by `<NAME>_FILE` (Docker/Kubernetes secrets).

Without any environment the portal runs in development mode on SQLite under `var/`,
with an embedded Celery broker (kombu's filesystem transport), so `make run` needs
nothing but Python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from portal import clock

# Lets generic Django classes (ModelForm[Unit], QuerySet[Person]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string from `NAME`, or from the file named by `NAME_FILE`."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false/1/0), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_ints(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    try:
        return tuple(int(n) for n in env_list(name, [str(n) for n in default]))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be integers separated by commas") from None


TESTING = "pytest" in sys.modules or env_bool("PORTAL_TESTING", False)
DEBUG = env_bool("DEBUG", False)

# Tests never read the real clock: every test starts at this instant (tests/conftest.py)
# and CI runs the fast leg again at the year's end. A process a test starts (a Celery
# worker, beat, run_portal) is handed the test's own "now" in PORTAL_CLOCK_AT.
PORTAL_TEST_NOW = env_str("PORTAL_TEST_NOW") or "2026-06-15T10:00:00+08:00"
if env_str(clock.VARIABLE):
    clock.start_at(env_str(clock.VARIABLE) or "", allowed=DEBUG or TESTING)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Development and tests only; production refuses to start without one.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) in the environment; "
            "for local development set DEBUG=true."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000") or ""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_celery_beat",
    "portal",
    "portal.documents",
    "portal.deadlines",
    "portal.exportjobs",
    "groups",
    "meetings",
    "liaisons",
    "outreach",
    "inspections",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.workdays.WorkdayCalendarMiddleware",
    "portal.middleware.OutOfRangeMiddleware",
    # AxesMiddleware must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.deadlines.context_processors.inbox",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {
    # Health checks: a persistent connection that PostgreSQL dropped (a restart) is
    # replaced at the start of the next request instead of failing it.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
# A browser the user has logged in from is never locked out (portal/devices.py).
AXES_WHITELIST_CALLABLE = "portal.devices.axes_whitelist"
# Behind nginx every request comes from the proxy's address: with TRUSTED_PROXY_COUNT=1
# the address nginx saw is read from X-Forwarded-For (`portal.net`), never more of it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.net.client_ip"
# The public verification pages (no login): requests per address and minute; an upload
# (a whole PDF hashed and its signature checked) counts against its own, smaller limit.
VERIFY_LIMIT_PER_MINUTE = env_int("VERIFY_LIMIT_PER_MINUTE", 30)
VERIFY_UPLOADS_PER_MINUTE = env_int("VERIFY_UPLOADS_PER_MINUTE", 5)
RATELIMIT_KEY_PREFIX = "ratelimit"  # the tests give each test its own (tests/conftest.py)

# Internationalisation: Simplified Chinese first, English selectable.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans") or "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai") or "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are vendored under static/ (no CDN: the portal runs on a campus intranet).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Uploads are checked by portal.uploads.UploadValidator and never served from static/.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
STORAGES: dict[str, dict[str, object]] = {
    # Django's FileSystemStorage whose faults (a full disk, an unwritable folder) are a
    # Chinese error on the page and leave no half-written file (portal.uploads).
    "default": {"BACKEND": "portal.uploads.UploadStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Cache: Redis when REDIS_URL is set, else per-process memory.
REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/,
# which works across processes (worker, beat, web) with no server at all.
CELERY_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # Every process (web, worker, beat) reads settings before touching the broker, so
    # the embedded broker's folders are made here.
    for _folder in ("queue", "processed", "results", "control"):
        (CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        "processed_folder": str(CELERY_DIR / "processed"),
        "control_folder": str(CELERY_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_RESULT_EXPIRES = 3600

# Exports (portal.exports, portal.exportjobs): a list export of more rows than this is
# prepared in the background (a Celery task) and announced in the inbox; its file is
# deleted, and the job marked expired, this many days after it was made.
EXPORT_ASYNC_THRESHOLD = env_int("EXPORT_ASYNC_THRESHOLD", 3000)
EXPORT_EXPIRY_DAYS = env_int("EXPORT_EXPIRY_DAYS", 7)
EXPORT_PROGRESS_EVERY = env_int("EXPORT_PROGRESS_EVERY", 500)

# Email: files under var/mail/ in development (one file per sending, to read what a
# reminder or an invitation said), SMTP (or what EMAIL_BACKEND names) in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "统战工作平台 <ufw-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict in production, relaxed only where DEBUG needs plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Documents (portal.documents) ---------------------------------------------------------
# Attachments are checked like every upload (UPLOAD_MAX_MB, portal.uploads.OFFICE_FILES).
# The faces of GB/T 9704 are licensed; a college that owns them points these at the
# font files (TrueType/OpenType). Empty: the free Noto CJK faces.
DOCUMENT_FONTS = {
    "fangsong": env_str("DOCUMENT_FONT_FANGSONG", "") or "",  # 仿宋_GB2312: the body
    "xiaobiaosong": env_str("DOCUMENT_FONT_XIAOBIAOSONG", "") or "",  # 方正小标宋: header, title
    "heiti": env_str("DOCUMENT_FONT_HEITI", "") or "",  # 黑体: first-level headings
    "kaiti": env_str("DOCUMENT_FONT_KAITI", "") or "",  # 楷体_GB2312: second-level headings
}
# A PKCS#12 file (certificate and key) signs every issued PDF (PAdES); none: unsigned.
# In development (`make run`), the demo certificate that `manage.py demo_certificate`
# made, when there is one: issued documents then carry a signature and the red seal.
DEMO_SIGNING_P12 = VAR_DIR / "demo-signing.p12"
DOCUMENT_SIGNING_P12 = env_str("DOCUMENT_SIGNING_P12", "") or (
    str(DEMO_SIGNING_P12) if DEBUG and not TESTING and DEMO_SIGNING_P12.exists() else ""
)
DOCUMENT_SIGNING_P12_PASSWORD = env_str("DOCUMENT_SIGNING_P12_PASSWORD", "") or ""
# Uploaded and issued files on an S3-compatible object store (django-storages, install
# with `pip install -e '.[s3]'`), so several web and worker machines share them.
S3_BUCKET = env_str("S3_BUCKET", "") or ""
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "portal.s3storage.S3UploadStorage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "") or "",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Demo data (seed_demo refuses to run with DEBUG off).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-2026") or "demo-2026"

# College calendar: semesters (month, day) starts; configurable per college.
SEMESTER_STARTS = {"autumn": (9, 1), "spring": (3, 1)}

# Deadlines and reminders (portal.deadlines). Links in emails and robot messages are
# absolute, on SITE_URL. Offsets and delays are working days on the official calendar.

DEADLINE_REMINDER_OFFSETS = env_ints("DEADLINE_REMINDER_OFFSETS", (7, 3, 1, 0))
DEADLINE_RULE_OFFSETS: dict[str, tuple[int, ...]] = {}  # per rule code, overrides the rule's
DEADLINE_REMINDER_HOUR = env_int("DEADLINE_REMINDER_HOUR", 8)  # local time of day
DEADLINE_ESCALATION_DELAY = env_int("DEADLINE_ESCALATION_DELAY", 3)
DEADLINE_YELLOW_WORKDAYS = env_int("DEADLINE_YELLOW_WORKDAYS", 3)
DEADLINE_MINUTES_WORKDAYS = env_int("DEADLINE_MINUTES_WORKDAYS", 5)
# Outreach (outreach/rules.py): a pair formed this close to a period's end owes no
# contact for it; the working days each step of a suggestion takes.
OUTREACH_PAIR_GRACE_DAYS = env_int("OUTREACH_PAIR_GRACE_DAYS", 30)
OUTREACH_SUGGESTION_ASSIGN_WORKDAYS = env_int("OUTREACH_SUGGESTION_ASSIGN_WORKDAYS", 3)
OUTREACH_SUGGESTION_ANSWER_WORKDAYS = env_int("OUTREACH_SUGGESTION_ANSWER_WORKDAYS", 15)
OUTREACH_SUGGESTION_SEND_BACK_WORKDAYS = env_int("OUTREACH_SUGGESTION_SEND_BACK_WORKDAYS", 3)
OUTREACH_SUGGESTION_REVIEW_WORKDAYS = env_int("OUTREACH_SUGGESTION_REVIEW_WORKDAYS", 3)
# Liaisons (liaisons/rules.py): how long before a liaison's 35th birthday the office is
# told, and the working days it has to decide after a liaison's status changed.
LIAISON_ELIGIBILITY_NOTICE_DAYS = env_int("LIAISON_ELIGIBILITY_NOTICE_DAYS", 30)
LIAISON_ELIGIBILITY_REVIEW_WORKDAYS = env_int("LIAISON_ELIGIBILITY_REVIEW_WORKDAYS", 10)
LIAISON_CONSULTATION_WORKDAYS = env_int("LIAISON_CONSULTATION_WORKDAYS", 5)
OUTREACH_SUGGESTION_FEEDBACK_WORKDAYS = env_int("OUTREACH_SUGGESTION_FEEDBACK_WORKDAYS", 5)
DEADLINE_CHANNELS = env_list("DEADLINE_CHANNELS", ["inbox", "email", "webhook"])
DEADLINE_WEBHOOK_URL = env_str("DEADLINE_WEBHOOK_URL", "") or ""  # WeCom/DingTalk robot
DEADLINE_WEBHOOK_KIND = env_str("DEADLINE_WEBHOOK_KIND", "") or ""  # wecom | dingtalk
DEADLINE_WEBHOOK_SECRET = env_str("DEADLINE_WEBHOOK_SECRET", "") or ""  # DingTalk 加签
DEADLINE_WEBHOOK_TIMEOUT = env_int("DEADLINE_WEBHOOK_TIMEOUT", 10)
DEADLINE_WEBHOOK_MAX_ITEMS = env_int("DEADLINE_WEBHOOK_MAX_ITEMS", 20)  # lines per message
DEADLINE_DIGEST_MAX_ITEMS = env_int("DEADLINE_DIGEST_MAX_ITEMS", 50)  # per email
DEADLINE_RETRY_MAX_ATTEMPTS = env_int("DEADLINE_RETRY_MAX_ATTEMPTS", 6)
DEADLINE_RETRY_BASE_SECONDS = env_int("DEADLINE_RETRY_BASE_SECONDS", 60)
DEADLINE_DELIVERY_LEASE_SECONDS = env_int("DEADLINE_DELIVERY_LEASE_SECONDS", 600)
DEADLINE_SCAN_BATCH = env_int("DEADLINE_SCAN_BATCH", 2000)
DEADLINE_SEND_CHUNK = env_int("DEADLINE_SEND_CHUNK", 2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not REDIS_URL:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    EMAIL_BACKEND = (
        env_str("PORTAL_TEST_EMAIL_BACKEND") or "django.core.mail.backends.locmem.EmailBackend"
    )
    SECURE_SSL_REDIRECT = False

"""Settings for the benchmarks: the portal's own, in production mode, on the bench database.

The floor pages are routed by `bench.urls`, which exists only here: the production
URLconf (and so the access matrix) never sees them.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuv")
_BENCH_DB = os.environ.get("BENCH_DB")
if _BENCH_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(_BENCH_DB).resolve()}"

from portal.settings import *  # noqa: E402, F403
from portal.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
# The exports are measured as they stream (their query count must not grow with rows),
# never answered with the page that offers a background job.
EXPORT_ASYNC_THRESHOLD = 10**9
ALLOWED_HOSTS = ["testserver"]  # Django's test client, in process
SECURE_SSL_REDIRECT = False  # requests come from the test client over "http"
# Static files are referenced, not served: the plain storage needs no collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "ERROR"}},
}

# whitenoise warns that collectstatic has not run; the benchmarks serve no static file.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

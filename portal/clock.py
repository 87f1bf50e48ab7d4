"""A shifted clock for the processes tests start (Celery workers and beat, `run_portal`).

The test process itself travels with time-machine (tests/conftest.py). A child process
cannot inherit that, so the test passes `PORTAL_CLOCK_AT` (an ISO 8601 instant, the
test's own "now") and the child's settings start the same travel before anything reads
the time. Refused outside tests and debug: a production portal never runs on a
pretended date.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ImproperlyConfigured

VARIABLE = "PORTAL_CLOCK_AT"


def parse_instant(value: str, name: str = VARIABLE) -> dt.datetime:
    """An aware datetime from ISO 8601 text (an offset is required)."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an ISO 8601 instant, e.g. 2026-06-15T10:00:00+08:00"
        ) from None
    if instant.tzinfo is None:
        raise ImproperlyConfigured(f"{name} needs a UTC offset, e.g. +08:00")
    return instant


def start_at(value: str, *, allowed: bool) -> None:
    """Travel this whole process to `value`, the clock ticking on from there."""
    if not allowed:
        raise ImproperlyConfigured(f"{VARIABLE} is only for tests and DEBUG=true")
    import time_machine  # a development dependency, as is this code path

    time_machine.travel(parse_instant(value), tick=True).start()

"""The clock handed to a process a test starts: the test's own "now", not the real date."""

from __future__ import annotations

from django.utils import timezone

from portal.clock import VARIABLE


def child_env() -> dict[str, str]:
    """Environment for a child process (Celery worker or beat, `run_portal`): its settings
    start the clock at this test's current instant (portal/clock.py)."""
    return {VARIABLE: timezone.now().isoformat()}

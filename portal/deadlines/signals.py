"""The engine listens to the working-day calendar: when the office enters or changes a
year's holiday schedule, due dates counted in working days are recomputed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from portal.services import workday_schedule_changed


@receiver(workday_schedule_changed, dispatch_uid="deadlines_recompute")
def recompute_on_schedule_change(sender: Any, year: int, **kwargs: Any) -> None:
    from portal.deadlines.tasks import recompute_deadlines
    from portal.tasks import enqueue

    if not enqueue(recompute_deadlines, year):
        recompute_deadlines(year)  # no periodic job repeats it: done now, in the request

"""The background exports at scale: the office's user with 200 jobs (at scale 1) in
every state, the newest still queued, the oldest expired; "我的导出" to measure."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bench.registry import SeedContext, bench_page, seed_part
from portal.exportjobs.models import ExportJob
from portal.models import User

KEYS = (("people", "人员"), ("units", "单位"), ("liaisons", "统战联络员"))


@seed_part(order=85)
def exportjobs(ctx: SeedContext) -> None:
    office = User.objects.get(username="bench-office")
    now = timezone.now()
    states = list(ExportJob.State)
    rows = []
    for index in range(ctx.n(200)):
        key, name = KEYS[index % len(KEYS)]
        state = states[ctx.rng.randrange(len(states))]
        created = now - dt.timedelta(hours=index)
        finished = state in (ExportJob.State.DONE, ExportJob.State.EXPIRED)
        total = ctx.rng.randrange(5_001, 40_000)
        rows.append(
            ExportJob(
                user=office,
                key=key,
                name=name,
                state=state,
                rows_total=total,
                rows_done=total if finished else total // 2,
                created_at=created,
                finished_at=created + dt.timedelta(minutes=2) if finished else None,
                expires_at=created + dt.timedelta(days=7) if finished else None,
            )
        )
    ExportJob.objects.bulk_create(rows)
    ctx.counts["export_jobs"] = len(rows)


bench_page("export_job_list", kind="list", url=lambda: reverse("export_job_list"))

"""Celery tasks of the export jobs: each takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task

from portal.exportjobs.services import export_job_run, export_jobs_expire, export_jobs_requeue


@shared_task(soft_time_limit=1200, time_limit=1260, ignore_result=True)
def build_export(job_id: int) -> str:
    """Write one job's file (claimed once: a redelivery does nothing)."""
    return export_job_run(job_id=job_id)


@shared_task(soft_time_limit=240, time_limit=270)
def expire_exports() -> int:
    """Beat, hourly: queue again jobs whose task was lost (Redis was down when they
    were started), then delete expired export files and mark their jobs expired."""
    export_jobs_requeue()
    return export_jobs_expire()

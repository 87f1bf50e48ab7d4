"""The export jobs' services: start one (a double click starts one), run one (claimed
once: a redelivered task does nothing), claim again the jobs whose worker died, expire
the old ones (beat)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal import exports
from portal.deadlines.models import Delivery
from portal.deadlines.outbox import message_queue
from portal.exportjobs.models import ExportJob
from portal.exportjobs.transitions import JOB_WORKFLOW
from portal.lib.errors import Forbidden
from portal.models import User
from portal.spreadsheets import write_xlsx
from portal.uploads import StorageUnavailable, download_name

logger = logging.getLogger(__name__)

State = ExportJob.State
QUERY_MAX = 2000


def normalised_query(querystring: str) -> str:
    """The list's querystring in one spelling (so a double click finds its twin),
    without the page number (an export holds every page)."""
    params = QueryDict(querystring[:QUERY_MAX], mutable=True)
    params.pop("page", None)
    return params.urlencode()[:QUERY_MAX]


def export_job_start(*, key: str, querystring: str, by: User) -> ExportJob:
    """Queue the background export `key` of what the list shows `by` under the filter
    `querystring`. A job of the same user, export and filter still queued or running is
    returned instead of a second one (a double click, two tabs). The task is queued when
    the transaction commits."""
    registered = exports.get(key)
    if registered is None or not registered.allowed(by):
        raise Forbidden(_("您不能导出这份名单。"))
    query = normalised_query(querystring)
    with transaction.atomic():
        # Serialise a user's concurrent starts on their own row (a double click).
        User.objects.select_for_update().filter(pk=by.pk).exists()
        twin = ExportJob.objects.filter(
            user=by, key=key, querystring=query, state__in=ExportJob.ACTIVE
        ).first()
        if twin is not None:
            return twin
        job = ExportJob(user=by, key=key, querystring=query, name=registered.declare(by).name)
        job.full_clean(exclude=["user", "file"])
        job.save(force_insert=True)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _move(jobs: Any, name: str, **fields: Any) -> int:
    """Take the declared transition `name` on `jobs` (a queryset of one job, perhaps
    narrowed further, e.g. to the attempt that holds it) as one conditional UPDATE: only
    from the states it starts from; returns 1 if this caller moved the job, 0 if
    another already did or its state does not allow it."""
    transition = JOB_WORKFLOW[name]
    return int(
        jobs.filter(state__in=sorted(transition.source)).update(state=transition.target, **fields)
    )


def _enqueue(pk: int) -> bool:
    """Queue the job's task; with the broker down the job stays queued and beat's pass
    (`export_jobs_requeue`) queues it again (a job is claimed once, so twice is harmless)."""
    from portal.exportjobs.tasks import build_export
    from portal.tasks import enqueue

    return enqueue(build_export, pk)


# A job still queued this long after it was made lost its task (the broker was down).
REQUEUE_AFTER = dt.timedelta(minutes=10)
# A running job whose worker gave no sign of life this long lost its worker (killed,
# out of memory, the machine restarted): it is claimed again, at most ATTEMPTS times
# in all, then it fails (a job that kills every worker must not loop forever).
LOST_AFTER = dt.timedelta(minutes=10)
ATTEMPTS = 3


def export_jobs_requeue(*, now: dt.datetime | None = None) -> int:
    """Beat: queue again the jobs whose task never ran, and the running jobs whose
    worker died; returns how many were queued."""
    now = now or timezone.now()
    stale = now - dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS)
    lost = ExportJob.objects.filter(
        state=State.RUNNING, heartbeat_at__lte=now - LOST_AFTER, created_at__gt=stale
    )
    for pk, attempts, heartbeat in lost.values_list("pk", "attempts", "heartbeat_at"):
        # Conditional on the same attempt and heartbeat: a worker that is alive after
        # all, or another beat pass, keeps the job.
        mine = ExportJob.objects.filter(
            pk=pk, state=State.RUNNING, attempts=attempts, heartbeat_at=heartbeat
        )
        if attempts >= ATTEMPTS:
            if _move(mine, "fail", error="worker lost", finished_at=now):
                logger.error("export job %s failed: its worker was lost %s times", pk, attempts)
                _announce_failure(pk)
        elif _move(mine, "requeue", rows_done=0):
            logger.warning("export job %s: its worker was lost, queued again", pk)
    # Queued again above, or queued long ago: either way made before `REQUEUE_AFTER`.
    waiting = ExportJob.objects.filter(
        state=State.QUEUED, created_at__lte=now - REQUEUE_AFTER, created_at__gt=stale
    ).values_list("pk", flat=True)
    return sum(_enqueue(pk) for pk in waiting)


class _Counter:
    """Counts the rows as `write_xlsx` takes them, saving the progress (and the
    heartbeat) every `every`; only while this attempt still holds the job."""

    def __init__(self, pk: int, attempt: int, every: int) -> None:
        self.pk, self.attempt, self.every, self.done = pk, attempt, max(1, every), 0

    def __call__(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        for row in rows:
            yield row
            self.done += 1
            if self.done % self.every == 0:
                _held(self.pk, self.attempt).update(
                    rows_done=self.done, heartbeat_at=timezone.now()
                )


def _held(pk: int, attempt: int) -> Any:
    """The job while the given attempt still holds it (running, not claimed again)."""
    return ExportJob.objects.filter(pk=pk, state=State.RUNNING, attempts=attempt)


def _fail(pk: int, attempt: int, reason: str) -> None:
    failed = _move(_held(pk, attempt), "fail", error=reason[:200], finished_at=timezone.now())
    if failed:
        _announce_failure(pk)


def _announce_failure(pk: int) -> None:
    """The inbox says the export failed and why, as it would have said it was ready:
    the user was told to wait for that message. Keyed by the job, so it goes once."""
    job = ExportJob.objects.select_related("user").get(pk=pk)
    with override(settings.LANGUAGE_CODE), transaction.atomic():
        message_queue(
            key=f"exports.failed/{job.pk}",
            recipient=job.user,
            channel=Delivery.Channel.INBOX,
            subject=_("导出未能完成：%(name)s") % {"name": job.name},
            body=job.failure_message or _("生成失败。请回到列表重新导出，或联系办公室。"),
            url=job.get_absolute_url(),
            by=None,
        )


def _discard(job: ExportJob) -> None:
    """Delete the job's stored file, if it got that far (never raises)."""
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.exception("export job %s: its file %s could not be deleted", job.pk, job.file.name)


def export_job_run(*, job_id: int) -> str:
    """Build the job's file. Claimed with a conditional update (queued → running): a
    second delivery of the task, or a second worker, finds nothing to claim and does
    nothing. The user is checked again (still active, still allowed) and the rows are
    rebuilt from the user's scope now, never from anything stored."""
    now = timezone.now()
    claimed = _move(
        ExportJob.objects.filter(pk=job_id),
        "claim",
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    attempt = job.attempts
    registered = exports.get(job.key)
    user = job.user
    if registered is None or not user.is_active or not registered.allowed(user):
        _fail(job.pk, attempt, "not allowed")
        return "failed"
    try:
        export, queryset = registered.rows_for(user, QueryDict(job.querystring))
        total = queryset.count()
        _held(job.pk, attempt).update(rows_total=total, heartbeat_at=timezone.now())
        counter = _Counter(job.pk, attempt, settings.EXPORT_PROGRESS_EVERY)
        filename = download_name(f"{export.name}-{timezone.localdate():%Y%m%d}.xlsx")
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            write_xlsx(
                handle,
                title=export.title,
                headers=[header for header, _width in export.columns],
                rows=counter(export.rows(queryset)),
                widths=[width for _header, width in export.columns],
            )
            handle.seek(0)
            job.file.save(filename, File(handle), save=False)
    except (StorageUnavailable, OSError) as error:
        # A full disk or an unwritable folder, for the media storage (which logged it
        # and removed its half-written file) or for the temporary workbook: a failure
        # the user is told of in words (`ExportJob.failure_message`), not a bug; they
        # export again once it is mended.
        if not isinstance(error, StorageUnavailable):
            logger.error("export job %s: could not write its workbook: %s", job.pk, error)
        _discard(job)
        _fail(job.pk, attempt, ExportJob.FAILED_STORAGE)
        return "failed"
    except Exception:
        logger.exception("export job %s failed", job.pk)
        _discard(job)
        _fail(job.pk, attempt, "error")
        raise
    finished = timezone.now()
    expires = finished + dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS)
    try:
        with transaction.atomic():
            done = _move(
                _held(job.pk, attempt),
                "finish",
                file=job.file.name,
                filename=filename,
                rows_done=counter.done,
                rows_total=max(total, counter.done),
                finished_at=finished,
                expires_at=expires,
            )
            if not done:  # expired, failed or claimed again meanwhile: the file is nobody's
                _discard(job)
                return "skipped"
            _announce(job, user=user, rows=counter.done, expires=expires)
    except Exception:  # rolled back: the stored file would belong to no row
        logger.exception("export job %s could not be marked done", job.pk)
        _discard(job)
        _fail(job.pk, attempt, "error")
        raise
    logger.info("export job %s: %s rows in %s", job.pk, counter.done, finished - now)
    return "done"


def _announce(job: ExportJob, *, user: User, rows: int, expires: dt.datetime) -> None:
    """The inbox message with the download link, through the outbox (sent after the
    transaction commits; keyed by the job, so it is sent once)."""
    with override(settings.LANGUAGE_CODE):
        message_queue(
            key=f"exports.done/{job.pk}",
            recipient=user,
            channel=Delivery.Channel.INBOX,
            subject=_("导出文件已生成：%(name)s") % {"name": job.name},
            body=_("共 %(rows)s 行，可下载至 %(expires)s。")
            % {
                "rows": rows,
                "expires": date_format(timezone.localtime(expires), "DATETIME_FORMAT"),
            },
            url=reverse("export_job_download", args=[job.pk]),
            by=None,
        )


def export_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Beat: delete the files of jobs past their expiry and mark them expired; a job
    that never finished is expired `EXPORT_EXPIRY_DAYS` after it was made. Each job is
    claimed with a conditional update, so overlapping runs delete each file once."""
    now = now or timezone.now()
    stale = now - dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS)
    expired = 0
    unfinished = sorted(set(JOB_WORKFLOW["expire"].source) - {State.DONE})
    due = ExportJob.objects.filter(
        state=State.DONE, expires_at__lte=now
    ) | ExportJob.objects.filter(state__in=unfinished, created_at__lte=stale)
    for pk, state, name in due.values_list("pk", "state", "file"):
        if not _move(ExportJob.objects.filter(pk=pk, state=state), "expire", file=""):
            continue
        expired += 1
        if name:
            storage = ExportJob._meta.get_field("file").storage
            try:
                storage.delete(name)
            except OSError:
                logger.exception("export job %s: its file %s could not be deleted", pk, name)
    return expired

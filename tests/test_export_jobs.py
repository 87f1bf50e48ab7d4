"""Exports over the threshold (`portal.exportjobs`): the offer page, one job per double
click, the task claimed once, the inbox message, the owner's download, the expiry."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.deadlines.models import Delivery, Notification
from portal.exportjobs.models import ExportJob
from portal.exportjobs.services import export_job_run, export_job_start, export_jobs_expire
from portal.exportjobs.tasks import expire_exports
from portal.models import Unit
from tests.conftest import client_for

State = ExportJob.State


@pytest.fixture
def low_threshold(settings, eager_tasks):
    """A low threshold, and the jobs' tasks run here on both legs (eager_tasks)."""
    settings.EXPORT_ASYNC_THRESHOLD = 1
    settings.EXPORT_PROGRESS_EVERY = 1
    settings.DEADLINE_CHANNELS = ["inbox"]
    return settings


def _start(client, key="units", query=""):
    return client.post(reverse("export_job_create"), {"key": key, "query": query})


def _book(job: ExportJob):
    with job.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read())).worksheets[0]


def test_it_streams_under_the_threshold_and_offers_a_job_over_it(org, settings):
    client = client_for(org.office)
    settings.EXPORT_ASYNC_THRESHOLD = 1000
    assert client.get(reverse("unit_export"))["Content-Disposition"].startswith("attachment")
    settings.EXPORT_ASYNC_THRESHOLD = 1
    page = client.get(reverse("unit_export"), {"kind": Unit.Kind.BRANCH})
    assert page.status_code == 200 and "Content-Disposition" not in page
    text = page.content.decode()
    assert "在后台生成" in text and reverse("export_job_create") in text
    assert 'name="query" value="kind=branch"' in text
    assert not ExportJob.objects.exists()  # offering is not starting


def test_a_double_clicked_post_makes_one_job(org, low_threshold):
    client = client_for(org.office)
    first, second = _start(client, query="kind=branch"), _start(client, query="kind=branch")
    job = ExportJob.objects.get()
    assert first.url == second.url == job.get_absolute_url()
    assert (job.user, job.key, job.querystring, job.state) == (
        org.office,
        "units",
        "kind=branch",
        State.QUEUED,
    )


def test_the_task_writes_the_file_and_the_inbox_says_where(
    org, low_threshold, django_capture_on_commit_callbacks
):
    Unit.objects.filter(pk=org.branch_b.pk).update(name="=HYPERLINK(1)")
    client = client_for(org.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, query="kind=branch")
    job = ExportJob.objects.get()
    assert job.state == State.DONE, job.error
    sheet = _book(job)
    assert [c.value for c in sheet[1]] == ["名称", "简称", "类别", "上级单位", "人数", "在用"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["机电工程学院党总支", "=HYPERLINK(1)"])  # the filter held
    formula = sheet.cell(row=names.index("=HYPERLINK(1)") + 2, column=1)
    assert (formula.data_type, formula.quotePrefix) == ("s", True)
    assert (job.rows_done, job.rows_total) == (2, 2)
    assert job.expires_at == job.finished_at + dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS)
    # The progress page shows it done, with the download.
    page = client.get(response.url).content.decode()
    assert "已完成" in page and reverse("export_job_download", args=[job.pk]) in page
    # The inbox message links to the download.
    note = Notification.objects.get(recipient=org.office)
    assert note.url == reverse("export_job_download", args=[job.pk])
    download = client.get(note.url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_the_task_run_twice_makes_one_file_and_one_message(org, low_threshold):
    job = export_job_start(key="units", querystring="", by=org.office)
    assert export_job_run(job_id=job.pk) == "done"
    assert export_job_run(job_id=job.pk) == "skipped"  # a redelivered task
    job.refresh_from_db()
    files = list((Path(settings.MEDIA_ROOT) / "exports").rglob("*.xlsx"))
    assert [f.name for f in files] == [Path(job.file.name).name]
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1


def test_a_job_that_cannot_be_marked_done_keeps_no_file(org, low_threshold, monkeypatch):
    """The file is stored before the job is marked done: if that transaction fails, the
    file would belong to no row, so it is deleted and the job fails."""
    from portal.exportjobs import services

    def refuse(*args, **kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(services, "_announce", refuse)
    job = export_job_start(key="units", querystring="", by=org.office)
    with pytest.raises(RuntimeError):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.file.name, job.error) == (State.FAILED, "", "error")
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


def test_a_deactivated_users_job_fails(org, low_threshold):
    job = export_job_start(key="people", querystring="", by=org.office)
    type(org.office).objects.filter(pk=org.office.pk).update(is_active=False)
    assert export_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == State.FAILED and not job.file
    assert not Delivery.objects.filter(key=f"exports.done/{job.pk}").exists()


def test_a_job_is_rebuilt_from_the_users_scope_now(org, low_threshold):
    """A commissioner's job holds their unit's people only, without the sensitive
    columns, whatever the querystring asks."""
    job = export_job_start(
        key="people", querystring="political_status=jiusan", by=org.commissioner_a
    )
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    sheet = _book(job)
    headers = {c.value for c in sheet[1]}
    assert headers == {"姓名", "单位", "职务/职称", "性别"}
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "commissioner2-人员" not in names


@pytest.mark.parametrize("persona", ["leader", "commissioner_a", "office"])
def test_nobody_else_sees_or_downloads_a_job(org, low_threshold, persona):
    job = export_job_start(key="units", querystring="", by=org.member)
    export_job_run(job_id=job.pk)
    client = client_for(getattr(org, persona))
    for name in ("export_job_detail", "export_job_status", "export_job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.name not in client.get(reverse("export_job_list")).content.decode() or (
        not ExportJob.objects.filter(user=getattr(org, persona)).exists()
    )
    assert client_for(org.outsider).get(reverse("export_job_list")).status_code == 403
    assert (
        client_for(org.outsider).post(reverse("export_job_create"), {"key": "units"}).status_code
        == 403
    )


def test_the_status_answers_the_progress_as_json(org, low_threshold):
    job = export_job_start(key="units", querystring="", by=org.office)
    client = client_for(org.office)
    status = client.get(reverse("export_job_status", args=[job.pk])).json()
    assert status == {
        "state": "queued",
        "label": "排队中",
        "rows_done": 0,
        "rows_total": 0,
        "percent": 0,
        "active": True,
    }
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "data-export-status" in page


def test_expired_jobs_are_cleaned_and_cannot_be_downloaded(org, low_threshold):
    job = export_job_start(key="units", querystring="", by=org.office)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    path = Path(job.file.path)
    url = reverse("export_job_download", args=[job.pk])
    just_before = job.expires_at - dt.timedelta(seconds=1)
    with time_machine.travel(just_before, tick=False):
        assert export_jobs_expire() == 0
        assert client_for(org.office).get(url).status_code == 200
    with time_machine.travel(job.expires_at, tick=False):
        client = client_for(org.office)  # a session of that day
        assert client.get(url).status_code == 404  # expired, though not yet cleaned
        assert expire_exports() == 1
        assert expire_exports() == 0  # a second run finds nothing
        job.refresh_from_db()
        assert job.state == State.EXPIRED and not job.file and not path.exists()
        assert client.get(url).status_code == 404
        assert "已过期" in client.get(job.get_absolute_url()).content.decode()


def test_a_job_never_finished_expires_too(org, low_threshold):
    job = export_job_start(key="units", querystring="", by=org.office)
    later = timezone.now() + dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS, seconds=1)
    with time_machine.travel(later, tick=False):
        assert export_jobs_expire() == 1
    job.refresh_from_db()
    assert job.state == State.EXPIRED


@pytest.mark.parametrize(
    "data",
    [
        {"key": "nope", "query": ""},
        {"key": "units", "query": "kind=%%%&page=x&q=" + "x" * 5000},
        {"key": "people", "query": "unit=abc&political_status=zz"},
        {},
    ],
)
def test_bad_requests_never_fail(org, low_threshold, data, django_capture_on_commit_callbacks):
    client = client_for(org.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export_job_create"), data)
    assert response.status_code in (302, 404)
    for job in ExportJob.objects.all():
        assert job.state == State.DONE


@pytest.mark.parametrize("query", ["kind=zz", "page=abc", "q=%ff%fe", "unit=x&unit=1"])
def test_bad_querystrings_on_the_export_never_fail(org, query):
    client = client_for(org.office)
    for name in ("unit_export", "person_export"):
        assert client.get(reverse(name) + "?" + query).status_code == 200


def test_a_job_whose_task_was_lost_is_queued_again_by_beat_and_built_once(org, low_threshold):
    """Redis down when the job was started: the job stays queued (its task never
    reached a worker); beat's hourly pass queues it again after ten minutes."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        job = export_job_start(key="units", querystring="", by=org.office)  # no commit: no task
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        expire_exports()
        job.refresh_from_db()
        assert job.state == State.QUEUED  # not yet: it may still be on its way
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        expire_exports()
        job.refresh_from_db()
        assert job.state == State.DONE
        expire_exports()  # the next hour: nothing to do again
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1


def _jobs(user, count: int, first: int = 0) -> None:
    now = timezone.now()
    ExportJob.objects.bulk_create(
        ExportJob(
            user=user,
            key="units",
            name=f"单位{index}",
            state=State.DONE,
            rows_total=10,
            rows_done=10,
            created_at=now - dt.timedelta(minutes=index),
            finished_at=now,
            expires_at=now + dt.timedelta(days=1),
        )
        for index in range(first, first + count)
    )


def test_my_exports_runs_the_same_queries_for_1_and_30_jobs(org, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.office)
    client.get(reverse("export_job_list"))  # warm the session and the caches
    _jobs(org.office, 1)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("export_job_list"))
    assert len(response.context["page"].object_list) == 1
    _jobs(org.office, 29, first=1)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("export_job_list"))
    assert len(response.context["page"].object_list) == 30
    assert "单位29" in response.content.decode()


def test_my_exports_is_a_bench_page():
    from bench.registry import PAGES, load_parts

    load_parts()
    page = next(page for page in PAGES if page.name == "export_job_list")
    assert (page.kind, page.url()) == ("list", reverse("export_job_list"))


class _WorkerKilled(BaseException):
    """What a SIGKILL leaves: the task stops where it is, nothing of its own tidies up
    (`export_job_run` catches `Exception`, not this)."""


def _dying_after(count: int, then=None):
    """A `write_xlsx` that takes `count` rows, then dies (`then` is None: the worker is
    killed, nothing is written) or lets `then()` run (another worker's turn) and goes
    on writing the file (the old worker waking up)."""
    from portal.spreadsheets import write_xlsx

    def write(handle, *, rows, **kwargs) -> None:
        if then is None:
            for index, _row in enumerate(rows):
                if index == count:  # `count` rows taken (and counted)
                    raise _WorkerKilled
            return

        def taken():
            for index, row in enumerate(rows):
                if index == count:
                    then()
                yield row

        write_xlsx(handle, rows=taken(), **kwargs)

    return write


def test_a_job_whose_worker_was_killed_is_built_again_by_beat_once(org, low_threshold, monkeypatch):
    """The worker dies mid-file (killed, out of memory): the job stays running with its
    last heartbeat; beat's pass claims it again once the heartbeat is ten minutes old,
    and a new worker builds it: one file, one message."""
    from portal.exportjobs import services

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        job = export_job_start(key="units", querystring="", by=org.office)
        with monkeypatch.context() as patch:
            patch.setattr(services, "write_xlsx", _dying_after(1))
            with pytest.raises(_WorkerKilled):
                export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_done) == (State.RUNNING, 1, 1)
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        expire_exports()
        job.refresh_from_db()
        assert job.state == State.RUNNING  # it may be slow, not dead: left alone
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        expire_exports()  # claimed again, queued, built here (eager)
        expire_exports()  # the next pass: nothing to do
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 2), job.error
    names = sorted(row[0] for row in _book(job).iter_rows(min_row=2, values_only=True))
    assert names == sorted(Unit.objects.values_list("name", flat=True))
    files = list((Path(settings.MEDIA_ROOT) / "exports").rglob("*.xlsx"))
    assert [f.name for f in files] == [Path(job.file.name).name]
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1


def test_a_worker_that_wakes_after_its_job_was_claimed_again_leaves_it_alone(
    org, low_threshold, monkeypatch
):
    """The first worker was only stalled: while it slept beat gave the job to a second
    worker, which finished it. When the first wakes and finishes, its file is deleted and
    nothing of the job changes (its attempt no longer holds the job)."""
    from portal.exportjobs import services

    start = timezone.now()
    job = None

    def second_worker() -> None:
        with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
            patch.undo()  # the second worker writes normally
            expire_exports()

    with time_machine.travel(start, tick=False):
        job = export_job_start(key="units", querystring="", by=org.office)
    with monkeypatch.context() as patch:
        patch.setattr(services, "write_xlsx", _dying_after(1, then=second_worker))
        with time_machine.travel(start, tick=False):
            assert export_job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 2)
    files = list((Path(settings.MEDIA_ROOT) / "exports").rglob("*.xlsx"))
    assert [f.name for f in files] == [Path(job.file.name).name]  # the first one's is gone
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1


def test_a_job_that_loses_its_worker_three_times_fails(org, low_threshold, monkeypatch):
    from portal.exportjobs import services

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        job = export_job_start(key="units", querystring="", by=org.office)
    monkeypatch.setattr(services, "write_xlsx", _dying_after(1))
    for attempt in range(1, services.ATTEMPTS + 1):
        later = start + dt.timedelta(minutes=11 * attempt)
        with time_machine.travel(later, tick=False), pytest.raises(_WorkerKilled):
            if attempt == 1:
                export_job_run(job_id=job.pk)
            else:
                expire_exports()  # claimed again and run here: it dies again
    with time_machine.travel(start + dt.timedelta(minutes=11 * (services.ATTEMPTS + 1))):
        expire_exports()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (State.FAILED, services.ATTEMPTS, "worker lost")
    told = Delivery.objects.get(key=f"exports.failed/{job.pk}")  # once, with the advice
    assert told.body == "生成失败。请回到列表重新导出，或联系办公室。"
    assert told.url == job.get_absolute_url()
    page = client_for(org.office).get(job.get_absolute_url()).content.decode()
    assert "生成失败" in page

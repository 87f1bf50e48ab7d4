"""An export job's declared transitions (portal/exportjobs/transitions.py), walked
state by state: each of the worker's and beat's services moves a job exactly from the
states written here, and leaves a job in any other state as it was. No user takes
them: no persona is offered one on any state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.exportjobs import services
from portal.exportjobs.models import ExportJob
from portal.exportjobs.transitions import JOB_WORKFLOW
from portal.models import User

pytestmark = pytest.mark.django_db

State = ExportJob.State
STATES = [str(state) for state in State.values]

# Written out by hand, not read from the declaration: where each service moves a job
# from each state it may move it from.
CLAIM_AND_FINISH = {State.QUEUED: State.DONE}  # export_job_run on a job of an allowed user
CLAIM_AND_REFUSE = {State.QUEUED: State.FAILED}  # export_job_run, the user since disabled
REQUEUE = {State.RUNNING: State.QUEUED}  # beat: the worker is lost, attempts remain
LOST = {State.RUNNING: State.FAILED}  # beat: the worker is lost the third time
EXPIRE = {s: State.EXPIRED for s in (State.QUEUED, State.RUNNING, State.DONE, State.FAILED)}


def _job(user: User, state: str, *, age: dt.timedelta, attempts: int = 1) -> ExportJob:
    now = timezone.now()
    return ExportJob.objects.create(
        user=user,
        key="units",
        name="单位",
        state=state,
        attempts=attempts,
        created_at=now - age,
        heartbeat_at=now - age if state == State.RUNNING else None,
        finished_at=now - age if state in (State.DONE, State.FAILED) else None,
        expires_at=now - dt.timedelta(minutes=1) if state == State.DONE else None,
    )


def _after(job: ExportJob) -> str:
    return ExportJob.objects.get(pk=job.pk).state


@pytest.fixture
def no_queue(monkeypatch, settings):
    """Beat's pass queues the jobs it put back; here it records them instead, so the walk
    sees the state beat left (the queued task's run is the claim, walked apart)."""
    settings.DEADLINE_CHANNELS = ["inbox"]
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", lambda pk: queued.append(pk) or True)
    return queued


@pytest.mark.parametrize("state", STATES)
def test_a_worker_claims_and_finishes_only_a_queued_job(org, state, no_queue):
    job = _job(org.office, state, age=dt.timedelta(minutes=1))
    result = services.export_job_run(job_id=job.pk)
    assert _after(job) == CLAIM_AND_FINISH.get(state, state)
    assert result == ("done" if state in CLAIM_AND_FINISH else "skipped")


@pytest.mark.parametrize("state", STATES)
def test_a_worker_fails_a_claimed_job_whose_user_was_disabled(org, state, no_queue):
    User.objects.filter(pk=org.office.pk).update(is_active=False)
    job = _job(org.office, state, age=dt.timedelta(minutes=1))
    services.export_job_run(job_id=job.pk)
    assert _after(job) == CLAIM_AND_REFUSE.get(state, state)


@pytest.mark.parametrize("state", STATES)
def test_beat_queues_again_only_a_running_job_whose_worker_is_lost(org, state, no_queue):
    job = _job(org.office, state, age=services.LOST_AFTER + dt.timedelta(minutes=1))
    services.export_jobs_requeue()
    assert _after(job) == REQUEUE.get(state, state)


@pytest.mark.parametrize("state", STATES)
def test_beat_fails_only_a_running_job_lost_for_the_last_time(org, state, no_queue):
    job = _job(
        org.office,
        state,
        age=services.LOST_AFTER + dt.timedelta(minutes=1),
        attempts=services.ATTEMPTS,
    )
    services.export_jobs_requeue()
    assert _after(job) == LOST.get(state, state)


@pytest.mark.parametrize("state", STATES)
def test_beat_expires_every_job_not_yet_expired(org, state, no_queue, settings):
    job = _job(org.office, state, age=dt.timedelta(days=settings.EXPORT_EXPIRY_DAYS, hours=1))
    services.export_jobs_expire()
    assert _after(job) == EXPIRE.get(state, state)
    # A second pass finds nothing left to move.
    assert services.export_jobs_expire() == 0


def test_the_declaration_is_what_the_walk_wrote():
    declared = {
        (name, source, JOB_WORKFLOW[name].target)
        for name in JOB_WORKFLOW.transitions
        for source in JOB_WORKFLOW[name].source
    }
    walked = {
        ("claim", State.QUEUED, State.RUNNING),
        ("finish", State.RUNNING, State.DONE),
        ("fail", State.RUNNING, State.FAILED),
        ("requeue", State.RUNNING, State.QUEUED),
        *(("expire", source, State.EXPIRED) for source in EXPIRE),
    }
    assert declared == walked


@pytest.mark.parametrize("state", STATES)
def test_no_persona_is_offered_a_jobs_transition(org, state):
    job = _job(org.office, state, age=dt.timedelta(minutes=1))
    for user in (org.office, org.leader, org.member, org.commissioner_a, org.outsider):
        assert JOB_WORKFLOW.available(job, user) == []

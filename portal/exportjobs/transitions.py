"""An export job's declared transitions. No user takes them: the worker and beat do,
each as one conditional UPDATE (compare-and-set on the states the transition starts
from, `services._move`), so two workers, a redelivered task or two beat passes move a
job once. The declaration is what the services filter on and what the walk checks
(tests/test_exportjobs_transitions.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.exportjobs.models import ExportJob
from portal.lib.transitions import Transition, Workflow

State = ExportJob.State


def system(user: Any, obj: Any) -> bool:
    """The worker or beat (no user): a person may never move a job's state."""
    return user is None


JOB_WORKFLOW = Workflow(
    State,
    # A worker takes the queued job (once: a second delivery finds nothing to take).
    Transition("claim", _("开始生成"), source={State.QUEUED}, target=State.RUNNING, who=system),
    # Beat: the worker died (no heartbeat), and attempts remain.
    Transition("requeue", _("重新排队"), source={State.RUNNING}, target=State.QUEUED, who=system),
    # The worker stored the file under its own attempt.
    Transition("finish", _("完成"), source={State.RUNNING}, target=State.DONE, who=system),
    # The worker's own failure (refused, storage, error), or beat after the last
    # lost worker.
    Transition("fail", _("标记失败"), source={State.RUNNING}, target=State.FAILED, who=system),
    # Beat: a finished file past its expiry, or a job that never finished in time.
    Transition(
        "expire",
        _("过期"),
        source={State.QUEUED, State.RUNNING, State.DONE, State.FAILED},
        target=State.EXPIRED,
        who=system,
    ),
)

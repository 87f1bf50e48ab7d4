"""Tasks shared by the whole portal, and `enqueue`, how the portal queues one."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# Publishing gives up quickly when the broker is down: the request that queued the work
# has committed already, and beat's periodic jobs pick the work up again.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def enqueue(task: Any, *args: Any, countdown: int | None = None) -> bool:
    """Queue `task(*args)`; False (logged) when the broker (Redis) cannot be reached.

    Every task the portal queues is also covered by a periodic job (beat's reminder
    scan and outbox flush send whatever is still pending), so a queueing failure is
    a delay, not a loss, and must not turn a request that has committed into an error
    page. A caller whose work no periodic job repeats runs it in the request instead.
    The task must ignore its result (`ignore_result=True`): otherwise queueing also
    subscribes to the result store, which retries Redis for some twenty seconds.
    """
    try:
        task.apply_async(args, countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY)
    except (BrokerUnavailable, ConnectionError, OSError) as error:
        logger.warning("could not queue %s (%s): left for the periodic jobs", task.name, error)
        return False
    return True


@shared_task(soft_time_limit=20, time_limit=30)
def ping(value: str) -> str:
    """A trivial round trip: proves a worker is consuming the broker."""
    return f"pong:{value}"


@shared_task(soft_time_limit=20, time_limit=30)
def heartbeat() -> str:
    """Run by beat; records when the worker last ran a scheduled job."""
    stamp = timezone.now().isoformat()
    cache.set("portal:heartbeat", stamp, timeout=None)
    return stamp

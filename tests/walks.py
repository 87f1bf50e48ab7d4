"""The persona walk of a declared workflow, shared by the `test_*_transitions` modules:
for one transition from one state, each persona takes the step through the service on
a fresh copy of the record, inside a transaction that is rolled back; the service must
succeed exactly when the declaration (`Workflow.can`) allows it, a step taken must
change the record, and a refused one must change nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from portal.lib.transitions import Workflow


class Rollback(Exception):
    """Undo a step that succeeded, so the next persona starts from the same state."""


def walk(
    *,
    workflow: Workflow,
    name: str,
    users: Iterable[tuple[str, Any]],
    load: Callable[[], Any],
    step: Callable[[Any, Any], object],
    snapshot: Callable[[], Any],
) -> list[str]:
    """The personas (of `users`: (persona, user) pairs) who took the step `name`; fails
    on any disagreement between the service and the declaration."""
    allowed = []
    for persona, user in users:
        fresh = load()
        expected = workflow.can(fresh, name, user)
        before = snapshot()
        try:
            with transaction.atomic():
                step(fresh, user)
                assert snapshot() != before, f"{persona}: the step changed nothing"
                raise Rollback
        except Rollback:
            took = True
        except (ValidationError, PermissionDenied):
            took = False
            assert snapshot() == before, f"{persona}: a refused step changed something"
        assert took == expected, f"{persona} {'took' if took else 'was refused'} {name}"
        if took:
            allowed.append(persona)
    return allowed

"""Declared state transitions: one `Workflow` per model, declared next to the model.

A transition names the states it starts from, the state it leads to, who may take it
and the button's label. Services call `WORKFLOW.check(obj, "submit", by=user)` on the
locked row (or `apply`, which also sets the new state); pages ask
`WORKFLOW.available(obj, user)` for their buttons; the access matrix walks
`WORKFLOW.transitions` × states × roles. So the guard a service enforces and the button
a page shows are one declaration and cannot drift.

    MEETING_WORKFLOW = Workflow(
        Meeting.State,
        Transition("hold", _("记录召开"), source={"planned"}, target="held", who=is_office),
        ...,
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal.lib.errors import Forbidden, Refused

Who = Callable[[Any, Any], bool]  # (user, obj) -> may this user take it on this record


def anyone(user: Any, obj: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    source: frozenset[str] | set[str] | tuple[str, ...]
    target: str | None = None  # None: the state stays (an edit, a reorder)
    who: Who = anyone
    refused: str | Promise = ""  # the message for a user who may never take it
    style: str = "primary"  # the button's Bootstrap colour
    blocked: Callable[[Any], str | Promise | None] = field(default=lambda obj: None)
    """A further guard on the record (not the user): returns the message when the
    record cannot take this step now, e.g. "标题和正文不能为空"."""

    def starts_from(self, state: str) -> bool:
        return state in self.source


# Every workflow declared, in import order: the access matrix checks that each one is
# walked (tests/test_transitions_matrix.py).
DECLARED: list[Workflow] = []


class Workflow:
    """The transitions of one model's state field."""

    def __init__(
        self,
        states: type[Choices],
        *transitions: Transition,
        state: str | Callable[[Any], str] = "state",
    ) -> None:
        self.states = states
        self.transitions: dict[str, Transition] = {}
        self._state = state
        known = {str(value) for value in states.values}
        for transition in transitions:
            if transition.name in self.transitions:
                raise ValueError(f"transition {transition.name!r} declared twice")
            unknown = set(transition.source) - known
            if transition.target is not None:
                unknown |= {transition.target} - known
            if unknown:
                raise ValueError(f"transition {transition.name!r}: unknown states {unknown}")
            self.transitions[transition.name] = transition
        DECLARED.append(self)

    def __repr__(self) -> str:
        return f"<Workflow of {self.states.__module__}.{self.states.__qualname__}>"

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions.values())

    def state_of(self, obj: Any) -> str:
        if callable(self._state):
            return str(self._state(obj))
        return str(getattr(obj, self._state))

    def state_label(self, state: str) -> str:
        return str(dict(self.states.choices).get(state, state))

    def check(self, obj: Any, name: str, *, by: Any) -> Transition:
        """Raise `Refused` when the record's state does not allow the step now and
        `Forbidden` when this user may never take it; return the transition."""
        transition = self.transitions[name]
        state = self.state_of(obj)
        if not transition.starts_from(state):
            raise Refused(
                _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": self.state_label(state), "action": transition.label}
            )
        if not transition.who(by, obj):
            raise Forbidden(
                str(transition.refused) or _("您不能%(action)s。") % {"action": transition.label}
            )
        problem = transition.blocked(obj)
        if problem:
            raise Refused(str(problem))
        return transition

    def apply(self, obj: Any, name: str, *, by: Any) -> list[str]:
        """`check`, then set the target state on `obj` (not saved); returns the
        `update_fields` to save."""
        transition = self.check(obj, name, by=by)
        if transition.target is None or callable(self._state):
            return []
        setattr(obj, self._state, transition.target)
        return [self._state]

    def can(self, obj: Any, name: str, user: Any) -> bool:
        try:
            self.check(obj, name, by=user)
        except Refused:
            return False
        return True

    def available(self, obj: Any, user: Any) -> list[Transition]:
        """The transitions `user` may take on `obj` now, in declaration order: the
        page's buttons."""
        return [t for t in self if self.can(obj, t.name, user)]

    def names(self, obj: Any, user: Any) -> set[str]:
        return {t.name for t in self.available(obj, user)}

    def sources(self) -> Iterable[tuple[Transition, str]]:
        """Every (transition, state it may start from): what the access matrix walks."""
        for transition in self:
            for state in sorted(transition.source):
                yield transition, state

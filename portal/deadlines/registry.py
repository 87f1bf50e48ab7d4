"""The rules the deadline engine knows, each declared by the app that owns it.

A rule is a declaration, not code that schedules: an app registers it once from its
``AppConfig.ready()`` and then opens, meets or waives deadlines of that rule through
``portal.deadlines.services``. The engine does the scheduling, the reminding and the
escalation for every rule alike::

    from portal.deadlines.registry import Rule, register

    register(Rule(code="inspection_report", label=_("督查报告"), workdays=20))

Everything a rule leaves out has a default: reminder offsets and the escalation delay
come from settings, the subject's label and link from the subject itself
(``str(subject)``, ``get_absolute_url()``), extra reminder lines from the subject's
``reminder_lines()`` if it has one, and the recipients are the responsible users and
unit (or the office when nobody is named).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from portal.deadlines.models import Deadline
    from portal.deadlines.recipients import Directory
    from portal.models import User


class RuleNotRegistered(LookupError):
    """A deadline names a rule no app has declared."""


@dataclass(frozen=True)
class Rule:
    """One kind of deadline. Only ``code`` and ``label`` are required.

    - ``offsets``: working days before the due date at which the responsible people are
      reminded (0 = on the day). ``None``: ``settings.DEADLINE_REMINDER_OFFSETS``; a
      college may override a rule in ``settings.DEADLINE_RULE_OFFSETS``.
    - ``escalation_delay``: working days after the due date at which an overdue deadline
      is escalated to the leader in charge. ``None``: ``DEADLINE_ESCALATION_DELAY``;
      ``escalate=False`` turns escalation off for the rule.
    - ``workdays``: for rules whose due date is "N working days after" a date: N, or a
      callable reading it from settings. Used by ``deadline_open(after=...)``.
    - ``responsible_label``: shown when a deadline names no unit or user (the office
      then keeps it).
    - ``period_due`` and ``sync``: for period rules (a year, a semester). ``period_due``
      gives a period's due date; ``sync(today)`` opens the periods that are running and
      is called by every reminder scan.
    - ``period_label``: "2026" → "2026年度".
    - ``subject_label``, ``action_url``, ``extra_lines``: how a reminder describes the
      record, where to act, and extra lines (a meeting's date, time and place).
    - ``recipients``: who is reminded; gets the deadline (with the fields in
      ``reminders.SCAN_FIELDS`` loaded) and a ``Directory`` loaded once per scan
      (``office_users()``, ``unit_contacts(unit_id)``, ``named_users(deadline)``), so it
      need not query the database.
    """

    code: str
    label: StrOrPromise
    offsets: tuple[int, ...] | None = None
    escalation_delay: int | None = None
    escalate: bool = True
    workdays: int | Callable[[], int] | None = None
    responsible_label: StrOrPromise | None = None
    description: StrOrPromise = ""
    period_due: Callable[[str], dt.date] | None = None
    sync: Callable[[dt.date], None] | None = None
    period_label: Callable[[str], str] | None = None
    subject_label: Callable[[Deadline], str] | None = None
    action_url: Callable[[Deadline], str] | None = None
    extra_lines: Callable[[Deadline], list[str]] | None = None
    recipients: Callable[[Deadline, Directory], Iterable[User]] | None = None
    webhook: bool = True

    def __post_init__(self) -> None:
        if not self.code or len(self.code) > 40 or not self.code.replace("_", "").isalnum():
            raise ImproperlyConfigured(f"rule code {self.code!r}: 1-40 letters, digits, _")
        for offset in self.offsets or ():
            if offset < 0:
                raise ImproperlyConfigured(f"rule {self.code}: offsets are days before, >= 0")

    def reminder_offsets(self) -> tuple[int, ...]:
        """Working days before the due date, largest first, without duplicates."""
        configured: dict[str, tuple[int, ...]] = settings.DEADLINE_RULE_OFFSETS
        offsets = configured.get(self.code) or self.offsets or settings.DEADLINE_REMINDER_OFFSETS
        return tuple(sorted(set(offsets), reverse=True))

    def escalation_after(self) -> int | None:
        """Working days after the due date before escalation; None: never escalated."""
        if not self.escalate:
            return None
        delay = self.escalation_delay
        if delay is None:
            delay = int(settings.DEADLINE_ESCALATION_DELAY)
        return max(delay, 1)

    def workdays_after(self) -> int:
        if self.workdays is None:
            raise ImproperlyConfigured(f"rule {self.code} declares no working-day count")
        return self.workdays() if callable(self.workdays) else self.workdays

    def label_for_period(self, period: str) -> str:
        if not period:
            return ""
        return self.period_label(period) if self.period_label else period


_RULES: dict[str, Rule] = {}


def register(rule: Rule, *, replace: bool = False) -> Rule:
    """Declare a rule. A second declaration of a code is an error unless ``replace``."""
    if rule.code in _RULES and not replace:
        raise ImproperlyConfigured(f"deadline rule {rule.code!r} is already registered")
    _RULES[rule.code] = rule
    return rule


def unregister(code: str) -> None:
    """Forget a rule (tests that declare their own)."""
    _RULES.pop(code, None)


def get(code: str) -> Rule:
    try:
        return _RULES[code]
    except KeyError:
        raise RuleNotRegistered(code) from None


def get_or_none(code: str) -> Rule | None:
    return _RULES.get(code)


def all_rules() -> list[Rule]:
    return list(_RULES.values())


def choices() -> list[tuple[str, str]]:
    return [(rule.code, str(rule.label)) for rule in _RULES.values()]


def label(code: str) -> str:
    rule = _RULES.get(code)
    return str(rule.label) if rule else code

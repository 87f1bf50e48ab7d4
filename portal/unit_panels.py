"""What is open against a unit, and what it achieved over the years, on the unit's page,
from the apps that keep such things (rectifications, supervision cases, admonition
talks, reports due; ratings and commendations), without portal naming any app: an app
registers a provider, and `items_for` / `results_for` ask each one for what this user
may see of this unit (the provider scopes it as its own lists do)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import Unit, User


@dataclass(frozen=True)
class OpenItem:
    kind: str  # what it is: "整改"
    title: str
    url: str
    due: dt.date | None = None
    light: str | None = None  # red / yellow / green, or None (no deadline running)


Provider = Callable[["User | AnonymousUser", "Unit", dt.date], list[OpenItem]]

_providers: list[Provider] = []

_ORDER = {"red": 0, "yellow": 1, "green": 2}


def register(provider: Provider) -> None:
    """`provider(user, unit, today)` → the open items of `unit` that `user` may see (one
    query or two at most: it runs on every view of a unit's page)."""
    if provider not in _providers:
        _providers.append(provider)


def items_for(user: User | AnonymousUser, unit: Unit, today: dt.date) -> list[OpenItem]:
    """Every provider's items, the most urgent first (overdue, then due soon, then by
    date; those with no date last)."""
    items = [item for provider in _providers for item in provider(user, unit, today)]
    return sorted(
        items, key=lambda i: (_ORDER.get(i.light or "", 3), i.due or dt.date.max, i.title)
    )


@dataclass(frozen=True)
class ResultLine:
    """A result the unit had: “2025年度述职评议 · 优秀（第2名，表扬）”."""

    kind: str  # what it is: "述职评议"
    title: str
    result: str
    url: str
    year: int


ResultProvider = Callable[["User | AnonymousUser", "Unit"], list[ResultLine]]

_result_providers: list[ResultProvider] = []


def register_results(provider: ResultProvider) -> None:
    """`provider(user, unit)` → the unit's results that `user` may see (one query)."""
    if provider not in _result_providers:
        _result_providers.append(provider)


def results_for(user: User | AnonymousUser, unit: Unit) -> list[ResultLine]:
    """Every provider's results, the newest year first."""
    lines = [line for provider in _result_providers for line in provider(user, unit)]
    return sorted(lines, key=lambda line: (-line.year, line.kind, line.title))

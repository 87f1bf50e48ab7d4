"""What apps register with the benchmarks: their part of the dataset, and their pages.

An app adds a module `bench/parts/<app>.py` that:

    from bench.registry import SeedContext, bench_page, seed_part

    @seed_part(order=30)                      # after the organisation (10)
    def meetings(ctx: SeedContext) -> None:
        # bulk_create; ctx.n(2_000) meetings at scale 1; ctx.rng for choices;
        # ctx.data holds what earlier parts made ("unit_ids", "person_ids", ...).
        ...

    bench_page("meeting_list", kind="list", url=lambda: reverse("meeting_list"))

Modules in `bench/parts/` are imported in name order by `load_parts()`; parts run in
`order`. Nothing else needs to change: `bench.seed`, `bench.pages` and `make bench` find
them.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

PageKind = Literal["list", "detail", "other"]


@dataclass
class SeedContext:
    scale: float
    rng: random.Random
    data: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows made, by label, for the report

    def n(self, at_scale_1: int, minimum: int = 1) -> int:
        """How many of something to make: `at_scale_1` times the scale, at least `minimum`."""
        return max(minimum, round(at_scale_1 * self.scale))


SeedFunc = Callable[[SeedContext], None]


@dataclass(frozen=True)
class SeedPart:
    name: str
    order: int
    func: SeedFunc


@dataclass(frozen=True)
class BenchPage:
    name: str  # the label in the table, e.g. "person_list" or "person_list?q"
    kind: PageKind  # list pages carry the targets (within 3× the floor, under 100 ms)
    url: Callable[[], str]  # called after seeding, on the seeded database
    persona: str  # the bench user who requests it (see bench/parts/organisation.py)
    max_queries: int  # a page over its budget fails the run (an N+1 within one page)


SEED_PARTS: list[SeedPart] = []
PAGES: list[BenchPage] = []


def seed_part(*, order: int) -> Callable[[SeedFunc], SeedFunc]:
    def register(func: SeedFunc) -> SeedFunc:
        SEED_PARTS.append(SeedPart(func.__name__, order, func))
        return func

    return register


QUERY_BUDGET = 15


def bench_page(
    name: str,
    *,
    kind: PageKind,
    url: Callable[[], str],
    persona: str = "bench-office",
    max_queries: int = QUERY_BUDGET,
) -> None:
    if any(page.name == name for page in PAGES):
        raise ValueError(f"bench page {name!r} registered twice")
    PAGES.append(BenchPage(name, kind, url, persona, max_queries))


def load_parts() -> None:
    """Import every module of `bench.parts` (each registers on import)."""
    from bench import parts

    for module in sorted(pkgutil.iter_modules(parts.__path__), key=lambda m: m.name):
        importlib.import_module(f"bench.parts.{module.name}")

"""The groups part of the benchmark dataset: a roster the org chart and the selectors
can read, and plans numbered as the services would number them."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from bench.registry import SEED_PARTS, SeedContext, load_parts
from groups import selectors
from groups.models import WorkPoints


@pytest.fixture
def seeded(db):
    load_parts()
    ctx = SeedContext(scale=0.05, rng=random.Random(2))
    for part in sorted(SEED_PARTS, key=lambda p: (p.order, p.name)):
        part.func(ctx)
    return ctx


def test_it_seeds_a_group_as_the_org_chart_reads_it(seeded):
    roster = selectors.roster_on(timezone.localdate())
    assert [m.post for m in roster.leaders] == ["党委书记", "院长"]
    assert len(roster.deputies) == 4
    assert len(roster.office_directors) == 1
    assert selectors.group_on(timezone.localdate()).basis == "院委〔2024〕7号"
    assert seeded.counts["seats"] > 3 * (2 + 4)


def test_it_seeds_plans_numbered_across_their_sections(seeded):
    plans = WorkPoints.objects.order_by("year")
    assert plans.count() == 5
    for plan in plans:
        numbers = list(plan.items.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, 17))
        assert plan.sections.count() == 4
    assert seeded.counts["progress_reports"] == 100

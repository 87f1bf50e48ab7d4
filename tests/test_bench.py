"""The benchmark machinery: the seed parts build what the pages need, the floor stays out
of the production URLconf, benchmark modules are found, targets are judged, and the
report replaces only its own part of docs/performance.md."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

import bench
from bench import pages
from bench.__main__ import BEGIN, END, ModuleRun, discover, report, write_report
from bench.registry import PAGES, SEED_PARTS, SeedContext, load_parts
from portal.deadlines.models import Deadline, ExtensionRequest
from portal.deadlines.registry import all_rules
from portal.documents.models import Document, DocumentRecipient
from portal.models import Person, Unit, User

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_keeps_the_floor_out_of_the_production_urlconf():
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    assert reverse("bench_floor", urlconf="bench.urls") == "/__bench__/floor/"
    assert reverse("person_list", urlconf="bench.urls") == "/people/"


@pytest.fixture
def seeded(db):
    load_parts()
    ctx = SeedContext(scale=0.02, rng=random.Random(1))
    for part in sorted(SEED_PARTS, key=lambda p: (p.order, p.name)):
        part.func(ctx)
    return ctx


def test_it_seeds_a_college_of_the_size_asked_for(seeded):
    assert seeded.counts.items() >= {"units": 8, "people": 40}.items()  # and the apps' rows
    assert Unit.objects.count() == 8
    assert set(Unit.objects.values_list("kind", flat=True)) == set(Unit.Kind.values)
    assert not Unit.objects.filter(kind=Unit.Kind.SCHOOL, parent__isnull=True).exists()
    assert Person.objects.count() == 40 + 4  # and the four bench users' own records
    assert Person.history.count() >= 44 + 30  # bulk-created with history, one edited 30 times


def test_it_seeds_documents_numbered_as_the_portal_numbers_them(seeded):
    assert seeded.counts["documents"] == Document.objects.count() == 30
    issued = Document.objects.issued()
    assert seeded.counts["document_recipients"] == DocumentRecipient.objects.count() > 0
    by_series_year: dict[tuple[int, int], list[int]] = {}
    for series_id, year, number in issued.values_list("series", "year", "number"):
        by_series_year.setdefault((series_id, year), []).append(number)
    for numbers in by_series_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))  # gapless, from 1
    codes = list(issued.values_list("verification_code", flat=True))
    assert len(set(codes)) == len(codes) == issued.count()


def test_it_scales_the_counts():
    ctx = SeedContext(scale=1, rng=random.Random(1))
    assert (ctx.n(200, minimum=8), ctx.n(2000)) == (200, 2000)
    small = SeedContext(scale=0.001, rng=random.Random(1))
    assert (small.n(200, minimum=8), small.n(2000)) == (8, 2)


def test_it_gives_every_bench_page_a_user_who_may_open_it(seeded):
    assert PAGES
    for page in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=page.persona))
        response = client.get(page.url())
        assert response.status_code == 200, page.name


def test_it_finds_benchmark_modules_and_skips_the_machinery(tmp_path, monkeypatch):
    for name in ("pdf.py", "reminders.py", "seed.py", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "__init__.py").write_text("")
    monkeypatch.setattr(bench, "__path__", [str(tmp_path)])
    assert discover() == ["pdf", "reminders"]


def _result(kind="list", median=5.0, ratio=2.0, queries=7, max_queries=15):
    return {
        "kind": kind,
        "median": median,
        "p95": median,
        "ratio": ratio,
        "queries": queries,
        "max_queries": max_queries,
        "bytes": 2048,
    }


def test_it_judges_list_pages_against_the_targets_at_scale_1():
    assert pages.target_verdict(_result(), 1) == "✓"
    assert pages.target_verdict(_result(median=100.0), 1) == "✗ ≥ 100 ms"
    assert pages.target_verdict(_result(ratio=3.01), 1) == "✗ > 3× floor"
    assert pages.target_verdict(_result(ratio=3.0), 1) == "✓"
    assert pages.target_verdict(_result(ratio=9.0), 0.1) == ""  # not at small scales
    assert pages.target_verdict(_result(kind="detail", ratio=9.0), 1) == ""


def test_it_holds_every_page_to_its_query_budget_at_every_scale():
    assert pages.target_verdict(_result(kind="detail", queries=16), 0.1) == "✗ > 15 queries"
    run = {"scale": 0.1, "pages": {"a": _result(queries=16), "b": _result(queries=15)}}
    assert pages.query_problems([run]) == ["a: 16 queries, over its budget"]


def test_it_finds_query_counts_that_depend_on_rows():
    small = {"scale": 0.1, "pages": {"a": _result(queries=7), "b": _result(queries=7)}}
    large = {"scale": 1, "pages": {"a": _result(queries=7), "b": _result(queries=8)}}
    assert pages.query_mismatches([small, large]) == ["b"]
    assert "| b | 7 | 8 | ✗ |" in pages.markdown([small | _meta(), large | _meta()])


def _meta():
    return {"counts": {"units": 20}, "seed_seconds": 0.1, "repeat": 5}


def test_it_replaces_only_the_generated_part_of_the_report(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(f"# Performance\n\nWritten by hand.\n\n{BEGIN}\nold numbers\n{END}\n\nMore.\n")
    run = {"scale": 1, "pages": {"person_list": _result()}} | _meta()
    text = report([run], [ModuleRun("pdf", 0, 2.0, "| pdf | 0.1 s |")], seconds=3)
    write_report(text, path)
    written = path.read_text()
    assert written.startswith("# Performance\n\nWritten by hand.\n\n<!-- bench:begin -->")
    assert written.endswith("<!-- bench:end -->\n\nMore.\n")
    assert "old numbers" not in written
    assert "| person_list | list | 7 | 5.0 | 5.0 | 0.0 | 2.00 | 2 | ✓ |" in written
    assert "### `bench.pdf` (2 s)\n\n| pdf | 0.1 s |" in written
    assert "Machine:" in written


def test_it_marks_a_failed_benchmark_module_in_the_report():
    run = {"scale": 1, "pages": {"person_list": _result()}} | _meta()
    text = report([run], [ModuleRun("reminders", 1, 1.0, "boom")], seconds=1)
    assert "### `bench.reminders` (1 s) — **failed**" in text


def test_it_seeds_deadlines_in_every_state_with_someone_to_remind(seeded):
    today = timezone.localdate()
    assert seeded.counts["deadlines"] == 2000  # 100,000 at scale 1
    active = Deadline.objects.filter(state__in=["open", "overdue"])
    assert active.filter(due__lt=today).exists() and active.filter(due__gte=today).exists()
    assert {"met", "waived"} <= set(Deadline.objects.values_list("state", flat=True))
    # As the scan leaves them: overdue when past due, the next reminder still to come.
    # (The periods opened by the rules' own sync, e.g. this year's plenary quota in
    # December, are as the scan finds them on the day: their reminder may have come.)
    seeded_rows = Deadline.objects.exclude(rule__in=[r.code for r in all_rules() if r.sync])
    assert not seeded_rows.filter(state="open", due__lt=today).exists()
    assert not seeded_rows.filter(
        state__in=["open", "overdue"], next_reminder_at__lte=timezone.now()
    ).exists()
    assert Deadline.history.count() >= 2000
    assert (
        ExtensionRequest.objects.filter(decision="pending").count()
        == seeded.counts["extension_requests"]
    )

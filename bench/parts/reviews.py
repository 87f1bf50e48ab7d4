"""Performance reviews (述职评议) at scale, and their pages to measure.

At scale 1: an annual and a half-year round for each of the last 20 years (40 rounds),
each calling every unit, with a report and a rating per unit; all locked with ranks but
this year's annual round, still reporting. Rows go in with bulk_create, not through the
services (the deadlines part owns the deadlines).
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bench.registry import SeedContext, bench_page, seed_part
from portal.models import Unit, User
from reports.models import PerformanceReport, Rating, ReviewRound
from reports.ranking import standings


@seed_part(order=52)
def review_rounds(ctx: SeedContext) -> None:
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    this_year = timezone.localdate().year
    years = range(this_year - ctx.n(20, minimum=2) + 1, this_year + 1)
    rounds = [
        ReviewRound(
            year=year,
            kind=kind,
            title=f"{year}年度述职评议" if kind == "annual" else f"{year}年上半年述职评议",
            due_on=timezone.localdate().replace(
                year=year, month=12 if kind == "annual" else 7, day=20
            ),
            state="reporting" if (year, kind) == (this_year, "annual") else "locked",
            opened_by=office,
        )
        for year in years
        for kind in ("annual", "half")
    ]
    rounds = ReviewRound.objects.bulk_create(rounds)
    through = ReviewRound.units.through
    through.objects.bulk_create(
        through(reviewround_id=r.pk, unit_id=unit) for r in rounds for unit in units
    )
    reports, ratings = [], []
    for r in rounds:
        locked = r.state == "locked"
        scores = {unit: Decimal(60 + ctx.rng.randrange(40)) for unit in units}
        places = standings(scores) if locked else {}
        for unit in units:
            reports.append(
                PerformanceReport(
                    round=r,
                    unit_id=unit,
                    state="confirmed" if locked else "drafting",
                    duties="履行统战工作职责情况" * 5,
                )
            )
            ratings.append(
                Rating(
                    round=r,
                    unit_id=unit,
                    grade="good" if locked else "",
                    score=scores[unit] if locked else None,
                    comment="点评意见" if locked else "",
                    rank=places[unit].rank if locked else None,
                    place=places[unit].place if locked else "",
                )
            )
    PerformanceReport.objects.bulk_create(reports, batch_size=1000)
    Rating.objects.bulk_create(ratings, batch_size=1000)
    ctx.counts["review_rounds"] = len(rounds)
    ctx.counts["performance_reports"] = len(reports)


def _latest_locked() -> ReviewRound:
    found = ReviewRound.objects.filter(state="locked").order_by("-year", "-pk").first()
    assert found is not None
    return found


bench_page("review_round_list", kind="list", url=lambda: reverse("review_round_list"))
bench_page(
    "review_round_list (commissioner)",
    kind="list",
    url=lambda: reverse("review_round_list"),
    persona="bench-commissioner",
)
bench_page(
    "review_round_list_export", kind="other", url=lambda: reverse("review_round_list_export")
)
bench_page(
    "review_round_list_export (commissioner)",
    kind="other",
    url=lambda: reverse("review_round_list_export"),
    persona="bench-commissioner",
)
bench_page(
    "review_round_detail",
    kind="detail",
    url=lambda: _latest_locked().get_absolute_url(),
)
bench_page(
    "review_round_detail (commissioner)",
    kind="detail",
    url=lambda: _latest_locked().get_absolute_url(),
    persona="bench-commissioner",
)
bench_page(
    "performance_report_detail",
    kind="detail",
    url=lambda: _latest_locked().reports.order_by("pk").first().get_absolute_url(),  # type: ignore[union-attr]
)


@seed_part(order=53)
def target_statements(ctx: SeedContext) -> None:
    from reports.models import TargetStatement

    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    this_year = timezone.localdate().year
    statements = [
        TargetStatement(year=year, unit_id=unit, targets="统战工作目标\n" * 4, state="signed")
        for year in range(this_year - ctx.n(10, minimum=2) + 1, this_year + 1)
        for unit in units
    ]
    TargetStatement.objects.bulk_create(statements, batch_size=1000)
    ctx.counts["target_statements"] = len(statements)


bench_page("target_statement_list", kind="list", url=lambda: reverse("target_statement_list"))
bench_page(
    "target_statement_list (commissioner)",
    kind="list",
    url=lambda: reverse("target_statement_list"),
    persona="bench-commissioner",
)
bench_page("target_statement_export", kind="other", url=lambda: reverse("target_statement_export"))
bench_page(
    "target_statement_export (commissioner)",
    kind="other",
    url=lambda: reverse("target_statement_export"),
    persona="bench-commissioner",
)


def _busiest_unit() -> int:
    from django.db.models import Count

    from portal.deadlines.models import Deadline

    row = (
        Deadline.objects.filter(responsible_unit__isnull=False)
        .values("responsible_unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert row is not None
    return int(row["responsible_unit"])


bench_page("reports_dashboard", kind="other", url=lambda: reverse("reports_dashboard"))
bench_page(
    "unit_scorecard (busiest)",
    kind="detail",
    url=lambda: reverse("unit_scorecard", args=[_busiest_unit()]),
)

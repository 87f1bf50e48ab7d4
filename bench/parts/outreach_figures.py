"""The register of non-party figures at scale: at scale 1, up to 2,000 figures (every
non-party person of the bench college, all categories, a tenth representatives, a
twentieth key contacts) with public positions, a sensitive profile and overseas records
for some; and the register's pages to measure."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from outreach.models import Figure, OverseasRecord, PublicPosition, SensitiveProfile
from portal.models import CPC_STATUSES, Person


@seed_part(order=61)
def outreach_figures(ctx: SeedContext) -> None:
    rng = ctx.rng
    people = Person.objects.filter(~Q(political_status__in=CPC_STATUSES), figure__isnull=True)
    ids = list(people.order_by("pk").values_list("pk", flat=True)[: ctx.n(2_000)])
    categories = Figure.Category.values
    Figure.objects.bulk_create(
        [
            Figure(
                person_id=pk,
                category=categories[index % len(categories)],
                is_representative=index % 10 == 0,
                is_key_contact=index % 20 == 0,
                expertise=rng.choice(("机械设计", "会计学", "汉语言文学", "计算机", "")),
                registered_on=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2_000)),
            )
            for index, pk in enumerate(ids)
        ]
    )
    figures = list(Figure.objects.order_by("pk").values_list("pk", flat=True))
    ctx.data["figure_ids"] = figures
    PublicPosition.objects.bulk_create(
        PublicPosition(
            figure_id=pk,
            kind=PublicPosition.Kind.CPPCC_MEMBER,
            level=PublicPosition.Level.CITY,
            title="市政协委员",
            term_start=dt.date(2022, 1, 1),
        )
        for pk in figures[::8]
    )
    SensitiveProfile.objects.bulk_create(
        SensitiveProfile(figure_id=pk, affiliation="民主党派成员", opinions="意见" * 20)
        for pk in figures[::2]
    )
    OverseasRecord.objects.bulk_create(
        OverseasRecord(figure_id=pk, kind="study", country="英国", degree="master")
        for pk in figures[::5]
    )
    ctx.counts["figures"] = len(figures)


bench_page("figure_list", kind="list", url=lambda: reverse("figure_list"))
bench_page("figure_list?q", kind="list", url=lambda: reverse("figure_list") + "?q=机械")
bench_page(
    "figure_list (commissioner)",
    kind="list",
    url=lambda: reverse("figure_list"),
    persona="bench-commissioner",
)
bench_page(
    "figure_detail",
    kind="detail",
    url=lambda: reverse("figure_detail", args=[Figure.objects.order_by("pk").first().pk]),  # type: ignore[union-attr]
)
bench_page("overseas_list", kind="list", url=lambda: reverse("overseas_list"))
bench_page(
    "overseas_list?incomplete",
    kind="list",
    url=lambda: reverse("overseas_list") + "?completeness=incomplete",
)
bench_page("figure_export", kind="other", url=lambda: reverse("figure_export"))
bench_page(
    "figure_export (paired leader)",
    kind="other",
    url=lambda: reverse("figure_export"),
    persona="bench-leader",
)
bench_page("overseas_export", kind="other", url=lambda: reverse("overseas_export"))

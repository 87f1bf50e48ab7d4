"""The cadre reserve at scale: at scale 1, 300 reserve entries (a fifth of them ended)
with 1,500 training records, over the non-party figures of the register; and the reserve
pages to measure.

Figures come from the register's part (`ctx.data["figure_ids"]`) when it has run; if it
has not, this part registers non-party people itself.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from outreach.models import Figure, ReserveCadre, TrainingRecord
from portal.models import CPC_STATUSES, Person, User

COURSES = (
    "自治区党外干部培训班",
    "市党外知识分子研修班",
    "校党外代表人士理论学习班",
    "全国民主党派中青年骨干培训班",
    "自治区无党派人士专题研修班",
)
LEVELS = [level for level, _ in TrainingRecord.Level.choices]


def _figure_ids(ctx: SeedContext) -> list[int]:
    ids: list[int] | None = ctx.data.get("figure_ids")
    if ids:
        return ids
    people = Person.objects.filter(~Q(political_status__in=CPC_STATUSES), figure__isnull=True)
    people = people.order_by("pk")[: ctx.n(2_000)]
    Figure.objects.bulk_create(
        [
            Figure(
                person_id=pk,
                category=ctx.rng.choice(Figure.Category.values),
                registered_on=dt.date(2020, 1, 1),
            )
            for pk in people.values_list("pk", flat=True)
        ]
    )
    ids = list(Figure.objects.order_by("pk").values_list("pk", flat=True))
    ctx.data["figure_ids"] = ids
    return ids


@seed_part(order=62)
def outreach_learning(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    figure_ids = _figure_ids(ctx)
    chosen = rng.sample(figure_ids, min(len(figure_ids), ctx.n(300)))
    people = dict(Figure.objects.filter(pk__in=chosen).values_list("pk", "person_id"))
    entries = []
    for index, figure_id in enumerate(chosen):
        added = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2_000))
        ended = index % 5 == 0
        entries.append(
            ReserveCadre(
                figure_id=figure_id,
                added_on=added,
                proposed_post=rng.choice(("二级学院副院长", "处级", "系主任", "")),
                assessment="考察意见" * rng.randrange(1, 30),
                removed_on=added + dt.timedelta(days=400) if ended else None,
                outcome=ReserveCadre.Outcome.APPOINTED if ended else "",
            )
        )
    ReserveCadre.objects.bulk_create(entries)
    trainings = []
    for figure_id in chosen:
        for _ in range(rng.randrange(0, 10) if ctx.scale >= 1 else rng.randrange(0, 3)):
            start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3_000))
            trainings.append(
                TrainingRecord(
                    person_id=people[figure_id],
                    course=rng.choice(COURSES),
                    level=rng.choice(LEVELS),
                    organiser="党委统战部",
                    start_on=start,
                    end_on=start + dt.timedelta(days=rng.randrange(1, 15)),
                    recorded_by=office,
                )
            )
    TrainingRecord.objects.bulk_create(trainings)
    ctx.counts["reserve cadres"] = len(entries)
    ctx.counts["training records"] = len(trainings)


def _first_cadre() -> str:
    cadre = ReserveCadre.objects.order_by("pk").first()
    return reverse("reserve_detail", args=[cadre.pk if cadre else 0])


bench_page("reserve_list", kind="list", url=lambda: reverse("reserve_list"))
bench_page(
    "reserve_list?state=all", kind="list", url=lambda: reverse("reserve_list") + "?state=all"
)
bench_page(
    "reserve_list (leader)",
    kind="list",
    url=lambda: reverse("reserve_list"),
    persona="bench-leader",
)
bench_page(
    "reserve_list (commissioner)",
    kind="list",
    url=lambda: reverse("reserve_list"),
    persona="bench-commissioner",
)
bench_page("reserve_detail", kind="detail", url=_first_cadre)
bench_page("reserve_export", kind="other", url=lambda: reverse("reserve_export"))

"""Learning at scale: at scale 1, 200 study activities over two years, each reaching
100 people of the register (20,000 rows, about four in five confirmed), one of them
reaching bench-leader; and 2,000 "五个一" records. The pages to measure: the activity
list, an activity with its people, a leader's own studies and the year board."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bench.parts.outreach_learning import _figure_ids
from bench.registry import SeedContext, bench_page, seed_part
from outreach.models import Figure, FiveOne, StudyActivity, StudyParticipant
from portal.models import User


@seed_part(order=66)
def outreach_study(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    leader = User.objects.get(username="bench-leader")
    _figure_ids(ctx)
    people = list(Figure.objects.values_list("person_id", flat=True).order_by("pk"))
    activities = StudyActivity.objects.bulk_create(
        StudyActivity(
            kind=rng.choice(StudyActivity.Kind.values),
            title=f"学习活动{number}",
            material="学习内容" * rng.randrange(1, 20),
            held_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700)),
            created_by=office,
        )
        for number in range(ctx.n(200))
    )
    now = timezone.now()
    rows = []
    for activity in activities:
        reached = set(rng.sample(people, min(len(people), 100)))
        reached.add(leader.person_id)  # type: ignore[arg-type]
        for person_id in reached:
            done = rng.random() < 0.8
            rows.append(
                StudyParticipant(
                    activity=activity,
                    person_id=person_id,
                    confirmed_at=now if done else None,
                    confirmed_by=office if done else None,
                )
            )
    StudyParticipant.objects.bulk_create(rows, batch_size=2_000)
    figures = list(Figure.objects.order_by("pk").values_list("pk", flat=True))
    records = []
    seen: set[tuple[int, str]] = set()
    for _ in range(ctx.n(2_000)):
        key = (rng.choice(figures), rng.choice(FiveOne.Item.values))
        if key in seen:
            continue
        seen.add(key)
        records.append(
            FiveOne(
                figure_id=key[0],
                year=timezone.localdate().year,
                item=key[1],
                done_on=dt.date(timezone.localdate().year, 1, 1),
                title="内容",
                recorded_by=office,
            )
        )
    FiveOne.objects.bulk_create(records)
    ctx.counts["study activities"] = len(activities)
    ctx.counts["study participants"] = len(rows)
    ctx.counts["five ones"] = len(records)


def _first() -> str:
    row = StudyActivity.objects.order_by("pk").first()
    return reverse("study_detail", args=[row.pk if row else 0])


bench_page("study_list", kind="list", url=lambda: reverse("study_list"))
bench_page("study_detail", kind="detail", url=_first)
bench_page("study_board", kind="list", url=lambda: reverse("study_board"))
bench_page(
    "study_board (commissioner)",
    kind="list",
    url=lambda: reverse("study_board"),
    persona="bench-commissioner",
)
bench_page(
    "my_studies (leader)", kind="list", url=lambda: reverse("my_studies"), persona="bench-leader"
)

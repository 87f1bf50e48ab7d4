"""Friendship pairs at scale: at scale 1, 400 pairs of 60 Party leaders (bench-leader
among them) with figures of the register, 20,000 contacts and 5,000 talks over two
academic years; and the pairs pages to measure, the coverage board among them (it shows
every pair of the period on one page, so it is measured at its full size), and the
pairs', contacts' and talks' exports (the office's, bench-leader's own).

Figures come from the register's part (`ctx.data["figure_ids"]`) when it has run."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from bench.parts.outreach_learning import _figure_ids
from bench.registry import SeedContext, bench_page, seed_part
from outreach.models import Contact, FriendshipPair, Talk
from portal.models import CPC_STATUSES, Person, User


@seed_part(order=63)
def outreach_pairs(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    leader_user = User.objects.get(username="bench-leader")
    leader_id = leader_user.person_id
    assert leader_id is not None, "bench-leader has a person (bench/parts/organisation.py)"
    Person.objects.filter(pk=leader_id).update(political_status="cpc")
    leaders = list(
        Person.objects.filter(Q(political_status__in=CPC_STATUSES))
        .exclude(pk=leader_id)
        .order_by("pk")
        .values_list("pk", flat=True)[: ctx.n(60) - 1]
    )
    leaders.insert(0, leader_id)
    figure_ids = _figure_ids(ctx)
    chosen = rng.sample(figure_ids, min(len(figure_ids), ctx.n(400)))
    pairs = [
        FriendshipPair(
            leader_id=leaders[index % len(leaders)],
            figure_id=figure_id,
            start_date=dt.date(2024, 9, 1),
            # Every tenth pair has ended; never one of bench-leader's (every 60th from 0).
            end_date=dt.date(2026, 6, 30) if index % 10 == 5 else None,
        )
        for index, figure_id in enumerate(chosen)
    ]
    FriendshipPair.objects.bulk_create(pairs)
    contacts, talks = [], []
    contact_figures, talk_figures = [], []
    for number in range(ctx.n(20_000)):
        pair = pairs[number % len(pairs)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(690))
        contacts.append(
            Contact(
                leader_id=pair.leader_id,
                kind=rng.choice(Contact.Kind.values),
                date=day,
                summary="联系情况" * rng.randrange(1, 20),
                recorded_by=office,
            )
        )
        contact_figures.append(pair.figure_id)
    for number in range(ctx.n(5_000)):
        pair = pairs[(number * 7) % len(pairs)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(690))
        talks.append(
            Talk(
                leader_id=pair.leader_id,
                mode=rng.choice(Talk.Mode.values),
                date=day,
                summary="谈话情况" * rng.randrange(1, 30),
                state=rng.choice(Talk.State.values),
                recorded_by=office,
            )
        )
        talk_figures.append(pair.figure_id)
    Contact.objects.bulk_create(contacts)
    Talk.objects.bulk_create(talks)
    Contact.figures.through.objects.bulk_create(
        [
            Contact.figures.through(contact_id=c.pk, figure_id=f)
            for c, f in zip(contacts, contact_figures, strict=True)
        ]
    )
    Talk.figures.through.objects.bulk_create(
        [
            Talk.figures.through(talk_id=t.pk, figure_id=f)
            for t, f in zip(talks, talk_figures, strict=True)
        ]
    )
    ctx.counts["friendship pairs"] = len(pairs)
    ctx.counts["contacts"] = len(contacts)
    ctx.counts["talks"] = len(talks)


def _first(model: type[Contact] | type[Talk], name: str) -> str:
    row = model.objects.order_by("pk").first()
    return reverse(name, args=[row.pk if row else 0])


bench_page("pair_list", kind="list", url=lambda: reverse("pair_list"))
bench_page(
    "pair_list (leader)", kind="list", url=lambda: reverse("pair_list"), persona="bench-leader"
)
bench_page("contact_list", kind="list", url=lambda: reverse("contact_list"))
bench_page("talk_list", kind="list", url=lambda: reverse("talk_list"))
bench_page("coverage_board", kind="list", url=lambda: reverse("coverage_board"))
bench_page(
    "coverage_board?basis=calendar",
    kind="list",
    url=lambda: reverse("coverage_board") + "?basis=calendar&year=2025",
)
bench_page(
    "coverage_board (leader)",
    kind="list",
    url=lambda: reverse("coverage_board"),
    persona="bench-leader",
)
bench_page("contact_detail", kind="detail", url=lambda: _first(Contact, "contact_detail"))
bench_page("talk_detail", kind="detail", url=lambda: _first(Talk, "talk_detail"))
bench_page("contact_export", kind="other", url=lambda: reverse("contact_export"))
bench_page(
    "contact_export (leader)",
    kind="other",
    url=lambda: reverse("contact_export"),
    persona="bench-leader",
)
bench_page("pair_export", kind="other", url=lambda: reverse("pair_export"))
bench_page(
    "pair_export (leader)",
    kind="other",
    url=lambda: reverse("pair_export"),
    persona="bench-leader",
)
bench_page("talk_export", kind="other", url=lambda: reverse("talk_export"))
bench_page(
    "talk_export (leader)",
    kind="other",
    url=lambda: reverse("talk_export"),
    persona="bench-leader",
)

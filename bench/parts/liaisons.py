"""Liaison officers at scale: one for nine in ten departments and schools (the rest
vacant), each with two earlier, ended appointments; the list to measure (the office's
and a commissioner's)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from liaisons.eligibility import Basis
from liaisons.models import LIAISON_UNIT_KINDS, Liaison
from portal.models import Person, Unit, User


@seed_part(order=70)
def liaisons(ctx: SeedContext) -> None:
    office = User.objects.get(username="bench-office")
    rows = []
    for index, unit in enumerate(Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS).order_by("pk")):
        if index % 10 == 9:
            continue
        people = list(Person.objects.filter(unit=unit).values_list("pk", flat=True)[:3])
        for term, person in enumerate(people):
            start = dt.date(2020 + 2 * term, 9, 1)
            last = term == len(people) - 1
            rows.append(
                Liaison(
                    unit=unit,
                    person_id=person,
                    start_date=start,
                    end_date=None if last else start + dt.timedelta(days=700),
                    end_reason="" if last else "换届",
                    basis=Basis.NON_PARTY,
                    appointed_by=office,
                )
            )
    Liaison.objects.bulk_create(rows)
    ctx.counts["liaisons"] = len(rows)


bench_page("liaison_list", kind="list", url=lambda: reverse("liaison_list"))
bench_page(
    "liaison_list (commissioner)",
    kind="list",
    url=lambda: reverse("liaison_list"),
    persona="bench-commissioner",
)

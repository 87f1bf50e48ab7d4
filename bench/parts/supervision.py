"""Supervision cases (督促检查) at scale: 120 over three years, each inspecting five
units on two items with ten findings (a third of them problems), most closed, a tenth
approved with the report's deadline running. The list, its export and the board (the
office's, a commissioner's) and a case's page."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from inspections.models import Finding, InspectionItem, SupervisionCase
from inspections.rules import SUPERVISION_REPORT
from portal.deadlines.models import Deadline
from portal.models import Unit, User


@seed_part(order=74)  # before the deadlines' part (80)
def supervision_cases(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    leader = User.objects.filter(leadership=User.Leadership.GROUP_LEADER).first() or office
    commissioner = User.objects.get(username="bench-commissioner")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    # The commissioner's own unit is among the inspected, so their list is not empty.
    own = commissioner.person.unit_id if commissioner.person else units[0]
    items = list(InspectionItem.objects.order_by("pk").values_list("pk", flat=True))
    rows = []
    for number in range(ctx.n(120)):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1_050))
        rows.append(
            SupervisionCase(
                title=f"第{number}号专项督查",
                scope="督查范围" * rng.randrange(5, 20),
                local_items="",
                team_lead="工作组组长",
                team="工作组成员甲、工作组成员乙",
                period_start=start,
                period_end=start + dt.timedelta(days=14),
                state="approved" if number % 10 == 0 else "closed",
                created_by=office,
                approved_by=leader,
                approval_note="同意",
            )
        )
    SupervisionCase.objects.bulk_create(rows)
    through_units = SupervisionCase.units.through
    through_items = SupervisionCase.items.through
    inspected: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        chosen = {own} | {units[(n * 5 + k) % len(units)] for k in range(4)}
        inspected[row.pk] = sorted(chosen)
    through_units.objects.bulk_create(
        through_units(supervisioncase_id=pk, unit_id=unit)
        for pk, chosen in inspected.items()
        for unit in chosen
    )
    through_items.objects.bulk_create(
        through_items(supervisioncase_id=row.pk, inspectionitem_id=items[(n + k) % len(items)])
        for n, row in enumerate(rows)
        for k in range(2)
    )
    Finding.objects.bulk_create(
        (
            Finding(
                case=row,
                unit_id=inspected[row.pk][k % len(inspected[row.pk])],
                item_id=items[(n + k) % len(items)],
                text="检查情况" * rng.randrange(5, 20),
                is_problem=k % 3 == 0,
                recorded_by=office,
            )
            for n, row in enumerate(rows)
            for k in range(10)
        ),
        batch_size=2_000,
    )
    content_type = ContentType.objects.get_for_model(SupervisionCase)
    deadlines = [
        Deadline(
            rule=SUPERVISION_REPORT,
            content_type=content_type,
            object_id=row.pk,
            title=row.title,
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
        )
        for row in rows
        if row.state == "approved"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    SupervisionCase.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["supervision cases"] = len(rows)


bench_page("supervision_list", kind="list", url=lambda: reverse("supervision_list"))
bench_page(
    "supervision_list (commissioner)",
    kind="list",
    url=lambda: reverse("supervision_list"),
    persona="bench-commissioner",
)
bench_page("supervision_board", kind="list", url=lambda: reverse("supervision_board"))
bench_page(
    "supervision_board (commissioner)",
    kind="list",
    url=lambda: reverse("supervision_board"),
    persona="bench-commissioner",
)
bench_page(
    "supervision_detail",
    kind="detail",
    url=lambda: reverse(
        "supervision_detail",
        args=[SupervisionCase.objects.filter(state="approved").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)
bench_page("supervision_export", kind="other", url=lambda: reverse("supervision_export"))
bench_page(
    "supervision_export (commissioner)",
    kind="other",
    url=lambda: reverse("supervision_export"),
    persona="bench-commissioner",
)

"""Inspections at scale: 1,500 rectifications (整改) over three years from every unit,
three to five measures each and two progress reports, a tenth still open (each with its
deadline); 300 admonition talks (通报约谈). The lists to measure (the office's, the open
ones, a commissioner's) and a page of each. Research guidance: 60 contact points, 200
visits and 1,000 research topics (调研指导, 调研课题)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from inspections.models import (
    Admonition,
    AdmonitionTrigger,
    ContactPoint,
    Measure,
    Progress,
    Rectification,
    ResearchTopic,
    ResearchVisit,
)
from inspections.rules import (
    ADMONITION_REPORT,
    RECTIFICATION_DUE,
    RESEARCH_REPORT,
    RESEARCH_TOPIC_DUE,
)
from portal.deadlines.models import Deadline
from portal.models import Unit, User


@seed_part(order=76)  # before the deadlines' part (80)
def rectifications(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    sources = Rectification.Source.values
    rows = []
    for number in range(ctx.n(1_500)):
        opened = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1_060))
        state = "open" if number % 10 == 0 else ("cancelled" if number % 25 == 1 else "closed")
        rows.append(
            Rectification(
                unit_id=units[number % len(units)],
                source=sources[number % len(sources)],
                title=f"第{number}号整改事项",
                problem="存在问题" * rng.randrange(5, 30),
                state=state,
                opened_on=opened,
                opened_by=office,
                closed_on=None if state == "open" else opened + dt.timedelta(days=40),
                conclusion="" if state == "open" else "整改到位，同意销号",
            )
        )
    Rectification.objects.bulk_create(rows)
    measures = []
    for row in rows:
        for position in range(1, rng.randrange(4, 7)):
            done = row.state == "closed" or position % 3 == 0
            measures.append(
                Measure(
                    rectification=row,
                    position=position,
                    text=f"整改措施{position}" * 4,
                    state="accepted" if done else "pending",
                    report="已完成" if done else "",
                    reported_on=row.closed_on if done else None,
                    verified_on=row.closed_on if done else None,
                    verified_by=office if done else None,
                )
            )
    Measure.objects.bulk_create(measures, batch_size=2_000)
    Progress.objects.bulk_create(
        (
            Progress(rectification=row, text=f"第{n}次进展" * 5, reported_by=office)
            for row in rows
            for n in (1, 2)
        ),
        batch_size=2_000,
    )
    # The open ones' deadlines, due at the far end of the calendar (as the consultations'
    # part): never on the deadline list's measured pages.
    content_type = ContentType.objects.get_for_model(Rectification)
    deadlines = [
        Deadline(
            rule=RECTIFICATION_DUE,
            content_type=content_type,
            object_id=row.pk,
            title=row.title,
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
            responsible_unit_id=row.unit_id,
        )
        for row in rows
        if row.state == "open"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    Rectification.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["rectifications"] = len(rows)
    ctx.counts["measures"] = len(measures)


bench_page("rectification_list", kind="list", url=lambda: reverse("rectification_list"))
bench_page(
    "rectification_list?state=open",
    kind="list",
    url=lambda: reverse("rectification_list") + "?state=open",
)
bench_page(
    "rectification_list (commissioner)",
    kind="list",
    url=lambda: reverse("rectification_list"),
    persona="bench-commissioner",
)
bench_page(
    "rectification_detail",
    kind="detail",
    url=lambda: reverse(
        "rectification_detail",
        args=[Rectification.objects.filter(state="open").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)


@seed_part(order=77)  # before the deadlines' part (80)
def admonitions(ctx: SeedContext) -> None:
    """300 admonition talks at scale 1 over three years from every unit, most concluded,
    a tenth waiting for the unit's report (each with its deadline)."""
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    triggers = list(AdmonitionTrigger.objects.all())
    rows = []
    for number in range(ctx.n(300)):
        proposed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1_000))
        state = "talked" if number % 10 == 0 else "concluded"
        rows.append(
            Admonition(
                unit_id=units[number % len(units)],
                facts="存在问题" * rng.randrange(5, 30),
                state=state,
                proposed_on=proposed,
                proposed_by=office,
                talk_on=proposed + dt.timedelta(days=10),
                participants="参加人员",
                record="约谈记录" * 10,
                report="" if state == "talked" else "整改落实情况" * 10,
                reported_on=None if state == "talked" else proposed + dt.timedelta(days=30),
                verdict="" if state == "talked" else "done",
                verdict_note="" if state == "talked" else "整改到位",
                concluded_on=None if state == "talked" else proposed + dt.timedelta(days=35),
            )
        )
    Admonition.objects.bulk_create(rows)
    Admonition.triggers.through.objects.bulk_create(
        Admonition.triggers.through(admonition_id=row.pk, admonitiontrigger_id=triggers[n % 6].pk)
        for n, row in enumerate(rows)
    )
    content_type = ContentType.objects.get_for_model(Admonition)
    deadlines = [
        Deadline(
            rule=ADMONITION_REPORT,
            content_type=content_type,
            object_id=row.pk,
            title=f"第{row.pk}号约谈整改报告",
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
            responsible_unit_id=row.unit_id,
        )
        for row in rows
        if row.state == "talked"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    Admonition.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["admonitions"] = len(rows)


bench_page("admonition_list", kind="list", url=lambda: reverse("admonition_list"))
bench_page(
    "admonition_list (commissioner)",
    kind="list",
    url=lambda: reverse("admonition_list"),
    persona="bench-commissioner",
)
bench_page(
    "admonition_detail",
    kind="detail",
    url=lambda: reverse(
        "admonition_detail",
        args=[Admonition.objects.filter(state="concluded").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)


@seed_part(order=78)  # before the deadlines' part (80)
def research_visits(ctx: SeedContext) -> None:
    """Research guidance at scale: 60 contact points (every unit at most once current),
    a visit a year over the past years plus extra ones at scale 1 (200), each to four
    units, most reported, a tenth with its report due (each with its deadline)."""
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    ContactPoint.objects.bulk_create(
        ContactPoint(
            unit_id=unit,
            since=dt.date(2024, 1, 1),
            until=None if n % 3 else dt.date(2025, 6, 30),
            contact=office,
            note="联系点备注",
        )
        for n, unit in enumerate(units[: ctx.n(60)])
    )
    rows = []
    for number in range(ctx.n(200)):
        starts = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1_000))
        state = "ended" if number % 10 == 0 else "reported"
        rows.append(
            ResearchVisit(
                year=starts.year,
                plan="调研方案" * rng.randrange(5, 30),
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=5),
                findings="调研发现" * 10,
                state=state,
                planned_by=office,
                report="" if state == "ended" else "调研指导报告" * 20,
                reported_on=None if state == "ended" else starts + dt.timedelta(days=30),
            )
        )
    ResearchVisit.objects.bulk_create(rows)
    ResearchVisit.units.through.objects.bulk_create(
        ResearchVisit.units.through(researchvisit_id=row.pk, unit_id=units[(n + k) % len(units)])
        for n, row in enumerate(rows)
        for k in range(4)
    )
    content_type = ContentType.objects.get_for_model(ResearchVisit)
    deadlines = [
        Deadline(
            rule=RESEARCH_REPORT,
            content_type=content_type,
            object_id=row.pk,
            title=f"第{row.pk}号调研指导报告",
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
        )
        for row in rows
        if row.state == "ended"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    ResearchVisit.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["research visits"] = len(rows)


bench_page("research_visit_list", kind="list", url=lambda: reverse("research_visit_list"))
bench_page(
    "contact_point_list",
    kind="list",
    url=lambda: reverse("contact_point_list"),
    persona="bench-leader",
)
bench_page(
    "contact_point_export",
    kind="other",
    url=lambda: reverse("contact_point_export"),
    persona="bench-leader",
)
bench_page(
    "research_visit_detail",
    kind="detail",
    url=lambda: reverse(
        "research_visit_detail",
        args=[ResearchVisit.objects.filter(state="reported").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)


@seed_part(order=79)  # before the deadlines' part (80)
def research_topics(ctx: SeedContext) -> None:
    """1,000 research topics at scale 1 over three years from every unit (a fifth taken
    by a figure), most completed, a tenth in progress with its deadline."""
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    people = ctx.data["person_ids"]
    rows = []
    for number in range(ctx.n(1_000)):
        state = "assigned" if number % 10 == 0 else "completed"
        by_figure = number % 5 == 0
        rows.append(
            ResearchTopic(
                year=2024 + number % 3,
                title=f"第{number}号调研课题",
                description="研究内容" * rng.randrange(5, 30),
                origin="新问题新情况",
                unit_id=None if by_figure else units[number % len(units)],
                person_id=people[number % len(people)] if by_figure else None,
                state=state,
                proposed_by=office,
                outcome_kind="" if state == "assigned" else "report",
                outcome="" if state == "assigned" else "研究成果" * 10,
                completed_on=None if state == "assigned" else dt.date(2024 + number % 3, 11, 30),
                award="优秀成果奖" if number % 7 == 0 else "",
            )
        )
    ResearchTopic.objects.bulk_create(rows)
    content_type = ContentType.objects.get_for_model(ResearchTopic)
    deadlines = [
        Deadline(
            rule=RESEARCH_TOPIC_DUE,
            content_type=content_type,
            object_id=row.pk,
            title=row.title,
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
            responsible_unit_id=row.unit_id,
        )
        for row in rows
        if row.state == "assigned"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    ResearchTopic.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["research topics"] = len(rows)


bench_page("research_topic_list", kind="list", url=lambda: reverse("research_topic_list"))
bench_page(
    "research_topic_list (commissioner)",
    kind="list",
    url=lambda: reverse("research_topic_list"),
    persona="bench-commissioner",
)
bench_page(
    "research_topic_detail",
    kind="detail",
    url=lambda: reverse(
        "research_topic_detail",
        args=[ResearchTopic.objects.filter(state="completed").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)
bench_page("rectification_export", kind="other", url=lambda: reverse("rectification_export"))
bench_page("research_topic_export", kind="other", url=lambda: reverse("research_topic_export"))
bench_page("admonition_export", kind="other", url=lambda: reverse("admonition_export"))
bench_page(
    "admonition_export (commissioner)",
    kind="other",
    url=lambda: reverse("admonition_export"),
    persona="bench-commissioner",
)
bench_page("research_visit_export", kind="other", url=lambda: reverse("research_visit_export"))

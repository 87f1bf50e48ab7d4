"""Experiences and information sent upward at scale: 2,000 experiences (经验做法) and
5,000 information reports (统战信息) over three years from every unit, 100 briefings of
five experiences each. The lists to measure (the office's, a commissioner's) and the
information summary. Rows go in with bulk_create (their history too), not through the
services."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from portal.models import Unit, User
from reports.models import Briefing, BriefingEntry, Experience, InformationReport

EXPERIENCE_STATES = ("submitted", "selected", "not_selected", "reported", "published")
INFORMATION_STATES = ("submitted", "accepted", "sent", "adopted", "not_adopted", "returned")


@seed_part(order=51)
def upward(ctx: SeedContext) -> None:
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    experiences = [
        Experience(
            title=f"第{n}号经验做法",
            unit_id=units[n % len(units)],
            body="经验正文" * ctx.rng.randrange(10, 60),
            state=EXPERIENCE_STATES[n % len(EXPERIENCE_STATES)],
            created_by=office,
            submitted_at=now,
            published_outlet="《统战工作简报》" if n % 5 == 4 else "",
            published_on=dt.date(2025, 6, 1) if n % 5 == 4 else None,
        )
        for n in range(ctx.n(2_000))
    ]
    experiences = bulk_create_with_history(experiences, Experience, batch_size=500)
    information = [
        InformationReport(
            year=2024 + n % 3,
            title=f"第{n}则统战信息",
            unit_id=units[n % len(units)],
            body="信息正文" * ctx.rng.randrange(10, 40),
            state=INFORMATION_STATES[n % len(INFORMATION_STATES)],
            created_by=office,
            submitted_at=now,
        )
        for n in range(ctx.n(5_000))
    ]
    bulk_create_with_history(information, InformationReport, batch_size=500)
    selected = [e for e in experiences if e.state != "not_selected"]
    briefings = bulk_create_with_history(
        [Briefing(title=f"经验交流材料第{n}期", created_by=office) for n in range(ctx.n(100))],
        Briefing,
        batch_size=500,
    )
    entries = [
        BriefingEntry(briefing=b, experience=selected[(n * 5 + k) % len(selected)], position=k + 1)
        for n, b in enumerate(briefings)
        for k in range(5)
    ]
    BriefingEntry.objects.bulk_create(entries, batch_size=500)
    ctx.counts["experiences"] = len(experiences)
    ctx.counts["information reports"] = len(information)
    ctx.counts["experience briefings"] = len(briefings)


bench_page("experience_list", kind="list", url=lambda: reverse("experience_list"))
bench_page(
    "experience_list (commissioner)",
    kind="list",
    url=lambda: reverse("experience_list"),
    persona="bench-commissioner",
)
bench_page("experience_briefing_list", kind="list", url=lambda: reverse("experience_briefing_list"))
bench_page("information_list", kind="list", url=lambda: reverse("information_list"))
bench_page(
    "information_list (commissioner)",
    kind="list",
    url=lambda: reverse("information_list"),
    persona="bench-commissioner",
)
bench_page(
    "information_summary",
    kind="other",
    url=lambda: reverse("information_summary") + "?year=2025",
)
bench_page(
    "experience_detail",
    kind="detail",
    url=lambda: reverse(
        "experience_detail",
        args=[Experience.objects.order_by("pk").values_list("pk", flat=True).first()],
    ),
)
bench_page("experience_export", kind="other", url=lambda: reverse("experience_export"))
bench_page(
    "experience_export (commissioner)",
    kind="other",
    url=lambda: reverse("experience_export"),
    persona="bench-commissioner",
)
bench_page(
    "experience_briefing_export",
    kind="other",
    url=lambda: reverse("experience_briefing_export"),
)
bench_page("information_export", kind="other", url=lambda: reverse("information_export"))
bench_page(
    "information_export (commissioner)",
    kind="other",
    url=lambda: reverse("information_export"),
    persona="bench-commissioner",
)

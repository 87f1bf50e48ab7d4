"""Meetings, the topic pool and follow-up items at scale, and their pages to measure.

At scale 1: 1,000 meetings over ten years (every kind), each with three agenda items
decided and its minutes row; 3,000 topics from the branches and departments in every
state; 3,000 follow-up items owned by random units with deadlines around today, in every
state. Rows go in with bulk_create (their history too), not through the services.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from meetings.models import AgendaItem, FollowUpItem, Meeting, Minutes, Topic
from portal.models import Unit


@seed_part(order=50)
def meetings(ctx: SeedContext) -> None:
    rng = ctx.rng
    units = list(Unit.objects.filter(pk__in=ctx.data["unit_ids"]).order_by("pk"))
    now = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0)
    kinds = list(Meeting.Kind.values)
    starts = [now - dt.timedelta(days=rng.randint(0, 3650)) for _ in range(ctx.n(1000))]
    made = bulk_create_with_history(
        [
            Meeting(
                kind=rng.choice(kinds),
                title=f"会议{i + 1}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                place="行政楼会议室",
                held=True,
            )
            for i, start in enumerate(starts)
        ],
        Meeting,
    )
    meetings_ = list(Meeting.objects.order_by("pk"))[-len(made) :]
    bulk_create_with_history([Minutes(meeting=m) for m in meetings_], Minutes)
    items = bulk_create_with_history(
        [
            AgendaItem(
                meeting=m, position=p, title=f"议程{p}", discussion="讨论。", decision="同意。"
            )
            for m in meetings_
            for p in (1, 2, 3)
        ],
        AgendaItem,
    )
    items = list(AgendaItem.objects.order_by("pk"))[-len(items) :]
    statuses = list(Topic.Status.values)
    bulk_create_with_history(
        [
            Topic(title=f"议题{i + 1}", unit=rng.choice(units), status=rng.choice(statuses))
            for i in range(ctx.n(3000))
        ],
        Topic,
    )
    today = timezone.localdate()
    follow_statuses = list(FollowUpItem.Status.values)
    bulk_create_with_history(
        [
            FollowUpItem(
                agenda_item=rng.choice(items),
                task=f"督办事项{i + 1}",
                owner_unit=rng.choice(units),
                deadline=today + dt.timedelta(days=rng.randint(-200, 200)),
                status=rng.choice(follow_statuses),
            )
            for i in range(ctx.n(3000))
        ],
        FollowUpItem,
    )
    ctx.counts["meetings"] = len(meetings_)
    ctx.counts["topics"] = ctx.n(3000)
    ctx.counts["follow-up items"] = ctx.n(3000)


def _latest_meeting() -> int:
    meeting = Meeting.objects.order_by("-starts_at").first()
    assert meeting is not None
    return meeting.pk


def _busiest_office_year() -> int:
    """A year with office meetings at every scale: a filter that matches nothing skips
    the page's prefetches, and its query count would then differ from a full page's."""
    row = (
        Meeting.objects.filter(kind=Meeting.Kind.OFFICE)
        .annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n", "-year")
        .first()
    )
    return row["year"] if row else timezone.localdate().year


bench_page("meeting_list", kind="list", url=lambda: reverse("meeting_list"))
bench_page(
    "meeting_list?year&kind",
    kind="list",
    url=lambda: reverse("meeting_list") + f"?year={_busiest_office_year()}&kind=office",
)
bench_page(
    "meeting_year",
    kind="list",
    url=lambda: reverse("meeting_year", args=[timezone.localdate().year]),
)
bench_page(
    "meeting_detail",
    kind="detail",
    url=lambda: reverse("meeting_detail", args=[_latest_meeting()]),
)
bench_page("topic_list", kind="list", url=lambda: reverse("topic_list"))
bench_page(
    "topic_list (commissioner)",
    kind="list",
    url=lambda: reverse("topic_list"),
    persona="bench-commissioner",
)
bench_page("follow_up_list", kind="list", url=lambda: reverse("follow_up_list"))
bench_page(
    "follow_up_list (commissioner)",
    kind="list",
    url=lambda: reverse("follow_up_list"),
    persona="bench-commissioner",
)

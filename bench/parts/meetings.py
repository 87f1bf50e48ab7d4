"""Meetings, the topic pool and follow-up items at scale, and their pages to measure.

At scale 1: 1,000 meetings over ten years (every kind), each with three agenda items
decided and its minutes row; 3,000 topics from the branches and departments in every
state; 3,000 follow-up items owned by random units, in every state, each with its
``action_item`` deadline in the engine (its one due date, two to thirteen months ago:
see `_follow_up_deadlines`). Rows go in
with bulk_create (their history too), not through the services.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from meetings.models import AgendaItem, FollowUpItem, Meeting, Minutes, Topic
from meetings.rules import ACTION_ITEM
from portal.deadlines import registry
from portal.deadlines.bulk import snapshot_history
from portal.deadlines.models import Deadline
from portal.deadlines.services import rule_steps
from portal.models import Unit, User
from portal.workdays import WorkdayCalendar

BATCH = 1000


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
    new = [
        FollowUpItem(
            agenda_item=rng.choice(items),
            task=f"督办事项{i + 1}",
            owner_unit=rng.choice(units),
            status=rng.choice(follow_statuses),
        )
        for i in range(ctx.n(3000))
    ]
    # The office's and the commissioner's units each have an open (overdue) item at every
    # scale: their to-dos and deadline lists read a follow-up subject whatever the draw.
    for item, username in zip(new, ("bench-office", "bench-commissioner"), strict=False):
        person = User.objects.select_related("person").get(username=username).person
        assert person is not None
        item.owner_unit_id, item.status = person.unit_id, FollowUpItem.Status.OPEN
    follow_ups = FollowUpItem.objects.bulk_create(new)
    _follow_up_deadlines(ctx, follow_ups, today)
    FollowUpItem.history.bulk_history_create(follow_ups)
    ctx.counts["meetings"] = len(meetings_)
    ctx.counts["topics"] = ctx.n(3000)
    ctx.counts["follow-up items"] = ctx.n(3000)


def _follow_up_deadlines(ctx: SeedContext, follow_ups: list[FollowUpItem], today: dt.date) -> None:
    """Each item's one due date: its ``action_item`` deadline in the engine, as the scan
    leaves it (met once reported or closed, overdue when past due, the next reminder
    still to come), linked from the item."""
    now = timezone.now()
    rule = registry.get(ACTION_ITEM)
    calendar = WorkdayCalendar()
    calendar.preload(range(today.year - 1, today.year + 2))
    content_type = ContentType.objects.get_for_model(FollowUpItem)
    steps: dict[dt.date, list[dt.datetime]] = {}
    rows = []
    for item in follow_ups:
        # Before the window of the deadlines part's 100,000 (60 days ago to 300 ahead):
        # ordered by due date these come first, so the deadline list's first page always
        # shows follow-up items (their subjects are read: one more query) and its page
        # 100 never does, at every scale (the smoke run compares query counts by scale).
        due = today - dt.timedelta(days=ctx.rng.randint(61, 400))
        if due not in steps:
            steps[due] = [step.fire_at for step in rule_steps(due, rule, calendar)]
        done = item.status in {FollowUpItem.Status.REPORTED, FollowUpItem.Status.CLOSED}
        state = Deadline.State.MET if done else Deadline.State.OPEN
        if not done and due < today:
            state = Deadline.State.OVERDUE
        upcoming = [] if done else [at for at in steps[due] if at > now]
        rows.append(
            Deadline(
                rule=ACTION_ITEM,
                content_type=content_type,
                object_id=item.pk,
                title=item.task[:80],
                due=due,
                original_due=due,
                responsible_unit_id=item.owner_unit_id,
                state=state,
                closed_at=now if done else None,
                next_reminder_at=upcoming[0] if upcoming else None,
            )
        )
    made = Deadline.objects.bulk_create(rows, batch_size=BATCH)
    snapshot_history([d.pk for d in made], reason="", when=now, history_type="+")
    for item, deadline in zip(follow_ups, made, strict=True):
        item.deadline = deadline
    FollowUpItem.objects.bulk_update(follow_ups, ["deadline"], batch_size=BATCH)


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
bench_page("meeting_export", kind="other", url=lambda: reverse("meeting_export"))
bench_page("follow_up_export", kind="other", url=lambda: reverse("follow_up_export"))
bench_page("topic_export", kind="other", url=lambda: reverse("topic_export"))

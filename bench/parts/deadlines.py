"""The deadline engine at scale: deadlines, extension requests, inbox messages, and the
deadline pages to measure.

At scale 1: 100,000 follow-up items (督办事项, numbered as the office numbers them, so each
is its own period) of the organisation's units, due from two months ago to ten months
ahead of the day the database is seeded (so the lights are red, yellow and green as in
use); a fifth of the past ones met, a few waived; 2% name nobody (the office answers for
them). The period rules' deadlines of the seeding day are opened by the engine itself.
Each Party general branch gets a branch commissioner with an email address (reminders
need someone to go to); 300 extension requests are pending; bench-office and
bench-commissioner have a year of inbox messages.

`bench/reminders.py` scans these deadlines (on a copy of the seeded database).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from portal.deadlines import registry
from portal.deadlines.bulk import snapshot_history
from portal.deadlines.models import Deadline, ExtensionRequest, Notification
from portal.deadlines.reminders import periods_sync
from portal.deadlines.services import rule_steps
from portal.models import Person, Role, Unit, User
from portal.workdays import WorkdayCalendar

ACTIONS = (
    "落实党外代表人士座谈会意见",
    "报送统战信息",
    "走访慰问党外知识分子",
    "整改联谊会换届问题",
    "完成统战对象信息核对",
    "组织民主党派专题学习",
    "推荐党外干部人选",
    "回复民主党派提案",
    "开展统战政策宣讲",
    "提交调研报告",
)
REASONS = (
    "学院党委会下周研究，待会议决定后报送",
    "需等上级部门反馈意见",
    "负责同志外出学习，返校后办理",
    "涉及多个单位，协调需要时间",
)
BATCH = 5000


@seed_part(order=80)  # after the organisation and the apps whose records deadlines concern
def deadlines(ctx: SeedContext) -> None:
    rng = ctx.rng
    now = timezone.now()
    today = timezone.localdate(now)
    commissioners = _branch_commissioners(ctx)
    office = User.objects.get(username="bench-office")
    unit_ids: list[int] = ctx.data["unit_ids"]

    rule = registry.get("action_item")
    calendar = WorkdayCalendar()
    calendar.preload(range(today.year - 1, today.year + 3))
    steps: dict[dt.date, list[dt.datetime]] = {}
    rows = []
    for n in range(ctx.n(100_000)):
        due = today + dt.timedelta(days=rng.randrange(-60, 300))
        if due not in steps:
            steps[due] = [step.fire_at for step in rule_steps(due, rule, calendar)]
        state, closed_at, reason = Deadline.State.OPEN, None, ""
        if due < today and rng.random() < 0.2:
            state, closed_at = Deadline.State.MET, now
        elif rng.random() < 0.01:
            state, closed_at, reason = Deadline.State.WAIVED, now, "上级通知不再报送"
        elif due < today:
            state = Deadline.State.OVERDUE
        # As if the scan had been running: the next reminder is the first still to come.
        upcoming = [at for at in steps[due] if at > now] if closed_at is None else []
        rows.append(
            Deadline(
                rule=rule.code,
                period=f"{today.year}-{n + 1:06d}",
                title=f"{rng.choice(ACTIONS)}（第{n + 1}号）",
                due=due,
                original_due=due,
                responsible_unit_id=None if rng.random() < 0.02 else rng.choice(unit_ids),
                state=state,
                opened_at=now - dt.timedelta(days=rng.randrange(10, 90)),
                closed_at=closed_at,
                waive_reason=reason,
                next_reminder_at=upcoming[0] if upcoming else None,
            )
        )
    # Django's bulk_create, then the history rows copied inside the database (as the
    # reminder scan writes them): bulk_create_with_history took twice as long.
    made = Deadline.objects.bulk_create(rows, batch_size=BATCH)
    snapshot_history([d.pk for d in made], reason="", when=now, history_type="+")
    periods_sync(today)  # the annual report, work points and meeting quotas of today

    # Pending extension requests, from the commissioner of the deadline's branch.
    open_ids = [d for d in made if d.state == Deadline.State.OPEN and d.responsible_unit_id]
    requests = []
    for deadline in rng.sample(open_ids, min(len(open_ids), ctx.n(300))):
        requested_by = commissioners.get(deadline.responsible_unit_id or 0, office)
        requests.append(
            ExtensionRequest(
                deadline=deadline,
                requested_by=requested_by,
                reason=rng.choice(REASONS),
                current_due=deadline.due,
                requested_due=deadline.due + dt.timedelta(days=rng.choice((7, 14, 30))),
            )
        )
    bulk_create_with_history(requests, ExtensionRequest, batch_size=BATCH)

    # A year of digests in two inboxes: a message per working day, the older ones read.
    messages = []
    for username in ("bench-office", "bench-commissioner"):
        user = User.objects.get(username=username)
        for n in range(ctx.n(250)):
            sample = rng.sample(made, 3)
            created = now - dt.timedelta(days=n * 365 // max(1, ctx.n(250)), hours=2)
            messages.append(
                Notification(
                    recipient=user,
                    kind=Notification.Kind.REMINDER,
                    created_at=created,
                    title=f"期限提醒：{len(sample)}项",
                    items=[
                        {
                            "text": f"{d.title}，{d.due:%Y年%-m月%-d日}前",
                            "url": reverse("deadline_detail", args=[d.pk]),
                            "level": rng.choice(("red", "yellow", "green")),
                            "lines": [],
                        }
                        for d in sample
                    ],
                    read_at=None if n < 5 else created + dt.timedelta(hours=1),
                )
            )
    Notification.objects.bulk_create(messages, batch_size=BATCH)
    ctx.counts.update(
        deadlines=len(made),
        extension_requests=len(requests),
        messages=len(messages),
    )


def _branch_commissioners(ctx: SeedContext) -> dict[int, User]:
    """A commissioner with an email address for every branch that has none yet, from its
    own people: the user a reminder of the branch's units goes to. Returns the
    commissioner answering for each unit (its own branch's, or the one above it)."""
    group = Group.objects.get(name=Role.COMMISSIONER)
    branches = list(Unit.objects.filter(kind=Unit.Kind.BRANCH).order_by("pk"))
    taken = set(
        User.objects.filter(groups=group, person__isnull=False).values_list(
            "person__unit_id", flat=True
        )
    )
    with_login = User.objects.filter(person__isnull=False).values("person_id")
    first: dict[int, Person] = {}  # a branch's first person without a login
    for person in (
        Person.objects.filter(unit__in=branches).exclude(pk__in=with_login).order_by("pk")
    ):
        first.setdefault(person.unit_id, person)
    users = [
        User(
            username=f"bench-wy{branch.pk}",
            email=f"wy{branch.pk}@example.edu.cn",
            person=first[branch.pk],
        )
        for branch in branches
        if branch.pk not in taken and branch.pk in first
    ]
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    ctx.counts["commissioners"] = len(users)
    own: dict[int, User] = {}
    for user in User.objects.filter(groups=group).select_related("person"):
        if user.person is not None:
            own[user.person.unit_id] = user
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    by_unit: dict[int, User] = {}
    for unit_id in parents:
        node: int | None = unit_id
        while node is not None and node not in own:
            node = parents[node]
        if node is not None:
            by_unit[unit_id] = own[node]
    return by_unit


# The pages --------------------------------------------------------------------------


def _most_discussed() -> int:
    """A deadline with a pending extension request (leaders decide from its page)."""
    row = (
        ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
        .values("deadline_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "deadline_id")
        .first()
    )
    assert row is not None
    return int(row["deadline_id"])


bench_page("deadline_list", kind="list", url=lambda: reverse("deadline_list"))
bench_page(
    "deadline_list?state=all page 100",
    kind="list",
    url=lambda: reverse("deadline_list") + "?state=all&page=100",
)
bench_page(
    "deadline_list (commissioner)",
    kind="list",
    url=lambda: reverse("deadline_list"),
    persona="bench-commissioner",
)
bench_page(
    "deadline_detail",
    kind="detail",
    url=lambda: reverse("deadline_detail", args=[_most_discussed()]),
)
bench_page("inbox", kind="list", url=lambda: reverse("inbox"))
bench_page(
    "inbox (commissioner)", kind="list", url=lambda: reverse("inbox"), persona="bench-commissioner"
)

"""Suggestions at scale: at scale 1, 5,000 suggestions over two years in every state,
each but the fed-back ones with its current step's deadline; and the list to measure
(the office's, a leader's, a commissioner's own unit's)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bench.parts.outreach_learning import _figure_ids
from bench.registry import SeedContext, bench_page, seed_part
from outreach import rules
from outreach.models import Suggestion
from portal.deadlines.models import Deadline
from portal.models import Unit, User

STEP = {
    "new": (rules.SUGGESTION_ASSIGN, "assign"),
    "sent_back": (rules.SUGGESTION_ASSIGN, "assign"),
    "assigned": (rules.SUGGESTION_ANSWER, "answer"),
    "answered": (rules.SUGGESTION_REVIEW, "review"),
    "approved": (rules.SUGGESTION_FEEDBACK, "feedback"),
}


@seed_part(order=64)
def outreach_suggestions(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    commissioner = User.objects.get(username="bench-commissioner")
    figure_ids = _figure_ids(ctx)
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    own = commissioner.person.unit_id if commissioner.person else units[0]
    states = Suggestion.State.values
    rows = []
    for number in range(ctx.n(5_000)):
        state = states[number % len(states)]
        raised = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(690))
        assigned = state != "new"
        rows.append(
            Suggestion(
                title=f"意见建议{number}",
                content="建议内容" * rng.randrange(1, 40),
                figure_id=rng.choice(figure_ids) if figure_ids else None,
                raised_by="" if figure_ids else "民盟支部",
                source=rng.choice(Suggestion.Source.values),
                raised_on=raised,
                state=state,
                round=1 if assigned else 0,
                lead_unit_id=(own if number % 7 == 0 else rng.choice(units)) if assigned else None,
                assigned_on=raised + dt.timedelta(days=3) if assigned else None,
                satisfaction="satisfied" if state == "fed_back" else "",
                recorded_by=office,
            )
        )
    Suggestion.objects.bulk_create(rows)
    # Each open suggestion's current step gets a deadline row of its own (the list joins
    # it for the light), due at the far end of the calendar so that it never lands on the
    # deadline list's measured pages, whose subject types it would change by scale.
    content_type = ContentType.objects.get_for_model(Suggestion)
    deadlines = []
    for row in rows:
        if row.state not in STEP:
            continue
        rule, step = STEP[row.state]
        due = dt.date(2099, 12, 31)
        deadlines.append(
            Deadline(
                rule=rule,
                content_type=content_type,
                object_id=row.pk,
                period=f"{step}-{row.round}",
                title=row.title,
                due=due,
                original_due=due,
                responsible_unit_id=row.lead_unit_id if step == "answer" else None,
            )
        )
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    Suggestion.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["suggestions"] = len(rows)


def _first() -> str:
    row = Suggestion.objects.order_by("pk").first()
    return reverse("suggestion_detail", args=[row.pk if row else 0])


bench_page("suggestion_list", kind="list", url=lambda: reverse("suggestion_list"))
bench_page(
    "suggestion_list?state=assigned",
    kind="list",
    url=lambda: reverse("suggestion_list") + "?state=assigned",
)
bench_page(
    "suggestion_list (commissioner)",
    kind="list",
    url=lambda: reverse("suggestion_list"),
    persona="bench-commissioner",
)
bench_page("suggestion_detail", kind="detail", url=_first)
bench_page("suggestion_export", kind="other", url=lambda: reverse("suggestion_export"))

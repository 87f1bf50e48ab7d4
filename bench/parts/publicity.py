"""The publicity system at scale: a roster of twelve (two of them ended), a weekly rhythm
over four years (a turn each week, one in ten skipped), 1,500 pieces at scale 1 in every
state, each with one or two review rounds, the open ones with their deadline. A member
of the roster logs in as `bench-publicity`. The lists to measure: the office's and the
member's pieces, the rotation and the year view."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from bench.registry import SeedContext, bench_page, seed_part
from liaisons.models import (
    PublicityMember,
    PublicityPiece,
    PublicityReview,
    PublicityRhythm,
    PublicitySlot,
)
from liaisons.publicity.rules import PUBLICITY_REVIEW, PUBLICITY_SLOT
from portal.deadlines.models import Deadline
from portal.models import Person, Role, User

FAR = dt.date(2099, 12, 31)  # open deadlines due at the calendar's far end (see liaisons.py)


@seed_part(order=75)
def publicity(ctx: SeedContext) -> None:
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    people = list(
        Person.objects.filter(user__isnull=True).order_by("pk").values_list("pk", flat=True)[:12]
    )
    start = dt.date(2022, 9, 1)
    members = PublicityMember.objects.bulk_create(
        PublicityMember(
            person_id=person,
            position=index + 1,
            start_date=start,
            end_date=start + dt.timedelta(days=500) if index >= len(people) - 2 else None,
        )
        for index, person in enumerate(people)
    )
    user = User.objects.create(username="bench-publicity", person_id=members[0].person_id)
    user.groups.add(Group.objects.get(name=Role.PUBLICITY))
    PublicityRhythm.objects.create(every_days=7, first_due=start, set_by=office)
    today = timezone.localdate()
    slots = []
    day, turn = start, 0
    while day < today + dt.timedelta(days=28):
        current = [m for m in members if m.end_date is None or m.end_date > day]
        member = current[turn % len(current)]
        state = "open" if day >= today else ("skipped" if turn % 10 == 9 else "done")
        slots.append(
            PublicitySlot(
                due_on=day, member=member, state=state, note="假期" if state == "skipped" else ""
            )
        )
        day += dt.timedelta(days=7)
        turn += 1
    PublicitySlot.objects.bulk_create(slots)
    slot_type = ContentType.objects.get_for_model(PublicitySlot)
    deadlines = [
        Deadline(
            rule=PUBLICITY_SLOT,
            content_type=slot_type,
            object_id=slot.pk,
            title=f"宣传轮值 {slot.due_on}",
            due=FAR,
            original_due=FAR,
        )
        for slot in slots
        if slot.state == "open"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_slot = {d.object_id: d.pk for d in deadlines}
    for slot in slots:
        slot.deadline_id = by_slot.get(slot.pk)
    PublicitySlot.objects.bulk_update(slots, ["deadline"], batch_size=500)

    states = ["published"] * 6 + ["approved", "returned", "submitted", "draft"]
    pieces = []
    for number in range(ctx.n(1_500)):
        state = states[number % len(states)]
        member = members[number % len(members)]
        created = dt.datetime.combine(
            start + dt.timedelta(days=rng.randrange((today - start).days)),
            dt.time(9),
            tzinfo=dt.UTC,
        )
        special = number % 7 == 0
        pieces.append(
            PublicityPiece(
                title=f"统战工作动态第{number}期",
                text="正文段落。\n" * rng.randrange(5, 30),
                channel=PublicityPiece.Channel.values[number % 4],
                special=special,
                figure_name="党外专家" if special else "",
                author_id=member.person_id,
                state=state,
                round=0 if state == "draft" else 1 + number % 2,
                published_on=created.date() if state == "published" else None,
                link="https://example.edu.cn/news" if state == "published" else "",
                created_by=office,
                created_at=created,
            )
        )
    PublicityPiece.objects.bulk_create(pieces, batch_size=500)
    reviews = []
    for piece in pieces:
        for n in range(1, piece.round + 1):
            last = n == piece.round
            decision = ""
            if not last or piece.state == "returned":
                decision = "returned"
            elif piece.state in {"approved", "published"}:
                decision = "approved"
            reviews.append(
                PublicityReview(
                    piece=piece,
                    round=n,
                    title=piece.title,
                    text=piece.text,
                    submitted_by=office,
                    decision=decision,
                    comments="请修改" if decision == "returned" else "",
                    decided_by=office if decision else None,
                    decided_at=piece.created_at if decision else None,
                )
            )
    PublicityReview.objects.bulk_create(reviews, batch_size=1_000)
    review_type = ContentType.objects.get_for_model(PublicityReview)
    waiting = [r for r in reviews if r.piece.state == "submitted" and r.round == r.piece.round]
    review_deadlines = [
        Deadline(
            rule=PUBLICITY_REVIEW,
            content_type=review_type,
            object_id=review.pk,
            title=review.title,
            due=FAR,
            original_due=FAR,
        )
        for review in waiting
    ]
    Deadline.objects.bulk_create(review_deadlines)
    by_piece = {r.piece.pk: d.pk for r, d in zip(waiting, review_deadlines, strict=True)}
    for piece in pieces:
        piece.deadline_id = by_piece.get(piece.pk)
    PublicityPiece.objects.bulk_update(pieces, ["deadline"], batch_size=500)
    ctx.counts["publicity slots"] = len(slots)
    ctx.counts["publicity pieces"] = len(pieces)
    ctx.counts["publicity reviews"] = len(reviews)


bench_page("publicity_piece_list", kind="list", url=lambda: reverse("publicity_piece_list"))
bench_page(
    "publicity_piece_list?state=submitted",
    kind="list",
    url=lambda: reverse("publicity_piece_list") + "?state=submitted",
)
bench_page(
    "publicity_piece_list (member)",
    kind="list",
    url=lambda: reverse("publicity_piece_list"),
    persona="bench-publicity",
)
bench_page("publicity_piece_export", kind="other", url=lambda: reverse("publicity_piece_export"))
bench_page(
    "publicity_piece_export (member)",
    kind="other",
    url=lambda: reverse("publicity_piece_export"),
    persona="bench-publicity",
)
bench_page("publicity_rotation", kind="list", url=lambda: reverse("publicity_rotation"))
bench_page("publicity_year", kind="list", url=lambda: reverse("publicity_year"))
bench_page(
    "publicity_piece_detail",
    kind="detail",
    url=lambda: reverse(
        "publicity_piece_detail",
        args=[PublicityPiece.objects.filter(round=2).order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)

"""Reads of the publicity system: the roster and the turns, the pieces a user may see,
a piece's review rounds with what changed since the previous round, and the year view
(pieces per member and per channel, the special reports on outstanding figures).

The office and the leaders see every piece; a publicity member their own and every
published one. Nothing here is sensitive: names, titles and published texts."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from liaisons.models import (
    PublicityImage,
    PublicityMember,
    PublicityPiece,
    PublicityReview,
    PublicitySlot,
)
from portal.models import Role
from portal.permissions import has_role, is_office

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

PUBLICITY_ROLES = (Role.OFFICE, Role.LEADER, Role.PUBLICITY)


def can_see(user: User | AnonymousUser) -> bool:
    return has_role(user, *PUBLICITY_ROLES)


def can_manage(user: User | AnonymousUser) -> bool:
    return is_office(user)


def pieces_for_user(user: User | AnonymousUser) -> QuerySet[PublicityPiece]:
    rows = PublicityPiece.objects.select_related("author", "deadline", "slot")
    if has_role(user, Role.OFFICE, Role.LEADER):
        return rows
    if not has_role(user, Role.PUBLICITY):
        return rows.none()
    person_id = getattr(user, "person_id", None)
    return rows.filter(Q(author_id=person_id) | Q(state=PublicityPiece.State.PUBLISHED))


def get_piece_for_user(user: User | AnonymousUser, pk: int) -> PublicityPiece:
    try:
        return pieces_for_user(user).select_related("created_by__person").get(pk=pk)
    except PublicityPiece.DoesNotExist:
        raise Http404 from None


def get_image_for_user(user: User | AnonymousUser, pk: int) -> PublicityImage:
    try:
        return PublicityImage.objects.select_related("piece").get(
            pk=pk, piece__in=pieces_for_user(user)
        )
    except PublicityImage.DoesNotExist:
        raise Http404 from None


def get_review_for_user(user: User | AnonymousUser, pk: int) -> PublicityReview:
    try:
        return PublicityReview.objects.get(pk=pk, piece__in=pieces_for_user(user))
    except PublicityReview.DoesNotExist:
        raise Http404 from None


# What changed between two rounds -----------------------------------------------------------


INS = '<ins class="bg-success-subtle">%s</ins>'
DEL = '<del class="bg-danger-subtle">%s</del>'


def _chars(old: str, new: str) -> list[str]:
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(DEL % escape(old[i1:i2]))
        if j2 > j1:
            parts.append(INS % escape(new[j1:j2]))
    return parts


def text_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, escaped, with what was deleted in <del> and what was
    inserted in <ins>: compared line by line, and character by character within the
    lines that changed (Chinese has no spaces to split words at)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if op == "equal":
            parts.append(escape(before))
        elif op == "replace" and len(before) + len(after) <= 20_000:
            parts.extend(_chars(before, after))
        else:
            if before:
                parts.append(DEL % escape(before))
            if after:
                parts.append(INS % escape(after))
    # Line breaks shown as such (the text is escaped, so only our tags are markup).
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # noqa: S308


@dataclass
class Round:
    review: PublicityReview
    title_diff: SafeString | None = None  # None: the first round, or the title unchanged
    text_diff: SafeString | None = None  # None: the first round
    changed: bool = field(default=False)


def review_rounds(piece: PublicityPiece) -> list[Round]:
    """The piece's review rounds, oldest first; from the second on, what changed since
    the previous round's submitted title and text (one query)."""
    reviews = list(
        piece.reviews.select_related("submitted_by__person", "decided_by__person").order_by("round")
    )
    rounds = []
    for index, review in enumerate(reviews):
        one = Round(review=review)
        if index:
            earlier = reviews[index - 1]
            one.changed = (earlier.title, earlier.text) != (review.title, review.text)
            if earlier.title != review.title:
                one.title_diff = text_diff(earlier.title, review.title)
            one.text_diff = text_diff(earlier.text, review.text)
        rounds.append(one)
    return rounds


def latest_review(piece: PublicityPiece) -> PublicityReview | None:
    return piece.reviews.order_by("-round").first()


# The roster and the turns -----------------------------------------------------------------


def roster(today: dt.date) -> QuerySet[PublicityMember]:
    """Members in force today or starting later, in rotation order."""
    return (
        PublicityMember.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("person__unit")
        .order_by("position", "pk")
    )


def former_members(today: dt.date, limit: int = 20) -> list[PublicityMember]:
    """The latest members off the roster, each with `end_reason` (kept as the reason of
    the change that ended the membership): two queries."""
    former = list(
        PublicityMember.objects.filter(end_date__lte=today)
        .select_related("person__unit")
        .order_by("-end_date", "-pk")[:limit]
    )
    reasons = dict(
        PublicityMember.history.filter(id__in=[m.pk for m in former], end_date__isnull=False)
        .exclude(history_change_reason=None)
        .order_by("history_date")
        .values_list("id", "history_change_reason")
    )
    for member in former:
        member.end_reason = reasons.get(member.pk, "")  # type: ignore[attr-defined]
    return former


def slots(*, since: dt.date) -> QuerySet[PublicitySlot]:
    """Turns due on or after `since`, in date order, with what the page shows of each."""
    return (
        PublicitySlot.objects.filter(due_on__gte=since)
        .select_related("member__person", "swapped_with", "deadline")
        .prefetch_related("pieces")
        .order_by("due_on")
    )


def open_slots_of(person_id: int | None) -> QuerySet[PublicitySlot]:
    """A member's open turns (for a new piece), soonest first."""
    if person_id is None:
        return PublicitySlot.objects.none()
    return (
        PublicitySlot.objects.filter(member__person_id=person_id, state=PublicitySlot.State.OPEN)
        .select_related("member__person")
        .order_by("due_on")
    )


def swappable(slot: PublicitySlot) -> QuerySet[PublicitySlot]:
    """The other open turns of other members (to swap with)."""
    return (
        PublicitySlot.objects.filter(state=PublicitySlot.State.OPEN)
        .exclude(pk=slot.pk)
        .exclude(member_id=slot.member_id)
        .select_related("member__person")
        .order_by("due_on")
    )


# The year view ---------------------------------------------------------------------------


@dataclass
class YearView:
    year: int
    total: int
    by_member: list[dict[str, object]]
    by_channel: list[dict[str, object]]
    special: list[PublicityPiece]


def year_view(year: int) -> YearView:
    """The pieces published in `year`: per member (with their special reports), per
    channel, and the special reports on outstanding figures (three queries)."""
    published = PublicityPiece.objects.filter(
        state=PublicityPiece.State.PUBLISHED, published_on__year=year
    )
    by_member = list(
        published.values("author_id", "author__name")
        .annotate(total=Count("pk"), special=Count("pk", filter=Q(special=True)))
        .order_by("-total", "author__name")
    )
    labels = dict(PublicityPiece.Channel.choices)
    counts = dict(
        published.values_list("channel").annotate(total=Count("pk")).values_list("channel", "total")
    )
    by_channel = [
        {"channel": value, "label": labels[value], "total": counts.get(value, 0)}
        for value in PublicityPiece.Channel.values
    ]
    special = list(
        published.filter(special=True).select_related("author").order_by("published_on", "pk")
    )
    return YearView(
        year=year,
        total=sum(int(str(row["total"])) for row in by_member),
        by_member=by_member,
        by_channel=by_channel,
        special=special,
    )


def published_years() -> list[int]:
    return sorted(
        {
            day.year
            for day in PublicityPiece.objects.filter(published_on__isnull=False).dates(
                "published_on", "year"
            )
        },
        reverse=True,
    )

"""Writes of the publicity system (宣传制度): the office keeps the roster in rotation
order and sets the rhythm; the portal keeps the next turns assigned (`slots_sync`) and
reminds each member of theirs; the office skips or swaps a turn with a reason. A piece
is drafted by its author, reviewed by the UFW department round by round (approve, or
return with comments) and recorded as published with its date and link, never without
an approval on record. Each service checks its permission and the rule, refuses in
Chinese and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons.models import (
    PublicityImage,
    PublicityMember,
    PublicityPiece,
    PublicityReview,
    PublicityRhythm,
    PublicitySlot,
)
from liaisons.publicity.rules import (
    PUBLICITY_PUBLISH,
    PUBLICITY_REVIEW,
    PUBLICITY_REVISE,
    PUBLICITY_SLOT,
    slots_ahead,
)
from liaisons.publicity.transitions import PIECE_WORKFLOW, SLOT_WORKFLOW
from liaisons.roles import sync_after_commit
from portal.deadlines.models import Deadline
from portal.deadlines.services import deadline_meet, deadline_open, deadline_waive
from portal.lib.errors import Forbidden, Refused, required
from portal.lib.ordering import move
from portal.lib.repeats import repeat_since
from portal.models import Person, Role, User
from portal.permissions import has_role, is_office
from portal.uploads import IMAGES, UploadValidator, storing_files

MAX_EVERY_DAYS = 90
MAX_IMAGES = 9


def _require_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室可以安排宣传轮值。"))


def logins_of(person_id: int) -> list[User]:
    """The active logins of a person: those reminded of their turn and their pieces."""
    return list(User.objects.filter(person_id=person_id, is_active=True))


def _upcoming(today: dt.date) -> Q:
    """Memberships in force today or starting later."""
    return Q(end_date__isnull=True) | Q(end_date__gt=today)


# The roster ------------------------------------------------------------------------------


def _lock_roster() -> None:
    """One roster change at a time (the rotation reads the whole roster)."""
    list(PublicityMember.objects.select_for_update().filter(end_date__isnull=True))


@transaction.atomic
def member_add(*, person: Person, start_date: dt.date, by: User) -> PublicityMember:
    """Put `person` on the roster from `start_date`, last in the rotation order; the
    turns ahead are assigned again to include them."""
    _require_office(by)
    if start_date is None:
        raise ValidationError({"start_date": _("请填写加入日期。")})
    if not person.is_active:
        raise ValidationError(
            {"person": _("%(name)s 已停用，不能加入名单。") % {"name": person.name}}
        )
    _lock_roster()
    existing = PublicityMember.objects.filter(person=person, end_date__isnull=True).first()
    if existing is not None:
        if existing.start_date == start_date:  # the same form posted twice
            return existing
        raise Refused(_("%(name)s 已在宣传工作成员名单中。") % {"name": person.name})
    last = (
        PublicityMember.objects.filter(person=person, end_date__isnull=False)
        .order_by("-end_date")
        .first()
    )
    if last is not None and last.end_date is not None and start_date < last.end_date:
        raise ValidationError(
            {"start_date": _("加入日期不能早于上次退出日期（%(day)s）。") % {"day": last.end_date}}
        )
    top = PublicityMember.objects.aggregate(top=Max("position"))["top"] or 0
    member = PublicityMember(person=person, position=top + 1, start_date=start_date)
    member.full_clean(validate_constraints=False)
    member._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise Refused(_("%(name)s 已在宣传工作成员名单中。") % {"name": person.name}) from None
    sync_after_commit(person)
    slots_rebuild(today=timezone.localdate(), by=by)
    return member


@transaction.atomic
def member_end(
    *, member: PublicityMember, end_date: dt.date, reason: str, by: User
) -> PublicityMember:
    """Take `member` off the roster from `end_date` (the first day off it); the turns
    ahead are assigned again without them."""
    _require_office(by)
    _lock_roster()
    locked = PublicityMember.objects.select_for_update().get(pk=member.pk)
    if locked.end_date is not None:
        raise Refused(
            _("%(name)s 已于 %(day)s 退出名单。") % {"name": locked.person, "day": locked.end_date}
        )
    if end_date is None:
        raise ValidationError({"end_date": _("请填写退出日期。")})
    if end_date < locked.start_date:
        raise ValidationError({"end_date": _("退出日期不能早于加入日期。")})
    reason = required(reason, "reason", _("请填写退出原因。"))
    locked.end_date = end_date
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save(update_fields=["end_date"])
    sync_after_commit(locked.person_id)
    slots_rebuild(today=timezone.localdate(), by=by)
    return locked


@transaction.atomic
def member_move(*, member: PublicityMember, offset: int, by: User) -> PublicityMember:
    """Move a member one place up (-1) or down (+1) in the rotation order."""
    _require_office(by)
    _lock_roster()
    today = timezone.localdate()
    roster = PublicityMember.objects.filter(_upcoming(today))
    if not roster.filter(pk=member.pk).exists():
        raise Refused(_("该成员已退出名单。"))
    if not move(roster, member, offset, by=by):
        raise Refused(_("已在最前面。") if offset < 0 else _("已在最后面。"))
    slots_rebuild(today=today, by=by)
    return member


@transaction.atomic
def rhythm_set(*, every_days: int, first_due: dt.date, by: User) -> PublicityRhythm:
    """The office sets the rhythm (one piece every `every_days` days, the first due on
    `first_due`); the turns ahead are assigned again on the new dates."""
    _require_office(by)
    if every_days is None or not 1 <= every_days <= MAX_EVERY_DAYS:
        raise ValidationError(
            {"every_days": _("间隔天数应在 1 到 %(max)d 天之间。") % {"max": MAX_EVERY_DAYS}}
        )
    if first_due is None:
        raise ValidationError({"first_due": _("请填写首期截止日期。")})
    current = PublicityRhythm.objects.select_for_update().order_by("-set_at", "-pk").first()
    if current is not None and (current.every_days, current.first_due) == (every_days, first_due):
        return current  # unchanged (or the same form posted twice)
    rhythm = PublicityRhythm(every_days=every_days, first_due=first_due, set_by=by)
    rhythm.full_clean()
    rhythm._history_user = by  # type: ignore[attr-defined]
    rhythm.save()
    slots_rebuild(today=timezone.localdate(), by=by)
    return rhythm


# The rotation ----------------------------------------------------------------------------


def current_rhythm() -> PublicityRhythm | None:
    return PublicityRhythm.objects.order_by("-set_at", "-pk").first()


def grid_dates(rhythm: PublicityRhythm, since: dt.date) -> Any:
    """The rhythm's due dates on or after `since`, in order (endless)."""
    step = dt.timedelta(days=rhythm.every_days)
    day = rhythm.first_due
    if day < since:
        skipped = -(-(since - day).days // rhythm.every_days)  # ceiling division
        day += step * skipped
    while True:
        yield day
        day += step


def rotation_member_id(slot: PublicitySlot) -> int:
    """Whose turn the slot was in the rotation order: after a swap, the member of the
    turn it was swapped with (the rotation goes on as if nothing was swapped)."""
    if slot.swapped_with_id is not None and slot.swapped_with is not None:
        return slot.swapped_with.member_id
    return slot.member_id


def next_member(
    previous: PublicitySlot | None, candidates: list[PublicityMember]
) -> PublicityMember | None:
    """The member after the previous turn's in the rotation order, among those on the
    roster on the new turn's date (a member who left is passed over)."""
    if not candidates:
        return None
    if previous is None:
        return candidates[0]
    was = rotation_member_id(previous)
    ids = [m.pk for m in candidates]
    if was in ids:
        return candidates[(ids.index(was) + 1) % len(candidates)]
    position = previous.member.position if previous.swapped_with_id is None else None
    if position is None:
        position = (
            PublicityMember.objects.filter(pk=was).values_list("position", flat=True).first() or 0
        )
    later = [m for m in candidates if m.position > position]
    return later[0] if later else candidates[0]


def _slot_title(slot: PublicitySlot, person: Person) -> str:
    return _("宣传轮值：%(name)s（%(day)s截止）") % {"name": person.name, "day": slot.due_on}


def _open_slot_deadline(slot: PublicitySlot, person: Person) -> Deadline:
    return deadline_open(
        rule=PUBLICITY_SLOT,
        subject=slot,
        due=slot.due_on,
        title=_slot_title(slot, person),
        responsible_users=logins_of(person.pk),
    )


@transaction.atomic
def slots_sync(*, today: dt.date | None = None) -> int:
    """Keep the next `PUBLICITY_SLOTS_AHEAD` turns (due today or later) assigned, on the
    rhythm's dates, each to the next member in the rotation order; each turn gets its
    deadline (the member is reminded). Returns the number of turns made. A system step
    (the reminder scan calls it), with no acting user."""
    today = today or timezone.localdate()
    rhythm = PublicityRhythm.objects.select_for_update().order_by("-set_at", "-pk").first()
    if rhythm is None:
        return 0
    ahead = list(PublicitySlot.objects.filter(due_on__gte=today).values_list("due_on", flat=True))
    taken = set(ahead)
    wanted = slots_ahead() - len(ahead)
    if wanted <= 0:
        return 0
    roster = list(
        PublicityMember.objects.filter(_upcoming(today))
        .select_related("person")
        .order_by("position", "pk")
    )
    made = 0
    for day in grid_dates(rhythm, today):
        if made >= wanted:
            break
        if day in taken:
            continue
        candidates = [
            m for m in roster if m.start_date <= day and (m.end_date is None or m.end_date > day)
        ]
        if not candidates:
            if all(m.end_date is not None and m.end_date <= day for m in roster):
                break  # nobody is on the roster from here on
            if day > today + dt.timedelta(days=366):
                break  # nobody joins within a year
            continue
        previous = (
            PublicitySlot.objects.filter(due_on__lt=day)
            .select_related("member", "swapped_with")
            .order_by("-due_on")
            .first()
        )
        member = next_member(previous, candidates)
        assert member is not None
        slot = PublicitySlot(due_on=day, member=member)
        try:
            with transaction.atomic():
                slot.save()
        except IntegrityError:  # made at the same moment by another process
            continue
        slot.deadline = _open_slot_deadline(slot, member.person)
        slot.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]
        made += 1
    return made


def _pinned() -> Q:
    """Turns kept when the rotation is assigned again: those with a piece, a swap or a
    note (the office's decisions)."""
    return Q(pieces__isnull=False) | Q(swapped_with__isnull=False) | ~Q(note="")


@transaction.atomic
def slots_rebuild(*, today: dt.date, by: User) -> int:
    """After a change of the roster or the rhythm: the open turns after today that
    nobody has acted on are dropped (with their deadlines) and assigned again."""
    _require_office(by)
    loose = list(
        PublicitySlot.objects.filter(due_on__gt=today, state=PublicitySlot.State.OPEN)
        .exclude(_pinned())
        .exclude(
            pk__in=PublicitySlot.objects.filter(swapped_with__isnull=False).values("swapped_with")
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    if loose:
        content_type = ContentType.objects.get_for_model(PublicitySlot)
        Deadline.objects.filter(
            rule=PUBLICITY_SLOT, content_type=content_type, object_id__in=loose
        ).delete()
        PublicitySlot.objects.filter(pk__in=loose).delete()
    return slots_sync(today=today)


def _locked_slot(slot: PublicitySlot) -> PublicitySlot:
    return (
        PublicitySlot.objects.select_for_update().select_related("member__person").get(pk=slot.pk)
    )


@transaction.atomic
def slot_skip(*, slot: PublicitySlot, reason: str, by: User) -> PublicitySlot:
    """The office skips a turn (the member is away, nothing to report), with the reason;
    its deadline is lifted. The rotation goes on with the next turn's member."""
    locked = _locked_slot(slot)
    fields = SLOT_WORKFLOW.apply(locked, "skip", by=by)
    reason = required(reason, "reason", _("请填写跳过的原因。"))[:200]
    locked.note = reason
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save(update_fields=[*fields, "note"])
    deadline = locked.deadline
    if deadline is not None and not deadline.is_closed:
        deadline_waive(deadline=deadline, by=by, reason=_("本轮跳过：%(r)s") % {"r": reason})
    return locked


@transaction.atomic
def slot_swap(
    *, slot: PublicitySlot, other: PublicitySlot, reason: str, by: User
) -> tuple[PublicitySlot, PublicitySlot]:
    """Two open turns exchange their members (recorded on both, with the reason); each
    deadline goes to its new member. A draft already linked to a turn leaves it."""
    if slot.pk == other.pk:
        raise ValidationError({"other": _("请选择另一轮值进行调换。")})
    first, second = sorted([slot, other], key=lambda s: s.pk)
    a, b = _locked_slot(first), _locked_slot(second)
    SLOT_WORKFLOW.check(a, "swap", by=by)
    SLOT_WORKFLOW.check(b, "swap", by=by)
    if a.swapped_with_id == b.pk and b.swapped_with_id == a.pk:
        raise Refused(_("这两期已经相互调换。"))  # a double post; a swap back would undo it
    if a.member_id == b.member_id:
        raise ValidationError({"other": _("两个轮值是同一成员，无需调换。")})
    reason = required(reason, "reason", _("请填写调换的原因。"))[:200]
    a.member, b.member = b.member, a.member
    a.swapped_with, b.swapped_with = b, a
    for one in (a, b):
        one.note = reason
        one._history_user = by  # type: ignore[attr-defined]
        one._change_reason = reason  # type: ignore[attr-defined]
        one.save(update_fields=["member", "swapped_with", "note"])
        PublicityPiece.objects.filter(slot=one).exclude(author_id=one.member.person_id).update(
            slot=None
        )
        _open_slot_deadline(one, one.member.person)
    return (a, b) if a.pk == slot.pk else (b, a)


# Pieces ----------------------------------------------------------------------------------


def may_write(user: User | Any) -> bool:
    """The office, or a publicity member with a person record."""
    return is_office(user) or (
        has_role(user, Role.PUBLICITY) and getattr(user, "person_id", None) is not None
    )


def _clean_piece(
    *, title: str, text: str, channel: str, special: bool, figure_name: str
) -> dict[str, Any]:
    title = required(title, "title", _("请填写标题。"))
    text = required(text, "text", _("请填写正文。"))
    if channel not in PublicityPiece.Channel.values:
        raise ValidationError({"channel": _("请选择发布渠道。")})
    figure_name = (figure_name or "").strip()
    if special and not figure_name:
        raise ValidationError({"figure_name": _("先进典型专题报道请填写报道对象。")})
    return {
        "title": title,
        "text": text,
        "channel": channel,
        "special": bool(special),
        "figure_name": figure_name,
    }


def _check_slot(slot: PublicitySlot | None, author: Person, piece: PublicityPiece | None) -> None:
    if slot is None:
        return
    locked = PublicitySlot.objects.select_for_update().select_related("member").get(pk=slot.pk)
    if locked.state != PublicitySlot.State.OPEN or locked.member.person_id != author.pk:
        raise ValidationError({"slot": _("只能选择撰稿人本人待完成的轮值。")})
    others = PublicityPiece.objects.filter(slot=locked)
    if piece is not None:
        others = others.exclude(pk=piece.pk)
    if others.exists():
        raise ValidationError({"slot": _("该轮值已有稿件。")})


@transaction.atomic
def piece_create(
    *,
    title: str,
    text: str,
    channel: str,
    author: Person,
    special: bool = False,
    figure_name: str = "",
    slot: PublicitySlot | None = None,
    by: User,
) -> PublicityPiece:
    """A new draft: a publicity member writes under their own name (for their turn);
    the office for any member of the roster or itself."""
    if not may_write(by):
        raise Forbidden(_("只有宣传工作成员或办公室可以撰写宣传稿件。"))
    if not is_office(by) and author.pk != by.person_id:
        raise Forbidden(_("只能以本人名义撰写宣传稿件。"))
    values = _clean_piece(
        title=title, text=text, channel=channel, special=special, figure_name=figure_name
    )
    recent = PublicityPiece.objects.filter(
        title=values["title"], created_by=by, created_at__gte=repeat_since()
    ).first()
    if recent is not None:  # the same form posted twice
        return recent
    _check_slot(slot, author, None)
    piece = PublicityPiece(**values, author=author, slot=slot, created_by=by)
    piece.full_clean()
    piece._history_user = by  # type: ignore[attr-defined]
    piece.save()
    return piece


def _locked(piece: PublicityPiece) -> PublicityPiece:
    return PublicityPiece.objects.select_for_update().select_related("author").get(pk=piece.pk)


@transaction.atomic
def piece_update(
    *,
    piece: PublicityPiece,
    title: str,
    text: str,
    channel: str,
    special: bool = False,
    figure_name: str = "",
    slot: PublicitySlot | None = None,
    by: User,
) -> PublicityPiece:
    """The author (or the office) revises a draft or a returned piece."""
    locked = _locked(piece)
    PIECE_WORKFLOW.check(locked, "edit", by=by)
    values = _clean_piece(
        title=title, text=text, channel=channel, special=special, figure_name=figure_name
    )
    if slot is not None and slot.pk != locked.slot_id:
        _check_slot(slot, locked.author, locked)
    if locked.state == PublicityPiece.State.RETURNED and slot != locked.slot:
        slot = locked.slot  # a returned piece stays on the turn it was submitted for
    for name, value in values.items():
        setattr(locked, name, value)
    locked.slot = slot
    locked.full_clean()
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=[*values, "slot"])
    return locked


def _digest(file: File[Any]) -> str:
    sha = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        sha.update(chunk)
    file.seek(0)
    return sha.hexdigest()


@storing_files()
def image_add(
    *, piece: PublicityPiece, image: File[Any] | None, caption: str = "", by: User
) -> PublicityImage:
    """An image for the piece (JPG or PNG, checked by content); the same image posted
    twice is kept once."""
    locked = _locked(piece)
    PIECE_WORKFLOW.check(locked, "edit", by=by)
    if not image:
        raise ValidationError({"image": _("请选择图片。")})
    _validate_image(image)
    caption = (caption or "").strip()[:200]
    images = list(locked.images.all())
    digest = _digest(image)
    for existing in images:
        try:
            with existing.image.open("rb") as stored:
                if existing.image.size == image.size and _digest(stored) == digest:
                    return existing
        except OSError:
            continue
    if len(images) >= MAX_IMAGES:
        raise ValidationError({"image": _("每篇稿件最多 %(n)d 张图片。") % {"n": MAX_IMAGES}})
    row = PublicityImage(piece=locked, image=image, caption=caption)
    row.full_clean()
    row.save()
    return row


def _validate_image(image: File[Any]) -> None:
    try:
        UploadValidator(kinds=IMAGES)(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None


@transaction.atomic
def image_remove(*, image: PublicityImage, by: User) -> None:
    """Remove an image from a draft or returned piece; the file goes once committed."""
    locked = _locked(image.piece)
    PIECE_WORKFLOW.check(locked, "edit", by=by)
    row = PublicityImage.objects.select_for_update().filter(pk=image.pk, piece=locked).first()
    if row is None:
        raise Refused(_("该图片已删除。"))
    name, storage = row.image.name, row.image.storage
    row.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def piece_submit(*, piece: PublicityPiece, by: User) -> PublicityPiece:
    """Submit the piece for the UFW department's review: a new round keeps the title and
    text as submitted; the office's review is due in `PUBLICITY_REVIEW_WORKDAYS` working
    days. The turn it was written for is done; a returned round's revision is met."""
    locked = _locked(piece)
    fields = PIECE_WORKFLOW.apply(locked, "submit", by=by)
    today = timezone.localdate()
    previous = locked.reviews.order_by("-round").first()
    locked.round = (previous.round if previous else 0) + 1
    review = PublicityReview.objects.create(
        piece=locked, round=locked.round, title=locked.title, text=locked.text, submitted_by=by
    )
    if previous is not None:
        deadline_meet(rule=PUBLICITY_REVISE, subject=previous, by=by)
    locked.deadline = deadline_open(
        rule=PUBLICITY_REVIEW,
        subject=review,
        after=today,
        title=(_("审核宣传稿件：%(t)s") % {"t": locked.title})[:200],
    )
    if locked.slot_id is not None:
        slot = PublicitySlot.objects.select_for_update().get(pk=locked.slot_id)
        if slot.state == PublicitySlot.State.OPEN:
            slot.state = PublicitySlot.State.DONE
            slot._history_user = by  # type: ignore[attr-defined]
            slot.save(update_fields=["state"])
            deadline_meet(rule=PUBLICITY_SLOT, subject=slot, by=by)
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = _("第%(n)d轮送审") % {"n": locked.round}  # type: ignore[attr-defined]
    locked.save(update_fields=[*fields, "round", "deadline"])
    return locked


def _open_round(piece: PublicityPiece) -> PublicityReview:
    review = (
        PublicityReview.objects.select_for_update()
        .filter(piece=piece, round=piece.round, decision="")
        .first()
    )
    if review is None:  # a piece put in `submitted` without a round: nothing to decide
        raise Refused(_("该稿件没有待审核的送审记录。"))
    return review


@transaction.atomic
def piece_approve(*, piece: PublicityPiece, comments: str = "", by: User) -> PublicityPiece:
    """The UFW department approves the round; publishing is due in
    `PUBLICITY_PUBLISH_WORKDAYS` working days (the author's, on 我的待办)."""
    locked = _locked(piece)
    fields = PIECE_WORKFLOW.apply(locked, "approve", by=by)
    review = _open_round(locked)
    review.decision = PublicityReview.Decision.APPROVED
    review.comments = (comments or "").strip()
    review.decided_at, review.decided_by = timezone.now(), by
    review.save(update_fields=["decision", "comments", "decided_at", "decided_by"])
    deadline_meet(rule=PUBLICITY_REVIEW, subject=review, by=by)
    locked.deadline = deadline_open(
        rule=PUBLICITY_PUBLISH,
        subject=locked,
        after=timezone.localdate(),
        title=(_("发布宣传稿件：%(t)s") % {"t": locked.title})[:200],
        responsible_users=logins_of(locked.author_id),
    )
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = review.comments  # type: ignore[attr-defined]
    locked.save(update_fields=[*fields, "deadline"])
    return locked


@transaction.atomic
def piece_return(*, piece: PublicityPiece, comments: str, by: User) -> PublicityPiece:
    """The UFW department returns the round with its comments; the author revises and
    submits again within `PUBLICITY_REVISE_WORKDAYS` working days."""
    locked = _locked(piece)
    fields = PIECE_WORKFLOW.apply(locked, "return", by=by)
    comments = required(comments, "comments", _("退回修改请填写审核意见。"))
    review = _open_round(locked)
    review.decision = PublicityReview.Decision.RETURNED
    review.comments = comments
    review.decided_at, review.decided_by = timezone.now(), by
    review.save(update_fields=["decision", "comments", "decided_at", "decided_by"])
    deadline_meet(rule=PUBLICITY_REVIEW, subject=review, by=by)
    locked.deadline = deadline_open(
        rule=PUBLICITY_REVISE,
        subject=review,
        after=timezone.localdate(),
        title=(_("修改宣传稿件：%(t)s") % {"t": locked.title})[:200],
        responsible_users=logins_of(locked.author_id),
    )
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = comments  # type: ignore[attr-defined]
    locked.save(update_fields=[*fields, "deadline"])
    return locked


_LINK = URLValidator(schemes=["http", "https"])


@transaction.atomic
def piece_publish(
    *, piece: PublicityPiece, published_on: dt.date | None, link: str, by: User
) -> PublicityPiece:
    """Record the piece as published on `published_on` at `link`: only after an approval
    on record (the workflow's guard reads the latest round, whatever the state says)."""
    locked = _locked(piece)
    fields = PIECE_WORKFLOW.apply(locked, "publish", by=by)
    today = timezone.localdate()
    if published_on is None:
        raise ValidationError({"published_on": _("请填写发布日期。")})
    if published_on > today:
        raise ValidationError({"published_on": _("发布日期不能晚于今天。")})
    approved = (
        locked.reviews.filter(decision=PublicityReview.Decision.APPROVED)
        .order_by("-round")
        .values_list("decided_at", flat=True)
        .first()
    )
    if approved is not None and published_on < timezone.localdate(approved):
        raise ValidationError(
            {
                "published_on": _("发布日期不能早于审核通过日期（%(day)s）。")
                % {"day": timezone.localdate(approved)}
            }
        )
    link = required(link, "link", _("请填写发布链接。"))
    try:
        _LINK(link)
    except ValidationError:
        raise ValidationError(
            {"link": _("请填写以 http:// 或 https:// 开头的有效链接。")}
        ) from None
    locked.published_on, locked.link = published_on, link
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=[*fields, "published_on", "link"])
    deadline_meet(rule=PUBLICITY_PUBLISH, subject=locked, by=by)
    return locked

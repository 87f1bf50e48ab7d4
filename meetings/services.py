"""Writes of the meetings app. Keyword-only, atomic, `full_clean()` before saving.

Deadlines (`meetings/rules.py`): a meeting opens its minutes deadline
(`minutes_issue`, N working days after the meeting); issuing the minutes meets it
(`minutes_issued`). Recording a meeting's attendance marks it held and meets the
quota of its period (`plenary_meeting_quota` for the year, `office_meeting_quota` for the
semester). A follow-up item opens an `action_item` deadline for its owner unit, met when
the office closes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import rules as deadline_rules
from meetings import selectors
from meetings.models import (
    AgendaItem,
    Attendance,
    FollowUpItem,
    FollowUpUpdate,
    Material,
    Meeting,
    Minutes,
    Topic,
)
from meetings.transitions import (
    FOLLOW_UP_WORKFLOW,
    MEETING_WORKFLOW,
    MINUTES_WORKFLOW,
    TOPIC_WORKFLOW,
)
from portal.deadlines import periods
from portal.deadlines.services import deadline_meet, deadline_open
from portal.documents import services as documents
from portal.documents.models import Document
from portal.lib import ordering
from portal.lib.errors import Forbidden, Refused
from portal.models import Person, Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files

Kind = Meeting.Kind
DOCUMENT_KIND = "minutes"


def _require_office(user: User) -> None:
    if not is_office(user):
        raise Forbidden(_("只有办公室工作人员可以进行此操作。"))


def _save(obj: Any, by: User | None = None, fields: list[str] | None = None) -> None:
    if by is not None:
        obj._history_user = by
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


# Meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    by: User,
    chair: Person | None = None,
    notes: str = "",
    invitees: Iterable[Person] | None = None,
) -> Meeting:
    _require_office(by)
    meeting = Meeting(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        chair=chair,
        notes=notes.strip(),
        created_by=by,
    )
    _save(meeting, by)
    if invitees is None:
        invitees = selectors.default_invitees(kind, meeting.date)
    people = list(invitees)
    if chair is not None and chair not in people:
        people.insert(0, chair)
    unique = {p.pk: p for p in people}.values()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, position=index)
        for index, person in enumerate(unique, start=1)
    )
    Minutes.objects.create(meeting=meeting)
    deadline_open(
        rule=deadline_rules.MINUTES,
        subject=meeting,
        after=meeting.date,
        title=_("%(title)s纪要") % {"title": meeting.title},
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, fields: dict[str, Any]) -> Meeting:
    allowed = {"kind", "title", "starts_at", "ends_at", "place", "chair", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETING_WORKFLOW.check(locked, "edit", by=by)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _save(locked, by, [*fields, "updated_at"])
    if "starts_at" in fields and not locked.held:
        deadline_open(rule=deadline_rules.MINUTES, subject=locked, after=locked.date)
    meeting.refresh_from_db()
    return locked


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by: User, people: Iterable[Person]) -> int:
    """Add people to the invitation list (those already on it stay as they are)."""
    _require_office(by)
    have = set(meeting.attendances.values_list("person_id", flat=True))
    last = meeting.attendances.aggregate(m=Max("position"))["m"] or 0
    new = [
        Attendance(meeting=meeting, person=p, position=last + index)
        for index, p in enumerate((p for p in people if p.pk not in have), start=1)
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    status: str
    reason: str = ""
    represented_by: str = ""


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, rows: Sequence[AttendanceRow]) -> Meeting:
    """Record who attended. All rows are validated before any is saved; a meeting whose
    attendance is recorded (anyone not 未登记) is held and counts towards its quota."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    MEETING_WORKFLOW.check(locked, "record_attendance", by=by)
    existing = {a.person_id: a for a in locked.attendances.select_related("person")}
    errors: list[str] = []
    changed: list[Attendance] = []
    for row in rows:
        attendance = existing.get(row.person_id)
        if attendance is None:
            continue
        attendance.status = row.status
        # Kept as typed; the minutes print a reason only for 请假, a name only for 委托出席.
        attendance.reason = row.reason.strip()
        attendance.represented_by = row.represented_by.strip()
        try:
            attendance.full_clean()
        except ValidationError as error:
            errors += [f"{attendance.person.name}：{m}" for m in error.messages]
        changed.append(attendance)
    if errors:
        raise ValidationError(errors)
    for attendance in changed:
        attendance._history_user = by  # type: ignore[attr-defined]
        attendance.save(update_fields=["status", "reason", "represented_by"])
    recorded = any(a.status != Attendance.Status.PENDING for a in existing.values())
    if recorded and not locked.held:
        locked.held = True
        _save(locked, by, ["held", "updated_at"])
        quota_meet(meeting=locked, by=by)
    meeting.refresh_from_db()
    return locked


def quota_meet(*, meeting: Meeting, by: User | None = None) -> None:
    """A held plenary meets its year's quota, a held office meeting its semester's."""
    if meeting.kind == Kind.PLENARY:
        deadline_meet(
            rule=deadline_rules.PLENARY_MEETING_QUOTA, period=str(meeting.date.year), by=by
        )
    elif meeting.kind == Kind.OFFICE:
        deadline_meet(
            rule=deadline_rules.OFFICE_MEETING_QUOTA,
            period=periods.semester_of(meeting.date).key,
            by=by,
        )


# Agenda -----------------------------------------------------------------------------------


def _lock_agenda(meeting_id: int, name: str, by: User) -> Meeting:
    """Lock the minutes (whose state guards the agenda) and then the meeting (whose
    agenda is renumbered), in the order `minutes_write` and `minutes_submit` lock, and
    check the step against `MINUTES_WORKFLOW`."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(meeting_id=meeting_id)
    )
    MINUTES_WORKFLOW.check(minutes, name, by=by)
    return Meeting.objects.select_for_update().get(pk=meeting_id)


@transaction.atomic
def agenda_item_create(
    *, meeting: Meeting, by: User, title: str = "", presenter: str = "", topic: Topic | None = None
) -> AgendaItem:
    """Append an item to the agenda; from a topic, the topic's title unless given."""
    locked = _lock_agenda(meeting.pk, "agenda_add", by)
    if topic is not None:
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        TOPIC_WORKFLOW.check(topic, "schedule", by=by)
        title = title.strip() or topic.title
    last = locked.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        meeting=locked,
        position=last + 1,
        title=title.strip(),
        presenter=presenter.strip(),
        topic=topic,
    )
    _save(item, by)
    return item


def topic_schedule(*, topic: Topic, meeting: Meeting, by: User) -> AgendaItem:
    """An accepted topic goes to the end of the meeting's agenda."""
    return agenda_item_create(meeting=meeting, by=by, topic=topic)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, offset: int) -> None:
    """Swap the item with its neighbour up (-1) or down (+1)."""
    _lock_agenda(item.meeting_id, "agenda_move", by)
    if not AgendaItem.objects.filter(pk=item.pk).exists():
        raise Refused(_("该议程已被删除。"))
    ordering.move(AgendaItem.objects.filter(meeting_id=item.meeting_id), item, offset, by=by)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    _lock_agenda(item.meeting_id, "agenda_delete", by)
    if not AgendaItem.objects.filter(pk=item.pk).exists():
        raise Refused(_("该议程已被删除。"))
    if item.follow_ups.exists():
        raise Refused(_("该议程已有督办事项，不能删除。"))
    meeting_id = item.meeting_id
    item.delete()
    ordering.renumber(
        list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position")), by=by
    )


@storing_files()
def material_attach(*, meeting: Meeting, by: User, file: UploadedFile) -> Material:
    """A material, checked by the field's validator before anything is stored."""
    _require_office(by)
    name = PurePosixPath(file.name or "").name
    material = Material(
        meeting=meeting, file=file, name=name[:200], size=file.size or 0, uploaded_by=by
    )
    material.full_clean()
    material.save()
    return material


# Topics ------------------------------------------------------------------------------------


@transaction.atomic
def topic_propose(
    *, by: User, title: str, description: str = "", unit: Unit | None = None
) -> Topic:
    """A unit proposes a topic; the unit is the proposer's own unless the office names one."""
    person = getattr(by, "person", None)
    if unit is None or not is_office(by):
        if person is None:
            raise ValidationError(_("您的账号未关联人员和单位，无法提出议题。"))
        unit = person.unit
    topic = Topic(title=title.strip(), description=description.strip(), unit=unit, proposed_by=by)
    _save(topic, by)
    return topic


@transaction.atomic
def topic_decide(*, topic: Topic, by: User, status: str, reason: str) -> Topic:
    """The office accepts, defers or declines a topic, with a reason (required unless
    accepted). A scheduled topic is not decided again (`TOPIC_WORKFLOW`)."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    TOPIC_WORKFLOW.check(locked, "decide", by=by)
    if status not in {Topic.Status.ACCEPTED, Topic.Status.DEFERRED, Topic.Status.DECLINED}:
        raise ValidationError({"status": _("请选择研究意见：采纳、暂缓或不予采纳。")})
    if status != Topic.Status.ACCEPTED and not reason.strip():
        raise ValidationError({"reason": _("暂缓或不予采纳请说明理由。")})
    locked.status = status
    locked.reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    _save(locked, by, ["status", "reason", "decided_by", "decided_at"])
    topic.refresh_from_db()
    return locked


# Minutes -----------------------------------------------------------------------------------


@transaction.atomic
def minutes_write(
    *, meeting: Meeting, by: User, opening: str, items: dict[int, tuple[str, str]]
) -> Minutes:
    """Write the minutes: the opening, and per agenda item (id → (discussion, decision)).
    Only while the minutes have not gone to review, or came back returned."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(meeting=meeting)
    )
    MINUTES_WORKFLOW.check(minutes, "write", by=by)
    minutes.opening = opening.strip()
    _save(minutes, by, ["opening"])
    for item in AgendaItem.objects.filter(meeting=meeting, pk__in=list(items)):
        item.discussion, item.decision = (text.strip() for text in items[item.pk])
        _save(item, by, ["discussion", "decision"])
    return minutes


def minutes_title(meeting: Meeting) -> str:
    return meeting.title if meeting.title.endswith("纪要") else f"{meeting.title}纪要"


def minutes_body(meeting: Meeting) -> str:
    """The plain text of the minutes for the documents workflow (a blank line between
    paragraphs; “一、” opens a heading)."""
    start = timezone.localtime(meeting.starts_at)
    opening = _("%(date)s，%(kind)s在%(place)s召开。") % {
        "date": f"{start.year}年{start.month}月{start.day}日",
        "kind": meeting.get_kind_display(),
        "place": meeting.place,
    }
    if meeting.chair is not None:
        opening += _("会议由%(chair)s主持。") % {"chair": meeting.chair.name}
    lines = [opening]
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.opening:
        lines.append(minutes.opening)
    numerals = "一二三四五六七八九十"
    for index, item in enumerate(meeting.agenda_items.order_by("position")):
        head = numerals[index] if index < len(numerals) else str(index + 1)
        lines.append(f"{head}、{item.title}")
        if item.discussion:
            lines.append(item.discussion)
        if item.decision:
            lines.append(_("会议决定：%(decision)s") % {"decision": item.decision})
    return "\n\n".join(lines)


def minutes_compose(document: Document) -> tuple[str, str]:
    """The minutes document's (title, body) from its meeting as it stands: the documents
    workflow takes the text from here on every submission, so what the leader signs is
    what the meeting page shows, and the text is changed there, never on the document."""
    meeting = Minutes.objects.select_related("meeting").get(document=document).meeting
    return minutes_title(meeting), minutes_body(meeting)


def minutes_attendance(document: Document) -> list[tuple[str, str]]:
    """The 出席/请假/列席 lines of the 纪要 form, from the meeting's attendance."""
    minutes = Minutes.objects.filter(document=document).select_related("meeting").first()
    if minutes is None:
        return []
    rows = list(minutes.meeting.attendances.select_related("person"))
    Status = Attendance.Status
    present = [a.person.name for a in rows if a.status == Status.PRESENT]
    present += [
        _("%(name)s（委托%(by)s）") % {"name": a.person.name, "by": a.represented_by}
        for a in rows
        if a.status == Status.REPRESENTED
    ]
    absent = [f"{a.person.name}（{a.reason}）" for a in rows if a.status == Status.ABSENT]
    observers = [a.person.name for a in rows if a.status == Status.OBSERVER]
    lines = [(_("出席"), "、".join(present))]
    if absent:
        lines.append((_("请假"), "、".join(absent)))
    if observers:
        lines.append((_("列席"), "、".join(observers)))
    return lines


@transaction.atomic
def minutes_submit(*, meeting: Meeting, by: User) -> Document:
    """报审: compose the minutes into a `minutes` document (or refresh a returned one)
    and send it to the signer. The meeting must be held and every item decided."""
    _require_office(by)
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if not meeting.held:
        raise ValidationError(_("请先登记出席情况，再报审纪要。"))
    items = list(meeting.agenda_items.all())
    if not items:
        raise ValidationError(_("会议没有议程，无法形成纪要。"))
    undecided = [item.title for item in items if not item.decision.strip()]
    if undecided:
        raise ValidationError(
            _("以下议程尚未填写会议决定：%(items)s。") % {"items": "；".join(undecided)}
        )
    document = minutes.document
    if document is not None and document.state not in Document.EDITABLE_STATES:
        raise ValidationError(_("纪要已报审。"))
    return documents.document_backed_submit(  # the text via minutes_compose
        record=minutes,
        kind=DOCUMENT_KIND,
        by=by,
        title=minutes_title(meeting),
        body=minutes_body(meeting),
        cc=_("领导小组成员"),
        recipient_people=[a.person for a in meeting.attendances.select_related("person")],
    )


def minutes_issued(minutes: Minutes, document: Document, at: dt.datetime) -> None:
    """The kind's ``issued`` (`document_backed_issued` has linked the minutes to the
    document): issued minutes meet the meeting's minutes deadline."""
    deadline_meet(
        rule=deadline_rules.MINUTES, subject=minutes.meeting, by=document.issued_by, now=at
    )


# Follow-up items -------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *, agenda_item: AgendaItem, by: User, task: str, owner_unit: Unit, due: dt.date
) -> FollowUpItem:
    """The office assigns an item; the date it gives opens the item's ``action_item``
    deadline, which is the item's one due date from then on."""
    _require_office(by)
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    if not agenda_item.decision.strip():
        raise ValidationError(_("请先填写该议程的会议决定，再分解督办事项。"))
    item = FollowUpItem(agenda_item=agenda_item, task=task.strip(), owner_unit=owner_unit)
    _save(item, by)
    item.deadline = deadline_open(
        rule=deadline_rules.ACTION_ITEM,
        subject=item,
        due=due,
        title=item.task[:80],
        responsible_unit=owner_unit,
    )
    _save(item, by, ["deadline"])
    return item


@transaction.atomic
def follow_up_update(*, item: FollowUpItem, by: User, text: str, status: str) -> FollowUpUpdate:
    """The owner unit (or the office) reports progress; the item takes the new status."""
    locked = FollowUpItem.objects.select_for_update().get(pk=item.pk)
    FOLLOW_UP_WORKFLOW.check(locked, "report", by=by)
    update = FollowUpUpdate(item=locked, author=by, text=text.strip(), status=status)
    _save(update)
    locked.status = status
    _save(locked, by, ["status"])
    if status == FollowUpItem.Status.REPORTED:
        # The owner unit has done its part by the deadline; closing is the office's check.
        deadline_meet(rule=deadline_rules.ACTION_ITEM, subject=locked, by=by)
    item.refresh_from_db()
    return update


@transaction.atomic
def follow_up_close(*, item: FollowUpItem, by: User, note: str) -> FollowUpItem:
    """The office closes (办结) an item; a second click is told it is closed."""
    locked = FollowUpItem.objects.select_for_update().get(pk=item.pk)
    fields = FOLLOW_UP_WORKFLOW.apply(locked, "close", by=by)
    locked.closing_note = note.strip()
    locked.closed_by = by
    locked.closed_at = timezone.now()
    _save(locked, by, [*fields, "closing_note", "closed_by", "closed_at"])
    deadline_meet(rule=deadline_rules.ACTION_ITEM, subject=locked, by=by)
    item.refresh_from_db()
    return locked

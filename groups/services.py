"""Writes of the leading group's roster and of the work points.

Each service takes keyword arguments, validates with `full_clean()` and runs in one
transaction. Seats are started and ended, never overwritten.

Login roles follow the roster by one rule (docs/architecture.md, "groups"): while a
person holds a seat, the login linked to them is in the matching role group (组长/副组长 →
`leader`; 成员, 办公室主任/成员 → `member`; 统战委员 → `commissioner`); when their last
seat of that kind ends, the login leaves the group. `office` and `User.leadership` are
never touched by the roster.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import seats
from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Office,
    OfficeMember,
    ProgressReport,
    Seat,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
)
from groups.rules import WORK_POINTS as WORK_POINTS_RULE
from groups.seats import ROSTER_ROLES, SEAT_KINDS, SEAT_ROLES
from portal.deadlines.services import deadline_meet
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib import ordering
from portal.models import Person, Role, Unit, User
from portal.permissions import unit_ids_under

logger = logging.getLogger(__name__)

Category = seats.Category  # the seat kinds (groups/seats.py); forms and views name it here


# Login roles ------------------------------------------------------------------------------


def roster_roles_on(person_ids: Iterable[int], day: dt.date) -> dict[int, set[str]]:
    """The login roles each person's seats give on `day`."""
    ids = set(person_ids)
    roles: dict[int, set[str]] = {pk: set() for pk in ids}
    for person_id, role in (
        GroupMembership.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", "role")
    ):
        roles[person_id].add(SEAT_ROLES[role])
    for person_id in (
        OfficeMember.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", flat=True)
    ):
        roles[person_id].add(Role.MEMBER)
    for person_id in (
        BranchCommissioner.objects.active_on(day)
        .filter(person_id__in=ids)
        .values_list("person_id", flat=True)
    ):
        roles[person_id].add(Role.COMMISSIONER)
    return roles


@transaction.atomic
def login_roles_sync(*, person_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Put the logins of these people in the role groups their seats give today and take
    them out of the roster's groups they no longer hold a seat for. Returns the number of
    group memberships added or removed."""
    today = today or timezone.localdate()
    wanted = roster_roles_on(_ever_seated(person_ids), today)
    groups = {group.name: group for group in Group.objects.filter(name__in=ROSTER_ROLES)}
    changes = 0
    users = User.objects.filter(person_id__in=wanted).prefetch_related("groups")
    for user in users:
        assert user.person_id is not None
        have = {group.name for group in user.groups.all()} & ROSTER_ROLES
        want = wanted[user.person_id]
        for name in sorted(want - have):
            user.groups.add(groups[name])
            logger.info("roster: %s joins %s", user.username, name)
        for name in sorted(have - want):
            user.groups.remove(groups[name])
            logger.info("roster: %s leaves %s", user.username, name)
        changes += len(want ^ have)
    return changes


def _ever_seated(person_ids: Iterable[int]) -> set[int]:
    """Those of these people who hold or have held a seat: the roster owns the three
    roles of people on it, and leaves everyone else's roles to the admin."""
    ids = set(person_ids)
    seated: set[int] = set()
    for model in (GroupMembership, OfficeMember, BranchCommissioner):
        seated |= set(model.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    return seated


def _sync_after_commit(*people: Person | int) -> None:
    ids = [p if isinstance(p, int) else p.pk for p in people]
    transaction.on_commit(lambda: login_roles_sync(person_ids=ids))


def persons_with_seat_changes(today: dt.date, days: int = 7) -> set[int]:
    """People whose seat began, or ended, within the last `days` days (today included):
    the daily job re-syncs them, so a seat entered in advance takes effect on its day."""
    since = today - dt.timedelta(days=days - 1)
    began = Q(start_date__range=(since, today))
    ended = Q(end_date__range=(since - dt.timedelta(days=1), today - dt.timedelta(days=1)))
    ids: set[int] = set()
    for model in (GroupMembership, OfficeMember, BranchCommissioner):
        ids |= set(model.objects.filter(began | ended).values_list("person_id", flat=True))
    return ids


# Terms ------------------------------------------------------------------------------------


@transaction.atomic
def leading_group_start_term(
    *,
    term_start: dt.date,
    office_unit: Unit | None = None,
    basis: str = "",
    term_end: dt.date | None = None,
    carry_over: bool = False,
) -> LeadingGroup:
    """Start a new term (换届). The term in force the day before ends then, and so does
    every seat of it still open; with `carry_over`, those seats start again in the new
    term (the office then changes only what changed). The office stays where it was
    unless `office_unit` says otherwise."""
    day_before = term_start - dt.timedelta(days=1)
    previous = (
        LeadingGroup.objects.select_for_update()
        .filter(term_start__lte=day_before)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=term_start))
        .first()
    )
    carried: list[Seat] = []
    touched: set[int] = set()
    if previous is not None:
        for seat in _open_seats_of(previous, day_before):
            carried.append(seat)
            seat.end_date = day_before
            seat.save(update_fields=["end_date"])
            touched.add(seat.person_id)
        previous.term_end = day_before
        previous.save(update_fields=["term_end"])
    if office_unit is None:
        last = Office.objects.select_related("unit").order_by("-group__term_start").first()
        if last is None:
            raise ValidationError({"office_unit": _("请选择领导小组办公室所在单位。")})
        office_unit = last.unit
    group = LeadingGroup(term_start=term_start, term_end=term_end, basis=basis)
    group.full_clean()
    group.save()
    office = Office(group=group, unit=office_unit)
    office.full_clean()
    office.save()
    if carry_over:
        for seat in carried:
            copy = _copy_seat(seat, group=group, office=office, start=term_start, end=term_end)
            copy.full_clean()
            copy.save()
    _sync_after_commit(*touched)
    return group


def _open_seats_of(group: LeadingGroup, day: dt.date) -> list[Seat]:
    """The group's seats held on `day` or starting later (all end by `day`)."""
    open_after = Q(end_date__isnull=True) | Q(end_date__gt=day)
    memberships = GroupMembership.objects.filter(open_after, group=group).select_related("person")
    office_seats = OfficeMember.objects.filter(open_after, office__group=group).select_related(
        "person"
    )
    seats: list[Seat] = [*memberships, *office_seats]
    started_later = [seat for seat in seats if seat.start_date > day]
    if started_later:
        raise ValidationError(
            _("%(name)s 的任职从 %(start)s 开始，晚于新一届开始日期，请先处理。")
            % {"name": started_later[0].person.name, "start": started_later[0].start_date}
        )
    return seats


def _copy_seat(
    seat: Seat, *, group: LeadingGroup, office: Office, start: dt.date, end: dt.date | None
) -> Seat:
    common: dict[str, Any] = {
        "person_id": seat.person_id,
        "post": seat.post,
        "start_date": start,
        "end_date": end,
        "note": seat.note,
    }
    if isinstance(seat, GroupMembership):
        return GroupMembership(group=group, role=seat.role, unit_id=seat.unit_id, **common)
    assert isinstance(seat, OfficeMember)
    return OfficeMember(office=office, role=seat.role, unit_id=seat.unit_id, **common)


# Seats -------------------------------------------------------------------------------------


def _group_for(start_date: dt.date) -> LeadingGroup:
    group = (
        LeadingGroup.objects.select_for_update()
        .filter(term_start__lte=start_date)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=start_date))
        .first()
    )
    if group is None:
        raise ValidationError(
            {"start_date": _("%(day)s 不在任何一届领导小组的任期内。") % {"day": start_date}}
        )
    return group


@transaction.atomic
def group_membership_start(
    *,
    person: Person,
    role: str,
    unit: Unit,
    post: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
) -> GroupMembership:
    """A person joins the group as 组长, 副组长 or 成员 in the term covering `start_date`."""
    group = _group_for(start_date)  # locked: concurrent appointments queue here
    if not post:
        raise ValidationError({"post": _("请填写据以任职的职务，如：党委书记、宣传部部长。")})
    membership = GroupMembership(
        group=group,
        person=person,
        role=role,
        unit=unit,
        post=post,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    return _save_seat(membership)


@transaction.atomic
def office_member_start(
    *,
    person: Person,
    role: str,
    unit: Unit,
    post: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
) -> OfficeMember:
    """A person takes the office's directorship or their department's seat in it."""
    group = _group_for(start_date)
    office = Office.objects.select_related("unit", "group").get(group=group)
    if not post:
        raise ValidationError({"post": _("请填写据以任职的职务，如：统战部部长、副处长。")})
    seat = OfficeMember(
        office=office,
        person=person,
        role=role,
        unit=unit,
        post=post,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    return _save_seat(seat)


@transaction.atomic
def branch_commissioner_appoint(
    *,
    branch: Unit,
    person: Person,
    start_date: dt.date,
    end_date: dt.date | None = None,
    post: str = "",
    note: str = "",
) -> BranchCommissioner:
    """Appoint a general branch's 统战委员. The person must belong to the branch (or a
    unit under it): their login's scope is their own unit."""
    Unit.objects.select_for_update().filter(pk=branch.pk).first()  # queue rival appointments
    if person.unit_id not in unit_ids_under(branch.pk):
        raise ValidationError(
            {
                "person": _("%(name)s 不在%(branch)s（或其下属单位），不能任该党总支的统战委员。")
                % {"name": person.name, "branch": branch.name}
            }
        )
    seat = BranchCommissioner(
        branch=branch,
        person=person,
        post=post or str(_("统战委员")),
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    return _save_seat(seat)


SeatT = TypeVar("SeatT", GroupMembership, OfficeMember, BranchCommissioner)


def _save_seat(seat: SeatT) -> SeatT:
    """Validate and save a new seat; the holder's login roles follow after commit."""
    seat.full_clean()
    seat.save()
    _sync_after_commit(seat.person_id)
    return seat


def seat_start(
    *,
    category: str,
    person: Person,
    unit: Unit,
    post: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
) -> Seat:
    """Start any kind of seat, by the category the forms and the spreadsheet use."""
    kind = SEAT_KINDS.get(category)
    if kind is None:
        raise ValidationError({"category": _("无效的类别。")})
    dates: dict[str, Any] = {"start_date": start_date, "end_date": end_date, "note": note}
    if kind.model is BranchCommissioner:
        return branch_commissioner_appoint(branch=unit, person=person, post=post, **dates)
    start = group_membership_start if kind.model is GroupMembership else office_member_start
    return start(person=person, role=kind.role, unit=unit, post=post, **dates)


@transaction.atomic
def seat_end(*, seat: Seat, end_date: dt.date) -> Seat:
    """End a seat on `end_date` (its last day). A seat already ended stays as it is:
    a wrong end date is corrected in the admin, where the change is recorded."""
    locked = type(seat).objects.select_for_update().get(pk=seat.pk)  # type: ignore[attr-defined]
    if locked.end_date is not None:
        raise ValidationError(
            {"end_date": _("该任职已于 %(day)s 结束。") % {"day": locked.end_date}}
        )
    locked.end_date = end_date
    locked.full_clean()
    locked.save(update_fields=["end_date"])
    _sync_after_commit(locked.person_id)
    return locked  # type: ignore[no-any-return]


# Work points -------------------------------------------------------------------------------


def _check_editable(plan: WorkPoints) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("%(title)s 当前状态为“%(state)s”，不能再修改。")
            % {"title": plan.title, "state": plan.get_state_display()}
        )


def _plan_title(year: int) -> str:
    return _("%(year)d年统战工作要点") % {"year": year}


@transaction.atomic
def work_points_create(*, year: int, title: str = "", preamble: str = "") -> WorkPoints:
    plan = WorkPoints(year=year, title=title or _plan_title(year), preamble=preamble)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def work_points_update(*, plan: WorkPoints, title: str, preamble: str) -> WorkPoints:
    _check_editable(plan)
    plan.title = title
    plan.preamble = preamble
    plan.full_clean()
    plan.save(update_fields=["title", "preamble"])
    return plan


# Numbers are small integers (PostgreSQL smallint, at most 32767): a new or moved item
# waits at TEMP_NUMBER, and renumbering lifts the others by 10000 first.
TEMP_NUMBER = 20000
NUMBER_LIFT = 10000


def _renumber(plan: WorkPoints) -> None:
    """Number the items 1, 2, … in section order, then their order within the section.
    Two steps, so the unique (plan, number) constraint never sees a clash midway."""
    items = WorkPointsItem.objects.filter(plan=plan).order_by("section__position", "number", "pk")
    ordering.renumber(list(items), field="number", lift=NUMBER_LIFT)


def _locked_plan(plan: WorkPoints) -> WorkPoints:
    locked = WorkPoints.objects.select_for_update().get(pk=plan.pk)
    _check_editable(locked)
    return locked


@transaction.atomic
def work_points_section_create(*, plan: WorkPoints, title: str) -> WorkPointsSection:
    plan = _locked_plan(plan)
    last = plan.sections.aggregate(last=Max("position"))["last"] or 0
    section = WorkPointsSection(plan=plan, position=last + 1, title=title)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def work_points_section_update(*, section: WorkPointsSection, title: str) -> WorkPointsSection:
    _locked_plan(section.plan)
    section.title = title
    section.full_clean()
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def work_points_section_move(*, section: WorkPointsSection, offset: int) -> None:
    """Move a section up (-1) or down (+1); its items' numbers follow."""
    plan = _locked_plan(section.plan)
    if ordering.move(plan.sections.all(), section, offset):
        _renumber(plan)


@transaction.atomic
def work_points_section_delete(*, section: WorkPointsSection) -> None:
    plan = _locked_plan(section.plan)
    if section.items.exists():
        raise ValidationError(_("这一部分还有事项，请先删除或移走其中的事项。"))
    section.delete()
    ordering.renumber(list(plan.sections.order_by("position")))


@transaction.atomic
def work_points_item_create(
    *,
    section: WorkPointsSection,
    title: str,
    body: str,
    lead_unit: Unit,
    co_units: Iterable[Unit] = (),
) -> WorkPointsItem:
    """Add an item at the end of its section; later items move down one number."""
    plan = _locked_plan(section.plan)
    item = WorkPointsItem(
        plan=plan, section=section, number=TEMP_NUMBER, title=title, body=body, lead_unit=lead_unit
    )
    item.full_clean(exclude=["number"])
    item.save()
    item.co_units.set([unit for unit in co_units if unit.pk != lead_unit.pk])
    _renumber(plan)
    item.refresh_from_db(fields=["number"])
    return item


@transaction.atomic
def work_points_item_update(
    *,
    item: WorkPointsItem,
    section: WorkPointsSection,
    title: str,
    body: str,
    lead_unit: Unit,
    co_units: Iterable[Unit],
) -> WorkPointsItem:
    """Change an item; moved to another section, it goes to that section's end."""
    plan = _locked_plan(item.plan)
    moved = section.pk != item.section_id
    item.section = section
    item.title = title
    item.body = body
    item.lead_unit = lead_unit
    if moved:
        item.number = TEMP_NUMBER
    item.full_clean()
    item.save(update_fields=["section", "title", "body", "lead_unit", "number"])
    item.co_units.set([unit for unit in co_units if unit.pk != lead_unit.pk])
    if moved:
        _renumber(plan)
        item.refresh_from_db(fields=["number"])
    return item


@transaction.atomic
def work_points_item_move(*, item: WorkPointsItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) within its section."""
    plan = _locked_plan(item.plan)
    siblings = WorkPointsItem.objects.filter(section_id=item.section_id)
    if ordering.move(siblings, item, offset, field="number", lift=NUMBER_LIFT):
        _renumber(plan)


@transaction.atomic
def work_points_item_delete(*, item: WorkPointsItem) -> None:
    plan = _locked_plan(item.plan)
    if item.reports.exists():
        raise ValidationError(_("这项工作已有进展报告，不能删除。"))
    item.delete()
    _renumber(plan)


@transaction.atomic
def progress_report_create(
    *,
    item: WorkPointsItem,
    unit: Unit,
    author: User | None,
    text: str,
    percent: int,
    evidence: UploadedFile | None = None,
) -> ProgressReport:
    """A responsible unit reports on an item. The evidence is checked by the field's
    validator (size, kind, content; `portal.uploads`) and stored through Django's storage
    under a random name; the original name is kept for the download."""
    report = ProgressReport(item=item, unit=unit, author=author, text=text, percent=percent)
    if evidence is not None:
        report.evidence = evidence
        report.evidence_name = (evidence.name or "")[-200:]
        report.evidence_size = evidence.size
    report.full_clean()
    if evidence is None:
        report.save()
        return report
    report.evidence.save(evidence.name or "evidence", evidence, save=False)
    try:
        report.save()
    except Exception:
        # No row will point at the file: remove it rather than leave an orphan.
        report.evidence.storage.delete(report.evidence.name)
        raise
    return report


# The text handed to the documents workflow ------------------------------------------------


@dataclass(frozen=True)
class TextSection:
    heading: str  # 一、以政治建设为统领……
    items: list[str]  # 1. 持续强化政治引领。……（责任部门：党委统战部）


@dataclass(frozen=True)
class WorkPointsText:
    """What the documents workflow makes the issued document of: a title, the opening
    paragraph and the numbered sections, in the wording of the official text."""

    title: str
    preamble: str
    sections: list[TextSection] = field(default_factory=list)
    # Work points are an important document: the group leader signs (组长签发).
    signer: str = User.Leadership.GROUP_LEADER

    @property
    def body(self) -> str:
        """The whole text below the title in the documents workflow's plain-text form:
        paragraphs separated by a blank line, the sections' “一、” headings among them."""
        lines = [self.preamble] if self.preamble else []
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.items)
        return "\n\n".join(lines)


def item_paragraph(item: WorkPointsItem) -> str:
    title = item.title.rstrip("。．.")
    return _("%(number)d.%(title)s。%(body)s（责任部门：%(units)s）") % {
        "number": item.number,
        "title": title,
        "body": item.body.strip(),
        "units": item.units_line,
    }


def work_points_text(*, plan: WorkPoints) -> WorkPointsText:
    """The plan as text for the documents workflow (three queries)."""
    sections = list(plan.sections.order_by("position"))
    items = list(
        plan.items.select_related("lead_unit").prefetch_related("co_units").order_by("number")
    )
    by_section: dict[int, list[str]] = {section.pk: [] for section in sections}
    for item in items:
        by_section[item.section_id].append(item_paragraph(item))
    return WorkPointsText(
        title=plan.title,
        preamble=plan.preamble.strip(),
        sections=[TextSection(s.heading, by_section[s.pk]) for s in sections],
    )


# Issuing through the documents workflow ----------------------------------------------------

WORK_POINTS_KIND = "work_points"
ADDRESSEE = "各党总支，各部门"


def work_points_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for kind ``work_points``: the title and body of
    the plan the document is about, as the plan stands now."""
    plan = document.about
    if not isinstance(plan, WorkPoints):
        raise DocumentError(_("这份公文没有对应的工作要点。"))
    text = work_points_text(plan=plan)
    return text.title, text.body


def _responsible_units(plan: WorkPoints) -> list[Unit]:
    lead = Q(led_work_points__plan=plan)
    shared = Q(shared_work_points__plan=plan)
    return list(Unit.objects.filter(lead | shared).distinct().order_by("sort_order", "name"))


@transaction.atomic
def work_points_submit(*, plan: WorkPoints, by: User) -> Document:
    """提交审核: the office hands the plan to the documents workflow. The first time, a
    document of kind ``work_points`` about the plan is drafted (distributed to every
    responsible unit); after a return, the same document goes again. Its text is the
    plan's at this moment, and the plan is read-only until the document is returned.
    The plan's row is locked first, so a double click submits once."""
    locked = WorkPoints.objects.select_for_update().get(pk=plan.pk)
    document = locked.document
    if not locked.is_editable:
        assert document is not None
        raise ValidationError(
            _("%(title)s 已于 %(when)s 提交审核，当前状态为“%(state)s”。")
            % {
                "title": locked.title,
                "when": timezone.localtime(document.submitted_at).strftime("%Y-%m-%d %H:%M")
                if document.submitted_at
                else "",
                "state": document.get_state_display(),
            }
        )
    if not locked.items.exists():
        raise ValidationError(_("工作要点还没有事项，不能提交审核。"))
    text = work_points_text(plan=locked)
    document = document_backed_submit(
        record=locked,
        kind=WORK_POINTS_KIND,
        by=by,
        title=text.title,
        body=text.body,
        addressee=ADDRESSEE,
        recipient_units=_responsible_units(locked),
    )
    plan.document = document
    return document


def work_points_issued(plan: WorkPoints, document: Document, at: dt.datetime) -> None:
    """The kind's ``issued`` (`document_backed_issued` has linked the plan to the
    document): the year's work-points deadline (due 31 March) is met when issued."""
    deadline_meet(rule=WORK_POINTS_RULE, period=str(plan.year), by=document.issued_by, now=at)

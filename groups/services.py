"""Writes of the leading group's roster and of the work points.

Each write service takes keyword arguments and the acting user as keyword-only `by`,
checks that user's permission (`groups.permissions`; `Forbidden` if they may never take
the step), validates with `full_clean()`, records `by` in the history and runs in one
transaction; it raises only `ValidationError`s (`Refused`/`Forbidden` among them). Seats
are started and ended, never overwritten. Reads (the roster's roles, the plan's text)
live in `groups.selectors`.

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
from groups.permissions import can_edit_work_points, can_manage_roster, can_report_progress
from groups.rules import WORK_POINTS as WORK_POINTS_RULE
from groups.seats import ROSTER_ROLES, SEAT_KINDS
from groups.selectors import roster_roles_on, work_points_text
from portal.deadlines.services import deadline_meet
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib import ordering
from portal.lib.errors import Forbidden, Refused
from portal.lib.repeats import repeat_since
from portal.models import Person, Unit, User
from portal.permissions import unit_ids_under
from portal.uploads import storing_files

logger = logging.getLogger(__name__)

Category = seats.Category  # the seat kinds (groups/seats.py); forms and views name it here


def _require_roster_manager(by: User) -> None:
    if not can_manage_roster(by):
        raise Forbidden(_("只有办公室工作人员可以管理领导小组名册。"))


def _require_work_points_editor(by: User) -> None:
    if not can_edit_work_points(by):
        raise Forbidden(_("只有办公室工作人员可以编辑工作要点。"))


def _stamp(obj: Any, by: User) -> None:
    """Name `by` as the author of the history row the next save or delete writes."""
    obj._history_user = by  # simple-history's hook


# Login roles ------------------------------------------------------------------------------


@transaction.atomic
def login_roles_sync(*, person_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Put the logins of these people in the role groups their seats give today and take
    them out of the roster's groups they no longer hold a seat for. Returns the number of
    group memberships added or removed. A system step with no acting user (after a seat's
    commit, and the daily job): whoever changed the seats was checked there."""
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


# Terms ------------------------------------------------------------------------------------


@transaction.atomic
def leading_group_start_term(
    *,
    term_start: dt.date,
    office_unit: Unit | None = None,
    basis: str = "",
    term_end: dt.date | None = None,
    carry_over: bool = False,
    by: User,
) -> LeadingGroup:
    """Start a new term (换届). The term in force the day before ends then, and so does
    every seat of it still open; with `carry_over`, those seats start again in the new
    term (the office then changes only what changed). The office stays where it was
    unless `office_unit` says otherwise. The office only."""
    _require_roster_manager(by)
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
            _stamp(seat, by)
            seat.save(update_fields=["end_date"])
            touched.add(seat.person_id)
        previous.term_end = day_before
        _stamp(previous, by)
        previous.save(update_fields=["term_end"])
    if office_unit is None:
        last = Office.objects.select_related("unit").order_by("-group__term_start").first()
        if last is None:
            raise ValidationError({"office_unit": _("请选择领导小组办公室所在单位。")})
        office_unit = last.unit
    group = LeadingGroup(term_start=term_start, term_end=term_end, basis=basis)
    group.full_clean()
    _stamp(group, by)
    group.save()
    office = Office(group=group, unit=office_unit)
    office.full_clean()
    _stamp(office, by)
    office.save()
    if carry_over:
        for seat in carried:
            copy = _copy_seat(seat, group=group, office=office, start=term_start, end=term_end)
            copy.full_clean()
            _stamp(copy, by)
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
    by: User,
) -> GroupMembership:
    """A person joins the group as 组长, 副组长 or 成员 in the term covering `start_date`.
    The office only."""
    _require_roster_manager(by)
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
    return _save_seat(membership, by)


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
    by: User,
) -> OfficeMember:
    """A person takes the office's directorship or their department's seat in it. The
    office only."""
    _require_roster_manager(by)
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
    return _save_seat(seat, by)


@transaction.atomic
def branch_commissioner_appoint(
    *,
    branch: Unit,
    person: Person,
    start_date: dt.date,
    end_date: dt.date | None = None,
    post: str = "",
    note: str = "",
    by: User,
) -> BranchCommissioner:
    """Appoint a general branch's 统战委员. The person must belong to the branch (or a
    unit under it): their login's scope is their own unit. The office only."""
    _require_roster_manager(by)
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
    return _save_seat(seat, by)


SeatT = TypeVar("SeatT", GroupMembership, OfficeMember, BranchCommissioner)


def _save_seat(seat: SeatT, by: User) -> SeatT:
    """Validate and save a new seat; the holder's login roles follow after commit."""
    seat.full_clean()
    _stamp(seat, by)
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
    by: User,
) -> Seat:
    """Start any kind of seat, by the category the forms and the spreadsheet use. The
    office only."""
    _require_roster_manager(by)
    kind = SEAT_KINDS.get(category)
    if kind is None:
        raise ValidationError({"category": _("无效的类别。")})
    dates: dict[str, Any] = {
        "start_date": start_date,
        "end_date": end_date,
        "note": note,
        "by": by,
    }
    if kind.model is BranchCommissioner:
        return branch_commissioner_appoint(branch=unit, person=person, post=post, **dates)
    start = group_membership_start if kind.model is GroupMembership else office_member_start
    return start(person=person, role=kind.role, unit=unit, post=post, **dates)


@transaction.atomic
def seat_end(*, seat: Seat, end_date: dt.date, by: User) -> Seat:
    """End a seat on `end_date` (its last day). A seat already ended stays as it is:
    a wrong end date is corrected in the admin, where the change is recorded. The office
    only."""
    _require_roster_manager(by)
    locked = type(seat).objects.select_for_update().get(pk=seat.pk)  # type: ignore[attr-defined]
    if locked.end_date is not None:
        raise ValidationError(
            {"end_date": _("该任职已于 %(day)s 结束。") % {"day": locked.end_date}}
        )
    locked.end_date = end_date
    locked.full_clean()
    _stamp(locked, by)
    locked.save(update_fields=["end_date"])
    _sync_after_commit(locked.person_id)
    return locked  # type: ignore[no-any-return]


# Work points -------------------------------------------------------------------------------


def _check_editable(plan: WorkPoints) -> None:
    if not plan.is_editable:
        raise Refused(
            _("%(title)s 当前状态为“%(state)s”，不能再修改。")
            % {"title": plan.title, "state": plan.get_state_display()}
        )


def _plan_title(year: int) -> str:
    return _("%(year)d年统战工作要点") % {"year": year}


@transaction.atomic
def work_points_create(*, year: int, title: str = "", preamble: str = "", by: User) -> WorkPoints:
    """Start the year's plan. The office only."""
    _require_work_points_editor(by)
    plan = WorkPoints(year=year, title=title or _plan_title(year), preamble=preamble)
    plan.full_clean()
    _stamp(plan, by)
    plan.save()
    return plan


@transaction.atomic
def work_points_update(*, plan: WorkPoints, title: str, preamble: str, by: User) -> WorkPoints:
    """Change the plan's title and opening paragraph while it is a draft. The office only."""
    _require_work_points_editor(by)
    _check_editable(plan)
    plan.title = title
    plan.preamble = preamble
    plan.full_clean()
    _stamp(plan, by)
    plan.save(update_fields=["title", "preamble"])
    return plan


# Numbers are small integers (PostgreSQL smallint, at most 32767): a new or moved item
# waits at TEMP_NUMBER, and renumbering lifts the others by 10000 first.
TEMP_NUMBER = 20000
NUMBER_LIFT = 10000


def _renumber(plan: WorkPoints, by: User) -> None:
    """Number the items 1, 2, … in section order, then their order within the section.
    Two steps, so the unique (plan, number) constraint never sees a clash midway."""
    items = WorkPointsItem.objects.filter(plan=plan).order_by("section__position", "number", "pk")
    ordering.renumber(list(items), field="number", lift=NUMBER_LIFT, by=by)


def _locked_plan(plan: WorkPoints, by: User) -> WorkPoints:
    """The plan, locked, after checking that `by` may edit it and that it is a draft."""
    _require_work_points_editor(by)
    locked = WorkPoints.objects.select_for_update().get(pk=plan.pk)
    _check_editable(locked)
    return locked


@transaction.atomic
def work_points_section_create(*, plan: WorkPoints, title: str, by: User) -> WorkPointsSection:
    plan = _locked_plan(plan, by)
    last = plan.sections.aggregate(last=Max("position"))["last"] or 0
    section = WorkPointsSection(plan=plan, position=last + 1, title=title)
    section.full_clean()
    _stamp(section, by)
    section.save()
    return section


@transaction.atomic
def work_points_section_update(
    *, section: WorkPointsSection, title: str, by: User
) -> WorkPointsSection:
    _locked_plan(section.plan, by)
    section.title = title
    section.full_clean()
    _stamp(section, by)
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def work_points_section_move(*, section: WorkPointsSection, offset: int, by: User) -> None:
    """Move a section up (-1) or down (+1); its items' numbers follow."""
    plan = _locked_plan(section.plan, by)
    if ordering.move(plan.sections.all(), section, offset, by=by):
        _renumber(plan, by)


@transaction.atomic
def work_points_section_delete(*, section: WorkPointsSection, by: User) -> None:
    plan = _locked_plan(section.plan, by)
    if section.items.exists():
        raise Refused(_("这一部分还有事项，请先删除或移走其中的事项。"))
    _stamp(section, by)
    section.delete()
    ordering.renumber(list(plan.sections.order_by("position")), by=by)


@transaction.atomic
def work_points_item_create(
    *,
    section: WorkPointsSection,
    title: str,
    body: str,
    lead_unit: Unit,
    co_units: Iterable[Unit] = (),
    by: User,
) -> WorkPointsItem:
    """Add an item at the end of its section; later items move down one number."""
    plan = _locked_plan(section.plan, by)
    item = WorkPointsItem(
        plan=plan, section=section, number=TEMP_NUMBER, title=title, body=body, lead_unit=lead_unit
    )
    item.full_clean(exclude=["number"])
    _stamp(item, by)
    item.save()
    item.co_units.set([unit for unit in co_units if unit.pk != lead_unit.pk])
    _renumber(plan, by)
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
    by: User,
) -> WorkPointsItem:
    """Change an item; moved to another section, it goes to that section's end."""
    plan = _locked_plan(item.plan, by)
    moved = section.pk != item.section_id
    item.section = section
    item.title = title
    item.body = body
    item.lead_unit = lead_unit
    if moved:
        item.number = TEMP_NUMBER
    item.full_clean()
    _stamp(item, by)
    item.save(update_fields=["section", "title", "body", "lead_unit", "number"])
    item.co_units.set([unit for unit in co_units if unit.pk != lead_unit.pk])
    if moved:
        _renumber(plan, by)
        item.refresh_from_db(fields=["number"])
    return item


@transaction.atomic
def work_points_item_move(*, item: WorkPointsItem, offset: int, by: User) -> None:
    """Move an item up (-1) or down (+1) within its section."""
    plan = _locked_plan(item.plan, by)
    siblings = WorkPointsItem.objects.filter(section_id=item.section_id)
    if ordering.move(siblings, item, offset, field="number", lift=NUMBER_LIFT, by=by):
        _renumber(plan, by)


@transaction.atomic
def work_points_item_delete(*, item: WorkPointsItem, by: User) -> None:
    plan = _locked_plan(item.plan, by)
    if item.reports.exists():
        raise Refused(_("这项工作已有进展报告，不能删除。"))
    _stamp(item, by)
    item.delete()
    _renumber(plan, by)


REPORT_TEXT_MAX = 5000


@storing_files()
def progress_report_create(
    *,
    item: WorkPointsItem,
    unit: Unit,
    text: str,
    percent: int,
    evidence: UploadedFile | None = None,
    by: User,
) -> ProgressReport:
    """A responsible unit reports on an item; `by` is its author, the office or a user of
    that unit (`groups.permissions.can_report_progress`). The evidence is checked by the
    field's validator (size, kind, content; `portal.uploads`) and stored through Django's
    storage under a random name; the original name is kept for the download."""
    if not can_report_progress(by, item, unit):
        raise Forbidden(
            _("你不能为%(unit)s报告第%(n)d项工作的进展。") % {"unit": unit.name, "n": item.number}
        )
    if len(text) > REPORT_TEXT_MAX:
        raise ValidationError(
            {"text": _("进展情况最多%(n)d字，请精简后再提交。") % {"n": REPORT_TEXT_MAX}}
        )
    # The same report posted again at once (a double click, three tabs) is one report:
    # the item's row lock makes the posts take turns, the second finds the first.
    WorkPointsItem.objects.select_for_update().filter(pk=item.pk).first()
    recent = repeat_since()
    same = ProgressReport.objects.filter(
        item=item, unit=unit, author=by, text=text, percent=percent, reported_at__gte=recent
    )
    if evidence is None:
        same = same.filter(evidence="")
    else:
        same = same.filter(evidence_name=(evidence.name or "")[-200:], evidence_size=evidence.size)
    repeated = same.first()
    if repeated is not None:
        return repeated
    report = ProgressReport(item=item, unit=unit, author=by, text=text, percent=percent)
    _stamp(report, by)
    if evidence is not None:
        report.evidence = evidence
        report.evidence_name = (evidence.name or "")[-200:]
        report.evidence_size = evidence.size
    report.full_clean()
    if evidence is None:
        report.save()
        return report
    report.evidence.save(evidence.name or "evidence", evidence, save=False)
    report.save()  # if this fails, `storing_files` removes the file stored above
    return report


# Issuing through the documents workflow ----------------------------------------------------

WORK_POINTS_KIND = "work_points"
ADDRESSEE = "各党总支，各部门"


def work_points_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for kind ``work_points``: the title and body of
    the plan the document is about, as the plan stands now. A hook the workflow calls,
    with no acting user of its own."""
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
    The plan's row is locked first, so a double click submits once. The office only."""
    _require_work_points_editor(by)
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
    document): the year's work-points deadline (due 31 March) is met when issued. A hook
    the workflow calls; the acting user is the document's issuer."""
    deadline_meet(rule=WORK_POINTS_RULE, period=str(plan.year), by=document.issued_by, now=at)

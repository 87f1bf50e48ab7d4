"""Excel imports: the roster and a plan's item list.

Both follow the same path: the upload is read into rows (`portal.spreadsheets.read_rows`),
the rows are parked in the database (`ParkedImport`, under a one-time token) between the
preview and the confirmation, and one function applies them inside a transaction. The
preview runs that same function and rolls back (`dry_run=True`), so what the preview shows
is exactly what the confirmation saves; any row error rolls everything back: all or
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups import services
from groups.models import (
    Seat,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
)
from groups.permissions import can_edit_work_points, can_manage_roster
from groups.seats import SEAT_KINDS, Category
from portal.imports import UnitIndex as UnitIndex  # (tests reach it here too)
from portal.lib.errors import Forbidden
from portal.models import Person, Unit, User
from portal.permissions import unit_ids_under
from portal.spreadsheets import SheetRow, parse_date, row_error

# Roster ------------------------------------------------------------------------------------

ROSTER_HEADERS = ("类别", "单位", "姓名", "职务", "开始日期", "结束日期", "备注")
ROSTER_REQUIRED = ("类别", "单位", "姓名", "开始日期")
ROSTER_WIDTHS = (12, 26, 12, 24, 13, 13, 24)

# Which spreadsheet column a model field's error belongs to.
FIELD_COLUMNS = {
    "start_date": "开始日期",
    "end_date": "结束日期",
    "unit": "单位",
    "branch": "单位",
    "person": "姓名",
    "post": "职务",
    "role": "类别",
    "category": "类别",
    "note": "备注",
}


@dataclass(frozen=True)
class RosterChange:
    line: int
    action: str  # add / end / same
    category: str
    unit: str
    person: str
    post: str
    start: dt.date
    end: dt.date | None

    @property
    def action_label(self) -> str:
        return {"add": _("新增"), "end": _("结束任职"), "same": _("不变")}[self.action]


@dataclass
class RosterImportResult:
    changes: list[RosterChange] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [message for _line, message in sorted(self.errors, key=lambda e: e[0])]

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def added(self) -> int:
        return self.count("add")

    @property
    def ended(self) -> int:
        return self.count("end")

    @property
    def unchanged(self) -> int:
        return self.count("same")


@dataclass
class _Resolved:
    row: SheetRow
    category: str
    unit: Unit
    person: Person
    post: str
    start: dt.date
    end: dt.date | None
    note: str


def _category_from_label(text: str) -> str:
    labels = {label: value for value, label in Category.choices()}
    if not text:
        raise ValueError(_("不能为空。"))
    if text not in labels:
        raise ValueError(
            _("“%(value)s”不是有效的类别，应为：%(labels)s。")
            % {"value": text, "labels": "、".join(labels)}
        )
    return labels[text]


def _find_person(name: str, people: dict[str, list[Person]], below: set[int]) -> Person:
    if not name:
        raise ValueError(_("不能为空。"))
    candidates = people.get(name, [])
    if not candidates:
        raise ValueError(_("找不到人员“%(name)s”，请先在“人员”中登记。") % {"name": name})
    if len(candidates) == 1:
        return candidates[0]
    in_unit = [person for person in candidates if person.unit_id in below]
    if len(in_unit) == 1:
        return in_unit[0]
    raise ValueError(
        _("有%(n)d名“%(name)s”，按所填单位无法确定是哪一位。")
        % {"n": len(candidates), "name": name}
    )


def _date_cell(text: str, *, required: bool) -> dt.date | None:
    if not text:
        if required:
            raise ValueError(_("不能为空。"))
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise ValueError(
            _("“%(value)s”不是有效日期，应写成 2026-03-01 这样的日期。") % {"value": text}
        ) from None


def _resolve_roster_rows(rows: list[SheetRow], result: RosterImportResult) -> list[_Resolved]:
    units = UnitIndex()
    names = {row.cells.get("姓名", "") for row in rows}
    people: dict[str, list[Person]] = defaultdict(list)
    for candidate in Person.objects.filter(name__in=names).order_by("pk"):
        people[candidate.name].append(candidate)
    parents = {unit.pk: unit.parent_id for unit in units.units}

    resolved: list[_Resolved] = []
    for row in rows:
        cells = row.cells
        errors_before = len(result.errors)

        def fail(column: str, message: str, row: SheetRow = row) -> None:
            result.errors.append((row.line, row_error(row.line, column, message)))

        category: str | None = None
        unit: Unit | None = None
        person: Person | None = None
        start: dt.date | None = None
        end: dt.date | None = None
        try:
            category = _category_from_label(cells.get("类别", ""))
        except ValueError as error:
            fail("类别", str(error))
        try:
            if not cells.get("单位"):
                raise ValueError(_("不能为空。"))
            unit = units.find(cells["单位"])
        except ValueError as error:
            fail("单位", str(error))
        if unit is not None:
            try:
                person = _find_person(
                    cells.get("姓名", ""), people, unit_ids_under(unit.pk, parents)
                )
            except ValueError as error:
                fail("姓名", str(error))
        if category and category != Category.COMMISSIONER and not cells.get("职务"):
            fail("职务", _("不能为空：请填写据以任职的职务，如“党委书记”“宣传部部长”。"))
        try:
            start = _date_cell(cells.get("开始日期", ""), required=True)
        except ValueError as error:
            fail("开始日期", str(error))
        try:
            end = _date_cell(cells.get("结束日期", ""), required=False)
        except ValueError as error:
            fail("结束日期", str(error))
        if start and end and end < start:
            fail("结束日期", _("结束日期不能早于开始日期。"))
        if len(result.errors) > errors_before:
            continue
        assert category and unit and person and start
        resolved.append(
            _Resolved(
                row,
                category,
                unit,
                person,
                cells.get("职务", ""),
                start,
                end,
                cells.get("备注", ""),
            )
        )
    return _without_duplicates(resolved, result)


def _without_duplicates(resolved: list[_Resolved], result: RosterImportResult) -> list[_Resolved]:
    """Report the same person twice in the same category with overlapping dates, and
    leave the later row out (its error says it all)."""
    seen: dict[tuple[str, int], list[_Resolved]] = defaultdict(list)
    kept: list[_Resolved] = []
    for entry in resolved:
        key = (entry.category, entry.person.pk)
        for earlier in seen[key]:
            if entry.start <= (earlier.end or dt.date.max) and earlier.start <= (
                entry.end or dt.date.max
            ):
                result.errors.append(
                    (
                        entry.row.line,
                        row_error(
                            entry.row.line,
                            "姓名",
                            _("与第%(other)d行重复：%(name)s 同为%(category)s，任期重叠。")
                            % {
                                "other": earlier.row.line,
                                "name": entry.person.name,
                                "category": Category.label(entry.category),
                            },
                        ),
                    )
                )
                break
        else:
            kept.append(entry)
        seen[key].append(entry)
    return kept


def _existing_seat(entry: _Resolved) -> Seat | None:
    """The seat a row describes, if it is already on the roster (same category, unit,
    person and start date)."""
    kind = SEAT_KINDS[entry.category]
    seats = kind.find(unit=entry.unit, person=entry.person, start_date=entry.start)
    seat: Seat | None = seats.first()
    return seat


def _add_validation_errors(result: RosterImportResult, line: int, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                result.errors.append((line, row_error(line, FIELD_COLUMNS.get(name), message)))
    else:
        for message in error.messages:
            result.errors.append((line, row_error(line, None, message)))


def roster_import(*, rows: list[SheetRow], dry_run: bool, by: User) -> RosterImportResult:
    """Apply roster rows: a row that matches a seat on the roster sets its end date (or
    changes nothing); any other row starts a new seat. Seats not in the file are left as
    they are. Rows that end seats are applied first, so a file may end one holder and
    start the next in any order. Nothing is saved if any row fails, or on a dry run.
    The rows are applied as `by` (the importing user, the office): the seat services
    check them and record them in the history."""
    if not can_manage_roster(by):
        raise Forbidden(_("只有办公室工作人员可以导入领导小组名册。"))
    result = RosterImportResult()
    with transaction.atomic():
        resolved = _resolve_roster_rows(rows, result)
        pending: list[tuple[_Resolved, Seat | None]] = [
            (entry, _existing_seat(entry)) for entry in resolved
        ]
        pending.sort(key=lambda pair: pair[1] is None)  # endings first
        for entry, seat in pending:
            line = entry.row.line
            action = "add"
            try:
                if seat is not None:
                    action = _apply_to_existing(seat, entry, by)
                else:
                    services.seat_start(
                        category=entry.category,
                        person=entry.person,
                        unit=entry.unit,
                        post=entry.post,
                        start_date=entry.start,
                        end_date=entry.end,
                        note=entry.note,
                        by=by,
                    )
            except ValidationError as error:
                _add_validation_errors(result, line, error)
                continue
            result.changes.append(
                RosterChange(
                    line=line,
                    action=action,
                    category=Category.label(entry.category),
                    unit=entry.unit.name,
                    person=entry.person.name,
                    post=entry.post,
                    start=entry.start,
                    end=entry.end,
                )
            )
        result.changes.sort(key=lambda change: change.line)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result


def _apply_to_existing(seat: Seat, entry: _Resolved, by: User) -> str:
    if seat.end_date == entry.end:
        return "same"
    if seat.end_date is None and entry.end is not None:
        services.seat_end(seat=seat, end_date=entry.end, by=by)
        return "end"
    raise ValidationError(
        {
            "end_date": _(
                "该任职已登记结束日期 %(old)s，导入不能更改或取消"
                "（如确有错误，请在后台管理中更正）。"
            )
            % {"old": seat.end_date or _("（无）")}
        }
    )


# Work points items --------------------------------------------------------------------------

ITEM_HEADERS = ("部分", "事项", "内容", "牵头部门", "配合部门")
ITEM_REQUIRED = ("部分", "事项", "内容", "牵头部门")
ITEM_WIDTHS = (40, 22, 70, 18, 30)
_NUMERAL_PREFIX = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")
_UNIT_SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass(frozen=True)
class PreviewItem:
    line: int
    number: int
    title: str
    units: str


@dataclass
class PreviewSection:
    heading: str
    items: list[PreviewItem] = field(default_factory=list)


@dataclass
class ItemsImportResult:
    sections: list[PreviewSection] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    replaced_sections: int = 0
    replaced_items: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [message for _line, message in sorted(self.errors, key=lambda e: e[0])]

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)


def section_title(text: str) -> str:
    """“一、以政治建设为统领……” → “以政治建设为统领……” (the numeral is the position's)."""
    return _NUMERAL_PREFIX.sub("", text).strip()


def items_import(
    *, plan: WorkPoints, rows: list[SheetRow], dry_run: bool, by: User
) -> ItemsImportResult:
    """Replace a draft plan's sections and items with the spreadsheet's. Sections come in
    the order they first appear; items are numbered 1, 2, … across them. The office only;
    `by` is recorded in the history of every section and item written."""
    if not can_edit_work_points(by):
        raise Forbidden(_("只有办公室工作人员可以编辑工作要点。"))
    result = ItemsImportResult()
    with transaction.atomic():
        plan = WorkPoints.objects.select_for_update().get(pk=plan.pk)
        try:
            services._check_editable(plan)
        except ValidationError as error:
            result.errors.append((0, error.messages[0]))
            return result
        if WorkPointsItem.objects.filter(plan=plan, reports__isnull=False).exists():
            result.errors.append((0, _("这份工作要点已有进展报告，不能整体替换事项；请逐项修改。")))
            return result
        parsed = _parse_item_rows(rows, result)
        result.replaced_sections = plan.sections.count()
        result.replaced_items = plan.items.count()
        if not result.errors:
            _replace_items(plan, parsed, result, by)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result


@dataclass
class _ItemRow:
    line: int
    section: str
    title: str
    body: str
    lead: Unit
    co: list[Unit]


def _parse_item_rows(rows: list[SheetRow], result: ItemsImportResult) -> list[_ItemRow]:
    units = UnitIndex()
    parsed: list[_ItemRow] = []
    titles: dict[str, int] = {}
    if not rows:
        result.errors.append((0, _("表格中没有事项。")))
    for row in rows:
        cells = row.cells
        errors_before = len(result.errors)

        def fail(column: str, message: str, row: SheetRow = row) -> None:
            result.errors.append((row.line, row_error(row.line, column, message)))

        for column in ("部分", "事项", "内容"):
            if not cells.get(column):
                fail(column, _("不能为空。"))
        if cells.get("部分") and not section_title(cells["部分"]):
            fail("部分", _("只有序号，没有标题。"))
        title = cells.get("事项", "").strip().rstrip("。")
        if len(title) > 100:
            fail("事项", _("太长（最多100字），详细内容请写在“内容”列。"))
        if title in titles:
            fail("事项", _("与第%(other)d行重复。") % {"other": titles[title]})
        elif title:
            titles[title] = row.line
        lead = None
        lead_text = cells.get("牵头部门", "")
        if not lead_text:
            fail("牵头部门", _("不能为空。"))
        elif units.collective(lead_text) is not None:
            fail("牵头部门", _("牵头部门只能填一个单位；“各二级学院”等请填在“配合部门”列。"))
        else:
            try:
                lead = units.find(lead_text)
            except ValueError as error:
                fail("牵头部门", str(error))
        co: list[Unit] = []
        for name in _UNIT_SEPARATORS.split(cells.get("配合部门", "")):
            if not name:
                continue
            group = units.collective(name)
            if group is not None:
                co.extend(group)
                continue
            try:
                co.append(units.find(name))
            except ValueError as error:
                fail("配合部门", str(error))
        if len(result.errors) > errors_before:
            continue
        assert lead is not None
        unique_co = list({unit.pk: unit for unit in co if unit.pk != lead.pk}.values())
        parsed.append(
            _ItemRow(row.line, section_title(cells["部分"]), title, cells["内容"], lead, unique_co)
        )
    return parsed


def _replace_items(
    plan: WorkPoints, rows: list[_ItemRow], result: ItemsImportResult, by: User
) -> None:
    plan.items.all().delete()
    plan.sections.all().delete()
    grouped: dict[str, list[_ItemRow]] = {}
    for row in rows:
        grouped.setdefault(row.section, []).append(row)
    number = 0
    for position, (title, entries) in enumerate(grouped.items(), start=1):
        section = WorkPointsSection(plan=plan, position=position, title=title)
        try:
            section.full_clean()
        except ValidationError as error:
            _add_errors(result, entries[0].line, error, {"title": "部分"})
            continue
        section._history_user = by  # type: ignore[attr-defined]  # simple-history's hook
        section.save()
        preview = PreviewSection(section.heading)
        for entry in entries:
            number += 1
            item = WorkPointsItem(
                plan=plan,
                section=section,
                number=number,
                title=entry.title,
                body=entry.body,
                lead_unit=entry.lead,
            )
            try:
                item.full_clean()
            except ValidationError as error:
                _add_errors(result, entry.line, error, {"title": "事项", "body": "内容"})
                continue
            item._history_user = by  # type: ignore[attr-defined]
            item.save()
            item.co_units.set(entry.co)
            units = "、".join(unit.name for unit in [entry.lead, *entry.co])
            preview.items.append(PreviewItem(entry.line, number, entry.title, units))
        result.sections.append(preview)


def _add_errors(
    result: ItemsImportResult, line: int, error: ValidationError, columns: dict[str, str]
) -> None:
    for name, messages in error.message_dict.items():
        for message in messages:
            result.errors.append((line, row_error(line, columns.get(name), message)))

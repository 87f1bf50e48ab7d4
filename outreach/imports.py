"""The register's Excel import (党外人士名册): one row per figure, naming a person
already in 人员 (by name, and unit when two share a name), with the register's
non-sensitive fields. A row for someone not yet on the register adds them; a row for
someone on it updates what differs; nothing else changes. The sensitive fields
(affiliation, overseas history, opinions) are not imported: they are entered on the
figure's page, where each change is kept.

As every import (`portal.imports`): the preview runs the same function with
`dry_run=True` inside a transaction it rolls back; any row error rolls everything back,
and each error names its row and column."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Figure
from outreach.services import figures as services
from portal.imports import UnitIndex
from portal.lib.errors import Forbidden
from portal.models import CPC_STATUSES, Person, User
from portal.permissions import is_office, unit_ids_under
from portal.spreadsheets import SheetRow, parse_date, row_error

KIND = "figures"
HEADERS = ("姓名", "单位", "类别", "党外代表人士", "重点联系对象", "专业特长", "登记日期")
REQUIRED = ("姓名", "单位", "类别")
WIDTHS = (12, 26, 18, 14, 14, 24, 13)
YES, NO = "是", "否"
FIELD_COLUMNS = {
    "category": "类别",
    "is_representative": "党外代表人士",
    "is_key_contact": "重点联系对象",
    "expertise": "专业特长",
    "registered_on": "登记日期",
    "person": "姓名",
}


@dataclass(frozen=True)
class Change:
    line: int
    action: str  # add / update / same
    name: str
    unit: str
    category: str
    changed: tuple[str, ...] = ()

    @property
    def action_label(self) -> str:
        return {"add": _("登记"), "update": _("更新"), "same": _("不变")}[self.action]


@dataclass
class Result:
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [message for _line, message in sorted(self.errors, key=lambda e: e[0])]

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


class _Rollback(Exception):
    pass


def _flag(text: str) -> bool:
    if text in ("", NO):
        return False
    if text == YES:
        return True
    raise ValueError(_("应填“是”或“否”（或留空）。"))


def figures_import(*, rows: list[SheetRow], dry_run: bool, by: User) -> Result:
    """Apply the rows, all or nothing; with `dry_run` roll back whatever happened."""
    if not is_office(by):
        raise Forbidden(_("只有办公室可以导入党外人士名册。"))
    result = Result()
    try:
        with transaction.atomic():
            _apply(rows, result, by)
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _apply(rows: list[SheetRow], result: Result, by: User) -> None:
    units = UnitIndex()
    parents = {unit.pk: unit.parent_id for unit in units.units}
    names = {row.cells.get("姓名", "") for row in rows}
    people: dict[str, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(name__in=names).select_related("figure").order_by("pk"):
        people[person.name].append(person)
    labels = {str(label): value for value, label in Figure.Category.choices}
    seen: dict[int, int] = {}
    today = timezone.localdate()
    for row in rows:
        cells = row.cells

        def fail(column: str | None, message: str, line: int = row.line) -> None:
            result.errors.append((line, row_error(line, column, message)))

        name, unit_text = cells.get("姓名", ""), cells.get("单位", "")
        try:
            unit = units.find(unit_text)
        except ValueError as error:
            fail("单位", str(error))
            continue
        below = unit_ids_under(unit.pk, parents)
        candidates = [p for p in people.get(name, []) if p.unit_id in below]
        if not candidates:
            fail(
                "姓名",
                _("“%(unit)s”中没有人员“%(name)s”，请先在“人员”中登记。")
                % {"unit": unit.name, "name": name},
            )
            continue
        if len(candidates) > 1:
            fail(
                "姓名",
                _("“%(unit)s”中有%(n)d名“%(name)s”，请在页面上逐一登记。")
                % {"unit": unit.name, "n": len(candidates), "name": name},
            )
            continue
        person = candidates[0]
        if person.pk in seen:
            fail("姓名", _("与第%(line)d行是同一人。") % {"line": seen[person.pk]})
            continue
        seen[person.pk] = row.line
        if person.political_status in CPC_STATUSES:
            fail("姓名", _("%(name)s 是中共党员，不能登记为党外人士。") % {"name": name})
            continue
        values: dict[str, object] = {}
        try:
            category = cells.get("类别", "")
            if category not in labels:
                raise ValueError(
                    _("“%(value)s”不是有效的类别，应为：%(labels)s。")
                    % {"value": category, "labels": "、".join(labels)}
                )
            values["category"] = labels[category]
        except ValueError as error:
            fail("类别", str(error))
            continue
        bad = False
        for column, attr in (
            ("党外代表人士", "is_representative"),
            ("重点联系对象", "is_key_contact"),
        ):
            try:
                values[attr] = _flag(cells.get(column, ""))
            except ValueError as error:
                fail(column, str(error))
                bad = True
        text = cells.get("登记日期", "")
        try:
            registered = parse_date(text) if text else None
        except ValueError:
            fail(
                "登记日期",
                _("“%(value)s”不是有效日期，应写成 2026-03-01 这样的日期。") % {"value": text},
            )
            bad = True
            registered = None
        if registered is not None and registered > today:
            fail("登记日期", _("登记日期不能晚于今天。"))
            bad = True
        if bad:
            continue
        values["expertise"] = cells.get("专业特长", "")
        figure = getattr(person, "figure", None)
        changed: tuple[str, ...] = ()
        try:
            if figure is None:
                services.figure_create(
                    person=person,
                    category=str(values["category"]),
                    registered_on=registered or today,
                    is_representative=bool(values["is_representative"]),
                    is_key_contact=bool(values["is_key_contact"]),
                    expertise=str(values["expertise"]),
                    by=by,
                )
                action = "add"
            else:
                if registered is not None:
                    values["registered_on"] = registered
                changed = tuple(
                    FIELD_COLUMNS[name]
                    for name, value in values.items()
                    if getattr(figure, name) != value
                )
                if changed:
                    services.figure_update(figure=figure, fields=values, by=by)
                action = "update" if changed else "same"
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                for message in messages:
                    fail(FIELD_COLUMNS.get(field_name), message)
            continue
        result.changes.append(Change(row.line, action, person.name, unit.name, category, changed))

"""Writes of the organisation and the working-day schedule. Each validates with
`full_clean()` and runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.forms import ScheduleLine
from portal.lib.errors import Forbidden
from portal.models import Person, SensitiveView, Unit, User, WorkdayException, WorkdayYear
from portal.permissions import can_edit_person, can_view_sensitive, is_office

# Sent after a year's official schedule changes, with `year`: whatever stored dates
# computed on the calendar (deadlines) recomputes them for that year.
workday_schedule_changed = Signal()


@transaction.atomic
def unit_save(*, unit: Unit, fields: dict[str, Any], by: User) -> Unit:
    """Create or change a unit: the office only."""
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以维护单位。"))
    unit._history_user = by  # type: ignore[attr-defined]
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    if unit.pk is None:
        unit.save()
    else:
        unit.save(update_fields=list(fields))
    return unit


@transaction.atomic
def person_save(*, person: Person, fields: dict[str, Any], by: User) -> Person:
    """Create or change a person: the office anyone, a branch commissioner only the
    people of their own unit (before and after the change)."""
    if person.pk is not None and not can_edit_person(by, person):
        raise Forbidden(_("您只能编辑本单位的人员。"))
    for name, value in fields.items():
        setattr(person, name, value)
    if not can_edit_person(by, person):
        raise Forbidden(_("您只能编辑本单位的人员。"))
    person._history_user = by  # type: ignore[attr-defined]
    person.full_clean()
    if person.pk is None:
        person.save()
    else:
        person.save(update_fields=list(fields))
    return person


def sensitive_view_record(
    *, people: Iterable[Person], fields: Iterable[str], page: str, by: User
) -> list[SensitiveView]:
    """Log that `by` opened the sensitive `fields` of `people` on `page`. The office's own
    reading and a person's reading of their own record are not logged; nor is anyone
    `by` may not see (nothing was shown). One row per person, written in one query."""
    if is_office(by):
        return []
    names = ", ".join(str(name) for name in fields)
    at = timezone.now()
    rows = [
        SensitiveView(viewer=by, person=person, fields=names[:300], page=page[:200], at=at)
        for person in people
        if person.pk != getattr(by, "person_id", None)
        and person.is_non_party
        and can_view_sensitive(by, person)
    ]
    return SensitiveView.objects.bulk_create(rows) if rows else []


@transaction.atomic
def workday_year_set(
    *, year: int, notice: str, days: Iterable[ScheduleLine], by: User
) -> WorkdayYear:
    """Replace a year's official schedule in one transaction: either the whole new
    schedule is in force, or the old one still is. The office only."""
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以录入节假日安排。"))
    schedule, created = WorkdayYear.objects.get_or_create(year=year, defaults={"notice": notice})
    if not created and schedule.notice != notice:
        schedule.notice = notice
        schedule._history_user = by  # type: ignore[attr-defined]
        schedule.full_clean()
        schedule.save(update_fields=["notice"])
    schedule.exceptions.all().delete()
    rows = [
        WorkdayException(schedule=schedule, date=d.date, is_workday=d.is_workday, name=d.name)
        for d in days
    ]
    for row in rows:
        row.full_clean(exclude=["schedule"])
    bulk_create_with_history(rows, WorkdayException, default_user=by)
    transaction.on_commit(lambda: workday_schedule_changed.send(sender=WorkdayYear, year=year))
    return schedule

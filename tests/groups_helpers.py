"""Builders shared by the groups tests: a term with its office, people in units, a plan
with sections and items, spreadsheets to upload. Everything goes through the services
the portal uses."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from groups import services
from groups.imports import ITEM_HEADERS, ROSTER_HEADERS
from groups.models import LeadingGroup, WorkPoints, WorkPointsItem
from portal.models import ParkedImport, Person, Unit, User
from portal.spreadsheets import build_xlsx
from tests.conftest import Org
from tests.factories import PersonFactory, UnitFactory

TERM_START = dt.date(2024, 3, 1)


def make_group(org: Org, start: dt.date = TERM_START) -> LeadingGroup:
    return services.leading_group_start_term(
        by=org.office, term_start=start, office_unit=org.ufw_dept
    )


def person(unit: Unit, name: str) -> Person:
    found: Person = PersonFactory(name=name, unit=unit)
    return found


def department(name: str, short: str = "") -> Unit:
    unit: Unit = UnitFactory(name=name, short_name=short, kind=Unit.Kind.DEPARTMENT)
    return unit


def roster_file(rows: Iterable[Sequence[object]], name: str = "名册.xlsx") -> SimpleUploadedFile:
    data = build_xlsx(title="名册", headers=ROSTER_HEADERS, rows=rows, widths=(10,) * 7)
    return SimpleUploadedFile(name, data)


def items_file(rows: Iterable[Sequence[object]], name: str = "事项.xlsx") -> SimpleUploadedFile:
    data = build_xlsx(title="工作要点", headers=ITEM_HEADERS, rows=rows, widths=(10,) * 5)
    return SimpleUploadedFile(name, data)


def read_xlsx(data: bytes) -> list[list[object]]:
    """The first sheet's rows as lists of cell values (Excel's dates as dates)."""
    workbook = load_workbook(io.BytesIO(data))
    return [
        [value.date() if isinstance(value, dt.datetime) else value for value in row]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]


def office_login() -> User:
    """The office persona of the `org` fixture (tests/conftest.py), for builders and
    helpers that are not handed the fixture: the services act as a user."""
    return User.objects.get(username="office")


def make_plan(
    year: int,
    sections: Sequence[tuple[str, Sequence[tuple[str, Unit, Sequence[Unit]]]]],
    *,
    by: User | None = None,
) -> WorkPoints:
    """A plan: sections of (title, [(item title, lead unit, co units)]), drafted by `by`
    (the office persona if not given)."""
    by = by or office_login()
    plan = services.work_points_create(by=by, year=year)
    for title, items in sections:
        section = services.work_points_section_create(by=by, plan=plan, title=title)
        for item_title, lead, co in items:
            services.work_points_item_create(
                by=by,
                section=section,
                title=item_title,
                body=f"{item_title}的内容。",
                lead_unit=lead,
                co_units=co,
            )
    return plan


def numbers(plan: WorkPoints) -> list[tuple[int, str, str]]:
    """(number, section numeral, title) of every item, in order."""
    return [
        (item.number, item.section.numeral, item.title)
        for item in WorkPointsItem.objects.filter(plan=plan)
        .select_related("section")
        .order_by("number")
    ]


def fingerprint() -> dict[str, str]:
    """Every row of every table (`tests.matrix.fingerprint`), except what a test's own
    login changes (a user's `last_login`) and the rows an upload parks for its preview."""
    from tests import matrix

    tables = matrix.fingerprint()
    del tables[ParkedImport._meta.db_table]
    tables[User._meta.db_table] = repr(
        list(User.objects.order_by("pk").values_list("pk", "username", "person", "is_active"))
    )
    return tables

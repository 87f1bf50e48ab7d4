"""The returned-overseas list (留学回国人员清单, 002 item 10): everyone of the college
with overseas study or work, from the people's records (`Person.overseas_study`) and the
register's structured overseas records, with what each one still lacks (country,
degree, years). The personnel office keeps it complete; the office reads it here.

Overseas history is sensitive: the list is the office's alone (the view checks), so
nothing here scopes or logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from outreach.models import OverseasRecord
from portal.models import Person


@dataclass
class OverseasRow:
    person: Person
    records: list[OverseasRecord] = field(default_factory=list)
    url: str = ""  # the figure's page if the person is on the register, else the person's

    @cached_property
    def missing(self) -> list[str]:
        """What the row lacks, in words: no structured record at all, or each record's
        empty required fields."""
        if not self.records:
            return [_("没有结构化的海外经历记录（国家、学位、年份）")]
        found: list[str] = []
        for record in self.records:
            for label in record.missing:
                if label not in found:
                    found.append(label)
        return found

    @property
    def complete(self) -> bool:
        return not self.missing


def overseas_people() -> QuerySet[Person]:
    """Everyone with overseas study or work on record, by unit and name, with their
    structured records prefetched (two queries for a page)."""
    has_record = OverseasRecord.objects.filter(figure__person=OuterRef("pk"))
    records = Prefetch(
        "figure__overseas", queryset=OverseasRecord.objects.order_by("start_year", "id")
    )
    return (
        Person.objects.filter(Q(overseas_study=True) | Exists(has_record))
        .select_related("unit", "figure")
        .prefetch_related(records)
        .order_by("unit__sort_order", "unit__name", "name")
    )


def incomplete_q() -> Q:
    """People whose list entry is incomplete: no structured record, or a record missing
    a required field."""
    incomplete = OverseasRecord.objects.filter(figure__person=OuterRef("pk")).filter(
        OverseasRecord.incomplete_q()
    )
    any_record = OverseasRecord.objects.filter(figure__person=OuterRef("pk"))
    return Q(Exists(incomplete)) | ~Q(Exists(any_record))


def rows_of(people: list[Person]) -> list[OverseasRow]:
    rows = []
    for person in people:
        figure = getattr(person, "figure", None)
        if figure is None:
            rows.append(OverseasRow(person, [], person.get_absolute_url()))
        else:
            rows.append(OverseasRow(person, list(figure.overseas.all()), figure.get_absolute_url()))
    return rows

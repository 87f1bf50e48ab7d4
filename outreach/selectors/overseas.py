"""The returned-overseas list (留学回国人员清单, 002 item 10): everyone of the college
with overseas study or work, from the people's records (`Person.overseas_study`) and the
register's structured overseas records, with what each one still lacks (country,
degree, years). The personnel office keeps it complete; the office reads it here.

Overseas history is sensitive: the list is the office's alone (the view checks), so
nothing here scopes or logs.

The rows are plain values (`OverseasRow`, `Record`), not model instances: a page of 50
people built a person, a unit, a figure and the records as instances (docs/performance.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outreach.models import OverseasRecord
from portal.models import Person, choice_label, field_labels
from portal.paths import detail_path

# What a list row reads of a person (`overseas_people().values_list(*PERSON_FIELDS)`).
PERSON_FIELDS = ("pk", "name", "unit__name", "overseas_detail", "figure__pk")
RECORD_FIELDS = (
    "figure_id",
    "kind",
    "country",
    "institution",
    "degree",
    "start_year",
    "end_year",
)


class Record(NamedTuple):
    """One structured overseas record, as the list and its export show it."""

    figure_id: int
    kind: str
    country: str
    institution: str
    degree: str
    start_year: int | None
    end_year: int | None

    @property
    def kind_label(self) -> str:
        return choice_label(OverseasRecord.Kind, self.kind)

    @property
    def degree_label(self) -> str:
        return choice_label(OverseasRecord.Degree, self.degree) if self.degree else ""

    @property
    def missing(self) -> list[str]:
        """The labels of the required fields left empty (as `OverseasRecord.missing`)."""
        labels = _required_labels(get_language())
        return [label for name, label in labels if getattr(self, name) in (None, "")]


@lru_cache
def _required_labels(language: str | None) -> tuple[tuple[str, str], ...]:
    """`OverseasRecord.REQUIRED` with their labels in `language` (the active one):
    translated once, not for each record of each page."""
    names = OverseasRecord.REQUIRED
    return tuple(zip(names, field_labels(OverseasRecord, names), strict=True))


@dataclass
class OverseasRow:
    pk: int  # the person's
    name: str
    unit_name: str
    detail: str  # the person's own record of it (`Person.overseas_detail`)
    records: list[Record] = field(default_factory=list)
    url: str = ""  # the figure's page if the person is on the register, else the person's

    @cached_property
    def missing(self) -> list[str]:
        """What the row lacks, in words: no structured record at all, or each record's
        empty required fields."""
        if not self.records:
            return [_no_record(get_language())]
        found: list[str] = []
        for record in self.records:
            for label in record.missing:
                if label not in found:
                    found.append(label)
        return found

    @property
    def complete(self) -> bool:
        return not self.missing


# Who has a structured record, and who has one missing a field: uncorrelated subqueries,
# which SQLite reads once per query (an `EXISTS` per person ran for each of everyone).
def _with_records(records: QuerySet[OverseasRecord]) -> Q:
    return Q(pk__in=records.order_by().values("figure__person_id"))


@lru_cache
def _no_record(language: str | None) -> str:
    return _("没有结构化的海外经历记录（国家、学位、年份）")


def overseas_people() -> QuerySet[Person]:
    """Everyone with overseas study or work on record, by unit and name."""
    return Person.objects.filter(
        Q(overseas_study=True) | _with_records(OverseasRecord.objects.all())
    ).order_by("unit__sort_order", "unit__name", "name")


def incomplete_q() -> Q:
    """People whose list entry is incomplete: no structured record, or a record missing
    a required field."""
    incomplete = OverseasRecord.objects.filter(OverseasRecord.incomplete_q())
    return _with_records(incomplete) | ~_with_records(OverseasRecord.objects.all())


def counts() -> dict[str, int]:
    """How many people the list has (`total`) and how many of them are incomplete
    (`incomplete`), in one scan instead of two COUNTs."""
    return overseas_people().aggregate(
        total=Count("pk"), incomplete=Count("pk", filter=incomplete_q())
    )


def person_rows(people: QuerySet[Person]) -> QuerySet[Any]:
    """`people` (from `overseas_people()`, filtered) as the tuples `rows_of` reads."""
    return people.values_list(*PERSON_FIELDS)


def rows_of(people: Iterable[tuple[Any, ...]]) -> list[OverseasRow]:
    """The rows of `people` (tuples of `person_rows`), with their records in one query."""
    people = list(people)
    figure_ids = [person[4] for person in people if person[4] is not None]
    records: dict[int, list[Record]] = defaultdict(list)
    if figure_ids:
        read = (
            OverseasRecord.objects.filter(figure_id__in=figure_ids)
            .order_by("start_year", "id")
            .values_list(*RECORD_FIELDS)
        )
        for values in read:
            record = Record(*values)
            records[record.figure_id].append(record)
    rows = []
    found: list[Record]
    for pk, name, unit_name, detail, figure_id in people:
        if figure_id is None:
            url, found = detail_path("person_detail", pk), []
        else:
            url, found = detail_path("figure_detail", figure_id), records[figure_id]
        rows.append(OverseasRow(pk, name, unit_name, detail, found, url))
    return rows

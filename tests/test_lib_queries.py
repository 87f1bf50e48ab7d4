"""`portal.lib.queries`: the shared query helpers, on real rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.lib.queries import grouped_by
from portal.models import Person, Unit
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    first, second, third = (UnitFactory(name=f"单位{n}") for n in (1, 2, 3))
    PersonFactory(unit=first, name="乙")
    PersonFactory(unit=first, name="甲")
    PersonFactory(unit=second, name="丙")
    PersonFactory(unit=third, name="丁")  # its unit is not among the records
    return first, second, third


def test_grouped_by_gives_each_records_related_values_in_the_related_order(units):
    first, second, third = units
    records = Unit.objects.filter(pk__in=[first.pk, second.pk])
    with CaptureQueriesContext(connection) as queries:
        names = grouped_by(records, Person.objects.order_by("-pk"), "unit_id", "name")
    assert names == {first.pk: ["甲", "乙"], second.pk: ["丙"]}
    assert third.pk not in names
    assert len(queries) == 1  # the records are a subquery, not a second query


def test_grouped_by_gives_tuples_for_several_fields_and_instances_for_none(units):
    first, second, _ = units
    records = Unit.objects.filter(pk=second.pk)
    assert grouped_by(records, Person.objects.all(), "unit_id", "name", "unit__name") == {
        second.pk: [("丙", "单位2")]
    }
    people = grouped_by(Unit.objects.filter(pk=first.pk), Person.objects.order_by("pk"), "unit_id")
    assert [type(p) for p in people[first.pk]] == [Person, Person]
    assert [p.name for p in people[first.pk]] == ["乙", "甲"]

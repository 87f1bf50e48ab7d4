"""portal.lib.history: a record's change history in words, newest first."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.lib import history
from portal.lib.history import history_entries, history_page
from portal.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def changed_unit(org) -> Unit:
    unit: Unit = UnitFactory(name="测试学院", kind=Unit.Kind.SCHOOL)
    unit.name = "机电学院"
    unit.kind = Unit.Kind.DEPARTMENT
    unit.parent = org.branch_a
    unit.is_active = False
    unit.save()
    unit.short_name = "机电"
    unit.save()
    return unit


def test_it_lists_each_change_in_words_newest_first(org):
    unit = changed_unit(org)
    entries = history_entries(unit, unit.history.all())
    assert [entry["record"].history_type for entry in entries] == ["~", "~", "+"]
    newest, middle, created = (entry["changes"] for entry in entries)
    assert newest == [("简称", "", "机电")]
    assert sorted(middle) == sorted(
        [
            ("名称", "测试学院", "机电学院"),
            ("类别", "二级学院", "职能部门"),  # a choice by its label
            ("上级单位", None, "机电工程学院党总支"),  # a related record by its name
            ("在用", "是", "否"),
        ]
    )
    assert created == []


def test_it_hides_the_fields_the_reader_may_not_see(org):
    unit = changed_unit(org)
    entries = history_entries(unit, unit.history.all(), hidden=("name",))
    assert ("名称", "***", "***") in entries[1]["changes"]
    assert all("机电学院" not in change for change in entries[1]["changes"])


def test_it_names_related_records_in_one_query_per_model(org, django_assert_num_queries):
    unit = changed_unit(org)
    records = unit.history.all()
    # 1: the history records; 2: the units the parent field pointed at
    with django_assert_num_queries(2):
        history_entries(unit, records)


def test_it_shows_at_most_the_newest_records(org, monkeypatch):
    monkeypatch.setattr(history, "LIMIT", 2)
    unit = changed_unit(org)
    assert len(history_entries(unit, unit.history.all())) == 2


def test_it_renders_the_history_page(org):
    unit = changed_unit(org)
    request = RequestFactory().get(f"/units/{unit.pk}/history/")
    request.user = org.office
    response = history_page(request, unit, unit.history.all())
    text = response.content.decode()
    assert response.status_code == 200
    assert "机电学院" in text
    assert "机电工程学院党总支" in text


def test_a_long_change_reason_is_shortened_to_its_column_not_refused(org):
    """What a user typed (a return reason of 150 characters) as a change reason failed
    the whole save on PostgreSQL, which checks the column's 100 characters."""
    unit = UnitFactory()
    unit.name = "改名"
    unit._change_reason = "退" * 150
    unit.save()
    latest = unit.history.first()
    assert latest.history_change_reason == "退" * 99 + "…"
    unit._change_reason = "短原因"
    unit.save()
    assert unit.history.first().history_change_reason == "短原因"

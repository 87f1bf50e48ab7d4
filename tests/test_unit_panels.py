"""portal.unit_panels: what the apps report open against a unit, most urgent first."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import unit_panels
from portal.unit_panels import OpenItem

pytestmark = pytest.mark.dateless

D = dt.date


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(unit_panels, "_providers", [])
    return unit_panels


def test_it_orders_overdue_then_due_soon_then_by_date_and_undated_last(providers):
    def first(user, unit, today):
        return [
            OpenItem("整改", "乙", "/b/", D(2026, 9, 1), "green"),
            OpenItem("整改", "无期限", "/n/"),
        ]

    def second(user, unit, today):
        return [
            OpenItem("约谈", "甲", "/a/", D(2026, 8, 1), "red"),
            OpenItem("约谈", "丙", "/c/", D(2026, 7, 1), "yellow"),
        ]

    providers.register(first)
    providers.register(second)
    providers.register(first)  # registered once
    titles = [i.title for i in providers.items_for(None, None, D(2026, 6, 15))]
    assert titles == ["甲", "丙", "乙", "无期限"]


def test_it_passes_the_user_unit_and_day_to_each_provider(providers):
    seen = []
    providers.register(lambda user, unit, today: seen.append((user, unit, today)) or [])
    assert providers.items_for("u", "x", D(2026, 6, 15)) == []
    assert seen == [("u", "x", D(2026, 6, 15))]

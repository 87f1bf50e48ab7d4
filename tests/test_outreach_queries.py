"""The outreach lists run a constant number of SQL queries whatever their row count:
each page is measured with one record and with many, and the counts must be equal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Figure, FriendshipPair
from outreach.services import pairs, suggestions
from portal.models import Person, PoliticalStatus
from tests.factories import PersonFactory
from tests.meetings_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PAGES = [
    ("pair_list", {}),
    ("contact_list", {}),
    ("talk_list", {}),
    ("coverage_board", {}),
    ("coverage_board", {"basis": "calendar"}),
    ("suggestion_list", {}),
]


def _add(org, leader: Person, n: int) -> None:
    for i in range(n):
        figure = Figure.objects.create(
            person=PersonFactory(
                name=f"对象{i}-{Figure.objects.count()}",
                unit=org.branch_a if i % 2 else org.branch_b,
                political_status=PoliticalStatus.NON_PARTY,
            ),
            category=Figure.Category.OTHER,
            registered_on=D(2025, 1, 1),
            is_key_contact=bool(i % 2),
        )
        pair = FriendshipPair.objects.create(leader=leader, figure=figure, start_date=D(2025, 3, 1))
        pairs.contact_record(
            leader=leader,
            figures=[figure],
            kind="visit",
            date=D(2026, 11, 1),
            summary=f"走访{i}-{Figure.objects.count()}",
            by=org.office,
        )
        talk = pairs.talk_save(
            talk=None,
            leader=leader,
            figures=[pair.figure],
            mode="daily",
            date=D(2026, 11, 1),
            summary=f"谈话{i}-{Figure.objects.count()}",
            by=org.office,
        )
        pairs.talk_send(talk=talk, by=org.office)
        s = suggestions.suggestion_record(
            title=f"建议{i}-{Figure.objects.count()}",
            content="内容",
            source="talk",
            raised_on=D(2026, 11, 1),
            figure=figure,
            talk=talk,
            by=org.office,
        )
        suggestions.suggestion_assign(suggestion=s, lead_unit=org.branch_a, by=org.office)


def _counts(org) -> dict[str, int]:
    client = Client()
    client.force_login(org.office)
    result = {}
    for name, query in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), query)
        assert response.status_code == 200, name
        result[f"{name}{query}"] = len(captured)
    return result


def test_the_outreach_lists_run_constant_queries(org):
    Person.objects.filter(pk=org.leader.person_id).update(political_status=PoliticalStatus.CPC)
    leader = Person.objects.get(pk=org.leader.person_id)
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        _add(org, leader, 1)
        one = _counts(org)
        _add(org, leader, 6)
        many = _counts(org)
    assert many == one

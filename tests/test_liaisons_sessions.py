"""Training sessions and meetings for the liaison officers (001 ch. 3): the office
records one and every liaison in office that day is invited; it records who attended
and why the others did not; each liaison's page lists their record."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaisons import services
from liaisons.models import Liaison, LiaisonAttendance, LiaisonSession
from portal.models import PoliticalStatus, Unit
from tests.conftest import Org, client_for
from tests.deadline_helpers import at
from tests.factories import PersonFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
HELD_ON = D(2026, 11, 20)


def appoint(org: Org, name: str, start: dt.date, end: dt.date | None = None) -> Liaison:
    unit = UnitFactory(name=f"{name}学院", kind=Unit.Kind.SCHOOL)
    person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.NON_PARTY)
    liaison = services.liaison_appoint(unit=unit, person=person, start_date=start, by=org.office)
    if end is not None:
        services.liaison_end(liaison=liaison, end_date=end, reason="换届", by=org.office)
    return liaison


def record(org: Org, held_on=HELD_ON, by=None, title="联络员业务培训") -> LiaisonSession:
    return services.session_record(
        kind="training", title=title, held_on=held_on, place="会议室", by=by or org.office
    )


def test_the_liaisons_in_office_on_the_day_are_invited(org):
    current = appoint(org, "甲", D(2025, 9, 1))
    appoint(org, "乙", D(2024, 9, 1), end=D(2026, 11, 20))  # left that morning
    appoint(org, "丙", D(2026, 11, 21))  # not yet appointed
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        session = record(org)
    assert [a.liaison for a in session.attendance.all()] == [current]
    assert not session.attendance.get().attended


def test_the_office_records_who_attended_and_why_the_others_did_not(org):
    a, b = appoint(org, "甲", D(2025, 9, 1)), appoint(org, "乙", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        session = record(org)
        rows = {row.liaison: row for row in session.attendance.all()}
        present = services.attendance_record(
            session=session,
            attended=[rows[a].pk],
            reasons={rows[b].pk: "病假", rows[a].pk: "（出席者的原因不保存）"},
            by=org.office,
        )
    assert present == 1
    assert {
        (r.liaison.person.name, r.attended, r.absence_reason) for r in session.attendance.all()
    } == {
        ("甲", True, ""),
        ("乙", False, "病假"),
    }


def test_only_the_office_records_sessions_and_attendance(org):
    appoint(org, "甲", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        session = record(org)
        for persona in ("leader", "member", "commissioner_a", "outsider"):
            with pytest.raises(PermissionDenied):
                record(org, by=getattr(org, persona), title=persona)
            with pytest.raises(PermissionDenied):
                services.attendance_record(
                    session=session, attended=[], reasons={}, by=getattr(org, persona)
                )
    assert LiaisonSession.objects.count() == 1


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(org):
    appoint(org, "甲", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        with pytest.raises(ValidationError) as blank:
            record(org, title=" ")
        with pytest.raises(ValidationError) as nobody:
            record(org, held_on=D(2020, 1, 1))
        session = record(org)
        other = record(org, title="另一次")
        foreign = other.attendance.get().pk
        with pytest.raises(ValidationError) as stale:
            services.attendance_record(
                session=session, attended=[foreign], reasons={}, by=org.office
            )
    assert blank.value.message_dict == {"title": ["请填写名称。"]}
    assert nobody.value.message_dict == {"held_on": ["这一天没有在任的统战联络员。"]}
    assert "不属于本次培训和会议" in stale.value.messages[0]
    assert LiaisonSession.objects.count() == 2
    assert not LiaisonAttendance.objects.filter(attended=True).exists()


def test_a_double_post_records_once(org):
    appoint(org, "甲", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        assert record(org).pk == record(org).pk
    assert LiaisonAttendance.objects.count() == 1


def test_the_pages_show_the_session_and_each_liaisons_record(org):
    a = appoint(org, "甲", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        office = client_for(org.office)
        created = office.post(
            reverse("liaison_session_create"),
            {"kind": "meeting", "title": "季度例会", "held_on": "2026-11-30", "place": "一楼"},
        )
        session = LiaisonSession.objects.get()
        row = session.attendance.get()
        saved = office.post(
            reverse("liaison_session_attendance", args=[session.pk]),
            {"attended": [], f"reason-{row.pk}": "出差"},
        )
        listing = client_for(org.commissioner_a).get(reverse("liaison_session_list"))
        page = client_for(org.leader).get(a.get_absolute_url()).content.decode()
        detail = client_for(org.member).get(session.get_absolute_url()).content.decode()
    assert created.status_code == 302 and created["Location"] == session.get_absolute_url()
    assert saved.status_code == 302
    assert "0/1" in listing.content.decode()
    assert "季度例会" in page and "缺席（出差）" in page
    assert "出差" in detail and 'name="attended"' not in detail  # no form for a member


def test_the_list_and_a_session_run_the_same_queries_for_few_or_many(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        client = client_for(org.office)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    appoint(org, "甲", D(2025, 9, 1))
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        first = record(org)
        before = (count(reverse("liaison_session_list")), count(first.get_absolute_url()))
        for name in ("乙", "丙", "丁"):
            appoint(org, name, D(2025, 9, 1))
        latest = record(org, title="第二次")
        for n in range(4):
            record(org, title=f"第{n}次", held_on=D(2026, 10, 1 + n))
        after = (count(reverse("liaison_session_list")), count(latest.get_absolute_url()))
    assert latest.attendance.count() == 4
    assert after == before

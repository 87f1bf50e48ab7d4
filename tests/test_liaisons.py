"""Liaison officers (统战联络员, 001 ch. 3): one per department and school, chosen by the
rule on the appointment day (a non-party person; else a teacher under 35 with overseas
study; else a young Party member, with a reason); a liaison who stops meeting it raises a
deadline for the office instead of a silent change."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaisons import services
from liaisons.eligibility import Basis, birthday_of_age, eligibility, is_young
from liaisons.models import Liaison
from liaisons.rules import LIAISON_ELIGIBILITY
from portal.deadlines.models import Deadline
from portal.deadlines.reminders import reminders_scan
from portal.lib.errors import Forbidden, Refused
from portal.models import PoliticalStatus, Unit
from tests.conftest import client_for
from tests.deadline_helpers import at
from tests.factories import PersonFactory, UnitFactory

# Dates are explicit (time travel): the shifted legs skip the module (Makefile).
pytestmark = pytest.mark.dateless

NOT_OFFICE = ("leader", "deputy", "member", "commissioner_a", "commissioner_b", "outsider")
BORN = dt.date(1991, 7, 15)  # turns 35 on 15 July 2026
CPC, NON_PARTY = PoliticalStatus.CPC, PoliticalStatus.NON_PARTY


# --- the rule, a pure function ---


def rule(status, *, born=BORN, overseas=False, on=dt.date(2026, 7, 14)):
    return eligibility(political_status=status, birth_date=born, overseas_study=overseas, on=on)


def test_a_non_party_person_is_eligible_at_any_age():
    assert rule(NON_PARTY, born=dt.date(1960, 1, 1)) == Basis.NON_PARTY
    assert rule(PoliticalStatus.JIUSAN, born=None) == Basis.NON_PARTY


def test_a_party_member_under_35_with_overseas_study_until_the_35th_birthday():
    assert rule(CPC, overseas=True, on=dt.date(2026, 7, 14)) == Basis.YOUNG_RETURNED
    assert rule(CPC, overseas=True, on=dt.date(2026, 7, 15)) is None


def test_a_young_party_member_without_overseas_study_is_the_last_resort():
    assert rule(CPC, on=dt.date(2026, 7, 14)) == Basis.YOUNG_PARTY_MEMBER
    assert rule(PoliticalStatus.CPC_PROBATIONARY, on=dt.date(2026, 7, 14)) == (
        Basis.YOUNG_PARTY_MEMBER
    )
    assert rule(CPC, on=dt.date(2026, 7, 15)) is None
    assert rule(CPC, born=None) is None  # an unknown age is not young


def test_someone_born_on_29_february_turns_35_on_1_march_in_a_common_year():
    born = dt.date(1992, 2, 29)
    assert birthday_of_age(born, 35) == dt.date(2027, 3, 1)
    assert is_young(born, dt.date(2027, 2, 28))
    assert not is_young(born, dt.date(2027, 3, 1))
    assert birthday_of_age(born, 36) == dt.date(2028, 2, 29)


# --- appointing ---


def _person(unit, name="候选人", status=NON_PARTY, born=BORN, overseas=False):
    return PersonFactory(
        name=name, unit=unit, political_status=status, birth_date=born, overseas_study=overseas
    )


@pytest.fixture
def dept(org) -> Unit:
    unit: Unit = UnitFactory(name="人事处", kind=Unit.Kind.DEPARTMENT)
    return unit


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_appoints(org, dept, persona):
    with pytest.raises(Forbidden):
        services.liaison_appoint(
            unit=dept,
            person=_person(dept),
            start_date=dt.date(2026, 3, 1),
            by=getattr(org, persona),
        )
    assert not Liaison.objects.exists()


def test_the_basis_is_the_rules_on_the_appointment_day(org, dept):
    person = _person(dept, status=CPC, overseas=True)
    liaison = services.liaison_appoint(
        unit=dept, person=person, start_date=dt.date(2026, 7, 14), by=org.office
    )
    assert liaison.basis == Basis.YOUNG_RETURNED
    liaison.delete()
    with pytest.raises(ValidationError) as error:
        services.liaison_appoint(
            unit=dept, person=person, start_date=dt.date(2026, 7, 15), by=org.office
        )
    assert "不符合联络员条件" in error.value.message_dict["person"][0]
    assert not Liaison.objects.exists()


def test_a_young_party_member_needs_a_reason(org, dept):
    person = _person(dept, status=CPC)
    with pytest.raises(ValidationError) as error:
        services.liaison_appoint(
            unit=dept, person=person, start_date=dt.date(2026, 3, 1), by=org.office
        )
    assert "请说明" in error.value.message_dict["reason"][0]
    liaison = services.liaison_appoint(
        unit=dept,
        person=person,
        start_date=dt.date(2026, 3, 1),
        reason="本单位党外教师均在外访学",
        by=org.office,
    )
    assert (liaison.basis, liaison.basis_reason) == (
        Basis.YOUNG_PARTY_MEMBER,
        "本单位党外教师均在外访学",
    )


def test_one_liaison_per_unit_from_departments_and_schools_only(org, dept):
    services.liaison_appoint(
        unit=dept, person=_person(dept), start_date=dt.date(2026, 3, 1), by=org.office
    )
    with pytest.raises(Refused, match="已有在任联络员"):
        services.liaison_appoint(
            unit=dept, person=_person(dept, "第二人"), start_date=dt.date(2026, 4, 1), by=org.office
        )
    with pytest.raises(ValidationError, match="按部门和院系设立"):
        services.liaison_appoint(
            unit=org.branch_a,
            person=_person(org.branch_a),
            start_date=dt.date(2026, 4, 1),
            by=org.office,
        )
    with pytest.raises(ValidationError, match="应为本单位人员"):
        services.liaison_appoint(
            unit=org.school_a,
            person=_person(dept, "外单位"),
            start_date=dt.date(2026, 4, 1),
            by=org.office,
        )
    assert Liaison.objects.count() == 1


def test_a_successor_starts_after_the_predecessor_left(org, dept):
    first = services.liaison_appoint(
        unit=dept, person=_person(dept), start_date=dt.date(2026, 3, 1), by=org.office
    )
    services.liaison_end(
        liaison=first, end_date=dt.date(2026, 6, 1), reason="工作调整", by=org.office
    )
    with pytest.raises(ValidationError) as error:
        services.liaison_appoint(
            unit=dept, person=_person(dept, "继任"), start_date=dt.date(2026, 5, 1), by=org.office
        )
    assert "不能早于上一任离任日期" in error.value.message_dict["start_date"][0]
    second = services.liaison_appoint(
        unit=dept, person=_person(dept, "继任2"), start_date=dt.date(2026, 6, 1), by=org.office
    )
    assert list(Liaison.objects.current_on(dt.date(2026, 6, 1))) == [second]
    assert list(Liaison.objects.current_on(dt.date(2026, 5, 31))) == [first]
    with pytest.raises(Refused, match="已于"):
        services.liaison_end(
            liaison=first, end_date=dt.date(2026, 7, 1), reason="再次", by=org.office
        )


# --- eligibility lapses: a deadline for the office ---


def _young(org, dept, **extra):
    return services.liaison_appoint(
        unit=dept,
        person=_person(dept, status=CPC, overseas=True, **extra),
        start_date=dt.date(2025, 9, 1),
        by=org.office,
    )


def _eligibility_deadlines():
    return list(Deadline.objects.filter(rule=LIAISON_ELIGIBILITY))


def test_turning_35_is_told_to_the_office_a_month_ahead_due_on_the_birthday(org, dept):
    _young(org, dept)
    with time_machine.travel(at(2026, 6, 14, 9), tick=False):  # 31 days before
        reminders_scan()
    assert _eligibility_deadlines() == []
    with time_machine.travel(at(2026, 6, 15, 9), tick=False):  # 30 days before
        reminders_scan()
        reminders_scan()  # a second scan opens nothing more
    [deadline] = _eligibility_deadlines()
    assert deadline.due == dt.date(2026, 7, 15) and deadline.state == Deadline.State.OPEN


def test_joining_the_party_is_told_at_once_with_working_days_to_decide(org, dept):
    liaison = services.liaison_appoint(
        unit=dept, person=_person(dept), start_date=dt.date(2025, 9, 1), by=org.office
    )
    with time_machine.travel(at(2026, 6, 1, 9), tick=False):
        reminders_scan()
        assert _eligibility_deadlines() == []
        liaison.person.political_status = CPC
        liaison.person.save()
        reminders_scan()
    [deadline] = _eligibility_deadlines()
    assert deadline.due == dt.date(2026, 6, 15)  # 10 working days after Monday 1 June


def test_keeping_or_ending_meets_the_deadline_and_a_kept_liaison_is_not_told_again(org, dept):
    kept, ended = (
        _young(org, dept),
        _young(org, UnitFactory(name="团委", kind=Unit.Kind.DEPARTMENT)),
    )
    with time_machine.travel(at(2026, 6, 20, 9), tick=False):
        reminders_scan()
        assert len(_eligibility_deadlines()) == 2
        with pytest.raises(ValidationError):
            services.liaison_keep(liaison=kept, reason=" ", by=org.office)
        services.liaison_keep(liaison=kept, reason="留任至学期末", by=org.office)
        with pytest.raises(Refused, match="不能确认继续任职"):  # a second click
            services.liaison_keep(liaison=kept, reason="第二次点击", by=org.office)
        services.liaison_end(
            liaison=ended, end_date=dt.date(2026, 6, 20), reason="年龄", by=org.office
        )
    kept.refresh_from_db()
    assert kept.kept_on == dt.date(2026, 6, 20) and kept.basis_reason == "留任至学期末"
    assert {d.state for d in _eligibility_deadlines()} == {Deadline.State.MET}
    with time_machine.travel(at(2026, 7, 20, 9), tick=False):
        reminders_scan()
    assert len(_eligibility_deadlines()) == 2  # (who may keep or end: the walk in
    # tests/test_liaisons_transitions.py, persona × state)


# --- pages ---


def test_the_list_shows_each_unit_with_its_liaison_or_vacant(org, dept):
    liaison = services.liaison_appoint(
        unit=dept, person=_person(dept, "联络员甲"), start_date=dt.date(2026, 3, 1), by=org.office
    )
    page = client_for(org.office).get(reverse("liaison_list")).content.decode()
    assert "联络员甲" in page and liaison.get_absolute_url() in page
    assert f"{reverse('liaison_appoint')}?unit={org.school_a.pk}" in page  # vacant: appoint
    commissioner = client_for(org.commissioner_a).get(reverse("liaison_list"))
    units = {row.unit for row in commissioner.context["rows"]}
    assert units == {org.school_a}
    assert client_for(org.commissioner_a).get(liaison.get_absolute_url()).status_code == 404


def _paired(leader, person) -> None:
    from django.utils import timezone

    from outreach.models import Figure, FriendshipPair

    figure = Figure.objects.create(
        person=person,
        category=Figure.Category.NON_PARTY_INTELLECTUAL,
        registered_on=timezone.localdate(),
    )
    FriendshipPair.objects.create(
        leader=leader.person, figure=figure, start_date=timezone.localdate()
    )


@pytest.mark.parametrize(
    ("persona", "sees_non_party", "sees_party_member"),
    [
        ("office", True, True),
        ("leader", True, False),  # paired with the non-party liaison only
        ("deputy", False, False),  # a leader paired with no one
        ("member", False, False),
        ("commissioner_a", False, False),
    ],
)
def test_the_basis_shows_as_the_person_page_would(org, persona, sees_non_party, sees_party_member):
    """The basis tells a political status: the office and the leader paired with the
    liaison see it, as on the person page, whatever the status (were a Party member's
    shown to every leader, the hidden ones would be the non-party figures); the
    appointment the page reads has it blanked for the others."""
    from liaisons import selectors
    from portal.models import SensitiveView

    school = org.school_a  # in commissioner A's branch
    non_party = services.liaison_appoint(
        unit=school,
        person=_person(school, "党外联络员"),
        start_date=dt.date(2026, 3, 1),
        by=org.office,
    )
    Liaison.objects.filter(pk=non_party.pk).update(basis_reason="党外的理由")
    _paired(org.leader, non_party.person)
    dept = UnitFactory(name="教务处", kind=Unit.Kind.SCHOOL, parent=org.branch_a)
    member = services.liaison_appoint(
        unit=dept,
        person=_person(dept, "党员联络员", status=CPC),
        start_date=dt.date(2026, 3, 1),
        reason="党员的理由",
        by=org.office,
    )
    user = getattr(org, persona)
    for liaison, sees, reason in (
        (non_party, sees_non_party, "党外的理由"),
        (member, sees_party_member, "党员的理由"),
    ):
        response = client_for(user).get(liaison.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert (reason in page) is sees, (persona, reason)
        assert ("人选条件" in page) is sees, (persona, reason)
        read = selectors.get_liaison_for_user(type(user).objects.get(pk=user.pk), liaison.pk)
        assert bool(read.basis and read.basis_reason) is sees, (persona, reason)
    logged = set(SensitiveView.objects.values_list("viewer", "person__name"))
    assert logged == ({(user.pk, "党外联络员")} if persona == "leader" else set())


def test_the_office_appoints_and_ends_through_the_pages(org, dept):
    person = _person(dept, "网页任命")
    client = client_for(org.office)
    response = client.post(
        reverse("liaison_appoint"),
        {"unit": dept.pk, "person": person.pk, "start_date": "2026-03-01", "reason": ""},
    )
    liaison = Liaison.objects.get()
    assert response["Location"] == liaison.get_absolute_url()
    refused = client.post(
        reverse("liaison_appoint"),
        {"unit": dept.pk, "person": _person(dept, "第二位").pk, "start_date": "2026-03-02"},
    )
    assert "已有在任联络员" in refused.content.decode() and Liaison.objects.count() == 1
    client.post(
        reverse("liaison_end", args=[liaison.pk]), {"end_date": "2026-06-01", "reason": "调离"}
    )
    liaison.refresh_from_db()
    assert (liaison.end_date, liaison.end_reason) == (dt.date(2026, 6, 1), "调离")


def test_the_list_runs_constant_queries(org):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(org.office).get(reverse("liaison_list")).status_code == 200
        return len(captured)

    before = count()
    for n in range(6):
        unit = UnitFactory(name=f"部门{n}", kind=Unit.Kind.DEPARTMENT)
        services.liaison_appoint(
            unit=unit, person=_person(unit, f"人{n}"), start_date=dt.date(2026, 3, 1), by=org.office
        )
    assert count() == before

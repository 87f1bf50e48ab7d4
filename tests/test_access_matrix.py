"""Every URL of the project, requested as every role.

The URL patterns come from the real URLconf, so a new page cannot escape: a pattern
missing from EXPECTED fails the test. Path parameters are filled with records of
branch B, so commissioner A is outside and commissioner B inside their scope.
The admin site (its own permission system) is checked through its index page only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Person, Unit, User, WorkdayException, WorkdayYear
from tests import access_groups
from tests.conftest import client_for
from tests.factories import PersonFactory

PERSONAS = ("anon", "outsider", "office", "leader", "member", "commissioner_a", "commissioner_b")
LOGIN = "login"  # a redirect to the login page

Outcomes = dict[str, int | str]


def _every(outcome: int | str) -> Outcomes:
    return dict.fromkeys(PERSONAS, outcome)


ALL: Outcomes = _every(200) | {"anon": LOGIN}
ROLES_ONLY: Outcomes = ALL | {"outsider": 403}
OFFICE_ONLY: Outcomes = _every(403) | {"anon": LOGIN, "office": 200}
IN_SCOPE_B: Outcomes = ROLES_ONLY | {"commissioner_a": 404}
POST_OFFICE_ONLY: Outcomes = OFFICE_ONLY | {"office": 405}  # a POST-only action
# Outcomes that mean "this role may post here": the forbidden-POST test skips them.
ALLOWED = {200, 405}

EXPECTED: dict[str, Outcomes] = {
    "home": ROLES_ONLY,
    "unit_list": ROLES_ONLY,
    "unit_create": OFFICE_ONLY,
    "unit_detail": IN_SCOPE_B,
    "unit_update": OFFICE_ONLY,
    "unit_history": IN_SCOPE_B,
    "person_list": ROLES_ONLY,
    "person_create": OFFICE_ONLY | {"commissioner_a": 200, "commissioner_b": 200},
    "person_detail": IN_SCOPE_B,
    "person_update": OFFICE_ONLY | {"commissioner_a": 404, "commissioner_b": 200},
    "person_history": IN_SCOPE_B,
    "workday_calendar": ROLES_ONLY,
    "workday_year_detail": ROLES_ONLY,
    "workday_year_edit": OFFICE_ONLY,
    "login": _every(302) | {"anon": 200},
    "logout": _every(405),  # logging out is a POST
    "password_change": ALL,
    "password_change_done": ALL,
    "set_language": _every(302),  # GET only redirects back
    "healthz": _every(200),
    # groups: the leading group (org chart, roster, appointments, import/export) ----------
    "group_org": ROLES_ONLY,
    "group_roster": ROLES_ONLY,
    "group_roster_export": ROLES_ONLY,
    "group_roster_import": OFFICE_ONLY,
    "group_roster_import_confirm": POST_OFFICE_ONLY,
    "group_roster_template": OFFICE_ONLY,
    "group_seat_create": OFFICE_ONLY,
    "group_seat_end": OFFICE_ONLY,
    "group_term_create": OFFICE_ONLY,
    # groups: work points (plan, drafting, progress reports, evidence) -----------------------
    "work_points_index": ROLES_ONLY,
    "work_points_create": OFFICE_ONLY,
    "work_points_template": OFFICE_ONLY,
    "work_points_detail": ROLES_ONLY,
    "work_points_edit": OFFICE_ONLY,
    "work_points_update": OFFICE_ONLY,
    "work_points_text": ROLES_ONLY,
    "work_points_summary": ROLES_ONLY,
    "work_points_export": ROLES_ONLY,
    "work_points_import": OFFICE_ONLY,
    "work_points_import_confirm": POST_OFFICE_ONLY,
    "work_points_section_create": OFFICE_ONLY,
    "work_points_section_update": OFFICE_ONLY,
    "work_points_section_move": POST_OFFICE_ONLY,
    "work_points_section_delete": POST_OFFICE_ONLY,
    "work_points_item_create": OFFICE_ONLY,
    "work_points_item": ROLES_ONLY,
    "work_points_item_update": OFFICE_ONLY,
    "work_points_item_move": POST_OFFICE_ONLY,
    "work_points_item_delete": POST_OFFICE_ONLY,
    # Only a responsible unit (branch B's item) and the office report progress.
    "work_points_report_create": OFFICE_ONLY | {"commissioner_b": 200},
    "work_points_evidence": IN_SCOPE_B,
}

# Valid data for each form, posted by roles that may not use it: a dict, or a function of
# the target unit and person returning one (for forms that need other records' ids).
PAYLOADS: dict[str, dict[str, object] | Callable[[Unit, Person], dict[str, object]]] = {
    "unit_create": {"name": "越权单位", "kind": "department", "sort_order": 1, "is_active": "on"},
    "unit_update": {"name": "越权改名", "kind": "branch", "sort_order": 1, "is_active": "on"},
    "person_create": {
        "name": "越权人员",
        "gender": "m",
        "political_status": "masses",
        "is_active": "on",
    },
    "person_update": {
        "name": "越权改名",
        "gender": "m",
        "political_status": "cpc",
        "is_active": "on",
    },
    "workday_year_edit": {"notice": "越权", "schedule": "2027-01-01 休 元旦"},
    **access_groups.PAYLOADS,
}


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str | None = None
) -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, pattern.namespace or namespace)
        else:
            yield pattern.name or str(pattern.pattern), namespace


def _project_url_names() -> set[str]:
    return {name for name, ns in _patterns(get_resolver().url_patterns) if ns != "admin"}


def _url(name: str, unit: Unit, person: Person) -> str:
    from django.urls import reverse

    if name.startswith("unit_") and name not in {"unit_list", "unit_create"}:
        return reverse(name, args=[unit.pk])
    if name.startswith("person_") and name not in {"person_list", "person_create"}:
        return reverse(name, args=[person.pk])
    if name in {"workday_year_detail", "workday_year_edit"}:
        return reverse(name, args=[2027])
    if name.startswith(("group_", "work_points_")):
        return access_groups.url(name, unit, person)
    return reverse(name)


def _payload(name: str, unit: Unit, person: Person) -> dict[str, object]:
    payload = PAYLOADS[name]
    data = payload(unit, person) if callable(payload) else dict(payload)
    return {"unit": unit.pk, **data}


def _client(org, persona: str) -> Client:
    return Client() if persona == "anon" else client_for(getattr(org, persona))


def _fingerprint() -> tuple[object, ...]:
    """Row counts of every table a page could write, history included."""
    models = [Unit, Person, User, WorkdayYear, WorkdayException, Group]
    counts: list[object] = [m.objects.count() for m in models]
    counts += [m.history.count() for m in (Unit, Person, WorkdayYear, WorkdayException)]
    counts.append(sum(len(u.name) for u in Unit.objects.all()))
    counts.append(sum(len(p.name) for p in Person.objects.all()))
    counts.extend(access_groups.fingerprint())
    return tuple(counts)


@pytest.fixture
def target(org):
    """A unit and a person of branch B: outside commissioner A's scope."""
    return org.branch_b, PersonFactory(name="经管总支的人", unit=org.branch_b)


def test_it_lists_every_url_of_the_project():
    names = _project_url_names()
    assert names - EXPECTED.keys() == set(), "add the new pages to EXPECTED"
    assert EXPECTED.keys() - names == set(), "EXPECTED names pages that no longer exist"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_answers_every_role_as_the_table_says(org, target, name):
    unit, person = target
    url = _url(name, unit, person)
    outcomes = {}
    for persona in PERSONAS:
        response = _client(org, persona).get(url)
        if response.status_code == 302 and response.url.startswith("/accounts/login/"):
            outcomes[persona] = LOGIN
        else:
            outcomes[persona] = response.status_code
    assert outcomes == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_it_changes_nothing_when_a_role_posts_where_it_may_not(org, target, name):
    unit, person = target
    url = _url(name, unit, person)
    data = _payload(name, unit, person)
    for persona in PERSONAS:
        if EXPECTED[name][persona] in ALLOWED:
            continue
        before = _fingerprint()
        response = _client(org, persona).post(url, data)
        assert response.status_code in {302, 403, 404}, (persona, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith("/accounts/login/")
        assert _fingerprint() == before, persona


def test_it_lets_only_staff_office_users_into_the_admin(org):
    assert client_for(org.office).get("/admin/").status_code == 200
    for persona in PERSONAS:
        if persona == "office":
            continue
        response = _client(org, persona).get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_it_requires_a_csrf_token_on_every_form(org, target, name):
    unit, person = target
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.office)
    url, data = _url(name, unit, person), _payload(name, unit, person)
    before = _fingerprint()
    response = client.post(url, data)
    assert response.status_code == 403
    assert _fingerprint() == before

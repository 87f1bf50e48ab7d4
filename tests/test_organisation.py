"""The organisation pages: lists, details, forms, history, scoping by role, and the
privacy of non-party figures' sensitive data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import Person, PoliticalStatus, Unit
from tests.conftest import PASSWORD, client_for
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

SENSITIVE_MARKERS = ("九三学社", "曼彻斯特", "关注职称评审")


def _person_post(unit: Unit, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "新来的老师",
        "unit": unit.pk,
        "gender": "f",
        "birth_date": "1990-03-04",
        "ethnicity": "汉族",
        "title": "讲师",
        "political_status": "non_party",
        "phone": "",
        "email": "",
        "note": "",
        "overseas_detail": "",
        "is_active": "on",
    }
    data.update(extra)
    return data


# Access by role -----------------------------------------------------------------------


def test_it_sends_anonymous_users_to_the_login_page(org):
    for url in ("/", "/units/", "/people/", f"/people/{org.figure_a.pk}/", "/calendar/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_it_refuses_a_login_without_a_portal_role(org):
    for url in ("/", "/units/", "/people/", f"/units/{org.ufw_dept.pk}/"):
        assert client_for(org.outsider).get(url).status_code == 403


@pytest.mark.parametrize("persona", ["office", "leader", "deputy", "member", "commissioner_a"])
def test_it_serves_the_home_page_to_every_role(org, persona):
    response = client_for(getattr(org, persona)).get("/")
    assert response.status_code == 200
    assert "我的待办" in response.content.decode()


def test_it_fits_the_navigation_to_the_role(org):
    office_page = client_for(org.office).get("/").content.decode()
    leader_page = client_for(org.leader).get("/").content.decode()
    assert "后台管理" in office_page
    assert "后台管理" not in leader_page
    assert "（领导）" in leader_page
    assert "（办公室工作人员）" in office_page


def test_it_lets_only_the_office_create_units(org):
    data = {"name": "马克思主义学院", "kind": "school", "sort_order": 5, "is_active": "on"}
    for persona in (org.leader, org.member, org.commissioner_a):
        assert client_for(persona).post("/units/new/", data).status_code == 403
    assert not Unit.objects.filter(name="马克思主义学院").exists()
    response = client_for(org.office).post("/units/new/", data)
    unit = Unit.objects.get(name="马克思主义学院")
    assert response.status_code == 302
    assert response.url == f"/units/{unit.pk}/"


def test_it_lets_leaders_and_members_read_but_not_edit_people(org):
    for persona in (org.leader, org.member):
        client = client_for(persona)
        assert client.get(f"/people/{org.figure_a.pk}/").status_code == 200
        assert client.get(f"/people/{org.figure_a.pk}/edit/").status_code == 403
        response = client.post(
            f"/people/{org.figure_a.pk}/edit/", _person_post(org.school_a, name="改名")
        )
        assert response.status_code == 403
    org.figure_a.refresh_from_db()
    assert org.figure_a.name == "党外甲"


# Branch commissioner scoping ------------------------------------------------------------


def test_it_shows_a_commissioner_only_their_own_units_people(org):
    other = PersonFactory(name="经管的人", unit=org.branch_b)
    page = client_for(org.commissioner_a).get("/people/").content.decode()
    assert "党外甲" in page  # school A sits under branch A
    assert "经管的人" not in page
    assert client_for(org.commissioner_a).get(f"/people/{other.pk}/").status_code == 404
    assert client_for(org.commissioner_a).get(f"/units/{org.branch_b.pk}/").status_code == 404
    assert client_for(org.commissioner_b).get(f"/people/{other.pk}/").status_code == 200


def test_it_refuses_a_commissioner_editing_another_units_person(org):
    other = PersonFactory(name="经管的人", unit=org.branch_b)
    response = client_for(org.commissioner_a).post(
        f"/people/{other.pk}/edit/", _person_post(org.branch_b, name="被改了")
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "经管的人"


def test_it_lets_a_commissioner_edit_their_units_person_without_touching_sensitive_data(org):
    response = client_for(org.commissioner_a).post(
        f"/people/{org.figure_a.pk}/edit/",
        _person_post(org.school_a, name="党外甲", title="教授", political_status="cpc"),
    )
    assert response.status_code == 302
    org.figure_a.refresh_from_db()
    assert org.figure_a.title == "教授"
    # The form has no political-status field for them: the posted value is ignored.
    assert org.figure_a.political_status == PoliticalStatus.JIUSAN
    assert org.figure_a.overseas_detail == "英国曼彻斯特大学访问学者"


def test_it_refuses_a_commissioner_registering_someone_in_another_unit(org):
    before = Person.objects.count()
    response = client_for(org.commissioner_a).post(
        "/people/new/", _person_post(org.branch_b, name="越权登记")
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Person.objects.count() == before


# Sensitive data of non-party figures -------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "deputy", "member", "commissioner_a"])
def test_it_hides_sensitive_fields_from_those_not_named_in_the_brief(org, persona):
    client = client_for(getattr(org, persona))
    # Produce a history entry that changes a sensitive field.
    Person.objects.filter(pk=org.figure_a.pk).update(note="x")
    org.figure_a.note = "关注职称评审"
    org.figure_a.save()
    for url in (
        "/people/",
        f"/people/{org.figure_a.pk}/",
        f"/people/{org.figure_a.pk}/history/",
        f"/units/{org.school_a.pk}/",
    ):
        html = client.get(url).content.decode()
        for marker in SENSITIVE_MARKERS:
            assert marker not in html, (persona, url, marker)


def test_it_shows_sensitive_fields_to_the_office(org):
    html = client_for(org.office).get(f"/people/{org.figure_a.pk}/").content.decode()
    for marker in SENSITIVE_MARKERS:
        assert marker in html


def test_it_does_not_let_others_filter_by_affiliation(org):
    PersonFactory(name="党员乙", unit=org.school_a, political_status=PoliticalStatus.CPC)
    client = client_for(org.leader)
    plain = client.get("/people/").context["page"].paginator.count
    probed = client.get("/people/?political_status=jiusan").context["page"].paginator.count
    assert probed == plain  # the filter is not available to a leader
    office = client_for(org.office)
    assert office.get("/people/?political_status=jiusan").context["page"].paginator.count == 1


# Forms: bad input is refused in Chinese and nothing is saved ---------------------------


def test_it_refuses_a_unit_that_would_be_its_own_ancestor(org):
    response = client_for(org.office).post(
        f"/units/{org.branch_a.pk}/edit/",
        {
            "name": org.branch_a.name,
            "kind": "branch",
            "parent": org.school_a.pk,
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    org.branch_a.refresh_from_db()
    assert org.branch_a.parent_id is None


def test_it_refuses_overseas_detail_without_the_flag(org):
    before = Person.objects.count()
    response = client_for(org.office).post(
        "/people/new/", _person_post(org.school_a, overseas_detail="美国某大学")
    )
    assert "请勾选“有留学经历”" in response.content.decode()
    assert Person.objects.count() == before


def test_it_refuses_a_person_without_a_name(org):
    before = Person.objects.count()
    response = client_for(org.office).post("/people/new/", _person_post(org.school_a, name=""))
    assert "这个字段是必填项" in response.content.decode()
    assert Person.objects.count() == before


# History ---------------------------------------------------------------------------------


def test_it_records_who_changed_what(org):
    client = client_for(org.office)
    client.post(
        f"/people/{org.figure_a.pk}/edit/",
        _person_post(
            org.school_a,
            name="党外甲",
            title="副教授",
            political_status="jiusan",
            overseas_study="on",
            overseas_detail="英国曼彻斯特大学访问学者",
            note="关注职称评审",
        ),
    )
    record = org.figure_a.history.first()
    assert record.history_user == org.office
    html = client.get(f"/people/{org.figure_a.pk}/history/").content.decode()
    assert "职务/职称" in html
    assert "副教授" in html
    assert org.office.display_name in html


def test_it_counts_each_units_people_on_the_unit_list(org):
    """Counted for the page's units only (selectors.with_people_counts), zero included."""
    empty = UnitFactory(name="空单位")
    PersonFactory.create_batch(3, unit=org.branch_b)
    html = client_for(org.office).get("/units/").content.decode()
    rows = {
        name: count
        for name, count in re.findall(
            r'<a href="/units/\d+/">([^<]+)</a>.*?text-end">(\d+)<', html, re.S
        )
    }
    assert rows[org.branch_b.name] == "4"  # the three and commissioner B's own record
    assert rows[empty.name] == "0"
    assert rows[org.school_a.name] == "2"  # 党外甲 and the liaison persona


def test_it_shows_unit_history(org):
    client_for(org.office).post(
        f"/units/{org.branch_b.pk}/edit/",
        {
            "name": "经济管理学院党总支",
            "short_name": "经管总支",
            "kind": "branch",
            "sort_order": 3,
            "is_active": "on",
        },
    )
    html = client_for(org.leader).get(f"/units/{org.branch_b.pk}/history/").content.decode()
    assert "经管总支" in html


# Query counts: constant whatever the number of rows ------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/people/", "/units/", "/units/{unit}/", "/people/{person}/"])
def test_it_runs_a_constant_number_of_queries(org, url, django_assert_num_queries):
    client = client_for(org.office)
    target = url.format(unit=org.school_a.pk, person=org.figure_a.pk)
    few = _count_queries(client, target)
    for i in range(40):
        unit = UnitFactory(parent=org.school_a if i % 2 else None)
        PersonFactory.create_batch(3, unit=org.school_a if i % 3 else unit)
    many = _count_queries(client, target)
    assert few == many
    # Session, user, roles, then the page's own reads (count + page or the object + related).
    with django_assert_num_queries(few):
        client.get(target)


def test_it_reads_a_commissioners_unit_tree_once_per_request(org):
    client = client_for(org.commissioner_a)
    for url in ("/people/", "/units/", "/people/new/"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        tree_reads = [
            q["sql"]
            for q in ctx.captured_queries
            if '"portal_unit"."parent_id" AS "parent_id" FROM "portal_unit"' in q["sql"]
        ]
        assert len(tree_reads) == 1, url


# Login, throttling, password change ---------------------------------------------------


def test_it_logs_in_and_out(org):
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_it_locks_out_after_repeated_failures(org):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_changes_a_password(org):
    client = client_for(org.member)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Tongzhan-2026!",
            "new_password2": "Tongzhan-2026!",
        },
    )
    assert response.status_code == 302
    org.member.refresh_from_db()
    assert org.member.check_password("Tongzhan-2026!")


def test_it_switches_to_english(org):
    client = client_for(org.office)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html


def test_it_sends_a_content_security_policy_without_unsafe_inline(org):
    response = client_for(org.office).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy

"""The navigation bar (`portal.navigation`): each app's entries grouped by area, shown to
a persona exactly when the page lets that persona in."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from portal import navigation
from portal.models import Role
from portal.navigation import Area, NavItem, Registry, any_role, role_in
from tests.conftest import client_for
from tests.matrix import PERSONAS

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def user_of(org, persona):
    return AnonymousUser() if persona == "anon" else getattr(org, persona)


def shown_url_names(user, path="/"):
    return [link.url_name for entry in navigation.registry.menu(user, path) for link in entry.links]


class Bar(HTMLParser):
    """The bar's left part (`#nav-areas`) as it reads: ("area", label) for a menu's
    toggle, ("link", href, label) for an entry; and whether the inbox link is there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, ...]] = []
        self.inbox = False
        self._depth = 0  # open <ul> elements inside #nav-areas
        self._open: list[str] | None = None  # the text of the toggle or link being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id") == "nav-inbox":
            self.inbox = True
        if tag == "ul" and (self._depth or attributes.get("id") == "nav-areas"):
            self._depth += 1
        elif self._depth and tag == "button":
            self._open = ["area"]
        elif self._depth and tag == "a":
            self._open = ["link", attributes["href"] or ""]
        if self._open is not None and tag == "span":  # a badge: read apart
            self._open.append("|")

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "ul" and self._depth:
            self._depth -= 1
        elif tag in ("button", "a") and self._open is not None:
            kind, *rest = self._open
            if kind == "link":
                href, *rest = rest
                self.parts.append(("link", href, "".join(rest).strip()))
            else:
                self.parts.append(("area", "".join(rest).strip()))
            self._open = None


def bar_of(html: str) -> Bar:
    bar = Bar()
    bar.feed(html)
    return bar


# Every entry against its page, for every persona -----------------------------------------


def test_it_shows_each_persona_exactly_the_entries_whose_page_answers_it(org):
    mismatches = []
    for persona in PERSONAS:
        user = user_of(org, persona)
        client = client_for(None if persona == "anon" else user)
        shown = set(shown_url_names(user))
        for item in navigation.registry.items:
            status = client.get(reverse(item.url_name)).status_code
            if (status == 200) != (item.url_name in shown):
                mismatches.append((persona, item.url_name, status, item.url_name in shown))
    assert mismatches == []


def test_it_fits_the_entries_to_the_role(org):
    # Not everyone sees everything: the check above compares something.
    assert shown_url_names(AnonymousUser()) == []
    # A login without a role (a figure reading what was pushed to them): their studies.
    assert shown_url_names(org.outsider) == ["my_studies"]
    assert "annual_report_list" in shown_url_names(org.leader)
    assert "annual_report_list" not in shown_url_names(org.member)
    assert "admin:index" in shown_url_names(org.office)
    assert "admin:index" not in shown_url_names(org.leader)
    for persona in ("office", "leader", "member", "commissioner_a"):
        names = shown_url_names(getattr(org, persona))
        for name in ("home", "person_list", "meeting_list", "document_list", "follow_up_list"):
            assert name in names, (persona, name)


def test_it_declares_every_entry_as_a_page_without_parameters():
    names = [item.url_name for item in navigation.registry.items]
    assert len(names) == len(set(names)) >= 12
    for name in names:
        assert reverse(name).startswith("/")


# The bar as rendered -------------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anon"])
def test_it_renders_the_bar_from_the_registry(org, persona):
    user = getattr(org, persona)
    html = client_for(user).get(reverse("password_change")).content.decode()
    expected: list[tuple[str, ...]] = []
    for entry in navigation.registry.menu(user):
        if entry.area is not None:
            expected.append(("area", entry.label))
        expected += [("link", link.url, link.label) for link in entry.links]
    bar = bar_of(html)
    assert bar.parts == expected
    assert bar.inbox == (persona != "outsider")  # the inbox answers 403 without a role


def test_it_groups_the_entries_by_area_in_the_bars_order(org):
    bar = bar_of(client_for(org.office).get("/").content.decode())
    assert [part[1] for part in bar.parts if part[0] == "area"] == [
        "组织",
        "会议与公文",
        "联络交友",
        "督查督办",
        "述职与报告",
    ]
    assert bar.parts[0] == ("link", "/", "我的待办")  # first, on its own
    assert bar.parts[-1] == ("link", "/admin/", "后台管理")  # last, on its own
    assert bar.parts[1:5] == [
        ("area", "组织"),
        ("link", "/units/", "单位"),
        ("link", "/people/", "人员"),
        ("link", "/groups/", "领导小组"),
    ]


def test_it_leaves_out_an_area_with_nothing_the_user_may_open(org):
    # 述职与报告 has nothing a liaison officer reads (the experiences and information
    # upward are the office's, the leaders', the group members' and the commissioners').
    liaison = client_for(org.liaison).get("/").content.decode()
    leader = client_for(org.leader).get("/").content.decode()
    assert "述职与报告" not in liaison
    assert "述职与报告" in leader


def test_it_marks_the_area_and_the_entry_of_the_page(org):
    html = client_for(org.office).get(reverse("meeting_list")).content.decode()
    assert 'class="nav-link dropdown-toggle active" type="button" id="nav-meetings"' in html
    assert 'class="dropdown-item active" aria-current="page" href="/meetings/"' in html
    assert html.count('aria-current="page"') == 1


def test_it_marks_the_longest_entry_the_page_lies_under(org):
    registry = Registry(areas=(navigation.MEETINGS,))
    registry.register(
        NavItem(navigation.MEETINGS, "公文", "document_list", any_role),
        NavItem(navigation.MEETINGS, "字号", "document_series_list", any_role),
        NavItem(None, "待办", "home", any_role),
    )

    def active(path):
        return [
            link.url_name
            for e in registry.menu(org.office, path)
            for link in e.links
            if link.active
        ]

    assert active("/documents/series/3/") == ["document_series_list"]
    assert active("/documents/12/") == ["document_list"]
    assert active("/") == ["home"]
    assert active("/units/") == []


# The registry -------------------------------------------------------------------------

AREA_A = Area("a", "甲区", 20)
AREA_B = Area("b", "乙区", 10)


def test_it_orders_areas_and_entries_and_skips_what_the_user_may_not_open(org):
    registry = Registry(areas=(AREA_A, AREA_B))
    registry.register(
        NavItem(AREA_A, "人员", "person_list", any_role, order=2),
        NavItem(AREA_A, "单位", "unit_list", any_role, order=1),
        NavItem(AREA_B, "汇报", "annual_report_list", role_in(Role.OFFICE)),
        NavItem(None, "待办", "home", any_role, order=5),
        NavItem(None, "后台", "admin:index", role_in(Role.OFFICE), order=99),
    )
    office = registry.menu(org.office)
    assert [(e.label, [link.label for link in e.links]) for e in office] == [
        ("待办", ["待办"]),
        ("乙区", ["汇报"]),
        ("甲区", ["单位", "人员"]),
        ("后台", ["后台"]),
    ]
    member = registry.menu(org.member)
    assert [e.label for e in member] == ["待办", "甲区"]
    assert registry.menu(org.outsider) == []


def test_it_shows_the_badges_an_entry_declares(org, monkeypatch):
    registry = Registry(areas=(AREA_A,))
    registry.register(
        NavItem(AREA_A, "单位", "unit_list", any_role, order=1, badge=lambda user: 3),
        NavItem(AREA_A, "人员", "person_list", any_role, order=2, badge=lambda user: 0),
    )
    [entry] = registry.menu(org.office)
    assert [link.badge for link in entry.links] == [3, 0]
    assert entry.badge == 3
    monkeypatch.setattr(navigation, "registry", registry)
    bar = bar_of(client_for(org.office).get("/").content.decode())
    assert bar.parts == [
        ("area", "甲区 |3"),
        ("link", "/units/", "单位 |3"),
        ("link", "/people/", "人员"),  # no badge for nothing to count
    ]


def test_it_refuses_an_entry_declared_twice_or_outside_the_declared_areas():
    registry = Registry(areas=(AREA_A,))
    item = NavItem(AREA_A, "单位", "unit_list", any_role)
    registry.register(item)
    registry.register(item)  # a second ready() changes nothing
    assert len(registry.items) == 1
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.register(NavItem(AREA_A, "别的", "unit_list", any_role))
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        registry.register(NavItem(AREA_B, "人员", "person_list", any_role))
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.add_area(Area("a", "另一个甲区", 30))

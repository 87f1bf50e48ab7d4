"""The navigation bar in a real browser, as every role, on a desktop and on a 390 px
phone: the menus shown are the registry's areas the role may open (`portal.navigation`),
each menu lists exactly the entries the role may open, one link per menu lands on its
page (200), and the unread count and the user menu stay where they were.

With UPDATE_DOCS_IMG=1 the office's desktop bar and the commissioner's phone bar are
saved to docs/img/navigation-desktop.png and docs/img/navigation-phone.png."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import navigation
from portal.deadlines.models import Notification
from portal.models import User
from tests.browser.conftest import UI
from tests.conftest import Org
from tests.matrix import CORE_PERSONAS

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
# The core roles: no menu entry depends on which leader one is (deputy and in charge see
# the leader's bar; tests/test_navigation.py checks every persona's entries without a
# browser).
SIGNED_IN = [p for p in CORE_PERSONAS if p != "anon"]
# The shots for the docs: (persona, size) -> the area shown open, and the file's name.
DOCS_SHOTS = {
    ("office", "desktop"): ("会议与公文", "navigation-desktop.png"),
    ("commissioner_a", "phone"): ("组织", "navigation-phone.png"),
}


def links_of(menu) -> list[tuple[str, str]]:
    """(label, path) of each link in a menu, as the browser shows them."""
    return [
        (text.strip(), href)
        for text, href in menu.locator("a").evaluate_all(
            "links => links.map(a => [a.innerText, a.getAttribute('href')])"
        )
    ]


def start_page(ui: UI, user: User) -> None:
    """Sign in and open the home page (a login without a role is refused it: 403, with the
    bar still shown)."""
    ui.sign_in(user)
    if not navigation.any_role(user):
        ui.allow_status(403, "/")
    ui.goto("/")
    expect(ui.page.locator("#usermenu")).to_have_count(1)


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_role_opens_every_menu_it_may(
    borg: Org, persona: str, size: str, live_server: object, request: pytest.FixtureRequest
) -> None:
    # `live_server` named here: the `ui` fixtures are picked by size below, and the live
    # server lets its host in only for a test that names it.
    ui: UI = request.getfixturevalue("ui" if size == "desktop" else "phone_ui")
    page = ui.page
    user: User = getattr(borg, persona)
    roles = navigation.any_role(user)
    if roles:  # two unread messages: the count stays in the bar
        for n in range(2):
            Notification.objects.create(recipient=user, kind="reminder", title=f"消息{n}")
    expected = navigation.registry.menu(user)
    areas = [entry for entry in expected if entry.area is not None]
    start_page(ui, user)
    if size == "phone":
        expect(page.locator("#mainnav")).to_be_hidden()  # folded behind the hamburger
    ui.unfold_menu()
    bar = page.locator("#nav-areas")

    # The bar: the areas the role may open and the links of their own, in order.
    expect(bar.locator(":scope > li > [data-bs-toggle=dropdown]")).to_have_text(
        [entry.label for entry in areas]
    )
    assert links_of(bar.locator(":scope > li:not(.dropdown)")) == [
        (entry.link.label, entry.link.url) for entry in expected if entry.area is None
    ]
    expect(page.locator("#usermenu")).to_be_visible()
    if roles:
        expect(page.locator("#inbox-unread")).to_have_text("2")
    else:
        expect(page.locator("#nav-inbox")).to_have_count(0)  # the inbox would refuse them
    ui.expect_fits_width()
    if size == "desktop":  # one row, not wrapped
        height = page.locator(".portal-navbar").bounding_box()
        assert height is not None and height["height"] < 70, height
    ui.shot("bar")

    # Each menu lists exactly the entries the role may open.
    for entry in areas:
        menu = ui.open_area(entry.label)
        assert links_of(menu) == [(link.label, link.url) for link in entry.links], entry.key
        ui.expect_fits_width()
        ui.shot(f"menu-{entry.key}")
        if DOCS_SHOTS.get((persona, size), ("",))[0] == entry.label:
            keep_for_docs(ui, DOCS_SHOTS[(persona, size)][1])
        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()

    # One link per menu lands on its page (the first on a desktop, the last on a phone),
    # marked in the bar as the page shown.
    for entry in areas:
        link = entry.links[0] if size == "desktop" else entry.links[-1]
        menu = ui.open_area(entry.label)
        target = ui.url(link.url)
        with page.expect_response(lambda r, target=target: r.url == target) as response:
            menu.get_by_role("link", name=link.label, exact=True).click()
        assert response.value.status == 200, link.url
        expect(page).to_have_url(ui.url(link.url))
        ui.unfold_menu()
        expect(page.locator(f"#nav-{entry.key}")).to_have_class("nav-link dropdown-toggle active")
        current = page.locator("#nav-areas [aria-current=page]")
        expect(current).to_have_count(1)
        expect(current).to_have_attribute("href", link.url)
        ui.shot(f"landed-{entry.key}")
    ui.logout()


def keep_for_docs(ui: UI, name: str) -> None:
    """The screenshot just taken, for the docs (with UPDATE_DOCS_IMG=1)."""
    if os.environ.get("UPDATE_DOCS_IMG") != "1":
        return
    shot = sorted(ui.shot_dir.glob("*.png"))[-1]
    shutil.copyfile(shot, DOCS_IMG / name)


def test_a_visitor_sees_no_menu(borg: Org, ui: UI) -> None:
    page = ui.page
    ui.goto("/")
    expect(page).to_have_url(ui.url_pattern("/accounts/login/"))
    expect(page.locator("#nav-areas")).to_have_count(0)
    expect(page.locator(".navbar-toggler")).to_have_count(0)
    expect(page.locator("#usermenu")).to_have_count(0)
    ui.shot("login")


def test_the_phone_menu_switches_language_and_keeps_the_areas(borg: Org, phone_ui: UI) -> None:
    ui = phone_ui
    page = ui.page
    start_page(ui, borg.leader)
    ui.unfold_menu()
    page.locator("#usermenu").click()
    page.get_by_role("button", name="English").click()
    # The switch posts and comes back to the same URL: wait for the English page itself
    # before unfolding its menu, or the old page's menu is the one unfolded.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(ui.url("/"))
    ui.unfold_menu()
    # The leader's five: 组织, 会议与公文, 联络交友, 督查督办, 述职与报告.
    expect(page.locator("#nav-areas > li.dropdown")).to_have_count(5)
    ui.shot("english")
    ui.unfold_menu()  # again if the full-page shot left it folded (seen once in CI)
    page.locator("#usermenu").click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    ui.unfold_menu()
    expect(page.locator("#nav-organisation")).to_have_text("组织")
    ui.shot("chinese")

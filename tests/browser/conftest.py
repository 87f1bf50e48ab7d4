"""Browser fixtures: headless Debian Chromium against Django's live server.

Conventions (docs/architecture.md, "Browser tests"):

- Every test gets a `UI` (`ui`: a desktop tab; `phone_ui`: 390×844, touch). A role test
  logs in through the real form (`ui.login`); a sweep may sign in by cookie
  (`ui.sign_in`), which is quicker and still goes through the real session middleware.
- `ui.nav("人员")` follows a menu entry, unfolding the menu on a phone and opening the
  entry's area (组织, 会议与公文, …) first; `ui.open_area("组织")` opens an area's menu.
- Every step saves a screenshot: `ui.shot("step")` writes
  var/screenshots/<test>/<NN>-<step>.png. Look at them.
- A test fails on any console error, uncaught exception, failed request or HTTP error
  response the page met, unless it declared the status first (`ui.allow_status(404,
  path)`), e.g. when it checks a "not found" page on purpose. The check runs when the
  test ends, so no test can forget it.
- A failing test leaves a Playwright trace under var/traces/ (pytest-playwright's
  `--tracing retain-on-failure --output var/traces`, set by `make test-browser`; open it
  with `.venv/bin/playwright show-trace var/traces/<test>/trace.zip`).
- Files: `ui.upload(label, path)` fills a file input, `ui.download(locator)` clicks and
  returns the saved file; `pdf_text(path)` reads a downloaded PDF back.

Every test here needs its data committed (the live server answers from another thread):
`borg` asks for `transactional_db`, and for a serialized rollback so that the role groups
made by the data migration come back after each test's flush.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import (
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Request,
    Response,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal.models import Person, PoliticalStatus, User
from tests.conftest import PASSWORD, Org
from tests.factories import PersonFactory
from tests.matrix import World
from tests.test_access_matrix import build_world

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# Playwright's default wait is 30 s; a page of this portal answers in well under one,
# but CI runs two browsers beside other work on two cores: 20 s for a page or a check
# (10 s once ran out while a letter was signed and rendered on a loaded machine).
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A browser set up the way the college's staff have theirs."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(scope="session")
def _db_snapshot(django_db_setup: None) -> str | None:
    """The test database's contents as created by the migrations (the role groups),
    serialized by pytest-django for `django_db_serialized_rollback`."""
    contents: str | None = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    return contents


@pytest.fixture(scope="session")
def playwright(_db_snapshot: str | None, playwright: Any) -> Generator[Any]:
    """pytest-playwright's `playwright`, started after the test database exists.

    Once Playwright's sync API runs, an asyncio loop counts as running in the main thread
    until the session ends. Two consequences, handled here for whatever runs after:

    - Django refuses ORM calls "from an async context": allowed with
      DJANGO_ALLOW_ASYNC_UNSAFE (the Makefile sets it too; set here so that a plain
      `pytest -m browser`, or a whole-suite run, works as well).
    - Django keeps its connections for the thread in another store, so tests see a new
      `connection` object, without the serialized contents pytest-django set on the old
      one at database creation; each test's flush would then erase the role groups made
      by the data migration. They are handed over to the connection the tests use.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if _db_snapshot is not None and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = _db_snapshot
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield playwright


@pytest.fixture(autouse=True)
def _cookies_without_dates(settings: Any) -> None:
    """The server runs at the test instant (tests/conftest.py), Chromium on the real
    date: a cookie with an expiry date computed on one clock and judged on the other
    could be dropped as expired. Session-length cookies carry no date."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


@pytest.fixture
def borg(django_db_serialized_rollback: None, transactional_db: None, org: Org) -> Org:
    """The shared personas, committed so the live server sees them."""
    return org


@pytest.fixture
def person_b(borg: Org) -> Person:
    """A non-party figure of branch B, out of commissioner A's sight."""
    person: Person = PersonFactory(
        name="经管乙", unit=borg.branch_b, political_status=PoliticalStatus.CDL
    )
    return person


class UI:
    """One browser tab on the live server, with the steps every role test shares."""

    def __init__(self, page: Page, base_url: str, shot_dir: Path) -> None:
        self.page = page
        self.base_url = base_url
        self.shot_dir = shot_dir
        self.problems: list[str] = []  # console errors, failed requests, error responses
        self._allowed: set[tuple[int, str]] = set()
        self._failed: list[tuple[str, str]] = []  # failed requests: (URL, what failed)
        self._downloaded: set[str] = set()  # the URLs `download()` fetched
        self._step = 0
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    # What the page met ------------------------------------------------------------------

    def allow_status(self, status: int, path: str) -> None:
        """The test expects `path` to answer `status` (an error page it checks on purpose)."""
        self._allowed.add((status, path))

    def _is_allowed(self, status: int, url: str) -> bool:
        return (status, urlsplit(url).path) in self._allowed

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        failed = re.search(r"status of (\d{3})", message.text)
        if failed and self._is_allowed(int(failed.group(1)), source):
            return
        self.problems.append(f"console: {message.text} [{source}]")

    def _on_page_error(self, error: Error) -> None:
        self.problems.append(f"{self.page.url}: uncaught {error.name}: {error.message}")

    def _on_request_failed(self, request: Request) -> None:
        self._failed.append((request.url, f"{request.method} {request.url}: {request.failure}"))

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and not self._is_allowed(response.status, response.url):
            self.problems.append(
                f"HTTP {response.status}: {response.request.method} {response.url}"
            )

    def expect_no_problems(self) -> None:
        # Chromium reports a navigation that turned into a download as aborted, and the
        # icon and static files a page was still fetching as aborted when a click leaves
        # the page first (a missing static file answers 404, caught in `_on_response`).
        self.problems += [
            f"request failed: {what}"
            for url, what in self._failed
            if not (
                what.endswith("net::ERR_ABORTED")
                and (
                    url in self._downloaded
                    or urlsplit(url).path.endswith("/favicon.svg")
                    or urlsplit(url).path.startswith("/static/")
                )
            )
        ]
        assert self.problems == [], "the page met problems:\n" + "\n".join(self.problems)

    # Steps --------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def url_pattern(self, path: str) -> re.Pattern[str]:
        """The page's address is `path`, with or without a query string."""
        return re.compile(re.escape(self.url(path)) + r"(\?.*)?$")

    def shot(self, step: str) -> None:
        self._step += 1
        name = f"{self._step:02d}-{re.sub(r'[^0-9A-Za-z_-]+', '-', step)}.png"
        self.page.screenshot(path=self.shot_dir / name, full_page=True)

    def goto(self, path: str) -> Response | None:
        return self.page.goto(self.url(path))

    def unfold_menu(self) -> None:
        """On a narrow screen, unfold the folded menu (the hamburger button)."""
        toggler = self.page.locator(".navbar-toggler")
        menu = self.page.locator("#mainnav")
        if toggler.is_visible() and not menu.is_visible():
            toggler.click()
            # Wait for the unfolding to end: a click during Bootstrap's collapse
            # transition can land on a moving menu.
            expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))

    def open_area(self, label: str) -> Locator:
        """Open the bar's menu `label` (an area: 组织, 会议与公文, …); returns the menu."""
        self.unfold_menu()
        area = self.page.locator("#nav-areas > li.dropdown").filter(
            has=self.page.get_by_role("button", name=label, exact=True)
        )
        toggle = area.get_by_role("button", name=label, exact=True)
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        menu = area.locator(".dropdown-menu")
        expect(menu).to_be_visible()
        return menu

    def nav(self, label: str) -> None:
        """Follow a main-menu entry: unfold the menu on a narrow screen, and open the
        entry's area menu first when the entry sits in one."""
        self.page.wait_for_load_state("load")  # the menus work once the script has run
        self.unfold_menu()
        bar = self.page.locator("#mainnav")
        link = bar.get_by_role("link", name=label, exact=True)
        # (A `has=` locator is matched inside each candidate: not rooted at the bar.)
        hidden = self.page.get_by_role("link", name=label, exact=True, include_hidden=True)
        area = bar.locator("li.dropdown").filter(has=hidden)
        for attempt in range(3):
            if not link.is_visible():
                area.locator("[data-bs-toggle=dropdown]").click()
                expect(link).to_be_visible()
            try:
                link.click(timeout=5000)
                return
            except PlaywrightTimeoutError:
                # The area's menu closed between opening and the click (seen on a
                # loaded machine right after a form's redirect): open it again, as a
                # person would.
                if attempt == 2:
                    raise

    def login(self, user: User, password: str = PASSWORD) -> None:
        """Through the login form, as a person would."""
        page = self.page
        self.goto("/")
        expect(page).to_have_url(self.url_pattern("/accounts/login/"))
        expect(page.get_by_role("heading", name="登录统战工作平台")).to_be_visible()
        self.shot("login-page")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).to_have_url(self.url("/"))
        expect(page.get_by_role("heading", name="我的待办", level=1)).to_be_visible()
        expect(page.locator("#usermenu")).to_contain_text(user.display_name)
        self.shot("home")

    def sign_in(self, user: User) -> None:
        """A session made on the server side, handed to the browser as its cookie."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )

    def logout(self) -> None:
        page = self.page
        # After a form's redirect the page's content (its alert) is there before the
        # script at its end has made the menus work: a click then opens nothing.
        page.wait_for_load_state("load")
        self.unfold_menu()  # a narrow screen: the menu is folded away
        button = page.get_by_role("button", name="退出登录")
        for attempt in range(3):
            if not button.is_visible():
                page.locator("#usermenu").click()
            try:
                expect(button).to_be_visible(timeout=5000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        self.shot("user-menu")
        button.click()
        expect(page).to_have_url(self.url_pattern("/accounts/login/"))
        expect(page.get_by_role("heading", name="登录统战工作平台")).to_be_visible()
        expect(page.locator("#usermenu")).to_have_count(0)
        self.shot("logged-out")

    def expect_fits_width(self) -> None:
        """Nothing sticks out sideways: the page scrolls only down (wide tables scroll
        inside their own `.table-responsive` box)."""
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        scroll_width = self.page.evaluate("() => document.scrollingElement.scrollWidth")
        assert scroll_width <= width, (
            f"{self.page.url} is {scroll_width} px wide on a {width} px screen"
        )

    # Files --------------------------------------------------------------------------------

    def upload(self, label: str, path: Path) -> None:
        """Choose a file in the file input labelled `label`."""
        self.page.get_by_label(label).set_input_files(path)

    def download(self, trigger: Locator) -> Path:
        """Click `trigger`, wait for the download, keep it next to the screenshots."""
        with self.page.expect_download() as info:
            trigger.click()
        download = info.value
        self._downloaded.add(download.url)
        target = self.shot_dir / "downloads" / download.suggested_filename
        target.parent.mkdir(exist_ok=True)
        download.save_as(target)
        return target


def pdf_text(path: Path) -> str:
    """The text of a PDF, read back with poppler's pdftotext (as the PDF tests do)."""
    result = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def _open_ui(page: Page, base_url: str, request: pytest.FixtureRequest) -> Iterator[UI]:
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")  # test_x[chromium]
    shot_dir = request.config.rootpath / "var" / "screenshots" / test_name
    shutil.rmtree(shot_dir, ignore_errors=True)
    shot_dir.mkdir(parents=True)
    ui = UI(page, base_url, shot_dir)
    yield ui
    ui.expect_no_problems()


@pytest.fixture
def ui(page: Page, live_server: Any, request: pytest.FixtureRequest) -> Generator[UI]:
    """A desktop-sized tab (1280×720)."""
    yield from _open_ui(page, live_server.url, request)


@pytest.fixture
def phone_ui(new_context: Any, live_server: Any, request: pytest.FixtureRequest) -> Generator[UI]:
    """A phone-sized tab (390×844, touch)."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield from _open_ui(context.new_page(), live_server.url, request)


@pytest.fixture
def bworld(borg: Org) -> World:
    """The access matrix's world (unit B, its sensitive figure, each app's records),
    committed for the live server."""
    return build_world(borg)

"""Browser fixtures: headless Debian Chromium against Django's live server.

Every test here logs in through the real login form, so the data the `org` fixture
builds must be committed (the live server answers from another thread): `borg` asks for
`transactional_db`, and for a serialized rollback so that the role groups made by the
data migration come back after each test's flush.

Each step of a test saves a screenshot under var/screenshots/<test>/<NN>-<step>.png;
a failing test also leaves a Playwright trace there (open it with
`.venv/bin/playwright show-trace var/screenshots/<test>/trace.zip`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, expect

from portal.models import Person, PoliticalStatus, User
from tests.conftest import PASSWORD, Org
from tests.factories import PersonFactory

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# Playwright's default wait is 30 s; a page of this portal answers in well under one.
TIMEOUT_MS = 5_000


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


_FAILED = pytest.StashKey[bool]()


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
        self.console_errors: list[str] = []
        self._step = 0
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        self.console_errors.append(f"{self.page.url}: {message.text} [{source}]")

    def _on_page_error(self, error: Error) -> None:
        self.console_errors.append(f"{self.page.url}: uncaught {error.name}: {error.message}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def url_pattern(self, path: str) -> re.Pattern[str]:
        """The page's address is `path`, with or without a query string."""
        return re.compile(re.escape(self.url(path)) + r"(\?.*)?$")

    def shot(self, step: str) -> None:
        self._step += 1
        name = f"{self._step:02d}-{re.sub(r'[^0-9A-Za-z_-]+', '-', step)}.png"
        self.page.screenshot(path=self.shot_dir / name, full_page=True)

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def nav(self, label: str) -> None:
        """Follow a main-menu entry."""
        self.page.locator("#mainnav").get_by_role("link", name=label, exact=True).click()

    def login(self, user: User) -> None:
        page = self.page
        self.goto("/")
        expect(page).to_have_url(self.url_pattern("/accounts/login/"))
        expect(page.get_by_role("heading", name="登录统战工作平台")).to_be_visible()
        self.shot("login-page")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).to_have_url(self.url("/"))
        expect(page.get_by_role("heading", name="我的待办", level=1)).to_be_visible()
        expect(page.locator("#usermenu")).to_contain_text(user.display_name)
        self.shot("home")

    def logout(self) -> None:
        page = self.page
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():  # a narrow screen: the menu is folded away
            toggler.click()
        page.locator("#usermenu").click()
        button = page.get_by_role("button", name="退出登录")
        expect(button).to_be_visible()
        self.shot("user-menu")
        button.click()
        expect(page).to_have_url(self.url_pattern("/accounts/login/"))
        expect(page.get_by_role("heading", name="登录统战工作平台")).to_be_visible()
        expect(page.locator("#usermenu")).to_have_count(0)
        self.shot("logged-out")

    def expect_no_horizontal_overflow(self) -> None:
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], f"{self.page.url} scrolls sideways: {widths}"

    def expect_no_console_errors(self) -> None:
        assert self.console_errors == [], "\n".join(self.console_errors)


def _open_ui(
    context: BrowserContext, base_url: str, request: pytest.FixtureRequest
) -> Iterator[UI]:
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")  # test_x[chromium]
    shot_dir = request.config.rootpath / "var" / "screenshots" / test_name
    shutil.rmtree(shot_dir, ignore_errors=True)
    shot_dir.mkdir(parents=True)
    context.tracing.start(screenshots=True, snapshots=True)
    yield UI(context.new_page(), base_url, shot_dir)
    if request.node.stash.get(_FAILED, False):
        context.tracing.stop(path=shot_dir / "trace.zip")
    else:
        context.tracing.stop()


@pytest.fixture
def ui(context: BrowserContext, live_server: Any, request: pytest.FixtureRequest) -> Generator[UI]:
    """A desktop-sized tab (1280×720)."""
    yield from _open_ui(context, live_server.url, request)


@pytest.fixture
def phone_ui(new_context: Any, live_server: Any, request: pytest.FixtureRequest) -> Generator[UI]:
    """A phone-sized tab (390×844, touch)."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield from _open_ui(context, live_server.url, request)

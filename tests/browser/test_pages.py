"""Every page of the access matrix, for every role that may open it, on a phone.

The pages come from tests/test_access_matrix.py (EXPECTED, URL_ARGS and the world), so
a page an app adds there is swept here too, with no line to write. For each one: the
page loads in Chromium at 390 px wide without a console error, a failed request or an
error response (the `UI` fixture checks that when the test ends), nothing makes it wider
than the screen, and a screenshot is saved for a person to look at. A download (DOWNLOADS)
is fetched with the tab's session instead, and must come as an attachment; an image a
page shows (INLINE_FILES) is fetched too, and must come as an image.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import UI
from tests.matrix import CORE_PERSONAS, World, expected_outcome, url_for
from tests.test_access_matrix import DOWNLOADS, EXPECTED, INLINE_FILES, URL_ARGS

pytestmark = pytest.mark.browser

# Not a page: the health check answers JSON. Downloads are in DOWNLOADS.
NOT_PAGES = {"healthz", "export_job_status"}  # JSON (the progress page polls it)


def _pages_for(persona: str) -> list[str]:
    return [
        name
        for name in sorted(EXPECTED)
        if name not in NOT_PAGES and expected_outcome(EXPECTED[name], persona) == 200
    ]


# The deputy and the leader in charge see the group leader's pages (the access matrix
# holds where they differ): sweeping them again would render the same templates.
@pytest.mark.parametrize("persona", CORE_PERSONAS)
def test_every_page_of_the_role_works_on_a_phone(bworld: World, phone_ui: UI, persona: str) -> None:
    ui = phone_ui
    if persona != "anon":
        ui.sign_in(getattr(bworld.org, persona))
    pages = _pages_for(persona)
    assert pages, persona
    for name in pages:
        path = url_for(name, bworld, URL_ARGS)
        if name in DOWNLOADS:  # a file to save: fetched with the tab's session, not opened
            download = ui.page.request.get(ui.url(path))
            assert download.status == 200, (name, download.status)
            assert download.headers["content-disposition"].startswith("attachment"), name
            continue
        if name in INLINE_FILES:  # an image a page shows: fetched, not opened as a page
            shown = ui.page.request.get(ui.url(path))
            assert shown.status == 200, (name, shown.status)
            assert shown.headers["content-type"].startswith("image/"), name
            continue
        response = ui.goto(path)
        assert response is not None
        assert response.status == 200, (name, response.status)
        expect(ui.page.locator("h1").first).to_be_visible()
        ui.expect_fits_width()
        ui.shot(name)


ADMIN_PAGES = (
    "/admin/",
    "/admin/portal/person/",
    "/admin/portal/person/{person}/change/",
    "/admin/portal/unit/",
    "/admin/portal/unit/add/",
)


def test_the_admin_works_under_the_content_security_policy(bworld: World, ui: UI) -> None:
    """The office's admin site shares the portal's CSP: no page of it may be blocked."""
    ui.sign_in(bworld.org.office)
    for path in ADMIN_PAGES:
        response = ui.goto(path.format(person=bworld.person.pk))
        assert response is not None
        assert response.status == 200, path
        ui.shot(path.strip("/").replace("/", "-"))

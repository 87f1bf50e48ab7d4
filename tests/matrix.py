"""The machinery of the access matrix, shared by the tests that walk every page.

The declarations (which page answers whom, how to build its URL, what a valid POST to it
is) live in `tests/test_access_matrix.py`, one block per app; this module knows nothing
about any particular page. `docs/architecture.md` ("Quality gates") explains how an app
registers its pages.

- Personas: the roles every page is requested as. `deputy` and `in_charge` inherit the
  group leader's outcome unless a table names them, so most tables need not repeat it.
- World: the records a URL's path parameters point at, built by the registered
  world parts (`WORLD_PARTS`), all of them about unit B, so that commissioner A is out of
  scope and commissioner B in it; the person is a non-party figure with sensitive data.
- Fingerprint: every row of every table, so "a forbidden POST changes nothing" is checked
  in the database rather than on the few tables a test author thought of.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Org

# The roles a table must give an outcome for.
CORE_PERSONAS = (
    "anon",
    "outsider",
    "office",
    "leader",
    "member",
    "commissioner_a",
    "commissioner_b",
)
# Leaders with a particular duty: the same outcome as `leader` unless a table says otherwise
# (e.g. a sign-off only the group leader may give).
# A liaison officer and a publicity member: an outsider's outcome on every page their
# role does not open (the tables of the liaisons app name them).
INHERITING = {
    "deputy": "leader",
    "in_charge": "leader",
    "liaison": "outsider",
    "publicity": "outsider",
}
PERSONAS = CORE_PERSONAS + tuple(INHERITING)

LOGIN = "login"  # a redirect to the login page
FORBIDDEN = frozenset({LOGIN, 403, 404})  # outcomes meaning "this role may not use the page"

Outcome = int | str
Outcomes = dict[str, Outcome]


def every(outcome: Outcome) -> Outcomes:
    return dict.fromkeys(CORE_PERSONAS, outcome)


def expected_outcome(outcomes: Outcomes, persona: str) -> Outcome:
    if persona in outcomes:
        return outcomes[persona]
    return outcomes[INHERITING[persona]]


def allowed_personas(outcomes: Outcomes) -> list[str]:
    return [p for p in PERSONAS if expected_outcome(outcomes, p) == 200]


def forbidden_personas(outcomes: Outcomes) -> list[str]:
    return [p for p in PERSONAS if expected_outcome(outcomes, p) in FORBIDDEN]


# The world: records that path parameters point at ---------------------------------------


class World(SimpleNamespace):
    """What the URLs of the matrix point at. The organisation part sets `org` (the
    personas), `unit` (branch B), `person` (a non-party figure of branch B with
    sensitive data) and `year`; each app's part adds its own records (of unit B, about
    `person` where they concern people)."""

    org: Org

    def __setattr__(self, name: str, value: Any) -> None:
        # Parts of different apps share one namespace: a second part reusing a name
        # would silently point the first app's URLs at the other app's record.
        if name in self.__dict__:
            raise AttributeError(f"world.{name} is already set by another part")
        super().__setattr__(name, value)


WorldPart = Callable[[World], None]
UrlArgs = Callable[[World], dict[str, Any]]
Payload = Callable[[World], dict[str, Any]]


def build_world(org: Org, parts: list[WorldPart]) -> World:
    world = World(org=org)
    for part in parts:
        part(world)
    return world


def url_for(name: str, world: World, url_args: dict[str, UrlArgs]) -> str:
    builder = url_args.get(name)
    return reverse(name, kwargs=builder(world) if builder else None)


def client_as(world: World, persona: str, **client_kwargs: Any) -> Client:
    """A client logged in as the persona: with the session `log_in_everyone` opened for
    the world when it did (a login writes a session row and the user's `last_login`; it
    was a third of the walks' time), else by logging in now."""
    client = Client(**client_kwargs)
    if persona == "anon":
        return client
    sessions = world.__dict__.get("sessions")
    if sessions is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
    else:
        client.force_login(getattr(world.org, persona))
    return client


def log_in_everyone(world: World) -> None:
    """Open one session per persona, in the module's transaction (so a test's rollback
    keeps it), for `client_as` to reuse; and start the world's page cache (`page`). Call
    it last, when the world is built."""
    sessions = {}
    for persona in PERSONAS:
        if persona != "anon":
            user = getattr(world.org, persona)
            user.refresh_from_db()  # (a form may have changed the password)
            client = Client()
            client.force_login(user)
            sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world.sessions = sessions
    world.pages = {}


class Page:
    """A response read once and kept: what the walks look at (status, headers, body)."""

    streaming = False

    def __init__(self, response: HttpResponseBase) -> None:
        self.status_code = response.status_code
        self.headers = dict(response.items())
        self.content = (
            b"".join(response.streaming_content)
            if isinstance(response, StreamingHttpResponse)
            else response.content
        )

    def get(self, header: str, default: str = "") -> str:
        return self.headers.get(header, default)

    def __getitem__(self, header: str) -> str:
        return self.headers[header]

    def __contains__(self, header: str) -> bool:
        return header in self.headers


def page(world: World, persona: str, name: str, url_args: dict[str, UrlArgs]) -> Page:
    """The named page as the persona sees it in the built world, requested once per
    module: the world is the same in every test (each test's writes are rolled back),
    so every walk that only reads a page (outcomes, forms, leaks, CSP, links, escaping)
    reads the same answer."""
    key = (persona, name)
    if key not in world.pages:
        response = client_as(world, persona).get(url_for(name, world, url_args))
        world.pages[key] = Page(response)
    return world.pages[key]


def outcome_of(response: HttpResponse | Page) -> Outcome:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


# The URLconf ------------------------------------------------------------------------------


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str | None = None
) -> Iterator[tuple[URLPattern, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, pattern.namespace or namespace)
        else:
            yield pattern, namespace


def project_patterns() -> dict[str, URLPattern]:
    """Every named pattern of the project (the admin, which has its own permission
    system, excepted); an unnamed pattern is listed by its route so it cannot hide."""
    return {
        pattern.name or str(pattern.pattern): pattern
        for pattern, namespace in _patterns(get_resolver().url_patterns)
        if namespace != "admin"
    }


def path_parameters(pattern: URLPattern) -> set[str]:
    return set(getattr(pattern.pattern, "converters", {}))


# The database, row by row ----------------------------------------------------------------

# Tables a request may legitimately write whatever the role: the session store and the
# login-attempt log of django-axes.
VOLATILE_TABLES = frozenset(
    {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}
)


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table, by table."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in VOLATILE_TABLES or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
        result[table] = f"{len(rows)}:{digest}"
    return result


def writes() -> int:
    """How many rows this connection has inserted, updated or deleted so far (in the
    test's transaction): one cheap query. When it has not moved, nothing changed, and
    the full `fingerprint()` comparison can be skipped; when it has, the fingerprints
    tell whether a table that matters changed (a session row does not)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return int(cursor.fetchone()[0])


def unchanged_since(before: dict[str, str], mark: int) -> list[str]:
    """The tables changed since `before` was taken (and `mark = writes()`): none when no
    row was written at all, without reading every table again."""
    if writes() == mark:
        return []
    return changed_tables(before, fingerprint())


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# The HTML --------------------------------------------------------------------------------


class PageScan(HTMLParser):
    """What a page contains that the quality gates care about: its POST forms and
    anything the Content-Security-Policy (no `unsafe-inline`) would block."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.post_forms: list[str] = []  # the paths the page's POST forms submit to
        self.inline: list[str] = []  # what the CSP forbids
        self.file_inputs: list[str] = []
        self.get_fields: set[str] = set()  # names of the fields of the page's GET forms
        self.links: set[str] = set()  # the portal paths the page's <a href> lead to
        self._in_inline_script = False
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.inline.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.inline.append(f"<{tag} {name}=…>")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}=javascript:…>")
        if tag == "a" and values.get("href"):
            target = urlsplit(urljoin(self.url, values["href"] or ""))
            if not target.netloc or target.netloc == "testserver":
                self.links.add(target.path + (f"?{target.query}" if target.query else ""))
        if tag == "style":
            self.inline.append("<style> element")
        elif tag == "script" and not values.get("src"):
            self._in_inline_script = True
        elif tag == "form":
            method = (values.get("method") or "get").lower()
            self._in_get_form = method == "get"
            if method == "post":
                action = urljoin(self.url, values.get("action") or "")
                self.post_forms.append(urlsplit(action).path)
        elif tag in {"input", "select", "textarea"}:
            if values.get("type") == "file":
                self.file_inputs.append(values.get("name") or "")
            if self._in_get_form and values.get("name"):
                self.get_fields.add(values["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False
        elif tag == "form":
            self._in_get_form = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}…</script>")


def scan(url: str, html: str) -> PageScan:
    parser = PageScan(url)
    parser.feed(html)
    parser.close()
    return parser


def is_html(response: HttpResponseBase | Page) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response_text(response: HttpResponseBase | Page) -> str:
    """What a reader finds in a response: a page's HTML, a spreadsheet's cell values,
    else the bytes as far as they decode (a download is streamed)."""
    content = Page(response).content if isinstance(response, HttpResponseBase) else response.content
    if response.get("Content-Type", "").startswith(XLSX_TYPE):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode(errors="replace")

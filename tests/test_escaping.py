"""No user-controlled text is rendered unescaped.

Found by introspection, not by hand: every form the access matrix knows (PAYLOADS) is
posted with a hostile string in each of its text fields, then every page of the matrix
is read by every role that may read it, and so is every GET form (search, filters) with
the hostile string in each of its fields. The raw markup must appear nowhere; each
stored string must appear, escaped, on some page (or the test would prove nothing).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django import forms

from tests.conftest import build_org, shared_by_module
from tests.matrix import (
    LOGIN,
    allowed_personas,
    client_as,
    is_html,
    log_in_everyone,
    outcome_of,
    page,
    scan,
    url_for,
)
from tests.test_access_matrix import (
    EXPECTED,
    PAYLOADS,
    URL_ARGS,
    build_world,
    post_success,
    posters,
)

# The shifted legs skip it (Makefile); one worker builds its world once; coverage does
# not trace its walks (as the access matrix's).
pytestmark = [pytest.mark.dateless, pytest.mark.xdist_group("escaping"), pytest.mark.no_cover]

RAW = ("<script>h", "<b onmouseover")


def hostile(n: int) -> str:
    return f"<script>h{n}()</script><b onmouseover=h{n}()>"


def escaped(n: int) -> str:
    return f"&lt;script&gt;h{n}()"


def _text_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
    ]


def _fit(form: forms.BaseForm | None, name: str, value: str) -> str:
    max_length = getattr(form.fields[name], "max_length", None) if form is not None else None
    return value[:max_length] if max_length else value


def _assert_no_raw_markup(html: str, where: str) -> None:
    found = [raw for raw in RAW if raw in html]
    assert found == [], f"{where} renders {found} unescaped"


@pytest.fixture(scope="module")
def _module_hostile_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module: its tests only read it."""
    with shared_by_module(django_db_blocker, tmp_path_factory):
        yield _build_hostile_world()


@pytest.fixture
def hostile_world(_module_hostile_world, db):
    return _module_hostile_world


def _build_hostile_world():
    """The world after the office (or whoever may) submitted every form with hostile
    text: the stored strings by number, and the pages that show new records."""
    world = build_world(build_org())
    stored: dict[int, str] = {}
    with_text: set[str] = set()
    created_pages: list[str] = []
    shown_after_post: list[str] = []
    n = 0
    for name in sorted(PAYLOADS):
        persona = posters(name)[0]
        client = client_as(world, persona)
        url = url_for(name, world, URL_ARGS)
        base = PAYLOADS[name](world)
        page = client.get(url)
        form = page.context.get("form") if page.status_code == 200 and page.context else None
        # The text fields: the form's, or for a POST-only action (its form is on another
        # page) the payload's text values.
        if form is not None:
            fields = _text_fields(form)
        else:
            fields = [k for k, v in base.items() if isinstance(v, str) and not v.isdigit()]
        if fields:
            with_text.add(name)
        # Each text field: the hostile string alone, else appended to the valid value
        # (e.g. a schedule line's holiday name), else the valid value (an e-mail address).
        tries: dict[str, list[str]] = {}
        numbers: dict[str, int] = {}
        for field in fields:
            n += 1
            numbers[field] = n
            valid = str(base.get(field, ""))
            tries[field] = [hostile(n), f"{valid} {hostile(n)}".strip(), valid]
        for _attempt in range(3):
            data = base | {f: _fit(form, f, options[0]) for f, options in tries.items()}
            response = client.post(url, data)
            _assert_no_raw_markup(response.content.decode(), f"{name} (the answer)")
            if outcome_of(response) == post_success(name, persona):
                break
            shown = response.context.get("form") if response.context else None
            errors = shown.errors if shown is not None else dict.fromkeys(tries)
            rejected = [f for f in tries if f in errors and len(tries[f]) > 1]
            if not rejected:
                break  # nothing stored (a login with a hostile user name), shown escaped above
            for f in rejected:
                tries[f].pop(0)
        if outcome_of(response) == post_success(name, persona):
            stored |= {numbers[f]: name for f, options in tries.items() if "<script>" in options[0]}
            if response.status_code == 302:
                # The page after the POST, with its flash message ("已保存……").
                landing = client.get(response["Location"]).content.decode()
                _assert_no_raw_markup(landing, f"{name} (the page after it)")
                shown_after_post.append(landing)
                if not url.endswith("/edit/"):
                    created_pages.append(response["Location"])
        for attr in ("unit", "person"):
            getattr(world, attr).refresh_from_db()
    log_in_everyone(world)
    return world, stored, created_pages, with_text, shown_after_post


def test_it_stores_hostile_text_through_the_forms(hostile_world):
    _world, stored, _created, with_text, _shown = hostile_world
    assert {"unit_create", "unit_update", "person_create", "person_update"} <= set(stored.values())
    assert "workday_year_edit" in stored.values()


def test_it_escapes_stored_hostile_text_on_every_page_for_every_role(hostile_world):
    world, stored, created, _with_text, shown_after_post = hostile_world
    shown_to_office = "".join(shown_after_post)
    for name in sorted(EXPECTED):
        for persona in allowed_personas(EXPECTED[name]):
            response = page(world, persona, name, URL_ARGS)
            # (The hostile posts moved some records on: a page may now redirect, but the
            # persona's session must hold, or the walk would read only login redirects.)
            assert outcome_of(response) != LOGIN, (name, persona)
            if not is_html(response):
                continue
            html = response.content.decode()
            _assert_no_raw_markup(html, f"{name} as {persona}")
            if persona == "office":
                shown_to_office += html
    for url in created:
        html = client_as(world, "office").get(url).content.decode()
        _assert_no_raw_markup(html, url)
        shown_to_office += html
    never_shown = {n: form for n, form in stored.items() if escaped(n) not in shown_to_office}
    assert never_shown == {}, "these stored strings appear on no page: the check is blind"


def test_it_escapes_hostile_text_in_every_search_and_filter(hostile_world):
    world, _stored, _created, _with_text, _shown = hostile_world
    for name in sorted(EXPECTED):
        url = url_for(name, world, URL_ARGS)
        for persona in allowed_personas(EXPECTED[name]):
            response = page(world, persona, name, URL_ARGS)
            if not is_html(response):
                continue
            fields = scan(url, response.content.decode()).get_fields | {"q", "page"}
            query = urlencode(dict.fromkeys(sorted(fields), hostile(0)))
            reflected = client_as(world, persona).get(f"{url}?{query}")
            _assert_no_raw_markup(reflected.content.decode(), f"{name}?{query} as {persona}")


# Values an outside probe sent to the lists' parameters: a negative, zero or huge year,
# an exponent, a fraction, full-width digits, words, a NUL, an impossible date.
BAD_VALUES = (
    "-1",
    "0",
    "99999",
    "1e9",
    "1.5",
    "２０２６",
    "abc",
    "9" * 25,
    "9" * 5000,
    "2026-13-45",
    "\x00",
)
USUAL_PARAMETERS = {"q", "page", "year", "on", "month", "tab", "state", "unit", "kind"}


def test_it_answers_bad_filter_values_with_a_page_not_an_error(hostile_world):
    """Probe finding: `/documents/?year=-1` (0, 99999, 1e9, 1.5, …) was a 500. Every
    parameter of every page's GET forms, and the usual ones besides, with each bad
    value: a page (the value ignored or explained), never a server error."""
    world = hostile_world[0]
    failures = []
    for name in sorted(EXPECTED):
        allowed = allowed_personas(EXPECTED[name])
        if not allowed:
            continue
        url = url_for(name, world, URL_ARGS)
        client = client_as(world, allowed[0])
        client.raise_request_exception = False
        response = page(world, allowed[0], name, URL_ARGS)
        if not is_html(response):
            continue
        fields = scan(url, response.content.decode()).get_fields | USUAL_PARAMETERS
        for value in BAD_VALUES:
            answer = client.get(f"{url}?{urlencode(dict.fromkeys(sorted(fields), value))}")
            if answer.status_code >= 500:
                failures.append(f"{name}?…={value!r}: {answer.status_code}")
    assert failures == [], "\n".join(failures)

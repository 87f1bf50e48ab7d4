"""Malformed values posted to every form and action of the portal: never a server error.

Found by introspection, not by hand: every POST the access matrix knows (PAYLOADS, and
the POST-only actions of POST_EXPECTED) is made by a role allowed to make it, with each
field of its valid payload (and the few fields a view reads that no payload names,
EXTRA_FIELDS) in turn, and then every field at once, set to each bad value below. An
action with no field at all (a delete button) is posted as it is. No answer may be a
500 or Django's technical error page; and an answer that refuses the post (a 4xx, or
the form shown again with its errors) must have saved nothing, checked on every row of
every table (the matrix's fingerprint).

Each post is made to the world as it was built (it runs in a savepoint rolled back
afterwards), so a bad value that is accepted does not move a record on and change what
the next post meets.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from tests.conftest import build_org, shared_by_module
from tests.matrix import (
    World,
    changed_tables,
    client_as,
    fingerprint,
    log_in_everyone,
    url_for,
    writes,
)
from tests.test_access_matrix import (
    NO_PAYLOAD,
    PAYLOADS,
    POST_EXPECTED,
    URL_ARGS,
    build_world,
    post_success,
    posters,
)

# The shifted legs skip it (Makefile); one worker builds its world once; coverage does
# not trace its posts (as the access matrix's).
pytestmark = [pytest.mark.dateless, pytest.mark.xdist_group("form_fuzz"), pytest.mark.no_cover]

# What an outside probe types into a form: a word, a number past 64 bits, a negative, an
# exponent, a fraction, a NUL, full-width digits, nothing, and 20,000 digits (a text far
# past any max_length, and a number past Python's 4,300-digit int() limit).
BAD_VALUES = {
    "word": "abc",
    "huge": "9" * 25,
    "negative": "-1",
    "exponent": "1e9",
    "fraction": "1.5",
    "nul": "\x00",
    "fullwidth": "１２",
    "empty": "",
    "long": "9" * 20_000,
}
ALL_FIELDS = "*"
# On PostgreSQL (the services leg) the values the database itself treats differently:
# it refuses a NUL in text and a string longer than its column, and checks a number's
# range, where SQLite stores anything. The others exercise the same Python on both.
DATABASE_VALUES = {"nul", "long", "huge"}
# Posted in each field alone as well as in all at once: the values that meet a field's
# own parsing (a number, a text's length and characters). The others (a sign, an
# exponent, a fraction, full-width or no digits) go in all fields at once, which keeps
# the fast leg's share of CI's 25 minutes.
PER_FIELD_VALUES = {"word", "huge", "nul", "long"}

# Fields a view reads from the POST that no payload of the matrix names (the payload is
# empty, or the field is optional): read with request.POST.get() or a form of Django's.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "logout": ("next",),
    "set_language": ("language", "next"),
    "lockout_reset": ("username",),
    "document_verify": ("file",),
    "inbox_read": ("next",),
    "inbox_read_all": ("next",),
    "study_confirm": ("next",),
    "study_record": ("page",),
    "suggestion_create": ("talk",),
}

# Markers of Django's debug pages (a traceback, or "you have DEBUG = True").
TECHNICAL_PAGE = (b'id="traceback"', b"Traceback (most recent call last)", b"DEBUG = True")

# Posts that fail today, by (URL name, bad value) with the reason: a strict xfail, so
# that the fix makes it fail and it must go. The first run found three (a number of
# 20,000 digits: Python's int() limit), fixed in portal.middleware and study_record.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}

POSTED = sorted(PAYLOADS.keys() | POST_EXPECTED.keys() | EXTRA_FIELDS.keys())


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The access matrix's world, built once for the module; each post is rolled back."""
    with shared_by_module(django_db_blocker, tmp_path_factory):
        world = build_world(build_org())
        log_in_everyone(world)
        yield world


@pytest.fixture
def world(_module_world, db) -> World:
    return _module_world


def _payload(world: World, name: str) -> dict[str, Any]:
    """The matrix's valid payload (made afresh: an upload is read once), with the extra
    fields a view reads, empty."""
    data = PAYLOADS[name](world) if name in PAYLOADS else {}
    return dict.fromkeys(EXTRA_FIELDS.get(name, ()), "") | data


def _refused(response: Any, success: object) -> bool:
    """The post was turned down: a 4xx, or a page showing a form with errors, or a 200
    where the view's success is something else (a form shown again)."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200:
        return False
    form = response.context.get("form") if response.context else None
    if form is not None and getattr(form, "errors", None):
        return True
    return success != 200


def _quiet(client: Client) -> Client:
    """A client that answers with the error page instead of raising the view's exception."""
    client.raise_request_exception = False
    return client


def test_it_knows_the_fields_of_every_post_without_a_payload(world):
    """A POST target the matrix gives no payload (NO_PAYLOAD) has its fields named here;
    an extra field is one the matrix's payload does not already name."""
    assert NO_PAYLOAD - EXTRA_FIELDS.keys() == set(), "name their fields in EXTRA_FIELDS"
    for name, extra in EXTRA_FIELDS.items():
        payload = PAYLOADS[name](world) if name in PAYLOADS else {}
        assert set(extra).isdisjoint(payload), name


@pytest.mark.parametrize(
    ("name", "label"),
    [
        pytest.param(name, label, marks=[pytest.mark.xfail(strict=True, reason=reason)])
        if (reason := KNOWN_FAILURES.get((name, label)))
        else (name, label)
        for name in POSTED
        for label in BAD_VALUES
    ],
)
def test_it_answers_malformed_values_without_a_server_error(world, name, label):
    """Each field alone (`PER_FIELD_VALUES`), then all at once, set to the bad value."""
    if connection.vendor != "sqlite" and label not in DATABASE_VALUES:
        pytest.skip("the same Python on every database: the fast leg posts it")
    value = BAD_VALUES[label]
    persona = (posters(name) or ["anon"])[0]
    success = post_success(name, persona)
    client = _quiet(client_as(world, persona))
    url = url_for(name, world, URL_ARGS)
    fields = sorted(_payload(world, name))
    before: dict[str, str] | None = None  # the world's fingerprint, read when first needed
    errors: list[str] = []
    alone = fields if label in PER_FIELD_VALUES else []
    for field in [*alone, ALL_FIELDS]:
        data = _payload(world, name) | dict.fromkeys(
            fields if field == ALL_FIELDS else [field], value
        )
        where = f"POST {url} as {persona}: {field}={label}"
        after: dict[str, str] | None = None
        mark = writes()
        with transaction.atomic():
            response = client.post(url, data)
            if _refused(response, success) and not connection.needs_rollback and writes() != mark:
                after = fingerprint()
            transaction.set_rollback(True)
        if response.status_code >= 500:
            errors.append(f"{where} answered {response.status_code}")
        body = b"" if getattr(response, "streaming", False) else response.content
        if any(marker in body for marker in TECHNICAL_PAGE):
            errors.append(f"{where} answered Django's technical page")
        if after is not None:
            # The post was rolled back: the world now is the world before it.
            before = before or fingerprint()
            if changed := changed_tables(before, after):
                errors.append(f"{where} refused ({response.status_code}) but changed {changed}")
    assert errors == [], "\n".join(errors)

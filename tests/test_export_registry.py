"""Every registered list export, on the demo college, driven by the registry itself
(`portal.exports.REGISTRY`), so an export added later is held to the same rules:

- every list page has its export, linked from the page for whoever may export it;
- each export answers exactly whom its `allowed` lets in, and refuses everyone else;
- what it downloads is what it declares: the declared headers, rows as wide as the
  headers, as many rows as its queryset (the list's scope and filter) holds.
"""

from __future__ import annotations

import functools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.exports import REGISTRY
from portal.models import User
from tests.conftest import client_for
from tests.sheets import headers_of, read_sheet, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("export_registry")]

DEMO_LOGINS = (
    "office",
    "leader",
    "deputy",
    "incharge",
    "member",
    "commissioner",
    "commissioner2",
    "liaison",
    "publicity",
)

# Lists that are not registers of records, so have no export (decisions.md, "Every
# register exports"): a board computed per unit, and the user's own export jobs.
NOT_REGISTERS = {
    "study_list": "a board of units and their study, not one queryset of records",
    "export_job_list": "the user's own export files, downloaded one by one",
}


@functools.cache
def _all_url_names() -> frozenset[str]:
    return frozenset(_url_names())


def _list_of(key: str) -> str | None:
    """The list page whose export is `key`."""
    return next(
        (n for n in sorted(_all_url_names()) if n.endswith("_list") and _export_of_list(n) == key),
        None,
    )


def _url_names(resolver=None) -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # Django's admin is not the portal's lists
                names |= _url_names(pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def _export_of_list(list_name: str) -> str | None:
    """The registered export whose URL is the list's: `x_list` → `x_export`, or
    `x_list_export` where `x_export` is another download (a round's results)."""
    wanted = {list_name.removesuffix("_list") + "_export", f"{list_name}_export"}
    return next((r.key for r in REGISTRY.values() if r.url_name in wanted), None)


def test_every_register_list_has_a_registered_export():
    lists = {name for name in _url_names() if name.endswith("_list")}
    assert set(NOT_REGISTERS) <= lists  # no stale exemption
    missing = sorted(name for name in lists - set(NOT_REGISTERS) if _export_of_list(name) is None)
    assert missing == []


def test_every_registered_export_has_its_own_url():
    names = _url_names()
    assert sorted(r.url_name for r in REGISTRY.values() if r.url_name not in names) == []
    assert len({r.url_name for r in REGISTRY.values()}) == len(REGISTRY)


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_no_export_lets_in_a_visitor_or_a_login_without_a_role(key, org):
    registered = REGISTRY[key]
    assert not registered.allowed(AnonymousUser())
    assert not registered.allowed(org.outsider)
    url = reverse(registered.url_name)
    assert client_for(org.outsider).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to the login page
    if registered.allowed(org.office):
        User.objects.filter(pk=org.office.pk).update(is_active=False)
        org.office.refresh_from_db()
        assert not registered.allowed(org.office)  # a disabled login, when its job runs


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_each_demo_login_gets_the_export_its_list_lets_it_have(key, demo):
    """The export answers whom its list answers (200 or 403 for every demo login),
    `allowed` agrees with both, and the workbook is what the export declares."""
    registered = REGISTRY[key]
    url = reverse(registered.url_name)
    list_name = _list_of(key)
    assert list_name is not None, f"{key} exports no list"
    exported_by = []
    for username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        client = client_for(user)
        listed = client.get(reverse(list_name))
        response = client.get(url)
        assert listed.status_code in (200, 403), (username, listed.status_code)
        assert response.status_code == listed.status_code, username
        if not registered.allowed(user):
            assert response.status_code == 403, username
            continue
        exported_by.append(username)
        assert f'href="{url}' in listed.content.decode(), (key, list_name, username)
        export, queryset = registered.rows_for(user, QueryDict())
        sheet = read_sheet(response)
        assert headers_of(sheet) == [header for header, _ in export.columns], username
        rows = rows_of(sheet)
        assert len(rows) == queryset.count(), username
        assert {len(row) for row in rows} <= {len(export.columns)}, username
    assert exported_by, f"no demo login may export {key}"


# Text that a spreadsheet would run as a formula (issue: formula injection) -------------

PROJECT_APPS = {"portal", "deadlines", "documents", "exportjobs", "groups", "meetings"} | {
    "liaisons",
    "outreach",
    "inspections",
    "reports",
    "publicity",
}
# Texts the code reads as values, not prose: a key, a code, a number kept as text.
NOT_PROSE = {"password", "username", "email", "key", "verification_code", "pdf_sha256"} | {
    "claimed_by",
    "period",
    "rule",
    "reference",
    "number",
    "code",
    "prefix",
    "header",
    "year_label",
}
# Exports the demo gives nothing formula-like to write (their rows are made by use, not
# seeded); the writer they share is the one the other exports prove.
NO_FREE_TEXT = {
    "lockouts": "django-axes' records of failed logins: the demo has none",
    "sensitive_views": "the log of looks at sensitive data: made by browsing, not seeded",
}


def _prefix_every_free_text(mark: str) -> None:
    """Every stored free text of the demo (titles, notes, reasons, names) starts with
    `mark`, in this test's transaction."""
    from django.apps import apps
    from django.db.models import CharField, F, TextField, Value
    from django.db.models.functions import Concat

    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or not meta.managed:
            continue
        if (meta.model_name or "").startswith("historical"):
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, CharField | TextField) or field.choices or field.unique:
                continue
            if field.primary_key or field.name in NOT_PROSE:
                continue
            model._base_manager.exclude(**{field.name: ""}).update(
                **{field.name: Concat(Value(mark), F(field.name))}
            )


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_each_export_writes_text_that_looks_like_a_formula_as_text(key, demo):
    """Every text of the demo made to start with "=": each export, as the first demo
    login it lets in, writes such a cell as text (Excel's quote prefix), never as a
    formula, and writes some (the check is not blind)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the spreadsheet writer's Python, the same on every database")
    _prefix_every_free_text("=")
    registered = REGISTRY[key]
    user = next(
        user
        for user in (User.objects.get(username=name) for name in DEMO_LOGINS)
        if registered.allowed(user)
    )
    sheet = read_sheet(client_for(user).get(reverse(registered.url_name)))
    cells = [
        cell
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert [c.coordinate for c in cells if c.data_type != "s" or not c.quotePrefix] == []
    if key not in NO_FREE_TEXT:
        assert cells, f"{key}: no text of the demo reached the sheet"

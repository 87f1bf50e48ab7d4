"""Links back to where a record came from, across apps, without the record's app
knowing the other: an app that makes records of another app from its own (a liaison's
report raised as an outreach suggestion) registers a provider for that model, and the
record's page shows what the providers return (`{% backlinks record as links %}` in
`portal_tags`). Apps depend on portal; portal names no app."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

Link = tuple[str, str]  # (label, url)
Provider = Callable[[models.Model], list[Link]]

_providers: dict[str, list[Provider]] = {}


def register(model_label: str, provider: Provider) -> None:
    """`provider(record)` → the links back for one record of `model_label`
    ("outreach.suggestion"); called once per page view (one query at most)."""
    providers = _providers.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def links_for(record: models.Model) -> list[Link]:
    links: list[Link] = []
    for provider in _providers.get(record._meta.label_lower, []):
        links.extend(provider(record))
    return links

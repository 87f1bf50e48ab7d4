"""A record's change history (django-simple-history) in words: who changed which field
from what to what, newest first. A choice reads as its label, a related record by its
name (one query per related model for the whole page), a file by its name, a hidden
field as “***”."""

from __future__ import annotations

from typing import Any

from django.db.models import FileField, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LIMIT = 200  # the newest records shown


def history_entries(
    obj: Model, records: Any, hidden: tuple[str, ...] | frozenset[str] = ()
) -> list[dict[str, Any]]:
    """One entry per history record of `obj` (`records`: its history queryset), newest
    first: {"record": the record, "changes": [(field label, old, new), …]}; the oldest
    shown has no changes (it is the record as created, or the first one kept)."""
    entries = []
    rows = list(records.order_by("-history_date", "-history_id")[:LIMIT])
    raw: list[tuple[dict[str, Any], str, Any, Any]] = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        entry: dict[str, Any] = {"record": newer, "changes": []}
        if older is not None:
            for change in newer.diff_against(older).changes:
                raw.append((entry, change.field, change.old, change.new))
        entries.append(entry)
    related = _related_names(obj, [(name, v) for _e, name, *values in raw for v in values])
    for entry, name, old, new in raw:
        label = _field_label(obj, name)
        if name in hidden:
            entry["changes"].append((label, "***", "***"))
        else:
            shown = [_readable(obj, name, value, related) for value in (old, new)]
            entry["changes"].append((label, *shown))
    return entries


def history_page(
    request: HttpRequest,
    obj: Model,
    records: Any,
    hidden: tuple[str, ...] | frozenset[str] = (),
) -> HttpResponse:
    """The history page of `obj` (template portal/history.html). The caller has
    checked that the user may read `obj`, and hides what they may not see."""
    entries = history_entries(obj, records, hidden)
    return render(request, "portal/history.html", {"object": obj, "entries": entries})


def _field(obj: Model, name: str) -> Any:
    try:
        return obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was recorded
        return None


def _related_names(obj: Model, values: list[tuple[str, Any]]) -> dict[tuple[Any, Any], str]:
    """The names of the records the foreign keys among `values` point at."""
    wanted: dict[Any, set[Any]] = {}
    for name, value in values:
        field = _field(obj, name)
        if field is not None and field.many_to_one and value is not None:
            wanted.setdefault(field.related_model, set()).add(value)
    names: dict[tuple[Any, Any], str] = {}
    for model, pks in wanted.items():
        for record in model._default_manager.filter(pk__in=pks):
            names[model, record.pk] = str(getattr(record, "display_name", "") or record)
    return names


def _readable(obj: Model, name: str, value: Any, related: dict[tuple[Any, Any], str]) -> Any:
    field = _field(obj, name)
    if field is None or value in (None, ""):
        return value
    if field.many_to_one:
        return related.get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(field, FileField):  # the stored path: its last part names the file
        return str(getattr(value, "name", value)).rsplit("/", 1)[-1]
    return value


def _field_label(obj: Model, name: str) -> str:
    try:
        return str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - a field removed since the change was recorded
        return name


def fit_change_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """simple-history's `pre_create_historical_record`: a change reason longer than its
    column (100 characters) is shortened with "…" instead of failing the whole save on
    PostgreSQL (SQLite does not check lengths). Services pass what the user typed (a
    return reason, a reviewer's comments) as the reason; the record keeps it whole."""
    reason = getattr(history_instance, "history_change_reason", None)
    field = history_instance._meta.get_field("history_change_reason")
    limit = field.max_length
    if isinstance(reason, str) and limit and len(reason) > limit:
        history_instance.history_change_reason = reason[: limit - 1] + "…"

"""A detail page's path for many records: ``reverse()`` once per URL name, then the pk
put in (a list page links each of its 50 rows; ``reverse()`` resolves the pattern anew
each time, a third of a row's rendering).

The path is cached per URL name, URLconf and script prefix, so a request under another
prefix or a test that swaps the URLconf gets its own.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "987654321"
_PATHS: dict[tuple[str, str, str], tuple[str, str]] = {}


def detail_path(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose only argument is an ``<int:pk>``."""
    key = (name, str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix())
    parts = _PATHS.get(key)
    if parts is None:
        before, _mark, after = reverse(name, args=[int(_MARK)]).partition(_MARK)
        parts = _PATHS[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"

"""A per-address rate limit for the pages anyone may open without logging in.

A fixed window in the cache (Redis in production, shared by every web process; the
process's memory on the embedded defaults): each address has `limit` requests of a
scope per `seconds`, then a Chinese 429 page with ``Retry-After`` until the window ends.
The address is `portal.net.client_ip` (the browser's, behind the trusted proxy).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from portal.net import client_ip

View = Callable[..., HttpResponse]


def hit(scope: str, address: str, limit: int, seconds: int) -> int:
    """Count one request of `address` in the current window of `scope`; returns 0 when
    it is within `limit`, else the seconds until the window ends."""
    moment = int(timezone.now().timestamp())
    window = moment // seconds
    key = f"{settings.RATELIMIT_KEY_PREFIX}:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=seconds + 1)
        count = 1
    return 0 if count <= limit else (window + 1) * seconds - moment


def limited(
    scope: str, limit: Callable[[HttpRequest], int], seconds: int = 60
) -> Callable[[View], View]:
    """Decorate a view: `limit(request)` requests a window per address (0: no limit)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            allowed = limit(request)
            if allowed > 0:
                wait = hit(scope, client_ip(request), allowed, seconds)
                if wait:
                    response = HttpResponse(
                        render_to_string("429.html", {"wait": wait}, request=request), status=429
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate

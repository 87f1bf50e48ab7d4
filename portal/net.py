"""The address a request came from, for login throttling and rate limits.

Without a reverse proxy it is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT`` proxies
that each append the address they saw to ``X-Forwarded-For`` (nginx's
``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``), it is the entry that
many places from the right: the address the outermost trusted proxy saw. Whatever stands
left of it is the client's own word and is never read, so a forged header neither
dodges a lock nor locks out somebody else.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:  # not through the proxies (a direct request on the host)
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

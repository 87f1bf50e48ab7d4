"""Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a
browser that has logged in as a user carries a signed cookie naming that user, and
login throttling (django-axes) never locks that user out of that browser.

Without it, five wrong passwords for `leader` typed by anyone behind the campus NAT (or
the reverse proxy) locked the real group leader out for 15 minutes. Guessing from
other browsers is still throttled per username and address; the owner's own browser
keeps working. The cookie is HttpOnly, signed with SECRET_KEY and the password hash (a
password change invalidates it), and names one user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from portal.models import User

COOKIE = "ufw_device"
SALT = "portal.devices"
MAX_AGE = 180 * 24 * 3600  # half a year: a leader who signs once a term stays known


def _fingerprint(user: User) -> str:
    """Changes when the password does: a stolen cookie dies with the old password."""
    return signing.Signer(salt=SALT).signature(user.password)[:16]


def remember(response: HttpResponseBase, user: User) -> None:
    """Mark this browser as one `user` has logged in from."""
    value = signing.dumps({"u": user.get_username().lower(), "f": _fingerprint(user)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest, username: str) -> bool:
    """Whether the request comes from a browser `username` has logged in from, with
    their current password."""
    from portal.models import User

    raw = request.COOKIES.get(COOKIE, "")
    if not raw or not username:
        return False
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or data.get("u") != username.lower():
        return False
    user = User.objects.filter(username__iexact=username).only("password").first()
    return user is not None and data.get("f") == _fingerprint(user)


def axes_whitelist(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """`AXES_WHITELIST_CALLABLE`: never lock a user out of their own browser."""
    username = str((credentials or {}).get("username") or request.POST.get("username") or "")
    return is_known_device(request, username)

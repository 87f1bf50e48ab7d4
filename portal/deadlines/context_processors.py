"""The unread count of the inbox, for the navigation bar (counted only when shown)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from portal.deadlines.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, Callable[[], int]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": lambda: unread_count(user)}

"""What the views share around a service call: a refusal goes back to the page as a
message, a forbidden step answers 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _

OFFSETS = {"up": -1, "down": 1}


def error_messages(error: Exception) -> list[str]:
    """The user-facing texts of a refusal: a `ValidationError`'s messages, or the
    `message` of an error that carries one (as `DocumentError` does)."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(getattr(error, "message", error))]


def service_or_message(
    request: HttpRequest,
    call: Callable[[], Any],
    done: str | Promise = "",
) -> bool:
    """Call a service for a button that posts and redirects. A refusal
    (`portal.lib.errors.Refused`, any `ValidationError`: the service contract's only
    errors) becomes an error message and False; a step this user may never take
    (`Forbidden`, or any `PermissionDenied`) goes on to the 403 page; anything else is
    a bug and goes on too. Success shows `done`, if given, and returns True."""
    try:
        call()
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
        return False
    if done:
        messages.success(request, str(done))
    return True


def move_offset(request: HttpRequest) -> int:
    """The ↑↓ buttons post `direction` up or down: -1 or +1 for
    `portal.lib.ordering.move`; anything else is not our form (400)."""
    try:
        return OFFSETS[request.POST.get("direction", "")]
    except KeyError:
        raise BadRequest(_("移动方向无效。")) from None

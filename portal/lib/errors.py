"""The service contract's errors: every write service raises these (or another
`ValidationError`), never a bare exception, and nothing has changed when it does."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class Refused(ValidationError):
    """A step the record's state does not allow now (a double click, a step somebody
    else took first, a stale page). The message is Chinese and meant for the user; the
    views show it as a message and change nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Forbidden(Refused, PermissionDenied):
    """A step this user may never take on this record, whatever its state. Pages show
    no button for it, so a request for it is forged or from a stale page: the views
    answer 403 with the message."""


def required(text: str, field: str, message: str) -> str:
    """`text` stripped, or a `ValidationError` naming `field` with the (Chinese)
    `message` when nothing is left: the services' check of a required free text."""
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text

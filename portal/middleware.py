"""Middleware shared by the portal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings on every response: no inline
    scripts or styles anywhere in the portal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class ChineseByDefaultMiddleware:
    """The portal speaks Chinese unless the user picks English in the user menu: a
    browser's Accept-Language (often en-US on office PCs) is not taken as a choice.
    Sits before LocaleMiddleware, which then reads only the language cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class OutOfRangeMiddleware:
    """A number in a URL or a form too large for the database or the calendar
    (`/calendar/99999999999999999999/`, a unit id of 25 digits) raises OverflowError in
    a lookup or a date, and one of thousands of digits a ValueError where it is read;
    that is the request's fault, so the answer is the Chinese 400 page, not a 500.
    Nothing has been written: the views read their numbers before any service writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError) or _too_many_digits(exception):
            logger.info("out of range: %s %s", request.method, request.path)
            return bad_request(request, exception)
        return None


def _too_many_digits(exception: BaseException | None) -> bool:
    """Python refuses to read an integer of more than 4,300 digits (a ValueError, which
    Django's fields re-raise with their own message): a number no form or link holds."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, ValueError) and "integer string conversion" in str(exception):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False

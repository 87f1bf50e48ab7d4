"""What the views share around a service call: a refusal goes back to the page as a
message, a forbidden step answers 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal.lib.forms import CrispyForm, apply_errors
from portal.lib.transitions import Workflow

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


def workflow_step(
    request: HttpRequest,
    *,
    record: Any,
    workflow: Workflow,
    action: str,
    form_class: type[CrispyForm],
    call: Callable[[dict[str, Any]], object],
    done: str | Promise,
    title: str,
    back: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """One declared step's page: its form (GET) and the step itself (POST). A step this
    user may never take is a 403; one the record's state no longer allows (a stale
    page, a second click) goes back to `back` with the reason; the service's refusal
    stays on the form with its errors. `call(cleaned_data)` runs the service;
    `form_kwargs` go to the form (its `initial`, the choices it offers)."""
    transition = workflow[action]
    if not transition.who(request.user, record):
        raise PermissionDenied(str(transition.refused))
    if not workflow.can(record, action, request.user):
        try:
            workflow.check(record, action, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(back)
    # Bound on a POST even when empty: a step whose form asks nothing (a confirmation).
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **(form_kwargs or {}))
    else:
        form = form_class(None, **(form_kwargs or {}))
    form.helper.inputs[0].value = str(transition.label)
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, str(done))
            return redirect(back)
    return render(request, "portal/form.html", {"form": form, "title": title, "cancel_url": back})

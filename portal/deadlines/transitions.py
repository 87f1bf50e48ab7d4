"""The deadline engine's declared transitions: what a user may do to a deadline or an
extension request, from which state. The services check them on the locked row; the
deadline page's buttons are ``available()``; the tests walk them state × persona.

The engine's other moves are not a user's and are not declared here: an app meets a
deadline (``deadline_meet``, idempotent: a closed deadline stays as it is), the reminder
scan marks an open deadline overdue (a conditional update claiming the row), and a due
date moved by an approved extension or a recomputed calendar reopens an overdue one.

    Deadline:          open ──request_extension──▶ open (a pending ExtensionRequest)
                       open, overdue ──waive──▶ waived
    ExtensionRequest:  pending ──approve──▶ approved (the deadline's due date moves)
                       pending ──refuse──▶ refused
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.deadlines import selectors
from portal.deadlines.models import Deadline, ExtensionRequest
from portal.deadlines.permissions import (
    may_decide_extension,
    may_request_extension,
    may_waive,
)
from portal.lib.transitions import Transition, Workflow

State = Deadline.State
Decision = ExtensionRequest.Decision


def extension_blocked(deadline: Deadline) -> str | None:
    """An open deadline takes a request until the end of its due date (today's local
    date), and one request at a time."""
    if timezone.localdate() > deadline.due:
        return str(_("期限已过，不能再申请延期，请尽快办理或联系办公室。"))
    if selectors.has_pending_extension(deadline):
        return str(_("已有一份延期申请在等待审批。"))
    return None


DEADLINE_WORKFLOW = Workflow(
    Deadline.State,
    Transition(
        "request_extension",
        _("申请延期"),
        source={State.OPEN},
        target=None,  # the deadline stays open; a pending request is made
        who=may_request_extension,
        style="outline-primary",
        blocked=extension_blocked,
    ),
    Transition(
        "waive",
        _("免除"),
        source={State.OPEN, State.OVERDUE},
        target=State.WAIVED,
        who=may_waive,
        style="outline-secondary",
    ),
)

EXTENSION_WORKFLOW = Workflow(
    ExtensionRequest.Decision,
    Transition(
        "approve",
        _("同意延期"),
        source={Decision.PENDING},
        target=Decision.APPROVED,
        who=may_decide_extension,
    ),
    Transition(
        "refuse",
        _("退回"),
        source={Decision.PENDING},
        target=Decision.REFUSED,
        who=may_decide_extension,
        style="outline-secondary",
    ),
    state="decision",
)

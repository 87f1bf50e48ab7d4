"""The publicity system's declared workflows (宣传制度, 001 ch. 1; 002 item 9).

A piece (`PublicityPiece`):

draft, returned ──edit──▶ (unchanged)       (its author, or the office)
draft, returned ──submit──▶ submitted       (its author, or the office: a review round)
submitted ──approve──▶ approved             (the office: the UFW department's review)
submitted ──return──▶ returned              (the office, with its comments)
approved ──publish──▶ published             (its author, or the office: date and link;
                                             refused unless the latest round is an approval)

A turn of the rotation (`PublicitySlot`):

open ──skip──▶ skipped                      (the office, with the reason)
open ──swap──▶ (unchanged)                  (the office: two open turns exchange members)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from liaisons.models import PublicityPiece, PublicityReview, PublicitySlot
from portal.lib.transitions import Transition, Workflow
from portal.models import Role
from portal.permissions import has_role, is_office

State = PublicityPiece.State


def office(user: Any, obj: Any) -> bool:
    return is_office(user)


def author(user: Any, piece: PublicityPiece) -> bool:
    """The piece's author in the publicity role (the role follows the roster)."""
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id == piece.author_id and has_role(user, Role.PUBLICITY)


def author_or_office(user: Any, piece: PublicityPiece) -> bool:
    return is_office(user) or author(user, piece)


def _empty(piece: PublicityPiece) -> str | None:
    if not piece.title.strip() or not piece.text.strip():
        return str(_("标题和正文不能为空。"))
    return None


def approval_on_record(piece: PublicityPiece) -> bool:
    """The piece's latest review round is an approval (read from the database, not from
    the state: a piece forced into `approved` without one is still refused)."""
    latest = (
        PublicityReview.objects.filter(piece_id=piece.pk)
        .order_by("-round")
        .values_list("decision", flat=True)
        .first()
    )
    return latest == PublicityReview.Decision.APPROVED


def _not_approved(piece: PublicityPiece) -> str | None:
    if not approval_on_record(piece):
        return str(_("该稿件没有组织统战部的审核通过记录，不能登记发布。"))
    return None


PIECE_WORKFLOW = Workflow(
    PublicityPiece.State,
    Transition(
        "edit",
        _("修改"),
        source={State.DRAFT, State.RETURNED},
        target=None,
        who=author_or_office,
        style="outline-primary",
        refused=_("只有撰稿人或办公室可以修改稿件。"),
    ),
    Transition(
        "submit",
        _("送审"),
        source={State.DRAFT, State.RETURNED},
        target=State.SUBMITTED,
        who=author_or_office,
        blocked=_empty,
        refused=_("只有撰稿人或办公室可以送审。"),
    ),
    Transition(
        "approve",
        _("审核通过"),
        source={State.SUBMITTED},
        target=State.APPROVED,
        who=office,
        refused=_("只有组织统战部（办公室）可以审核宣传稿件。"),
    ),
    Transition(
        "return",
        _("退回修改"),
        source={State.SUBMITTED},
        target=State.RETURNED,
        who=office,
        style="outline-danger",
        refused=_("只有组织统战部（办公室）可以审核宣传稿件。"),
    ),
    Transition(
        "publish",
        _("登记发布"),
        source={State.APPROVED},
        target=State.PUBLISHED,
        who=author_or_office,
        blocked=_not_approved,
        refused=_("只有撰稿人或办公室可以登记发布。"),
    ),
)

SlotState = PublicitySlot.State

SLOT_WORKFLOW = Workflow(
    PublicitySlot.State,
    Transition(
        "skip",
        _("跳过本轮"),
        source={SlotState.OPEN},
        target=SlotState.SKIPPED,
        who=office,
        style="outline-danger",
        refused=_("只有办公室可以安排宣传轮值。"),
    ),
    Transition(
        "swap",
        _("调换"),
        source={SlotState.OPEN},
        target=None,
        who=office,
        style="outline-primary",
        refused=_("只有办公室可以安排宣传轮值。"),
    ),
)

"""The publicity system's deadline rules (`portal.deadlines.registry`).

- `publicity_slot`: the member whose turn it is owes a piece for review by the turn's
  due date (reminded a few working days before); met when a piece on the turn is
  submitted, waived when the office skips the turn. The reminder scan keeps the next
  turns assigned (`services.slots_sync`).
- `publicity_review`: the UFW department reviews each submitted round within
  `PUBLICITY_REVIEW_WORKDAYS` working days (the office's, on 我的待办).
- `publicity_revise`: a returned piece goes back to its author, to be revised and
  submitted again within `PUBLICITY_REVISE_WORKDAYS` working days.
- `publicity_publish`: an approved piece is published (and recorded with its date and
  link) within `PUBLICITY_PUBLISH_WORKDAYS` working days.

The review and revision deadlines are about a review round (`PublicityReview`: a second
round is a new deadline), the others about the turn or the piece."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines.registry import Rule, register

PUBLICITY_SLOT = "publicity_slot"
PUBLICITY_REVIEW = "publicity_review"
PUBLICITY_REVISE = "publicity_revise"
PUBLICITY_PUBLISH = "publicity_publish"


def review_workdays() -> int:
    """Working days the UFW department has to review a submitted piece."""
    return int(getattr(settings, "PUBLICITY_REVIEW_WORKDAYS", 3))


def revise_workdays() -> int:
    """Working days an author has to resubmit a returned piece."""
    return int(getattr(settings, "PUBLICITY_REVISE_WORKDAYS", 3))


def publish_workdays() -> int:
    """Working days to publish an approved piece."""
    return int(getattr(settings, "PUBLICITY_PUBLISH_WORKDAYS", 5))


def slots_ahead() -> int:
    """How many turns from today on are kept assigned."""
    return max(1, int(getattr(settings, "PUBLICITY_SLOTS_AHEAD", 4)))


def _sync(today: dt.date) -> None:
    from liaisons.publicity.services import slots_sync

    slots_sync(today=today)


def _slot_url(deadline: object) -> str:
    return reverse("publicity_rotation")


def _review_url(deadline: object) -> str:
    return reverse("publicity_review_open", args=[deadline.object_id])  # type: ignore[attr-defined]


def _piece_url(deadline: object) -> str:
    return reverse("publicity_piece_detail", args=[deadline.object_id])  # type: ignore[attr-defined]


def register_rules() -> None:
    register(
        Rule(
            code=PUBLICITY_SLOT,
            label=_("宣传轮值"),
            description=_(
                "按宣传工作成员名单顺序轮值：轮到的成员在截止日期前撰写稿件并送组织统战部审核。"
            ),
            responsible_label=_("领导小组办公室"),
            offsets=(3, 1, 0),
            escalate=False,
            sync=_sync,
            action_url=_slot_url,
        ),
        replace=True,
    )
    register(
        Rule(
            code=PUBLICITY_REVIEW,
            label=_("宣传稿件审核"),
            description=_("宣传稿件发布前由组织统战部审核：审核通过，或提出意见退回修改。"),
            responsible_label=_("领导小组办公室"),
            workdays=review_workdays,
            offsets=(1, 0),
            action_url=_review_url,
        ),
        replace=True,
    )
    register(
        Rule(
            code=PUBLICITY_REVISE,
            label=_("宣传稿件修改"),
            description=_("退回修改的宣传稿件，撰稿人按审核意见修改后重新送审。"),
            responsible_label=_("领导小组办公室"),
            workdays=revise_workdays,
            offsets=(1, 0),
            escalate=False,
            action_url=_review_url,
        ),
        replace=True,
    )
    register(
        Rule(
            code=PUBLICITY_PUBLISH,
            label=_("宣传稿件发布"),
            description=_("审核通过的宣传稿件及时发布，并登记发布日期和链接。"),
            responsible_label=_("领导小组办公室"),
            workdays=publish_workdays,
            offsets=(1, 0),
            escalate=False,
            action_url=_piece_url,
        ),
        replace=True,
    )

"""The document workflow's transitions, declared once (`portal.lib.transitions`).

    draft ──submit──▶ in_review ──pass──▶ awaiting_signature ──sign──▶ signed ──issue──▶ issued
      ▲   (an office draft skips review)          │  delegate (group leader → a deputy)
      └──────────── return (reviewer/signer) ◀────┘            revise / acknowledge on issued

The services call `WORKFLOW.check(locked, "sign", by=user)` on the locked row; the
document page shows the buttons of `WORKFLOW.names(document, user)`; the access tests
walk `WORKFLOW.sources()` × personas. A refusal keeps the document's own words: each
transition may say why the state does not allow it now (`not_now`), why this user may
never take it (`forbidden`), and check the record before the state (`before`, e.g. a
text composed from an app's record is not edited here) or after the user (`after`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.documents.models import Document
from portal.documents.permissions import (
    acknowledgeable,
    expected_signers,
    is_drafter,
    is_group_leader,
    may_draft,
    may_sign,
)
from portal.documents.registry import Importance, composer, kind_label
from portal.lib.errors import Forbidden, Refused
from portal.lib.transitions import Transition, Workflow
from portal.models import User
from portal.permissions import is_office

State = Document.State
Message = str | Promise | None


class DocumentError(Refused):
    """A refused step on a document (its state does not allow it now: a double click, a
    step someone else took first). The message is Chinese and meant for the user; the
    page shows it and nothing changed."""


class DocumentForbidden(DocumentError, Forbidden):
    """A step this user may never take on this document, whatever its state (a member
    signing, a unit's clerk passing a review). Pages show no button for it, so a request
    for it is forged or from a stale page: the views answer 403 with the message."""


@dataclass(frozen=True)
class DocumentTransition(Transition):
    not_now: Callable[[Document], Message] | None = None
    """The message when the document's state is not one the step starts from."""
    forbidden: Callable[[Document], Message] | None = None
    """The message for a user who may never take the step (else `refused`)."""
    before: Callable[[Document, Any], Message] | None = None
    """Checked first: the record (and user) may refuse before the state is looked at."""
    after: Callable[[Document, Any], Message] | None = None
    """Checked last, once the user may take the step: e.g. a receipt already given."""


class DocumentWorkflow(Workflow):
    def check(self, obj: Any, name: str, *, by: Any) -> Transition:
        transition = self.transitions[name]
        if not isinstance(transition, DocumentTransition):
            return super().check(obj, name, by=by)
        if transition.before is not None and (problem := transition.before(obj, by)):
            raise DocumentError(str(problem))
        state = self.state_of(obj)
        if not transition.starts_from(state):
            problem = transition.not_now(obj) if transition.not_now is not None else None
            raise DocumentError(
                str(problem)
                or _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": self.state_label(state), "action": transition.label}
            )
        if not transition.who(by, obj):
            message = transition.forbidden(obj) if transition.forbidden else transition.refused
            raise DocumentForbidden(
                str(message) or _("您不能%(action)s。") % {"action": transition.label}
            )
        if problem := transition.blocked(obj):
            raise DocumentError(str(problem))
        if transition.after is not None and (problem := transition.after(obj, by)):
            raise DocumentError(str(problem))
        return transition


# Guards ------------------------------------------------------------------------------


def _may_edit(user: Any, document: Document) -> bool:
    if document.state == State.IN_REVIEW:
        return is_office(user)  # the reviewing office may correct the text (kept in history)
    return is_drafter(user, document)


def _edit_before(document: Document, user: Any) -> Message:
    if document.state == State.ISSUED:
        return _("文件已印发，正文不能再修改；如需更正，请起草更正稿。")
    if composer(document) is not None:
        return _("%(kind)s的正文由其所依据的记录生成，请在相应页面修改后重新报审。") % {
            "kind": kind_label(document.kind)
        }
    if document.state == State.IN_REVIEW and not is_office(user):
        return _edit_not_now(document)
    return None


def _edit_not_now(document: Document) -> Message:
    return _("文件处于“%(state)s”状态，不能修改；如需修改，请先退回。") % {
        "state": document.get_state_display()
    }


def _attach_before(document: Document, user: Any) -> Message:
    if document.state == State.ISSUED:
        return _("文件已印发，附件不能再增删。")
    return _edit_before(document, user)


def _empty(document: Document) -> Message:
    if not document.title.strip() or not document.paragraphs():
        return _("标题和正文不能为空。")
    return None


def _may_return(user: Any, document: Document) -> bool:
    if document.state == State.AWAITING_SIGNATURE:
        return may_sign(user, document) or is_office(user)
    return is_office(user)


def _already_signed(document: Document, user: Any) -> Message:
    if document.state == State.SIGNED or (
        document.state == State.ISSUED and document.signer_id is not None
    ):
        signer = document.signer.display_name if document.signer else ""
        return _("该文件已由%(name)s签发，无需重复签发。") % {"name": signer}
    return None


def _already_issued(document: Document, user: Any) -> Message:
    if document.state == State.ISSUED:
        return _("该文件已印发（%(reference)s），无需重复印发。") % {
            "reference": document.reference
        }
    return None


def _general(document: Document, user: Any) -> Message:
    if document.importance != Importance.IMPORTANT:
        return _("一般文件由分管统战工作领导签发，无需委托。")
    return None


def recipients_of(document: Document) -> list[Any]:
    """The document's recipients (prefetched by the page, read under the lock by the
    service)."""
    return list(document.recipients.all())


def _is_recipient(user: Any, document: Document) -> bool:
    return bool(acknowledgeable(user, recipients_of(document)))


def _acknowledged(document: Document, user: Any) -> Message:
    mine = acknowledgeable(user, recipients_of(document))
    if all(r.acknowledged_at is not None for r in mine):
        return _("您已签收，无需重复签收。")
    return None


# The declaration ---------------------------------------------------------------------

EDITABLE: frozenset[str] = frozenset({State.DRAFT, State.RETURNED})

WORKFLOW = DocumentWorkflow(
    State,
    DocumentTransition(
        "update",
        gettext_lazy("修改"),
        source={*EDITABLE, State.IN_REVIEW},
        who=_may_edit,
        refused=gettext_lazy("只有拟稿人可以修改草稿。"),
        before=_edit_before,
        not_now=_edit_not_now,
    ),
    DocumentTransition(
        "attach",
        gettext_lazy("增删附件"),
        source={*EDITABLE, State.IN_REVIEW},
        who=_may_edit,
        refused=gettext_lazy("只有拟稿人可以修改草稿。"),
        before=_attach_before,
        not_now=_edit_not_now,
    ),
    DocumentTransition(
        "submit",
        gettext_lazy("报审"),
        source=EDITABLE,
        target=None,  # in_review; an office draft (reviewed by the office) awaits signature
        who=is_drafter,
        refused=gettext_lazy("只有拟稿人可以报审。"),
        blocked=_empty,
        not_now=lambda d: (
            _("文件处于“%(state)s”状态，不能报审。") % {"state": d.get_state_display()}
        ),
    ),
    DocumentTransition(
        "pass",
        gettext_lazy("审核通过"),
        source={State.IN_REVIEW},
        target=State.AWAITING_SIGNATURE,
        who=lambda user, d: is_office(user),
        refused=gettext_lazy("只有办公室可以审核报审的文件。"),
        not_now=lambda d: (
            _("文件处于“%(state)s”状态，无需审核。") % {"state": d.get_state_display()}
        ),
    ),
    DocumentTransition(
        "return",
        gettext_lazy("退回修改"),
        source={State.IN_REVIEW, State.AWAITING_SIGNATURE},
        target=State.RETURNED,
        who=_may_return,
        refused=gettext_lazy("只有审核人或签发人可以退回文件。"),
        style="outline-danger",
        not_now=lambda d: (
            _("文件处于“%(state)s”状态，不能退回。") % {"state": d.get_state_display()}
        ),
    ),
    DocumentTransition(
        "delegate",
        gettext_lazy("委托签发"),
        source={State.AWAITING_SIGNATURE},
        who=lambda user, d: is_group_leader(user),
        refused=gettext_lazy("只有组长可以委托副组长签发。"),
        before=_general,
        not_now=lambda d: _("只有待签发的文件可以委托签发。"),
    ),
    DocumentTransition(
        "revoke_delegation",
        gettext_lazy("撤销委托"),
        source={State.AWAITING_SIGNATURE},
        who=lambda user, d: is_group_leader(user),
        refused=gettext_lazy("只有组长可以撤销委托签发。"),
        blocked=lambda d: None if d.delegate_id else _("本文件没有委托签发，无需撤销。"),
        not_now=lambda d: _("文件已签发或不在待签发状态，委托不能再撤销。"),
    ),
    DocumentTransition(
        "sign",
        gettext_lazy("签发"),
        source={State.AWAITING_SIGNATURE},
        target=State.SIGNED,
        who=may_sign,
        forbidden=lambda d: _("本文件应由%(who)s签发，您不能签发。") % {"who": expected_signers(d)},
        before=_already_signed,
        not_now=lambda d: (
            _("文件处于“%(state)s”状态，不能签发。") % {"state": d.get_state_display()}
        ),
    ),
    DocumentTransition(
        "issue",
        gettext_lazy("印发"),
        source={State.SIGNED},
        target=State.ISSUED,
        who=lambda user, d: is_office(user),
        refused=gettext_lazy("只有办公室可以印发文件。"),
        before=_already_issued,
        not_now=lambda d: _("文件须经签发后才能印发。"),
    ),
    DocumentTransition(
        "acknowledge",
        gettext_lazy("签收"),
        source={State.ISSUED},
        who=_is_recipient,
        refused=gettext_lazy("本文件未分发给您或您的单位，无需签收。"),
        after=_acknowledged,
        not_now=lambda d: _("文件尚未印发，不能签收。"),
    ),
    DocumentTransition(
        "revise",
        gettext_lazy("起草更正稿"),
        source={State.ISSUED},
        who=lambda user, d: is_office(user),
        refused=gettext_lazy("只有办公室可以起草更正稿。"),
        not_now=lambda d: _("只有已印发的文件可以起草更正稿；草稿请直接修改。"),
    ),
)


def check_create(user: User | AnonymousUser) -> None:
    """The one step before there is a document: who may start a draft."""
    if not may_draft(user):
        raise DocumentForbidden(_("只有办公室工作人员和统战委员可以起草公文。"))
    if getattr(user, "person", None) is None:
        raise DocumentError(_("您的账号未关联人员和单位，无法确定拟稿单位，请联系办公室。"))


def allowed_actions(user: User | AnonymousUser, document: Document) -> set[str]:
    """The steps `user` may take now: the document page's buttons."""
    return WORKFLOW.names(document, user)

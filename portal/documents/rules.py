"""Who may take which step on a document. The services call these checks (and refuse
with a `DocumentError` carrying a Chinese message); pages ask `allowed_actions` which
buttons to show, so the two never disagree."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.documents.models import Document
from portal.documents.registry import Importance, composer, kind_label
from portal.models import Role, User
from portal.permissions import has_role, is_office, own_unit_ids

if TYPE_CHECKING:
    from portal.documents.models import DocumentRecipient

State = Document.State
Leadership = User.Leadership


class DocumentError(Exception):
    """A refused step. The message is Chinese and meant for the user; nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentForbidden(DocumentError, PermissionDenied):
    """A step this user may never take on this document, whatever its state (a member
    signing, a unit's clerk passing a review). Pages show no button for it, so a request
    for it is forged or from a stale page: the views answer 403 with the message. A plain
    `DocumentError` (a step the document's state does not allow now: a double click, a
    step someone else took first) goes back to the page as a message."""


def is_drafter(user: User | AnonymousUser, document: Document) -> bool:
    """The drafter; for an office draft every office clerk (the office drafts as a
    team); for a unit's draft the branch commissioners of that unit."""
    if not user.is_authenticated:
        return False
    if document.drafter_id == user.pk:
        return True
    if document.by_office:
        return is_office(user)
    return has_role(user, Role.COMMISSIONER) and document.drafting_unit_id in own_unit_ids(user)


def expected_signers(document: Document) -> str:
    """Who signs, in words, for messages and the page."""
    if document.importance == Importance.IMPORTANT:
        if document.delegate_id is not None and document.delegate is not None:
            return _("组长（已委托副组长%(name)s）") % {"name": document.delegate.display_name}
        return _("组长")
    return _("分管统战工作领导")


def may_sign(user: User | AnonymousUser, document: Document) -> bool:
    """The signer rule: important → the group leader, or the deputy the group leader
    delegated this document to; general → the leader in charge of united-front work."""
    if not isinstance(user, User) or not has_role(user, Role.LEADER):
        return False
    if document.importance == Importance.IMPORTANT:
        if user.leadership == Leadership.GROUP_LEADER:
            return True
        return document.delegate_id is not None and document.delegate_id == user.pk
    return user.leadership == Leadership.IN_CHARGE


def check_create(user: User | AnonymousUser) -> None:
    if not has_role(user, Role.OFFICE, Role.COMMISSIONER):
        raise DocumentForbidden(_("只有办公室工作人员和统战委员可以起草公文。"))
    if getattr(user, "person", None) is None:
        raise DocumentError(_("您的账号未关联人员和单位，无法确定拟稿单位，请联系办公室。"))


def check_update(user: User | AnonymousUser, document: Document) -> None:
    if document.state == State.ISSUED:
        raise DocumentError(_("文件已印发，正文不能再修改；如需更正，请起草更正稿。"))
    if composer(document) is not None:
        raise DocumentError(
            _("%(kind)s的正文由其所依据的记录生成，请在相应页面修改后重新报审。")
            % {"kind": kind_label(document.kind)}
        )
    if document.state == State.IN_REVIEW and is_office(user):
        return  # the reviewing office may correct the text (kept in the history)
    if document.state not in Document.EDITABLE_STATES:
        raise DocumentError(
            _("文件处于“%(state)s”状态，不能修改；如需修改，请先退回。")
            % {"state": document.get_state_display()}
        )
    if not is_drafter(user, document):
        raise DocumentForbidden(_("只有拟稿人可以修改草稿。"))


def check_submit(user: User | AnonymousUser, document: Document) -> None:
    if document.state not in Document.EDITABLE_STATES:
        raise DocumentError(
            _("文件处于“%(state)s”状态，不能报审。") % {"state": document.get_state_display()}
        )
    if not is_drafter(user, document):
        raise DocumentForbidden(_("只有拟稿人可以报审。"))
    if not document.title.strip() or not document.paragraphs():
        raise DocumentError(_("标题和正文不能为空。"))


def check_pass(user: User | AnonymousUser, document: Document) -> None:
    if document.state != State.IN_REVIEW:
        raise DocumentError(
            _("文件处于“%(state)s”状态，无需审核。") % {"state": document.get_state_display()}
        )
    if not is_office(user):
        raise DocumentForbidden(_("只有办公室可以审核报审的文件。"))


def check_return(user: User | AnonymousUser, document: Document) -> None:
    if document.state == State.IN_REVIEW and is_office(user):
        return
    if document.state == State.AWAITING_SIGNATURE and (may_sign(user, document) or is_office(user)):
        return
    if document.state in {State.IN_REVIEW, State.AWAITING_SIGNATURE}:
        raise DocumentForbidden(_("只有审核人或签发人可以退回文件。"))
    raise DocumentError(
        _("文件处于“%(state)s”状态，不能退回。") % {"state": document.get_state_display()}
    )


def check_delegate(user: User | AnonymousUser, document: Document, to: User | None) -> None:
    if document.importance != Importance.IMPORTANT:
        raise DocumentError(_("一般文件由分管统战工作领导签发，无需委托。"))
    if document.state != State.AWAITING_SIGNATURE:
        raise DocumentError(_("只有待签发的文件可以委托签发。"))
    if not (
        isinstance(user, User)
        and has_role(user, Role.LEADER)
        and user.leadership == Leadership.GROUP_LEADER
    ):
        raise DocumentForbidden(_("只有组长可以委托副组长签发。"))
    if to is not None and not (
        to.is_active
        and to.leadership == Leadership.DEPUTY_LEADER
        and to.groups.filter(name=Role.LEADER).exists()
    ):
        raise DocumentError(_("只能委托副组长签发。"))


def check_sign(user: User | AnonymousUser, document: Document) -> None:
    if document.state == State.SIGNED or (
        document.state == State.ISSUED and document.signer_id is not None
    ):
        signer = document.signer.display_name if document.signer else ""
        raise DocumentError(_("该文件已由%(name)s签发，无需重复签发。") % {"name": signer})
    if document.state != State.AWAITING_SIGNATURE:
        raise DocumentError(
            _("文件处于“%(state)s”状态，不能签发。") % {"state": document.get_state_display()}
        )
    if not may_sign(user, document):
        raise DocumentForbidden(
            _("本文件应由%(who)s签发，您不能签发。") % {"who": expected_signers(document)}
        )


def check_issue(user: User | AnonymousUser, document: Document) -> None:
    if document.state == State.ISSUED:
        raise DocumentError(
            _("该文件已印发（%(reference)s），无需重复印发。") % {"reference": document.reference}
        )
    if document.state != State.SIGNED:
        raise DocumentError(_("文件须经签发后才能印发。"))
    if not is_office(user):
        raise DocumentForbidden(_("只有办公室可以印发文件。"))


def acknowledgeable(
    user: User | AnonymousUser, recipients: list[DocumentRecipient]
) -> list[DocumentRecipient]:
    """The receipts `user` may sign for: their own, and those of their unit (or a unit
    under it)."""
    if not user.is_authenticated:
        return []
    person_id = getattr(user, "person_id", None)
    units = own_unit_ids(user) if any(r.unit_id for r in recipients) else set()
    return [
        r
        for r in recipients
        if (r.person_id is not None and r.person_id == person_id)
        or (r.unit_id is not None and r.unit_id in units)
    ]


def check_acknowledge(
    user: User | AnonymousUser, document: Document, recipients: list[DocumentRecipient]
) -> list[DocumentRecipient]:
    if document.state != State.ISSUED:
        raise DocumentError(_("文件尚未印发，不能签收。"))
    mine = acknowledgeable(user, recipients)
    if not mine:
        raise DocumentForbidden(_("本文件未分发给您或您的单位，无需签收。"))
    open_ = [r for r in mine if r.acknowledged_at is None]
    if not open_:
        raise DocumentError(_("您已签收，无需重复签收。"))
    return open_


def check_revise(user: User | AnonymousUser, document: Document) -> None:
    if document.state != State.ISSUED:
        raise DocumentError(_("只有已印发的文件可以起草更正稿；草稿请直接修改。"))
    if not is_office(user):
        raise DocumentForbidden(_("只有办公室可以起草更正稿。"))


def check_attach(user: User | AnonymousUser, document: Document) -> None:
    if document.state == State.ISSUED:
        raise DocumentError(_("文件已印发，附件不能再增删。"))
    check_update(user, document)


def allowed_actions(
    user: User | AnonymousUser, document: Document, recipients: list[DocumentRecipient]
) -> set[str]:
    """The steps `user` may take now, for the buttons on the document page."""
    checks: dict[str, Callable[[], object]] = {
        "update": lambda: check_update(user, document),
        "submit": lambda: check_submit(user, document),
        "pass": lambda: check_pass(user, document),
        "return": lambda: check_return(user, document),
        "delegate": lambda: check_delegate(user, document, None),
        "sign": lambda: check_sign(user, document),
        "issue": lambda: check_issue(user, document),
        "acknowledge": lambda: check_acknowledge(user, document, recipients),
        "revise": lambda: check_revise(user, document),
        "attach": lambda: check_attach(user, document),
    }
    allowed = set()
    for name, check in checks.items():
        try:
            check()
        except DocumentError:
            continue
        allowed.add(name)
    return allowed

"""Who may take part in a document's workflow: the predicates the declared transitions
(`portal.documents.transitions`), the selectors and the pages ask. They read the user
and the document and never write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from portal.documents.registry import Importance
from portal.models import Role, User
from portal.permissions import has_role, is_office, own_unit_ids

if TYPE_CHECKING:
    from portal.documents.models import Document, DocumentRecipient

Leadership = User.Leadership


def may_draft(user: User | AnonymousUser) -> bool:
    """The office and the branch commissioners draft documents."""
    return has_role(user, Role.OFFICE, Role.COMMISSIONER)


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


def is_group_leader(user: User | AnonymousUser) -> bool:
    return (
        isinstance(user, User)
        and has_role(user, Role.LEADER)
        and user.leadership == Leadership.GROUP_LEADER
    )


def is_deputy(user: User) -> bool:
    """A deputy group leader, to whom the group leader may delegate a signature."""
    return (
        user.is_active
        and user.leadership == Leadership.DEPUTY_LEADER
        and user.groups.filter(name=Role.LEADER).exists()
    )


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

"""Notices of the document workflow: a document waiting for signature tells whoever may
sign it (the inbox and email, through the deadline engine's outbox). Connected to
``document_state_changed``, which is sent after the step's transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.deadlines.outbox import Message, messages_queue, user_channels
from portal.documents.models import Document, DocumentStep
from portal.documents.permissions import may_sign
from portal.documents.signals import document_state_changed
from portal.models import Role, User

logger = logging.getLogger(__name__)

Action = DocumentStep.Action
# The steps after which a document waits for a signature: submitted by the office,
# passed by the office's review, or delegated by the group leader to a deputy.
TO_SIGN = frozenset({Action.SUBMIT, Action.PASS, Action.DELEGATE})


def signers_of(document: Document) -> list[User]:
    """Everybody who may sign the document now (the signer rule, `may_sign`)."""
    candidates = User.objects.filter(is_active=True, groups__name=Role.LEADER).filter(
        Q(leadership__in=[User.Leadership.GROUP_LEADER, User.Leadership.IN_CHARGE])
        | Q(pk=document.delegate_id or 0)
    )
    return [
        user for user in candidates.select_related("person").distinct() if may_sign(user, document)
    ]


def sign_notice_queue(*, document: Document, action: str, by: User) -> list[int]:
    """Queue the notice "a document waits for your signature" to its signers (to the
    deputy alone after a delegation). Keyed by the step, so a document that comes back
    for signature after a return is announced again, and each step once."""
    step = document.steps.filter(action=action).order_by("-pk").first()
    if step is None:
        return []
    if action == Action.DELEGATE:
        signers = [document.delegate] if document.delegate is not None else []
    else:
        signers = signers_of(document)
    url = settings.SITE_URL.rstrip("/") + document.get_absolute_url()
    with override(settings.LANGUAGE_CODE):
        subject = _("待签发公文：%(title)s") % {"title": document.title}
        messages = [
            Message(
                key=f"documents.sign/{document.pk}/{step.pk}/{user.pk}",
                recipient=user,
                channel=channel,
                subject=subject,
                body=render_to_string(
                    "emails/document_to_sign.txt",
                    {"document": document, "name": user.display_name, "url": url},
                )
                if channel == "email"
                else _("公文《%(title)s》已报送，请您签发。") % {"title": document.title},
                url=url if channel == "email" else document.get_absolute_url(),
            )
            for user in signers
            for channel in user_channels()
        ]
    return messages_queue(messages, by=by)


def delegation_revoked_queue(*, document: Document, deputy: User, by: User) -> list[int]:
    """Tell the deputy that the group leader took the delegation back (their
    "please sign" notice no longer holds). Keyed by the revocation step."""
    step = document.steps.filter(action=Action.REVOKE_DELEGATION).order_by("-pk").first()
    if step is None:
        return []
    url = settings.SITE_URL.rstrip("/") + document.get_absolute_url()
    with override(settings.LANGUAGE_CODE):
        subject = _("委托签发已撤销：%(title)s") % {"title": document.title}
        body = _("组长已撤销对您的委托，公文《%(title)s》改由组长签发，您无需签发。") % {
            "title": document.title
        }
        messages = [
            Message(
                key=f"documents.revoked/{document.pk}/{step.pk}/{deputy.pk}",
                recipient=deputy,
                channel=channel,
                subject=subject,
                body=f"{body}\n{url}" if channel == "email" else body,
                url=url if channel == "email" else document.get_absolute_url(),
            )
            for channel in user_channels()
        ]
    return messages_queue(messages, by=by)


@receiver(document_state_changed, dispatch_uid="documents_sign_notice")
def _on_state_changed(
    sender: Any, document: Document, new_state: str, action: str, actor: User, **kwargs: Any
) -> None:
    if new_state != Document.State.AWAITING_SIGNATURE or action not in TO_SIGN:
        return
    try:
        sign_notice_queue(document=document, action=action, by=actor)
    except Exception:  # the step is committed: a lost notice must not fail the request
        logger.exception("document %s: the notice to sign could not be queued", document.pk)

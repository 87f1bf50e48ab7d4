"""“我的待办” for documents: what to review, sign or issue, drafts returned for
revision, and receipts to acknowledge. One query per user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from portal.documents.models import Document
from portal.documents.selectors import documents_for_user, todo_q
from portal.permissions import own_unit_ids
from portal.todos import Todo, provider

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

State = Document.State
LIMIT = 50


@provider
def document_todos(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    if not user.is_authenticated:
        return []
    units = own_unit_ids(user)
    rows = list(
        documents_for_user(user, units)
        .filter(todo_q(user, units))
        .only("id", "title", "state", "reference", "kind", "importance", "updated_at")
        .order_by("updated_at")[:LIMIT]
    )
    # Labels translated once for the list, not for each of its 50 rows.
    what = _what()
    other = (_("待办"), "info")
    states = {value: str(label) for value, label in State.choices}
    detail = _("%(kind)s · %(state)s%(ref)s")
    items = []
    for document in rows:
        title, level = what.get(document.state, other)
        items.append(
            Todo(
                title=f"{title}：{document.title}",
                detail=detail
                % {
                    "kind": document.kind_label,
                    "state": states.get(document.state, document.state),
                    "ref": f" · {document.reference}" if document.reference else "",
                },
                url=document.get_absolute_url(),
                level=level,
            )
        )
    return items


def _what() -> dict[str, tuple[str, str]]:
    return {
        State.IN_REVIEW: (_("待审核"), "warning"),
        State.AWAITING_SIGNATURE: (_("待签发"), "warning"),
        State.SIGNED: (_("待印发"), "warning"),
        State.RETURNED: (_("退回修改"), "danger"),
        State.ISSUED: (_("待签收"), "info"),
    }

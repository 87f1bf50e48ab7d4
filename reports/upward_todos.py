"""“我的待办” for the office: experiences waiting to be selected (待遴选) and information
waiting for review (待审核). One query, for the office only (the home page's budget)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.paths import detail_path
from portal.permissions import is_office
from portal.todos import Todo, provider
from reports.models import Experience, InformationReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

LIMIT = 20


def _waiting(model: type[Experience] | type[InformationReport], kind: str) -> QuerySet[Any]:
    return (
        model.objects.filter(state=model.State.SUBMITTED, submitted_at__isnull=False)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "pk", "title", "unit__name", "submitted_at")
        .order_by()
    )


@provider
def upward_to_review(user: User | AnonymousUser, today: dt.date) -> list[Todo]:
    """One query (a union of the two tables), the longest waiting first."""
    if not is_office(user):
        return []
    rows = (
        _waiting(Experience, "experience")
        .union(_waiting(InformationReport, "information"), all=True)
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    todos = []
    for kind, pk, title, unit, submitted_at in rows:
        experience = kind == "experience"
        todos.append(
            Todo(
                title=(_("遴选经验做法：%(title)s") if experience else _("审核统战信息：%(title)s"))
                % {"title": title},
                detail=_("%(unit)s，%(day)s 报送")
                % {"unit": unit, "day": f"{timezone.localdate(submitted_at):%Y-%m-%d}"},
                url=detail_path("experience_detail" if experience else "information_detail", pk),
            )
        )
    return todos

"""The one way to a figure's sensitive data: affiliation (the person's political status
and `SensitiveProfile.affiliation`), overseas study and work (`OverseasRecord`),
opinions and notes.

`sensitive_for(user, figures, page=…)` returns the sensitive part of those of `figures`
the user may see (`portal.permissions.sensitive_person_ids`: the office all; a leader
their own pairs; a figure themself), two queries whatever the number of figures, and
logs the look in `portal.SensitiveView` for everyone but the office. A list, a filter,
an export or a history page that shows sensitive data gets it here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from outreach.models import Figure, OverseasRecord, SensitiveProfile
from portal import services as portal_services
from portal.models import field_labels
from portal.permissions import sensitive_person_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


@dataclass
class Sensitive:
    """What may be shown of one figure's sensitive data."""

    political_status: str  # the label, "" when not recorded
    affiliation: str = ""
    opinions: str = ""
    notes: str = ""
    overseas: list[OverseasRecord] = field(default_factory=list)


def visible_q(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """A filter for the figures whose sensitive data the user may see (None: all of
    them). `prefix` leads from the queried model to the figure, e.g. "figure__"."""
    ids = sensitive_person_ids(user)
    return None if ids is None else Q(**{f"{prefix}person_id__in": ids})


def may_see_any(user: User | AnonymousUser) -> bool:
    """Whether the user may see anyone's sensitive data (the office, a paired leader):
    whether a page has a sensitive column at all."""
    ids = sensitive_person_ids(user)
    return ids is None or bool(ids - {getattr(user, "person_id", None)})


def visible_figures(user: User | AnonymousUser, figures: QuerySet[Figure]) -> QuerySet[Figure]:
    q = visible_q(user)
    return figures if q is None else figures.filter(q)


def sensitive_for(
    user: User | AnonymousUser,
    figures: Iterable[Figure],
    *,
    page: str,
    log: bool = True,
) -> dict[int, Sensitive]:
    """Figure id → its sensitive data, for the figures of `figures` the user may see.
    `log` records the look (turn it off only for what is not shown)."""
    ids = sensitive_person_ids(user)
    shown: Sequence[Figure] = [f for f in figures if ids is None or f.person_id in ids]
    if not shown:
        return {}
    by_id = {figure.pk: figure for figure in shown}
    result = {
        figure.pk: Sensitive(political_status=figure.person.political_status_label)
        for figure in shown
    }
    for profile in SensitiveProfile.objects.filter(figure_id__in=by_id):
        bundle = result[profile.figure_id]
        bundle.affiliation, bundle.opinions, bundle.notes = (
            profile.affiliation,
            profile.opinions,
            profile.notes,
        )
    for record in OverseasRecord.objects.filter(figure_id__in=by_id).order_by(
        "figure_id", "start_year", "id"
    ):
        result[record.figure_id].overseas.append(record)
    if log and user.is_authenticated:
        portal_services.sensitive_view_record(
            people=[figure.person for figure in shown],
            fields=sensitive_field_labels(),
            page=page,
            by=user,
        )
    return result


def sensitive_field_labels() -> list[str]:
    return [_("政治面貌"), *field_labels(SensitiveProfile, SensitiveProfile.FIELDS), _("海外经历")]

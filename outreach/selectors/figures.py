"""Reads of the register: which figures a user may see (not their sensitive data; that
is `outreach.selectors.sensitive`).

The office, leaders and group members see the whole register; a branch commissioner
sees the figures of their own unit (and the units under it); anyone else none. Another
unit's figure is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from outreach.models import Contact, Figure, Talk
from portal.permissions import unit_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User


def contacted_in_q(year: int) -> Q:
    """Figures with a contact (联谊交友) or a talk (谈心谈话) dated in `year`: the annual
    report's coverage figure and the register's `?contacted=` filter, one definition."""
    contacts = Contact.figures.through.objects.filter(
        figure_id=OuterRef("pk"), contact__date__year=year
    )
    talks = Talk.figures.through.objects.filter(figure_id=OuterRef("pk"), talk__date__year=year)
    return Q(Exists(contacts)) | Q(Exists(talks))


def figures_for_user(user: User | AnonymousUser) -> QuerySet[Figure]:
    figures = Figure.objects.select_related("person__unit")
    scope = unit_scope(user)
    return figures if scope is None else figures.filter(person__unit_id__in=scope)


def list_rows(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """What a row of the register list shows: the person's name and unit as annotations
    (`name`, `unit_name`) on one instance a row, not three."""
    return figures.select_related(None).annotate(
        name=F("person__name"), unit_name=F("person__unit__name")
    )


def get_figure_for_user(user: User | AnonymousUser, pk: int) -> Figure:
    try:
        return figures_for_user(user).get(pk=pk)
    except Figure.DoesNotExist:
        raise Http404 from None

"""The liaison officers' list as a registered export (`portal.exports`): the list view
and the export read the same units (`liaison_units`, the list's scope) with the same
current liaison (`with_current`). The basis and its reason tell a person's political
status or overseas study: their columns are in the workbook for those who may see some
liaison's (`may_see_some_basis`), and filled row by row as the liaison's page would
show them (`can_see_basis`, the person page's rule); the others' are blanked by
`hide_basis` before a cell is written."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons import selectors
from liaisons.models import Liaison
from portal import exports, services
from portal.models import Person, Unit, field_labels
from portal.permissions import is_office


def liaison_units_for(user: Any, params: QueryDict) -> Any:
    """The list's rows (it has no filter: every unit the user may see)."""
    return selectors.liaison_units(user)


def _rows(user: Any, basis: bool) -> Any:
    def rows(units: Any) -> Any:
        today = timezone.localdate()
        shown: list[Person] = []
        chunk: list[Unit] = []
        for unit in units.iterator(chunk_size=500):
            chunk.append(unit)
            if len(chunk) == 500:
                yield from _cells(user, chunk, today, basis, shown)
                chunk = []
        yield from _cells(user, chunk, today, basis, shown)
        if shown and not is_office(user):
            services.sensitive_view_record(
                people=shown,
                fields=field_labels(Liaison, selectors.BASIS_FIELDS),
                page=reverse("liaison_export"),
                by=user,
            )

    return rows


def _cells(user: Any, units: list[Unit], today: Any, basis: bool, shown: list[Person]) -> Any:
    if not units:
        return
    for row in selectors.with_current(units, today):
        liaison = row.liaison
        cells = [
            row.unit.name,
            liaison.person.name if liaison else _("暂缺"),
            liaison.person.title if liaison else "",
            liaison.start_date if liaison else None,
        ]
        if basis:
            if liaison is not None and selectors.can_see_basis(user, liaison):
                shown.append(liaison.person)
            elif liaison is not None:
                selectors.hide_basis(liaison)
            cells += [
                liaison.get_basis_display() if liaison and liaison.basis else "",
                liaison.basis_reason if liaison else "",
            ]
        yield cells


def _declare(user: Any) -> exports.Export:
    basis = selectors.may_see_some_basis(user)
    columns = [(_("单位"), 30), (_("联络员"), 12), (_("职务/职称"), 20), (_("任职日期"), 12)]
    if basis:
        columns += [(_("人选条件"), 20), (_("推荐理由"), 40)]
    return exports.Export(
        name=_("统战联络员"), title=_("统战联络员"), columns=columns, rows=_rows(user, basis)
    )


def _allowed(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and selectors.can_see_liaisons(user)


exports.register("liaisons", declare=_declare, queryset=liaison_units_for, allowed=_allowed)

"""The liaison officers' list as a registered export (`portal.exports`): the list view
and the export read the same units (`liaison_units`, the list's scope) with the same
current liaison (`with_current`). The basis and its reason tell a person's political
status: in the workbook only for those the list's detail shows them to
(`can_see_basis`: the office and the leaders)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from liaisons import selectors
from portal import exports
from portal.models import Unit


def liaison_units_for(user: Any, params: QueryDict) -> Any:
    """The list's rows (it has no filter: every unit the user may see)."""
    return selectors.liaison_units(user)


def _rows(basis: bool) -> Any:
    def rows(units: Any) -> Any:
        today = timezone.localdate()
        chunk: list[Unit] = []
        for unit in units.iterator(chunk_size=500):
            chunk.append(unit)
            if len(chunk) == 500:
                yield from _cells(chunk, today, basis)
                chunk = []
        yield from _cells(chunk, today, basis)

    return rows


def _cells(units: list[Unit], today: Any, basis: bool) -> Any:
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
            cells += [
                liaison.get_basis_display() if liaison else "",
                liaison.basis_reason if liaison else "",
            ]
        yield cells


def _declare(user: Any) -> exports.Export:
    basis = selectors.can_see_basis(user)
    columns = [(_("单位"), 30), (_("联络员"), 12), (_("职务/职称"), 20), (_("任职日期"), 12)]
    if basis:
        columns += [(_("人选条件"), 20), (_("推荐理由"), 40)]
    return exports.Export(
        name=_("统战联络员"), title=_("统战联络员"), columns=columns, rows=_rows(basis)
    )


def _allowed(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and selectors.can_see_liaisons(user)


exports.register("liaisons", declare=_declare, queryset=liaison_units_for, allowed=_allowed)

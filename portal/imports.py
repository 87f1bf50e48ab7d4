"""Spreadsheet imports' parking: the rows of an upload between its preview and the
confirmation, under a one-time token the confirmation URL carries (`ParkedImport`).

Every import follows the same path (the roster, a plan's items, the register of
figures): the upload is read into rows (`portal.spreadsheets.read_rows`), the app's
import function runs on them with `dry_run=True` for the preview (inside a transaction
it rolls back, so the preview shows exactly what the confirmation saves), the rows are
parked here, and the confirmation takes them (once) and runs the same function for
real; any row error rolls everything back: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import ParkedImport, Unit, User
from portal.spreadsheets import SheetRow

PARKED_FOR = dt.timedelta(days=1)


@transaction.atomic
def parked_import_create(*, user: User, kind: str, rows: list[SheetRow], filename: str) -> str:
    """Keep parsed rows until the confirmation, under a one-time token its URL carries.
    A new upload replaces the user's previous one of the kind; stale ones are removed."""
    ParkedImport.objects.filter(
        Q(user=user, kind=kind) | Q(created_at__lt=timezone.now() - PARKED_FOR)
    ).delete()
    parked = ParkedImport(
        kind=kind,
        token=secrets.token_urlsafe(16),
        user=user,
        filename=filename[-200:],
        rows=[[row.line, row.cells] for row in rows],
    )
    parked.full_clean()
    parked.save()
    return parked.token


@transaction.atomic
def parked_import_take(*, user: User, kind: str, token: str) -> tuple[list[SheetRow], str] | None:
    """The parked rows of this user's `token` (and remove them), else None. Taking is a
    delete that only one request can win, so a double-clicked confirmation imports once."""
    parked = ParkedImport.objects.filter(
        user=user, kind=kind, token=token, created_at__gte=timezone.now() - PARKED_FOR
    ).first()
    if parked is None:
        return None
    deleted, _counts = ParkedImport.objects.filter(pk=parked.pk).delete()
    if deleted != 1:
        return None
    rows = [SheetRow(line=int(line), cells=dict(cells)) for line, cells in parked.rows]
    return rows, parked.filename


class UnitIndex:
    """Units by full name or short name, loaded once per import."""

    def __init__(self) -> None:
        self.units = list(Unit.objects.all())
        self.by_name = {unit.name: unit for unit in self.units}
        self.by_short: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units:
            if unit.short_name:
                self.by_short[unit.short_name].append(unit)

    def find(self, text: str) -> Unit:
        """The unit named `text`; ValueError with a Chinese message otherwise."""
        name = text.strip()
        if name in self.by_name:
            return self.by_name[name]
        matches = self.by_short.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(_("简称“%(name)s”对应多个单位，请填写全称。") % {"name": name})
        raise ValueError(_("找不到单位“%(name)s”，请填写“单位”中登记的名称。") % {"name": name})

    def collective(self, text: str) -> list[Unit] | None:
        """“各二级学院” / “各党总支”: every active unit of that kind."""
        kinds = {
            "各二级学院": Unit.Kind.SCHOOL,
            "各二级学院部": Unit.Kind.SCHOOL,
            "各学院": Unit.Kind.SCHOOL,
            "各党总支": Unit.Kind.BRANCH,
        }
        kind = kinds.get(text.strip())
        if kind is None:
            return None
        return [unit for unit in self.units if unit.kind == kind and unit.is_active]

"""The coverage board as a workbook: what the user sees, no more (the contacts list is
exported through the registry: `outreach.exporting`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from outreach.selectors.pairs import Period, Row
from portal.spreadsheets import build_xlsx


def coverage_xlsx(rows: Iterable[Row], period: Period) -> bytes:
    """One pair a row, with its lights in words."""
    headers = [
        _("联系领导"),
        _("领导单位"),
        _("联系对象"),
        _("对象单位"),
        _("重点联系对象"),
        _("结对日期"),
        _("最近联系"),
        _("联系情况"),
        _("最近谈心谈话"),
        _("谈心谈话情况"),
    ]
    out: list[list[object]] = []
    for row in rows:
        for cell in row.cells:
            out.append(
                [
                    row.leader_name,
                    row.leader_unit,
                    cell.figure_name,
                    cell.figure_unit,
                    _("是") if cell.key_contact else "",
                    cell.start_date,
                    cell.last_contact,
                    cell.contact_label,
                    cell.last_talk,
                    cell.talk_label,
                ]
            )
    return build_xlsx(
        title=_("联系覆盖情况（%(period)s）") % {"period": period.label},
        headers=headers,
        rows=out,
        widths=[10, 20, 10, 20, 12, 12, 12, 10, 14, 12],
    )

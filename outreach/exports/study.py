"""The learning year board as a workbook."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from outreach.models import FiveOne
from outreach.selectors.study import BoardRow
from portal.spreadsheets import build_xlsx


def board_xlsx(rows: Iterable[BoardRow], year: int) -> bytes:
    """One figure a row: the activities reaching them that year and those confirmed,
    then each of the "五个一" with what was done (empty: not yet)."""
    headers = [_("姓名"), _("单位"), _("类别"), _("应学次数"), _("已学次数")]
    headers += [str(label) for label in FiveOne.Item.labels]
    headers.append(_("五个一完成项数"))
    widths = [10, 24, 16, 10, 10] + [20] * len(FiveOne.Item.values) + [14]
    table = []
    for row in rows:
        table.append(
            [
                row.name,
                row.unit_name,
                row.category_label,
                row.reached,
                row.confirmed,
                *[f"{cell.done_on:%Y-%m-%d} {cell.title}" if cell else "" for cell in row.cells],
                row.five_done,
            ]
        )
    return build_xlsx(
        title=_("%(year)s年度学习情况") % {"year": year}, headers=headers, rows=table, widths=widths
    )

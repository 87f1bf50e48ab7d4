"""The information counts (统战信息编报情况) as a workbook: per unit, in a year,
submitted / sent upward / adopted (text that looks like a formula stays text:
`portal.spreadsheets`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from portal.spreadsheets import build_xlsx
from reports.upward_selectors import UnitCounts


def totals(rows: Sequence[UnitCounts]) -> UnitCounts:
    return UnitCounts(
        unit=_("合计"),
        submitted=sum(r.submitted for r in rows),
        sent=sum(r.sent for r in rows),
        adopted=sum(r.adopted for r in rows),
    )


def information_counts_xlsx(rows: Sequence[UnitCounts], *, year: int) -> bytes:
    total = totals(rows)
    return build_xlsx(
        title=_("统战信息编报情况"),
        headers=[_("单位"), _("报送办公室"), _("报送上级"), _("被采用")],
        rows=[
            *([r.unit, r.submitted, r.sent, r.adopted] for r in rows),
            [total.unit, total.submitted, total.sent, total.adopted],
        ],
        widths=[30, 12, 12, 12],
        notes=[[_("年度"), str(year)], [_("统计口径"), _("按首次报送办公室的年度统计。")]],
    )

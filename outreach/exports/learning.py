"""The reserve list as a workbook."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from outreach.models import ReserveCadre
from portal.spreadsheets import build_xlsx


def reserve_xlsx(entries: Iterable[ReserveCadre], *, with_assessment: bool) -> bytes:
    """One entry a row; the office's assessment only for the office."""
    headers = [
        _("姓名"),
        _("单位"),
        _("类别"),
        _("列入日期"),
        _("培养方向"),
        _("培训次数"),
        _("最近培训结束"),
        _("退出日期"),
        _("退出原因"),
    ]
    widths = [10, 24, 16, 12, 24, 10, 14, 12, 12]
    if with_assessment:
        headers.append(_("考察意见"))
        widths.append(60)
    rows = []
    for entry in entries:
        person = entry.figure.person
        row: list[object] = [
            person.name,
            person.unit.name,
            entry.figure.category_label,
            entry.added_on,
            entry.proposed_post,
            getattr(entry, "training_count", 0),
            getattr(entry, "last_training", None),
            entry.removed_on,
            entry.outcome_label,
        ]
        if with_assessment:
            row.append(entry.assessment)
        rows.append(row)
    return build_xlsx(title=_("党外后备干部"), headers=headers, rows=rows, widths=widths)

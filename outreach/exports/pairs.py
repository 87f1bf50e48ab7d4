"""The contacts list and the coverage board as workbooks: what the user sees, no more."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from outreach.models import Contact
from outreach.selectors.pairs import Period, Row
from portal.spreadsheets import build_xlsx


def contacts_xlsx(contacts: Iterable[Contact]) -> bytes:
    """One contact a row. Give contacts with `figures__person` prefetched."""
    headers = [_("日期"), _("联系领导"), _("方式"), _("联系对象"), _("地点"), _("情况摘要")]
    rows = [
        [
            contact.date,
            contact.leader.name,
            contact.get_kind_display(),
            "、".join(f.person.name for f in contact.figures.all()),
            contact.place,
            contact.summary,
        ]
        for contact in contacts
    ]
    return build_xlsx(
        title=_("联系记录"), headers=headers, rows=rows, widths=[12, 10, 12, 30, 16, 60]
    )


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

"""The suggestions list as a workbook: the proposer only for those who may see it."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from outreach.models import Suggestion
from portal.spreadsheets import build_xlsx


def suggestions_xlsx(rows: Iterable[Suggestion], *, with_proposer: bool) -> bytes:
    headers = [_("提出日期"), _("标题"), _("来源"), _("状态"), _("牵头单位"), _("期限")]
    widths = [12, 30, 12, 14, 20, 12]
    headers += [_("意见建议内容"), _("办理答复"), _("满意度")]
    widths += [50, 50, 10]
    if with_proposer:
        headers.insert(2, _("提出人"))
        widths.insert(2, 12)
    out = []
    for s in rows:
        row: list[object] = [
            s.raised_on,
            s.title,
            s.get_source_display(),
            s.get_state_display(),
            s.lead_unit.name if s.lead_unit else "",
            s.deadline.due if s.deadline and not s.deadline.is_closed else None,
            s.content,
            s.answer,
            s.get_satisfaction_display() if s.satisfaction else "",
        ]
        if with_proposer:
            row.insert(2, s.proposer)
        out.append(row)
    return build_xlsx(title=_("意见建议"), headers=headers, rows=out, widths=widths)

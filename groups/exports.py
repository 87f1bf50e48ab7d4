"""XLSX builders: services that return bytes; the views only send them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from groups.imports import ITEM_HEADERS, ITEM_WIDTHS, ROSTER_HEADERS, ROSTER_WIDTHS
from groups.models import WorkPoints
from groups.selectors import item_statuses, roster_on, year_end
from groups.services import Category
from portal.models import Unit
from portal.spreadsheets import build_xlsx


def _category_labels() -> list[str]:
    return [label for _value, label in Category.choices()]


def roster_xlsx(day: dt.date) -> bytes:
    """The group on `day`, one seat a row, in the import's columns: an export edited and
    uploaded again changes only what was edited."""
    roster = roster_on(day)
    rows: list[list[object]] = []
    for membership in roster.memberships:
        rows.append(
            [
                Category.label(membership.role),
                membership.unit.name,
                membership.person.name,
                membership.post,
                membership.start_date,
                membership.end_date,
                membership.note,
            ]
        )
    for seat in [*roster.office_directors, *roster.office_members]:
        rows.append(
            [
                Category.label(Category.of(seat)),
                seat.unit.name,
                seat.person.name,
                seat.post,
                seat.start_date,
                seat.end_date,
                seat.note,
            ]
        )
    for commissioner in roster.commissioners:
        rows.append(
            [
                Category.label(Category.COMMISSIONER),
                commissioner.branch.name,
                commissioner.person.name,
                commissioner.post,
                commissioner.start_date,
                commissioner.end_date,
                commissioner.note,
            ]
        )
    term = str(roster.group) if roster.group else _("（该日无在任的领导小组）")
    notes = [
        [_("日期"), day.isoformat()],
        [_("届次"), term],
        *_roster_notes(),
    ]
    return build_xlsx(
        title=_("领导小组名册"),
        headers=ROSTER_HEADERS,
        rows=rows,
        widths=ROSTER_WIDTHS,
        notes=notes,
        choices={"类别": _category_labels()},
    )


def _roster_notes() -> list[list[str]]:
    return [
        [_("类别"), "、".join(_category_labels())],
        [_("单位"), _("“单位”中登记的全称或简称。校领导填“学院领导”；统战委员填其党总支。")],
        [_("姓名"), _("“人员”中已登记的姓名；重名时按所填单位区分。")],
        [
            _("职务"),
            _("据以任职的职务，如：党委书记、院长、宣传部部长、党总支书记。统战委员可不填。"),
        ],
        [_("开始日期"), _("必填，如 2026-03-01。")],
        [_("结束日期"), _("任职的最后一天；留空表示至今。")],
        [
            _("导入规则"),
            _(
                "与名册中已有任职（类别、单位、姓名、开始日期都相同）一致的行：填写结束日期即结束该任职，"
                "否则不变；其他行新增任职。文件中没有的任职保持不变。"
                "任何一行有错误时整个文件都不导入。"
            ),
        ],
    ]


def roster_template_xlsx() -> bytes:
    example = [
        [_("示例"), _("下面是一行示例（请在第一张表中填写，不要复制“示例”二字）：")],
        ["", "成员 | 党委宣传部 | 罗海燕 | 宣传部部长 | 2026-03-01 | | "],
    ]
    return build_xlsx(
        title=_("领导小组名册"),
        headers=ROSTER_HEADERS,
        rows=[],
        widths=ROSTER_WIDTHS,
        notes=[*_roster_notes(), *example],
        choices={"类别": _category_labels()},
    )


def _item_notes() -> list[list[str]]:
    return [
        [
            _("部分"),
            _(
                "所属部分的标题，如“一、以政治建设为统领……”；序号可写可不写，按出现顺序编为一、二、三……"
            ),
        ],
        [_("事项"), _("事项的简短标题，如“持续强化政治引领”。事项按行序连续编号 1、2、3……")],
        [_("内容"), _("事项的具体内容。")],
        [_("牵头部门"), _("一个单位的全称或简称，如“党委统战部”。")],
        [
            _("配合部门"),
            _("可填多个，用顿号“、”分隔；可写“各二级学院”“各党总支”表示全部。"),
        ],
        [
            _("导入规则"),
            _(
                "导入将替换这份工作要点现有的全部部分和事项（已有进展报告时不能整体替换）。任何一行有错误时整个文件都不导入。"
            ),
        ],
    ]


def items_xlsx(plan: WorkPoints) -> bytes:
    """The plan's items in the import's columns, plus each item's latest status."""
    statuses = item_statuses(plan)
    headers = (*ITEM_HEADERS, _("序号"), _("最新进度（%）"), _("最近报告"), _("状态"))
    rows = [
        [
            status.item.section.heading,
            status.item.title,
            status.item.body,
            status.item.lead_unit.name,
            "、".join(unit.name for unit in status.item.responsible_units()[1:]),
            status.item.number,
            status.percent,
            status.reported_at.date() if status.reported_at else None,
            status.light_label,
        ]
        for status in statuses
    ]
    return build_xlsx(
        title=_("工作要点"),
        headers=headers,
        rows=rows,
        widths=(*ITEM_WIDTHS, 6, 12, 12, 10),
        notes=_item_notes(),
    )


def items_template_xlsx() -> bytes:
    units = "、".join(Unit.objects.filter(is_active=True).values_list("name", flat=True)[:60])
    return build_xlsx(
        title=_("工作要点"),
        headers=ITEM_HEADERS,
        rows=[],
        widths=ITEM_WIDTHS,
        notes=[*_item_notes(), [_("可用单位"), units]],
    )


YEAR_END_HEADERS = (
    _("序号"),
    _("部分"),
    _("事项"),
    _("责任部门"),
    _("分工"),
    _("完成进度（%）"),
    _("最近报告"),
    _("报告次数"),
    _("进展情况"),
    _("佐证材料"),
    _("事项状态"),
)
YEAR_END_WIDTHS = (6, 24, 24, 18, 6, 10, 12, 8, 50, 30, 10)


def year_end_xlsx(plan: WorkPoints, *, readable: set[int] | None = None) -> bytes:
    """The year-end view as a workbook: one row per item and responsible unit. Report
    texts and evidence names only of the units in `readable` (None: all)."""
    rows = []
    for entry in year_end(plan):
        item = entry.status.item
        for outcome in entry.units:
            may_read = readable is None or outcome.unit.pk in readable
            rows.append(
                [
                    item.number,
                    item.section.heading,
                    item.title,
                    outcome.unit.name,
                    _("牵头") if outcome.lead else _("配合"),
                    outcome.percent,
                    timezone.localdate(outcome.reported_at) if outcome.reported_at else None,
                    outcome.report_count,
                    outcome.text if may_read else "",
                    "、".join(r.evidence_name or _("佐证材料") for r in outcome.evidence)
                    if may_read
                    else "",
                    entry.status.light_label,
                ]
            )
    return build_xlsx(
        title=_("完成情况"), headers=YEAR_END_HEADERS, rows=rows, widths=YEAR_END_WIDTHS
    )

"""The register's import template. The register itself is exported through the
registry (`outreach.exporting`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from outreach.models import Figure
from portal.spreadsheets import build_xlsx


def register_template_xlsx() -> bytes:
    """The import template: the register's columns, drop-downs for the category and the
    flags, and a 说明 sheet."""
    from outreach.imports import HEADERS, NO, WIDTHS, YES

    notes = [
        [_("姓名"), _("须已在“人员”中登记、且不是中共党员；同名时按单位区分。")],
        [_("单位"), _("人员所在单位的全称或简称。")],
        [_("类别"), _("从下拉列表中选择。")],
        [_("党外代表人士"), _("填“是”或“否”，空白视为“否”。")],
        [_("重点联系对象"), _("填“是”或“否”，空白视为“否”。")],
        [_("登记日期"), _("如 2026-03-01；新登记的人员空白时取导入当天。")],
        [
            _("说明"),
            _(
                "已在名册中的人员按表格更新；政治面貌、党派任职、海外经历等敏感信息不经导入，请在人员页面填写。"
            ),
        ],
        [_("示例"), "张三 | 机电工程学院 | 民主党派成员 | 是 | 否 | 机械工程 | 2026-03-01"],
    ]
    return build_xlsx(
        title=_("党外人士名册"),
        headers=list(HEADERS),
        rows=[],
        widths=list(WIDTHS),
        notes=notes,
        choices={
            "类别": [str(label) for _value, label in Figure.Category.choices],
            "党外代表人士": [YES, NO],
            "重点联系对象": [YES, NO],
        },
    )

"""The register as a workbook: what the user may see. The sensitive columns only for
the office, read through `outreach.selectors.sensitive` like every page."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from outreach.models import Figure
from outreach.selectors.overseas import OverseasRow
from outreach.selectors.sensitive import Sensitive
from portal.spreadsheets import build_xlsx


def figures_xlsx(
    figures: Sequence[Figure], *, sensitive: dict[int, Sensitive] | None = None
) -> bytes:
    """One figure a row; with `sensitive` (the office's), its columns too."""
    headers = [
        _("姓名"),
        _("单位"),
        _("职务/职称"),
        _("类别"),
        _("党外代表人士"),
        _("重点联系对象"),
        _("专业特长"),
        _("社会职务"),
        _("登记日期"),
        _("在册"),
    ]
    widths = [10, 24, 16, 16, 10, 10, 20, 40, 12, 6]
    if sensitive is not None:
        headers += [_("政治面貌"), _("党派及任职情况"), _("海外经历")]
        widths += [12, 30, 40]
    yes, no = _("是"), ""
    rows = []
    for figure in figures:
        person = figure.person
        row: list[object] = [
            person.name,
            person.unit.name,
            person.title,
            figure.category_label,
            yes if figure.is_representative else no,
            yes if figure.is_key_contact else no,
            figure.expertise,
            "；".join(p.title for p in figure.positions.all()),
            figure.registered_on,
            yes if figure.is_active else _("否"),
        ]
        if sensitive is not None:
            secret = sensitive.get(figure.pk)
            row += (
                [
                    secret.political_status,
                    secret.affiliation,
                    "；".join(
                        f"{r.start_year or ''}—{r.end_year or ''} {r.country} {r.institution}"
                        for r in secret.overseas
                    ),
                ]
                if secret
                else ["", "", ""]
            )
        rows.append(row)
    return build_xlsx(title=_("党外人士"), headers=headers, rows=rows, widths=widths)


def overseas_xlsx(rows: Sequence[OverseasRow]) -> bytes:
    """The returned-overseas list: one record a row (a person without a structured
    record: one row saying so), with what is missing."""
    headers = [
        _("姓名"),
        _("单位"),
        _("类型"),
        _("国家/地区"),
        _("院校/机构"),
        _("学位"),
        _("开始年份"),
        _("结束年份"),
        _("登记的留学情况"),
        _("缺少"),
    ]
    widths = [10, 24, 10, 14, 24, 10, 10, 10, 40, 30]
    lines: list[list[object]] = []
    for row in rows:
        if not row.records:
            empty: list[object] = [row.name, row.unit_name, "", "", "", "", None, None]
            lines.append([*empty, row.detail, "、".join(row.missing)])
        for record in row.records:
            lines.append(
                [
                    row.name,
                    row.unit_name,
                    record.kind_label,
                    record.country,
                    record.institution,
                    record.degree_label,
                    record.start_year,
                    record.end_year,
                    row.detail,
                    "、".join(record.missing),
                ]
            )
    return build_xlsx(title=_("留学回国人员"), headers=headers, rows=lines, widths=widths)


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

"""The documents list and the numbering series (发文字号) as registered exports
(`portal.exports`): each list view and its export build their rows with the same
`*_filter_for(user, params)` (`document_filter_for`: the list's tab and filter;
`series_filter_for`: every series, the office's only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import exports
from portal.documents import selectors
from portal.documents.forms import DocumentFilter
from portal.documents.models import DocumentSeries
from portal.models import Role
from portal.registers import may_see_records

TAB_LABELS = (
    ("todo", gettext_lazy("待我处理")),
    ("mine", gettext_lazy("我起草的")),
    ("issued", gettext_lazy("已印发")),
    ("all", gettext_lazy("全部")),
)


def tab_of(params: QueryDict) -> str:
    tab = params.get("tab", "todo")
    return tab if tab in dict(TAB_LABELS) else "todo"


def document_filter_for(user: Any, params: QueryDict) -> DocumentFilter:
    """The documents list's scope (`document_list_for_user`, its tab) under its filter."""
    rows = selectors.document_list_for_user(user, tab=tab_of(params))
    return DocumentFilter(params, queryset=rows)


def _rows(documents: Any) -> Any:
    for document in documents.iterator(chunk_size=500):
        yield [
            document.title,
            document.reference,
            document.kind_label,
            document.get_importance_display(),
            document.state_label,
            document.drafting_unit.name,
            exports.local_date(document.signed_at),
            exports.local_date(document.issued_at),
            exports.local_date(document.updated_at),
        ]


def _declare(user: Any) -> exports.Export:
    return exports.Export(
        name=_("公文"),
        title=_("公文"),
        columns=[
            (_("标题"), 40),
            (_("文号"), 18),
            (_("文种"), 10),
            (_("重要程度"), 10),
            (_("状态"), 10),
            (_("拟稿单位"), 24),
            (_("签发日期"), 12),
            (_("印发日期"), 12),
            (_("更新日期"), 12),
        ],
        rows=_rows,
    )


exports.register(
    "documents",
    url_name="document_export",
    declare=_declare,
    queryset=lambda user, params: document_filter_for(user, params).qs,
    allowed=may_see_records,
)


# The numbering series (发文字号) ---------------------------------------------------------


def series_filter_for(user: Any, params: QueryDict) -> QuerySet[DocumentSeries]:
    """The series list's rows: every series, by key (the list has no filter; the view
    and `allowed` are the office's only)."""
    return DocumentSeries.objects.order_by("key")


def _series_rows(series: Any) -> Any:
    # This year's numbers (the list shows the pattern with this year), every year's count
    # and the latest issue, annotated on the series: one query whatever their number.
    year = timezone.localdate().year
    numbered = Q(documents__number__isnull=False)
    this_year = numbered & Q(documents__year=year)
    counted = series.annotate(
        issued_this_year=Count("documents", filter=this_year),
        last_number=Max("documents__number", filter=this_year),
        issued_ever=Count("documents", filter=numbered),
        last_issued_at=Max("documents__issued_at", filter=numbered),
    )
    for s in counted.iterator(chunk_size=500):
        yield [
            s.name,
            s.prefix,
            f"{s.prefix}〔{year}〕N号",
            s.header,
            s.signing_unit,
            s.printed_by,
            year,
            s.issued_this_year,
            s.last_number,
            s.format_number(year, s.last_number) if s.last_number else "",
            s.issued_ever,
            exports.local_date(s.last_issued_at),
        ]


def _declare_series(user: Any) -> exports.Export:
    return exports.Export(
        name=_("发文字号"),
        title=_("发文字号"),
        columns=[
            (_("名称"), 16),
            (_("前缀"), 10),
            (_("文号格式"), 18),
            (_("发文机关标志"), 36),
            (_("发文机关署名"), 24),
            (_("印发机关"), 24),
            (_("年度"), 8),
            (_("本年度印发"), 10),
            (_("本年度最后顺序号"), 10),
            (_("本年度最后文号"), 18),
            (_("累计印发"), 10),
            (_("最近印发日期"), 12),
        ],
        rows=_series_rows,
    )


exports.register(
    "document_series",
    url_name="document_series_export",
    declare=_declare_series,
    queryset=series_filter_for,
    allowed=exports.allowed_for(Role.OFFICE),
)

"""The documents list as a registered export (`portal.exports`): the list view and the
export build their rows with `document_filter_for`, the list's tab and filter."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import exports
from portal.documents import selectors
from portal.documents.forms import DocumentFilter
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

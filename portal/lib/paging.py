"""One page size for every list, and the one way a list view pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(
    request: HttpRequest, object_list: Any, per_page: int = PAGE_SIZE, *, count: int | None = None
) -> Page[Any]:
    """The page `?page=` asks for; a bad or too large number gives the first or last
    page (Django's `get_page`), never an error. `count`, when the view already knows how
    many rows `object_list` has (from an aggregate it needs anyway), spares the
    paginator's own COUNT."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: what it would have computed
    return paginator.get_page(request.GET.get("page"))


def paginate_keys(
    request: HttpRequest,
    queryset: QuerySet[Any],
    load: Callable[[QuerySet[Any]], Iterable[Any]],
    per_page: int = PAGE_SIZE,
) -> Page[Any]:
    """Page `queryset` on its primary keys, then `load` the page's rows.

    `load` gets a queryset of the page's rows and adds what each row shows (joins,
    subqueries, prefetches). The paginator's count and the ordering run on the bare
    filtered rows, the per-row work on fifty of them, not on every row before the sort;
    the page keeps `queryset`'s order. Two queries instead of one, the same at any size.
    """
    page = paginate(request, queryset.values_list("pk", flat=True), per_page)
    keys = list(page.object_list)
    rows = {row.pk: row for row in load(queryset.model._default_manager.filter(pk__in=keys))}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page

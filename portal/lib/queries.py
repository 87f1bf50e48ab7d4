"""Query expressions the apps share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


def count_of(rows: QuerySet[Any]) -> Subquery:
    """The number of `rows` (a queryset filtered on an `OuterRef`) as a scalar subquery.

    Unlike `Count()` over a join, it needs no GROUP BY of the whole table: a list page
    ordered by an index computes the counts of its own fifty rows only, and the
    paginator's COUNT leaves the unused annotation out.
    """
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def grouped_by(
    records: QuerySet[Any], related: QuerySet[Any], key: str, *fields: str
) -> dict[int, list[Any]]:
    """Record id → its related rows, in `related`'s order, for every record of `records`
    in one query (their ids as a subquery, never a list of ids): what an export or a
    report needs of each row's children at any row count, where a prefetch would run
    once per chunk of an iterator.

    `key` is the related rows' field holding the record's id (`"rectification_id"`).
    With `fields`, each related row is its value (one field) or the tuple of them;
    without, the model instance.
    """
    chosen = related.filter(**{f"{key}__in": records.order_by().values("pk")})
    found: dict[int, list[Any]] = {}
    if fields:
        for pk, *values in _streamed(chosen.values_list(key, *fields)):
            found.setdefault(pk, []).append(values[0] if len(values) == 1 else tuple(values))
    else:
        for row in _streamed(chosen):
            found.setdefault(getattr(row, key), []).append(row)
    return found


def _streamed(rows: QuerySet[Any]) -> Iterator[Any]:
    return rows.iterator(chunk_size=2000)

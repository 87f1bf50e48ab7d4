"""Query expressions the apps share."""

from __future__ import annotations

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

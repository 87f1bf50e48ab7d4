"""Records kept in an order by a small integer (an agenda's items, a plan's sections and
its numbered items, a report's sections): move one up or down, number them again.

The order field is usually unique within its parent (`UniqueConstraint(meeting,
position)`), so a row is never given a value another row still holds: the rows that
change are first lifted out of the way by `lift` (larger than any value in the parent),
then written. Writes use `update_fields`/`bulk_update` on the order field only; with `by`
each changed row is saved one by one so django-simple-history records who moved it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import F, Model, QuerySet

M = TypeVar("M", bound=Model)

LIFT = 1000


def move(
    items: QuerySet[M],
    item: M,
    offset: int,
    *,
    field: str = "position",
    by: Any = None,
    lift: int = LIFT,
) -> bool:
    """Swap `item` with the row `offset` places away (-1 up, +1 down) among `items` in
    `field` order; the two exchange their values, the others keep theirs. False, and
    nothing written, when there is no such row (the first moved up, the last down).
    Call it inside the transaction that locked the parent."""
    rows = list(items.order_by(field, "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        return False
    values = [getattr(row, field) for row in rows]
    rows[index], rows[target] = rows[target], rows[index]
    _write(rows, values, field=field, by=by, lift=lift)
    setattr(item, field, values[target])
    return True


def renumber(
    rows: Sequence[M],
    *,
    field: str = "position",
    start: int = 1,
    by: Any = None,
    lift: int = LIFT,
) -> int:
    """Give `rows` the values start, start + 1, … in the order given (after a delete, an
    insert, or a move across parents). Returns how many rows changed."""
    return _write(rows, range(start, start + len(rows)), field=field, by=by, lift=lift)


def _write(rows: Sequence[M], values: Sequence[int], *, field: str, by: Any, lift: int) -> int:
    changed = [row for row, value in zip(rows, values, strict=True) if getattr(row, field) != value]
    if not changed:
        return 0
    model = type(changed[0])
    model._default_manager.filter(pk__in=[row.pk for row in changed]).update(
        **{field: F(field) + lift}
    )
    for row, value in zip(rows, values, strict=True):
        setattr(row, field, value)
    if by is None:
        model._default_manager.bulk_update(changed, [field])
    else:
        for row in changed:
            row._history_user = by  # type: ignore[attr-defined]
            row.save(update_fields=[field])
    return len(changed)

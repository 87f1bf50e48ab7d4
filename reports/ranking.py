"""The rules of a review round's result (述职评议, 000 §三(三)), as pure functions: the
cap on 优秀, the ranking, and “前5后3” (commend the top five, comment on the bottom
three), with the house rules for ties and for small rounds. No database here: the
services pass scores in and store what comes out, and the tests walk every edge.

- **Ranking**: by score, highest first; equal scores share a rank (1, 2, 2, 4: the
  "competition" ranking an office would write in a table).
- **前5后3** with `n` ranked units: five and three when `n` ≥ 8. A smaller round keeps
  the proportion, so that the two never meet: `top = max(1, n·5 // 8)` and
  `bottom = min(3, n - top)` (7 units: 4 and 3; 4 units: 2 and 2; 1 unit: 1 and 0).
- **Ties at a cut** are not broken by chance: every unit tied at the last place of the
  top is commended (its rank is within the top), and every unit tied at the first place
  of the bottom is commented on, unless that unit is already commended (the top wins;
  the bottom then holds fewer).
- **The 优秀 cap**: at most `floor(n × cap% / 100)` units rated 优秀, and at least one
  when the cap is above zero (a round of three at 30 % may still have one).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

TOP = "top"  # 表扬 (前5)
BOTTOM = "bottom"  # 点评 (后3)


@dataclass(frozen=True)
class Standing:
    rank: int  # 1 = best; equal scores share a rank
    place: str  # TOP, BOTTOM or ""


def cut_sizes(n: int) -> tuple[int, int]:
    """How many units the top and the bottom hold in a round of `n` ranked units."""
    if n <= 0:
        return 0, 0
    if n >= 8:
        return 5, 3
    top = max(1, n * 5 // 8)
    return top, min(3, n - top)


def excellent_cap(n: int, cap_percent: int) -> int:
    """The most units a round of `n` may rate 优秀 with a cap of `cap_percent` %."""
    if n <= 0 or cap_percent <= 0:
        return 0
    if cap_percent >= 100:
        return n
    return max(1, n * cap_percent // 100)


def standings(scores: Mapping[K, Decimal | int | float]) -> dict[K, Standing]:
    """Each unit's rank and place (top, bottom or neither) from its score."""
    ordered = sorted(scores.items(), key=lambda pair: -Decimal(str(pair[1])))
    n = len(ordered)
    top_size, bottom_size = cut_sizes(n)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        value = Decimal(str(score))
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    # From the bottom: the rank counted from the last place (equal scores share it).
    from_bottom: dict[K, int] = {}
    previous, rank = None, 0
    for position, (key, score) in enumerate(reversed(ordered), start=1):
        value = Decimal(str(score))
        if value != previous:
            rank, previous = position, value
        from_bottom[key] = rank
    result: dict[K, Standing] = {}
    for key, _score in ordered:
        if ranks[key] <= top_size:
            place = TOP
        elif bottom_size and from_bottom[key] <= bottom_size:
            place = BOTTOM
        else:
            place = ""
        result[key] = Standing(rank=ranks[key], place=place)
    return result

"""The rules of a review round's result (`reports.ranking`): the 优秀 cap, the ranking
with shared ranks, and 前5后3 with its ties and small rounds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.ranking import BOTTOM, TOP, cut_sizes, excellent_cap, standings

pytestmark = pytest.mark.dateless


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (0, (0, 0)),
        (1, (1, 0)),
        (2, (1, 1)),
        (3, (1, 2)),
        (4, (2, 2)),
        (5, (3, 2)),
        (6, (3, 3)),
        (7, (4, 3)),
        (8, (5, 3)),
        (9, (5, 3)),
        (30, (5, 3)),
    ],
)
def test_five_and_three_from_eight_units_and_the_same_proportion_below(n, sizes):
    assert cut_sizes(n) == sizes
    top, bottom = sizes
    assert top + bottom <= n  # the two never meet


@pytest.mark.parametrize(
    ("n", "cap", "most"),
    [
        (10, 30, 3),
        (9, 30, 2),  # 2.7 rounds down
        (3, 30, 1),  # at least one while the cap is above zero
        (2, 30, 1),
        (10, 0, 0),
        (10, 100, 10),
        (0, 30, 0),
        (20, 25, 5),
    ],
)
def test_the_cap_on_excellent_rounds_down_but_leaves_at_least_one(n, cap, most):
    assert excellent_cap(n, cap) == most


def places(scores):
    result = standings(dict(enumerate(scores)))
    return [(result[i].rank, result[i].place) for i in range(len(scores))]


def test_nine_distinct_scores_commend_five_and_comment_on_three():
    assert places([95, 90, 85, 80, 75, 70, 65, 60, 55]) == [
        (1, TOP),
        (2, TOP),
        (3, TOP),
        (4, TOP),
        (5, TOP),
        (6, ""),
        (7, BOTTOM),
        (8, BOTTOM),
        (9, BOTTOM),
    ]


def test_a_tie_at_fifth_place_commends_every_unit_of_it():
    result = places([95, 90, 85, 80, 75, 75, 65, 60, 55, 50])
    assert result[4] == (5, TOP) and result[5] == (5, TOP)  # six commended
    assert sum(1 for _, place in result if place == TOP) == 6
    assert [place for _, place in result[-3:]] == [BOTTOM] * 3


def test_a_tie_at_the_first_place_of_the_bottom_comments_on_every_unit_of_it():
    result = places([90, 80, 70, 60, 50, 40, 40, 30, 20])
    assert [place for _, place in result] == [TOP] * 5 + [BOTTOM] * 4
    assert result[5] == result[6] == (6, BOTTOM)  # equal scores share the rank


def test_a_tie_across_both_cuts_is_commended_not_commented_on():
    # Seven units, top 4 and bottom 3: the tie from 4th to 6th is all commended, and the
    # bottom holds only the one unit left below it.
    result = places([90, 85, 80, 70, 70, 70, 50])
    assert [place for _, place in result] == [TOP] * 6 + [BOTTOM]


def test_everyone_equal_is_everyone_commended():
    assert places([80, 80, 80, 80]) == [(1, TOP)] * 4


def test_a_round_of_one_or_two():
    assert places([70]) == [(1, TOP)]
    assert places([70, 90]) == [(2, BOTTOM), (1, TOP)]


def test_scores_compare_as_decimals_whatever_their_type():
    result = standings({"a": Decimal("86.67"), "b": 86.67, "c": Decimal("86.66")})
    assert result["a"].rank == result["b"].rank == 1 and result["c"].rank == 3

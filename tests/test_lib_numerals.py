"""portal.lib.numerals: the section numbers of the work points and the annual report."""

from __future__ import annotations

import pytest

from portal.lib.numerals import chinese_numeral

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_writes_one_to_ninety_nine_in_chinese():
    assert [chinese_numeral(n) for n in (1, 9, 10, 12, 20, 35, 99)] == [
        "一",
        "九",
        "十",
        "十二",
        "二十",
        "三十五",
        "九十九",
    ]


@pytest.mark.parametrize("number", [0, -1, 100])
def test_it_refuses_numbers_outside_one_to_ninety_nine(number):
    with pytest.raises(ValueError):
        chinese_numeral(number)

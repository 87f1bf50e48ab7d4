"""portal_tags: the filters list pages use for each row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from portal.templatetags.portal_tags import path, ymd

pytestmark = pytest.mark.dateless  # every date is explicit


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 3, 9), "2026-03-09"),
        (dt.date(905, 1, 2), "0905-01-02"),
        # 23:30 UTC is the next morning in Shanghai (TIME_ZONE).
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), "2027-01-01"),
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")), "2026-12-31"),
        (None, ""),
        ("", ""),
    ],
)
def test_ymd_prints_what_the_date_filter_prints(value, text):
    assert ymd(value) == text
    if value:
        django = Template('{{ v|date:"Y-m-d" }}').render(Context({"v": value}))
        assert django == text


def test_path_is_the_url_of_a_pk():
    assert path(42, "pair_end") == reverse("pair_end", args=[42])
    rendered = Template("{% load portal_tags %}{{ pk|path:'figure_detail' }}").render(
        Context({"pk": 7})
    )
    assert rendered == reverse("figure_detail", args=[7])

"""seed_demo's performance review: last year's round locked with ranks (a tie at fifth
place, both commended) and 优秀 within the cap, the letters of the demo logins' units
and the notice issued, each unit seeing its own letter only; this year's round with a
report waiting for the 人事处 head (the `member` login) on their 我的待办."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from portal.models import User
from reports.models import PerformanceReport, Rating, ReviewPaper, ReviewRound
from reports.ranking import excellent_cap
from tests.conftest import client_for
from tests.deadline_helpers import at

DEMO_AT = at(2026, 11, 25, 10)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports_review_demo")]


@time_machine.travel(DEMO_AT, tick=False)
def test_it_seeds_a_locked_round_with_letters_and_one_in_progress(demo):
    assert "目标责任书：2026年度16份（已签订14份）；" in demo
    assert "述职评议：2025年度统战工作述职评议已锁定（表扬6个单位，已印发反馈和通报4份）" in demo
    last = ReviewRound.objects.get(year=2025, kind="annual")
    assert last.state == "locked"
    ratings = list(Rating.objects.filter(round=last).order_by("rank", "unit__sort_order"))
    assert len(ratings) == 16 and [r.rank for r in ratings[:7]] == [1, 2, 3, 4, 5, 5, 7]
    excellent = sum(1 for r in ratings if r.grade == "excellent")
    assert 0 < excellent <= excellent_cap(16, last.excellent_cap)
    assert [r.place for r in ratings].count("top") == 6
    assert [r.place for r in ratings].count("bottom") == 3

    letters = {p.unit.name: p for p in ReviewPaper.objects.filter(round=last, purpose="feedback")}
    assert len(letters) == 16
    issued = {name for name, paper in letters.items() if paper.is_issued}
    assert issued == {"机电工程学院党总支", "经济管理学院党总支", "人事处"}
    commissioner = User.objects.get(username="commissioner")
    own = letters["机电工程学院党总支"].document
    other = letters["经济管理学院党总支"].document
    client = client_for(commissioner)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(last.get_absolute_url()).content.decode()
    assert own.reference in page and other.reference not in page
    # The unit's page shows its result of the year.
    unit = letters["机电工程学院党总支"].unit
    rating = Rating.objects.get(round=last, unit=unit)
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "历年评议与表彰" in page and rating.grade_label in page

    current = ReviewRound.objects.get(year=2026, kind="annual")
    assert current.state == "reporting"
    waiting = PerformanceReport.objects.get(round=current, unit__name="人事处")
    assert waiting.state == "submitted"
    home = client_for(User.objects.get(username="member")).get(reverse("home")).content.decode()
    assert "确认述职报告：人事处" in home

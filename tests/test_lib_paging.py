"""portal.lib.paging: one page size, and a page number that never breaks a list."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.lib.paging import PAGE_SIZE, paginate

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

ROWS = list(range(1, 121))  # 120 rows: pages of 50, 50 and 20


def page_of(query: str = "", **kwargs):
    return paginate(RequestFactory().get(f"/list/{query}"), ROWS, **kwargs)


def test_it_shows_the_first_fifty_without_a_page_number():
    page = page_of()
    assert PAGE_SIZE == 50
    assert page.number == 1
    assert list(page.object_list) == ROWS[:50]
    assert page.paginator.num_pages == 3


def test_it_shows_the_page_asked_for():
    page = page_of("?page=3")
    assert page.number == 3
    assert list(page.object_list) == ROWS[100:]


def test_it_falls_back_to_the_first_page_on_a_bad_number_and_the_last_on_a_large_one():
    assert page_of("?page=abc").number == 1
    assert page_of("?page=99").number == 3


def test_it_takes_another_page_size():
    page = page_of("?page=2", per_page=30)
    assert list(page.object_list) == ROWS[30:60]


@pytest.mark.django_db
def test_paging_on_keys_keeps_the_order_and_loads_only_the_pages_rows(django_assert_num_queries):
    from portal.lib.paging import paginate_keys
    from portal.models import Unit

    units = [Unit.objects.create(name=f"单位{n:03d}", sort_order=60 - n) for n in range(60)]
    ordered = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("sort_order")
    loaded: list[list[int]] = []

    def load(rows):
        loaded.append(sorted(rows.values_list("pk", flat=True)))
        return rows

    request = RequestFactory().get("/list/?page=2")
    with django_assert_num_queries(4):  # count, keys, the load's own read, the rows
        page = paginate_keys(request, ordered, load)
    expected = [u.pk for u in sorted(units, key=lambda u: u.sort_order)][50:]
    assert [u.pk for u in page.object_list] == expected
    assert loaded == [sorted(expected)]
    assert (page.number, page.paginator.count) == (2, 60)

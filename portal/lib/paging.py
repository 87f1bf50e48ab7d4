"""One page size for every list, and the one way a list view pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, object_list: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The page `?page=` asks for; a bad or too large number gives the first or last
    page (Django's `get_page`), never an error."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))

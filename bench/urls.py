"""The portal's URLconf plus the two floors the page benchmarks compare against."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

_FLOOR_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}基准{% endblock %}'
    '{% block content %}<h1 class="h4">基准页</h1><p>一个不读数据的页面。</p>{% endblock %}'
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A constant page in the portal's layout: the session, the user and the navigation
    every page pays for, and nothing else."""
    return HttpResponse(_FLOOR_PAGE.render({}, request))


def bare(request: HttpRequest) -> HttpResponse:
    """A constant response through the middleware alone (no session read, no template)."""
    return HttpResponse("ok")


urlpatterns = [
    *portal_urlpatterns,
    path("__bench__/floor/", floor, name="bench_floor"),
    path("__bench__/bare/", bare, name="bench_bare"),
]

"""The register of non-party figures: list and profile. Sensitive data comes only from
`outreach.selectors.sensitive` (scoped and logged)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from outreach.selectors import figures as selectors
from outreach.selectors import sensitive
from portal.lib.paging import paginate
from portal.permissions import any_role_required


@any_role_required
def figure_list(request: HttpRequest) -> HttpResponse:
    figures = selectors.figures_for_user(request.user)
    page = paginate(request, figures)
    return render(request, "outreach/figure_list.html", {"page": page})


@any_role_required
def figure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = selectors.get_figure_for_user(request.user, pk)
    secret = sensitive.sensitive_for(request.user, [figure], page=request.path).get(figure.pk)
    return render(
        request,
        "outreach/figure_detail.html",
        {"figure": figure, "sensitive": secret, "positions": figure.positions.all()},
    )

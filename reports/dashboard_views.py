"""The year at a glance (领导驾驶舱) and a unit's scorecard (单位记分卡): for leaders, the
office and the group's members; a unit's commissioner sees their own unit's card."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.filters import select_html, year_or
from portal.models import Role, Unit
from portal.permissions import has_role, role_required, unit_scope
from reports import dashboard as data

READERS = (Role.OFFICE, Role.LEADER, Role.MEMBER)
CARD_READERS = (*READERS, Role.COMMISSIONER)


def _year_select(year: int, today_year: int) -> str:
    years = range(today_year, today_year - 6, -1)
    return select_html("year", str(year), [(str(y), str(y)) for y in years], _("本年度"), _("年度"))


@role_required(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = year_or(request.GET.get("year"), today.year)
    board = data.dashboard(year, today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "year_select": _year_select(year, today.year),
            "rule_labels": json.dumps([s.label for s in board.rules], ensure_ascii=False),
            "rule_rates": json.dumps([s.rate for s in board.rules]),
            "state_labels": json.dumps(
                [_("按时完成"), _("逾期完成"), _("逾期未办")], ensure_ascii=False
            ),
            "state_values": json.dumps(
                [board.overall.on_time, board.overall.late, board.overall.overdue]
            ),
        },
    )


@role_required(Role.COMMISSIONER)
def my_scorecard(request: HttpRequest) -> HttpResponse:
    """本单位记分卡: a commissioner's own unit's card."""
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        raise Http404
    return _card(request, person.unit)


@role_required(*CARD_READERS)
def unit_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = unit_scope(request.user)
    if scope is not None and pk not in scope:
        raise Http404
    try:
        unit = Unit.objects.get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None
    return _card(request, unit)


def _card(request: HttpRequest, unit: Unit) -> HttpResponse:
    today = timezone.localdate()
    year = year_or(request.GET.get("year"), today.year)
    return render(
        request,
        "reports/unit_scorecard.html",
        {
            "card": data.unit_card(unit, year, today),
            "year_select": _year_select(year, today.year),
            "sees_board": has_role(request.user, *READERS),
        },
    )

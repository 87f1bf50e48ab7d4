"""Reads of the annual reports: the office and the leaders read them (they are the
college's report upward); nobody else has them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from reports.models import AnnualReport


def annual_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.select_related("document").order_by("-year")


def get_annual_report(year: int) -> AnnualReport:
    try:
        return annual_reports().get(year=year)
    except AnnualReport.DoesNotExist:
        raise Http404 from None

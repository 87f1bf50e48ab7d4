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


def annual_report_text(report: AnnualReport) -> tuple[str, str]:
    """The document's title and body: the sections as “一、…” headings and their text."""
    paragraphs: list[str] = []
    for section in report.sections.order_by("position"):
        paragraphs.append(section.numbered_heading)
        if section.body.strip():
            paragraphs.append(section.body.strip())
    return report.title, "\n\n".join(paragraphs)

"""Reads of the reports drafted in sections: the annual reports and the inspection
self-reports. The office and the leaders read them (they are the college's reports
upward); nobody else has them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from portal.models import Role
from reports.models import AnnualReport, DraftedReport, InspectionSelfReport

READERS = (Role.OFFICE, Role.LEADER)  # the lists' and pages' role check


def annual_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.select_related("document").order_by("-year")


def get_annual_report(year: int) -> AnnualReport:
    try:
        return annual_reports().get(year=year)
    except AnnualReport.DoesNotExist:
        raise Http404 from None


def self_reports() -> QuerySet[InspectionSelfReport]:
    return InspectionSelfReport.objects.select_related("document", "deadline").order_by(
        "-due_on", "-pk"
    )


def get_self_report(pk: int) -> InspectionSelfReport:
    try:
        return self_reports().get(pk=pk)
    except InspectionSelfReport.DoesNotExist:
        raise Http404 from None


def annual_report_text(report: DraftedReport) -> tuple[str, str]:
    """The document's title and body: the opening (the self-report's 各位领导：…), then
    the sections as “一、…” headings and their text."""
    paragraphs: list[str] = [report.opening_text.strip()] if report.opening_text.strip() else []
    for section in report.sections.order_by("position"):
        paragraphs.append(section.numbered_heading)
        if section.body.strip():
            paragraphs.append(section.body.strip())
    return report.title, "\n\n".join(paragraphs)

"""The annual reports and the inspection self-reports at scale, and their pages to
measure.

At scale 1: an annual report for each of the last 40 years (the list pages at 50), three
sections each; 120 self-reports (three a year), in 004's outline. They stay drafts: the
documents part owns the numbering of the issued documents
(gapless per series and year), and the list reads a report's document with
`select_related` whether it has one or not. Rows go in with bulk_create (their history
too), not through the services.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from reports.models import (
    AnnualReport,
    AnnualReportSection,
    InspectionSelfReport,
    InspectionSelfReportSection,
)
from reports.services import SELF_REPORT_OUTLINE

HEADINGS = ("主要工作和成效", "存在的问题和不足", "下一年度工作打算")


@seed_part(order=50)
def annual_reports(ctx: SeedContext) -> None:
    last = timezone.localdate().year - 1
    count = ctx.n(40, minimum=3)
    reports = [
        AnnualReport(
            year=year,
            title=f"{year}年统一战线工作情况汇报",
            addressee="上级党委统一战线工作领导小组办公室",
        )
        for year in range(last - count + 1, last + 1)
    ]
    reports = bulk_create_with_history(reports, AnnualReport, batch_size=500)
    sections = [
        AnnualReportSection(report=report, position=p, heading=h, body="……")
        for report in reports
        for p, h in enumerate(HEADINGS, start=1)
    ]
    bulk_create_with_history(sections, AnnualReportSection, batch_size=500)
    ctx.counts["annual_reports"] = len(reports)


def _last_year() -> int:
    return timezone.localdate().year - 1


bench_page("annual_report_list", kind="list", url=lambda: reverse("annual_report_list"))
bench_page(
    "annual_report_list (leader)",
    kind="list",
    url=lambda: reverse("annual_report_list"),
    persona="bench-leader",
)
bench_page("annual_report_export", kind="other", url=lambda: reverse("annual_report_export"))
bench_page(
    "annual_report_detail",
    kind="detail",
    url=lambda: reverse("annual_report_detail", args=[_last_year()]),
)


@seed_part(order=51)
def self_reports(ctx: SeedContext) -> None:
    last = timezone.localdate().year - 1
    count = ctx.n(120, minimum=3)
    reports = bulk_create_with_history(
        [
            InspectionSelfReport(
                year=last - i // 3,
                title=f"{last - i // 3}年统一战线工作情况汇报提纲（{i % 3 + 1}）",
                inspection="关于做好统战工作专项督查准备工作的通知",
                due_on=dt.date(last - i // 3, 11, 20),
                opening="各位领导：",
                addressee="上级党委统战部督查组",
            )
            for i in range(count)
        ],
        InspectionSelfReport,
        batch_size=500,
    )
    sections = [
        InspectionSelfReportSection(
            report=report, position=p, heading=heading, body="……", source=key
        )
        for report in reports
        for p, (key, heading, _keys) in enumerate(SELF_REPORT_OUTLINE, start=1)
    ]
    bulk_create_with_history(sections, InspectionSelfReportSection, batch_size=500)
    ctx.counts["self_reports"] = len(reports)


bench_page("self_report_list", kind="list", url=lambda: reverse("self_report_list"))
bench_page(
    "self_report_list (leader)",
    kind="list",
    url=lambda: reverse("self_report_list"),
    persona="bench-leader",
)
bench_page("self_report_export", kind="other", url=lambda: reverse("self_report_export"))
bench_page(
    "self_report_detail",
    kind="detail",
    url=lambda: reverse(
        "self_report_detail",
        args=[InspectionSelfReport.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)

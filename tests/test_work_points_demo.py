"""The demo's work points and annual report go through the documents workflow: this
year's plan issued (X统〔2026〕N号) and acknowledged by a branch, last year's report
issued, both deadlines met; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine

from groups.models import ProgressReport, WorkPoints
from portal.deadlines.models import Deadline
from portal.deadlines.selectors import deadline_find
from portal.documents.models import Document
from reports.models import AnnualReport
from tests.conftest import seed_demo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=SHANGHAI), tick=False)
def test_it_issues_the_plan_and_last_years_report(db):
    output = seed_demo()
    plan = WorkPoints.objects.select_related("document").get(year=2026)
    assert plan.state == WorkPoints.State.ISSUED
    assert plan.reference.startswith("X统〔2026〕")
    assert plan.reference in output
    assert plan.document.pdf.read()[:5] == b"%PDF-"
    assert plan.document.recipients.filter(acknowledged_at__isnull=False).exists()
    report = AnnualReport.objects.select_related("document").get(year=2025)
    assert report.state == AnnualReport.State.ISSUED
    assert deadline_find(rule="work_points", period="2026").state == Deadline.State.MET
    assert deadline_find(rule="annual_report", period="2025").state == Deadline.State.MET
    documents = Document.objects.count()
    seed_demo()
    assert Document.objects.count() == documents


def test_it_seeds_no_report_dated_after_today(db):
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, tzinfo=SHANGHAI), tick=False):
        seed_demo()
    assert list(ProgressReport.objects.values_list("item__number", flat=True)) == [14]  # 10 March

"""Admin: the office corrects mistakes here (every change is recorded in the history);
reports are written and issued through the portal's pages and the documents workflow."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import AnnualReport, AnnualReportSection


class SectionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = AnnualReportSection
    fields = ["position", "heading", "body", "source"]
    readonly_fields = ["source"]
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["year", "title", "document"]
    readonly_fields = ["document"]
    inlines = [SectionInline]

"""Admin: the office corrects mistakes here (every change is recorded in the history);
day-to-day appointments go through the portal's forms and services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Office,
    OfficeMember,
    ProgressReport,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
)


@admin.register(LeadingGroup)
class LeadingGroupAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "term_start", "term_end", "basis"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["group", "unit"]
    list_select_related = ["group", "unit"]


class SeatAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["person", "role", "unit", "post", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["person__name", "post"]
    list_select_related = ["person", "unit"]
    autocomplete_fields = ["person", "unit"]
    date_hierarchy = "start_date"


@admin.register(GroupMembership)
class GroupMembershipAdmin(SeatAdmin):
    list_filter = ["role", "group"]


@admin.register(OfficeMember)
class OfficeMemberAdmin(SeatAdmin):
    pass


@admin.register(BranchCommissioner)
class BranchCommissionerAdmin(SeatAdmin):
    list_display = ["person", "branch", "post", "start_date", "end_date"]
    list_filter = ["branch"]
    list_select_related = ["person", "branch"]
    autocomplete_fields = ["person", "branch"]


class SectionInline(admin.TabularInline[WorkPointsSection, WorkPoints]):
    model = WorkPointsSection
    extra = 0


@admin.register(WorkPoints)
class WorkPointsAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["year", "title"]
    inlines = [SectionInline]


@admin.register(WorkPointsItem)
class WorkPointsItemAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["plan", "number", "title", "lead_unit"]
    list_filter = ["plan"]
    list_select_related = ["plan", "lead_unit"]
    search_fields = ["title", "body"]
    filter_horizontal = ["co_units"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["item", "unit", "percent", "reported_at", "author"]
    list_select_related = ["item", "unit", "author"]
    exclude = ["evidence"]
    readonly_fields = ["evidence_link", "evidence_name", "evidence_size"]

    @admin.display(description=_("佐证材料"))
    def evidence_link(self, report: ProgressReport) -> str:
        """The file through the view that checks who may have it: uploads are not
        served from MEDIA_URL, so the admin's own link (the storage path) was a 404."""
        if not report.evidence:
            return "—"
        url = reverse("work_points_evidence", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, report.evidence_name or _("下载"))

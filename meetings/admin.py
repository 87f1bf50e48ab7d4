"""Admin: the office corrects mistakes here (every change is recorded in the history);
meetings, minutes and follow-up items are run through the portal's pages and services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import AgendaItem, Attendance, FollowUpItem, Meeting, Minutes, Topic


class AttendanceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Attendance
    fields = ["person", "status", "reason", "represented_by", "invited_at"]
    readonly_fields = ["invited_at"]
    autocomplete_fields = ["person"]
    extra = 0


class AgendaItemInline(admin.StackedInline):  # type: ignore[type-arg]
    model = AgendaItem
    fields = ["position", "title", "presenter", "discussion", "decision"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "kind", "starts_at", "place", "held"]
    list_filter = ["kind", "held"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "unit", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["unit"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["meeting", "document"]
    list_select_related = ["meeting", "document"]
    readonly_fields = ["document"]


@admin.register(FollowUpItem)
class FollowUpItemAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["task", "owner_unit", "due", "status"]
    list_filter = ["status"]
    search_fields = ["task"]
    list_select_related = ["owner_unit", "deadline"]
    date_hierarchy = "deadline__due"
    # The due date is the engine's row: moved on the deadline's own page (extension).
    readonly_fields = ["deadline"]

    @admin.display(description=_("办理期限"), ordering="deadline__due")
    def due(self, item: FollowUpItem) -> object:
        return item.due

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.deadlines.models import Deadline, Delivery, ExtensionRequest, Notification


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = [
        "__str__",
        "rule",
        "period",
        "due",
        "due_provisional",
        "state",
        "next_reminder_at",
    ]
    list_filter = ["rule", "state", "due_provisional"]
    search_fields = ["title", "period"]
    list_select_related = ["responsible_unit"]
    raw_id_fields = ["responsible_users"]
    date_hierarchy = "due"


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["deadline", "requested_by", "requested_due", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["deadline", "requested_by", "decided_by"]
    raw_id_fields = ["deadline"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """The delivery log: what went out, what failed and why, what was interrupted;
    reminders (a deadline and a step) and the outbox's messages (a key and a subject)."""

    list_display = [
        "deadline",
        "step",
        "key",
        "channel",
        "recipient",
        "address",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "step"]
    list_select_related = ["deadline", "recipient"]
    search_fields = ["key", "address", "subject"]
    raw_id_fields = ["deadline", "recipient", "notification", "queued_by"]
    readonly_fields = ["created_at", "sent_at", "claimed_by", "claimed_at", "last_error"]

"""The admin shows documents read-only: every change goes through the workflow's
services (and their checks); the admin is for looking things up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from portal.documents.models import (
    Document,
    DocumentAttachment,
    DocumentRecipient,
    DocumentSeries,
    DocumentStep,
)


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["key", "name", "prefix", "header"]


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(_ReadOnlyInline):
    model = DocumentStep


class RecipientInline(_ReadOnlyInline):
    model = DocumentRecipient


class AttachmentInline(_ReadOnlyInline):
    model = DocumentAttachment
    exclude = ["file"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "kind", "importance", "state", "reference", "drafting_unit"]
    list_filter = ["state", "kind", "importance", "year"]
    search_fields = ["title", "reference"]
    list_select_related = ["drafting_unit"]
    inlines = [StepInline, RecipientInline, AttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""The admin shows documents read-only: every change goes through the workflow's
services (and their checks); the admin is for looking things up."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdminMixin
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


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False


class StepInline(_ReadOnlyInline):
    model = DocumentStep


class RecipientInline(_ReadOnlyInline):
    model = DocumentRecipient


class AttachmentInline(_ReadOnlyInline):
    model = DocumentAttachment
    exclude = ["file"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["title", "kind", "importance", "state", "reference", "drafting_unit"]
    list_filter = ["state", "kind", "importance", "year"]
    search_fields = ["title", "reference"]
    list_select_related = ["drafting_unit"]
    inlines = [StepInline, RecipientInline, AttachmentInline]

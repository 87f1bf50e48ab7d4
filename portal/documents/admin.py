"""The admin shows documents read-only: every change goes through the workflow's
services (and their checks); the admin is for looking things up."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
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
    exclude = ["pdf"]
    readonly_fields = ["pdf_link"]

    @admin.display(description=_("PDF"))
    def pdf_link(self, document: Document) -> str:
        """Through the view that checks who may read it: files are not served from
        MEDIA_URL, so the storage path the admin would link is a 404."""
        if not document.pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("document_pdf", args=[document.pk]), _("下载")
        )

"""The office keeps the list of situations for an admonition talk and the list of
supervision items here (the rest of the app's records are kept through its pages and
services)."""

from django.contrib import admin

from inspections.models import AdmonitionTrigger, InspectionItem


@admin.register(AdmonitionTrigger)
class AdmonitionTriggerAdmin(admin.ModelAdmin[AdmonitionTrigger]):
    list_display = ("position", "name", "is_active")
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    ordering = ("position", "id")


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin[InspectionItem]):
    """The list of supervision items a case's plan picks from (督查事项清单)."""

    list_display = ("position", "name", "source", "is_active")
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    list_filter = ("source", "is_active")
    ordering = ("position", "id")

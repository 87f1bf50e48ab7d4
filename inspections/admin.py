"""The office keeps the list of situations for an admonition talk here (the rest of the
app's records are kept through its pages and services)."""

from django.contrib import admin

from inspections.models import AdmonitionTrigger


@admin.register(AdmonitionTrigger)
class AdmonitionTriggerAdmin(admin.ModelAdmin[AdmonitionTrigger]):
    list_display = ("position", "name", "is_active")
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    ordering = ("position", "id")

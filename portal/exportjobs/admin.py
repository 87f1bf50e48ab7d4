from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.exportjobs.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin[ExportJob]):
    """Read-only: jobs are made by users and the worker, expired by beat."""

    list_display = ["name", "user", "state", "rows_done", "rows_total", "created_at", "expires_at"]
    list_filter = ["state", "key"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

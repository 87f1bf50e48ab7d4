from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin
from portal.exportjobs.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ExportJob]):
    """Read-only: jobs are made by users and the worker, expired by beat."""

    list_display = ["name", "user", "state", "rows_done", "rows_total", "created_at", "expires_at"]
    list_filter = ["state", "key"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    # The file is its owner's (downloaded from 我的导出 by them only): the admin shows
    # its name (`filename`), not a link to the storage path.
    exclude = ["file"]

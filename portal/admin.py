from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.models import Person, Unit, User, WorkdayException, WorkdayYear

admin.site.site_header = _("统战工作平台 · 后台管理")
admin.site.site_title = _("统战工作平台后台")


class ReadOnlyAdminMixin:
    """An admin for looking records up: no adding, changing or deleting there (the
    records are written by their services, with their checks). Put it before the
    `ModelAdmin` class: `class DocumentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin)`."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "unit", "gender", "title", "political_status", "is_active"]
    list_filter = ["political_status", "gender", "is_active", "unit"]
    search_fields = ["name", "title"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(User)
class PortalUserAdmin(UserAdmin[User]):
    list_display = ["username", "person", "leadership", "is_active", "last_login"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("平台"), {"fields": ("person", "leadership")}),
    )


class WorkdayExceptionInline(admin.TabularInline[WorkdayException, WorkdayYear]):
    model = WorkdayException
    extra = 0


@admin.register(WorkdayYear)
class WorkdayYearAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["year", "notice"]
    inlines = [WorkdayExceptionInline]

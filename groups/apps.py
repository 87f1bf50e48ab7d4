from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = _("领导小组")

    def ready(self) -> None:
        from groups import documents
        from portal.documents.registry import register_kinds

        register_kinds(documents.KINDS, series=documents.SERIES)

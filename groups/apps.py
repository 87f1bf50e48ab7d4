from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = _("领导小组")

    def ready(self) -> None:
        import groups.navigation  # noqa: F401 - registers its menu entries
        from groups import documents, rules
        from portal.documents.registry import register_kinds

        register_kinds(documents.KINDS, series=documents.SERIES)
        rules.register_rules()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"
    verbose_name = _("联络交友")

    def ready(self) -> None:
        import outreach.navigation  # noqa: F401 - registers its menu entries
        from outreach import access, exporting, rules, todos  # noqa: F401 - exports, to-dos
        from portal.permissions import register_sensitive_grant

        register_sensitive_grant(access.paired_person_ids)
        rules.register_rules()

        from outreach import documents
        from portal.documents.registry import register_kinds

        register_kinds(documents.KINDS, series=documents.SERIES)

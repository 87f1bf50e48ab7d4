from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("会议与纪要")

    def ready(self) -> None:
        import meetings.navigation  # noqa: F401 - registers its menu entries
        from meetings import documents, exporting, rules, todos  # noqa: F401 - register them
        from portal.documents.registry import register_kinds

        register_kinds(documents.KINDS, series=documents.SERIES)
        rules.register_rules()

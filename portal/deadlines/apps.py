from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """The deadline engine: rules, deadlines, reminders, the inbox."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.deadlines"
    label = "deadlines"
    verbose_name = _("期限与提醒")

    def ready(self) -> None:
        import portal.deadlines.navigation  # noqa: F401 - registers its menu entries
        from portal.deadlines import signals, todos  # noqa: F401 - connect and register
        from portal.deadlines.rules import register_builtin_rules

        register_builtin_rules()

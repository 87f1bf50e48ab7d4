from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """The deadline engine: rules, deadlines, reminders, the inbox."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.deadlines"
    label = "deadlines"
    verbose_name = _("期限与提醒")
    # seed_demo: after every app's demo (its scan opens the period rules and sends the
    # reminders for the deadlines the apps opened).
    demo_order = 100

    def ready(self) -> None:
        import portal.deadlines.navigation  # noqa: F401 - registers its menu entries
        from portal.deadlines import exporting, signals, todos  # noqa: F401 - register them

        # The rules themselves are declared by the apps that own them, each from its
        # own ready() (groups.rules, meetings.rules, reports.rules): the engine names none.

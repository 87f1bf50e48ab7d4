from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("督促检查")

    def ready(self) -> None:
        import inspections.navigation  # noqa: F401 - registers its menu entry
        from inspections import rules

        rules.register_rules()
        from inspections.selectors import open_items
        from portal import unit_panels

        unit_panels.register(open_items)
        from inspections.research_selectors import research_open_items

        unit_panels.register(research_open_items)

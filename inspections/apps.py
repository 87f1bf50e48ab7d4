from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("督促检查")

    def ready(self) -> None:
        from inspections import documents
        from portal.documents.registry import register_kinds

        register_kinds(documents.KINDS, series=documents.SERIES)
        import inspections.navigation  # noqa: F401 - registers its menu entry
        import inspections.todos  # noqa: F401 - registers its to-dos
        from inspections import (
            exporting,  # noqa: F401 - registers the list exports
            rules,
        )

        rules.register_rules()
        from inspections.selectors import open_items
        from portal import unit_panels

        unit_panels.register(open_items)
        from inspections import supervision_selectors

        unit_panels.register(supervision_selectors.open_items)
        from inspections.research_selectors import research_open_items

        unit_panels.register(research_open_items)

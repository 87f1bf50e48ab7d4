from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("述职与汇报")
    # The demo drafts this year's report and self-report from every other app's demo
    # data, so it runs after them all (the liaisons' is 10), before the deadline
    # engine's scan (100).
    demo_order = 20

    def ready(self) -> None:
        import reports.navigation  # noqa: F401 - registers its menu entries
        import reports.todos  # noqa: F401 - registers its to-dos
        from portal import unit_panels
        from portal.documents.registry import register_kinds
        from reports import documents, rules, sources
        from reports.review_selectors import open_items, results

        register_kinds(documents.KINDS, series=documents.SERIES)
        rules.register_rules()
        unit_panels.register(open_items)
        unit_panels.register_results(results)
        sources.register(
            sources.Source(
                key="work_points",
                label=_("从工作要点生成"),
                heading=sources.work_points_heading,
                build=sources.work_points_body,
            )
        )
        from reports.year_sources import SOURCES as YEAR_SOURCES

        for source in YEAR_SOURCES:
            sources.register(source)
        # Experiences and information upward (reports.upward_*): the briefing's document
        # kind, the office's to-dos, the unit page's commendations.
        import reports.upward_todos  # noqa: F401 - registers its to-dos
        from reports import (
            exporting,  # noqa: F401 - registers the reports' list exports
            upward_documents,
        )
        from reports.upward_selectors import commendation_items

        register_kinds(upward_documents.KINDS, series=upward_documents.SERIES)
        unit_panels.register_results(commendation_items)

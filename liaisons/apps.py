from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "liaisons"
    verbose_name = _("统战联络员")
    # The demo's report follow-ups need the outreach demo's figures; before the deadline
    # engine's scan (100).
    demo_order = 10

    def ready(self) -> None:
        import liaisons.navigation  # noqa: F401 - registers its menu entry
        from liaisons import exporting, rules  # noqa: F401 - exporting registers the export

        rules.register_rules()
        import liaisons.publicity.navigation  # noqa: F401 - registers its menu entry
        from liaisons.publicity import rules as publicity_rules

        publicity_rules.register_rules()
        from liaisons.selectors import report_links
        from portal import backlinks

        for label in ("outreach.suggestion", "outreach.reservecadre", "liaisons.publicitypiece"):
            backlinks.register(label, report_links)

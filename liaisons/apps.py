from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "liaisons"
    verbose_name = _("统战联络员")

    def ready(self) -> None:
        import liaisons.navigation  # noqa: F401 - registers its menu entry
        from liaisons import rules

        rules.register_rules()

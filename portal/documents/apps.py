from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.documents"
    label = "documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        import portal.documents.navigation  # noqa: F401 - registers its menu entries
        from portal.documents import checks, notices, todos  # noqa: F401 - registers them
        from portal.documents.registry import DocumentKind, Importance, SeriesSpec, register

        college = "中共××学院"
        register(
            DocumentKind(
                key="notice", label=_("通知"), importance=Importance.GENERAL, series="ufw-office"
            ),
            series=SeriesSpec(
                key="ufw-office",
                name=_("领导小组办公室文件"),
                prefix="X统办",
                header=f"{college}统一战线工作领导小组办公室文件",
                signing_unit=f"{college}统一战线工作领导小组办公室",
                printed_by=f"{college}统一战线工作领导小组办公室",
            ),
        )
        register(
            DocumentKind(
                key="policy", label=_("政策文件"), importance=Importance.IMPORTANT, series="ufw"
            ),
            series=SeriesSpec(
                key="ufw",
                name=_("领导小组文件"),
                prefix="X统",
                header=f"{college}统一战线工作领导小组文件",
                signing_unit=f"{college}统一战线工作领导小组",
                printed_by=f"{college}统一战线工作领导小组办公室",
            ),
        )
        post_migrate.connect(_ensure_series, sender=self)


def _ensure_series(**kwargs: object) -> None:
    from portal.documents.services import series_ensure

    series_ensure()

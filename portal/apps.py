from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("组织与基础")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        import portal.menu  # noqa: F401 - registers the core's menu entries
        from portal import (
            checks,  # noqa: F401 - registers the system checks
            registers,  # noqa: F401 - registers the units and people exports
        )
        from portal.lib.history import fit_change_reason

        pre_create_historical_record.connect(fit_change_reason, dispatch_uid="fit_change_reason")

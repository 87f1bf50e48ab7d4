from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportJobsConfig(AppConfig):
    """Exports prepared in the background: a list export over the threshold becomes a
    job, a Celery task writes its file, the inbox announces it, beat expires it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal.exportjobs"
    label = "exportjobs"
    verbose_name = _("导出")

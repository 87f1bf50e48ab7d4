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
        from portal.backup import register_check
        from portal.documents import (  # noqa: F401 - registers them
            checks,
            exporting,
            integrity,
            kinds,
            notices,
            todos,
        )
        from portal.documents.registry import register_kinds
        from portal.documents.services import on_document_issued
        from portal.documents.signals import document_issued

        register_kinds(kinds.KINDS, series=kinds.SERIES)
        register_check(integrity.issued_documents_whole)
        # One receiver for every kind about a record (`DocumentBacked`): it links the
        # record to the issued document and calls the kind's `issued`.
        document_issued.connect(on_document_issued, dispatch_uid="documents.backed_issued")
        post_migrate.connect(_ensure_series, sender=self)


def _ensure_series(**kwargs: object) -> None:
    from portal.documents.services import series_ensure

    series_ensure()

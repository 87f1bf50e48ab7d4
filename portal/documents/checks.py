"""System checks: a configured certificate or font file that cannot be used stops
`manage.py check` (and start-up) with a clear message, not the first issue."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.compatibility)
def check_document_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from portal.documents import pdf

    errors: list[checks.CheckMessage] = []
    try:
        pdf.font_css()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="documents.E001"))
    try:
        pdf.load_signer()
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="documents.E002"))
    except Exception as error:  # noqa: BLE001 - pyHanko/cryptography raise many kinds
        errors.append(checks.Error(f"DOCUMENT_SIGNING_P12: {error}", id="documents.E002"))
    return errors

"""What the reports app issues: the annual report (年度工作汇报), an important document
the group leader signs, numbered in the group's series. Its text is composed from the
report's sections on every submission."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, register
from portal.documents.signals import document_issued
from portal.models import Role
from portal.permissions import has_role


def _compose(document: Document) -> tuple[str, str]:
    from reports.services import annual_report_compose

    return annual_report_compose(document)


def _on_issued(sender: type[Document], document: Document, **kwargs: Any) -> None:
    from reports.services import annual_report_issued

    annual_report_issued(document=document)


ANNUAL_REPORT = DocumentKind(
    key="annual_report",
    label=_("年度工作汇报"),
    importance=Importance.IMPORTANT,
    series="ufw",
    creatable=False,
    compose=_compose,
    source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER),  # reports' readers
)


def register_kinds() -> None:
    register(ANNUAL_REPORT)
    document_issued.connect(_on_issued, sender=Document, dispatch_uid="reports.annual_issued")

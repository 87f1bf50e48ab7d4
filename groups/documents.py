"""What the groups app issues through the documents workflow: the work points
(工作要点), an important document the group leader signs, numbered in the group's series
(X统〔2026〕N号). Its text is composed from the plan on every submission."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, register
from portal.documents.signals import document_issued


def _compose(document: Document) -> tuple[str, str]:
    from groups.services import work_points_compose

    return work_points_compose(document)


def _on_issued(sender: type[Document], document: Document, **kwargs: Any) -> None:
    from groups.services import work_points_issued

    work_points_issued(document=document)


WORK_POINTS = DocumentKind(
    key="work_points",
    label=_("工作要点"),
    importance=Importance.IMPORTANT,  # 组长签发
    series="ufw",  # the group's own series, shared with its policy documents
    creatable=False,  # started from the plan page (提交审核), never from “起草公文”
    compose=_compose,
)


def register_kinds() -> None:
    register(WORK_POINTS)
    document_issued.connect(_on_issued, sender=Document, dispatch_uid="groups.work_points_issued")

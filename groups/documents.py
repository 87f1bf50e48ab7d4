"""What the groups app issues through the documents workflow: the work points
(工作要点), an important document the group leader signs, numbered in the group's series
(X统〔2026〕N号). Its text is composed from the plan on every submission. Registered by
`GroupsConfig.ready()` (`register_kinds(KINDS)`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.permissions import is_office


def _compose(document: Document) -> tuple[str, str]:
    from groups.services import work_points_compose

    return work_points_compose(document)


def _issued(plan: Any, document: Document, at: dt.datetime) -> None:
    from groups.services import work_points_issued

    work_points_issued(plan, document, at)


SERIES: list[SeriesSpec] = []  # the group's own series `ufw` (portal/documents/kinds.py)

KINDS = [
    DocumentKind(
        key="work_points",
        label=_("工作要点"),
        importance=Importance.IMPORTANT,  # 组长签发
        series="ufw",  # the group's own series, shared with its policy documents
        creatable=False,  # started from the plan page (提交审核), never from “起草公文”
        may_draft=is_office,
        compose=_compose,
        issued=_issued,
    )
]

"""What the reports app issues: the annual report (年度工作汇报), an important document
the group leader signs, numbered in the group's series. Its text is composed from the
report's sections on every submission. Registered by `ReportsConfig.ready()`
(`register_kinds(KINDS)`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.models import Role
from portal.permissions import has_role, is_office


def _compose(document: Document) -> tuple[str, str]:
    from reports.services import annual_report_compose

    return annual_report_compose(document)


def _issued(report: Any, document: Document, at: dt.datetime) -> None:
    from reports.services import annual_report_issued

    annual_report_issued(report, document, at)


SERIES: list[SeriesSpec] = []  # the group's own series `ufw` (portal/documents/kinds.py)

KINDS = [
    DocumentKind(
        key="annual_report",
        label=_("年度工作汇报"),
        importance=Importance.IMPORTANT,
        series="ufw",
        creatable=False,
        may_draft=is_office,
        compose=_compose,
        issued=_issued,
        source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER),  # reports' readers
    )
]

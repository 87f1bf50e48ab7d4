"""What the inspections app issues through the documents workflow (`CasePaper`): a
supervision case's report (督查报告, important: the group leader signs, or the deputy
they delegate it to; the deputies review it through 批示 on the case), the feedback
letter to each inspected unit (反馈意见, general: the leader in charge signs; sent to
that unit only) and the notice of outstanding problems (督查通报, general; sent to
every inspected unit). Their text is composed from the paper on every submission.
Registered by `InspectionsConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.models import Role
from portal.permissions import has_role, is_office

REPORT = "supervision_report"
FEEDBACK = "supervision_feedback"
NOTICE = "supervision_notice"


def _compose(document: Document) -> tuple[str, str]:
    from inspections.supervision_services import paper_compose

    return paper_compose(document)


def _issued(paper: Any, document: Document, at: dt.datetime) -> None:
    from inspections.supervision_services import paper_issued

    paper_issued(paper, document, at)


def _case_readers(user: Any) -> bool:
    return has_role(user, Role.OFFICE, Role.LEADER, Role.COMMISSIONER, Role.MEMBER)


SERIES: list[SeriesSpec] = []  # the office's own series `ufw-office` (portal/documents/kinds.py)

KINDS = [
    DocumentKind(
        key=REPORT,
        label=_("督查报告"),
        importance=Importance.IMPORTANT,
        series="ufw-office",
        creatable=False,
        may_draft=is_office,
        compose=_compose,
        issued=_issued,
        source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER),
    ),
    DocumentKind(
        key=FEEDBACK,
        label=_("督查反馈意见"),
        importance=Importance.GENERAL,
        series="ufw-office",
        creatable=False,
        may_draft=is_office,
        compose=_compose,
        issued=_issued,
        source_visible=_case_readers,
    ),
    DocumentKind(
        key=NOTICE,
        label=_("督查通报"),
        importance=Importance.GENERAL,
        series="ufw-office",
        creatable=False,
        may_draft=is_office,
        compose=_compose,
        issued=_issued,
        source_visible=_case_readers,
    ),
]

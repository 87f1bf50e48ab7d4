"""What the reports app issues: the annual report (年度工作汇报), an important document
the group leader signs, numbered in the group's series, and likewise the self-report to
an upper level's inspection (督查汇报提纲). Its text is composed from the
report's sections on every submission. A performance review's written feedback to a
unit (测评结果反馈, general: the leader in charge signs; sent to that unit only) and its
commendation notice (通报表扬, important: the group leader signs; sent to every unit of
the round), composed from their `ReviewPaper`. Registered by `ReportsConfig.ready()`
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


def _self_report_compose(document: Document) -> tuple[str, str]:
    from reports.services import self_report_compose

    return self_report_compose(document)


def _self_report_issued(report: Any, document: Document, at: dt.datetime) -> None:
    from reports.services import self_report_issued

    self_report_issued(report, document, at)


KINDS += [
    DocumentKind(
        key="inspection_self_report",
        label=_("督查汇报提纲"),
        importance=Importance.IMPORTANT,
        series="ufw",
        creatable=False,
        may_draft=is_office,
        compose=_self_report_compose,
        issued=_self_report_issued,
        source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER),
    )
]


def _paper_compose(document: Document) -> tuple[str, str]:
    from reports.review_services import paper_compose

    return paper_compose(document)


def _paper_issued(paper: Any, document: Document, at: dt.datetime) -> None:
    from reports.review_services import paper_issued

    paper_issued(paper, document, at)


def _review_readers(user: Any) -> bool:
    return has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER, Role.COMMISSIONER)


KINDS += [
    DocumentKind(
        key="review_feedback",
        label=_("述职评议测评结果反馈"),
        importance=Importance.GENERAL,
        series="ufw-office",
        creatable=False,
        may_draft=is_office,
        compose=_paper_compose,
        issued=_paper_issued,
        source_visible=_review_readers,
    ),
    DocumentKind(
        key="review_commendation",
        label=_("述职评议通报表扬"),
        importance=Importance.IMPORTANT,
        series="ufw",
        creatable=False,
        may_draft=is_office,
        compose=_paper_compose,
        issued=_paper_issued,
        source_visible=_review_readers,
    ),
]

"""Writes of the annual report. Keyword-only, `full_clean()` then save, atomic; the
report is edited only while drafting (before submission, or after a return)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portal.deadlines.services import deadline_meet
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib import ordering
from portal.lib.errors import Forbidden
from portal.models import User
from portal.permissions import is_office
from reports import sources
from reports.models import AnnualReport, AnnualReportSection
from reports.rules import ANNUAL_REPORT as ANNUAL_REPORT_RULE
from reports.selectors import annual_report_text

ANNUAL_REPORT_KIND = "annual_report"
DEFAULT_ADDRESSEE = "上级党委统一战线工作领导小组办公室"
DEFAULT_SECTIONS = ("主要工作和成效", "存在的问题和不足", "下一年度工作打算")


def _check_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以编写年度工作汇报。"))


def _save(
    obj: AnnualReport | AnnualReportSection, by: User, fields: list[str] | None = None
) -> None:
    obj._history_user = by  # type: ignore[union-attr]
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _check_editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("%(title)s 当前状态为“%(state)s”，不能再修改。")
            % {"title": report.title, "state": report.get_state_display()}
        )


def _locked(report: AnnualReport) -> AnnualReport:
    locked = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("document")
        .get(pk=report.pk)
    )
    _check_editable(locked)
    return locked


@transaction.atomic
def annual_report_create(*, year: int, title: str = "", by: User) -> AnnualReport:
    """A new report on `year` with the usual three sections, empty."""
    _check_office(by)
    report = AnnualReport(
        year=year,
        title=title.strip() or _("%(year)d年统一战线工作情况汇报") % {"year": year},
        addressee=DEFAULT_ADDRESSEE,
    )
    _save(report, by)
    for position, heading in enumerate(DEFAULT_SECTIONS, start=1):
        _save(AnnualReportSection(report=report, position=position, heading=heading), by)
    return report


@transaction.atomic
def annual_report_update(
    *,
    report: AnnualReport,
    title: str,
    addressee: str,
    sections: dict[int, dict[str, str]],
    by: User,
) -> AnnualReport:
    """Change the title, the addressee and the sections' headings and bodies
    (`sections`: section id → {"heading", "body"})."""
    _check_office(by)
    locked = _locked(report)
    locked.title, locked.addressee = title.strip(), addressee.strip()
    _save(locked, by, ["title", "addressee"])
    for section in locked.sections.filter(pk__in=list(sections)):
        data = sections[section.pk]
        section.heading = data["heading"].strip()
        section.body = data["body"].strip()
        _save(section, by, ["heading", "body"])
    return locked


@transaction.atomic
def annual_report_section_add(
    *, report: AnnualReport, heading: str, by: User
) -> AnnualReportSection:
    _check_office(by)
    locked = _locked(report)
    last = locked.sections.aggregate(n=Max("position"))["n"] or 0
    section = AnnualReportSection(report=locked, position=last + 1, heading=heading.strip())
    _save(section, by)
    return section


@transaction.atomic
def annual_report_fill(*, report: AnnualReport, source: str, by: User) -> AnnualReportSection:
    """从…生成: fill a section from a registered source (the work points' year-end
    view first). The section it filled before is replaced; otherwise a new section goes
    in first place, since what the plan achieved opens the report."""
    _check_office(by)
    locked = _locked(report)
    spec = sources.get(source)
    if spec is None:
        raise ValidationError(_("未知的数据来源。"))
    body = spec.build(locked.year)
    if not body:
        raise ValidationError(
            _("%(year)d年没有可用的数据（%(label)s）。")
            % {"year": locked.year, "label": spec.label}
        )
    section: AnnualReportSection | None = AnnualReportSection.objects.filter(
        report=locked, source=source
    ).first()
    if section is None:
        # make room at the top
        ordering.renumber(list(locked.sections.order_by("position")), start=2)
        section = AnnualReportSection(report=locked, position=1, source=source)
    section.heading = spec.heading(locked.year)
    section.body = body
    section.figures = [
        {"label": f.label, "value": f.value, "unit": f.unit, "url": f.url}
        for f in (spec.figures(locked.year) if spec.figures else [])
    ]
    _save(section, by)
    return section


@transaction.atomic
def annual_report_fill_all(*, report: AnnualReport, by: User) -> list[AnnualReportSection]:
    """从全年数据生成: every source with data for the year fills its section, in the
    sources' order, ahead of the sections written by hand. Nothing when none has data."""
    _check_office(by)
    locked = _locked(report)
    filled = []
    for spec in reversed(sources.all_sources()):  # each goes first: the last first
        if spec.build(locked.year):
            filled.append(annual_report_fill(report=locked, source=spec.key, by=by))
    if not filled:
        raise ValidationError(_("%(year)d年没有可用的数据。") % {"year": locked.year})
    return filled[::-1]


def annual_report_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for kind ``annual_report``."""
    report = document.about
    if not isinstance(report, AnnualReport):
        raise DocumentError(_("这份公文没有对应的年度工作汇报。"))
    return annual_report_text(report)


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, by: User) -> Document:
    """提交审核: the report goes to the group leader through the documents workflow
    (drafted the first time, sent again after a return). A double click submits once."""
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    document = locked.document
    if not locked.is_editable:
        assert document is not None
        raise ValidationError(
            _("%(title)s 已提交审核，当前状态为“%(state)s”。")
            % {"title": locked.title, "state": document.get_state_display()}
        )
    title, body = annual_report_text(locked)
    if not any(section.body.strip() for section in locked.sections.all()):
        raise ValidationError(_("汇报还没有内容，不能提交审核。"))
    document = document_backed_submit(
        record=locked,
        kind=ANNUAL_REPORT_KIND,
        by=by,
        title=title,
        body=body,
        addressee=locked.addressee,
    )
    report.document = document
    return document


def annual_report_issued(report: AnnualReport, document: Document, at: dt.datetime) -> None:
    """The kind's ``issued`` (`document_backed_issued` has linked the report to the
    document): the `annual_report` deadline of its year (due 15 January of the next
    year) is met when issued."""
    deadline_meet(rule=ANNUAL_REPORT_RULE, period=str(report.year), by=document.issued_by, now=at)

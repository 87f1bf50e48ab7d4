"""Writes of the reports drafted in sections (`DraftedReport`): the annual report and the
inspection self-report (汇报提纲). Keyword-only, `full_clean()` then save, atomic; a
report is edited only while drafting (before submission, or after a return). The
section writes (add a section, submit) take either kind of report."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.deadlines.services import deadline_meet, deadline_open
from portal.documents.models import Document
from portal.documents.services import document_backed_submit
from portal.documents.transitions import DocumentError
from portal.lib import ordering
from portal.lib.errors import Forbidden
from portal.models import User
from portal.permissions import is_office
from reports import sources
from reports.models import (
    AnnualReport,
    AnnualReportSection,
    DraftedReport,
    DraftedSection,
    InspectionSelfReport,
    InspectionSelfReportSection,
)
from reports.rules import ANNUAL_REPORT as ANNUAL_REPORT_RULE
from reports.rules import INSPECTION_SELF_REPORT as SELF_REPORT_RULE
from reports.selectors import annual_report_text

ANNUAL_REPORT_KIND = "annual_report"
SELF_REPORT_KIND = "inspection_self_report"
DEFAULT_ADDRESSEE = "上级党委统一战线工作领导小组办公室"
R = TypeVar("R", bound=DraftedReport)

DEFAULT_SECTIONS = ("主要工作和成效", "存在的问题和不足", "下一年度工作打算")


def _check_office(by: User) -> None:
    if not is_office(by):
        raise Forbidden(_("只有办公室工作人员可以编写汇报材料。"))


def _save(obj: DraftedReport | DraftedSection, by: User, fields: list[str] | None = None) -> None:
    obj._history_user = by  # type: ignore[union-attr]
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _check_editable(report: DraftedReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("%(title)s 当前状态为“%(state)s”，不能再修改。")
            % {"title": report.title, "state": report.get_state_display()}
        )


def _locked(report: R) -> R:
    locked = (
        type(report)
        ._default_manager.select_for_update(of=("self",))
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


def _save_sections(report: DraftedReport, sections: dict[int, dict[str, str]], by: User) -> None:
    for section in report.sections.filter(pk__in=list(sections)):
        data = sections[section.pk]
        section.heading = data["heading"].strip()
        section.body = data["body"].strip()
        _save(section, by, ["heading", "body"])


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
    _save_sections(locked, sections, by)
    return locked


@transaction.atomic
def annual_report_section_add(*, report: DraftedReport, heading: str, by: User) -> DraftedSection:
    """添加部分: a section after the last, of the annual report or the self-report."""
    _check_office(by)
    locked = _locked(report)
    last = locked.sections.aggregate(n=Max("position"))["n"] or 0
    section = locked.sections.model(report=locked, position=last + 1, heading=heading.strip())  # type: ignore[misc]
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


def _submit(report: DraftedReport, kind: str, by: User) -> Document:
    locked = _locked_any(report)
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
        kind=kind,
        by=by,
        title=title,
        body=body,
        addressee=locked.addressee,
    )
    report.document = document
    return document


def _locked_any(report: R) -> R:
    """The report locked for submission, whatever its state (`_submit` explains)."""
    return type(report)._default_manager.select_for_update().get(pk=report.pk)


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, by: User) -> Document:
    """提交审核: the report goes to the group leader through the documents workflow
    (drafted the first time, sent again after a return). A double click submits once."""
    return _submit(report, ANNUAL_REPORT_KIND, by)


def annual_report_issued(report: AnnualReport, document: Document, at: dt.datetime) -> None:
    """The kind's ``issued`` (`document_backed_issued` has linked the report to the
    document): the `annual_report` deadline of its year (due 15 January of the next
    year) is met when issued."""
    deadline_meet(rule=ANNUAL_REPORT_RULE, period=str(report.year), by=document.issued_by, now=at)


# The inspection self-report (工作情况汇报提纲, seed 004) ----------------------------------

# 004's outline: an opening to the inspection group, then the parts, each filled from the
# year's data by the sources it names (`reports.sources`), the last written by hand.
SELF_REPORT_OUTLINE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("guidance", "引领宣传，营造舆论氛围", ("meetings", "publicity")),
    ("duty", "压实责任，营造落实氛围", ("work_points", "review")),
    ("consensus", "广交深交，凝聚党外人士共识", ("outreach", "liaisons")),
    ("problems", "注重问题解决，抓好督查整改", ("inspections",)),
    ("next", "存在的问题和下一步打算", ()),
)
SELF_REPORT_ADDRESSEE = "上级党委统战部督查组"


def self_report_opening(*, year: int, inspection: str) -> str:
    """004's opening: welcome the inspection group, name the notice, announce the report."""
    notice = inspection.strip().strip("《》")
    return (
        "各位领导：\n\n"
        "首先，我代表学院党委统一战线工作领导小组，欢迎各位领导莅临指导。"
        f"按照《{notice}》要求，学院高度重视，进行了周密部署和认真准备。"
        f"现就{year}年学院统一战线工作开展情况汇报如下。"
    )


def _self_report_fields(
    report: InspectionSelfReport, *, title: str, addressee: str, inspection: str, due_on: dt.date
) -> None:
    report.title = title.strip() or _("%(year)d年统一战线工作情况汇报提纲") % {"year": report.year}
    report.addressee = addressee.strip()
    report.inspection = inspection.strip()
    report.due_on = due_on


def _check_due(due_on: dt.date) -> None:
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("报送截止日期不能早于今天。")})


def _self_report_deadline(report: InspectionSelfReport) -> None:
    report.deadline = deadline_open(
        rule=SELF_REPORT_RULE,
        subject=report,
        due=report.due_on,
        title=str(report.title),
    )
    # The deadline needs the report's id: link it without a second history row.
    report.save_without_historical_record(update_fields=["deadline"])  # type: ignore[attr-defined]


@transaction.atomic
def self_report_create(
    *,
    year: int,
    inspection: str,
    due_on: dt.date,
    title: str = "",
    addressee: str = SELF_REPORT_ADDRESSEE,
    by: User,
) -> InspectionSelfReport:
    """An upper level announced an inspection: a report on `year` in 004's outline (the
    opening written, the parts empty) and its deadline, due on `due_on`."""
    _check_office(by)
    _check_due(due_on)
    report = InspectionSelfReport(
        year=year, opening=self_report_opening(year=year, inspection=inspection)
    )
    _self_report_fields(
        report, title=title, addressee=addressee, inspection=inspection, due_on=due_on
    )
    _save(report, by)
    for position, (key, heading, _keys) in enumerate(SELF_REPORT_OUTLINE, start=1):
        _save(
            InspectionSelfReportSection(
                report=report, position=position, heading=heading, source=key
            ),
            by,
        )
    _self_report_deadline(report)
    return report


@transaction.atomic
def self_report_update(
    *,
    report: InspectionSelfReport,
    title: str,
    addressee: str,
    inspection: str,
    due_on: dt.date,
    opening: str,
    sections: dict[int, dict[str, str]],
    by: User,
) -> InspectionSelfReport:
    """Change the report's particulars, its opening and its sections (as
    `annual_report_update`); a new due date moves the deadline and its reminders."""
    _check_office(by)
    locked = _locked(report)
    moved = locked.due_on != due_on
    if moved:
        _check_due(due_on)
    _self_report_fields(
        locked, title=title, addressee=addressee, inspection=inspection, due_on=due_on
    )
    locked.opening = opening.strip()
    _save(locked, by, ["title", "addressee", "inspection", "due_on", "opening"])
    _save_sections(locked, sections, by)
    if moved:
        _self_report_deadline(locked)
    return locked


@transaction.atomic
def self_report_fill(
    *, report: InspectionSelfReport, by: User
) -> list[InspectionSelfReportSection]:
    """从全年数据生成: each part of the outline that has sources is written from them,
    their paragraphs one after the other and their figures together; a part whose
    sources have nothing for the year is left as it was, and so are the parts added by
    hand. Nothing when no source has data."""
    _check_office(by)
    locked = _locked(report)
    parts = {key: keys for key, _heading, keys in SELF_REPORT_OUTLINE}
    filled = []
    for section in locked.sections.filter(source__in=list(parts)).order_by("position"):
        bodies, figures = [], []
        for spec in filter(None, (sources.get(key) for key in parts[section.source])):
            body = spec.build(locked.year)
            if body:
                bodies.append(body)
                figures += spec.figures(locked.year) if spec.figures else []
        if not bodies:
            continue
        section.body = "\n\n".join(bodies)
        section.figures = [
            {"label": f.label, "value": f.value, "unit": f.unit, "url": f.url} for f in figures
        ]
        _save(section, by, ["body", "figures"])
        filled.append(section)
    if not filled:
        raise ValidationError(_("%(year)d年没有可用的数据。") % {"year": locked.year})
    return filled


@transaction.atomic
def self_report_submit(*, report: InspectionSelfReport, by: User) -> Document:
    """提交审核, as the annual report: the group leader signs it."""
    return _submit(report, SELF_REPORT_KIND, by)


def self_report_compose(document: Document) -> tuple[str, str]:
    """The documents workflow's `compose` for kind ``inspection_self_report``."""
    report = document.about
    if not isinstance(report, InspectionSelfReport):
        raise DocumentError(_("这份公文没有对应的督查汇报提纲。"))
    return annual_report_text(report)


def self_report_issued(report: InspectionSelfReport, document: Document, at: dt.datetime) -> None:
    """Issued: its deadline is met."""
    deadline_meet(rule=SELF_REPORT_RULE, subject=report, by=document.issued_by, now=at)

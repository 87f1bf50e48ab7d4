"""Pages of the annual report: list, detail, edit, fill a section from a source (从工作要点
生成), submit to the documents workflow; and the same for the inspection self-report
(督查汇报提纲, `self_report_*`). Thin: parse, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import exports
from portal.deadlines.selectors import period_deadline
from portal.documents.models import split_paragraphs
from portal.documents.pdf import parse_body
from portal.documents.permissions import expected_signers
from portal.documents.selectors import documents_for_user
from portal.lib.forms import refuse_control_characters
from portal.lib.paging import paginate
from portal.models import Role
from portal.permissions import is_office, role_required
from reports import selectors, services, sources
from reports.exporting import annual_report_filter_for, self_report_filter_for
from reports.forms import (
    AnnualReportCreateForm,
    AnnualReportForm,
    SelfReportCreateForm,
    SelfReportForm,
)
from reports.models import DraftedReport
from reports.rules import ANNUAL_REPORT as ANNUAL_REPORT_RULE

READERS = selectors.READERS


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@role_required(*READERS)
def annual_report_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, annual_report_filter_for(request.user, request.GET))
    return render(
        request,
        "reports/annual_list.html",
        {"page": page, "can_manage": is_office(request.user), "query": request.GET.urlencode()},
    )


@role_required(*READERS)
def annual_report_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list, every row (not one page) (`reports.exporting`)."""
    return exports.export_answer(request, "annual_reports")


@role_required(Role.OFFICE)
def annual_report_create(request: HttpRequest) -> HttpResponse:
    initial = {"year": timezone.localdate().year - 1}
    form = AnnualReportCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.annual_report_create(
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("新建年度工作汇报"), "cancel_url": reverse("annual_report_list")},
    )


def _paragraphs(text: str) -> list[Any]:
    """As the document will print them: blank lines part paragraphs (a browser posts
    them as CRLF), a paragraph's lines join."""
    return parse_body(split_paragraphs(text))


def _report_context(request: HttpRequest, report: DraftedReport) -> dict[str, Any]:
    """What the detail pages of both kinds show: the opening and the sections as the
    document will read, each section's figures, whether the reader may manage it and
    open its document."""
    document = report.document
    return {
        "report": report,
        "opening": _paragraphs(report.opening_text),
        "sections": [
            (s, _paragraphs(s.body), s.figures) for s in report.sections.order_by("position")
        ],
        "can_manage": is_office(request.user),
        "document_visible": document is not None
        and documents_for_user(request.user).filter(pk=document.pk).exists(),
    }


@role_required(*READERS)
def annual_report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    return render(
        request,
        "reports/annual_detail.html",
        {
            **_report_context(request, report),
            "sources": sources.all_sources(),
            # The engine's annual-report deadline of the year (extensions and all), read
            # only when the page shows it (not once the report is issued).
            "deadline": SimpleLazyObject(
                lambda: period_deadline(ANNUAL_REPORT_RULE, str(report.year))
            ),
        },
    )


@role_required(Role.OFFICE)
def annual_report_edit(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    if not report.is_editable:
        messages.error(request, _("汇报已提交审核，不能修改。"))
        return redirect(report)
    sections = list(report.sections.order_by("position"))
    form = AnnualReportForm(request.POST or None, report=report, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_update(
                report=report,
                title=form.cleaned_data["title"],
                addressee=form.cleaned_data["addressee"],
                sections=form.section_data(),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("编辑汇报"),
            "object": report,
            "cancel_url": report.get_absolute_url(),
        },
    )


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("标题"), max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        refuse_control_characters(self)  # a heading is one line, as the other forms' titles
        return cleaned


def _section_add(request: HttpRequest, report: DraftedReport) -> HttpResponse:
    """添加部分 on either kind of report. A heading left empty is asked for; any other
    error (a control character, too long) is said as the form says it."""
    form = SectionForm(request.POST)
    if not form.is_valid():
        if form.has_error("heading", "required"):
            messages.error(request, _("请填写部分标题。"))
        else:
            for message in form.errors.get("heading", []):
                messages.error(request, _("部分标题：%(error)s") % {"error": message})
        return redirect(report.get_absolute_url())
    try:
        services.annual_report_section_add(
            report=report,
            heading=form.cleaned_data["heading"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(report.get_absolute_url())


@require_POST
@role_required(Role.OFFICE)
def annual_report_section_add(request: HttpRequest, year: int) -> HttpResponse:
    return _section_add(request, selectors.get_annual_report(year))


@require_POST
@role_required(Role.OFFICE)
def annual_report_fill(request: HttpRequest, year: int, source: str) -> HttpResponse:
    report = selectors.get_annual_report(year)
    try:
        section = services.annual_report_fill(
            report=report,
            source=source,
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已生成“%(heading)s”，请核对修改。") % {"heading": section.numbered_heading}
        )
    return redirect(report)


@require_POST
@role_required(Role.OFFICE)
def annual_report_fill_all(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    try:
        filled = services.annual_report_fill_all(report=report, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("已从全年数据生成%(n)d个部分，每个数字都链接到所统计的记录，请逐一核对。")
            % {"n": len(filled)},
        )
    return redirect(report)


@require_POST
@role_required(Role.OFFICE)
def annual_report_submit(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    try:
        document = services.annual_report_submit(
            report=report,
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已提交审核，等待%(who)s签发。") % {"who": expected_signers(document)}
        )
    return redirect(report)


# The inspection self-report (督查汇报提纲) ------------------------------------------------


@role_required(*READERS)
def self_report_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, self_report_filter_for(request.user, request.GET))
    return render(
        request,
        "reports/self_report_list.html",
        {"page": page, "can_manage": is_office(request.user), "query": request.GET.urlencode()},
    )


@role_required(*READERS)
def self_report_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The list, every row (not one page) (`reports.exporting`)."""
    return exports.export_answer(request, "self_reports")


@role_required(Role.OFFICE)
def self_report_create(request: HttpRequest) -> HttpResponse:
    form = SelfReportCreateForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "addressee": services.SELF_REPORT_ADDRESSEE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.self_report_create(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已按汇报提纲建立各部分，可从全年数据生成后修改。"))
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("新建督查汇报提纲"), "cancel_url": reverse("self_report_list")},
    )


@role_required(*READERS)
def self_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_self_report(pk)
    return render(request, "reports/self_report_detail.html", _report_context(request, report))


@role_required(Role.OFFICE)
def self_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_self_report(pk)
    if not report.is_editable:
        messages.error(request, _("汇报已提交审核，不能修改。"))
        return redirect(report)
    sections = list(report.sections.order_by("position"))
    form = SelfReportForm(request.POST or None, report=report, sections=sections)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.self_report_update(
                report=report,
                title=data["title"],
                addressee=data["addressee"],
                inspection=data["inspection"],
                due_on=data["due_on"],
                opening=data["opening"],
                sections=form.section_data(),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("编辑汇报提纲"),
            "object": report,
            "cancel_url": report.get_absolute_url(),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def self_report_section_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_add(request, selectors.get_self_report(pk))


@require_POST
@role_required(Role.OFFICE)
def self_report_fill(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_self_report(pk)
    try:
        filled = services.self_report_fill(report=report, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("已从%(year)d年数据生成%(n)d个部分，每个数字都链接到所统计的记录，请逐一核对。")
            % {"year": report.year, "n": len(filled)},
        )
    return redirect(report)


@require_POST
@role_required(Role.OFFICE)
def self_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_self_report(pk)
    try:
        document = services.self_report_submit(report=report, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已提交审核，等待%(who)s签发。") % {"who": expected_signers(document)}
        )
    return redirect(report)

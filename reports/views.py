"""Pages of the annual report: list, detail, edit, fill a section from a source (从工作要点
生成), submit to the documents workflow. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.deadlines.selectors import period_deadline
from portal.documents.pdf import parse_body
from portal.documents.permissions import expected_signers
from portal.documents.selectors import documents_for_user
from portal.lib.paging import paginate
from portal.models import Role
from portal.permissions import is_office, role_required
from reports import selectors, services, sources
from reports.forms import AnnualReportCreateForm, AnnualReportForm
from reports.rules import ANNUAL_REPORT as ANNUAL_REPORT_RULE

READERS = (Role.OFFICE, Role.LEADER)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@role_required(*READERS)
def annual_report_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.annual_reports())
    return render(
        request,
        "reports/annual_list.html",
        {"page": page, "can_manage": is_office(request.user)},
    )


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


@role_required(*READERS)
def annual_report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    sections = list(report.sections.order_by("position"))
    document = report.document
    return render(
        request,
        "reports/annual_detail.html",
        {
            "report": report,
            "sections": [
                (s, parse_body([p for p in s.body.split("\n\n") if p.strip()]), s.figures)
                for s in sections
            ],
            "sources": sources.all_sources(),
            "can_manage": is_office(request.user),
            # The engine's annual-report deadline of the year (extensions and all), read
            # only when the page shows it (not once the report is issued).
            "deadline": SimpleLazyObject(
                lambda: period_deadline(ANNUAL_REPORT_RULE, str(report.year))
            ),
            "document_visible": document is not None
            and documents_for_user(request.user).filter(pk=document.pk).exists(),
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


@require_POST
@role_required(Role.OFFICE)
def annual_report_section_add(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.get_annual_report(year)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写部分标题。"))
        return redirect(report)
    try:
        services.annual_report_section_add(
            report=report,
            heading=form.cleaned_data["heading"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(report)


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

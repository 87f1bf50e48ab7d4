"""Views of the leading group (org chart, roster, appointments, import/export) and the
work points (plan, drafting, progress reports, year-end view). Thin: parse, call a
selector or a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import exports, imports, permissions, selectors, services
from groups.filters import RosterFilter
from groups.forms import (
    ImportForm,
    ItemForm,
    ProgressReportForm,
    SeatEndForm,
    SeatStartForm,
    SectionForm,
    TermForm,
    WorkPointsForm,
)
from groups.models import WorkPoints, WorkPointsItem, WorkPointsSection, progress_light
from groups.rules import WORK_POINTS as WORK_POINTS_RULE
from groups.services import Category
from portal import imports as parking
from portal.deadlines.selectors import period_deadline
from portal.documents.permissions import expected_signers
from portal.documents.selectors import documents_for_user
from portal.lib.forms import apply_errors
from portal.lib.paging import paginate
from portal.lib.views import move_offset, service_or_message
from portal.models import Role
from portal.permissions import (
    any_role_required,
    is_office,
    own_unit_ids,
    role_required,
    unit_scope,
)
from portal.selectors import people_for_user
from portal.spreadsheets import SheetError, read_rows
from portal.uploads import attachment_response, content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day_param(request: HttpRequest) -> tuple[dt.date, str]:
    """`?on=YYYY-MM-DD`, or today; a bad date falls back to today with a message."""
    today = timezone.localdate()
    raw = request.GET.get("on", "").strip()
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw)
        if not 1949 <= day.year <= 2100:
            raise ValueError(raw)
    except ValueError:
        return today, _("“%(value)s”不是有效日期，已显示今天的情况。") % {"value": raw}
    return day, ""


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = _attachment(filename)
    return response


def _attachment(filename: str) -> str:
    return content_disposition(filename)


# The group -----------------------------------------------------------------------------------


@any_role_required
def group_org(request: HttpRequest) -> HttpResponse:
    day, error = _day_param(request)
    roster = selectors.roster_on(day)
    return render(
        request,
        "groups/org.html",
        {
            "roster": roster,
            "day": day,
            "is_today": day == timezone.localdate(),
            "error": error,
            "can_manage": is_office(request.user),
            # Whose person pages the user may open (None: everyone's): the others'
            # names are shown without a link to a 404.
            "person_scope": unit_scope(request.user),
        },
    )


@any_role_required
def group_roster(request: HttpRequest) -> HttpResponse:
    """Every seat, held or ended: the roster's history."""
    filters = RosterFilter(request.GET)
    category, current_only = filters.chosen_category(), filters.current_only()
    today = timezone.localdate()
    rows = selectors.seat_rows(day=today if current_only else None, category=category)
    page = paginate(request, rows)
    # Whose person pages the user may open: the others' names go without a link.
    visible_people = set(
        people_for_user(request.user)
        .filter(pk__in=[row.person_id for row in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "groups/roster.html",
        {
            "page": page,
            "visible_people": visible_people,
            "today": today,
            "categories": Category.choices(),
            "category": category,
            "current_only": current_only,
            "can_manage": is_office(request.user),
        },
    )


@role_required(Role.OFFICE)
def seat_create(request: HttpRequest) -> HttpResponse:
    initial = {"category": request.GET.get("category", ""), "start_date": timezone.localdate()}
    form = SeatStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.seat_start(
                category=data["category"],
                person=data["person"],
                unit=data["unit"],
                post=data["post"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error, {"branch": "unit", "role": "category"})
        else:
            messages.success(
                request,
                _("已任命%(name)s为%(category)s，自%(day)s起。")
                % {
                    "name": seat.person.name,
                    "category": Category.label(data["category"]),
                    "day": f"{seat.start_date:%Y-%m-%d}",
                },
            )
            return redirect(f"{reverse('group_org')}?on={seat.start_date:%Y-%m-%d}")
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("任命"), "cancel_url": reverse("group_org")},
    )


@role_required(Role.OFFICE)
def seat_end(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    seat = selectors.get_seat(kind, pk)
    form = SeatEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(
                seat=seat,
                end_date=form.cleaned_data["end_date"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(seat)s 已结束任职。") % {"seat": seat.person.name},
            )
            return redirect("group_roster")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("结束任职"),
            "object": seat,
            "cancel_url": reverse("group_roster"),
        },
    )


@role_required(Role.OFFICE)
def term_create(request: HttpRequest) -> HttpResponse:
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.leading_group_start_term(
                term_start=data["term_start"],
                term_end=data["term_end"],
                basis=data["basis"],
                office_unit=data["office_unit"],
                carry_over=data["carry_over"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("新一届领导小组已建立：%(group)s。") % {"group": group})
            return redirect(f"{reverse('group_org')}?on={group.term_start:%Y-%m-%d}")
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("领导小组换届"), "cancel_url": reverse("group_org")},
    )


@any_role_required
def group_roster_export(request: HttpRequest) -> HttpResponse:
    day, _error = _day_param(request)
    return _xlsx_response(exports.roster_xlsx(day), f"领导小组名册-{day:%Y%m%d}.xlsx")


@role_required(Role.OFFICE)
def group_roster_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(exports.roster_template_xlsx(), "领导小组名册导入模板.xlsx")


@role_required(Role.OFFICE)
def group_roster_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.data_bytes, imports.ROSTER_HEADERS, imports.ROSTER_REQUIRED)
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            if not rows:  # e.g. the template uploaded back as it was downloaded
                form.add_error("file", _("表格里没有数据：请从第2行起每行填写一条任职，再上传。"))
                return render(request, "groups/roster_import.html", {"form": form})
            result = imports.roster_import(
                rows=rows,
                dry_run=True,
                by=request.user,  # type: ignore[arg-type]
            )
            filename = form.cleaned_data["file"].name
            token = (
                parking.parked_import_create(
                    user=request.user,  # type: ignore[arg-type]
                    kind="roster",
                    rows=rows,
                    filename=filename,
                )
                if result.ok
                else ""
            )
            return render(
                request,
                "groups/roster_import_preview.html",
                {"result": result, "token": token, "filename": filename},
            )
    return render(request, "groups/roster_import.html", {"form": form})


@require_POST
@role_required(Role.OFFICE)
def group_roster_import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    stashed = parking.parked_import_take(
        user=request.user,  # type: ignore[arg-type]
        kind="roster",
        token=token,
    )
    if stashed is None:
        messages.error(request, _("预览已失效（已导入或已上传新文件），请重新上传。"))
        return redirect("group_roster_import")
    rows, filename = stashed
    result = imports.roster_import(
        rows=rows,
        dry_run=False,
        by=request.user,  # type: ignore[arg-type]
    )
    if not result.ok:
        # The roster changed since the preview; nothing was saved.
        return render(
            request,
            "groups/roster_import_preview.html",
            {"result": result, "token": "", "filename": filename},
        )
    messages.success(
        request,
        _("已导入“%(file)s”：新增 %(added)d 项任职，结束 %(ended)d 项，%(same)d 项不变。")
        % {
            "file": filename,
            "added": result.count("add"),
            "ended": result.count("end"),
            "same": result.count("same"),
        },
    )
    return redirect("group_org")


# Work points --------------------------------------------------------------------------------


@any_role_required
def work_points_index(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for_user(request.user).annotate(item_count=Count("items"))
    page = paginate(request, plans)
    return render(
        request,
        "groups/work_points_index.html",
        {
            "page": page,
            "can_manage": is_office(request.user),
            "this_year": timezone.localdate().year,
        },
    )


@role_required(Role.OFFICE)
def work_points_create(request: HttpRequest) -> HttpResponse:
    form = WorkPointsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.work_points_create(
                year=data["year"],
                title=data["title"],
                preamble=data["preamble"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("已新建“%(title)s”，请添加部分和事项。") % {"title": plan.title}
            )
            return redirect("work_points_edit", year=plan.year)
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("新建工作要点"), "cancel_url": reverse("work_points_index")},
    )


@any_role_required
def work_points_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    statuses = selectors.item_statuses(plan)
    mine_ids: set[int] = set()
    my_units = own_unit_ids(request.user) if not is_office(request.user) else set()
    if my_units:
        mine_ids = selectors.items_of_units(plan, my_units)
    only_mine = request.GET.get("mine") == "1" and bool(mine_ids)
    shown = [s for s in statuses if s.item.pk in mine_ids] if only_mine else statuses
    return render(
        request,
        "groups/work_points_detail.html",
        {
            "plan": plan,
            "sections": selectors.sections_with_statuses(plan, shown),
            "counts": selectors.light_counts(statuses),
            "total": len(statuses),
            "mine_ids": mine_ids,
            "only_mine": only_mine,
            # The engine's work-points deadline of the year: its due date (an extension
            # moves it) and its 已逾期; read only when shown (not once the plan is issued).
            "deadline": SimpleLazyObject(lambda: period_deadline(WORK_POINTS_RULE, str(plan.year))),
            "can_manage": is_office(request.user),
            "document_visible": plan.document is not None
            and documents_for_user(request.user).filter(pk=plan.document.pk).exists(),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def work_points_submit(request: HttpRequest, year: int) -> HttpResponse:
    """提交审核: the plan goes to the documents workflow (the group leader signs)."""
    plan = selectors.get_plan(year)
    try:
        document = services.work_points_submit(
            plan=plan,
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已提交审核，等待%(who)s签发。") % {"who": expected_signers(document)},
        )
    return redirect(plan)


def _editable_plan(request: HttpRequest, plan: WorkPoints) -> bool:
    if plan.is_editable:
        return True
    messages.error(
        request,
        _("%(title)s 当前状态为“%(state)s”，不能再修改。")
        % {"title": plan.title, "state": plan.get_state_display()},
    )
    return False


@role_required(Role.OFFICE)
def work_points_edit(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    if not _editable_plan(request, plan):
        return redirect(plan)
    statuses = selectors.item_statuses(plan)
    return render(
        request,
        "groups/work_points_edit.html",
        {
            "plan": plan,
            "sections": selectors.sections_with_statuses(plan, statuses),
            "section_form": SectionForm(),
        },
    )


@role_required(Role.OFFICE)
def work_points_update(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    if not _editable_plan(request, plan):
        return redirect(plan)
    form = WorkPointsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_points_update(
                plan=plan,
                title=form.cleaned_data["title"] or plan.title,
                preamble=form.cleaned_data["preamble"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("work_points_edit", year=plan.year)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("标题与总体要求"),
            "object": plan,
            "cancel_url": reverse("work_points_edit", args=[year]),
        },
    )


@role_required(Role.OFFICE)
def work_points_section_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    if not _editable_plan(request, plan):
        return redirect(plan)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.work_points_section_create(
                plan=plan,
                title=form.cleaned_data["title"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已添加“%(heading)s”。") % {"heading": section.heading})
            return redirect("work_points_edit", year=year)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("添加部分"),
            "cancel_url": reverse("work_points_edit", args=[year]),
        },
    )


def _get_section_for_user(request: HttpRequest, pk: int) -> WorkPointsSection:
    return selectors.get_section(request.user, pk)


@role_required(Role.OFFICE)
def work_points_section_update(request: HttpRequest, pk: int) -> HttpResponse:
    section = _get_section_for_user(request, pk)
    if not _editable_plan(request, section.plan):
        return redirect(section.plan)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_points_section_update(
                section=section,
                title=form.cleaned_data["title"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("work_points_edit", year=section.plan.year)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改部分标题"),
            "cancel_url": reverse("work_points_edit", args=[section.plan.year]),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def work_points_section_move(request: HttpRequest, pk: int) -> HttpResponse:
    section = _get_section_for_user(request, pk)
    offset = move_offset(request)
    service_or_message(
        request,
        lambda: services.work_points_section_move(
            section=section,
            offset=offset,
            by=request.user,  # type: ignore[arg-type]
        ),
    )
    return redirect(f"{reverse('work_points_edit', args=[section.plan.year])}#section-{section.pk}")


@require_POST
@role_required(Role.OFFICE)
def work_points_section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = _get_section_for_user(request, pk)
    service_or_message(
        request,
        lambda: services.work_points_section_delete(
            section=section,
            by=request.user,  # type: ignore[arg-type]
        ),
    )
    return redirect("work_points_edit", year=section.plan.year)


def _get_item(pk: int) -> WorkPointsItem:
    return selectors.get_item(pk)


@role_required(Role.OFFICE)
def work_points_item_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    if not plan.sections.exists() and plan.is_editable:
        messages.info(request, _("请先添加一个部分。"))
        return redirect("work_points_section_create", year=year)
    return _item_form(request, plan, None)


@role_required(Role.OFFICE)
def work_points_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(pk)
    return _item_form(request, item.plan, item)


def _item_form(request: HttpRequest, plan: WorkPoints, item: WorkPointsItem | None) -> HttpResponse:
    """Add an item (`item` None) or change one, through the same form."""
    if not _editable_plan(request, plan):
        return redirect(item or plan)
    initial = ItemForm.initial_for(item) if item else {"section": request.GET.get("section")}
    form = ItemForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ItemForm.FIELDS}
        try:
            if item is None:
                item = services.work_points_item_create(**fields, by=request.user)  # type: ignore[arg-type]
                message = _("已添加第%(n)d项。")
            else:
                item = services.work_points_item_update(
                    item=item,
                    **fields,
                    by=request.user,  # type: ignore[arg-type]
                )
                message = _("已保存第%(n)d项。")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message % {"n": item.number})
            return redirect(f"{reverse('work_points_edit', args=[plan.year])}#item-{item.pk}")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("修改事项") if item else _("添加事项"),
            "object": item,
            "cancel_url": reverse("work_points_edit", args=[plan.year]),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def work_points_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(pk)
    offset = move_offset(request)
    service_or_message(
        request,
        lambda: services.work_points_item_move(
            item=item,
            offset=offset,
            by=request.user,  # type: ignore[arg-type]
        ),
    )
    return redirect(f"{reverse('work_points_edit', args=[item.plan.year])}#item-{item.pk}")


@require_POST
@role_required(Role.OFFICE)
def work_points_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(pk)
    service_or_message(
        request,
        lambda: services.work_points_item_delete(
            item=item,
            by=request.user,  # type: ignore[arg-type]
        ),
    )
    return redirect("work_points_edit", year=item.plan.year)


@any_role_required
def work_points_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(pk)
    show_reports = selectors.can_view_reports(request.user, item)
    reports = list(selectors.reports_for_item(item, request.user)) if show_reports else []
    latest = reports[0] if reports else item.reports.order_by("-reported_at", "-pk").first()
    light = progress_light(
        percent=latest.percent if latest else None, year=item.plan.year, today=timezone.localdate()
    )
    return render(
        request,
        "groups/work_points_item.html",
        {
            "item": item,
            "plan": item.plan,
            "reports": reports,
            "show_reports": show_reports,
            "latest": latest,
            "light": light,
            "can_report": bool(permissions.reporting_units_for(request.user, item)),
        },
    )


@any_role_required
def work_points_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(pk)
    units = permissions.reporting_units_for(request.user, item)
    if not units:
        raise PermissionDenied
    form = ProgressReportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report_create(
                item=item,
                unit=data["unit"],
                text=data["text"],
                percent=data["percent"],
                evidence=data["evidence"] or None,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已提交第%(n)d项的进展。") % {"n": item.number})
            return redirect(item)
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("报告进展"),
            "object": item,
            "cancel_url": item.get_absolute_url(),
        },
    )


@any_role_required
def work_points_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, only through this check: MEDIA is not served directly."""
    report = selectors.get_report_for_user(request.user, pk)
    if not report.evidence:
        raise Http404
    try:
        return attachment_response(report.evidence, filename=report.evidence_name or "evidence")
    except FileNotFoundError:
        raise Http404 from None


@any_role_required
def work_points_summary(request: HttpRequest, year: int) -> HttpResponse:
    """The year-end view: each item's final progress, and each responsible unit's latest
    report and evidence; what the annual report is made from."""
    plan = selectors.get_plan(year)
    rows = selectors.year_end(plan)
    statuses = [row.status for row in rows]
    return render(
        request,
        "groups/work_points_summary.html",
        {
            "plan": plan,
            "rows": rows,
            "readable": selectors.report_units_for(request.user),
            "counts": selectors.light_counts(statuses),
            "total": len(statuses),
        },
    )


@any_role_required
def work_points_year_end_export(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    data = exports.year_end_xlsx(plan, readable=selectors.report_units_for(request.user))
    return _xlsx_response(data, f"{plan.title}完成情况.xlsx")


@any_role_required
def work_points_text(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    return render(
        request,
        "groups/work_points_text.html",
        {"plan": plan, "text": selectors.work_points_text(plan=plan)},
    )


@any_role_required
def work_points_export(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    return _xlsx_response(exports.items_xlsx(plan), f"{plan.title}.xlsx")


@role_required(Role.OFFICE)
def work_points_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(exports.items_template_xlsx(), "工作要点事项导入模板.xlsx")


@role_required(Role.OFFICE)
def work_points_import(request: HttpRequest, year: int) -> HttpResponse:
    plan = selectors.get_plan(year)
    if not _editable_plan(request, plan):
        return redirect(plan)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.data_bytes, imports.ITEM_HEADERS, imports.ITEM_REQUIRED)
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            result = imports.items_import(
                plan=plan,
                rows=rows,
                dry_run=True,
                by=request.user,  # type: ignore[arg-type]
            )
            filename = form.cleaned_data["file"].name
            kind = f"items-{plan.year}"
            token = (
                parking.parked_import_create(
                    user=request.user,  # type: ignore[arg-type]
                    kind=kind,
                    rows=rows,
                    filename=filename,
                )
                if result.ok
                else ""
            )
            return render(
                request,
                "groups/work_points_import_preview.html",
                {"plan": plan, "result": result, "token": token, "filename": filename},
            )
    return render(request, "groups/work_points_import.html", {"plan": plan, "form": form})


@require_POST
@role_required(Role.OFFICE)
def work_points_import_confirm(request: HttpRequest, year: int, token: str) -> HttpResponse:
    plan = selectors.get_plan(year)
    stashed = parking.parked_import_take(
        user=request.user,  # type: ignore[arg-type]
        kind=f"items-{plan.year}",
        token=token,
    )
    if stashed is None:
        messages.error(request, _("预览已失效（已导入或已上传新文件），请重新上传。"))
        return redirect("work_points_import", year=year)
    rows, filename = stashed
    result = imports.items_import(
        plan=plan,
        rows=rows,
        dry_run=False,
        by=request.user,  # type: ignore[arg-type]
    )
    if not result.ok:
        return render(
            request,
            "groups/work_points_import_preview.html",
            {"plan": plan, "result": result, "token": "", "filename": filename},
        )
    messages.success(
        request,
        _("已导入“%(file)s”：%(sections)d 个部分，%(items)d 项。")
        % {"file": filename, "sections": len(result.sections), "items": result.item_count},
    )
    return redirect("work_points_edit", year=year)

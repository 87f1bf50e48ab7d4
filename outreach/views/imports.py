"""The register's Excel import: the template, the upload with its preview (nothing saved
yet), and the confirmation (once: the parked rows are taken)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach import imports
from outreach.exports import figures as exports
from portal import imports as parking
from portal.forms import ImportForm
from portal.models import Role
from portal.permissions import role_required
from portal.spreadsheets import XLSX_CONTENT_TYPE, SheetError, read_rows
from portal.uploads import content_disposition


@role_required(Role.OFFICE)
def figure_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.register_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(_("党外人士名册导入模板.xlsx"))
    return response


@role_required(Role.OFFICE)
def figure_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.data_bytes, imports.HEADERS, imports.REQUIRED)
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            if not rows:
                form.add_error(
                    "file", _("表格里没有数据：请从第2行起每行填写一位党外人士，再上传。")
                )
                return render(request, "outreach/figure_import.html", {"form": form})
            user = request.user
            result = imports.figures_import(rows=rows, dry_run=True, by=user)  # type: ignore[arg-type]
            filename = form.cleaned_data["file"].name
            token = (
                parking.parked_import_create(
                    user=user,  # type: ignore[arg-type]
                    kind=imports.KIND,
                    rows=rows,
                    filename=filename,
                )
                if result.ok
                else ""
            )
            return render(
                request,
                "outreach/figure_import_preview.html",
                {"result": result, "token": token, "filename": filename},
            )
    return render(request, "outreach/figure_import.html", {"form": form})


@require_POST
@role_required(Role.OFFICE)
def figure_import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    user = request.user
    stashed = parking.parked_import_take(user=user, kind=imports.KIND, token=token)  # type: ignore[arg-type]
    if stashed is None:
        messages.error(request, _("预览已失效（已导入或已上传新文件），请重新上传。"))
        return redirect("figure_import")
    rows, filename = stashed
    result = imports.figures_import(rows=rows, dry_run=False, by=user)  # type: ignore[arg-type]
    if not result.ok:  # the register or the people changed since the preview
        return render(
            request,
            "outreach/figure_import_preview.html",
            {"result": result, "token": "", "filename": filename},
        )
    messages.success(
        request,
        _("已导入“%(file)s”：登记 %(added)d 人，更新 %(updated)d 人，%(same)d 人不变。")
        % {
            "file": filename,
            "added": result.count("add"),
            "updated": result.count("update"),
            "same": result.count("same"),
        },
    )
    return redirect("figure_list")

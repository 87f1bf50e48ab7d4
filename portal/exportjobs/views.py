"""The export jobs' pages: start one (POST from the offer page), its progress (polled
by static/portal/portal.js, refreshed without JavaScript), its download, "my exports".
A job is its owner's alone: anybody else gets 404."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import exports
from portal.exportjobs.models import ExportJob
from portal.exportjobs.services import export_job_start
from portal.lib.paging import paginate
from portal.permissions import portal_user_required
from portal.uploads import attachment_response


def _get_job_for_user(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user_id=request.user.pk)


@portal_user_required
@require_POST
def export_job_create(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("key", "")
    if exports.get(key) is None:
        raise Http404
    job = export_job_start(
        key=key,
        querystring=request.POST.get("query", ""),
        by=request.user,  # type: ignore[arg-type]
    )
    return redirect(job)


@portal_user_required
def export_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    return render(
        request,
        "exports/job_detail.html",
        {"job": job, "downloadable": job.is_downloadable(timezone.now())},
    )


@portal_user_required
def export_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _get_job_for_user(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "active": job.is_active,
        }
    )


@portal_user_required
def export_job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _get_job_for_user(request, pk)
    if not job.is_downloadable(timezone.now()):
        raise Http404
    return attachment_response(job.file, filename=job.filename)


@portal_user_required
def export_job_list(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.filter(user_id=request.user.pk or 0).order_by("-created_at", "-pk")
    return render(
        request, "exports/job_list.html", {"page": paginate(request, jobs), "now": timezone.now()}
    )

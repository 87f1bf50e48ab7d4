"""Pages of the document workflow. Views are thin: find the document through the
selector (404 when the user may not see it), call one service, show its message."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import exports
from portal.documents import pdf as paper
from portal.documents import selectors, services
from portal.documents.exporting import TAB_LABELS, document_filter_for, series_filter_for, tab_of
from portal.documents.forms import (
    AttachmentForm,
    DocumentForm,
    IssueForm,
    SeriesForm,
)
from portal.documents.models import Document, DocumentRecipient, DocumentSeries
from portal.documents.pdf import format_code, parse_body, signing_configured
from portal.documents.permissions import acknowledgeable, expected_signers
from portal.documents.registry import RegistryError, get_kind
from portal.documents.transitions import (
    WORKFLOW,
    DocumentError,
    DocumentForbidden,
    check_create,
)
from portal.lib.forms import MULTILINE_CONTROL_MESSAGE, has_control_characters
from portal.lib.history import history_page
from portal.lib.paging import paginate
from portal.models import Role, User
from portal.permissions import any_role_required, has_role, role_required, roles_of
from portal.ratelimit import limited
from portal.uploads import attachment_response

VERIFY_MAX_BYTES = 50 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, error: DocumentError) -> None:
    """A step the user may never take on this document (no page shows them its button)
    answers 403 with the reason; a step the document's state does not allow now (a
    double click, a step someone else took first) becomes a message on the page the
    user goes back to."""
    if isinstance(error, DocumentForbidden):
        raise error  # a PermissionDenied: the 403 page shows its message
    messages.error(request, error.message)


# Lists and forms ---------------------------------------------------------------------


@any_role_required
def document_list(request: HttpRequest) -> HttpResponse:
    tab = tab_of(request.GET)
    document_filter = document_filter_for(request.user, request.GET)
    page = paginate(request, document_filter.qs)
    show_receipts = has_role(request.user, Role.OFFICE, Role.LEADER)
    if show_receipts:
        page.object_list = selectors.with_receipt_counts(page.object_list)
    return render(
        request,
        "documents/list.html",
        {
            "filter": document_filter,
            "page": page,
            "tab": tab,
            "tabs": TAB_LABELS,
            "can_create": has_role(request.user, Role.OFFICE, Role.COMMISSIONER),
            "show_receipts": show_receipts,
            "query": request.GET.urlencode(),
        },
    )


@any_role_required
def document_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The documents list as Excel: the same tab and filter as `document_list`."""
    return exports.export_answer(request, "documents")


@role_required(Role.OFFICE, Role.COMMISSIONER)
def document_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        check_create(user)
    except DocumentError as error:
        _refused(request, error)
        return redirect("document_list")
    initial = {"kind": request.GET.get("kind", "notice")}
    form = DocumentForm(request.POST or None, creating=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                addressee=data["addressee"],
                cc=data["cc"],
                by=user,
                recipient_units=data["recipient_units"],
                recipient_people=data["recipient_people"],
            )
        except DocumentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("草稿已保存。核对无误后请点击“报审”。"))
            return redirect(document)
    return render(
        request,
        "documents/form.html",
        {"form": form, "title": _("起草公文"), "cancel_url": reverse("document_list")},
    )


@role_required(Role.OFFICE, Role.COMMISSIONER)
def document_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_document_for_user(user, pk)
    try:
        WORKFLOW.check(document, "update", by=user)
    except DocumentError as error:
        _refused(request, error)
        return redirect(document)
    form = DocumentForm(request.POST or None, instance=document, creating=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_update(
                document=document,
                by=user,
                fields={name: data[name] for name in ("title", "addressee", "body", "cc")},
                recipient_units=data["recipient_units"],
                recipient_people=data["recipient_people"],
            )
        except DocumentError as error:
            _refused(request, error)
        else:
            messages.success(request, _("已保存修改。"))
        return redirect(document)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "document": document,
            "title": _("修改公文"),
            "cancel_url": document.get_absolute_url(),
        },
    )


# The document page -------------------------------------------------------------------


def _source_of(user: User, document: Document) -> Model | None:
    """The record the document was made from (a meeting's minutes, a year's work
    points…), when the user may open its page."""
    if document.content_type_id is None:
        return None
    try:
        visible = get_kind(document.kind).source_visible
    except RegistryError:  # a kind no longer registered
        return None
    if not (visible(user) if visible else roles_of(user)):
        return None
    source = document.about
    return source if source is not None and hasattr(source, "get_absolute_url") else None


@any_role_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_document_for_user(user, pk)
    steps = document.steps.select_related("actor__person")
    prefetch_related_objects(
        [document],
        Prefetch(
            "recipients",
            DocumentRecipient.objects.select_related(
                "unit", "person__unit", "acknowledged_by__person"
            ),
        ),
    )
    recipients = list(document.recipients.all())
    actions = WORKFLOW.names(document, user)  # the buttons: the declared transitions
    see_all_receipts = has_role(user, Role.OFFICE, Role.LEADER)
    mine = acknowledgeable(user, recipients)
    deputies: list[User] = []
    if "delegate" in actions:
        deputies = list(
            User.objects.filter(
                leadership=User.Leadership.DEPUTY_LEADER, is_active=True, groups__name=Role.LEADER
            ).select_related("person")
        )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "steps": steps,
            "recipients": recipients if see_all_receipts else mine,
            "see_all_receipts": see_all_receipts,
            "pending_receipts": sum(1 for r in recipients if r.acknowledged_at is None),
            "paragraphs": parse_body(document.paragraphs()),
            "attachments": document.attachments.all(),
            "revisions": selectors.revisions_for_user(user, document).only(
                "id", "title", "reference", "state"
            ),
            "actions": actions,
            "deputies": deputies,
            "expected_signer": expected_signers(document),
            "signing_configured": signing_configured(),
            "attachment_form": AttachmentForm(),
            "source": _source_of(user, document),
            "code": format_code(document.verification_code) if document.verification_code else "",
        },
    )


@any_role_required
def document_history(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    records = document.history.select_related("history_user__person")
    return history_page(request, document, records)


# Workflow steps ----------------------------------------------------------------------


def _step(
    act: Callable[[HttpRequest, Document, User], Any], success: str | Promise
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only view for one workflow step: find the document (404 when the user may
    not see it), call the service, show its success or its refusal as a message, and go
    back to the document (or to the new one the step made)."""

    @require_POST
    @any_role_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        document = selectors.get_document_for_user(user, pk)
        try:
            result = act(request, document, user)
        except DocumentError as error:
            _refused(request, error)
            return redirect(document)
        messages.success(request, str(success))
        if isinstance(result, Document) and result.pk != document.pk:
            return redirect(result)
        return redirect(document)

    return view


def _posted_text(request: HttpRequest, name: str) -> str:
    """A step's comment, opinion or note as typed: line breaks and tabs are welcome, other
    control characters are refused in words (PostgreSQL cannot store a NUL at all)."""
    text = str(request.POST.get(name, ""))
    if has_control_characters(text, multiline=True):
        raise DocumentError(str(MULTILINE_CONTROL_MESSAGE))
    return text


def _delegate(request: HttpRequest, document: Document, user: User) -> Document:
    raw = request.POST.get("to", "")
    valid = raw.isascii() and raw.isdigit() and len(raw) <= 18  # a bigint
    to = User.objects.filter(pk=int(raw)).first() if valid else None
    if to is None:
        raise DocumentError(_("请选择受托签发的副组长。"))
    return services.document_delegate(
        document=document, by=user, to=to, note=_posted_text(request, "note")
    )


document_submit = _step(
    lambda request, d, u: services.document_submit(document=d, by=u),
    gettext_lazy("已报审。"),
)
document_pass = _step(
    lambda request, d, u: services.document_pass(
        document=d, by=u, comment=_posted_text(request, "comment")
    ),
    gettext_lazy("审核通过，已送签发。"),
)
document_return = _step(
    lambda request, d, u: services.document_return(
        document=d, by=u, comment=_posted_text(request, "comment")
    ),
    gettext_lazy("已退回拟稿人修改。"),
)
document_delegate = _step(_delegate, gettext_lazy("已委托副组长签发。"))
document_delegation_revoke = _step(
    lambda request, d, u: services.document_delegation_revoke(
        document=d, by=u, note=_posted_text(request, "note")
    ),
    gettext_lazy("已撤销委托，本文件由您签发。"),
)
document_sign = _step(
    lambda request, d, u: services.document_sign(
        document=d, by=u, opinion=_posted_text(request, "opinion")
    ),
    gettext_lazy("已签发。办公室将编号印发。"),
)
document_acknowledge = _step(
    lambda request, d, u: services.document_acknowledge(document=d, by=u),
    gettext_lazy("已签收。"),
)
document_revise = _step(
    lambda request, d, u: services.document_revise(document=d, by=u),
    gettext_lazy("已起草更正稿，原文件保持不变。"),
)


@require_http_methods(["GET", "POST"])
@role_required(Role.OFFICE)
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_document_for_user(user, pk)
    try:
        WORKFLOW.check(document, "issue", by=user)
    except DocumentError as error:
        _refused(request, error)
        return redirect(document)
    form = IssueForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.document_issue(
                document=document,
                by=user,
                recipient_units=form.cleaned_data["recipient_units"],
                recipient_people=form.cleaned_data["recipient_people"],
            )
        except DocumentError as error:
            _refused(request, error)
            return redirect(document)
        messages.success(
            request,
            _("已印发，文号 %(ref)s，已分发 %(n)d 个单位和人员。")
            % {"ref": issued.reference, "n": issued.recipients.count()},
        )
        return redirect(issued)
    return render(
        request,
        "documents/issue.html",
        {"form": form, "document": document, "signing_configured": signing_configured()},
    )


# Files -------------------------------------------------------------------------------


@require_POST
@any_role_required
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_document_for_user(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(document)
    try:
        attachment = services.document_attach(
            document=document, by=user, file=form.cleaned_data["file"]
        )
    except DocumentError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已上传附件“%(name)s”。") % {"name": attachment.name})
    return redirect(document)


@require_POST
@any_role_required
def document_detach(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_document_for_user(user, pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    try:
        services.document_detach(attachment=attachment, by=user)
    except DocumentError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.name})
    return redirect(document)


@any_role_required
def document_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    document = selectors.get_document_for_user(request.user, pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    return attachment_response(attachment.file, filename=attachment.name)


@any_role_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = selectors.get_document_for_user(request.user, pk)
    if document.is_issued and document.pdf:
        name = f"{document.reference} {document.title}.pdf"
        return attachment_response(document.pdf, filename=name)
    preview = ContentFile(services.document_pdf(document), name="preview.pdf")
    return attachment_response(preview, filename=f"草稿 {document.title}.pdf")


# Public verification -----------------------------------------------------------------


def _normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:12]


def _verify_limit(request: HttpRequest) -> int:
    return int(settings.VERIFY_LIMIT_PER_MINUTE)


def _upload_limit(request: HttpRequest) -> int:
    return int(settings.VERIFY_UPLOADS_PER_MINUTE) if request.method == "POST" else 0


@require_GET
@limited("verify", _verify_limit)
def document_verify_lookup(request: HttpRequest) -> HttpResponse:
    """The form to type a printed verification code (no login)."""
    raw = request.GET.get("code", "")
    if raw:
        code = _normalise_code(raw)
        if len(code) == 12:
            return redirect("document_verify", code=code)
        messages.error(request, _("核验码应为12位字母和数字，如 ABCD-EFGH-JKMN。"))
    return render(request, "documents/verify.html", {"document": None, "raw": raw})


@require_http_methods(["GET", "POST"])
@limited("verify", _verify_limit)
@limited("verify-upload", _upload_limit)
def document_verify(request: HttpRequest, code: str) -> HttpResponse:
    """What a printed or forwarded copy is checked against: number, title, issuing body,
    signer, dates and the SHA-256 of the official file. Nothing else."""
    code = _normalise_code(code)
    document = (
        Document.objects.filter(state=Document.State.ISSUED, verification_code=code)
        .select_related("series", "signer__person", "delegate__person")
        .only(
            "id",
            "title",
            "reference",
            "importance",
            "signed_at",
            "issued_at",
            "pdf_sha256",
            "pdf_signed",
            "verification_code",
            "state",
            "series__signing_unit",
            "signer__username",
            "signer__first_name",
            "signer__last_name",
            "signer__person__name",
            "delegate__username",
            "delegate__first_name",
            "delegate__last_name",
            "delegate__person__name",
            "supersedes",
        )
        .first()
    )
    if document is None:
        raise Http404(_("核验码不存在：没有与之对应的正式文件。"))
    check: bool | None = None
    signature: paper.SignatureCheck | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > VERIFY_MAX_BYTES:
            messages.error(request, _("请选择不超过50 MB的PDF文件。"))
        else:
            digest = hashlib.sha256()
            content = b"".join(upload.chunks())
            digest.update(content)
            check = digest.hexdigest() == document.pdf_sha256
            signature = paper.check_signature(content)
    corrected_by = (
        Document.objects.filter(supersedes_id=document.pk, state=Document.State.ISSUED)
        .values_list("reference", flat=True)
        .first()
    )
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "code": format_code(code),
            "check": check,
            "signature": signature,
            "corrected_by": corrected_by,
        },
    )


# Series ------------------------------------------------------------------------------


@role_required(Role.OFFICE)
def document_series_list(request: HttpRequest) -> HttpResponse:
    series = series_filter_for(request.user, request.GET)
    return render(
        request,
        "documents/series_list.html",
        {"series": series, "query": request.GET.urlencode()},
    )


@role_required(Role.OFFICE)
def document_series_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The series as Excel, each with this year's count and last number."""
    return exports.export_answer(request, "document_series")


@role_required(Role.OFFICE)
def document_series_update(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(DocumentSeries, pk=pk)
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(
                series=series,
                by=_user(request),
                fields={name: form.cleaned_data[name] for name in form.changed_data},
            )
        except DocumentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存“%(name)s”的设置。") % {"name": series.name})
            return redirect("document_series_list")
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "title": _("设置发文字号：%(name)s") % {"name": series.name},
            "cancel_url": reverse("document_series_list"),
        },
    )

"""The document pages' part of the access matrix (tests/test_access_matrix.py): one
issued document distributed to branch B, with an attachment."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.documents import services
from portal.documents.models import Document, DocumentSeries, DocumentStep
from portal.models import Unit, User

TITLE = "访问矩阵用的通知"


def _document(unit: Unit) -> Document:
    existing = Document.objects.filter(title=TITLE).first()
    if existing is not None:
        return existing
    office = User.objects.get(username="office")
    document = services.document_create(
        kind="notice", title=TITLE, body="正文。", drafter=office, recipient_units=[unit]
    )
    services.document_attach(
        document=document, by=office, file=SimpleUploadedFile("附件.txt", "附件内容".encode())
    )
    services.document_submit(document=document, by=office)
    services.document_sign(document=document, by=User.objects.get(username="incharge"))
    return services.document_issue(document=document, by=office)


def document_url(name: str, unit: Unit) -> str:
    if name in {"document_list", "document_create", "document_verify_lookup"}:
        return reverse(name)
    if name == "document_series_list":
        return reverse(name)
    if name == "document_series_update":
        return reverse(name, args=[DocumentSeries.objects.get(key="ufw-office").pk])
    document = _document(unit)
    if name == "document_verify":
        return reverse(name, args=[document.verification_code])
    if name in {"document_attachment", "document_detach"}:
        return reverse(name, args=[document.pk, document.attachments.get().pk])
    return reverse(name, args=[document.pk])


def document_counts() -> list[int]:
    """Row counts for the matrix's fingerprint: a forbidden POST changes none."""
    return [
        Document.objects.count(),
        Document.history.count(),
        DocumentStep.objects.count(),
        DocumentSeries.history.count(),
    ]


Outcomes = dict[str, int | str]

_VISIBLE: Outcomes = {
    "anon": "login",
    "outsider": 403,
    "office": 200,
    "leader": 200,
    "member": 404,  # not a recipient
    "commissioner_a": 404,  # another branch
    "commissioner_b": 200,  # a recipient
}
_POST_ONLY: Outcomes = dict.fromkeys(_VISIBLE, 405)
_EVERYONE: Outcomes = dict.fromkeys(_VISIBLE, 200)
_OFFICE: Outcomes = {**dict.fromkeys(_VISIBLE, 403), "anon": "login", "office": 200}
_DRAFTERS: Outcomes = {**_OFFICE, "commissioner_a": 200, "commissioner_b": 200}

EXPECTED: dict[str, Outcomes] = {
    "document_list": {**_EVERYONE, "anon": "login", "outsider": 403},
    "document_create": _DRAFTERS,
    "document_detail": _VISIBLE,
    "document_history": _VISIBLE,
    "document_pdf": _VISIBLE,
    "document_attachment": _VISIBLE,
    # An issued text cannot be edited or issued again: back to its page with a message.
    "document_update": {**_DRAFTERS, "office": 302, "commissioner_a": 404, "commissioner_b": 302},
    "document_issue": {**_OFFICE, "office": 302},
    "document_submit": _POST_ONLY,
    "document_pass": _POST_ONLY,
    "document_return": _POST_ONLY,
    "document_delegate": _POST_ONLY,
    "document_sign": _POST_ONLY,
    "document_acknowledge": _POST_ONLY,
    "document_revise": _POST_ONLY,
    "document_attach": _POST_ONLY,
    "document_detach": _POST_ONLY,
    "document_verify_lookup": _EVERYONE,  # public: a printed copy is checked without login
    "document_verify": _EVERYONE,
    "document_series_list": _OFFICE,
    "document_series_update": _OFFICE,
}

PAYLOADS: dict[str, dict[str, object]] = {
    "document_create": {"kind": "notice", "title": "越权起草", "body": "正文"},
    "document_series_update": {
        "name": "越权",
        "prefix": "越权",
        "header": "越权",
        "signing_unit": "越权",
        "printed_by": "越权",
    },
}

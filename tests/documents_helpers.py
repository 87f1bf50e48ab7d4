"""Helpers for the document tests: documents in each state, built through the services
the pages use."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.documents import registry, services
from portal.documents.models import Document, DocumentStep
from portal.models import Person, Unit, User
from tests.conftest import Org

TITLE = "关于做好2026年度党外代表人士谈心谈话工作的通知"
BODY = """根据学院统一战线工作领导小组工作安排，现就做好2026年度谈心谈话工作通知如下。

一、工作要求

（一）明确对象。领导小组成员每年与重点联系的党外代表人士谈心谈话1次以上。

（二）丰富形式。可采取“一对一”个别谈心，也可举行小范围集体谈心。

二、报送材料

请各党总支于6月30日前将谈心谈话情况报送领导小组办公室。"""


def signer_for(org: Org, kind: str) -> User:
    important = registry.get_kind(kind).importance == registry.Importance.IMPORTANT
    return org.leader if important else org.in_charge


def draft(
    org: Org,
    *,
    kind: str = "notice",
    by: User | None = None,
    title: str = TITLE,
    body: str = BODY,
    units: Iterable[Unit] = (),
    people: Iterable[Person] = (),
    **extra: str,
) -> Document:
    return services.document_create(
        kind=kind,
        title=title,
        body=body,
        by=by or org.office,
        addressee=extra.get("addressee", "各党总支，各部门"),
        cc=extra.get("cc", "学院党委"),
        recipient_units=units,
        recipient_people=people,
    )


def awaiting(org: Org, **kwargs) -> Document:
    document = draft(org, **kwargs)
    return services.document_submit(document=document, by=document.drafter)


def signed(org: Org, **kwargs) -> Document:
    document = awaiting(org, **kwargs)
    return services.document_sign(document=document, by=signer_for(org, document.kind))


def issued(org: Org, **kwargs) -> Document:
    document = signed(org, **kwargs)
    return services.document_issue(document=document, by=org.office)


def snapshot(document: Document) -> tuple:
    """What a refused step must leave as it was."""
    fresh = Document.objects.get(pk=document.pk)
    return (
        fresh.state,
        fresh.title,
        fresh.body,
        fresh.signer_id,
        fresh.delegate_id,
        fresh.number,
        DocumentStep.objects.filter(document=fresh).count(),
        fresh.history.count(),
        Document.objects.count(),
        list(fresh.recipients.values_list("acknowledged_at", flat=True)),
    )


# The part that makes a zip archive an Office file, by extension.
_OOXML_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def sample_file(name: str, text: str = "附件内容") -> SimpleUploadedFile:
    """An upload whose content is what its extension says (the validator reads it)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _OOXML_PARTS:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(_OOXML_PARTS[suffix], f"<t>{text}</t>")
        content = buffer.getvalue()
    elif suffix == ".pdf":
        content = b"%PDF-1.7\n%" + text.encode() + b"\n%%EOF\n"
    else:
        content = text.encode()
    return SimpleUploadedFile(name, content)

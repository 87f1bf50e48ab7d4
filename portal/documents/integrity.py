"""Is every issued document still whole? Run after a restore (`portal.backup.verify`):
each issued document has its verification code, and its official PDF is in the media
folder with the SHA-256 it was issued with."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from portal.documents.models import Document


def issued_documents_whole() -> tuple[list[str], str]:
    problems: list[str] = []
    issued = Document.objects.filter(state=Document.State.ISSUED).only(
        "pk", "title", "pdf", "pdf_sha256", "verification_code", "series", "year", "number"
    )
    count = 0
    for document in issued.iterator():
        count += 1
        name = str(document.pk)
        if not document.verification_code:
            problems.append(_("公文 %(name)s 缺少核验码") % {"name": name})
        if not document.pdf or not document.pdf.storage.exists(document.pdf.name):
            problems.append(_("公文 %(name)s 的正式文件 PDF 缺失") % {"name": name})
            continue
        digest = hashlib.sha256()
        with document.pdf.open("rb") as pdf:
            for chunk in pdf.chunks():
                digest.update(chunk)
        if digest.hexdigest() != document.pdf_sha256:
            problems.append(_("公文 %(name)s 的 PDF 与印发时的 SHA-256 不一致") % {"name": name})
    return problems, _("已印发公文 %(count)d 份：正式文件 PDF、SHA-256 与核验码完好") % {
        "count": count
    }

"""Writes of the document workflow. Each service is keyword-only, runs in one
transaction, takes keyword-only `by` (the acting user), locks the document row before
it checks the declared transition (`portal.documents.transitions.WORKFLOW`: so two
signers or a double click yield one step and one clear message), validates with
`full_clean()`, and refuses an illegal step with a `DocumentError` (a `Refused`, so a
`ValidationError`; `DocumentForbidden` for a user who may never take it) that changes
nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.documents import notices
from portal.documents import pdf as paper
from portal.documents.models import (
    Document,
    DocumentAttachment,
    DocumentBacked,
    DocumentRecipient,
    DocumentSeries,
    DocumentStep,
)
from portal.documents.permissions import acknowledgeable, is_deputy
from portal.documents.registry import RegistryError, composer, get_kind, series_specs
from portal.documents.signals import (
    document_acknowledged,
    document_issued,
    document_state_changed,
)
from portal.documents.transitions import (
    WORKFLOW,
    DocumentError,
    DocumentForbidden,
    check_create,
)
from portal.models import Person, Unit, User
from portal.permissions import is_office
from portal.uploads import storing_files

State = Document.State
Action = DocumentStep.Action

EDITABLE_FIELDS = frozenset({"title", "body", "addressee", "cc"})
DEFAULT_OPINION = "同意"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


# Helpers -----------------------------------------------------------------------------


def _lock(document: Document) -> Document:
    """The document's row, locked until the transaction ends, as it is now."""
    return Document.objects.select_for_update().get(pk=document.pk)


def _save(document: Document, by: User, fields: list[str]) -> None:
    document._history_user = by  # type: ignore[attr-defined]  # simple-history's hook
    try:
        document.full_clean()
    except ValidationError as error:
        raise DocumentError(_validation_message(error)) from None
    document.save(update_fields=[*fields, "updated_at"])


def _validation_message(error: ValidationError, model: type[Model] = Document) -> str:
    """“标题：此字段不能为空。” — the field's label, then Django's message."""
    if not hasattr(error, "message_dict"):
        return "；".join(error.messages)
    parts = []
    for field, messages in error.message_dict.items():
        try:
            label = str(getattr(model._meta.get_field(field), "verbose_name", ""))
        except Exception:  # noqa: BLE001 - NON_FIELD_ERRORS and the like
            label = ""
        parts += [f"{label}：{message}" if label else message for message in messages]
    return "；".join(parts)


def _step(document: Document, action: str, by: User, note: str = "") -> DocumentStep:
    step = DocumentStep(
        document=document, action=action, actor=by, note=note, state_after=document.state
    )
    step.full_clean()
    step.save()
    return step


def _announce(document: Document, old_state: str, action: str, by: User) -> None:
    def send() -> None:
        document_state_changed.send(
            sender=Document,
            document=document,
            old_state=old_state,
            new_state=document.state,
            action=action,
            actor=by,
        )
        if action == Action.ISSUE:
            document_issued.send(sender=Document, document=document)

    transaction.on_commit(send)


def _transition(
    locked: Document,
    *,
    by: User,
    new_state: str,
    action: str,
    note: str = "",
    fields: dict[str, Any] | None = None,
) -> Document:
    old_state = locked.state
    fields = fields or {}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.state = new_state
    _save(locked, by, ["state", *fields])
    _step(locked, action, by, note)
    _announce(locked, old_state, action, by)
    return locked


def _refresh(document: Document, locked: Document) -> Document:
    """Bring the caller's instance up to date, and return the fresh one."""
    if document is not locked:
        document.refresh_from_db()
    return locked


def _set_recipients(
    document: Document, units: Iterable[Unit] | None, people: Iterable[Person] | None
) -> None:
    if units is not None:
        wanted = {unit.pk for unit in units}
        document.recipients.filter(unit__isnull=False).exclude(unit_id__in=wanted).delete()
        have = set(document.recipients.filter(unit__isnull=False).values_list("unit_id", flat=True))
        DocumentRecipient.objects.bulk_create(
            DocumentRecipient(document=document, unit_id=pk) for pk in sorted(wanted - have)
        )
    if people is not None:
        wanted = {person.pk for person in people}
        document.recipients.filter(person__isnull=False).exclude(person_id__in=wanted).delete()
        have = set(
            document.recipients.filter(person__isnull=False).values_list("person_id", flat=True)
        )
        DocumentRecipient.objects.bulk_create(
            DocumentRecipient(document=document, person_id=pk) for pk in sorted(wanted - have)
        )


# Drafting ----------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    kind: str,
    title: str,
    body: str,
    by: User,
    addressee: str = "",
    cc: str = "",
    about: Model | None = None,
    recipient_units: Iterable[Unit] = (),
    recipient_people: Iterable[Person] = (),
) -> Document:
    """A new draft. The drafting unit is the drafter's; the importance (and so the
    signer) is the kind's."""
    check_create(by)
    try:
        spec = get_kind(kind)
    except RegistryError:
        raise DocumentError(_("未知的文种：%(kind)s。") % {"kind": kind}) from None
    if spec.may_draft is not None and not spec.may_draft(by):
        raise DocumentForbidden(_("您不能起草%(kind)s。") % {"kind": spec.label})
    assert by.person is not None  # checked by check_create
    document = Document(
        kind=kind,
        importance=spec.importance,
        title=title.strip(),
        body=body.strip(),
        addressee=addressee.strip(),
        cc=cc.strip(),
        drafting_unit_id=by.person.unit_id,
        drafter=by,
        by_office=is_office(by),
    )
    if about is not None:
        document.about = about
    document._history_user = by  # type: ignore[attr-defined]
    try:
        document.full_clean()
    except ValidationError as error:
        raise DocumentError(_validation_message(error)) from None
    document.save()
    _set_recipients(document, recipient_units, recipient_people)
    _step(document, Action.CREATE, by)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    by: User,
    fields: dict[str, Any],
    recipient_units: Iterable[Unit] | None = None,
    recipient_people: Iterable[Person] | None = None,
) -> Document:
    """Change the text of a draft (or, for the reviewing office, of a document in
    review). Every change is kept in the document's history."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    locked = _lock(document)
    WORKFLOW.check(locked, "update", by=by)
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if fields:
        _save(locked, by, list(fields))
    _set_recipients(locked, recipient_units, recipient_people)
    return _refresh(document, locked)


@storing_files(raises=DocumentError)
def document_attach(*, document: Document, by: User, file: UploadedFile) -> DocumentAttachment:
    """Attach a file to a draft. Its size, kind and content are checked
    (`portal.uploads.UploadValidator` on the field) before anything is stored."""
    locked = _lock(document)
    WORKFLOW.check(locked, "attach", by=by)
    name = PurePosixPath(file.name or "").name
    attachment = DocumentAttachment(
        document=locked, file=file, name=name[:200], size=file.size or 0, uploaded_by=by
    )
    try:
        attachment.full_clean()
    except ValidationError as error:
        raise DocumentError(_validation_message(error, DocumentAttachment)) from None
    attachment.save()  # stores the file under a random name
    return attachment


@transaction.atomic
def document_detach(*, attachment: DocumentAttachment, by: User) -> None:
    locked = _lock(attachment.document)
    WORKFLOW.check(locked, "attach", by=by)
    attachment.delete()
    stored = attachment.file.name
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


# The workflow ------------------------------------------------------------------------


@transaction.atomic
def document_submit(*, document: Document, by: User, now: dt.datetime | None = None) -> Document:
    """报审. A unit's draft goes to the office for review; the office's own draft has
    been reviewed by the office and goes to the signer. `now`: when (the first
    submission's time is kept)."""
    locked = _lock(document)
    fields: dict[str, Any] = {}
    compose = composer(locked)
    if compose is not None and locked.state in Document.EDITABLE_STATES:
        # The text comes from the app's record as it stands now (work points, minutes).
        title, body = compose(locked)
        locked.title, locked.body = title.strip(), body.strip()
        fields |= {"title": locked.title, "body": locked.body}
    WORKFLOW.check(locked, "submit", by=by)
    new_state = State.AWAITING_SIGNATURE if locked.by_office else State.IN_REVIEW
    if locked.submitted_at is None:
        fields["submitted_at"] = now or timezone.now()
    _transition(locked, by=by, new_state=new_state, action=Action.SUBMIT, fields=fields)
    return _refresh(document, locked)


@transaction.atomic
def document_pass(*, document: Document, by: User, comment: str = "") -> Document:
    """审核通过: the office passes a unit's draft on to the signer."""
    locked = _lock(document)
    step = WORKFLOW.check(locked, "pass", by=by)
    assert step.target is not None
    _transition(
        locked,
        by=by,
        new_state=step.target,
        action=Action.PASS,
        note=comment.strip(),
    )
    return _refresh(document, locked)


@transaction.atomic
def document_return(*, document: Document, by: User, comment: str) -> Document:
    """退回修改, with the reviewer's or signer's comments."""
    comment = comment.strip()
    locked = _lock(document)
    step = WORKFLOW.check(locked, "return", by=by)
    if not comment:
        raise DocumentError(_("请填写退回意见，说明需要修改的地方。"))
    assert step.target is not None
    _transition(locked, by=by, new_state=step.target, action=Action.RETURN, note=comment)
    return _refresh(document, locked)


@transaction.atomic
def document_delegate(*, document: Document, by: User, to: User, note: str = "") -> Document:
    """The group leader has a deputy sign this one important document. Recorded."""
    locked = _lock(document)
    WORKFLOW.check(locked, "delegate", by=by)
    if not is_deputy(to):
        raise DocumentError(_("只能委托副组长签发。"))
    old_state = locked.state
    locked.delegate = to
    _save(locked, by, ["delegate"])
    text = _("委托副组长%(name)s签发") % {"name": to.display_name}
    _step(locked, Action.DELEGATE, by, f"{text}。{note.strip()}" if note.strip() else text)
    _announce(locked, old_state, Action.DELEGATE, by)
    return _refresh(document, locked)


@transaction.atomic
def document_delegation_revoke(*, document: Document, by: User, note: str = "") -> Document:
    """The group leader takes back a delegation before the deputy has signed: the
    document is the group leader's to sign again. Recorded on the timeline; once
    signed, the delegation was used and stays."""
    locked = _lock(document)
    WORKFLOW.check(locked, "revoke_delegation", by=by)
    old_state = locked.state
    deputy = locked.delegate
    locked.delegate = None
    _save(locked, by, ["delegate"])
    text = _("撤销对副组长%(name)s的委托，由组长签发") % {
        "name": deputy.display_name if deputy else ""
    }
    _step(
        locked,
        Action.REVOKE_DELEGATION,
        by,
        f"{text}。{note.strip()}" if note.strip() else text,
    )
    if deputy is not None:
        notices.delegation_revoked_queue(document=locked, deputy=deputy, by=by)
    _announce(locked, old_state, Action.REVOKE_DELEGATION, by)
    return _refresh(document, locked)


@transaction.atomic
def document_sign(*, document: Document, by: User, opinion: str = DEFAULT_OPINION) -> Document:
    """签发, with the signer's opinion (签批意见, “同意” by default). Signs once: a
    second signer, or the same click twice, is told who signed."""
    locked = _lock(document)
    step = WORKFLOW.check(locked, "sign", by=by)
    assert step.target is not None
    opinion = opinion.strip() or DEFAULT_OPINION
    _transition(
        locked,
        by=by,
        new_state=step.target,
        action=Action.SIGN,
        note=opinion,
        fields={"signer": by, "signed_at": timezone.now(), "sign_opinion": opinion},
    )
    return _refresh(document, locked)


def _series_for(document: Document) -> DocumentSeries:
    """The kind's series, locked: issuing in one series and year is serialised, so
    numbers are gapless and unique."""
    key = get_kind(document.kind).series
    if not DocumentSeries.objects.filter(key=key).exists():
        series_ensure(keys={key})
    try:
        return DocumentSeries.objects.select_for_update().get(key=key)
    except DocumentSeries.DoesNotExist:
        raise DocumentError(
            _("发文字号系列“%(key)s”尚未设置，请联系办公室。") % {"key": key}
        ) from None


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        if not Document.objects.filter(verification_code=code).exists():
            return code


@storing_files(raises=DocumentError)
def document_issue(
    *,
    document: Document,
    by: User,
    recipient_units: Iterable[Unit] | None = None,
    recipient_people: Iterable[Person] | None = None,
) -> Document:
    """印发: number the signed document in its series and year, render and store the
    official PDF (signed when a certificate is configured), distribute it."""
    locked = _lock(document)
    step = WORKFLOW.check(locked, "issue", by=by)
    assert step.target is not None
    _set_recipients(locked, recipient_units, recipient_people)
    series = _series_for(locked)
    now = timezone.now()
    year = timezone.localdate(now).year
    last = Document.objects.filter(series=series, year=year).aggregate(n=Max("number"))["n"]
    number = (last or 0) + 1
    fields: dict[str, Any] = {
        "series": series,
        "year": year,
        "number": number,
        "reference": series.format_number(year, number),
        "issued_at": now,
        "issued_by": by,
        "verification_code": _new_code(),
        "pdf_signed": paper.signing_configured(),
    }
    old_state = locked.state
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.state = step.target
    if locked.pdf_signed:
        content, seal = paper.html_to_pdf_locating(paper.document_html(locked), "seal")
        signed = paper.sign_pdf(
            content, reason=_("签发印发"), location=series.signing_unit, seal=seal
        )
        assert signed is not None
        content = signed
    else:
        content = document_pdf(locked)
    locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
    # A full disk or an unwritable folder is a DocumentError (`storing_files`): the
    # transaction rolls back, the document stays signed and the number is not used;
    # a failure after the file is stored removes the file.
    locked.pdf.save(f"{locked.reference}.pdf", ContentFile(content), save=False)
    _save(locked, by, ["state", "pdf", "pdf_sha256", *fields])
    _step(locked, Action.ISSUE, by, locked.reference)
    _announce(locked, old_state, Action.ISSUE, by)
    return _refresh(document, locked)


@transaction.atomic
def document_acknowledge(*, document: Document, by: User) -> list[DocumentRecipient]:
    """签收: the user acknowledges receipt for themself and for their unit."""
    locked = _lock(document)
    recipients = list(DocumentRecipient.objects.select_for_update().filter(document=locked))
    WORKFLOW.check(locked, "acknowledge", by=by)
    open_ = [r for r in acknowledgeable(by, recipients) if r.acknowledged_at is None]
    now = timezone.now()
    for recipient in open_:
        recipient.acknowledged_at = now
        recipient.acknowledged_by = by
        recipient.full_clean()
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _step(locked, Action.ACKNOWLEDGE, by, "、".join(str(r) for r in open_))
    transaction.on_commit(
        lambda: document_acknowledged.send(
            sender=Document, document=locked, recipients=open_, actor=by
        )
    )
    return open_


@transaction.atomic
def document_revise(*, document: Document, by: User) -> Document:
    """A correction of an issued document: a new draft that references it. The issued
    one stays as it was."""
    locked = _lock(document)
    WORKFLOW.check(locked, "revise", by=by)
    if locked.revisions.exclude(state=State.ISSUED).exists():
        raise DocumentError(_("该文件已有更正稿正在办理，请在更正稿上继续修改。"))
    revision = Document(
        kind=locked.kind,
        importance=locked.importance,
        title=locked.title,
        body=locked.body,
        addressee=locked.addressee,
        cc=locked.cc,
        drafting_unit_id=by.person.unit_id if by.person else locked.drafting_unit_id,
        drafter=by,
        by_office=True,
        content_type_id=locked.content_type_id,
        object_id=locked.object_id,
        supersedes=locked,
    )
    revision._history_user = by  # type: ignore[attr-defined]
    revision.full_clean()
    revision.save()
    recipients = list(locked.recipients.all())
    _set_recipients(
        revision,
        [r.unit for r in recipients if r.unit is not None],
        [r.person for r in recipients if r.person is not None],
    )
    _step(revision, Action.REVISE, by, _("更正%(ref)s") % {"ref": locked.reference})
    return revision


# Records issued through a document (`DocumentBacked`) ---------------------------------


@transaction.atomic
def document_backed_submit(
    *,
    record: DocumentBacked,
    kind: str,
    by: User,
    title: str,
    body: str,
    addressee: str = "",
    cc: str = "",
    recipient_units: Iterable[Unit] = (),
    recipient_people: Iterable[Person] = (),
    now: dt.datetime | None = None,
) -> Document:
    """提交审核 of an app's record through the documents workflow (the work points, the
    annual report, the minutes): the first time, a document of `kind` about the record
    is drafted (`title`, `body`, `addressee`, `cc`, the recipients) and linked to the
    record; after a return the same document goes again. Either way it is submitted
    now, with its text composed afresh from the record (the kind's `compose`).

    The record's row is locked first, so a double click submits once. The app checks
    its own rules before (the record is complete, not already submitted); this service
    refuses what the documents workflow refuses (who may draft the kind, who may
    submit, the document's state) with a `DocumentError`, and nothing has changed."""
    model = type(record)
    locked = model._default_manager.select_for_update().get(pk=record.pk)
    document = locked.document
    if document is None:
        document = document_create(
            kind=kind,
            title=title,
            body=body,
            by=by,
            addressee=addressee,
            cc=cc,
            about=locked,
            recipient_units=recipient_units,
            recipient_people=recipient_people,
        )
        locked.document = document
        locked._history_user = by  # type: ignore[attr-defined]
        locked.full_clean()
        locked.save(update_fields=["document"])
    document = document_submit(document=document, by=by, now=now)
    record.document = document
    return document


def document_backed_issued(*, document: Document) -> DocumentBacked | None:
    """What an issued document means for the record it is about, the same for every
    kind: the record is linked to it (a correction replaces the original) and the
    kind's ``issued`` is called with the issue time (`document.issued_at`), e.g. to
    meet the record's deadline. Called on commit of `document_issue` (the
    ``document_issued`` signal) and by the demos; harmless twice."""
    if not document.is_issued or document.content_type_id is None:
        return None
    try:
        spec = get_kind(document.kind)
    except RegistryError:  # a kind no longer registered
        return None
    record = document.about
    if not isinstance(record, DocumentBacked):
        return None
    at = document.issued_at or timezone.now()
    with transaction.atomic():
        if record.document_id != document.pk:
            type(record)._default_manager.filter(pk=record.pk).update(document=document)
            record.document = document
        if spec.issued is not None:
            spec.issued(record, document, at)
    return record


def on_document_issued(sender: object, document: Document, **kwargs: object) -> None:
    """The ``document_issued`` receiver (connected once, in `DocumentsConfig.ready`)."""
    document_backed_issued(document=document)


# The paper ---------------------------------------------------------------------------


def document_pdf(document: Document) -> bytes:
    """The document rendered as official paper, from its current data: the issued
    layout once issued, with a “草稿” watermark before. (The stored, possibly signed,
    PDF of an issued document is `document.pdf`; this renders afresh.)"""
    return paper.html_to_pdf(paper.document_html(document))


# Series ------------------------------------------------------------------------------


def series_ensure(*, keys: set[str] | None = None) -> None:
    """Create the registered series that have no row yet (never overwrites the
    office's settings)."""
    for spec in series_specs():
        if keys is not None and spec.key not in keys:
            continue
        try:
            with transaction.atomic():
                DocumentSeries.objects.get_or_create(
                    key=spec.key,
                    defaults={
                        "name": str(spec.name),
                        "prefix": spec.prefix,
                        "header": spec.header,
                        "signing_unit": spec.signing_unit,
                        "printed_by": spec.printed_by,
                    },
                )
        except IntegrityError:  # created at the same moment by another process
            continue


@transaction.atomic
def series_update(*, series: DocumentSeries, by: User, fields: dict[str, Any]) -> DocumentSeries:
    if not is_office(by):
        raise DocumentForbidden(_("只有办公室可以设置发文字号。"))
    for name, value in fields.items():
        setattr(series, name, value.strip() if isinstance(value, str) else value)
    series._history_user = by  # type: ignore[attr-defined]
    try:
        series.full_clean()
    except ValidationError as error:
        raise DocumentError(_validation_message(error, DocumentSeries)) from None
    series.save(update_fields=list(fields))
    return series

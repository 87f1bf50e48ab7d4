"""Reads of documents, scoped by user. One rule decides who sees a document:

- a draft (起草中, 退回修改): its drafters only (the drafter; all office staff for an
  office draft; the branch commissioners of the drafting unit for a unit's draft);
- once submitted: also its reviewers (the office) and, while it awaits signature, the
  leader who may sign it; anyone who acted on it keeps seeing it;
- issued: the office and the leaders; group members and commissioners when it was
  sent to them or their unit; commissioners also see their own unit's documents.

Another user asking for a document they may not see gets a 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from portal.documents.models import Document, DocumentRecipient, DocumentStep
from portal.documents.registry import Importance
from portal.models import Role, User
from portal.permissions import has_role, is_office, own_unit_ids

State = Document.State


def awaiting_signature_q(user: User | AnonymousUser) -> Q:
    """Documents waiting for this user's signature (the signer rule as a query)."""
    if not isinstance(user, User) or not has_role(user, Role.LEADER):
        return Q(pk__in=[])
    waiting = Q(state=State.AWAITING_SIGNATURE)
    mine = Q(importance=Importance.IMPORTANT, delegate=user)
    if user.leadership == User.Leadership.GROUP_LEADER:
        mine |= Q(importance=Importance.IMPORTANT)
    if user.leadership == User.Leadership.IN_CHARGE:
        mine |= Q(importance=Importance.GENERAL)
    return waiting & mine


def recipient_q(user: User | AnonymousUser, units: set[int] | None = None) -> Q:
    """Issued documents distributed to the user or to their unit."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    units = own_unit_ids(user) if units is None else units
    person_id = getattr(user, "person_id", None)
    to_me = Q(person_id=person_id) if person_id else Q(pk__in=[])
    received = DocumentRecipient.objects.filter(
        to_me | Q(unit_id__in=units), document=OuterRef("pk")
    )
    return Q(state=State.ISSUED) & Q(Exists(received))


def visible_q(user: User | AnonymousUser, units: set[int] | None = None) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    units = own_unit_ids(user) if units is None else units
    acted = DocumentStep.objects.filter(document=OuterRef("pk"), actor=user)
    q = Q(drafter=user) | Q(Exists(acted)) | recipient_q(user, units)
    if is_office(user):
        q |= Q(by_office=True) | Q(submitted_at__isnull=False)
    if has_role(user, Role.LEADER):
        q |= Q(state=State.ISSUED) | awaiting_signature_q(user)
    if has_role(user, Role.COMMISSIONER):
        q |= Q(drafting_unit_id__in=units, by_office=False)
    return q


def documents_for_user(
    user: User | AnonymousUser, units: set[int] | None = None
) -> QuerySet[Document]:
    return Document.objects.filter(visible_q(user, units))


def get_document_for_user(user: User | AnonymousUser, pk: int) -> Document:
    """The document with what its page shows, or 404 when the user may not see it."""
    try:
        return (
            documents_for_user(user)
            .select_related(
                "drafting_unit",
                "drafter__person",
                "signer__person",
                "delegate__person",
                "issued_by__person",
                "series",
                "supersedes",
            )
            .get(pk=pk)
        )
    except Document.DoesNotExist:
        raise Http404 from None


def todo_q(user: User | AnonymousUser, units: set[int] | None = None) -> Q:
    """What waits for this user: review and issue (office), signature (leaders), the
    drafts returned to them, receipts to acknowledge."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    units = own_unit_ids(user) if units is None else units
    q = awaiting_signature_q(user)
    if is_office(user):
        q |= Q(state__in=[State.IN_REVIEW, State.SIGNED])
    returned = Q(state=State.RETURNED)
    q |= returned & Q(drafter=user)
    if is_office(user):
        q |= returned & Q(by_office=True)
    if has_role(user, Role.COMMISSIONER):
        q |= returned & Q(drafting_unit_id__in=units, by_office=False)
    person_id = getattr(user, "person_id", None)
    to_me = Q(person_id=person_id) if person_id else Q(pk__in=[])
    unacknowledged = DocumentRecipient.objects.filter(
        to_me | Q(unit_id__in=units), document=OuterRef("pk"), acknowledged_at__isnull=True
    )
    q |= Q(state=State.ISSUED) & Q(Exists(unacknowledged))
    return q


def document_list_for_user(user: User | AnonymousUser, *, tab: str = "todo") -> QuerySet[Document]:
    """The list page's rows, in one query, with the drafting unit and the series. The
    receipt counts of the rows shown come from `with_receipt_counts(page)`."""
    units = own_unit_ids(user)  # the user's unit tree, read once
    documents = documents_for_user(user, units)
    if tab == "todo":
        documents = documents.filter(todo_q(user, units))
    elif tab == "mine":
        documents = documents.filter(drafter_id=user.pk)
    elif tab == "issued":
        documents = documents.filter(state=State.ISSUED)
    return documents.select_related("drafting_unit", "series").order_by("-updated_at", "-id")


def with_receipt_counts(documents: Iterable[Document]) -> list[Document]:
    """The documents of one page, each with `recipient_count` and `acknowledged_count`:
    one query over those documents' recipients, rather than a join of every listed
    document with its recipients before the page is cut."""
    page = list(documents)
    counts = {
        row["document"]: row
        for row in DocumentRecipient.objects.filter(document__in=[d.pk for d in page])
        .order_by()
        .values("document")
        .annotate(
            recipients=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        )
    }
    for document in page:
        row = counts.get(document.pk, {})
        document.recipient_count = row.get("recipients", 0)  # type: ignore[attr-defined]
        document.acknowledged_count = row.get("acknowledged", 0)  # type: ignore[attr-defined]
    return page


def revisions_for_user(user: User | AnonymousUser, document: Document) -> QuerySet[Document]:
    """Corrections of `document` the user may see (a correction still in draft is
    shown to its drafters only)."""
    return documents_for_user(user).filter(supersedes=document)


def documents_about(user: User | AnonymousUser, obj: Model) -> QuerySet[Document]:
    """The documents about `obj` (a Minutes row, a WorkPoints row, …) that `user` may
    see, newest first: what an app shows on its record's page."""
    return (
        documents_for_user(user)
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .order_by("-created_at", "-id")
    )

"""What the outreach app issues through the documents workflow: the briefing (工作简报)
of heart-to-heart talks, a general document the leader in charge of united-front work
signs, numbered in its own series (X统简〔2026〕N号). Its text is composed from the
talks on every submission. Registered by `OutreachConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.models import Role
from portal.permissions import has_role, is_office

COLLEGE = "中共××学院"
BRIEFING = "briefing"


def _compose(document: Document) -> tuple[str, str]:
    from outreach.services.pairs import briefing_compose

    return briefing_compose(document)


SERIES = [
    SeriesSpec(
        key=BRIEFING,
        name=_("工作简报"),
        prefix="X统简",
        header=f"{COLLEGE}统一战线工作\n简报",
        signing_unit=f"{COLLEGE}统一战线工作领导小组办公室",
        printed_by=f"{COLLEGE}统一战线工作领导小组办公室",
    )
]

KINDS = [
    DocumentKind(
        key=BRIEFING,
        label=_("工作简报"),
        importance=Importance.GENERAL,  # signed by the leader in charge of UFW
        series=BRIEFING,
        pdf_form="document",
        creatable=False,  # compiled from the talks, not from “起草公文”
        may_draft=is_office,
        compose=_compose,
        # The briefing's record page is the talks list: the office's and the leaders'.
        source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER),
    )
]

"""What the experience work issues through the documents workflow: the exchange booklet
or briefing (经验交流材料汇编 / 简报), a general document the leader in charge signs,
numbered in the office's series. Its text is composed from the briefing's experiences on
every submission. Registered by `ReportsConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.models import Role
from portal.permissions import has_role, is_office


def _compose(document: Document) -> tuple[str, str]:
    from reports.upward_services import briefing_compose

    return briefing_compose(document)


SERIES: list[SeriesSpec] = []  # the office's own series `ufw-office` (portal/documents/kinds.py)

KINDS = [
    DocumentKind(
        key="experience_briefing",
        label=_("经验交流材料"),
        importance=Importance.GENERAL,
        series="ufw-office",
        creatable=False,
        may_draft=is_office,
        compose=_compose,
        # The briefing's page: the office, the leaders and the group members.
        source_visible=lambda user: has_role(user, Role.OFFICE, Role.LEADER, Role.MEMBER),
    )
]

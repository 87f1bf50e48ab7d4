"""What the meetings app issues through the documents workflow: the minutes (会议纪要),
a general document the leader in charge of united-front work signs, printed in the
纪要 form and numbered in its own series (X统纪〔2026〕N号). Its text is composed from the
meeting on every submission. Registered by `MeetingsConfig.ready()`
(`register_kinds(KINDS, series=SERIES)`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.documents.registry import DocumentKind, Importance, SeriesSpec
from portal.permissions import is_office

COLLEGE = "中共××学院"


def _compose(document: Document) -> tuple[str, str]:
    from meetings.services import minutes_compose

    return minutes_compose(document)


def _attendance(document: Document) -> list[tuple[str, str]]:
    from meetings.services import minutes_attendance

    return minutes_attendance(document)


def _issued(minutes: Any, document: Document, at: dt.datetime) -> None:
    from meetings.services import minutes_issued

    minutes_issued(minutes, document, at)


SERIES = [
    SeriesSpec(
        key="minutes",
        name=_("会议纪要"),
        prefix="X统纪",
        header=f"{COLLEGE}统一战线工作领导小组\n会议纪要",
        signing_unit=f"{COLLEGE}统一战线工作领导小组办公室",
        printed_by=f"{COLLEGE}统一战线工作领导小组办公室",
    )
]

KINDS = [
    DocumentKind(
        key="minutes",
        label=_("会议纪要"),
        importance=Importance.GENERAL,  # signed by the leader in charge of UFW
        series="minutes",
        pdf_form="minutes",
        creatable=False,  # made from a meeting, not from “起草公文”
        may_draft=is_office,
        attendance=_attendance,
        compose=_compose,
        issued=_issued,
    )
]

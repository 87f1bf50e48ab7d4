"""The kinds of document the portal itself issues (the generic 新建公文 form's): notices
from the group's office and the group's policy documents. Declared like every app's
``<app>/documents.py`` and registered from `DocumentsConfig.ready()`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.documents.registry import DocumentKind, Importance, SeriesSpec

COLLEGE = "中共××学院"

SERIES = [
    SeriesSpec(
        key="ufw-office",
        name=_("领导小组办公室文件"),
        prefix="X统办",
        header=f"{COLLEGE}统一战线工作领导小组办公室文件",
        signing_unit=f"{COLLEGE}统一战线工作领导小组办公室",
        printed_by=f"{COLLEGE}统一战线工作领导小组办公室",
    ),
    SeriesSpec(
        key="ufw",
        name=_("领导小组文件"),
        prefix="X统",
        header=f"{COLLEGE}统一战线工作领导小组文件",
        signing_unit=f"{COLLEGE}统一战线工作领导小组",
        printed_by=f"{COLLEGE}统一战线工作领导小组办公室",
    ),
]

KINDS = [
    DocumentKind(key="notice", label=_("通知"), importance=Importance.GENERAL, series="ufw-office"),
    DocumentKind(key="policy", label=_("政策文件"), importance=Importance.IMPORTANT, series="ufw"),
]

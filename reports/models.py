"""Reports upward: the annual report (年度工作汇报) on a year's work, due before 15 January
of the following year, issued through the documents workflow (the group leader signs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.documents.models import DocumentBacked
from portal.lib.numerals import chinese_numeral

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class AnnualReport(DocumentBacked):
    """年度工作汇报 on `year`, drafted by the office in sections (一、二、…), issued as
    its document (`DocumentBacked`: its state is the document's)."""

    year = models.PositiveSmallIntegerField(_("汇报年度"), unique=True)
    title = models.CharField(_("标题"), max_length=100)
    addressee = models.CharField(
        _("主送"), max_length=200, blank=True, help_text=_("如“上级党委统战部”")
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_report",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        sections: RelatedManager[AnnualReportSection]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度工作汇报")
        verbose_name_plural = _("年度工作汇报")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annual_report_detail", args=[self.year])


class AnnualReportSection(models.Model):
    """一、二、…: a part of the report. `source` names the generator that filled it
    (`reports.sources`), so a second 从工作要点生成 replaces that section, not another."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("汇报")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    heading = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True, help_text=_("空一行分段。"))
    source = models.CharField(_("来源"), max_length=40, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = _("汇报部分")
        verbose_name_plural = _("汇报部分")
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_section_position")
        ]

    def __str__(self) -> str:
        return self.numbered_heading

    @property
    def numbered_heading(self) -> str:
        return f"{chinese_numeral(self.position)}、{self.heading}"

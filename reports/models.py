"""Reports upward: the annual report (年度工作汇报) on a year's work, due before 15 January
of the following year, issued through the documents workflow (the group leader signs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.documents.models import DocumentBacked
from portal.lib.numerals import chinese_numeral
from portal.models import choice_label
from portal.paths import detail_path
from portal.uploads import EVIDENCE, UploadPath, UploadValidator

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


# Experiences and information upward ---------------------------------------------------
# 000 §二(四) 信息编报 and §三(七) 经验交流制度: a unit's good practice (经验做法) goes to the
# office, which selects it, reports it upward and records its publication (the unit is
# then commended, 通报表扬); the office compiles selected ones into a booklet or
# briefing issued as a document; information (统战信息) is reviewed by the office, sent
# upward and adopted or not there. Workflows in `reports.upward_transitions`.


class Experience(models.Model):
    """经验做法: a unit's good practice, submitted to the office at any time."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("起草中")
        SUBMITTED = "submitted", _("待遴选")
        SELECTED = "selected", _("已入选")
        NOT_SELECTED = "not_selected", _("未入选")
        REPORTED = "reported", _("已报送上级")
        PUBLISHED = "published", _("获刊发")

    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"), help_text=_("空一行分段。"))
    attachment = models.FileField(
        _("附件"),
        upload_to=UploadPath("experiences"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送办公室时间"), null=True, blank=True)
    not_selected_reason = models.TextField(_("未入选原因"), blank=True)
    reported_on = models.DateField(_("报送上级日期"), null=True, blank=True)
    reported_to = models.CharField(_("报送单位"), max_length=200, blank=True)
    published_outlet = models.CharField(_("刊发载体"), max_length=200, blank=True)
    published_on = models.DateField(_("刊发日期"), null=True, blank=True)
    speech_meeting = models.CharField(_("交流发言会议"), max_length=200, blank=True)
    speech_on = models.DateField(_("交流发言日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("经验做法")
        verbose_name_plural = _("经验做法")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("experience_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Experience.State, self.state)


class Commendation(models.Model):
    """通报表扬: a unit commended because its experience was published upward."""

    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    experience = models.OneToOneField(
        Experience,
        verbose_name=_("经验做法"),
        on_delete=models.PROTECT,
        related_name="commendation",
    )
    commended_on = models.DateField(_("表扬日期"))
    text = models.CharField(_("表扬事由"), max_length=500)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-commended_on", "-id"]
        verbose_name = _("通报表扬")
        verbose_name_plural = _("通报表扬")

    def __str__(self) -> str:
        return self.text


class Briefing(DocumentBacked):
    """经验交流材料汇编 / 简报: selected experiences compiled in order by the office and
    issued through the documents workflow (kind ``experience_briefing``)."""

    title = models.CharField(_("标题"), max_length=100)
    addressee = models.CharField(_("主送"), max_length=200, blank=True)
    foreword = models.TextField(_("编者按"), blank=True, help_text=_("空一行分段。"))
    created_at = models.DateTimeField(_("编印时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("编印人"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefing",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        entries: RelatedManager[BriefingEntry]

    class Meta:
        ordering = ["-id"]
        verbose_name = _("经验交流材料")
        verbose_name_plural = _("经验交流材料")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("experience_briefing_detail", self.pk)


class BriefingEntry(models.Model):
    """One experience in a briefing, at `position` (1, 2, …)."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="entries", verbose_name=_("经验交流材料")
    )
    experience = models.ForeignKey(
        Experience, on_delete=models.PROTECT, related_name="+", verbose_name=_("经验做法")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["briefing", "position"]
        verbose_name = _("收录经验")
        verbose_name_plural = _("收录经验")
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "position"], name="briefing_entry_position"
            ),
            models.UniqueConstraint(fields=["briefing", "experience"], name="briefing_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.experience_id}"


class InformationReport(models.Model):
    """统战信息: drafted by a unit (or the office), reviewed by the office, sent upward
    (报送) and adopted (采用) or not by the upper level. `year` is the year it was first
    submitted to the office, the year it counts in."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("起草中")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("审核通过")
        SENT = "sent", _("已报送")
        ADOPTED = "adopted", _("已采用")
        NOT_ADOPTED = "not_adopted", _("未采用")

    class Level(models.TextChoices):
        NATIONAL = "national", _("中央")
        PROVINCIAL = "provincial", _("自治区（省）")
        CITY = "city", _("市")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("正文"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送办公室时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    sent_to = models.CharField(_("报送对象"), max_length=200, blank=True)
    adoption_level = models.CharField(
        _("采用层级"), max_length=12, choices=Level.choices, blank=True
    )
    adoption_outlet = models.CharField(_("采用载体"), max_length=200, blank=True)
    adopted_on = models.DateField(_("采用日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["year", "unit"])]  # the summary's counts
        verbose_name = _("统战信息")
        verbose_name_plural = _("统战信息")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("information_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(InformationReport.State, self.state)

    @property
    def adoption_level_label(self) -> str:
        level = self.adoption_level
        return choice_label(InformationReport.Level, level) if level else ""

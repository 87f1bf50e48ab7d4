"""The learning system (学习制度, 002 items 1 and 8): study materials pushed online to
chosen groups of figures and cadres with each reader's confirmation, offline sessions
with attendance, and the "五个一" each figure records in a year.

The people an activity reaches are fixed when it is sent (`StudyParticipant` rows), so
that a later change of a figure's flags does not rewrite who was asked to read what.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.figures import Figure
from portal.models import Person, choice_label
from portal.paths import detail_path
from portal.uploads import DOCUMENTS, IMAGES, UploadPath, UploadValidator


class StudyActivity(models.Model):
    """学习活动: study material pushed online (线上推送) or an offline session
    (线下集中学习), to the people in its `participants`."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("线上推送")
        OFFLINE = "offline", _("线下集中学习")

    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("学习主题"), max_length=150)
    material = models.TextField(_("学习内容"), blank=True, help_text=_("要点、原文或导读"))
    link = models.URLField(_("链接"), blank=True, help_text=_("校内网页或学习平台的地址"))
    attachment = models.FileField(
        _("学习材料"),
        upload_to=UploadPath("study"),
        validators=[UploadValidator(kinds=DOCUMENTS + IMAGES)],
        blank=True,
        max_length=200,
    )
    held_on = models.DateField(_("日期"), help_text=_("推送日期或学习日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    confirm_by = models.DateField(
        _("确认期限"), null=True, blank=True, help_text=_("线上推送：请在此日期前确认已学")
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["-held_on", "-id"])]  # the list's order, without a sort
        verbose_name = _("学习活动")
        verbose_name_plural = _("学习活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirm_by__isnull=True) | Q(confirm_by__gte=models.F("held_on")),
                name="study_confirm_after_held",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("study_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return choice_label(StudyActivity.Kind, self.kind)

    @property
    def is_online(self) -> bool:
        return self.kind == StudyActivity.Kind.ONLINE


class StudyParticipant(models.Model):
    """One person an activity reaches: their read confirmation (online) or attendance
    (offline), by themself or recorded by the office; or the reason they were absent."""

    activity = models.ForeignKey(
        StudyActivity,
        verbose_name=_("学习活动"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="studies"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    absence_reason = models.CharField(_("未参加原因"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__unit__sort_order", "person__name"]
        verbose_name = _("学习对象")
        verbose_name_plural = _("学习对象")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="study_one_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def by_self(self) -> bool:
        """Confirmed by the person themself (not recorded by the office)."""
        return self.confirmed_by is not None and self.confirmed_by.person_id == self.person_id


class FiveOne(models.Model):
    """One of the "五个一" (002 item 8) a figure did in a year, with its evidence."""

    class Item(models.TextChoices):
        BOOK = "book", _("读一本好书")
        LECTURE = "lecture", _("听一次报告")
        BASE = "base", _("参观一个基地")
        STUDY = "study", _("开展一次调研")
        PROPOSAL = "proposal", _("提交一份建议")

    figure = models.ForeignKey(
        Figure, verbose_name=_("党外人士"), on_delete=models.PROTECT, related_name="five_ones"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    item = models.CharField(_("项目"), max_length=10, choices=Item.choices)
    done_on = models.DateField(_("完成日期"))
    title = models.CharField(_("内容"), max_length=150, help_text=_("书名、报告题目、基地名称等"))
    evidence = models.FileField(
        _("佐证材料"),
        upload_to=UploadPath("five-ones"),
        validators=[UploadValidator(kinds=DOCUMENTS + IMAGES)],
        blank=True,
        max_length=200,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "figure__person__unit__sort_order", "figure__person__name", "item"]
        verbose_name = _("五个一")
        verbose_name_plural = _("五个一")
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "year", "item"], name="five_one_once_per_item_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.year} {self.item_label}"

    @property
    def item_label(self) -> str:
        return choice_label(FiveOne.Item, self.item)

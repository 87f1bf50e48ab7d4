"""Training and the cadre reserve (培养举荐, 001 ch. 5): non-party reserve cadres
(党外后备干部) with the dates they entered and left the reserve, the office's
assessment notes, and the courses they attended (培训记录).

A training record belongs to a `Person`, not to a reserve cadre, so that the same record
serves a liaison officer's training (issue 11) and survives a cadre leaving the reserve.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.figures import Figure
from portal.models import Person, choice_label
from portal.paths import detail_path
from portal.uploads import DOCUMENTS, IMAGES, UploadPath, UploadValidator


class ReserveCadreQuerySet(models.QuerySet["ReserveCadre"]):
    def current_on(self, day: dt.date) -> ReserveCadreQuerySet:
        """Cadres in the reserve on `day` (entry day inclusive, leaving day exclusive)."""
        return self.filter(added_on__lte=day).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=day)
        )


class ReserveCadre(models.Model):
    """党外后备干部: one stay of a figure in the reserve, from `added_on` until
    `removed_on` (the day they left; empty while they are in it)."""

    class Outcome(models.TextChoices):
        APPOINTED = "appointed", _("已提拔任用")
        TRANSFERRED = "transferred", _("调离")
        RETIRED = "retired", _("退休")
        WITHDRAWN = "withdrawn", _("不再列入")

    figure = models.ForeignKey(
        Figure,
        verbose_name=_("党外人士"),
        on_delete=models.PROTECT,
        related_name="reserve_entries",
    )
    added_on = models.DateField(_("列入日期"))
    proposed_post = models.CharField(
        _("培养方向"), max_length=100, blank=True, help_text=_("如：二级学院副院长")
    )
    assessment = models.TextField(_("考察意见"), blank=True, help_text=_("仅统战办公室可见"))
    removed_on = models.DateField(_("退出日期"), null=True, blank=True)
    outcome = models.CharField(_("退出原因"), max_length=20, choices=Outcome.choices, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[ReserveCadreQuerySet] = ReserveCadreQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["figure__person__unit__sort_order", "figure__person__name", "-added_on"]
        verbose_name = _("党外后备干部")
        verbose_name_plural = _("党外后备干部")
        constraints = [
            models.UniqueConstraint(
                fields=["figure"],
                condition=Q(removed_on__isnull=True),
                name="reserve_one_open_entry_per_figure",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="reserve_removed_after_added",
            ),
        ]

    def __str__(self) -> str:
        return str(self.figure)

    def get_absolute_url(self) -> str:
        return detail_path("reserve_detail", self.pk)

    @property
    def is_current(self) -> bool:
        return self.removed_on is None

    @property
    def outcome_label(self) -> str:
        return choice_label(ReserveCadre.Outcome, self.outcome) if self.outcome else ""

    def clean(self) -> None:
        if self.added_on and self.removed_on and self.removed_on < self.added_on:
            raise ValidationError({"removed_on": _("退出日期不能早于列入日期。")})
        if self.removed_on and not self.outcome:
            raise ValidationError({"outcome": _("请选择退出原因。")})


class TrainingRecord(models.Model):
    """培训记录: a course a person attended (a reserve cadre's, a liaison officer's)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("中央/全国")
        REGION = "region", _("自治区")
        CITY = "city", _("市")
        COLLEGE = "college", _("校")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="trainings"
    )
    course = models.CharField(_("培训班名称"), max_length=150)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    organiser = models.CharField(_("主办单位"), max_length=100)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    certificate = models.FileField(
        _("结业证书"),
        upload_to=UploadPath("trainings"),
        validators=[UploadValidator(kinds=DOCUMENTS + IMAGES)],
        blank=True,
        max_length=200,
    )
    recorded_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "id"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="training_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.course

    @property
    def level_label(self) -> str:
        return choice_label(TrainingRecord.Level, self.level)

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1

    def clean(self) -> None:
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("结束日期不能早于开始日期。")})

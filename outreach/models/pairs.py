"""Friendship pairs (联系交友, 001 ch. 4): a Party leading cadre and a non-party figure,
from a start date to an (inclusive) end date. A pair lets the leader see the figure's
sensitive data while it lasts (`outreach.access`)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.figures import Figure
from portal.models import CPC_STATUSES, Person


class FriendshipPairQuerySet(models.QuerySet["FriendshipPair"]):
    def active_on(self, day: dt.date) -> FriendshipPairQuerySet:
        """Pairs in force on `day` (both ends inclusive)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class FriendshipPair(models.Model):
    """联系交友: a leader paired with a figure."""

    leader = models.ForeignKey(
        Person,
        verbose_name=_("联系领导"),
        on_delete=models.PROTECT,
        related_name="friendship_pairs",
    )
    figure = models.ForeignKey(
        Figure, verbose_name=_("联系对象"), on_delete=models.PROTECT, related_name="pairs"
    )
    start_date = models.DateField(_("结对日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[FriendshipPairQuerySet] = FriendshipPairQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["leader__name", "figure__person__name", "-start_date"]
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        indexes = [models.Index(fields=["leader", "start_date"])]

    def __str__(self) -> str:
        return f"{self.leader} — {self.figure}"

    def covers(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于结对日期。")})
        if self.leader_id is not None and self.leader.political_status not in CPC_STATUSES:
            raise ValidationError({"leader": _("联系领导应为中共党员领导干部。")})
        if self.leader_id is None or self.figure_id is None or self.start_date is None:
            return
        overlapping = FriendshipPair.objects.filter(
            leader_id=self.leader_id, figure_id=self.figure_id
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
        )
        if self.end_date is not None:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError(_("该领导与该党外人士在这段时间内已经结对。"))

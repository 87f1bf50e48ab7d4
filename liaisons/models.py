"""统战联络员 (001 ch. 3): one liaison officer per department and school, appointed and
ended with dates, and the basis on which the rule (`liaisons.eligibility`) accepted them
on the appointment day."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaisons.eligibility import Basis
from portal.models import Person, Unit, choice_label
from portal.paths import detail_path

# The units that have a liaison officer: every department and school (院系).
LIAISON_UNIT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.SCHOOL)


class LiaisonQuerySet(models.QuerySet["Liaison"]):
    def current_on(self, day) -> LiaisonQuerySet:  # type: ignore[no-untyped-def]
        """In office on `day` (start inclusive, end exclusive)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class Liaison(models.Model):
    """One appointment of a person as a unit's liaison officer, from `start_date` until
    `end_date` (the day it ended; empty while it lasts)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="liaisons"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("联络员"), on_delete=models.PROTECT, related_name="liaison_terms"
    )
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=100, blank=True)
    basis = models.CharField(_("人选条件"), max_length=20, choices=Basis.choices)
    basis_reason = models.TextField(
        _("推荐理由"), blank=True, help_text=_("推荐青年党员教师，或资格变化后继续任职时填写")
    )
    kept_on = models.DateField(
        _("确认继续任职日期"), null=True, blank=True, help_text=_("资格变化后办公室确认继续任职")
    )
    appointed_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "-start_date"]
        verbose_name = _("统战联络员")
        verbose_name_plural = _("统战联络员")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(end_date__isnull=True), name="liaison_one_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="liaison_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.person}"

    def get_absolute_url(self) -> str:
        return detail_path("liaison_detail", self.pk)

    @property
    def basis_label(self) -> str:
        return choice_label(Basis, self.basis)

"""统战联络员 (001 ch. 3): one liaison officer per department and school, appointed and
ended with dates, and the basis on which the rule (`liaisons.eligibility`) accepted them
on the appointment day."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaisons.eligibility import Basis
from portal.deadlines.models import Deadline
from portal.models import Person, Unit, choice_label
from portal.paths import detail_path
from portal.uploads import DOCUMENTS, UploadPath, UploadValidator

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


class Consultation(models.Model):
    """征求意见 (001 article 15): a department handling a matter that touches united-front
    or overseas-Chinese policy, or drafting a document about it, asks the UFW
    department's written opinion first (with the draft attached); the office answers
    within a set number of working days (`consultation_answer`), and the department
    records whether the opinion was taken. The workflow: `liaisons.transitions`."""

    class State(models.TextChoices):
        FILED = "filed", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Kind(models.TextChoices):
        MATTER = "matter", _("事项办理")
        DOCUMENT = "document", _("文件起草")

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    unit = models.ForeignKey(
        Unit, verbose_name=_("征求单位"), on_delete=models.PROTECT, related_name="consultations"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("事由"), max_length=200)
    matter = models.TextField(_("情况说明"))
    draft = models.FileField(
        _("文件草稿"),
        upload_to=UploadPath("consultations"),
        validators=[UploadValidator(kinds=DOCUMENTS)],
        blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.FILED, db_index=True
    )
    filed_on = models.DateField(_("提交日期"))
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    filed_by = models.ForeignKey(
        "portal.User", verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("书面意见"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    adoption_note = models.TextField(_("采纳情况说明"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("答复期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["-filed_on", "-id"])]  # the list's order
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("consultation_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Consultation.State, self.state)

    @property
    def kind_label(self) -> str:
        return choice_label(Consultation.Kind, self.kind)

    @property
    def adoption_label(self) -> str:
        return choice_label(Consultation.Adoption, self.adoption) if self.adoption else ""


class LiaisonSession(models.Model):
    """A training session or meeting for the liaison officers (001 ch. 3). The liaisons
    in office on the day are invited when it is recorded (`LiaisonAttendance`); the
    office then records who attended."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("培训")
        MEETING = "meeting", _("会议")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organiser = models.CharField(_("主办"), max_length=100, blank=True)
    content = models.TextField(_("内容"), blank=True)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["-held_on", "-id"])]  # the list's order
        verbose_name = _("联络员培训和会议")
        verbose_name_plural = _("联络员培训和会议")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("liaison_session_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return choice_label(LiaisonSession.Kind, self.kind)


class LiaisonAttendance(models.Model):
    """One liaison invited to a session, and whether they attended (with the reason for
    an absence)."""

    session = models.ForeignKey(
        LiaisonSession,
        verbose_name=_("培训和会议"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    liaison = models.ForeignKey(
        Liaison, verbose_name=_("联络员"), on_delete=models.PROTECT, related_name="attendance"
    )
    attended = models.BooleanField(_("出席"), default=False)
    absence_reason = models.CharField(_("缺席原因"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["liaison__unit__sort_order", "pk"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [
            models.UniqueConstraint(fields=["session", "liaison"], name="liaison_attends_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.liaison}"

"""The leading group by term, its office, the branch commissioners, and the annual work
points with their progress reports.

Seats (a group membership, an office seat, a commissioner's appointment) are never
overwritten: a seat has a start and an (inclusive) end date, a change of holder ends one
seat and starts another, so "who held which seat on day D" is always answerable.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.documents.models import DocumentBacked
from portal.lib.numerals import chinese_numeral
from portal.models import Person, Unit
from portal.paths import detail_path
from portal.uploads import EVIDENCE, UploadPath, UploadValidator

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

S = TypeVar("S", bound=models.Model)


def _fmt(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else str(_("至今"))


class SeatQuerySet(models.QuerySet[S]):
    def active_on(self, day: dt.date) -> SeatQuerySet[S]:
        """Seats held on `day` (both ends inclusive)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def overlapping(self, start: dt.date, end: dt.date | None) -> SeatQuerySet[S]:
        """Seats whose period shares at least one day with [start, end]."""
        seats = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return seats if end is None else seats.filter(start_date__lte=end)


class LeadingGroup(models.Model):
    """统一战线工作领导小组 for one term (届). Terms do not overlap."""

    name = models.CharField(_("名称"), max_length=100, default="统一战线工作领导小组")
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(
        _("任期结束"), null=True, blank=True, help_text=_("留空表示本届至今")
    )
    basis = models.CharField(
        _("成立（调整）文件"), max_length=200, blank=True, help_text=_("如：X委〔2024〕12号")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start"]
        verbose_name = _("领导小组（届）")
        verbose_name_plural = _("领导小组（届）")

    def __str__(self) -> str:
        return f"{self.name}（{_fmt(self.term_start)} — {_fmt(self.term_end)}）"

    def covers(self, day: dt.date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("任期结束日期不能早于开始日期。")})
        if self.term_start is None:
            return
        others = LeadingGroup.objects.exclude(pk=self.pk).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start)
        )
        if self.term_end is not None:
            others = others.filter(term_start__lte=self.term_end)
        clash = others.first()
        if clash is not None:
            raise ValidationError(
                {"term_start": _("任期与另一届领导小组（%(other)s）重叠。") % {"other": clash}}
            )


class Office(models.Model):
    """领导小组办公室: seated in a department (the UFW department); one per term."""

    group = models.OneToOneField(
        LeadingGroup, on_delete=models.CASCADE, related_name="office", verbose_name=_("领导小组")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("办公室设在")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导小组办公室")
        verbose_name_plural = _("领导小组办公室")

    def __str__(self) -> str:
        return str(_("领导小组办公室（设在%(unit)s）") % {"unit": self.unit})


class Seat(models.Model):
    """What every seat shares: who, the qualifying post, and the dates held."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    post = models.CharField(
        _("职务"),
        max_length=100,
        blank=True,
        help_text=_("据以任职的职务，如：党委书记、宣传部部长"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(
        _("结束日期"), null=True, blank=True, help_text=_("任职的最后一天；留空表示至今")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        abstract = True

    # Filled by subclasses: the seat's Chinese label and the URL kind (see urls.py).
    seat_kind: ClassVar[str] = ""

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def period(self) -> str:
        return f"{_fmt(self.start_date)} — {_fmt(self.end_date)}"

    def _clean_dates(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})

    def _clean_within_term(self, group: LeadingGroup) -> None:
        if self.start_date and not group.covers(self.start_date):
            raise ValidationError(
                {"start_date": _("开始日期不在该届领导小组任期（%(term)s）内。") % {"term": group}}
            )
        if self.end_date and not group.covers(self.end_date):
            raise ValidationError(
                {"end_date": _("结束日期不在该届领导小组任期（%(term)s）内。") % {"term": group}}
            )


class GroupMembership(Seat):
    """组长 / 副组长 / 成员 of the leading group, for a period within one term."""

    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY_LEADER = "deputy_leader", _("副组长")
        MEMBER = "member", _("成员")

    group = models.ForeignKey(
        LeadingGroup, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("届")
    )
    role = models.CharField(_("组内职务"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name=_("单位"),
        help_text=_("所代表的单位；校领导填“学院领导”"),
    )
    history = HistoricalRecords()

    objects: ClassVar[SeatQuerySet[GroupMembership]] = SeatQuerySet.as_manager()  # type: ignore[assignment]
    seat_kind = "membership"

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        indexes = [models.Index(fields=["group", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}（{self.period}）"

    def clean(self) -> None:
        self._clean_dates()
        if self.group_id is None or self.person_id is None or self.start_date is None:
            return
        self._clean_within_term(self.group)
        clash = (
            GroupMembership.objects.filter(group_id=self.group_id, person_id=self.person_id)
            .exclude(pk=self.pk)
            .overlapping(self.start_date, self.end_date)
            .first()
        )
        if clash is not None:
            if clash.role == self.role:
                message = _("%(name)s 在 %(period)s 已任%(role)s，同一职务的任期不能重叠。")
            else:
                message = _(
                    "%(name)s 在 %(period)s 已任%(role)s，同一人员在领导小组中同时只能有一个职务。"
                )
            raise ValidationError(
                {
                    "start_date": message
                    % {
                        "name": self.person.name,
                        "period": clash.period,
                        "role": clash.get_role_display(),
                    }
                }
            )


class OfficeMember(Seat):
    """The office's director (the UFW head) or one member department's responsible person."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("办公室主任")
        MEMBER = "member", _("办公室成员")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="members", verbose_name=_("办公室")
    )
    role = models.CharField(_("办公室职务"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="office_seats", verbose_name=_("所在部门")
    )
    history = HistoricalRecords()

    objects: ClassVar[SeatQuerySet[OfficeMember]] = SeatQuerySet.as_manager()  # type: ignore[assignment]
    seat_kind = "office"

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("办公室成员")
        verbose_name_plural = _("办公室成员")
        indexes = [models.Index(fields=["office", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}（{self.unit}，{self.period}）"

    def clean(self) -> None:
        self._clean_dates()
        if self.office_id is None or self.person_id is None or self.start_date is None:
            return
        self._clean_within_term(self.office.group)
        seats = (
            OfficeMember.objects.filter(office_id=self.office_id)
            .exclude(pk=self.pk)
            .overlapping(self.start_date, self.end_date)
        )
        same_person = seats.filter(person_id=self.person_id).first()
        if same_person is not None:
            raise ValidationError(
                {
                    "start_date": _("%(name)s 在 %(period)s 已任%(role)s，任期不能重叠。")
                    % {
                        "name": self.person.name,
                        "period": same_person.period,
                        "role": same_person.get_role_display(),
                    }
                }
            )
        if self.role == self.Role.DIRECTOR:
            if self.unit_id is not None and self.unit_id != self.office.unit_id:
                raise ValidationError(
                    {
                        "unit": _("办公室主任由办公室所在单位（%(unit)s）的负责人兼任。")
                        % {"unit": self.office.unit}
                    }
                )
            clash = seats.filter(role=self.Role.DIRECTOR).select_related("person").first()
            if clash is not None:
                raise ValidationError(
                    {
                        "start_date": _(
                            "%(period)s 已有办公室主任（%(name)s），同一时间只能有一位。"
                        )
                        % {"period": clash.period, "name": clash.person.name}
                    }
                )
        elif self.unit_id is not None:
            clash = (
                seats.filter(role=self.Role.MEMBER, unit_id=self.unit_id)
                .select_related("person")
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    {
                        "unit": _(
                            "%(unit)s 在 %(period)s 已有办公室成员（%(name)s），"
                            "每个部门同一时间只有一名。"
                        )
                        % {"unit": self.unit, "period": clash.period, "name": clash.person.name}
                    }
                )


class BranchCommissioner(Seat):
    """统战委员 of a Party general branch; not tied to a term of the group."""

    branch = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="commissioners",
        verbose_name=_("党总支"),
        limit_choices_to={"kind": Unit.Kind.BRANCH},
    )
    history = HistoricalRecords()

    objects: ClassVar[SeatQuerySet[BranchCommissioner]] = SeatQuerySet.as_manager()  # type: ignore[assignment]
    seat_kind = "commissioner"

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("统战委员")
        verbose_name_plural = _("统战委员")
        indexes = [models.Index(fields=["branch", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.branch} 统战委员 {self.person}（{self.period}）"

    @property
    def unit(self) -> Unit:
        return self.branch

    def clean(self) -> None:
        self._clean_dates()
        if self.branch_id is None or self.person_id is None or self.start_date is None:
            return
        if self.branch.kind != Unit.Kind.BRANCH:
            raise ValidationError({"branch": _("%(unit)s 不是党总支。") % {"unit": self.branch}})
        seats = (
            BranchCommissioner.objects.exclude(pk=self.pk)
            .overlapping(self.start_date, self.end_date)
            .select_related("person", "branch")
        )
        clash = seats.filter(branch_id=self.branch_id).first()
        if clash is not None:
            raise ValidationError(
                {
                    "start_date": _(
                        "%(branch)s 在 %(period)s 已有统战委员（%(name)s），同一时间只能有一位。"
                    )
                    % {"branch": self.branch, "period": clash.period, "name": clash.person.name}
                }
            )
        clash = seats.filter(person_id=self.person_id).first()
        if clash is not None:
            raise ValidationError(
                {
                    "start_date": _("%(name)s 在 %(period)s 已任%(branch)s统战委员，任期不能重叠。")
                    % {"name": self.person.name, "period": clash.period, "branch": clash.branch}
                }
            )


# Work points ---------------------------------------------------------------------------


class Light(models.TextChoices):
    """An item's status at a glance: a colour, always shown with its words."""

    DONE = "done", _("已完成")
    ON_TRACK = "on_track", _("正常推进")
    BEHIND = "behind", _("进度偏慢")
    LATE = "late", _("明显滞后")
    NOT_STARTED = "not_started", _("尚未报告")


def expected_percent(year: int, day: dt.date) -> int:
    """How far through the plan's year `day` is, in percent (0 before, 100 after)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day < start:
        return 0
    if day >= end:
        return 100
    return round(100 * (day - start).days / (end - start).days)


def progress_light(*, percent: int | None, year: int, today: dt.date) -> Light:
    """The colour of an item: done at 100 %; otherwise compared with the share of the year
    gone by. Early in the year an item without a report is simply not started; from a
    quarter of the year on, silence counts as late."""
    expected = expected_percent(year, today)
    if percent is None:
        return Light.NOT_STARTED if expected < 25 else Light.LATE
    if percent >= 100:
        return Light.DONE
    if percent >= expected - 15:
        return Light.ON_TRACK
    if percent >= expected - 35:
        return Light.BEHIND
    return Light.LATE


class WorkPoints(DocumentBacked):
    """工作要点: the group's plan for one year.

    Drafted by the office January–March, then issued through the documents workflow as
    an important document (the group leader signs): `document` is the plan's document
    (kind ``work_points``, its `about` this plan), created when the office first submits
    the plan, and its state drives the plan's (`DocumentBacked.state`). The plan is
    edited only while that document is a draft or has been returned.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("标题"), max_length=100)
    preamble = models.TextField(
        _("指导思想和总体要求"), blank=True, help_text=_("正文开头一段，列在各部分之前")
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_points",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        sections: RelatedManager[WorkPointsSection]
        items: RelatedManager[WorkPointsItem]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("工作要点")
        verbose_name_plural = _("工作要点")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work_points_detail", args=[self.year])


class WorkPointsSection(models.Model):
    """一、二、… : a part of the plan; its numeral comes from its position."""

    plan = models.ForeignKey(
        WorkPoints, on_delete=models.CASCADE, related_name="sections", verbose_name=_("工作要点")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    title = models.CharField(_("标题"), max_length=200)
    history = HistoricalRecords()

    if TYPE_CHECKING:
        items: RelatedManager[WorkPointsItem]

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("工作要点部分")
        verbose_name_plural = _("工作要点部分")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="wp_section_position")
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def numeral(self) -> str:
        return chinese_numeral(self.position)

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"


class WorkPointsItem(models.Model):
    """A numbered item (1., 2., … continuous across the sections) with the unit that
    leads it and the units that share it."""

    plan = models.ForeignKey(
        WorkPoints, on_delete=models.CASCADE, related_name="items", verbose_name=_("工作要点")
    )
    section = models.ForeignKey(
        WorkPointsSection, on_delete=models.CASCADE, related_name="items", verbose_name=_("部分")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=100, help_text=_("如：持续强化政治引领"))
    body = models.TextField(_("内容"))
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_work_points", verbose_name=_("牵头部门")
    )
    co_units = models.ManyToManyField(
        Unit, blank=True, related_name="shared_work_points", verbose_name=_("配合部门")
    )
    history = HistoricalRecords(m2m_fields=[co_units])

    if TYPE_CHECKING:
        reports: RelatedManager[ProgressReport]

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("工作要点事项")
        verbose_name_plural = _("工作要点事项")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="wp_item_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return detail_path("work_points_item", self.pk)

    def clean(self) -> None:
        if self.section_id and self.plan_id and self.section.plan_id != self.plan_id:
            raise ValidationError({"section": _("所选部分不属于这份工作要点。")})

    def responsible_units(self) -> list[Unit]:
        """The lead unit first, then the co-responsible units (prefetch `co_units`)."""
        co = [unit for unit in self.co_units.all() if unit.pk != self.lead_unit_id]
        return [self.lead_unit, *co]

    @property
    def units_line(self) -> str:
        return "、".join(unit.name for unit in self.responsible_units())


# Checked on every full_clean(), whichever form the file came from: size, kind, content.
EVIDENCE_VALIDATOR = UploadValidator(kinds=EVIDENCE)


class ProgressReport(models.Model):
    """A responsible unit's report on an item: where it stands, in words and percent."""

    item = models.ForeignKey(
        WorkPointsItem, on_delete=models.PROTECT, related_name="reports", verbose_name=_("事项")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告单位")
    )
    author = models.ForeignKey(
        "portal.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报告人"),
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MaxValueValidator(100)]
    )
    evidence = models.FileField(
        _("佐证材料"),
        upload_to=UploadPath("work_points"),
        validators=[EVIDENCE_VALIDATOR],
        blank=True,
        max_length=200,
    )
    evidence_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    evidence_size = models.PositiveIntegerField(_("文件大小"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        indexes = [models.Index(fields=["item", "-reported_at"])]

    def __str__(self) -> str:
        return f"{self.item}：{self.percent}%"

    def clean(self) -> None:
        if self.item_id and self.unit_id:
            allowed = {self.item.lead_unit_id, *self.item.co_units.values_list("pk", flat=True)}
            if self.unit_id not in allowed:
                raise ValidationError({"unit": _("该单位不是这项工作的责任部门。")})

"""The register of non-party figures (党外人士).

A `Figure` is the office's profile of a `portal.Person` who is not a CPC member. What the
register may show anyone who may see the figure (category, flags, public positions,
expertise) lives on `Figure` and `PublicPosition`; what only the office, the figure's
paired leaders and the figure themself may see (affiliation, overseas study and work,
opinions and notes) lives in `SensitiveProfile` and `OverseasRecord`, read only through
`outreach.selectors.sensitive` (which applies `portal.permissions.sensitive_person_ids`
and logs each look). The person's political status (`Person.political_status`, the
party) is sensitive too and is shown through the same selector.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import CPC_STATUSES, Person, choice_label, field_labels
from portal.paths import detail_path


class FigureQuerySet(models.QuerySet["Figure"]):
    def active(self) -> FigureQuerySet:
        return self.filter(is_active=True)


class Figure(models.Model):
    """党外人士: one non-party person in the office's register."""

    class Category(models.TextChoices):
        DEMOCRATIC_PARTY = "democratic_party", _("民主党派成员")
        NON_PARTY_INTELLECTUAL = "non_party_intellectual", _("无党派知识分子")
        RETURNED_OVERSEAS = "returned_overseas", _("留学归国人员")
        MINORITY = "minority", _("少数民族代表人士")
        NEW_SOCIAL_STRATUM = "new_social_stratum", _("新的社会阶层人士")
        OTHER = "other", _("其他")

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="figure"
    )
    category = models.CharField(_("类别"), max_length=30, choices=Category.choices)
    is_representative = models.BooleanField(_("党外代表人士"), default=False)
    is_key_contact = models.BooleanField(
        _("重点联系对象"),
        default=False,
        help_text=_("领导小组成员每年至少与其结对的重点联系对象谈心谈话一次"),
    )
    expertise = models.CharField(_("专业特长"), max_length=200, blank=True)
    registered_on = models.DateField(_("登记日期"))
    is_active = models.BooleanField(_("在册"), default=True)
    history = HistoricalRecords()

    objects: ClassVar[FigureQuerySet] = FigureQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["person__unit__sort_order", "person__name"]
        verbose_name = _("党外人士")
        verbose_name_plural = _("党外人士")
        indexes = [models.Index(fields=["category"])]

    def __str__(self) -> str:
        return self.person.name

    def get_absolute_url(self) -> str:
        return detail_path("figure_detail", self.pk)

    @property
    def category_label(self) -> str:
        return choice_label(Figure.Category, self.category)

    def clean(self) -> None:
        if self.person_id is not None and self.person.political_status in CPC_STATUSES:
            raise ValidationError({"person": _("中共党员不能登记为党外人士。")})


class PublicPosition(models.Model):
    """A public position a figure holds or held: 人大代表, 政协委员, a post in their party
    or another body, with its term. Public, so not sensitive."""

    class Kind(models.TextChoices):
        NPC_DEPUTY = "npc_deputy", _("人大代表")
        CPPCC_MEMBER = "cppcc_member", _("政协委员")
        PARTY_POST = "party_post", _("党派职务")
        OTHER = "other", _("其他社会职务")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        REGION = "region", _("自治区")
        CITY = "city", _("市")
        DISTRICT = "district", _("县（区）")
        COLLEGE = "college", _("校内")

    figure = models.ForeignKey(
        Figure, verbose_name=_("党外人士"), on_delete=models.CASCADE, related_name="positions"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    title = models.CharField(_("职务名称"), max_length=100, help_text=_("如：第十三届市政协委员"))
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start", "id"]
        verbose_name = _("社会职务")
        verbose_name_plural = _("社会职务")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("任期结束日期不能早于开始日期。")})


class SensitiveProfile(models.Model):
    """The sensitive part of a figure's profile: shown only to those
    `portal.permissions.sensitive_person_ids` names, through
    `outreach.selectors.sensitive`."""

    figure = models.OneToOneField(
        Figure, verbose_name=_("党外人士"), on_delete=models.CASCADE, related_name="sensitive"
    )
    affiliation = models.CharField(
        _("党派及任职情况"),
        max_length=200,
        blank=True,
        help_text=_("如：2015年加入九三学社，任校支社副主委"),
    )
    opinions = models.TextField(_("意见倾向与思想动态"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    # The fields, in the order the pages and exports show them.
    FIELDS: ClassVar[tuple[str, ...]] = ("affiliation", "opinions", "notes")

    class Meta:
        verbose_name = _("敏感信息")
        verbose_name_plural = _("敏感信息")

    def __str__(self) -> str:
        return str(self.figure)


class OverseasRecord(models.Model):
    """One stay abroad: study or work, where, what degree, which years. Sensitive.
    Kept complete by the personnel office (人事处); `is_complete` says what the
    returned-overseas list checks."""

    class Kind(models.TextChoices):
        STUDY = "study", _("留学")
        VISITING = "visiting", _("访问学者/进修")
        WORK = "work", _("工作")

    class Degree(models.TextChoices):
        BACHELOR = "bachelor", _("学士")
        MASTER = "master", _("硕士")
        DOCTOR = "doctor", _("博士")
        POSTDOC = "postdoc", _("博士后")
        NONE = "none", _("无学位")

    figure = models.ForeignKey(
        Figure, verbose_name=_("党外人士"), on_delete=models.CASCADE, related_name="overseas"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    country = models.CharField(_("国家/地区"), max_length=50, blank=True)
    institution = models.CharField(_("院校/机构"), max_length=100, blank=True)
    degree = models.CharField(_("学位"), max_length=10, choices=Degree.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("开始年份"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("结束年份"), null=True, blank=True)
    history = HistoricalRecords()

    # What the returned-overseas list needs of every record (002 item 10).
    REQUIRED: ClassVar[tuple[str, ...]] = ("country", "degree", "start_year", "end_year")

    class Meta:
        ordering = ["start_year", "id"]
        verbose_name = _("海外经历")
        verbose_name_plural = _("海外经历")

    def __str__(self) -> str:
        return f"{self.country} {self.institution}".strip()

    @property
    def kind_label(self) -> str:
        return choice_label(OverseasRecord.Kind, self.kind)

    @property
    def degree_label(self) -> str:
        return choice_label(OverseasRecord.Degree, self.degree) if self.degree else ""

    @property
    def missing(self) -> list[str]:
        """The labels of the required fields left empty."""
        return field_labels(
            OverseasRecord, [name for name in self.REQUIRED if getattr(self, name) in (None, "")]
        )

    @classmethod
    def incomplete_q(cls, prefix: str = "") -> Q:
        """The records missing one of `REQUIRED`, as a filter (for the completeness
        check's list)."""
        q = Q()
        for name in cls.REQUIRED:
            q |= Q(**{f"{prefix}{name}__isnull": True})
            if name in ("country", "degree"):
                q |= Q(**{f"{prefix}{name}": ""})
        return q

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("结束年份不能早于开始年份。")})
        for name in ("start_year", "end_year"):
            year = getattr(self, name)
            if year is not None and not 1950 <= year <= 2100:
                raise ValidationError({name: _("请填写1950至2100之间的年份。")})

"""What every app shares: the organisation (units, people, users) and the official
working-day schedule that overrides the chinesecalendar package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.paths import detail_path


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored choice, like `get_FOO_display()` but without rebuilding and
    translating the field's whole choice list on every call (on a list page of 50 rows,
    two such fields cost ~900 translation lookups)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def field_labels(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The verbose names of `model`'s fields `names`, as text (for logs and headers)."""
    return [str(getattr(model._meta.get_field(name), "verbose_name", name)) for name in names]


class Unit(models.Model):
    """A department, school or Party general branch of the college."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("职能部门")
        SCHOOL = "school", _("二级学院")
        BRANCH = "branch", _("党总支")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("在用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    history = HistoricalRecords()

    people_count: int  # on list pages, set by selectors.with_people_counts

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return detail_path("unit_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return choice_label(Unit.Kind, self.kind)

    def clean(self) -> None:
        # Walk up the parent chain: a unit cannot be its own ancestor.
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
            seen.add(node.pk)
            node = node.parent


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    RCCK = "rcck", _("民革党员")
    CDL = "cdl", _("民盟盟员")
    CNDCA = "cndca", _("民建会员")
    CAPD = "capd", _("民进会员")
    CPWDP = "cpwdp", _("农工党党员")
    ZGD = "zgd", _("致公党党员")
    JIUSAN = "jiusan", _("九三学社社员")
    TDSGL = "tdsgl", _("台盟盟员")
    NON_PARTY = "non_party", _("无党派人士")
    COMMUNIST_YOUTH = "cyl", _("共青团员")
    MASSES = "masses", _("群众")


CPC_STATUSES = frozenset({PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY})
DEMOCRATIC_PARTIES = frozenset(
    {
        PoliticalStatus.RCCK,
        PoliticalStatus.CDL,
        PoliticalStatus.CNDCA,
        PoliticalStatus.CAPD,
        PoliticalStatus.CPWDP,
        PoliticalStatus.ZGD,
        PoliticalStatus.JIUSAN,
        PoliticalStatus.TDSGL,
    }
)


class PersonQuerySet(models.QuerySet["Person"]):
    def non_party(self) -> PersonQuerySet:
        """Non-CPC people: the figures the office works with (党外人士)."""
        return self.exclude(political_status__in=CPC_STATUSES)

    def in_units(self, unit_ids: set[int]) -> PersonQuerySet:
        return self.filter(unit_id__in=unit_ids)


class Person(models.Model):
    """Anyone the office deals with: staff, leaders, non-party figures."""

    class Gender(models.TextChoices):
        MALE = "m", _("男")
        FEMALE = "f", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people"
    )
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    political_status = models.CharField(
        _("政治面貌"),
        max_length=20,
        choices=PoliticalStatus.choices,
        blank=True,
        help_text=_("留空表示未登记，按党外人士保护"),
    )
    # Sensitive for non-party figures: shown only to the office and the paired leader.
    overseas_study = models.BooleanField(_("有留学经历"), default=False)
    overseas_detail = models.TextField(
        _("留学经历"), blank=True, help_text=_("国家/地区、院校、起止年月")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("在职"), default=True)
    history = HistoricalRecords()

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    # Fields that reveal a non-party figure's affiliation or history.
    SENSITIVE_FIELDS: ClassVar[tuple[str, ...]] = (
        "political_status",
        "overseas_study",
        "overseas_detail",
        "note",
    )

    class Meta:
        ordering = ["unit__sort_order", "name"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["political_status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return detail_path("person_detail", self.pk)

    @property
    def gender_label(self) -> str:
        return choice_label(Person.Gender, self.gender)

    @property
    def political_status_label(self) -> str:
        """The label, or "" when not recorded."""
        return choice_label(PoliticalStatus, self.political_status) if self.political_status else ""

    @property
    def is_non_party(self) -> bool:
        return self.political_status not in CPC_STATUSES

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def clean(self) -> None:
        if self.overseas_detail and not self.overseas_study:
            raise ValidationError({"overseas_study": _("填写了留学经历时，请勾选“有留学经历”。")})


class Role(models.TextChoices):
    """The portal's roles; each is a Django group created by a migration."""

    OFFICE = "office", _("办公室工作人员")
    LEADER = "leader", _("领导")
    MEMBER = "member", _("小组成员")
    COMMISSIONER = "commissioner", _("统战委员")
    # Follow an appointment in the liaisons app (`liaisons.services.liaison_roles_sync`).
    LIAISON = "liaison", _("统战联络员")
    PUBLICITY = "publicity", _("宣传工作成员")


class User(AbstractUser):
    """A login. Linked to the Person it belongs to; roles are Django groups."""

    class Leadership(models.TextChoices):
        NONE = "", _("—")
        GROUP_LEADER = "group_leader", _("组长")
        DEPUTY_LEADER = "deputy_leader", _("副组长")
        IN_CHARGE = "in_charge", _("分管统战工作领导")

    person = models.OneToOneField(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    leadership = models.CharField(
        _("领导职责"), max_length=20, choices=Leadership.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        if self.person_id is not None and self.person is not None:
            return self.person.name
        return self.get_full_name() or self.username


class WorkdayYear(models.Model):
    """An official holiday schedule for one year, entered from the State Council notice.

    Once a year has a schedule, its exceptions replace whatever the chinesecalendar
    package says about that year; a year with neither is computed on weekends only and
    every date computed from it is provisional.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice = models.CharField(
        _("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("workday_year_detail", args=[self.year])


class WorkdayException(models.Model):
    """A day that breaks the weekday/weekend rule: a holiday on a weekday, or an
    adjusted working day (调休) on a weekend."""

    schedule = models.ForeignKey(
        WorkdayYear, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), help_text=_("勾选表示调休上班，不勾选表示放假"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：国庆节、春节调休"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self) -> None:
        if self.date and self.schedule_id and self.date.year != self.schedule.year:
            raise ValidationError({"date": _("日期不在该年度内。")})
        if self.date is not None and self.is_workday is not None:
            weekend = self.date.weekday() >= 5
            if self.is_workday and not weekend:
                raise ValidationError({"is_workday": _("工作日本来就上班，无需登记为调休上班。")})
            if not self.is_workday and weekend:
                raise ValidationError({"is_workday": _("周末本来就休息，无需登记为放假。")})


class SensitiveView(models.Model):
    """敏感信息查阅记录: someone other than the office opened a non-party figure's
    sensitive data (the paired leader on the figure's page, an export with those
    columns). Written by `portal.services.sensitive_view_record`; read by the office."""

    viewer = models.ForeignKey(
        User, verbose_name=_("查阅人"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("被查阅人"), on_delete=models.CASCADE, related_name="+"
    )
    fields = models.CharField(_("查阅内容"), max_length=300)
    page = models.CharField(_("查阅位置"), max_length=200)
    at = models.DateTimeField(_("查阅时间"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("敏感信息查阅记录")
        verbose_name_plural = _("敏感信息查阅记录")
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["viewer", "-at"])]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.person}"


class ParkedImport(models.Model):
    """The rows of an uploaded spreadsheet between its preview and the confirmation.

    The confirmation URL carries the token; taking the rows deletes the row, so a
    double-clicked confirmation imports once. A user has at most one parked import of a
    kind (a new upload replaces it); rows older than a day are removed on the next upload.
    """

    kind = models.CharField(_("类别"), max_length=30)  # "roster", "items-<year>", "figures"
    token = models.CharField(_("令牌"), max_length=43, unique=True)
    user = models.ForeignKey(
        "portal.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("上传人")
    )
    filename = models.CharField(_("文件名"), max_length=200)
    rows = models.JSONField(_("数据行"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}：{self.filename}"

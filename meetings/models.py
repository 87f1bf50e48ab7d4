"""Meetings of the leading group and its office, the topic pool, the minutes (written
per agenda item and issued through the documents workflow) and the follow-up items
(督办事项) that decisions spawn.

Invitations and attendance are one table: inviting someone creates their `Attendance`
row (状态“未登记”), recording attendance fills it in. A meeting counts towards its
quota once it is held (`held`, set when its attendance is recorded).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.deadlines.models import Deadline, overdue_q
from portal.documents.models import DocumentBacked
from portal.models import Person, Unit
from portal.paths import detail_path
from portal.uploads import OFFICE_FILES, UploadPath, UploadValidator

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("领导小组全体会议")
        OFFICE = "office", _("办公室会议")
        SPECIAL = "special", _("专题会议")

    kind = models.CharField(_("会议类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    chair = models.ForeignKey(
        Person,
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("备注"), blank=True)
    held = models.BooleanField(_("已召开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    if TYPE_CHECKING:
        attendances: RelatedManager[Attendance]
        agenda_items: RelatedManager[AgendaItem]
        materials: RelatedManager[Material]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("meeting_detail", self.pk)

    @property
    def date(self) -> dt.date:
        """The meeting's local date (Asia/Shanghai)."""
        return timezone.localdate(self.starts_at)

    def reminder_lines(self) -> list[str]:
        start = timezone.localtime(self.starts_at)
        return [f"{start:%Y-%m-%d %H:%M}，{self.place}"]

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})


class Attendance(models.Model):
    """One invited (or attending) person. 列席 are people attending who are not members."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未登记")
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("请假")
        REPRESENTED = "represented", _("委托出席")
        OBSERVER = "observer", _("列席")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT)
    status = models.CharField(
        _("出席情况"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    represented_by = models.CharField(_("委托出席人"), max_length=100, blank=True)
    # The order of the invitation: leaders, deputies, members, then whoever was added.
    position = models.PositiveIntegerField(default=0)
    invited_at = models.DateTimeField(_("通知发送时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}：{self.get_status_display()}"

    def clean(self) -> None:
        if self.status == self.Status.ABSENT and not self.reason.strip():
            raise ValidationError({"reason": _("请假请填写事由。")})
        if self.status == self.Status.REPRESENTED and not self.represented_by.strip():
            raise ValidationError({"represented_by": _("委托出席请填写委托出席人。")})


class Topic(models.Model):
    """议题征集: a topic proposed by a unit, decided by the office, scheduled into a
    meeting's agenda."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待研究")
        ACCEPTED = "accepted", _("已采纳")
        DEFERRED = "deferred", _("暂缓")
        DECLINED = "declined", _("不予采纳")

    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("议题说明"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("提出单位"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("办理状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    reason = models.TextField(_("研究意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    if TYPE_CHECKING:
        agenda_item: AgendaItem

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order; the minutes are written per item
    (discussion, decision)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("议程"), max_length=200)
    presenter = models.CharField(_("汇报人"), max_length=100, blank=True)
    topic = models.OneToOneField(
        Topic,
        verbose_name=_("来自议题"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
    )
    discussion = models.TextField(_("讨论情况"), blank=True)
    decision = models.TextField(_("会议决定"), blank=True)
    history = HistoricalRecords()

    if TYPE_CHECKING:
        follow_ups: RelatedManager[FollowUpItem]

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Material(models.Model):
    """A meeting's material (会议材料), stored under a random name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(
        _("材料"),
        upload_to=UploadPath("meetings"),
        validators=[UploadValidator(kinds=OFFICE_FILES)],
        max_length=200,
    )
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")

    def __str__(self) -> str:
        return self.name


class Minutes(DocumentBacked):
    """会议纪要 of one meeting. The text is written on the agenda items; submitting
    composes it into a `minutes` document, which goes through review, sign-off and
    issue (`DocumentBacked`)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    opening = models.TextField(
        _("导语"), blank=True, help_text=_("如：会议听取了……，研究了……。现纪要如下。")
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_minutes",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")

    def __str__(self) -> str:
        return f"{self.meeting.title}纪要"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.meeting_id])


class FollowUpItemQuerySet(models.QuerySet["FollowUpItem"]):
    def with_deadline(self) -> FollowUpItemQuerySet:
        """Joined with the engine's deadline row: its due date, state and the overdue
        badge cost no extra query on a list page."""
        return self.select_related("deadline")

    def overdue(self, today: dt.date) -> FollowUpItemQuerySet:
        """The one "overdue" filter: the engine's rule on the item's deadline row."""
        return self.filter(overdue_q(today, prefix="deadline__"))


class FollowUpItem(models.Model):
    """督办事项: what a decision asks a unit to do, by a deadline.

    The due date is the engine's: `deadline` is the item's ``action_item`` row in
    ``portal.deadlines`` (opened by ``follow_up_create`` with the date the office gave,
    moved by an approved extension). The item keeps no copy of the date."""

    class Status(models.TextChoices):
        OPEN = "open", _("待落实")
        IN_PROGRESS = "in_progress", _("落实中")
        REPORTED = "reported", _("已报告完成")
        CLOSED = "closed", _("已办结")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("会议决定"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    task = models.TextField(_("督办内容"))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    # Null only between the item's insert and its deadline's, in one transaction: the
    # deadline names the item as its subject, so the item is saved first.
    deadline = models.OneToOneField(
        Deadline,
        verbose_name=_("办理期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("办理状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closing_note = models.TextField(_("办结意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = FollowUpItemQuerySet.as_manager()

    if TYPE_CHECKING:
        updates: RelatedManager[FollowUpUpdate]

    class Meta:
        ordering = ["deadline__due", "id"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return self.task[:40]

    def get_absolute_url(self) -> str:
        return detail_path("follow_up_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def due(self) -> dt.date | None:
        """The due date: the engine's (read through `deadline`, joined by the selectors)."""
        return self.deadline.due if self.deadline is not None else None

    @property
    def is_overdue(self) -> bool:
        """What the pages show as 已逾期: the engine's state of the item's deadline."""
        return self.deadline is not None and self.deadline.is_overdue


class FollowUpUpdate(models.Model):
    """A progress report from the owner unit on a follow-up item."""

    item = models.ForeignKey(FollowUpItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("落实情况"))
    status = models.CharField(_("办理状态"), max_length=12, choices=FollowUpItem.Status.choices[:3])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("落实情况")
        verbose_name_plural = _("落实情况")

    def __str__(self) -> str:
        return self.text[:40]

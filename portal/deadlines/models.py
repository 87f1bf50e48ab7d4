"""The deadline engine's records: deadlines, extension requests, the in-app inbox and
the delivery log that makes every reminder go out once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from portal.workdays import WorkdayCalendar

Light = Literal["green", "yellow", "red"]
Audience = Literal["responsible", "escalation"]


@dataclass(frozen=True)
class Step:
    """One moment a deadline reminds someone: ``before-7``, ``due``, ``overdue``,
    ``escalation``. Keyed together with the due date it belongs to, so that an extended
    deadline is reminded again on its new schedule."""

    key: str
    fire_at: dt.datetime
    audience: Audience


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """The one "overdue" rule, in SQL: recorded overdue by the scan, or still open past its
    date. `prefix` reaches the deadline through a relation (``"deadline__"`` from a
    follow-up item). Its Python twin is ``Deadline.effective_state``."""
    return Q(**{f"{prefix}state": Deadline.State.OVERDUE}) | Q(
        **{f"{prefix}state": Deadline.State.OPEN, f"{prefix}due__lt": today}
    )


def light_of(state: str, due: dt.date, today: dt.date, yellow_until: dt.date) -> Light | None:
    """`Deadline.light` from a deadline's state and due date alone (a list that reads its
    deadlines as values): red overdue, yellow due by `yellow_until`, green on track; None
    once met or waived."""
    if state in {Deadline.State.MET, Deadline.State.WAIVED}:
        return None
    if today > due:
        return "red"
    if due <= yellow_until:
        return "yellow"
    return "green"


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def overdue(self, today: dt.date) -> DeadlineQuerySet:
        return self.filter(overdue_q(today))


class Deadline(models.Model):
    """Something that must be done by a date: about a record (the subject) or a period
    ("2026", "2026-autumn"), under a rule declared in ``portal.deadlines.registry``."""

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        MET = "met", _("已完成")
        OVERDUE = "overdue", _("已逾期")
        WAIVED = "waived", _("已免除")

    rule = models.CharField(_("规则"), max_length=40)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # `deadline_subject` (content_type, object_id) serves it
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    period = models.CharField(_("期间"), max_length=20, blank=True)
    title = models.CharField(_("事项"), max_length=200, blank=True)
    due = models.DateField(_("期限"))
    due_provisional = models.BooleanField(
        _("暂定"), default=False, help_text=_("按尚未公布的节假日安排计算，公布后重新计算")
    )
    # "N working days after a date": kept so the due date can be recomputed when the
    # office enters a year's holiday schedule.
    due_after = models.DateField(_("起算日"), null=True, blank=True)
    due_workdays = models.SmallIntegerField(_("工作日数"), null=True, blank=True)
    original_due = models.DateField(_("原定期限"))
    responsible_unit = models.ForeignKey(
        "portal.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        blank=True,
        related_name="responsible_deadlines",
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    waive_reason = models.TextField(_("免除理由"), blank=True)
    # When the scan must next look at this deadline; NULL once nothing is left to send.
    next_reminder_at = models.DateTimeField(_("下次提醒"), null=True, blank=True)
    # History is read per deadline (by id); the reminder scan writes a record for each
    # deadline it finds overdue, so the columns nobody searches by carry no index.
    history = HistoricalRecords(
        excluded_fields=["next_reminder_at"], no_db_index=["content_type", "responsible_unit"]
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "period"],
                condition=Q(object_id__isnull=False),
                name="deadline_once_per_subject",
            ),
            models.UniqueConstraint(
                fields=["rule", "period"],
                condition=Q(object_id__isnull=True),
                name="deadline_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(object_id__isnull=False) | ~Q(period=""),
                name="deadline_has_subject_or_period",
            ),
        ]
        indexes = [
            models.Index(fields=["next_reminder_at"], name="deadline_next_reminder"),
            models.Index(fields=["state", "due"], name="deadline_state_due"),
            # The list's order: its first page of 100,000 deadlines is read in index
            # order (0.2 ms) instead of sorting every active one (100 ms on SQLite).
            models.Index(fields=["due", "id"], name="deadline_due"),
            models.Index(fields=["content_type", "object_id"], name="deadline_subject"),
        ]

    def __str__(self) -> str:
        from portal.deadlines import registry
        from portal.deadlines.display import subject_label

        return f"{registry.label(self.rule)}：{subject_label(self)}"

    def get_absolute_url(self) -> str:
        return reverse("deadline_detail", args=[self.pk])

    def clean(self) -> None:
        from portal.deadlines import registry

        if registry.get_or_none(self.rule) is None:
            raise ValidationError({"rule": _("未登记的期限规则：%(rule)s") % {"rule": self.rule}})
        if self.object_id is None and not self.period:
            raise ValidationError(_("期限须关联一条记录或一个期间。"))

    @property
    def is_closed(self) -> bool:
        return self.state in {self.State.MET, self.State.WAIVED}

    # Pure date arithmetic (no database access beyond the calendar given) -------------

    def effective_state(self, today: dt.date) -> str:
        """The state as of `today`: an open deadline past its date is overdue even before
        the scan has recorded it."""
        if self.state == self.State.OPEN and today > self.due:
            return self.State.OVERDUE
        return self.state

    @property
    def is_overdue(self) -> bool:
        """What every page shows as 已逾期 (today in Asia/Shanghai): the record under the
        deadline reads this, never its own copy of the date."""
        return self.effective_state(timezone.localdate()) == self.State.OVERDUE

    def light(self, today: dt.date, yellow_until: dt.date) -> Light | None:
        """The three-colour light: red overdue, yellow due by `yellow_until` (the last
        few working days), green on track; None for a closed deadline."""
        return light_of(self.state, self.due, today, yellow_until)

    def reminder_steps(
        self,
        *,
        offsets: tuple[int, ...],
        escalation_delay: int | None,
        hour: int,
        calendar: WorkdayCalendar,
    ) -> list[Step]:
        """Every reminder of this deadline's current due date, in time order: the offsets
        before it (working days), the overdue notice on the next working day after it,
        and the escalation `escalation_delay` working days after it."""
        return compute_steps(
            self.due,
            offsets=offsets,
            escalation_delay=escalation_delay,
            hour=hour,
            calendar=calendar,
        )


def compute_steps(
    due: dt.date,
    *,
    offsets: tuple[int, ...],
    escalation_delay: int | None,
    hour: int,
    calendar: WorkdayCalendar,
) -> list[Step]:
    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    steps = [
        Step(
            "due" if offset == 0 else f"before-{offset}",
            at(due if offset == 0 else calendar.add_workdays(due, -offset).date),
            "responsible",
        )
        for offset in offsets
    ]
    steps.append(Step("overdue", at(calendar.add_workdays(due, 1).date), "responsible"))
    if escalation_delay is not None:
        escalate_on = calendar.add_workdays(due, escalation_delay).date
        steps.append(Step("escalation", at(escalate_on), "escalation"))
    return sorted(steps, key=lambda step: step.fire_at)


class ExtensionRequest(models.Model):
    """The responsible unit asks for a later date before the deadline; a leader decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("期限"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    reason = models.TextField(_("延期理由"))
    current_due = models.DateField(_("原期限"))
    requested_due = models.DateField(_("申请延至"))
    decision = models.CharField(
        _("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    granted_due = models.DateField(_("批准延至"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(decision="pending"),
                name="extension_one_pending_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} → {self.requested_due:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("deadline_extension_decide", args=[self.pk])

    def clean(self) -> None:
        if self.requested_due and self.current_due and self.requested_due <= self.current_due:
            raise ValidationError({"requested_due": _("申请延至的日期须晚于原期限。")})
        if self.granted_due and self.current_due and self.granted_due <= self.current_due:
            raise ValidationError({"granted_due": _("批准延至的日期须晚于原期限。")})


class Notification(models.Model):
    """One message in a user's in-app inbox: a digest of reminders, or news about an
    extension request. The text is kept as it was said."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("期限提醒")
        ESCALATION = "escalation", _("逾期督办")
        EXTENSION = "extension", _("延期申请")
        MESSAGE = "message", _("通知")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    title = models.CharField(_("标题"), max_length=200)
    # [{"text": ..., "url": ..., "level": "red|yellow|green|", "lines": [...]}]
    items = models.JSONField(_("内容"), default=list)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """The delivery log: one row per message to one recipient on one channel.

    - A *reminder*: one step of one deadline (``deadline``, ``due``, ``step``); the text
      is rendered when it is sent, as one digest per recipient and channel. The unique
      constraints make a reminder go out once: a row is claimed by inserting it, and
      only the scan that inserted it sends it.
    - A *message* of the outbox (``portal.deadlines.outbox``): no deadline; a caller's
      ``key`` (unique) and the text as it was written when queued (``subject``,
      ``body``, ``attachments``), sent on its own; unique per key and channel. Meeting
      invitations, notices of a document to sign.
    """

    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内消息")
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        CLAIMED = "claimed", _("已领取")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，待重试")
        ABANDONED = "abandoned", _("多次失败，已放弃")
        UNKNOWN = "unknown", _("发送中断，结果未知")

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("期限"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # Outbox messages only. Database defaults: the reminder scan inserts rows in raw SQL
    # (``bulk.insert_deliveries``) without these columns.
    key = models.CharField(_("消息标识"), max_length=200, blank=True, default="", db_default="")
    address = models.CharField(_("收件地址"), max_length=254, blank=True, default="", db_default="")
    subject = models.CharField(_("主题"), max_length=300, blank=True, default="", db_default="")
    body = models.TextField(_("正文"), blank=True, default="", db_default="")
    url = models.CharField(_("链接"), max_length=300, blank=True, default="", db_default="")
    # [{"filename": ..., "mimetype": ..., "content": base64}]
    attachments = models.JSONField(_("附件"), null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # `delivery_queued_by`, partial: a reminder has none
    )
    due = models.DateField(_("对应期限"), null=True, blank=True)
    step = models.CharField(_("提醒节点"), max_length=20, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    claimed_by = models.CharField(_("领取标记"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("站内消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        db_index=False,  # `delivery_notification`, partial: pending rows have none
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due", "step", "channel", "recipient"],
                condition=Q(recipient__isnull=False),
                name="delivery_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["deadline", "due", "step", "channel"],
                condition=Q(recipient__isnull=True),
                name="delivery_once_per_group",
            ),
            models.UniqueConstraint(
                fields=["key", "channel"], condition=~Q(key=""), name="delivery_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False, due__isnull=False, key="")
                | Q(deadline__isnull=True, due__isnull=True) & ~Q(key=""),
                name="delivery_reminder_or_message",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_ready"),
            models.Index(fields=["claimed_by"], name="delivery_claim"),
            # Partial: the reminder scan inserts hundreds of thousands of rows with
            # neither, and each full index would take an entry for every one of them.
            models.Index(
                fields=["notification"],
                condition=Q(notification__isnull=False),
                name="delivery_notification",
            ),
            models.Index(
                fields=["queued_by"],
                condition=Q(queued_by__isnull=False),
                name="delivery_queued_by",
            ),
        ]

    def __str__(self) -> str:
        if self.key:
            return f"{self.key}/{self.channel}"
        return f"{self.deadline_id}/{self.due}/{self.step}/{self.channel}/{self.recipient_id}"

    @property
    def is_message(self) -> bool:
        """An outbox message (no deadline), not a reminder."""
        return bool(self.key)

    @property
    def step_label(self) -> str:
        return step_label(self.step)


def step_label(step: str) -> str:
    """ "before-7" → "到期前7个工作日"; "due", "overdue", "escalation" in words."""
    if step.startswith("before-"):
        return _("到期前%(n)s个工作日") % {"n": step.removeprefix("before-")}
    labels = {"due": _("到期当天"), "overdue": _("逾期通知"), "escalation": _("逾期督办")}
    return str(labels.get(step, step))

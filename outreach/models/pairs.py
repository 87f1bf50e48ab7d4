"""Friendship pairs (联系交友, 001 ch. 4): a Party leading cadre and a non-party figure,
from a start date to an (inclusive) end date. A pair lets the leader see the figure's
sensitive data while it lasts (`outreach.access`)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.figures import Figure
from portal.documents.models import DocumentBacked
from portal.models import CPC_STATUSES, Person, choice_label
from portal.paths import detail_path


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


class Contact(models.Model):
    """联系记录: a leader's contact with one or more figures: a visit, a call, an
    invitation, an overseas-liaison exchange. Recorded by the leader, or by the office on
    the leader's behalf. Meets the pairs' yearly quota (`outreach.rules`)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访慰问")
        CALL = "call", _("电话联系")
        INVITATION = "invitation", _("邀请参加活动")
        OVERSEAS = "overseas", _("海外联谊")
        OTHER = "other", _("其他联系")

    leader = models.ForeignKey(
        Person,
        verbose_name=_("联系领导"),
        on_delete=models.PROTECT,
        related_name="outreach_contacts",
    )
    figures = models.ManyToManyField(Figure, verbose_name=_("联系对象"), related_name="contacts")
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.CharField(_("其他参加人员"), max_length=200, blank=True)
    summary = models.TextField(_("情况摘要"), max_length=5000)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[figures])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        # The list pages order by date: the index serves the page without sorting them all.
        indexes = [models.Index(fields=["leader", "date"]), models.Index(fields=["-date", "-id"])]

    def __str__(self) -> str:
        return _("%(leader)s %(date)s %(kind)s") % {
            "leader": self.leader.name,
            "date": self.date,
            "kind": self.get_kind_display(),
        }

    def get_absolute_url(self) -> str:
        return detail_path("contact_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return choice_label(Contact.Kind, self.kind)


class Talk(models.Model):
    """谈心谈话: a leader with one or several figures, written up and sent to the office
    (反馈领导小组办公室), who reads it and may mark it for a briefing. A sent talk meets
    the pairs' quota and, with a key contact, the key contacts' yearly quota."""

    class Mode(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("一对一谈心")
        GROUP = "group", _("一对多集体谈心")
        TOPIC = "topic", _("专题谈心")
        VISIT = "visit", _("走访谈心")
        AD_HOC = "ad_hoc", _("临时约谈")
        DAILY = "daily", _("日常谈话")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SENT = "sent", _("已报送办公室")
        READ = "read", _("办公室已阅")

    leader = models.ForeignKey(
        Person, verbose_name=_("谈话领导"), on_delete=models.PROTECT, related_name="outreach_talks"
    )
    figures = models.ManyToManyField(Figure, verbose_name=_("谈话对象"), related_name="talks")
    mode = models.CharField(_("谈话形式"), max_length=20, choices=Mode.choices)
    date = models.DateField(_("谈话日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    topic = models.CharField(_("主题"), max_length=100, blank=True)
    summary = models.TextField(_("谈话情况"), max_length=5000)
    raised = models.TextField(_("反映的意见建议"), max_length=5000, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("办公室阅知时间"), null=True, blank=True)
    for_briefing = models.BooleanField(_("编入工作简报"), default=False)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[figures])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        indexes = [
            models.Index(fields=["leader", "date"]),
            models.Index(fields=["state"]),
            models.Index(fields=["-date", "-id"]),
        ]

    def __str__(self) -> str:
        return _("%(leader)s %(date)s %(mode)s") % {
            "leader": self.leader.name,
            "date": self.date,
            "mode": self.get_mode_display(),
        }

    def get_absolute_url(self) -> str:
        return detail_path("talk_detail", self.pk)

    @property
    def mode_label(self) -> str:
        return choice_label(Talk.Mode, self.mode)

    @property
    def state_label(self) -> str:
        return choice_label(Talk.State, self.state)

    @property
    def counts(self) -> bool:
        """Sent to the office: it counts for the quotas."""
        return self.state != self.State.DRAFT


class Briefing(DocumentBacked):
    """工作简报 (谈心谈话专辑): the talks the office marked for the briefing over a
    period, compiled into a document that goes through the documents workflow (signed by
    the leader in charge, numbered X统简〔2026〕N号). Its text is composed from the talks
    on every submission (`outreach.services.pairs.briefing_compose`); the figures are not
    named in it."""

    title = models.CharField(_("标题"), max_length=100)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    talks = models.ManyToManyField(Talk, verbose_name=_("收录的谈话"), related_name="briefings")
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_briefing",
        editable=False,
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("编辑人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("编辑时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-end", "-pk"]
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.document_id is not None:
            return reverse("document_detail", args=[self.document_id])
        return reverse("talk_list")

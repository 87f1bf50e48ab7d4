"""Suggestions raised by non-party figures (意见建议), handled and answered (处理) and
fed back to them (情况反馈).

The office records a suggestion (from a talk, a contact, a liaison's report, or brought
directly) and assigns it to a lead unit and optional co-units; the lead unit answers in
writing by a deadline, or sends it back within a few working days when it is not
theirs; the office checks the answer (accepts it or returns it), feeds it back to the
figure and records their satisfaction; an unsatisfied answer can be reopened. Each step
is a declared transition (`outreach.transitions.suggestions`) with its deadline in the
engine (`outreach.rules`); `deadline` is the current step's row, for the list's light.
Each assignment is a `round`: a reassignment, a returned answer or a reopening starts
the next, with deadlines of its own.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.figures import Figure
from outreach.models.pairs import Contact, Talk
from portal.deadlines.models import Deadline
from portal.models import Unit, choice_label
from portal.paths import detail_path


class Suggestion(models.Model):
    class Source(models.TextChoices):
        TALK = "talk", _("谈心谈话")
        CONTACT = "contact", _("联系走访")
        LIAISON = "liaison", _("联络员报告")
        DIRECT = "direct", _("直接提出")

    class State(models.TextChoices):
        NEW = "new", _("待交办")
        ASSIGNED = "assigned", _("办理中")
        SENT_BACK = "sent_back", _("被退回待重新交办")
        ANSWERED = "answered", _("已答复待审核")
        APPROVED = "approved", _("待反馈")
        FED_BACK = "fed_back", _("已反馈")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    class FeedbackMeans(models.TextChoices):
        IN_PERSON = "in_person", _("当面反馈")
        PHONE = "phone", _("电话反馈")
        WRITTEN = "written", _("书面反馈")
        OTHER = "other", _("其他方式")

    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("意见建议内容"), max_length=5000)
    figure = models.ForeignKey(
        Figure,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        null=True,
        blank=True,
    )
    raised_by = models.CharField(
        _("提出人（非登记人员）"), max_length=100, blank=True, help_text=_("未登记的党外人士或群体")
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    talk = models.ForeignKey(
        Talk, verbose_name=_("来源谈话"), on_delete=models.SET_NULL, null=True, blank=True
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("来源联系"), on_delete=models.SET_NULL, null=True, blank=True
    )
    raised_on = models.DateField(_("提出日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.NEW)
    round = models.PositiveSmallIntegerField(_("交办轮次"), default=0)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头办理单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name=_("协办单位"), related_name="+", blank=True
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    send_back_reason = models.TextField(_("退回理由"), blank=True)
    answer = models.TextField(_("办理答复"), max_length=5000, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    feedback_means = models.CharField(
        _("反馈方式"), max_length=10, choices=FeedbackMeans.choices, blank=True
    )
    feedback_by = models.CharField(_("反馈人"), max_length=50, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    feedback_note = models.TextField(_("反馈情况"), blank=True)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("当前期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[co_units])

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["-raised_on", "-id"]),  # the list's order, without a sort
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("suggestion_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Suggestion.State, self.state)

    @property
    def satisfaction_label(self) -> str:
        return choice_label(Suggestion.Satisfaction, self.satisfaction)

    @property
    def proposer(self) -> str:
        if self.figure_id is not None:
            return self.figure.person.name  # type: ignore[union-attr]
        return self.raised_by

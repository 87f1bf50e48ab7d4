"""Reports upward: the annual report (年度工作汇报) on a year's work, due before 15 January
of the following year, issued through the documents workflow (the group leader signs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.deadlines.models import Deadline
from portal.documents.models import DocumentBacked
from portal.lib.numerals import chinese_numeral
from portal.models import Unit, choice_label
from portal.paths import detail_path
from portal.uploads import EVIDENCE, UploadPath, UploadValidator

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class DraftedReport(DocumentBacked):
    """A report upward drafted by the office in sections (一、二、…), each of which may be
    filled from the year's data (`reports.sources`), and issued as its document
    (`DocumentBacked`: its state is the document's). The annual report and the
    inspection self-report; the concrete model declares its `document` link and its
    `sections` (a `DraftedSection`). Writes: `reports.services`."""

    title = models.CharField(_("标题"), max_length=100)
    addressee = models.CharField(
        _("主送"), max_length=200, blank=True, help_text=_("如“上级党委统战部”")
    )

    if TYPE_CHECKING:
        year: int
        sections: RelatedManager[DraftedSection]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        raise NotImplementedError  # each report's own page

    @property
    def opening_text(self) -> str:
        """The paragraphs before the first section (none in the annual report)."""
        return ""


class DraftedSection(models.Model):
    """一、二、…: a part of a drafted report. `source` names what filled it (a source of
    `reports.sources`, or an outline part of the self-report), so filling again replaces
    that section, not another."""

    position = models.PositiveSmallIntegerField(_("顺序"))
    heading = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True, help_text=_("空一行分段。"))
    source = models.CharField(_("来源"), max_length=40, blank=True, editable=False)
    # The figures the generated body states, each with the list it counts
    # ({"label", "value", "unit", "url"}), as of the last 从…生成.
    figures = models.JSONField(_("数据"), default=list, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return self.numbered_heading

    @property
    def numbered_heading(self) -> str:
        return f"{chinese_numeral(self.position)}、{self.heading}"


class AnnualReport(DraftedReport):
    """年度工作汇报 on `year`, due before 15 January of the next year."""

    year = models.PositiveSmallIntegerField(_("汇报年度"), unique=True)
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_report",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        sections: RelatedManager[AnnualReportSection]  # type: ignore[assignment]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度工作汇报")
        verbose_name_plural = _("年度工作汇报")

    def get_absolute_url(self) -> str:
        return reverse("annual_report_detail", args=[self.year])


class AnnualReportSection(DraftedSection):
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("汇报")
    )
    history = HistoricalRecords()

    class Meta(DraftedSection.Meta):
        verbose_name = _("汇报部分")
        verbose_name_plural = _("汇报部分")
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_section_position")
        ]


class InspectionSelfReport(DraftedReport):
    """工作情况汇报提纲 (seed 004): when an upper level announces an inspection (督查) of
    the college's united-front work, the office drafts the report the inspection group
    hears, on the work of `year`, in 004's outline (an opening to the inspection group,
    then 一、引领宣传… 二、… each filled from the year's data), due on `due_on` (a
    deadline of rule ``inspection_self_report``, met when issued); the group leader
    signs it like the annual report."""

    year = models.PositiveSmallIntegerField(_("汇报年度"))
    inspection = models.CharField(
        _("督查事项"),
        max_length=200,
        help_text=_("上级通知的名称或督查内容，如“关于做好统战工作专项督查准备工作的通知”"),
    )
    due_on = models.DateField(_("材料报送截止日期"))
    opening = models.TextField(_("开头语"), blank=True, help_text=_("空一行分段。"))
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_self_report",
        editable=False,
    )
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("报送期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        sections: RelatedManager[InspectionSelfReportSection]  # type: ignore[assignment]

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("督查汇报提纲")
        verbose_name_plural = _("督查汇报提纲")

    def get_absolute_url(self) -> str:
        return detail_path("self_report_detail", self.pk)

    @property
    def due(self) -> dt.date:
        """When the report is due: its deadline's date (the engine's, an approved
        extension included), else the date entered. Load `deadline` with the report."""
        return self.deadline.due if self.deadline is not None else self.due_on

    @property
    def opening_text(self) -> str:
        return self.opening


class InspectionSelfReportSection(DraftedSection):
    report = models.ForeignKey(
        InspectionSelfReport,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("汇报提纲"),
    )
    history = HistoricalRecords()

    class Meta(DraftedSection.Meta):
        verbose_name = _("汇报提纲部分")
        verbose_name_plural = _("汇报提纲部分")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="self_report_section_position"
            )
        ]


# Performance review of member units (述职评议, 000 §三(三)) ---------------------------------


def default_excellent_cap() -> int:
    return int(getattr(settings, "REPORTS_EXCELLENT_CAP_PERCENT", 30))


class ReviewRound(models.Model):
    """A round of 述职评议: the office calls the member units to report on a half-year or
    a year (a `PerformanceReport` each, due on `due_on`), then rates them (by itself or
    by an anonymous ballot of the group's members), ranks them “前5后3” and locks the
    result, which changes only by a recorded reopen. Workflow: `reports.review_transitions`.
    """

    class Kind(models.TextChoices):
        HALF_YEAR = "half", _("半年述职")
        ANNUAL = "annual", _("年度述职")

    class Method(models.TextChoices):
        OFFICE = "office", _("办公室测评")
        BALLOT = "ballot", _("领导小组成员无记名测评")

    class State(models.TextChoices):
        REPORTING = "reporting", _("述职中")
        RATING = "rating", _("测评中")
        LOCKED = "locked", _("结果已锁定")

    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("述职要求"), blank=True)
    due_on = models.DateField(_("述职报告报送截止日期"))
    method = models.CharField(
        _("测评方式"), max_length=8, choices=Method.choices, default=Method.OFFICE
    )
    excellent_cap = models.PositiveSmallIntegerField(
        _("“优秀”比例上限（%）"),
        default=default_excellent_cap,
        help_text=_("如 30 表示“优秀”不超过参评单位的30%。"),
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.REPORTING, db_index=True
    )
    units = models.ManyToManyField(Unit, verbose_name=_("参评单位"), related_name="+")
    opened_by = models.ForeignKey(
        "portal.User", verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[units])

    if TYPE_CHECKING:
        reports: RelatedManager[PerformanceReport]
        ratings: RelatedManager[Rating]
        papers: RelatedManager[ReviewPaper]

    class Meta:
        ordering = ["-year", "-kind", "-pk"]
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="review_round_once"),
            models.CheckConstraint(
                condition=models.Q(excellent_cap__lte=100), name="review_round_cap_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("review_round_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(ReviewRound.State, self.state)

    @property
    def kind_label(self) -> str:
        return choice_label(ReviewRound.Kind, self.kind)

    @property
    def is_locked(self) -> bool:
        return self.state == ReviewRound.State.LOCKED


class PerformanceReport(models.Model):
    """述职报告: one member unit's report in a round, drafted by its commissioner or
    contact (or the office for it) on each of its work-points items and on its duties,
    then confirmed by the unit's head (its member of the leading group; the office
    where the unit has none). Workflow: `reports.review_transitions`."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("待报送")
        SUBMITTED = "submitted", _("待负责人确认")
        RETURNED = "returned", _("退回修改")
        CONFIRMED = "confirmed", _("已确认")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("述职评议"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    duties = models.TextField(_("履行统战工作职责情况"), blank=True)
    plans = models.TextField(_("存在问题和下一步打算"), blank=True)
    return_note = models.TextField(_("退回意见"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("报送期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        items: RelatedManager[PerformanceReportItem]

    class Meta:
        ordering = ["round", "unit__sort_order", "unit__name"]
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="performance_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.round.title}"

    def get_absolute_url(self) -> str:
        return detail_path("performance_report_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(PerformanceReport.State, self.state)

    @property
    def due(self) -> dt.date:
        """When the report is due: its deadline's date (an approved extension moves it
        for this unit alone), else the round's. Load `deadline` with the report."""
        return self.deadline.due if self.deadline is not None else self.round.due_on

    @property
    def is_late(self) -> bool:
        """报送逾期: submitted after its due date, or not submitted and the date has
        passed (by the local clock)."""
        due = self.due
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > due
        return timezone.localdate() > due


class PerformanceReportItem(models.Model):
    """What the unit did on one work-points item it leads or shares (the item's progress
    is read from its progress reports, not typed again). An item deleted from a plan
    still being drafted takes its lines with it."""

    report = models.ForeignKey(
        PerformanceReport,
        verbose_name=_("述职报告"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    item = models.ForeignKey(
        "groups.WorkPointsItem",
        verbose_name=_("工作要点事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("落实情况"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "item__number"]
        verbose_name = _("述职事项")
        verbose_name_plural = _("述职事项")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="performance_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.item}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    QUALIFIED = "qualified", _("合格")


# A ballot's grade as a score out of 100 (the mean of a unit's ballots ranks it).
GRADE_POINTS = {Grade.EXCELLENT: 100, Grade.GOOD: 80, Grade.QUALIFIED: 60}


class Rating(models.Model):
    """A unit's result in a round: the grade, the score it is ranked by, the comment
    fed back to it, and, once locked, its rank and place (前5 / 后3)."""

    class Place(models.TextChoices):
        TOP = "top", _("表扬（前5）")
        BOTTOM = "bottom", _("点评（后3）")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("述职评议"), on_delete=models.CASCADE, related_name="ratings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("测评等次"), max_length=10, choices=Grade.choices, blank=True)
    score = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("0–100")
    )
    comment = models.TextField(_("点评意见"), blank=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True, editable=False)
    place = models.CharField(
        _("前5后3"), max_length=8, choices=Place.choices, blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "rank", "unit__sort_order", "unit__name"]
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="rating_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="rating_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit.name}"

    @property
    def grade_label(self) -> str:
        return choice_label(Grade, self.grade) if self.grade else ""

    @property
    def place_label(self) -> str:
        return choice_label(Rating.Place, self.place) if self.place else ""


class Ballot(models.Model):
    """One anonymous ballot of a round: the grades, and nothing about who cast it. Its
    key is random and it has no time and no history, so neither its order nor a
    timestamp ties it to a `BallotReceipt`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        ReviewRound, verbose_name=_("述职评议"), on_delete=models.CASCADE, related_name="ballots"
    )

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")

    def __str__(self) -> str:
        return str(_("测评票"))


class BallotGrade(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("测评票"), on_delete=models.CASCADE, related_name="grades"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("测评等次"), max_length=10, choices=Grade.choices)

    class Meta:
        verbose_name = _("测评票等次")
        verbose_name_plural = _("测评票等次")
        constraints = [models.UniqueConstraint(fields=["ballot", "unit"], name="ballot_grade_once")]

    def __str__(self) -> str:
        return self.get_grade_display()


class BallotReceipt(models.Model):
    """That a member has voted in a round (so they vote once), kept apart from the
    ballot itself."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("述职评议"), on_delete=models.CASCADE, related_name="receipts"
    )
    voter = models.ForeignKey(
        "portal.User", verbose_name=_("投票人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_receipt_once")
        ]

    def __str__(self) -> str:
        return str(_("已投票"))


class ReviewPaper(DocumentBacked):
    """What a locked round issues through the documents workflow: the written feedback
    to one unit (测评结果反馈, its own result and comments only) or the commendation
    notice to the school (通报表扬). The office edits the text drafted from the result;
    the document takes it on every submission (`reports.documents`)."""

    class Purpose(models.TextChoices):
        FEEDBACK = "feedback", _("测评结果反馈")
        COMMENDATION = "commendation", _("通报表扬")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("述职评议"), on_delete=models.CASCADE, related_name="papers"
    )
    purpose = models.CharField(_("类别"), max_length=12, choices=Purpose.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("反馈单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("正文"))
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_paper",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "purpose", "unit__sort_order", "unit__name"]
        verbose_name = _("述职评议文书")
        verbose_name_plural = _("述职评议文书")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "purpose"],
                condition=models.Q(unit__isnull=True),
                name="review_paper_once",
            ),
            models.UniqueConstraint(
                fields=["round", "purpose", "unit"],
                condition=models.Q(unit__isnull=False),
                name="review_paper_once_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="feedback", unit__isnull=False)
                | (~models.Q(purpose="feedback") & models.Q(unit__isnull=True)),
                name="review_paper_unit_for_feedback",
            ),
        ]

    def __str__(self) -> str:
        label = choice_label(ReviewPaper.Purpose, self.purpose)
        return f"{self.round.title}{label}" + (f"（{self.unit.name}）" if self.unit else "")

    def get_absolute_url(self) -> str:
        return self.round.get_absolute_url()

    @property
    def purpose_label(self) -> str:
        return choice_label(ReviewPaper.Purpose, self.purpose)


class TargetStatement(models.Model):
    """目标责任书 (002 item 14): at the start of the year, what a member unit undertakes —
    the work-points items it leads or shares, and its united-front duties — signed off
    by the office. The year's performance report is made against it: a round lists the
    items of the unit's signed statement. Workflow: `reports.review_transitions`."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("待签订")
        SIGNED = "signed", _("已签订")

    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    targets = models.TextField(_("统战工作职责和目标"), help_text=_("每行一项。"))
    items = models.ManyToManyField(
        "groups.WorkPointsItem", verbose_name=_("承担的工作要点事项"), blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("签订时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("签订人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        ordering = ["-year", "unit__sort_order", "unit__name"]
        verbose_name = _("目标责任书")
        verbose_name_plural = _("目标责任书")
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="target_statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.year}年度统战工作目标责任书"

    def get_absolute_url(self) -> str:
        return detail_path("target_statement_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(TargetStatement.State, self.state)

    @property
    def target_lines(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]


# Experiences and information upward ---------------------------------------------------
# 000 §二(四) 信息编报 and §三(七) 经验交流制度: a unit's good practice (经验做法) goes to the
# office, which selects it, reports it upward and records its publication (the unit is
# then commended, 通报表扬); the office compiles selected ones into a booklet or
# briefing issued as a document; information (统战信息) is reviewed by the office, sent
# upward and adopted or not there. Workflows in `reports.upward_transitions`.


class Experience(models.Model):
    """经验做法: a unit's good practice, submitted to the office at any time."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("起草中")
        SUBMITTED = "submitted", _("待遴选")
        SELECTED = "selected", _("已入选")
        NOT_SELECTED = "not_selected", _("未入选")
        REPORTED = "reported", _("已报送上级")
        PUBLISHED = "published", _("获刊发")

    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"), help_text=_("空一行分段。"))
    attachment = models.FileField(
        _("附件"),
        upload_to=UploadPath("experiences"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送办公室时间"), null=True, blank=True)
    not_selected_reason = models.TextField(_("未入选原因"), blank=True)
    reported_on = models.DateField(_("报送上级日期"), null=True, blank=True)
    reported_to = models.CharField(_("报送单位"), max_length=200, blank=True)
    published_outlet = models.CharField(_("刊发载体"), max_length=200, blank=True)
    published_on = models.DateField(_("刊发日期"), null=True, blank=True)
    speech_meeting = models.CharField(_("交流发言会议"), max_length=200, blank=True)
    speech_on = models.DateField(_("交流发言日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("经验做法")
        verbose_name_plural = _("经验做法")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("experience_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Experience.State, self.state)


class Commendation(models.Model):
    """通报表扬: a unit commended because its experience was published upward."""

    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    experience = models.OneToOneField(
        Experience,
        verbose_name=_("经验做法"),
        on_delete=models.PROTECT,
        related_name="commendation",
    )
    commended_on = models.DateField(_("表扬日期"))
    text = models.CharField(_("表扬事由"), max_length=500)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-commended_on", "-id"]
        verbose_name = _("通报表扬")
        verbose_name_plural = _("通报表扬")

    def __str__(self) -> str:
        return self.text


class Briefing(DocumentBacked):
    """经验交流材料汇编 / 简报: selected experiences compiled in order by the office and
    issued through the documents workflow (kind ``experience_briefing``)."""

    title = models.CharField(_("标题"), max_length=100)
    addressee = models.CharField(_("主送"), max_length=200, blank=True)
    foreword = models.TextField(_("编者按"), blank=True, help_text=_("空一行分段。"))
    created_at = models.DateTimeField(_("编印时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("编印人"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="briefing",
        editable=False,
    )
    history = HistoricalRecords()

    if TYPE_CHECKING:
        entries: RelatedManager[BriefingEntry]

    class Meta:
        ordering = ["-id"]
        verbose_name = _("经验交流材料")
        verbose_name_plural = _("经验交流材料")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("experience_briefing_detail", self.pk)


class BriefingEntry(models.Model):
    """One experience in a briefing, at `position` (1, 2, …)."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="entries", verbose_name=_("经验交流材料")
    )
    experience = models.ForeignKey(
        Experience, on_delete=models.PROTECT, related_name="+", verbose_name=_("经验做法")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["briefing", "position"]
        verbose_name = _("收录经验")
        verbose_name_plural = _("收录经验")
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "position"], name="briefing_entry_position"
            ),
            models.UniqueConstraint(fields=["briefing", "experience"], name="briefing_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.experience_id}"


class InformationReport(models.Model):
    """统战信息: drafted by a unit (or the office), reviewed by the office, sent upward
    (报送) and adopted (采用) or not by the upper level. `year` is the year it was first
    submitted to the office, the year it counts in."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("起草中")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("审核通过")
        SENT = "sent", _("已报送")
        ADOPTED = "adopted", _("已采用")
        NOT_ADOPTED = "not_adopted", _("未采用")

    class Level(models.TextChoices):
        NATIONAL = "national", _("中央")
        PROVINCIAL = "provincial", _("自治区（省）")
        CITY = "city", _("市")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        "portal.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("正文"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFTING, db_index=True
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送办公室时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    sent_to = models.CharField(_("报送对象"), max_length=200, blank=True)
    adoption_level = models.CharField(
        _("采用层级"), max_length=12, choices=Level.choices, blank=True
    )
    adoption_outlet = models.CharField(_("采用载体"), max_length=200, blank=True)
    adopted_on = models.DateField(_("采用日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["year", "unit"])]  # the summary's counts
        verbose_name = _("统战信息")
        verbose_name_plural = _("统战信息")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("information_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(InformationReport.State, self.state)

    @property
    def adoption_level_label(self) -> str:
        level = self.adoption_level
        return choice_label(InformationReport.Level, level) if level else ""

"""督促检查 (000 §三(五)(六)): the office's supervision work. Rectification (整改), what
every inspection, admonition talk and upper-level check ends in; admonition talks
(通报约谈); supervision cases (督促检查) with their findings, instructions and papers.

A `Rectification` is owned by one unit: the problem found, the measures it takes
(`Measure`, each verified by the office on its own), a due date the deadline engine
watches (`rectification_due`: reminders, escalation once overdue, an extension asked
and decided as for any deadline), and the unit's progress reports with evidence
(`Progress`). The due date is the deadline's (one source: a granted extension moves
it). It closes (销号) only when every measure is verified. A `SupervisionCase` is a
plan approved by the group leader (or a delegated deputy), its `Finding`s per unit and
item, the leaders' `Instruction`s, and its `CasePaper`s (report, letters, notice)
issued through the documents workflow. The workflows: `inspections.transitions`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.deadlines.models import Deadline
from portal.documents.models import DocumentBacked
from portal.models import Person, Unit, choice_label
from portal.paths import detail_path
from portal.uploads import EVIDENCE, UploadPath, UploadValidator


class Rectification(models.Model):
    """整改: a unit's rectification of a problem, measure by measure."""

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已销号")
        CANCELLED = "cancelled", _("已撤销")

    class Source(models.TextChoices):
        SUPERVISION = "supervision", _("督促检查")
        ADMONITION = "admonition", _("通报约谈")
        UPPER = "upper", _("上级检查")
        RESEARCH = "research", _("调研指导")
        OTHER = "other", _("其他")

    unit = models.ForeignKey(
        Unit, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="rectifications"
    )
    source = models.CharField(_("问题来源"), max_length=12, choices=Source.choices)
    title = models.CharField(_("整改事项"), max_length=200)
    problem = models.TextField(_("存在问题"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_on = models.DateField(_("交办日期"))
    opened_at = models.DateTimeField(_("交办时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        "portal.User", verbose_name=_("交办人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    conclusion = models.TextField(_("销号意见"), blank=True)
    # The due date lives on the deadline only (an extension granted there moves it).
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("整改时限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["-opened_on", "-id"])]  # the list's order
        verbose_name = _("整改")
        verbose_name_plural = _("整改")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("rectification_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Rectification.State, self.state)

    @property
    def source_label(self) -> str:
        return choice_label(Rectification.Source, self.source)


class Measure(models.Model):
    """整改措施: one measure of a rectification. The unit reports it done (with what it
    did); the office accepts it, or reopens it with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("整改中")
        REPORTED = "reported", _("待核验")
        ACCEPTED = "accepted", _("已核验")
        REOPENED = "reopened", _("退回整改")

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("整改措施"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    report = models.TextField(_("完成情况"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    verified_on = models.DateField(_("核验日期"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("核验人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("退回原因"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rectification", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification", "position"], name="measure_position_unique"
            )
        ]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"

    @property
    def state_label(self) -> str:
        return choice_label(Measure.State, self.state)


class Progress(models.Model):
    """进展报告: what the unit reports on its way, about the whole rectification or one
    measure, with evidence (a document, a spreadsheet or a photo)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), on_delete=models.CASCADE, related_name="progress"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("整改措施"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress",
    )
    text = models.TextField(_("进展情况"))
    evidence = models.FileField(
        _("佐证材料"),
        upload_to=UploadPath("rectifications"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    reported_by = models.ForeignKey(
        "portal.User", verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")

    def __str__(self) -> str:
        return self.text[:40]


class InspectionItem(models.Model):
    """An inspection item (督查事项): from the upper level's list of supervision and
    inspection items (自治区督查检查考核事项清单) or the college's own needs; the office
    keeps the list in the admin, and a case's plan picks from it."""

    class Source(models.TextChoices):
        UPPER = "upper", _("上级督查事项清单")
        LOCAL = "local", _("本校工作需要")

    name = models.CharField(_("督查事项"), max_length=200, unique=True)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.UPPER)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("督查事项")
        verbose_name_plural = _("督查事项")

    def __str__(self) -> str:
        return self.name


class SupervisionCase(models.Model):
    """督促检查 (000 §三(六)): a case's plan (scope, the units inspected, the items, the
    working group), approved by the group leader or the deputy they delegate this case
    to; the inspection period and the findings per unit and item; the report, due 20
    working days after the period's end (`supervision_report`) and issued through the
    documents workflow to the leader and deputies, with their instructions (批示); a
    feedback letter to each unit; a notice (通报) of the outstanding problems; problems
    assigned as rectifications."""

    class State(models.TextChoices):
        DRAFT = "draft", _("方案拟定")
        SUBMITTED = "submitted", _("待批准")
        APPROVED = "approved", _("督查中")
        CLOSED = "closed", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    title = models.CharField(_("督查名称"), max_length=200)
    scope = models.TextField(_("督查范围和内容"))
    units = models.ManyToManyField(Unit, verbose_name=_("被督查单位"), related_name="+")
    items = models.ManyToManyField(
        InspectionItem, verbose_name=_("督查事项"), related_name="+", blank=True
    )
    local_items = models.TextField(_("其他督查事项"), blank=True)
    team_lead = models.CharField(_("工作组组长"), max_length=100)
    team = models.TextField(_("工作组成员"))
    period_start = models.DateField(_("督查开始日期"))
    period_end = models.DateField(_("督查结束日期"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("拟定人"), on_delete=models.PROTECT, related_name="+"
    )
    # The group leader may delegate this case's approval to a deputy (revocable until used).
    delegate = models.ForeignKey(
        "portal.User",
        verbose_name=_("受委托副组长"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_note = models.TextField(_("批准意见"), blank=True)
    return_reason = models.TextField(_("退回意见"), blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("督查报告期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["-period_start", "-id"])]  # the list's order
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="supervision_period_ordered",
                violation_error_message=_("督查结束日期不能早于开始日期。"),
            )
        ]
        verbose_name = _("督促检查")
        verbose_name_plural = _("督促检查")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("supervision_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(SupervisionCase.State, self.state)

    def local_item_lines(self) -> list[str]:
        return [line.strip() for line in self.local_items.splitlines() if line.strip()]


class Finding(models.Model):
    """督查发现: what the working group found at one unit on one item (or a local item),
    with evidence; a problem may be assigned as a rectification (整改)."""

    case = models.ForeignKey(
        SupervisionCase,
        verbose_name=_("督促检查"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        InspectionItem,
        verbose_name=_("督查事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    item_text = models.CharField(_("其他督查事项"), max_length=200, blank=True)
    text = models.TextField(_("检查情况"))
    is_problem = models.BooleanField(_("存在问题"), default=False)
    is_outstanding = models.BooleanField(_("突出问题（通报）"), default=False)
    evidence = models.FileField(
        _("佐证材料"),
        upload_to=UploadPath("supervision"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("交办整改"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "unit__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_outstanding=False) | models.Q(is_problem=True),
                name="finding_outstanding_is_problem",
                violation_error_message=_("只有存在问题的发现才能列为突出问题。"),
            )
        ]
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.text[:40]}"

    @property
    def item_label(self) -> str:
        return self.item.name if self.item_id and self.item else self.item_text


class Instruction(models.Model):
    """批示: a leader's instruction on a case's report (the group leader and deputies
    review it; the Party committee's, when it went there, recorded by the office)."""

    class Source(models.TextChoices):
        LEADER = "leader", _("领导小组领导")
        PARTY_COMMITTEE = "party", _("校党委")

    case = models.ForeignKey(
        SupervisionCase,
        verbose_name=_("督促检查"),
        on_delete=models.CASCADE,
        related_name="instructions",
    )
    source = models.CharField(_("批示来源"), max_length=8, choices=Source.choices)
    author = models.CharField(_("批示人"), max_length=100)
    text = models.TextField(_("批示意见"))
    given_on = models.DateField(_("批示日期"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = _("批示")
        verbose_name_plural = _("批示")

    def __str__(self) -> str:
        return f"{self.author}：{self.text[:40]}"


class CasePaper(DocumentBacked):
    """A paper of a case issued through the documents workflow: the report (督查报告), a
    feedback letter to one inspected unit (反馈意见), or the notice of outstanding
    problems (通报). The office writes its text here; the document takes it on every
    submission (`inspections.documents`)."""

    class Purpose(models.TextChoices):
        REPORT = "report", _("督查报告")
        FEEDBACK = "feedback", _("反馈意见")
        NOTICE = "notice", _("督查通报")

    case = models.ForeignKey(
        SupervisionCase, verbose_name=_("督促检查"), on_delete=models.CASCADE, related_name="papers"
    )
    purpose = models.CharField(_("类别"), max_length=8, choices=Purpose.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("反馈单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("正文"))
    to_party_committee = models.BooleanField(_("报校党委"), default=False)
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_paper",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "purpose", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "purpose"],
                condition=models.Q(unit__isnull=True),
                name="case_paper_once",
            ),
            models.UniqueConstraint(
                fields=["case", "purpose", "unit"],
                condition=models.Q(unit__isnull=False),
                name="case_paper_once_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="feedback", unit__isnull=False)
                | (~models.Q(purpose="feedback") & models.Q(unit__isnull=True)),
                name="case_paper_unit_for_feedback",
            ),
        ]
        verbose_name = _("督查文书")
        verbose_name_plural = _("督查文书")

    def __str__(self) -> str:
        label = choice_label(CasePaper.Purpose, self.purpose)
        return f"{self.case.title}{label}" + (f"（{self.unit.name}）" if self.unit else "")

    @property
    def purpose_label(self) -> str:
        return choice_label(CasePaper.Purpose, self.purpose)


class AdmonitionTrigger(models.Model):
    """One of the situations for which the office proposes an admonition talk (000
    §三(五) lists six); the office keeps the list in the admin."""

    name = models.CharField(_("情形"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("通报约谈情形")
        verbose_name_plural = _("通报约谈情形")

    def __str__(self) -> str:
        return self.name


class Admonition(models.Model):
    """通报约谈 (000 §三(五)): proposed by the office (with other departments where
    needed) against a member unit for one of the listed situations; the talk itself;
    the unit's written report of its self-inspection and rectification, due a set number
    of working days after the talk (`admonition_report`); the office's verdict, which
    may assign a rectification (整改) for what is still not done."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待约谈")
        TALKED = "talked", _("待报送整改报告")
        REPORTED = "reported", _("待审核")
        CONCLUDED = "concluded", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Verdict(models.TextChoices):
        DONE = "done", _("整改到位")
        RECTIFY = "rectify", _("转交办整改")

    unit = models.ForeignKey(
        Unit, verbose_name=_("约谈单位"), on_delete=models.PROTECT, related_name="admonitions"
    )
    triggers = models.ManyToManyField(
        AdmonitionTrigger, verbose_name=_("约谈情形"), related_name="+"
    )
    facts = models.TextField(_("存在问题"))
    partners = models.CharField(_("会同部门"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    proposed_on = models.DateField(_("提出日期"))
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    proposed_by = models.ForeignKey(
        "portal.User", verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    talk_on = models.DateField(_("约谈日期"), null=True, blank=True)
    participants = models.TextField(_("参加人员"), blank=True)
    record = models.TextField(_("约谈记录"), blank=True)
    report = models.TextField(_("整改落实情况"), blank=True)
    report_file = models.FileField(
        _("书面报告"),
        upload_to=UploadPath("admonitions"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    verdict = models.CharField(_("办理结论"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("办理意见"), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("交办整改"),
        on_delete=models.SET_NULL,
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

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["-proposed_on", "-id"])]  # the list's order
        verbose_name = _("通报约谈")
        verbose_name_plural = _("通报约谈")

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.proposed_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return detail_path("admonition_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(Admonition.State, self.state)

    @property
    def verdict_label(self) -> str:
        return choice_label(Admonition.Verdict, self.verdict) if self.verdict else ""


# Research guidance (调研指导) and research topics (调研课题) ------------------------------
# 000 §三(二): the office keeps contact points with member units and departments, and
# once a year guides and inspects how the major decisions are carried out; within one
# month of the visit's end its report goes to the group (and upward where fitting).
# 000 §二(五): the topics the office sets each year from the work points and new
# questions, taken by a member unit or a non-party figure.

RESEARCH_SUBJECT = (
    "贯彻落实习近平总书记关于加强和改进统一战线工作的重要思想、党中央和中央统战部、"
    "自治区党委关于统战工作重大决策部署情况"
)


class ContactPoint(models.Model):
    """调研指导联系点: a unit the office keeps regular contact with, since a date, until
    it is ended; the office's contact person for it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("联系点单位"), on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("设立日期"))
    until = models.DateField(_("撤销日期"), null=True, blank=True)
    contact = models.ForeignKey(
        "portal.User",
        verbose_name=_("办公室联系人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__sort_order", "unit__name", "-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(until__isnull=True),
                name="contact_point_one_current_per_unit",
            )
        ]
        verbose_name = _("调研指导联系点")
        verbose_name_plural = _("调研指导联系点")

    def __str__(self) -> str:
        return self.unit.name

    @property
    def is_current(self) -> bool:
        return self.until is None


class ResearchVisit(models.Model):
    """调研指导: the year's research-guidance visit to units (typically the contact
    points); when it has ended its report is due within one calendar month
    (`research_report`, on the office), submitted to the group, possibly sent upward,
    with the group's response. Problems found are assigned as rectifications."""

    class State(models.TextChoices):
        PLANNED = "planned", _("计划中")
        ENDED = "ended", _("待报送报告")
        REPORTED = "reported", _("已报领导小组")
        CANCELLED = "cancelled", _("已取消")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    subject = models.CharField(_("调研主题"), max_length=300, default=RESEARCH_SUBJECT)
    plan = models.TextField(_("调研方案"))
    units = models.ManyToManyField(Unit, verbose_name=_("调研单位"), related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    findings = models.TextField(_("调研发现"), blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    planned_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    planned_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.TextField(_("调研指导报告"), blank=True)
    report_file = models.FileField(
        _("报告文件"),
        upload_to=UploadPath("research"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    reported_on = models.DateField(_("报送领导小组日期"), null=True, blank=True)
    # Sent upward (报上级部门) when the date is set.
    sent_upward_on = models.DateField(_("报上级部门日期"), null=True, blank=True)
    sent_upward_to = models.CharField(_("报送上级部门"), max_length=200, blank=True)
    response = models.TextField(_("领导小组意见"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    rectifications = models.ManyToManyField(
        Rectification, verbose_name=_("交办整改"), related_name="research_visits", blank=True
    )
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("报告期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-starts_on", "-id"]
        indexes = [models.Index(fields=["-year", "-starts_on", "-id"])]  # the list's order
        verbose_name = _("调研指导")
        verbose_name_plural = _("调研指导")

    def __str__(self) -> str:
        return f"{self.year}年度调研指导"

    def get_absolute_url(self) -> str:
        return detail_path("research_visit_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(ResearchVisit.State, self.state)

    @property
    def is_sent_upward(self) -> bool:
        return self.sent_upward_on is not None


TAKER_MESSAGE = _("请选择承担单位或承担人（党外人士）中的一项，且只选一项。")


class ResearchTopic(models.Model):
    """调研课题: set by the office for a year (from an item of the work points, or a new
    question), taken by a member unit or a non-party figure (one of them), with an
    optional due date the deadline engine watches (`research_topic_due`); its outcome
    (a report, a paper, …), whether it went upward and any award."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("拟立项")
        ASSIGNED = "assigned", _("研究中")
        COMPLETED = "completed", _("已结题")
        DROPPED = "dropped", _("已撤销")

    class OutcomeKind(models.TextChoices):
        REPORT = "report", _("调研报告")
        PAPER = "paper", _("论文")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("课题名称"), max_length=200)
    description = models.TextField(_("研究内容"))
    work_points_item = models.ForeignKey(
        "groups.WorkPointsItem",
        verbose_name=_("对应工作要点"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    origin = models.CharField(_("课题来源"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承担单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("承担人（党外人士）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    proposed_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    proposed_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    outcome_kind = models.CharField(
        _("成果形式"), max_length=10, choices=OutcomeKind.choices, blank=True
    )
    outcome = models.TextField(_("研究成果"), blank=True)
    outcome_file = models.FileField(
        _("成果文件"),
        upload_to=UploadPath("research"),
        validators=[UploadValidator(kinds=EVIDENCE)],
        blank=True,
    )
    completed_on = models.DateField(_("结题日期"), null=True, blank=True)
    sent_upward_on = models.DateField(_("报上级部门日期"), null=True, blank=True)
    award = models.CharField(_("获奖情况"), max_length=200, blank=True)
    drop_reason = models.TextField(_("撤销原因"), blank=True)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("完成时限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["-year", "-id"])]  # the list's order
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True, person__isnull=False)
                | models.Q(unit__isnull=False, person__isnull=True),
                name="research_topic_unit_or_person",
                violation_error_message=TAKER_MESSAGE,
            )
        ]
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("research_topic_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(ResearchTopic.State, self.state)

    @property
    def outcome_kind_label(self) -> str:
        return (
            choice_label(ResearchTopic.OutcomeKind, self.outcome_kind) if self.outcome_kind else ""
        )

    @property
    def owner_unit_id(self) -> int | None:
        """The unit that answers for it: the taking unit, or the figure's unit."""
        if self.unit_id is not None:
            return self.unit_id
        return self.person.unit_id if self.person is not None else None

    @property
    def taker_name(self) -> str:
        if self.unit_id is not None and self.unit is not None:
            return self.unit.name
        return self.person.name if self.person is not None else ""

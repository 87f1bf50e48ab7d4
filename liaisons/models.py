"""统战联络员 (001 ch. 3): one liaison officer per department and school, appointed and
ended with dates, and the basis on which the rule (`liaisons.eligibility`) accepted them
on the appointment day."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaisons.eligibility import Basis
from portal.deadlines.models import Deadline
from portal.models import Person, Unit, choice_label
from portal.paths import detail_path
from portal.uploads import DOCUMENTS, IMAGES, UploadPath, UploadValidator

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


# Liaison reports (联络员报告, 001 ch. 3) ---------------------------------------------------


class ReportRound(models.Model):
    """A call for liaison reports: by default one per semester (opened by the reminder
    scan, `liaison_reports_sync`), or one the office opens with its own due date (a
    special topic). Every liaison in office while the round is open owes one report."""

    period = models.CharField(_("学期"), max_length=20, help_text=_("如 2026-autumn"))
    title = models.CharField(_("名称"), max_length=100)
    topic = models.TextField(_("报告重点"), blank=True)
    due_on = models.DateField(_("报送截止日期"))
    opened_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空白表示按学期自动发起"),
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("联络员报告征集")
        verbose_name_plural = _("联络员报告征集")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(opened_by__isnull=True),
                name="report_round_one_per_semester",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('liaison_report_list')}?round={self.pk}"

    @property
    def is_scheduled(self) -> bool:
        """Opened by the semester's schedule rather than by the office."""
        return self.opened_by_id is None


class LiaisonReport(models.Model):
    """One liaison's report in a round: the views of the unit's non-party staff, hot and
    difficult issues, good deeds worth publicising and people worth recommending. The
    office reads it and follows up (`ReportFollowUp`). Workflow: `liaisons.transitions`."""

    class State(models.TextChoices):
        DUE = "due", _("待报送")
        SUBMITTED = "submitted", _("待阅")
        RETURNED = "returned", _("退回补充")
        READ = "read", _("已阅")

    round = models.ForeignKey(
        ReportRound, verbose_name=_("征集"), on_delete=models.PROTECT, related_name="reports"
    )
    liaison = models.ForeignKey(
        Liaison, verbose_name=_("联络员"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DUE, db_index=True
    )
    views = models.TextField(_("思想动态"), blank=True)
    issues = models.TextField(_("热点难点问题"), blank=True)
    deeds = models.TextField(_("好人好事"), blank=True)
    recommendations = models.TextField(_("推荐人选"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    read_on = models.DateField(_("阅知日期"), null=True, blank=True)
    read_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("阅知人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    office_note = models.TextField(_("办公室意见"), blank=True)
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
        ordering = ["-round__due_on", "liaison__unit__sort_order", "pk"]
        verbose_name = _("联络员报告")
        verbose_name_plural = _("联络员报告")
        constraints = [
            models.UniqueConstraint(fields=["round", "liaison"], name="liaison_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.liaison}"

    def get_absolute_url(self) -> str:
        return detail_path("liaison_report_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(LiaisonReport.State, self.state)


class ReportFollowUp(models.Model):
    """What the office made of a report: a raised issue became an outreach suggestion, a
    recommended person a reserve cadre, a good deed a publicity piece; each links back
    to the report."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("转为意见建议")
        RESERVE = "reserve", _("列入后备干部")
        PUBLICITY = "publicity", _("转为宣传稿件")

    report = models.ForeignKey(
        LiaisonReport,
        verbose_name=_("联络员报告"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    kind = models.CharField(_("跟进方式"), max_length=12, choices=Kind.choices)
    suggestion = models.ForeignKey(
        "outreach.Suggestion",
        verbose_name=_("意见建议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reserve = models.ForeignKey(
        "outreach.ReserveCadre",
        verbose_name=_("后备干部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    piece = models.ForeignKey(
        "liaisons.PublicityPiece",
        verbose_name=_("宣传稿件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("报告跟进")
        verbose_name_plural = _("报告跟进")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="suggestion", suggestion__isnull=False)
                    | Q(kind="reserve", reserve__isnull=False)
                    | Q(kind="publicity", piece__isnull=False)
                ),
                name="follow_up_has_its_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return choice_label(ReportFollowUp.Kind, self.kind)


# Publicity (宣传制度, 001 ch. 1; 002 item 9) ------------------------------------------------


class PublicityMemberQuerySet(models.QuerySet["PublicityMember"]):
    def current_on(self, day) -> PublicityMemberQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class PublicityMember(models.Model):
    """A member of the publicity roster (宣传工作成员名单), in rotation order
    (`position`), from `start_date` until `end_date` (the first day off it)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("宣传工作成员"),
        on_delete=models.PROTECT,
        related_name="publicity_terms",
    )
    position = models.PositiveSmallIntegerField(_("轮值顺序"))
    start_date = models.DateField(_("加入日期"))
    end_date = models.DateField(_("退出日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PublicityMemberQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("宣传工作成员")
        verbose_name_plural = _("宣传工作成员")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="publicity_member_once",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="publicity_member_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class PublicityRhythm(models.Model):
    """The office's rhythm for the rotation: one piece every `every_days` days from
    `first_due` (e.g. one a week, due on Fridays). The latest row is in force."""

    every_days = models.PositiveSmallIntegerField(_("间隔天数"), default=7)
    first_due = models.DateField(_("首期截止日期"))
    set_by = models.ForeignKey(
        "portal.User", verbose_name=_("设置人"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("宣传轮值节奏")
        verbose_name_plural = _("宣传轮值节奏")

    def __str__(self) -> str:
        return str(self.first_due)


class PublicitySlot(models.Model):
    """One turn in the rotation: due on `due_on`, assigned to the next member in order.
    A skipped turn or a swap between two members is recorded with its reason."""

    class State(models.TextChoices):
        OPEN = "open", _("待完成")
        DONE = "done", _("已完成")
        SKIPPED = "skipped", _("已跳过")

    due_on = models.DateField(_("截止日期"), unique=True)
    member = models.ForeignKey(
        PublicityMember, verbose_name=_("轮值成员"), on_delete=models.PROTECT, related_name="slots"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("跳过或调换的原因"))
    swapped_with = models.ForeignKey(
        "self",
        verbose_name=_("调换的轮次"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("宣传轮值")
        verbose_name_plural = _("宣传轮值")

    def __str__(self) -> str:
        return f"{self.due_on} · {self.member}"

    @property
    def state_label(self) -> str:
        return choice_label(PublicitySlot.State, self.state)


class PublicityPiece(models.Model):
    """A publicity piece: drafted in the portal, reviewed by the UFW department (approve,
    or return with comments; each submission is kept as a `PublicityReview` round, so a
    second round shows what changed), then recorded as published with its date and link.
    Nothing reaches `published` without an approval on record. Workflow:
    `liaisons.transitions`."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("审核通过待发布")
        PUBLISHED = "published", _("已发布")

    class Channel(models.TextChoices):
        WECHAT = "wechat", _("学院微信公众号")
        WEBSITE = "website", _("学院网站")
        UPPER = "upper", _("上级统战部门平台")
        MEDIA = "media", _("其他媒体")

    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    channel = models.CharField(_("发布渠道"), max_length=10, choices=Channel.choices)
    special = models.BooleanField(
        _("先进典型专题报道"), default=False, help_text=_("宣传党外优秀人物的专题报道")
    )
    figure_name = models.CharField(
        _("报道对象"), max_length=100, blank=True, help_text=_("专题报道的党外人士")
    )
    author = models.ForeignKey(
        Person, verbose_name=_("撰稿人"), on_delete=models.PROTECT, related_name="publicity_pieces"
    )
    slot = models.ForeignKey(
        PublicitySlot,
        verbose_name=_("轮值"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pieces",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    round = models.PositiveSmallIntegerField(_("送审轮次"), default=0)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    link = models.URLField(_("发布链接"), blank=True)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("当前期限"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"])]  # the list's order
        verbose_name = _("宣传稿件")
        verbose_name_plural = _("宣传稿件")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_on__isnull=False),
                name="publicity_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_path("publicity_piece_detail", self.pk)

    @property
    def state_label(self) -> str:
        return choice_label(PublicityPiece.State, self.state)

    @property
    def channel_label(self) -> str:
        return choice_label(PublicityPiece.Channel, self.channel)


class PublicityImage(models.Model):
    piece = models.ForeignKey(
        PublicityPiece, verbose_name=_("宣传稿件"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.FileField(
        _("图片"),
        upload_to=UploadPath("publicity"),
        validators=[UploadValidator(kinds=IMAGES)],
    )
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("稿件图片")
        verbose_name_plural = _("稿件图片")

    def __str__(self) -> str:
        return self.caption or self.image.name


class PublicityReview(models.Model):
    """One review round: what was submitted (title and text as they were), and the UFW
    department's decision with its comments. Approval is the only way to `approved`."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("审核通过")
        RETURNED = "returned", _("退回修改")

    piece = models.ForeignKey(
        PublicityPiece, verbose_name=_("宣传稿件"), on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    title = models.CharField(_("送审标题"), max_length=200)
    text = models.TextField(_("送审正文"))
    submitted_at = models.DateTimeField(_("送审时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        "portal.User", verbose_name=_("送审人"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("审核结果"), max_length=10, choices=Decision.choices, blank=True)
    comments = models.TextField(_("审核意见"), blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["piece", "round"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        constraints = [
            models.UniqueConstraint(fields=["piece", "round"], name="publicity_review_round_once")
        ]

    def __str__(self) -> str:
        return f"{self.piece} · {self.round}"

    @property
    def decision_label(self) -> str:
        return choice_label(PublicityReview.Decision, self.decision) if self.decision else ""

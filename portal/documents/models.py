"""Documents: drafted, reviewed (报审/审核), signed (签发), issued (印发) and acknowledged
(签收), with a number per series and year and an official PDF."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

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

from portal.documents.registry import Importance, RegistryError, get_kind, kind_label
from portal.models import Person, Unit, choice_label
from portal.paths import detail_path
from portal.uploads import OFFICE_FILES, UploadPath, UploadValidator


class DocumentSeries(models.Model):
    """A numbering series (发文字号系列): its prefix and what the paper prints."""

    key = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(
        _("发文字号前缀"), max_length=20, help_text=_("如“X统”，文号即为 X统〔2026〕3号")
    )
    header = models.CharField(
        _("发文机关标志"),
        max_length=100,
        help_text=_("红色版头，如“中共××学院统一战线工作领导小组文件”；可用换行分两行排"),
    )
    signing_unit = models.CharField(_("发文机关署名"), max_length=100)
    printed_by = models.CharField(_("印发机关"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("发文字号系列")
        verbose_name_plural = _("发文字号系列")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    def format_number(self, year: int, number: int) -> str:
        return f"{self.prefix}〔{year}〕{number}号"


class DocumentQuerySet(models.QuerySet["Document"]):
    def issued(self) -> DocumentQuerySet:
        return self.filter(state=Document.State.ISSUED)


class Document(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("起草中")
        IN_REVIEW = "in_review", _("待审核")
        RETURNED = "returned", _("退回修改")
        AWAITING_SIGNATURE = "awaiting_signature", _("待签发")
        SIGNED = "signed", _("已签发待印发")
        ISSUED = "issued", _("已印发")

    # States in which the text may still change, and in which nobody outside the
    # drafters (and reviewers, once submitted) may see the document.
    EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})

    kind = models.CharField(_("文种"), max_length=40)
    importance = models.CharField(_("重要程度"), max_length=20, choices=Importance.choices)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(
        _("主送"), max_length=200, blank=True, help_text=_("如“各党总支，各部门”")
    )
    body = models.TextField(
        _("正文"),
        help_text=_("空一行分段；以“一、”“（一）”开头的段落按标题层次排版。"),
    )
    cc = models.CharField(_("抄送"), max_length=300, blank=True)

    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("拟稿单位"), on_delete=models.PROTECT, related_name="+"
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    by_office = models.BooleanField(_("办公室起草"), default=False, editable=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )

    # The record the document is about (a Minutes row, a WorkPoints row, …), if any.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    submitted_at = models.DateTimeField(_("首次报审时间"), null=True, blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受托签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("组长委托签发本文件的副组长"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    sign_opinion = models.CharField(_("签批意见"), max_length=500, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    series = models.ForeignKey(
        DocumentSeries,
        verbose_name=_("发文字号系列"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    reference = models.CharField(_("发文字号"), max_length=40, blank=True, db_index=True)

    verification_code = models.CharField(_("核验码"), max_length=12, blank=True)
    # Random stored names: the path reveals nothing about the document.
    pdf = models.FileField(
        _("正式文件"), upload_to=UploadPath("documents/issued"), blank=True, max_length=200
    )
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_signed = models.BooleanField(_("已加数字签名"), default=False)

    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("更正的文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_per_series_year",
                violation_error_message=_("该发文字号已被使用。"),
            ),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~Q(verification_code=""),
                name="document_verification_code_unique",
                violation_error_message=_("核验码重复。"),
            ),
            models.CheckConstraint(
                condition=Q(state="issued", number__isnull=False, year__isnull=False)
                | (~Q(state="issued") & Q(number__isnull=True)),
                name="document_numbered_iff_issued",
                violation_error_message=_("只有已印发的文件有发文字号。"),
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The list's order: the database walks it and stops at a page's rows
            # instead of sorting every document the user may see.
            models.Index(fields=["-updated_at", "-id"], name="document_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return detail_path("document_detail", self.pk)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def state_label(self) -> str:
        return choice_label(Document.State, self.state)

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def clean(self) -> None:
        try:
            get_kind(self.kind)
        except RegistryError:
            raise ValidationError({"kind": _("未知的文种。")}) from None
        if self.delegate_id is not None and self.importance != Importance.IMPORTANT:
            raise ValidationError({"delegate": _("只有重要文件可以委托副组长签发。")})

    def paragraphs(self) -> list[str]:
        """The body split on blank lines, each paragraph's lines joined."""
        return split_paragraphs(self.body)


def split_paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip().strip("\u3000")
        if stripped:
            current.append(stripped)
        elif current:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return paragraphs


class DocumentStep(models.Model):
    """One entry of a document's timeline: who did what, when, and what they wrote."""

    class Action(models.TextChoices):
        CREATE = "create", _("起草")
        SUBMIT = "submit", _("报审")
        PASS = "pass", _("审核通过")
        RETURN = "return", _("退回修改")
        DELEGATE = "delegate", _("委托签发")
        REVOKE_DELEGATION = "revoke_delegation", _("撤销委托")
        SIGN = "sign", _("签发")
        ISSUE = "issue", _("印发")
        ACKNOWLEDGE = "acknowledge", _("签收")
        REVISE = "revise", _("起草更正稿")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("环节"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("意见"), blank=True)
    state_after = models.CharField(_("办理后状态"), max_length=20, choices=Document.State.choices)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [models.Index(fields=["actor", "document"])]

    def __str__(self) -> str:
        return f"{self.action_label} {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return choice_label(DocumentStep.Action, self.action)


class DocumentRecipient(models.Model):
    """A unit or a person the issued document is distributed to (分发), and their
    acknowledgement of receipt (签收)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("分发对象")
        verbose_name_plural = _("分发对象")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True)
                | Q(unit__isnull=True, person__isnull=False),
                name="document_recipient_unit_xor_person",
            ),
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=Q(unit__isnull=False),
                name="document_recipient_unit_once",
            ),
            models.UniqueConstraint(
                fields=["document", "person"],
                condition=Q(person__isnull=False),
                name="document_recipient_person_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.person)


class DocumentAttachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    # Size (UPLOAD_MAX_MB), kind and content checked by `full_clean()` in the service.
    file = models.FileField(
        _("文件"),
        upload_to=UploadPath("documents/attachments"),
        validators=[UploadValidator(kinds=OFFICE_FILES)],
        max_length=200,
    )
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("document_attachment", args=[self.document_id, self.pk])

    @property
    def stem(self) -> str:
        """The name without its extension, as printed in the 附件 line."""
        return PurePosixPath(self.name).stem


class DocumentBacked(models.Model):
    """A record issued through the documents workflow (the work points, the annual
    report, the minutes; next the briefing, the feedback letter, …).

    The concrete model declares the link itself, a nullable one-to-one to the document
    with its own ``related_name`` (a field on this abstract base would rename the
    existing reverse accessors)::

        document = models.OneToOneField(
            "documents.Document", verbose_name=_("公文"), null=True, blank=True,
            on_delete=models.PROTECT, related_name="briefing", editable=False,
        )

    `portal.documents.services.document_backed_submit` creates the document the first
    time (its `about` the record), links it and submits it; the record's state is the
    document's seen through `DOCUMENT_STATES`; issuing the document calls the kind's
    ``issued`` (`document_backed_issued`)."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("起草中")
        IN_REVIEW = "in_review", _("报审中")
        ISSUED = "issued", _("已印发")

    # The documents workflow's states mapped onto the record's.
    DOCUMENT_STATES: ClassVar[dict[str, str]] = {
        Document.State.DRAFT: State.DRAFTING,
        Document.State.RETURNED: State.DRAFTING,
        Document.State.IN_REVIEW: State.IN_REVIEW,
        Document.State.AWAITING_SIGNATURE: State.IN_REVIEW,
        Document.State.SIGNED: State.IN_REVIEW,
        Document.State.ISSUED: State.ISSUED,
    }

    if TYPE_CHECKING:
        document: Document | None
        document_id: int | None

    class Meta:
        abstract = True

    @classmethod
    def state_from_document(cls, document_state: str | None) -> DocumentBacked.State:
        if document_state is None:
            return cls.State.DRAFTING
        return cls.State(cls.DOCUMENT_STATES.get(document_state, cls.State.IN_REVIEW))

    @property
    def state(self) -> DocumentBacked.State:
        document = self.document
        return self.state_from_document(document.state if document is not None else None)

    def get_state_display(self) -> str:
        return str(self.state.label)

    @property
    def is_editable(self) -> bool:
        """The record is edited only while its document is a draft or was returned."""
        return self.state == self.State.DRAFTING

    @property
    def is_issued(self) -> bool:
        return self.document is not None and self.document.is_issued

    @property
    def reference(self) -> str:
        """发文字号 of the issued document (X统〔2026〕2号), or blank."""
        document = self.document
        return document.reference if document is not None and document.is_issued else ""


def about_key(obj: models.Model) -> dict[str, Any]:
    """Filter arguments for the documents about `obj` (a generic relation)."""
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}

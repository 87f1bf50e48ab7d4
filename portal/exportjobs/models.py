"""An export prepared in the background (`ExportJob`): who asked, for which registered
export (`portal.exports.REGISTRY` key) under which filter (the list's querystring), its
state and progress, its file while it lasts. The rows are never stored: the worker
rebuilds them from the key, the user and the querystring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import STORAGE_FAULT_MESSAGE, UploadPath


class ExportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    ACTIVE = (State.QUEUED, State.RUNNING)
    # `error` of a job that failed because its file could not be written (a full disk,
    # an unwritable folder): the user is told so and may export again later.
    FAILED_STORAGE = "storage"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("用户"),
    )
    key = models.CharField(_("导出"), max_length=50)
    querystring = models.TextField(_("筛选条件"), blank=True, max_length=2000)
    name = models.CharField(_("名称"), max_length=100)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    file = models.FileField(_("文件"), upload_to=UploadPath("exports"), blank=True)
    filename = models.CharField(_("文件名"), max_length=150, blank=True)
    error = models.CharField(_("失败原因"), max_length=200, blank=True)
    # The running worker's sign of life (set when it claims the job and with every
    # progress step) and how many times a worker claimed it: a job whose worker died
    # (killed, out of memory) is claimed again by beat, and `attempt` fences the old
    # worker out should it wake up (`services.export_jobs_requeue`).
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "key", "state"], name="exportjob_user_key_state"),
            models.Index(fields=["state", "expires_at"], name="exportjob_state_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("export_job_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    def is_downloadable(self, now: object = None) -> bool:
        now = now or timezone.now()
        return (
            self.state == self.State.DONE
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > now  # type: ignore[operator]
        )

    @property
    def failure_message(self) -> str:
        """Why a failed job failed, in the user's words, when it is a cause they can
        understand (the storage); blank otherwise (the page's general advice holds)."""
        if self.state == self.State.FAILED and self.error == self.FAILED_STORAGE:
            return str(STORAGE_FAULT_MESSAGE)
        return ""

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

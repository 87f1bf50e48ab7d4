"""``manage.py send_reminders``: the reminder scan by hand (what beat runs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portal.deadlines.reminders import enabled_channels, reminders_scan


class Command(BaseCommand):
    help = "扫描到期的提醒并发送（与定时任务相同，可重复运行，不会重复发送）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="只生成待发送的提醒，不发送（稍后由定时任务发送）。",
        )
        parser.add_argument(
            "--channels",
            default="",
            help="只用这些渠道，逗号分隔：inbox,email,webhook（默认按配置）。",
        )
        parser.add_argument(
            "--at",
            default="",
            help="按此时刻扫描（ISO 格式，如 2026-10-09T08:30），用于补发或演示；默认现在。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["at"]:
            try:
                moment = dt.datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(f"--at 不是有效的时刻：{options['at']}") from None
            now = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        channels = [c.strip() for c in options["channels"].split(",") if c.strip()]
        try:
            wanted = channels or enabled_channels()
            scan, sent = reminders_scan(now=now, send=not options["no_send"], channels_=wanted)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"扫描期限 {scan.deadlines} 个（{scan.batches} 批），新增提醒 {scan.deliveries} 条，"
            f"新逾期 {scan.overdue} 个；发送消息 {sent.messages} 封（{sent.sent} 条提醒），"
            f"失败待重试 {sent.failed} 条，放弃 {sent.abandoned} 条，结果未知 {sent.unknown} 条。"
        )

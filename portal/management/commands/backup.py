"""`manage.py backup [--output DIR]`: a consistent copy of the database and the media
folder (`portal.backup`), into a new folder under var/backups/ by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和媒体文件（一致的副本，含各表行数清单）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="备份目录（须不存在）；默认 var/backups/<时间>/")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / stamp)
        try:
            manifest = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {target}：数据表 {len(manifest['tables'])} 张、记录 {rows} 行、"
                f"媒体文件 {manifest['media_files']} 个。"
            )
        )

"""`manage.py restore DIR [--force]`: load a backup into the configured database and
media folder (both empty unless --force), then check that it is whole: row counts of
every table (history included) and every issued document's PDF, hash and code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.backup import BackupError, read_manifest, restore, verify


class Command(BaseCommand):
    help = "从备份恢复数据库和媒体文件，并核对恢复结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="备份目录（manage.py backup 的输出）")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据")
        parser.add_argument(
            "--check-only", action="store_true", help="不恢复，只核对当前数据库与该备份"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            if options["check_only"]:
                report = verify(read_manifest(source))
            else:
                report = restore(source, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in report.lines:
            self.stdout.write(f"  {line}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"  ✗ {problem}")
            raise CommandError(f"恢复后的数据不完整：{len(report.problems)} 处问题。")
        self.stdout.write(self.style.SUCCESS(f"已从 {source} 恢复，核对无误。"))

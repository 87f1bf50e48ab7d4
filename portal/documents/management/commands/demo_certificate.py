"""`manage.py demo_certificate`: a self-signed signing certificate for the demo, at
`var/demo-signing.p12`, so that `make run`'s issued documents carry a signature and the
red seal. DEBUG only; kept if it exists. Production sets DOCUMENT_SIGNING_P12."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.documents.certificates import make_certificate, write_pkcs12


class Command(BaseCommand):
    help = "生成演示用的签章证书（仅限 DEBUG 模式；已存在则保留）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_certificate 只能在 DEBUG 模式下运行；生产环境请配置 DOCUMENT_SIGNING_P12。"
            )
        path = settings.DEMO_SIGNING_P12
        if path.exists():
            self.stdout.write(f"演示签章证书已存在：{path}")
            return
        certificate, key = make_certificate("统一战线工作领导小组办公室（演示证书）", "中共××学院")
        write_pkcs12(path, certificate, key)
        self.stdout.write(self.style.SUCCESS(f"已生成演示签章证书：{path}"))

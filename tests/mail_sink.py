"""An email backend for tests across processes: every message becomes one JSON file in
MAIL_SINK_DIR (written whole, then renamed), after an optional MAIL_SINK_DELAY seconds
(to kill a worker while it is sending)."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["MAIL_SINK_DIR"])
        delay = float(os.environ.get("MAIL_SINK_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            name = uuid.uuid4().hex
            temporary = folder / f".{name}.tmp"
            temporary.write_text(
                json.dumps({"to": message.to, "subject": message.subject, "body": message.body}),
                encoding="utf-8",
            )
            temporary.rename(folder / f"{name}.json")
        return len(email_messages)


def read(folder: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]

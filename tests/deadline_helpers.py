"""Helpers shared by the deadline and reminder tests."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

from portal.deadlines.models import Deadline, Delivery
from portal.deadlines.services import deadline_open

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment in the college's local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def open_item(
    unit, due: dt.date, *, title: str = "落实会议决定", subject=None, now=None, **extra
) -> Deadline:
    """A follow-up item (督办事项) of `unit`; its subject is the unit unless given (a
    subject has one deadline per rule)."""
    return deadline_open(
        rule="action_item",
        subject=subject or unit,
        title=title,
        due=due,
        responsible_unit=unit,
        now=now,
        **extra,
    )


def sent_steps(deadline: Deadline, channel: str = "inbox") -> list[tuple[str, str]]:
    """(step, recipient username) of a deadline's deliveries on a channel, in order."""
    rows = Delivery.objects.filter(deadline=deadline, channel=channel).order_by("pk")
    return [(row.step, row.recipient.username if row.recipient else "") for row in rows]


class Robot:
    """A WeCom/DingTalk robot stand-in on 127.0.0.1: records posts, answers as told."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers["Content-Length"])
                robot.posts.append({"path": self.path, "json": json.loads(self.rfile.read(length))})
                status, answer = robot.answers.pop(0) if robot.answers else (200, {"errcode": 0})
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=k"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Robot:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

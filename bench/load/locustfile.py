"""The January rush: commissioners, leaders and office staff as locust users.

Each virtual user takes a session opened by `bench.load.prepare` (no password hashing
and no login throttling in the measurement) and behaves as its role does in the first
half of January, with think times between pages:

- **commissioners** (200 at the peak, 2× = 400) open their to-dos and reminders, look
  at the work points and submit a progress report with an evidence file;
- **leaders** (30, 2× = 60), on a phone, open the documents waiting for them and sign;
- **office staff** (10, 2× = 20) browse and filter the lists, export, number and issue.

Requests are named by page (`/documents/[id]/`), so the report has a row per page.
The portal runs as in production behind a TLS proxy: requests carry
`X-Forwarded-Proto: https`, and cookies the portal marks `Secure` are kept by hand
(the measurement runs over plain HTTP on the loopback).
"""

from __future__ import annotations

import json
import os
import random
from itertools import count
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

from bench.load.html import forms, links

SESSIONS = Path(os.environ.get("LOAD_SESSIONS", "var/load/sessions.json"))
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131"
EVIDENCE = b"%PDF-1.4\n% load test evidence\n" + b"0" * 20_000 + b"\n%%EOF\n"
_taken: dict[str, count[int]] = {}
_sessions: dict[str, list[str]] = {}


def _session(kind: str) -> str:
    if not _sessions:
        _sessions.update(json.loads(SESSIONS.read_text()))
    keys = _sessions[kind]
    return keys[next(_taken.setdefault(kind, count())) % len(keys)]


class PortalUser(HttpUser):
    abstract = True
    kind = ""
    agent = DESKTOP

    def on_start(self) -> None:
        self.client.headers.update(
            {
                "User-Agent": self.agent,
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{self.netloc}/",
                "Accept-Language": "zh-hans",
            }
        )
        self.client.cookies.set("sessionid", _session(self.kind))

    @property
    def netloc(self) -> str:
        """host:port, which the portal compares with the Referer of a form post."""
        return (self.host or "").split("://", 1)[-1].split("/", 1)[0]

    def page(self, url: str, name: str | None = None) -> str:
        with self.client.get(url, name=name or url, catch_response=True) as response:
            self._keep(response)
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
                return ""
            if "/accounts/login/" in response.url:
                response.failure("the session was not accepted")
                return ""
            return str(response.text)

    def post(self, url: str, data: dict[str, Any], name: str, **kwargs: Any) -> None:
        """A form post, answered by a redirect (done) or the form again (a refusal the
        user reads, such as a document another leader signed first): both count as
        served; a 4xx or 5xx is an error."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            self._keep(response)
            if response.status_code not in {200, 302, 303}:
                response.failure(f"{response.status_code} for POST {url}")

    def _keep(self, response: Any) -> None:
        """The portal's `Secure` cookies (CSRF token, session) are kept for the next
        request, which goes over the loopback's plain HTTP."""
        for cookie in response.cookies:
            self.client.cookies.set(cookie.name, cookie.value)


class Commissioner(PortalUser):
    kind = "commissioner"
    weight = 400
    wait_time = between(15, 45)

    @task(4)
    def todos(self) -> None:
        self.page("/", name="/ (to-dos)")

    @task(1)
    def reminders(self) -> None:
        self.page("/inbox/")
        self.page("/deadlines/")

    @task(2)
    def report_progress(self) -> None:
        html = self.page("/work-points/")
        years = links(html, r'href="(/work-points/\d{4}/)"')
        if not years:
            return
        html = self.page(years[-1], name="/work-points/[year]/")
        items = links(html, r'href="(/work-points/items/\d+/)"')
        if not items:
            return
        item = random.choice(items)
        html = self.page(item, name="/work-points/items/[id]/")
        report = f"{item}report/"
        if report not in html:
            return
        html = self.page(report, name="/work-points/items/[id]/report/")
        form = next((f for f in forms(html) if "percent" in f["fields"]), None)
        if form is None:
            return
        data = dict(form["fields"])
        data.update(text="一月上旬：组织党外教师座谈一次，收集意见建议三条，已报送。", percent="60")
        self.post(
            report,
            data,
            name="/work-points/items/[id]/report/",
            files={"evidence": ("进展材料.pdf", EVIDENCE, "application/pdf")},
        )


class Leader(PortalUser):
    kind = "leader"
    weight = 60
    agent = PHONE
    wait_time = between(10, 30)

    @task(2)
    def todos(self) -> None:
        self.page("/", name="/ (to-dos)")

    @task(3)
    def sign(self) -> None:
        html = self.page("/documents/", name="/documents/ (to do)")
        documents = links(html, r'href="(/documents/\d+/)"')
        if not documents:
            return
        document = random.choice(documents)
        html = self.page(document, name="/documents/[id]/")
        for form in forms(html):
            if form["action"].endswith("/sign/"):
                self.post(form["action"], form["fields"], name="/documents/[id]/sign/")
                return


class Office(PortalUser):
    kind = "office"
    weight = 20
    wait_time = between(3, 10)

    @task(3)
    def browse(self) -> None:
        url = random.choice(
            [
                "/people/?q=王",
                "/documents/?tab=all",
                "/deadlines/?state=overdue",
                "/meetings/",
                "/units/",
                "/work-points/",
            ]
        )
        self.page(url, name=url.split("?", 1)[0] + (" (filtered)" if "?" in url else ""))

    @task(1)
    def export(self) -> None:
        with self.client.get("/units/export/", name="/units/export/", catch_response=True) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"{r.status_code}: not a workbook")

    @task(1)
    def issue(self) -> None:
        html = self.page("/documents/", name="/documents/ (to do)")
        for document in links(html, r'href="(/documents/\d+/)"')[:5]:
            detail = self.page(document, name="/documents/[id]/")
            issue = f"{document}issue/"
            if issue in detail:
                form_page = self.page(issue, name="/documents/[id]/issue/")
                form = next((f for f in forms(form_page) if f["action"] in ("", issue)), None)
                if form is not None:
                    self.post(issue, form["fields"], name="/documents/[id]/issue/")
                return


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _fail_on_errors(environment: Any, **_: Any) -> None:
    """The smoke run (`LOAD_FAIL_ON_ERROR=1`) fails on any error, never on timings."""
    if os.environ.get("LOAD_FAIL_ON_ERROR") == "1" and environment.stats.total.num_failures:
        environment.process_exit_code = 1

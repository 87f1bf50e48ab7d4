"""The three ways a reminder reaches people: the in-app inbox, email (HTML and plain
text) and a WeCom/DingTalk group robot (webhook). Each renders one digest: all of one
recipient's reminders of one scan in one message."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.deadlines.display import Described, absolute
from portal.deadlines.models import Notification
from portal.deadlines.recipients import email_of
from portal.models import User

URGENCY = {"red": 0, "yellow": 1, "green": 2, None: 3}


@dataclass(frozen=True)
class Item:
    """One line of a digest: a deadline, the step that triggered it, what it says."""

    described: Described
    step: str
    audience: str

    @property
    def escalated(self) -> bool:
        return self.audience == "escalation"

    @property
    def action_url(self) -> str:
        return absolute(self.described.action_path)

    @property
    def deadline_url(self) -> str:
        return absolute(self.described.path)


def sort_items(items: list[Item]) -> list[Item]:
    return sorted(
        items,
        key=lambda i: (URGENCY[i.described.light], i.described.due, i.described.deadline.pk),
    )


def digest_title(items: list[Item]) -> str:
    """ "期限提醒：3项待办（其中1项已逾期）", "逾期督办：2项事项已逾期", or both."""
    escalated = sum(1 for item in items if item.escalated)
    own = len(items) - escalated
    overdue = sum(1 for item in items if item.described.light == "red" and not item.escalated)
    if not own:
        return _("逾期督办：%(n)d项事项已逾期") % {"n": escalated}
    title = _("期限提醒：%(n)d项待办") % {"n": own}
    if overdue:
        title += _("（其中%(n)d项已逾期）") % {"n": overdue}
    if escalated:
        title += _("；逾期督办%(n)d项") % {"n": escalated}
    return title


def _context(user: User | None, items: list[Item], today: dt.date) -> dict[str, object]:
    limit = int(settings.DEADLINE_DIGEST_MAX_ITEMS)
    ordered = sort_items(items)
    return {
        "recipient": user,
        "name": user.display_name if user is not None else "",
        "items": [i for i in ordered if not i.escalated][:limit],
        "escalations": [i for i in ordered if i.escalated][:limit],
        "more": max(0, len(items) - limit),
        "today": today,
        "site_url": settings.SITE_URL.rstrip("/"),
        "inbox_url": absolute(reverse("inbox")),
        "title": digest_title(items),
    }


# Inbox ---------------------------------------------------------------------------------


def inbox_notification(user: User, items: list[Item], now: dt.datetime) -> Notification:
    """The unsaved inbox message of a digest (saved in bulk by the caller)."""
    with override(settings.LANGUAGE_CODE):
        kind = (
            Notification.Kind.ESCALATION
            if all(i.escalated for i in items)
            else Notification.Kind.REMINDER
        )
        rows = []
        due_text, escalated, responsible = (
            _("期限%(due)s，%(remaining)s"),
            _("【督办】"),
            _("；责任方：%(who)s"),
        )
        for item in sort_items(items):
            d = item.described
            text = f"{d.title} · " + due_text % {
                "due": f"{d.due:%Y-%m-%d}",
                "remaining": d.remaining,
            }
            if item.escalated:
                text = escalated + text + responsible % {"who": d.responsible}
            rows.append(
                {
                    "text": text,
                    "url": d.action_path,
                    "deadline_url": d.path,
                    "level": d.light or "",
                    "lines": d.extra_lines,
                }
            )
        return Notification(
            recipient=user,
            kind=kind,
            created_at=now,
            title=digest_title(items)[:200],
            items=rows,
            url=reverse("inbox"),
        )


# Email ---------------------------------------------------------------------------------


def email_message(user: User, items: list[Item], today: dt.date) -> EmailMultiAlternatives:
    with override(settings.LANGUAGE_CODE):
        context = _context(user, items, today)
        subject = _("【统战工作平台】%(title)s") % {"title": context["title"]}
        text = render_to_string("emails/deadline_digest.txt", context)
        html = render_to_string("emails/deadline_digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email_of(user)]
    )
    message.attach_alternative(html, "text/html")
    return message


def email_send(user: User, items: list[Item], today: dt.date) -> None:
    """Send one digest email; raises on failure (the caller records and retries)."""
    sent = email_message(user, items, today).send(fail_silently=False)
    if sent != 1:
        raise OSError("the mail backend accepted no message")


# Webhook (WeCom / DingTalk group robots) ----------------------------------------------


class WebhookError(Exception):
    pass


def webhook_kind(url: str) -> str:
    configured = str(settings.DEADLINE_WEBHOOK_KIND or "").lower()
    if configured:
        return configured
    return "dingtalk" if "dingtalk" in urllib.parse.urlsplit(url).netloc else "wecom"


def webhook_text(items: list[Item], today: dt.date) -> tuple[str, str]:
    """The robot message: a title and Markdown lines (WeCom caps a message at 4 KB)."""
    with override(settings.LANGUAGE_CODE):
        context = _context(None, items, today)
        limit = int(settings.DEADLINE_WEBHOOK_MAX_ITEMS)
        ordered = sort_items(items)
        lines = [f"**{context['title']}**"]
        for item in ordered[:limit]:
            d = item.described
            lines.append(
                f"> {d.title}｜"
                + _("期限%(due)s，%(remaining)s")
                % {"due": f"{d.due:%m-%d}", "remaining": d.remaining}
                + f"｜{d.responsible}｜[{_('办理')}]({item.action_url})"
            )
        if len(ordered) > limit:
            lines.append(_("另有%(n)d项，详见平台。") % {"n": len(ordered) - limit})
        return str(context["title"]), "\n".join(lines)


def webhook_send(items: list[Item], today: dt.date) -> None:
    """Post one digest to the configured robot; raises WebhookError on any failure."""
    url = str(settings.DEADLINE_WEBHOOK_URL)
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise WebhookError(f"webhook URL must be http(s): {url!r}")
    title, text = webhook_text(items, today)
    kind = webhook_kind(url)
    if kind == "dingtalk":
        payload: dict[str, object] = {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": text},
        }
        secret = str(settings.DEADLINE_WEBHOOK_SECRET or "")
        if secret:
            url = _dingtalk_signed(url, secret)
    else:
        payload = {"msgtype": "markdown", "markdown": {"content": text}}
    request = urllib.request.Request(  # noqa: S310 - http(s) checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - http(s) checked above
            request, timeout=float(settings.DEADLINE_WEBHOOK_TIMEOUT)
        ) as response:
            body = response.read()
    except OSError as error:  # URLError, HTTPError, timeouts
        raise WebhookError(f"{type(error).__name__}: {error}") from error
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        raise WebhookError(f"not JSON: {body[:200]!r}") from None
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise WebhookError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def _dingtalk_signed(url: str, secret: str) -> str:
    """DingTalk's "加签": timestamp and an HMAC-SHA256 signature in the query string."""
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"

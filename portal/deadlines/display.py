"""How a deadline is described to people: on pages, in the inbox, in emails and robot
messages. Each function asks the deadline's rule first, then the subject, then falls
back to the deadline itself, so a rule declares only what differs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.deadlines import registry
from portal.deadlines.models import Deadline, Light
from portal.workdays import WorkdayCalendar, current_calendar

T = TypeVar("T")

LIGHT_LEVEL = {"red": "danger", "yellow": "warning", "green": "info", None: "secondary"}
LIGHT_TEXT = {
    "red": gettext_lazy("已逾期"),
    "yellow": gettext_lazy("临近期限"),
    "green": gettext_lazy("正常"),
}


def subject_label(deadline: Deadline) -> str:
    """The record or period the deadline is about ("2025年度", "机电工程学院党总支")."""
    rule = registry.get_or_none(deadline.rule)
    if rule is not None and rule.subject_label is not None:
        return rule.subject_label(deadline)
    if deadline.title:
        return deadline.title
    if deadline.object_id is not None:
        subject = deadline.subject
        if subject is not None:
            return str(subject)
        return _("（记录已删除）")
    return rule.label_for_period(deadline.period) if rule else deadline.period


def action_path(deadline: Deadline, own: str | None = None) -> str:
    """Where to act: the rule's page, else the subject's, else the deadline's own
    (`own`, when the caller knows it)."""
    rule = registry.get_or_none(deadline.rule)
    if rule is not None and rule.action_url is not None:
        return rule.action_url(deadline)
    if deadline.object_id is not None:
        subject = deadline.subject
        url = getattr(subject, "get_absolute_url", None)
        if callable(url):
            return str(url())
    return own or deadline.get_absolute_url()


def extra_lines(deadline: Deadline) -> list[str]:
    """More lines for a reminder: the rule's, else the subject's ``reminder_lines()``
    (a meeting's date, time and place)."""
    rule = registry.get_or_none(deadline.rule)
    if rule is not None and rule.extra_lines is not None:
        return list(rule.extra_lines(deadline))
    if deadline.object_id is not None:
        lines = getattr(deadline.subject, "reminder_lines", None)
        if callable(lines):
            return [str(line) for line in lines()]
    return []


def responsible_label(deadline: Deadline) -> str:
    """The responsible unit and users; ``responsible_users`` should be prefetched."""
    names = [user.display_name for user in deadline.responsible_users.all()]
    if deadline.responsible_unit_id is not None and deadline.responsible_unit is not None:
        names.insert(0, deadline.responsible_unit.name)
    if names:
        return "、".join(names)
    rule = registry.get_or_none(deadline.rule)
    if rule is not None and rule.responsible_label:
        return str(rule.responsible_label)
    return _("领导小组办公室")


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def yellow_until(today: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """The last due date that shows yellow today: within the last N working days."""
    return calendar.add_workdays(today, int(settings.DEADLINE_YELLOW_WORKDAYS)).date


def set_lights(rows: Iterable[T], today: dt.date | None = None) -> Iterable[T]:
    """Set ``row.light`` on each of a list page's rows from its ``deadline`` (a foreign
    key the page selected with it): red, yellow or green while open, None once met or
    waived or when the row has none. Returns `rows` (a page) for the template."""
    today = today or timezone.localdate()
    yellow = yellow_until(today, current_calendar())
    for row in rows:
        deadline = getattr(row, "deadline", None)
        row.light = deadline.light(today, yellow) if deadline is not None else None  # type: ignore[attr-defined]
    return rows


def remaining_text(deadline: Deadline, today: dt.date, calendar: WorkdayCalendar) -> str:
    """ "还有3个工作日" / "今天到期" / "已逾期2个工作日" / "已完成"."""
    if deadline.state == Deadline.State.MET:
        return _("已完成")
    if deadline.state == Deadline.State.WAIVED:
        return _("已免除")
    if deadline.due == today:
        return _("今天到期")
    if deadline.due > today:
        days = calendar.workdays_between(today, deadline.due)
        if days == 0:
            return _("到期日前已无工作日")
        return _("还有%(n)d个工作日") % {"n": days}
    days = calendar.workdays_between(deadline.due, today)
    if days == 0:
        return _("已过期限")
    return _("已逾期%(n)d个工作日") % {"n": days}


@dataclass(frozen=True)
class Described:
    """Everything a page or a message says about one deadline."""

    deadline: Deadline
    rule_label: str
    subject: str
    due: dt.date
    provisional: bool
    light: Light | None
    level: str
    remaining: str
    responsible: str
    action_path: str
    path: str  # the deadline's own page
    extra_lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.rule_label}：{self.subject}"

    @property
    def light_text(self) -> str:
        return str(LIGHT_TEXT[self.light]) if self.light else ""


class Describer:
    """Describes many deadlines as of one day, computing each due date's remaining
    working days once (a page or a digest of thousands shares a few hundred dates)."""

    def __init__(self, today: dt.date, calendar: WorkdayCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.yellow = yellow_until(today, calendar)
        self._remaining: dict[tuple[dt.date, str], str] = {}
        # reverse() once: a digest of thousands of deadlines links to each of them.
        self._path = reverse("deadline_detail", args=[987654321]).replace("987654321", "{}")

    def __call__(self, deadline: Deadline) -> Described:
        key = (deadline.due, deadline.state)
        if key not in self._remaining:
            self._remaining[key] = remaining_text(deadline, self.today, self.calendar)
        light = deadline.light(self.today, self.yellow)
        path = self._path.format(deadline.pk)
        return Described(
            deadline=deadline,
            rule_label=registry.label(deadline.rule),
            subject=subject_label(deadline),
            due=deadline.due,
            provisional=deadline.due_provisional,
            light=light,
            level=LIGHT_LEVEL[light],
            remaining=self._remaining[key],
            responsible=responsible_label(deadline),
            action_path=action_path(deadline, own=path),
            path=path,
            extra_lines=extra_lines(deadline),
        )


def describe(deadline: Deadline, *, today: dt.date, calendar: WorkdayCalendar) -> Described:
    """One deadline (pages describing many use a ``Describer``)."""
    return Describer(today, calendar)(deadline)

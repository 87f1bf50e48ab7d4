"""Demo data of the outreach app, for `seed_demo`: one section per part, each an
idempotent function through the services the pages use, dates relative to `today`.
Figures first (the other parts pair, talk with and hear from them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.models import Unit, User

# --- figures ---


# --- pairs ---


# --- suggestions ---


# --- learning ---


def _demo_reserve(*, logins: dict[str, User], today: dt.date) -> str:
    """Five figures in the cadre reserve (one who left it, appointed), each with a
    course or two and one with a certificate."""
    from django.core.files.base import ContentFile

    from outreach.models import Figure, ReserveCadre, TrainingRecord
    from outreach.services import learning

    if ReserveCadre.objects.exists():
        return ""
    office = logins["office"]
    figures = list(Figure.objects.active().select_related("person").order_by("pk")[:5])
    if len(figures) < 5:
        figures += _demo_figures_for_reserve(5 - len(figures), today)
    posts = ["二级学院副院长", "处级", "系主任", "教研室主任", "二级学院副院长"]
    courses = [
        ("自治区党外干部培训班", "region", "自治区党委统战部"),
        ("市党外知识分子研修班", "city", "赤峰市委统战部"),
        ("校党外代表人士理论学习班", "college", "党委统战部"),
    ]
    for index, figure in enumerate(figures):
        cadre = learning.reserve_add(
            figure=figure,
            added_on=today - dt.timedelta(days=700 - 90 * index),
            proposed_post=posts[index],
            assessment="政治立场坚定，热爱教育事业，在本专业领域有一定影响，群众基础较好。",
            by=office,
        )
        for number, (course, level, organiser) in enumerate(courses[: 1 + index % 3]):
            start = today - dt.timedelta(days=500 - 120 * number - 20 * index)
            record = learning.training_record_add(
                person=figure.person,
                course=course,
                level=level,
                organiser=organiser,
                start_on=start,
                end_on=start + dt.timedelta(days=4),
                by=office,
            )
            if index == 0 and number == 0:
                record.certificate.save(
                    "certificate.pdf", ContentFile(_demo_certificate_pdf(figure, course))
                )
        if index == 4:
            learning.reserve_end(
                cadre=cadre,
                removed_on=today - dt.timedelta(days=30),
                outcome=ReserveCadre.Outcome.APPOINTED,
                by=office,
            )
    trainings = TrainingRecord.objects.count()
    return f"党外后备干部 {len(figures)} 人（1 人已提拔任用），培训记录 {trainings} 条"


def _demo_figures_for_reserve(count: int, today: dt.date) -> list[Any]:
    """Register non-party people as figures when the register has too few (until the
    register's own demo data exists)."""
    from outreach.models import Figure
    from portal.models import CPC_STATUSES, Person

    people = Person.objects.exclude(political_status__in=CPC_STATUSES).filter(
        figure__isnull=True, is_active=True
    )
    return [
        Figure.objects.create(
            person=person,
            category=Figure.Category.NON_PARTY_INTELLECTUAL,
            registered_on=today - dt.timedelta(days=800),
        )
        for person in people.order_by("pk")[:count]
    ]


def _demo_certificate_pdf(figure: Any, course: str) -> bytes:
    from django.utils.html import format_html

    from portal.documents import pdf as paper

    return paper.html_to_pdf(
        format_html(
            "<html><body style='font-family: sans-serif; text-align: center'><h1>结业证书</h1>"
            "<p>{} 同志参加{}，学习期满，准予结业。</p></body></html>",
            figure.person.name,
            course,
        )
    )


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry): each part's summary."""
    lines: list[str] = []
    # --- figures ---
    # --- pairs ---
    # --- suggestions ---
    # --- learning ---
    lines.append(_demo_reserve(logins=logins, today=today))
    return "\n".join(line for line in lines if line)

"""Liaison officers at scale: one for nine in ten departments and schools (the rest
vacant), each with two earlier, ended appointments; 2,000 consultations; the lists to
measure (the office's and a commissioner's)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bench.registry import SeedContext, bench_page, seed_part
from liaisons.eligibility import Basis
from liaisons.models import (
    LIAISON_UNIT_KINDS,
    Consultation,
    Liaison,
    LiaisonAttendance,
    LiaisonReport,
    LiaisonSession,
    ReportRound,
)
from liaisons.rules import CONSULTATION_ANSWER, LIAISON_REPORT
from portal.deadlines.models import Deadline
from portal.deadlines.periods import semester_of
from portal.models import Person, Unit, User


@seed_part(order=70)
def liaisons(ctx: SeedContext) -> None:
    office = User.objects.get(username="bench-office")
    rows = []
    for index, unit in enumerate(Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS).order_by("pk")):
        if index % 10 == 9:
            continue
        people = list(Person.objects.filter(unit=unit).values_list("pk", flat=True)[:3])
        for term, person in enumerate(people):
            start = dt.date(2020 + 2 * term, 9, 1)
            last = term == len(people) - 1
            rows.append(
                Liaison(
                    unit=unit,
                    person_id=person,
                    start_date=start,
                    end_date=None if last else start + dt.timedelta(days=700),
                    end_reason="" if last else "换届",
                    basis=Basis.NON_PARTY,
                    appointed_by=office,
                )
            )
    Liaison.objects.bulk_create(rows)
    ctx.counts["liaisons"] = len(rows)


bench_page("liaison_list", kind="list", url=lambda: reverse("liaison_list"))
bench_page(
    "liaison_list (commissioner)",
    kind="list",
    url=lambda: reverse("liaison_list"),
    persona="bench-commissioner",
)


@seed_part(order=71)
def consultations(ctx: SeedContext) -> None:
    """2,000 consultations at scale 1 over three years from every unit, a tenth still
    waiting for the office's answer (each with its deadline), the rest answered, closed
    or withdrawn."""
    rng = ctx.rng
    office = User.objects.get(username="bench-office")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    states = ["answered", "closed", "closed", "closed", "withdrawn"]
    rows = []
    for number in range(ctx.n(2_000)):
        filed = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1_060))
        state = "filed" if number % 10 == 0 else states[number % len(states)]
        rows.append(
            Consultation(
                unit_id=units[number % len(units)],
                kind=rng.choice(Consultation.Kind.values),
                title=f"关于第{number}号事项征求意见",
                matter="情况说明" * rng.randrange(5, 40),
                state=state,
                filed_on=filed,
                filed_by=office,
                opinion="" if state in {"filed", "withdrawn"} else "书面意见" * 10,
                answered_on=None if state in {"filed", "withdrawn"} else filed,
                adoption="adopted" if state == "closed" else "",
                closed_on=filed if state == "closed" else None,
            )
        )
    Consultation.objects.bulk_create(rows)
    # Each waiting one has its deadline (the list joins it for the light), due at the far
    # end of the calendar (as the suggestions' part): never on the deadline list's
    # measured pages, and not an overdue deadline the scan has not marked.
    content_type = ContentType.objects.get_for_model(Consultation)
    deadlines = [
        Deadline(
            rule=CONSULTATION_ANSWER,
            content_type=content_type,
            object_id=row.pk,
            title=row.title,
            due=dt.date(2099, 12, 31),
            original_due=dt.date(2099, 12, 31),
        )
        for row in rows
        if row.state == "filed"
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    Consultation.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["consultations"] = len(rows)


@seed_part(order=72)
def liaison_sessions(ctx: SeedContext) -> None:
    """100 training sessions and meetings at scale 1 over five years, each inviting the
    liaisons then in office (three in four attended)."""
    office = User.objects.get(username="bench-office")
    sessions = LiaisonSession.objects.bulk_create(
        LiaisonSession(
            kind=LiaisonSession.Kind.TRAINING if number % 3 else LiaisonSession.Kind.MEETING,
            title=f"联络员培训和会议第{number}次",
            held_on=dt.date(2021, 9, 1) + dt.timedelta(days=18 * number),
            place="会议室",
            created_by=office,
        )
        for number in range(ctx.n(100))
    )
    rows = []
    for session in sessions:
        for index, liaison in enumerate(Liaison.objects.current_on(session.held_on)):
            attended = index % 4 != 0
            rows.append(
                LiaisonAttendance(
                    session=session,
                    liaison=liaison,
                    attended=attended,
                    absence_reason="" if attended else "出差",
                )
            )
    LiaisonAttendance.objects.bulk_create(rows, batch_size=2_000)
    ctx.counts["liaison sessions"] = len(sessions)
    ctx.counts["attendance rows"] = len(rows)


bench_page("liaison_session_list", kind="list", url=lambda: reverse("liaison_session_list"))
bench_page(
    "liaison_session_detail",
    kind="detail",
    url=lambda: reverse(
        "liaison_session_detail",
        args=[LiaisonSession.objects.order_by("-held_on").first().pk],  # type: ignore[union-attr]
    ),
)
bench_page("liaison_session_export", kind="other", url=lambda: reverse("liaison_session_export"))
bench_page("consultation_list", kind="list", url=lambda: reverse("consultation_list"))
bench_page(
    "consultation_list?state=filed",
    kind="list",
    url=lambda: reverse("consultation_list") + "?state=filed",
)
bench_page(
    "consultation_list (commissioner)",
    kind="list",
    url=lambda: reverse("consultation_list"),
    persona="bench-commissioner",
)
bench_page(
    "consultation_detail",
    kind="detail",
    url=lambda: reverse(
        "consultation_detail",
        args=[Consultation.objects.filter(state="closed").order_by("pk").first().pk],  # type: ignore[union-attr]
    ),
)
bench_page("consultation_export", kind="other", url=lambda: reverse("consultation_export"))
bench_page(
    "consultation_export (commissioner)",
    kind="other",
    url=lambda: reverse("consultation_export"),
    persona="bench-commissioner",
)


@seed_part(order=73)
def liaison_reports(ctx: SeedContext) -> None:
    """Ten years of semester rounds (20 at scale 1, the latest due July 2026) with a
    report from every liaison in office at each due date; all read but the latest
    round's, where half are still due (each with its deadline)."""
    count = ctx.n(20)
    dues = [dt.date(2026, 7, 17) - dt.timedelta(days=182 * (count - 1 - n)) for n in range(count)]
    rounds = ReportRound.objects.bulk_create(
        ReportRound(
            period=semester_of(due).key, title=f"{semester_of(due).key}联络员报告", due_on=due
        )
        for due in dues
    )
    latest = rounds[-1]
    rows = []
    for report_round in rounds:
        for index, liaison in enumerate(Liaison.objects.current_on(report_round.due_on)):
            due = report_round is latest and index % 2 == 0
            rows.append(
                LiaisonReport(
                    round=report_round,
                    liaison=liaison,
                    state=LiaisonReport.State.DUE if due else LiaisonReport.State.READ,
                    views="" if due else "思想动态" * 20,
                    issues="" if due else "问题" * 10,
                )
            )
    LiaisonReport.objects.bulk_create(rows, batch_size=2_000)
    content_type = ContentType.objects.get_for_model(LiaisonReport)
    deadlines = [
        Deadline(
            rule=LIAISON_REPORT,
            content_type=content_type,
            object_id=row.pk,
            title=str(row.round.title),
            due=dt.date(2099, 12, 31),  # as the consultations' part: never overdue
            original_due=dt.date(2099, 12, 31),
        )
        for row in rows
        if row.state == LiaisonReport.State.DUE
    ]
    Deadline.objects.bulk_create(deadlines)
    by_subject = {d.object_id: d.pk for d in deadlines}
    for row in rows:
        row.deadline_id = by_subject.get(row.pk)
    LiaisonReport.objects.bulk_update(rows, ["deadline"], batch_size=500)
    ctx.counts["liaison report rounds"] = len(rounds)
    ctx.counts["liaison reports"] = len(rows)


bench_page("liaison_report_export", kind="other", url=lambda: reverse("liaison_report_export"))
bench_page("liaison_report_list", kind="list", url=lambda: reverse("liaison_report_list"))
bench_page(
    "liaison_report_list?state=due",
    kind="list",
    url=lambda: reverse("liaison_report_list") + "?state=due",
)
bench_page(
    "liaison_report_list (commissioner)",
    kind="list",
    url=lambda: reverse("liaison_report_list"),
    persona="bench-commissioner",
)
bench_page("liaison_round_list", kind="list", url=lambda: reverse("liaison_round_list"))
bench_page("liaison_round_export", kind="other", url=lambda: reverse("liaison_round_export"))
bench_page(
    "liaison_round_export (commissioner)",
    kind="other",
    url=lambda: reverse("liaison_round_export"),
    persona="bench-commissioner",
)
bench_page(
    "liaison_report_detail",
    kind="detail",
    url=lambda: reverse(
        "liaison_report_detail",
        args=[LiaisonReport.objects.filter(state="read").order_by("-pk").first().pk],  # type: ignore[union-attr]
    ),
)
bench_page("liaison_export", kind="other", url=lambda: reverse("liaison_export"))

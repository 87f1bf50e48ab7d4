"""Friendship pairs, contacts and heart-to-heart talks: the two quotas as deadline-engine
period rules (an academic year per pair, a calendar year per key contact), counted from
the contact's own date; who may record what; the coverage board's lights and export; the
pages a leader and the office see. On a frozen clock (`time_machine`), in Shanghai time."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from outreach import rules
from outreach.models import Contact, Figure, FriendshipPair, Talk
from outreach.selectors import pairs as selectors
from outreach.services import pairs as services
from portal.deadlines import periods
from portal.deadlines.models import Deadline, Delivery
from portal.deadlines.reminders import reminders_scan
from portal.models import Person, PoliticalStatus
from tests.conftest import Org
from tests.factories import PersonFactory
from tests.meetings_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date


def cpc(user) -> Person:
    Person.objects.filter(pk=user.person_id).update(political_status=PoliticalStatus.CPC)
    return Person.objects.get(pk=user.person_id)


def figure(org: Org, name: str, *, key: bool = False, unit=None) -> Figure:
    return Figure.objects.create(
        person=PersonFactory(
            name=name, unit=unit or org.branch_a, political_status=PoliticalStatus.NON_PARTY
        ),
        category=Figure.Category.NON_PARTY_INTELLECTUAL,
        registered_on=D(2025, 1, 1),
        is_key_contact=key,
    )


def pair(leader: Person, fig: Figure, start: dt.date | None = None) -> FriendshipPair:
    return FriendshipPair.objects.create(
        leader=leader, figure=fig, start_date=start or D(2025, 3, 1)
    )


def deadline_of(p: FriendshipPair, rule: str, period: str) -> Deadline | None:
    return Deadline.objects.filter(
        rule=rule,
        period=period,
        content_type=ContentType.objects.get_for_model(FriendshipPair),
        object_id=p.pk,
    ).first()


def visit(org: Org, p: FriendshipPair, day: dt.date, by=None) -> Contact:
    return services.contact_record(
        leader=p.leader,
        figures=[p.figure],
        kind="visit",
        date=day,
        summary=f"{day} 走访",
        by=by or org.office,
    )


def talk(org: Org, p: FriendshipPair, day: dt.date, *, send: bool = True) -> Talk:
    record = services.talk_save(
        talk=None,
        leader=p.leader,
        figures=[p.figure],
        mode="one_to_one",
        date=day,
        summary=f"{day} 谈心",
        by=org.office,
    )
    return services.talk_send(talk=record, by=org.office) if send else record


# The academic year --------------------------------------------------------------------


@pytest.mark.dateless
def test_the_academic_year_turns_with_the_autumn_semester():
    assert periods.academic_year_of(D(2026, 8, 31)).key == "2025-2026"
    autumn = periods.academic_year_of(D(2026, 9, 1))
    assert (autumn.key, autumn.start, autumn.end) == ("2026-2027", D(2026, 9, 1), D(2027, 8, 31))
    assert periods.academic_year_by_key("2026-2027") == autumn
    assert periods.academic_year_label("2026-2027") == "2026—2027学年"
    for bad in ("2026", "2026-2028", "x-y", "2026-autumn"):
        with pytest.raises(ValueError):
            periods.academic_year_by_key(bad)


@pytest.mark.dateless
def test_the_academic_year_follows_the_configured_semester_starts(settings):
    settings.SEMESTER_STARTS = {"autumn": (8, 25), "spring": (2, 20)}
    assert periods.academic_year_of(D(2026, 8, 24)).key == "2025-2026"
    assert periods.academic_year_of(D(2026, 8, 25)).end == D(2027, 8, 24)


# The pairs' quota -------------------------------------------------------------------


def test_a_scan_opens_each_pairs_quota_for_the_academic_year_reminding_the_leader(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲"))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        reminders_scan(send=False)
        reminders_scan(send=False)  # a second scan opens nothing more
    deadlines = Deadline.objects.filter(rule=rules.PAIR_CONTACT_QUOTA)
    assert deadlines.count() == 1
    deadline = deadlines.get()
    assert (deadline.object_id, deadline.period, deadline.due) == (
        p.pk,
        "2026-2027",
        D(2027, 8, 31),
    )
    assert list(deadline.responsible_users.all()) == [org.leader]
    assert deadline.state == Deadline.State.OPEN
    # Not a key contact: no talk quota.
    assert not Deadline.objects.filter(rule=rules.KEY_CONTACT_TALK_QUOTA).exists()


def test_the_leader_is_reminded_before_the_academic_year_ends(org):
    leader = cpc(org.leader)
    pair(leader, figure(org, "对象甲"))
    with time_machine.travel(at(2027, 8, 27, 9), tick=False):
        reminders_scan(send=False)
    deliveries = Delivery.objects.filter(deadline__rule=rules.PAIR_CONTACT_QUOTA)
    assert {d.recipient_id for d in deliveries} >= {org.leader.pk}


def test_a_contact_meets_the_quota_of_the_year_its_date_falls_in(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲"))
    with time_machine.travel(at(2026, 9, 10, 9), tick=False):
        reminders_scan(send=False)
        # Written up in September, held on 20 August: last academic year's.
        visit(org, p, D(2026, 8, 20))
    assert deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2025-2026").state == Deadline.State.MET
    assert deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2026-2027").state == Deadline.State.OPEN
    with time_machine.travel(at(2026, 9, 11, 9), tick=False):
        visit(org, p, D(2026, 9, 11))
    assert deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2026-2027").state == Deadline.State.MET


def test_a_pair_contacted_before_the_scan_opens_its_quota_met(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲"))
    with time_machine.travel(at(2026, 10, 1, 9), tick=False):
        FriendshipPair.objects.filter(pk=p.pk)  # (no deadline yet)
        Contact.objects.create(
            leader=leader, kind="call", date=D(2026, 9, 30), summary="电话", recorded_by=org.office
        ).figures.set([p.figure])
        reminders_scan(send=False)
    assert deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2026-2027").state == Deadline.State.MET


def test_a_pair_formed_in_the_last_weeks_owes_nothing_for_that_year(org, settings):
    settings.OUTREACH_PAIR_GRACE_DAYS = 30
    leader = cpc(org.leader)
    late = pair(leader, figure(org, "对象乙"), start=D(2027, 8, 2))  # 29 days before 31 Aug
    in_time = pair(leader, figure(org, "对象丙"), start=D(2027, 8, 1))  # 30 days before
    with time_machine.travel(at(2027, 8, 3, 9), tick=False):
        reminders_scan(send=False)
    assert deadline_of(late, rules.PAIR_CONTACT_QUOTA, "2026-2027") is None
    assert deadline_of(in_time, rules.PAIR_CONTACT_QUOTA, "2026-2027") is not None


def test_ending_a_pair_moves_its_quota_to_the_end_or_waives_it(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲", key=True))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        reminders_scan(send=False)
        services.pair_end(pair=p, end_date=D(2026, 12, 20), reason="工作调整", by=org.office)
    contact = deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2026-2027")
    assert (contact.state, contact.due) == (Deadline.State.OPEN, D(2026, 12, 20))
    p.refresh_from_db()
    assert (p.end_date, p.note) == (D(2026, 12, 20), "工作调整")
    with pytest.raises(ValidationError, match="该结对已于 2026-12-20 结束"):
        services.pair_end(pair=p, end_date=D(2026, 12, 21), by=org.office)
    q = pair(leader, figure(org, "对象丁"), start=D(2026, 11, 1))
    with time_machine.travel(at(2026, 11, 3, 9), tick=False):
        reminders_scan(send=False)
        services.pair_end(pair=q, end_date=D(2026, 11, 10), by=org.office)
    assert deadline_of(q, rules.PAIR_CONTACT_QUOTA, "2026-2027").state == Deadline.State.WAIVED


# The key contacts' quota ------------------------------------------------------------


def test_only_a_sent_talk_meets_a_key_contacts_yearly_talk(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "重点对象", key=True))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        reminders_scan(send=False)
        key = deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026")
        assert (key.state, key.due) == (Deadline.State.OPEN, D(2026, 12, 31))
        visit(org, p, D(2026, 11, 1))  # a visit is a contact, not a talk
        assert deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026").state == "open"
        assert deadline_of(p, rules.PAIR_CONTACT_QUOTA, "2026-2027").state == "met"
        draft = talk(org, p, D(2026, 11, 2), send=False)
        assert deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026").state == "open"
        services.talk_send(talk=draft, by=org.leader)
    assert deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026").state == "met"


def test_a_talk_on_new_years_eve_counts_for_the_old_year(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "重点对象", key=True))
    with time_machine.travel(at(2027, 1, 2, 9), tick=False):
        talk(org, p, D(2026, 12, 31))
        reminders_scan(send=False)
    assert deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026").state == "met"
    assert deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2027").state == "open"


# Who records what --------------------------------------------------------------------


def test_a_leader_records_only_their_own_contacts_with_their_own_figures(org):
    leader = cpc(org.leader)
    mine = pair(leader, figure(org, "对象甲"))
    stranger = figure(org, "对象乙")
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        contact = visit(org, mine, D(2026, 11, 1), by=org.leader)
        assert contact.recorded_by == org.leader
        with pytest.raises(ValidationError, match="对象乙 在 2026-11-01 不是您的结对联系对象"):
            services.contact_record(
                leader=leader,
                figures=[stranger],
                kind="call",
                date=D(2026, 11, 1),
                summary="电话",
                by=org.leader,
            )
        with pytest.raises(PermissionDenied):
            services.contact_record(
                leader=leader,
                figures=[mine.figure],
                kind="call",
                date=D(2026, 11, 1),
                summary="电话",
                by=org.deputy,
            )
        with pytest.raises(ValidationError, match="日期不能晚于今天"):
            visit(org, mine, D(2026, 11, 3))
        with pytest.raises(ValidationError, match="请选择至少一位联系对象"):
            services.contact_record(
                leader=leader,
                figures=[],
                kind="call",
                date=D(2026, 11, 1),
                summary="x",
                by=org.office,
            )
    assert Contact.objects.count() == 1


def test_a_double_click_records_a_contact_once(org):
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲"))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        first = visit(org, p, D(2026, 11, 1))
        second = visit(org, p, D(2026, 11, 1))
    assert first.pk == second.pk
    assert Contact.objects.count() == 1


def test_only_the_office_arranges_pairs_and_a_pair_needs_a_party_leader(org):
    leader = cpc(org.leader)
    fig = figure(org, "对象甲")
    with pytest.raises(PermissionDenied):
        services.pair_create(leader=leader, figure=fig, start_date=D(2026, 9, 1), by=org.leader)
    non_party = PersonFactory(name="非党领导", political_status=PoliticalStatus.JIUSAN)
    with pytest.raises(ValidationError, match="联系领导应为中共党员领导干部"):
        services.pair_create(leader=non_party, figure=fig, start_date=D(2026, 9, 1), by=org.office)
    services.pair_create(leader=leader, figure=fig, start_date=D(2026, 9, 1), by=org.office)
    with pytest.raises(ValidationError, match="已经结对"):
        services.pair_create(leader=leader, figure=fig, start_date=D(2026, 10, 1), by=org.office)
    assert FriendshipPair.objects.count() == 1


# The coverage board -------------------------------------------------------------------


@pytest.mark.dateless
@pytest.mark.parametrize(
    ("done_on", "today", "since", "yellow_until", "light"),
    [
        (D(2026, 10, 1), D(2027, 9, 1), D(2026, 1, 1), D(2027, 9, 3), "done"),
        (None, D(2027, 9, 1), D(2026, 1, 1), D(2027, 9, 3), "missed"),
        (None, D(2027, 8, 31), D(2026, 1, 1), D(2027, 9, 3), "soon"),  # due today: amber
        (None, D(2027, 8, 26), D(2026, 1, 1), D(2027, 8, 31), "soon"),  # the last amber day
        (None, D(2027, 8, 25), D(2026, 1, 1), D(2027, 8, 30), "open"),
        (None, D(2027, 8, 20), D(2027, 8, 2), D(2027, 8, 25), "exempt"),  # 29 days before
        (None, D(2027, 8, 20), D(2027, 8, 1), D(2027, 8, 25), "open"),  # 30 days: owed
    ],
)
def test_each_light_at_its_boundary(done_on, today, since, yellow_until, light):
    due = D(2027, 8, 31)
    assert selectors.light_for(done_on, due, since, today, grace=30, yellow_until=yellow_until) == (
        light
    )


def test_the_board_uses_the_deadline_engines_amber(org, settings):
    """Amber on the board is amber on 我的待办: the last DEADLINE_YELLOW_WORKDAYS."""
    settings.DEADLINE_YELLOW_WORKDAYS = 3
    leader = cpc(org.leader)
    p = pair(leader, figure(org, "对象甲", key=True))
    period = selectors.period_for("calendar", 2026)
    # Monday 28 December: 31 December is the third working day on.
    with time_machine.travel(at(2026, 12, 28, 9), tick=False):
        reminders_scan(send=False)
        rows = selectors.coverage(FriendshipPair.objects.all(), period, D(2026, 12, 28), grace=30)
        deadline = deadline_of(p, rules.KEY_CONTACT_TALK_QUOTA, "2026")
        from portal.deadlines.display import yellow_until
        from portal.workdays import current_calendar

        engine = deadline.light(D(2026, 12, 28), yellow_until(D(2026, 12, 28), current_calendar()))
    assert (rows[0].cells[0].talk_light, engine) == ("soon", "yellow")
    rows = selectors.coverage(FriendshipPair.objects.all(), period, D(2026, 12, 10), grace=30)
    assert rows[0].cells[0].talk_light == "open"


def _board_world(org: Org):
    leader, deputy = cpc(org.leader), cpc(org.deputy)
    a = pair(leader, figure(org, "对象甲", key=True))
    b = pair(leader, figure(org, "对象乙", unit=org.branch_b))
    c = pair(deputy, figure(org, "对象丙"))
    return a, b, c


def test_the_board_lights_each_pair_and_counts_per_leader(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        talk(org, a, D(2026, 12, 1))
        visit(org, c, D(2026, 9, 15))
        period = selectors.period_for("calendar", 2026)
        rows = selectors.coverage(FriendshipPair.objects.all(), period, D(2026, 12, 10), grace=30)
    by_leader = {row.leader_name: row for row in rows}
    first = by_leader[a.leader.name]
    cells = {cell.figure_name: cell for cell in first.cells}
    assert (cells["对象甲"].contact_light, cells["对象甲"].talk_light) == ("done", "done")
    assert (cells["对象乙"].contact_light, cells["对象乙"].talk_light) == ("open", None)
    assert (first.done, first.owed) == (1, 2)
    assert by_leader[c.leader.name].cells[0].last_contact == D(2026, 9, 15)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_leader_sees_their_own_row_and_the_office_every_row(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        mine = _client(org.leader).get(reverse("coverage_board"), {"basis": "calendar"})
        office = _client(org.office).get(reverse("coverage_board"), {"basis": "calendar"})
        only_b = _client(org.office).get(
            reverse("coverage_board"), {"basis": "calendar", "unit": org.branch_b.pk}
        )
    assert [row.leader_name for row in mine.context["rows"]] == [a.leader.name]
    assert {row.leader_name for row in office.context["rows"]} == {a.leader.name, c.leader.name}
    assert [cell.pair_id for row in only_b.context["rows"] for cell in row.cells] == [b.pk]


def test_the_board_exports_what_it_shows(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        talk(org, a, D(2026, 12, 1))
        response = _client(org.office).get(reverse("coverage_export"), {"basis": "calendar"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("联系领导", "领导单位", "联系对象")
    found = {(row[2], row[7], row[9]) for row in rows[1:]}
    assert found == {
        ("对象甲", "已完成", "已完成"),
        ("对象乙", "未到期", None),
        ("对象丙", "未到期", None),
    }
    assert rows[1][6] is None or isinstance(rows[1][6], dt.datetime)


def test_the_pair_list_shows_a_leader_their_pairs_and_last_contact(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        visit(org, a, D(2026, 10, 20))
        response = _client(org.leader).get(reverse("pair_list"))
    assert response.status_code == 200
    shown = {p.pk: p for p in response.context["page"]}
    assert set(shown) == {a.pk, b.pk}
    assert shown[a.pk].last_seen == D(2026, 10, 20)
    assert shown[b.pk].last_seen is None
    assert "记录联系" in response.content.decode()
    # The period's subqueries are built once and reused, unchanged, by every query.
    start, end = D(2026, 9, 1), D(2027, 8, 31)
    assert selectors._latest_dates(start, end) is selectors._latest_dates(start, end)
    for subset in ([a.pk], [b.pk], [a.pk, b.pk], [a.pk]):
        pairs = FriendshipPair.objects.filter(pk__in=subset)
        found = dict(
            selectors.with_last_contact(pairs, start=start, end=end).values_list(
                "pk", "last_contact"
            )
        )
        assert found == {pk: (D(2026, 10, 20) if pk == a.pk else None) for pk in subset}


def test_a_leader_records_a_contact_through_the_form(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        client = _client(org.leader)
        page = client.get(reverse("contact_create"), {"pair": a.pk})
        assert page.context["form"].initial["figures"] == [a.figure_id]
        assert "leader" not in page.context["form"].fields  # they record for themself
        response = client.post(
            reverse("contact_create"),
            {"figures": [a.figure_id], "kind": "call", "date": "2026-11-02", "summary": "电话"},
        )
        assert response.status_code == 302
        refused = client.post(
            reverse("contact_create"),
            {"figures": [c.figure_id], "kind": "call", "date": "2026-11-02", "summary": "电话"},
        )
    assert refused.status_code == 200
    assert "不在可用的选项中" in str(refused.context["form"].errors["figures"])
    assert Contact.objects.filter(leader=a.leader).count() == 1


def test_the_office_sees_sent_talks_on_its_todo_list(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        sent = talk(org, a, D(2026, 11, 1))
        home = _client(org.office).get(reverse("home"))
    assert sent.get_absolute_url() in home.content.decode()


# The briefing -------------------------------------------------------------------------


def test_the_office_compiles_marked_talks_into_a_briefing_signed_and_issued(org):
    from pypdf import PdfReader

    from portal.documents import services as documents

    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        first = talk(org, a, D(2026, 11, 2))
        first.raised = "建议增加实验室开放时间。"
        first.save()
        second = talk(org, c, D(2026, 11, 10))
        talk(org, b, D(2026, 11, 12))  # not marked: not in the briefing
        for marked in (first, second):
            services.talk_brief(talk=marked, briefing=True, by=org.office)
        with pytest.raises(PermissionDenied):
            services.briefing_submit(start=D(2026, 11, 1), end=D(2026, 11, 30), by=org.leader)
        with pytest.raises(ValidationError, match="没有待编入简报的谈心谈话"):
            services.briefing_submit(start=D(2026, 10, 1), end=D(2026, 10, 31), by=org.office)
        briefing = services.briefing_submit(
            start=D(2026, 11, 1), end=D(2026, 11, 30), by=org.office
        )
        assert set(briefing.talks.all()) == {first, second}
        # A second compilation of the same period finds nothing left.
        with pytest.raises(ValidationError, match="没有待编入简报的谈心谈话"):
            services.briefing_submit(start=D(2026, 11, 1), end=D(2026, 11, 30), by=org.office)
        document = briefing.document
        assert document.state == "awaiting_signature"
        assert "领导小组成员2人开展谈心谈话2次" in document.body
        assert "建议增加实验室开放时间。" in document.body
        assert "对象甲" not in document.body  # the figures are not named
        document = documents.document_sign(document=document, by=org.in_charge)
        document = documents.document_issue(document=document, by=org.office)
    assert document.reference == "X统简〔2026〕1号"
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(documents.document_pdf(document))).pages
    )
    assert "谈心谈话工作简报" in text.replace("\n", "")
    assert "建议增加实验室开放时间" in text.replace("\n", "")


def test_the_briefing_page_compiles_and_shows_what_waits(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        marked = talk(org, a, D(2026, 11, 2))
        services.talk_brief(talk=marked, briefing=True, by=org.office)
        client = _client(org.office)
        page = client.get(reverse("briefing_create"))
        assert "现有1次" in page.content.decode()
        response = client.post(
            reverse("briefing_create"), {"start": "2026-11-01", "end": "2026-11-20"}
        )
        assert response.status_code == 302
        empty = client.post(
            reverse("briefing_create"), {"start": "2026-11-01", "end": "2026-11-20"}
        )
    assert "没有待编入简报的谈心谈话" in empty.content.decode()
    assert _client(org.leader).get(reverse("briefing_create")).status_code == 403


def test_a_contact_is_corrected_by_its_leader_or_the_office_and_keeps_its_history(org):
    a, b, c = _board_world(org)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        contact = visit(org, a, D(2026, 11, 1))
        client = _client(org.leader)
        response = client.post(
            reverse("contact_edit", args=[contact.pk]),
            {"place": "实验楼", "participants": "", "summary": "补充：了解了实验室需求"},
        )
        assert response.status_code == 302
        other = _client(org.deputy).get(reverse("contact_edit", args=[contact.pk]))
        assert other.status_code == 404  # another leader's contact is not theirs to see
        with pytest.raises(PermissionDenied):
            services.contact_update(
                contact=contact, place="", participants="", summary="x", by=org.deputy
            )
    contact.refresh_from_db()
    assert (contact.place, contact.summary) == ("实验楼", "补充：了解了实验室需求")
    assert contact.date == D(2026, 11, 1)
    summaries = [h.summary for h in contact.history.order_by("history_date")]
    assert summaries[0] == f"{D(2026, 11, 1)} 走访"  # as first recorded
    assert summaries[-1] == "补充：了解了实验室需求"


def test_the_board_pages_by_leader_and_the_export_keeps_every_row(org, monkeypatch):
    from outreach.views import pairs as views

    a, b, c = _board_world(org)
    leaders = sorted([a.leader, c.leader], key=lambda person: (person.name, person.pk))
    monkeypatch.setattr(views, "BOARD_LEADERS", 1)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        first = _client(org.office).get(reverse("coverage_board"), {"basis": "calendar"})
        second = _client(org.office).get(
            reverse("coverage_board"), {"basis": "calendar", "page": 2}
        )
        export = _client(org.office).get(reverse("coverage_export"), {"basis": "calendar"})
    assert [row.leader_name for row in first.context["rows"]] == [leaders[0].name]
    assert [row.leader_name for row in second.context["rows"]] == [leaders[1].name]
    assert "第 1 / 2 页" in first.content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]} == {
        a.leader.name,
        c.leader.name,
    }


def test_a_board_cell_shows_the_lights_the_name_and_escapes_it(org):
    from outreach.templatetags.outreach_tags import coverage_cells

    cell = selectors.Cell(
        pair_id=1,
        figure_name="<b>对象</b>",
        figure_unit='机械"学院',
        key_contact=True,
        start_date=D(2026, 1, 1),
        contact_light="done",
        talk_light="missed",
        last_contact=D(2026, 3, 9),
        last_talk=None,
    )
    html = coverage_cells([cell])
    assert "&lt;b&gt;对象&lt;/b&gt;" in html and "<b>" not in html
    assert 'title="机械&quot;学院"' in html
    assert '<span class="badge text-bg-success">已完成</span>' in html
    assert '<span class="badge text-bg-danger">谈话：未完成</span>' in html
    assert "最近 03-09" in html and "★" in html
    quiet = selectors.Cell(1, "乙", "", False, D(2026, 1, 1), "open", None, None, None)
    plain = coverage_cells([quiet])
    assert "★" not in plain and "最近" not in plain and "谈话" not in plain


def test_an_overseas_row_shows_its_records_or_the_persons_words_and_escapes_them():
    from html import escape

    from django.template.defaultfilters import truncatechars

    from outreach.selectors.overseas import OverseasRow, Record
    from outreach.templatetags.outreach_tags import overseas_cells, overseas_row

    full = Record(1, "study", "英<国>", "A&B大学", "master", 2012, 2014)
    gaps = Record(1, "work", "", "<i>所</i>", "", None, 2020)
    html = overseas_cells(OverseasRow(1, "甲", "单位", "", [full, gaps], "/x/"))
    assert html == (
        '<td class="small">留学 2012—2014 英&lt;国&gt; A&amp;B大学 硕士<br>'
        "工作 ?—2020 ? &lt;i&gt;所&lt;/i&gt;</td>\n"
        '      <td><span class="badge text-bg-warning">缺国家/地区、学位、开始年份</span></td>'
    )
    complete = overseas_cells(OverseasRow(1, "甲", "单位", "", [full], "/x/"))
    assert '<span class="badge text-bg-success">完整</span>' in complete
    words = "<script>x()</script>" + "长" * 100
    bare = overseas_cells(OverseasRow(2, "乙", "单位", words, [], "/y/"))
    assert "<script>" not in bare and "&lt;script&gt;x()&lt;/script&gt;" in bare
    cut = escape(truncatechars(words, 80))  # what the template's filter wrote
    assert f'<td class="small">{cut}</td>' in bare and 50 < bare.count("长") < 61
    assert "没有结构化的海外经历记录" in bare
    assert '<td class="small">—</td>' in overseas_cells(OverseasRow(3, "丙", "单位", "", [], "/z/"))
    row = OverseasRow(4, "<i>丁</i>", "A&B学院", "", [full], '/f/4/?a="1"')
    link = '<a href="/f/4/?a=&quot;1&quot;">&lt;i&gt;丁&lt;/i&gt;</a>'
    assert overseas_row(row) == (
        f'<tr><td class="text-nowrap">{link}</td>\n'
        "      <td>A&amp;B学院</td>\n"
        f"      {overseas_cells(row)}</tr>"
    )


def test_a_learning_board_row_shows_counts_cells_and_escapes_the_names():
    from outreach.selectors.study import BoardRow, Done
    from outreach.templatetags.outreach_tags import board_row

    done = Done(7, "book", D(2026, 3, 9), '<b>"书"</b>')
    row = BoardRow(7, 70, "<i>甲</i>", "A&B学院", "minority", 2, 1, {"book": done})
    html = board_row(row, 2026)
    link = reverse("five_ones", args=[7]) + "?year=2026"
    assert html.startswith(f'<tr><td class="text-nowrap"><a href="{link}">')
    assert "&lt;i&gt;甲&lt;/i&gt;" in html and "<i>" not in html and "A&amp;B学院" in html
    assert '<span class="badge text-bg-warning">1/2</span>' in html
    assert 'title="2026-03-09 &lt;b&gt;&quot;书&quot;&lt;/b&gt;"' in html and "<b>" not in html
    assert html.count('<span class="text-muted">·</span>') == 4
    assert html.endswith('<span class="badge text-bg-info">1/5</span></td></tr>')
    items = {
        item: Done(7, item, D(2026, 1, 1), "")
        for item in ("book", "lecture", "base", "study", "proposal")
    }
    full = board_row(BoardRow(7, 70, "甲", "", "minority", 1, 1, items), 2026)
    assert '<span class="badge text-bg-success">1/1</span>' in full
    assert '<span class="badge text-bg-success">5/5</span>' in full
    none = board_row(BoardRow(7, 70, "甲", "", "minority"), 2026)
    assert '<td class="text-end text-nowrap"><span class="text-muted">—</span></td>' in none
    assert '<span class="badge text-bg-secondary">0/5</span>' in none


def test_a_pair_row_shows_the_pair_its_last_contact_and_its_links_and_escapes_them():
    from django.template import Context

    from outreach.templatetags.outreach_tags import pair_row

    row = selectors.PairRow(
        pk=5,
        figure_id=9,
        start_date=D(2026, 9, 1),
        end_date=None,
        note="<b>备注</b>",
        leader_name="<i>领导</i>",
        figure_name='对象"甲"',
        figure_unit="A&B学院",
        key_contact=True,
        last_contact=D(2026, 10, 1),
        last_talk=D(2026, 11, 2),
    )
    urls = {"contact_create": "/c/new/", "talk_create": "/t/new/"}
    html = pair_row(
        Context({"today": D(2026, 12, 1), "can_record": True, "can_manage": True, **urls}), row
    )
    assert "&lt;i&gt;领导&lt;/i&gt;" in html and "&lt;b&gt;备注&lt;/b&gt;" in html
    assert "<i>" not in html and "<b>" not in html and "A&amp;B学院" in html
    assert f'<a href="{reverse("figure_detail", args=[9])}">对象&quot;甲&quot;</a>' in html
    assert '<span class="badge text-bg-warning">重点</span>' in html
    assert "2026-09-01 — </td>" in html
    assert '<span class="badge text-bg-success">已联系</span> 2026-11-02' in html  # the talk
    assert 'href="/c/new/?pair=5"' in html and 'href="/t/new/?pair=5"' in html
    assert f'href="{reverse("pair_end", args=[5])}"' in html
    ended = row._replace(
        end_date=D(2026, 11, 1), last_contact=None, last_talk=None, key_contact=False, note=""
    )
    quiet = pair_row(
        Context({"today": D(2026, 12, 1), "can_record": True, "can_manage": True, **urls}), ended
    )
    assert '<td class="text-nowrap">—</td>' in quiet and "2026-09-01 — 2026-11-01" in quiet
    assert (
        "?pair=" not in quiet
        and "结束" not in quiet
        and "重点" not in quiet
        and "<br>" not in quiet
    )
    unseen = row._replace(last_contact=None, last_talk=None)
    plain = pair_row(
        Context({"today": D(2026, 12, 1), "can_record": False, "can_manage": False, **urls}), unseen
    )
    assert '<span class="badge text-bg-secondary">尚未联系</span>' in plain
    assert "?pair=" not in plain and "结束" not in plain


def test_a_reserve_row_shows_the_entry_and_its_state_and_escapes_it():
    from outreach.selectors.learning import CadreRow
    from outreach.templatetags.outreach_tags import reserve_row

    cadre = CadreRow(
        3,
        "<i>甲</i>",
        "A&B学院",
        "minority",
        "<b>副院长</b>",
        D(2025, 3, 1),
        None,
        "",
        2,
        D(2026, 6, 30),
    )
    html = reserve_row(cadre)
    assert f'<a href="{reverse("reserve_detail", args=[3])}">&lt;i&gt;甲&lt;/i&gt;</a>' in html
    assert "<i>" not in html and "<b>" not in html and "&lt;b&gt;副院长&lt;/b&gt;" in html
    assert "A&amp;B学院" in html and "少数民族代表人士" in html
    assert '<td class="text-nowrap">2025-03-01</td>' in html
    assert '<td class="text-end">2</td><td class="text-nowrap">2026-06-30</td>' in html
    assert '<span class="badge text-bg-success">在库</span>' in html
    left = reserve_row(
        cadre._replace(
            proposed_post="", removed_on=D(2026, 7, 1), outcome="appointed", last_training=None
        )
    )
    assert (
        "已提拔任用" in left and "<td>—</td>" in left and '<td class="text-nowrap">—</td>' in left
    )
    assert '<span class="badge text-bg-secondary">2026-07-01退出</span> ' in left
    assert "在库" not in left


def test_a_suggestion_row_shows_the_proposer_only_when_told_and_escapes_it():
    from outreach.selectors.suggestions import SuggestionRow
    from outreach.templatetags.outreach_tags import suggestion_row

    row = SuggestionRow(
        4,
        "<b>建议</b>",
        D(2026, 9, 25),
        "assigned",
        "",
        "A&B处",
        "<i>甲</i>",
        None,
        D(2026, 11, 30),
        True,
        "open",
        "red",
    )
    html = suggestion_row(row, True)
    assert html.startswith('<tr><td class="text-nowrap">2026-09-25</td>')
    link = reverse("suggestion_detail", args=[4])
    assert f'<a href="{link}">&lt;b&gt;建议&lt;/b&gt;</a>' in html and "<b>" not in html
    assert "<td>&lt;i&gt;甲&lt;/i&gt;</td>" in html and "A&amp;B处" in html
    assert '<span class="todo-light danger" aria-hidden="true"></span> 2026-11-30' in html
    assert '<small class="text-muted">暂定</small>' in html
    hidden = suggestion_row(row, False)
    assert "甲" not in hidden and hidden.count("<td") == 5
    done = row._replace(
        state="fed_back",
        satisfaction="satisfied",
        lead_unit_name=None,
        figure_name=None,
        raised_by="九三学社",
        light=None,
    )
    plain = suggestion_row(done, True)
    assert "<td>九三学社</td>" in plain and "<td>—</td>" in plain
    assert "已反馈 · 满意" in plain and plain.endswith('<td class="text-nowrap">—</td></tr>')
    yellow = suggestion_row(row._replace(light="yellow", due_provisional=False), True)
    assert "todo-light warning" in yellow and "暂定" not in yellow


def test_the_contact_and_talk_lists_name_every_figure_of_a_record(org):
    leader = cpc(org.leader)
    a = pair(leader, figure(org, "乙对象"))
    b = pair(leader, figure(org, "甲对象"))
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        services.contact_record(
            leader=leader,
            figures=[a.figure, b.figure],
            kind="visit",
            date=D(2026, 12, 1),
            summary="走访",
            by=org.office,
        )
        talk(org, a, D(2026, 12, 2))
        contacts = _client(org.office).get(reverse("contact_list"))
        talks = _client(org.office).get(reverse("talk_list"))
    assert [c.figure_names for c in contacts.context["page"]] == [["乙对象", "甲对象"]]
    assert "乙对象、甲对象" in contacts.content.decode()
    assert [t.figure_names for t in talks.context["page"]] == [["乙对象"]]
    assert leader.name in talks.content.decode()

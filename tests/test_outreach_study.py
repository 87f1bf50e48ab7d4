"""The learning system (学习制度): study material pushed to chosen groups with each
reader's confirmation, offline sessions with attendance, the "五个一" per figure and
year, and the year board with its export. The office sends and records; a reader
confirms their own; leaders see everything, a commissioner their unit's people."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Figure, FiveOne, FriendshipPair, ReserveCadre, StudyActivity
from outreach.rules import STUDY_CONFIRM
from outreach.selectors import study as selectors
from outreach.services import study
from portal.deadlines.models import Deadline, Delivery
from portal.deadlines.reminders import reminders_scan
from portal.lib.errors import Forbidden, Refused
from portal.models import PoliticalStatus, User
from tests.conftest import client_for, make_user
from tests.deadline_helpers import at
from tests.factories import PersonFactory

# Dates are explicit (time travel): the shifted legs skip the module (Makefile).
pytestmark = pytest.mark.dateless

NOT_OFFICE = ("leader", "deputy", "member", "commissioner_a", "commissioner_b", "outsider")
MONDAY = at(2026, 6, 1, 9)  # a working Monday, no holiday near


def _figure(unit, name, **flags) -> Figure:
    person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.JIUSAN)
    return Figure.objects.create(
        person=person,
        category=flags.pop("category", Figure.Category.DEMOCRATIC_PARTY),
        registered_on=dt.date(2020, 1, 1),
        **flags,
    )


@pytest.fixture
def people(org):
    """A representative in unit A, a key contact in unit B, a plain figure in unit B
    (a returned scholar), an inactive figure, and a reserve cadre; the leader paired
    with the key contact."""
    rep = _figure(org.school_a, "代表甲", is_representative=True)
    key = _figure(org.branch_b, "重点乙", is_key_contact=True)
    plain = _figure(org.branch_b, "普通丙", category=Figure.Category.RETURNED_OVERSEAS)
    gone = _figure(org.branch_b, "离册丁", is_representative=True, is_active=False)
    ReserveCadre.objects.create(figure=plain, added_on=dt.date(2025, 1, 1))
    FriendshipPair.objects.create(
        leader=org.leader.person, figure=key, start_date=dt.date(2025, 1, 1)
    )
    return {"rep": rep, "key": key, "plain": plain, "gone": gone}


def _names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def _push(org, *, groups=("figures",), extra=(), confirm_by=dt.date(2026, 6, 10), **kw):
    return study.study_create(
        kind=kw.pop("kind", StudyActivity.Kind.ONLINE),
        title=kw.pop("title", "学习条例"),
        held_on=kw.pop("held_on", dt.date(2026, 6, 1)),
        confirm_by=confirm_by,
        place=kw.pop("place", ""),
        audience=study.Audience(groups=list(groups), extra=list(extra), **kw),
        by=org.office,
    )


# --- who an audience reaches ---


def test_each_group_reaches_its_people_on_the_day(org, people):
    day = dt.date(2026, 6, 1)

    def reach(*groups, **kw):
        return _names(selectors.audience_people(list(groups), today=day, **kw))

    assert reach("figures") == {"代表甲", "重点乙", "普通丙"}  # not the inactive one
    assert reach("representatives") == {"代表甲"}
    assert reach("key_contacts") == {"重点乙"}
    assert reach("reserve") == {"普通丙"}
    assert reach("paired_leaders") == {org.leader.person.name}
    assert reach(categories=["returned_overseas"]) == {"普通丙"}
    assert reach("figures", units=[org.branch_b.pk]) == {"重点乙", "普通丙"}
    assert reach("representatives", extra=[org.member.person_id]) == {
        "代表甲",
        org.member.person.name,
    }
    assert reach() == set()


def test_the_people_are_fixed_when_it_is_sent(org, people):
    activity = _push(org, groups=["representatives"])
    Figure.objects.filter(pk=people["key"].pk).update(is_representative=True)
    assert list(activity.participants.values_list("person__name", flat=True)) == ["代表甲"]


# --- sending ---


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_sends(org, people, persona):
    with pytest.raises(Forbidden):
        study.study_create(
            kind="online",
            title="学习",
            held_on=dt.date(2026, 6, 1),
            confirm_by=dt.date(2026, 6, 10),
            audience=study.Audience(groups=["figures"]),
            by=getattr(org, persona),
        )
    assert not StudyActivity.objects.exists()


@pytest.mark.parametrize(
    ("kind", "extra", "field", "message"),
    [
        ("online", {"confirm_by": None}, "confirm_by", "线上推送请填写确认期限。"),
        ("offline", {"place": ""}, "place", "线下集中学习请填写地点。"),
        ("online", {"groups": []}, "groups", "所选范围内没有学习对象"),
        ("online", {"groups": ["everyone"]}, "groups", "未知的学习对象范围"),
    ],
)
def test_it_refuses_what_is_incomplete_in_chinese_and_saves_nothing(
    org, people, kind, extra, field, message
):
    with pytest.raises(ValidationError) as error:
        study.study_create(
            kind=kind,
            title="学习",
            held_on=dt.date(2026, 6, 1),
            confirm_by=extra.get("confirm_by", dt.date(2026, 6, 10)),
            place=extra.get("place", "会议室"),
            audience=study.Audience(groups=extra.get("groups", ["figures"])),
            by=org.office,
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not StudyActivity.objects.exists()


def test_the_form_refuses_a_confirmation_date_before_the_push(org, people):
    response = client_for(org.office).post(
        reverse("study_create"),
        {
            "kind": "online",
            "title": "学习",
            "held_on": "2026-06-10",
            "confirm_by": "2026-06-01",
            "groups": ["figures"],
        },
    )
    assert response.status_code == 200
    assert "确认期限" in response.content.decode() and not StudyActivity.objects.exists()


def test_the_office_sends_through_the_page_with_its_material(org, people):
    response = client_for(org.office).post(
        reverse("study_create"),
        {
            "kind": "online",
            "title": "学习新条例",
            "material": "原文见附件。",
            "held_on": "2026-06-01",
            "confirm_by": "2026-06-10",
            "groups": ["representatives", "key_contacts"],
            "attachment": SimpleUploadedFile("条例.pdf", b"%PDF-1.4 text"),
        },
    )
    activity = StudyActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert set(activity.participants.values_list("person__name", flat=True)) == {"代表甲", "重点乙"}
    material = client_for(org.office).get(reverse("study_attachment", args=[activity.pk]))
    assert b"".join(material.streaming_content).startswith(b"%PDF")


# --- confirming, and the deadline that reminds ---


@time_machine.travel(MONDAY, tick=False)
def test_a_push_reminds_the_readers_with_a_login_and_is_met_by_the_last(org, people):
    member_reader = org.member
    activity = _push(
        org, groups=["paired_leaders"], extra=[member_reader.person_id, people["rep"].person_id]
    )
    deadline = Deadline.objects.get(rule=STUDY_CONFIRM)
    assert deadline.due == dt.date(2026, 6, 10)
    assert set(deadline.responsible_users.all()) == {org.leader, member_reader}

    study.study_confirm(activity=activity, by=org.leader)
    deadline.refresh_from_db()
    assert set(deadline.responsible_users.all()) == {member_reader}
    assert deadline.state == Deadline.State.OPEN

    study.study_confirm(activity=activity, by=member_reader)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET  # the figure without a login owes nothing


def test_no_deadline_when_nobody_it_reaches_can_log_in(org, people):
    _push(org, groups=["representatives"])
    assert not Deadline.objects.filter(rule=STUDY_CONFIRM).exists()


def test_an_offline_session_opens_no_deadline(org, people):
    _push(org, groups=["paired_leaders"], kind="offline", place="会议室", confirm_by=None)
    assert not Deadline.objects.filter(rule=STUDY_CONFIRM).exists()


def test_the_reader_is_reminded_before_the_date_and_not_after_confirming(org, people):
    with time_machine.travel(MONDAY, tick=False):
        activity = _push(org, groups=["paired_leaders"], confirm_by=dt.date(2026, 6, 10))
    deadline = Deadline.objects.get(rule=STUDY_CONFIRM)
    # Two working days before (Monday 8 June), in the leader's inbox.
    with time_machine.travel(at(2026, 6, 8, 9), tick=False):
        reminders_scan()
    assert Delivery.objects.filter(deadline=deadline, recipient=org.leader).exists()
    with time_machine.travel(at(2026, 6, 9, 9), tick=False):
        study.study_confirm(activity=activity, by=org.leader)
    sent = Delivery.objects.count()
    with time_machine.travel(at(2026, 6, 10, 9), tick=False):
        reminders_scan()
    assert Delivery.objects.count() == sent  # met: no reminder on the day


def test_a_double_click_confirms_once(org, people):
    activity = _push(org, groups=["paired_leaders"])
    client = client_for(org.leader)
    url = reverse("study_confirm", args=[activity.pk])
    first, second = client.post(url), client.post(url)
    assert first.status_code == second.status_code == 302
    row = activity.participants.get(person=org.leader.person)
    assert row.confirmed_by == org.leader and row.by_self
    assert row.history.count() == 2  # created, confirmed once


def test_someone_not_asked_cannot_confirm(org, people):
    activity = _push(org, groups=["paired_leaders"])
    with pytest.raises(Forbidden):
        study.study_confirm(activity=activity, by=org.office)
    assert client_for(org.member).post(
        reverse("study_confirm", args=[activity.pk])
    ).status_code == (404)
    assert not activity.participants.filter(confirmed_at__isnull=False).exists()


def test_the_office_records_a_page_and_keeps_a_readers_own_confirmation(org, people):
    activity = _push(org, groups=["figures", "paired_leaders"])
    study.study_confirm(activity=activity, by=org.leader)
    rows = {r.person.name: r for r in activity.participants.select_related("person")}
    changed = study.study_record(
        activity=activity,
        shown=[r.pk for r in rows.values()],
        confirmed=[rows["代表甲"].pk, rows[org.leader.person.name].pk],
        absences={rows["重点乙"].pk: "出差"},
        by=org.office,
    )
    assert changed == 2  # 代表甲 confirmed, 重点乙's reason; the leader's stays their own
    states = {
        r.person.name: (r.confirmed_by, r.absence_reason)
        for r in activity.participants.select_related("person", "confirmed_by")
    }
    assert states == {
        "代表甲": (org.office, ""),
        "重点乙": (None, "出差"),
        "普通丙": (None, ""),
        org.leader.person.name: (org.leader, ""),
    }


def test_the_office_record_refuses_rows_of_another_list(org, people):
    activity = _push(org, groups=["figures"])
    other = _push(org, groups=["figures"], title="另一次")
    stranger = other.participants.first().pk
    with pytest.raises(Refused, match="名单已变化"):
        study.study_record(
            activity=activity, shown=[stranger], confirmed=[stranger], absences={}, by=org.office
        )
    assert not other.participants.filter(confirmed_at__isnull=False).exists()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_records(org, people, persona):
    activity = _push(org, groups=["figures"])
    rows = list(activity.participants.values_list("pk", flat=True))
    with pytest.raises(Forbidden):
        study.study_record(
            activity=activity, shown=rows, confirmed=rows, absences={}, by=getattr(org, persona)
        )


def test_the_record_form_saves_the_ticked_and_the_reasons(org, people):
    activity = _push(org, groups=["representatives", "key_contacts"])
    rows = {r.person.name: r.pk for r in activity.participants.select_related("person")}
    response = client_for(org.office).post(
        reverse("study_record", args=[activity.pk]),
        {
            "row": list(rows.values()),
            "confirmed": [rows["代表甲"]],
            f"reason-{rows['重点乙']}": "病假",
            "page": "1",
        },
    )
    assert response["Location"] == activity.get_absolute_url() + "?page=1"
    assert activity.participants.get(pk=rows["代表甲"]).confirmed
    assert activity.participants.get(pk=rows["重点乙"]).absence_reason == "病假"


# --- who sees what ---


def test_a_commissioner_sees_the_activities_and_people_of_their_unit(org, people):
    in_b = _push(org, groups=["key_contacts"], title="乙单位的学习")
    in_a = _push(org, groups=["representatives"], title="甲单位的学习")
    both = _push(org, groups=["figures"], title="全体学习")
    seen = set(selectors.activities_for_user(org.commissioner_b).values_list("title", flat=True))
    assert seen == {"乙单位的学习", "全体学习"}
    assert set(selectors.activities_for_user(org.office)) == {in_a, in_b, both}
    names = set(
        selectors.participants_for_user(org.commissioner_b, both).values_list(
            "person__name", flat=True
        )
    )
    assert names == {"重点乙", "普通丙"}
    assert client_for(org.commissioner_b).get(in_a.get_absolute_url()).status_code == 404


def test_a_reader_without_a_role_sees_only_their_own(org, people):
    reader = make_user("reader", org.branch_b, None)
    activity = _push(org, groups=["figures"], extra=[reader.person_id])
    other = _push(org, groups=["representatives"], title="别人的学习")
    client = client_for(reader)
    assert client.get(reverse("study_list")).status_code == 403
    page = client.get(activity.get_absolute_url())
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [
        activity.participants.get(person=reader.person)
    ]
    assert client.get(other.get_absolute_url()).status_code == 404
    mine = client.get(reverse("my_studies")).content.decode()
    assert "学习条例" in mine and "别人的学习" not in mine
    client.post(reverse("study_confirm", args=[activity.pk]), {"next": reverse("my_studies")})
    assert activity.participants.get(person=reader.person).confirmed
    # `next` goes back to 我的学习 only, never elsewhere.
    away = client.post(reverse("study_confirm", args=[activity.pk]), {"next": "https://evil.test/"})
    assert away["Location"] == activity.get_absolute_url()


# --- the "五个一" ---


def test_the_office_and_the_figure_record_the_five_ones_and_others_may_not(org, people):
    figure = people["rep"]
    own = User.objects.create_user(username="daibiao", password="x", person=figure.person)
    with time_machine.travel(MONDAY, tick=False):
        study.five_one_record(
            figure=figure, year=2026, item="book", done_on=dt.date(2026, 3, 1), title="读书", by=own
        )
        study.five_one_record(
            figure=figure,
            year=2026,
            item="base",
            done_on=dt.date(2026, 5, 4),
            title="基地",
            by=org.office,
        )
        for persona in NOT_OFFICE:
            with pytest.raises(Forbidden):
                study.five_one_record(
                    figure=figure,
                    year=2026,
                    item="study",
                    done_on=dt.date(2026, 5, 4),
                    title="调研",
                    by=getattr(org, persona),
                )
    assert set(FiveOne.objects.values_list("item", "recorded_by__username")) == {
        ("book", "daibiao"),
        ("base", "office"),
    }


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2025, 12, 31), "完成日期应在 2026 年内。"),
        (dt.date(2026, 6, 2), "完成日期不能晚于今天。"),
    ],
)
def test_a_five_one_is_dated_in_its_year_and_not_ahead(org, people, day, message):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as error:
        study.five_one_record(
            figure=people["rep"], year=2026, item="book", done_on=day, title="书", by=org.office
        )
    assert error.value.message_dict["done_on"] == [message]
    assert not FiveOne.objects.exists()


def test_each_of_the_five_is_recorded_once_a_year(org, people):
    figure = people["rep"]
    with time_machine.travel(MONDAY, tick=False):
        study.five_one_record(
            figure=figure,
            year=2026,
            item="book",
            done_on=dt.date(2026, 3, 1),
            title="甲",
            by=org.office,
        )
        with pytest.raises(Refused, match="已登记"):
            study.five_one_record(
                figure=figure,
                year=2026,
                item="book",
                done_on=dt.date(2026, 4, 1),
                title="乙",
                by=org.office,
            )
        # Another year is another record, on New Year's Eve and Day alike.
    with time_machine.travel(at(2027, 1, 1, 0, 30), tick=False):
        study.five_one_record(
            figure=figure,
            year=2027,
            item="book",
            done_on=dt.date(2027, 1, 1),
            title="丙",
            by=org.office,
        )
    assert FiveOne.objects.filter(figure=figure).count() == 2


def test_the_five_ones_page_records_with_evidence_and_deletes(org, people):
    figure = people["key"]
    url = reverse("five_ones", args=[figure.pk]) + "?year=2026"
    client = client_for(org.office)
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(
            url,
            {
                "item": "proposal",
                "done_on": "2026-05-20",
                "title": "关于校园停车的建议",
                "evidence": SimpleUploadedFile("建议.pdf", b"%PDF-1.4 x"),
            },
        )
    assert response.status_code == 302
    record = FiveOne.objects.get()
    page = client.get(url).content.decode()
    assert "关于校园停车的建议" in page and "读一本好书" in page  # what is still missing
    evidence = client.get(reverse("five_one_evidence", args=[figure.pk, record.pk]))
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")
    client.post(reverse("five_one_delete", args=[figure.pk, record.pk]))
    assert not FiveOne.objects.exists() and record.history.count() == 2


# --- the year board ---


def _board_world(org, people):
    with time_machine.travel(MONDAY, tick=False):
        done = _push(org, groups=["figures"], title="已学")
        _push(org, groups=["representatives"], title="未学")
        study.study_record(
            activity=done,
            shown=list(done.participants.values_list("pk", flat=True)),
            confirmed=list(done.participants.values_list("pk", flat=True)),
            absences={},
            by=org.office,
        )
        for item in ("book", "lecture"):
            study.five_one_record(
                figure=people["rep"],
                year=2026,
                item=item,
                done_on=dt.date(2026, 5, 1),
                title="内容",
                by=org.office,
            )
        # Last year's study counts for last year only.
        _push(
            org,
            groups=["figures"],
            title="去年",
            held_on=dt.date(2025, 6, 1),
            confirm_by=None,
            kind="offline",
            place="会议室",
        )


def test_the_board_counts_each_figures_year(org, people):
    _board_world(org, people)
    figures = selectors.board_values(selectors.board_figures(org.office))
    rows = {r.name: r for r in selectors.board_rows(figures, 2026)}
    assert set(rows) == {"代表甲", "重点乙", "普通丙"}
    assert (rows["代表甲"].reached, rows["代表甲"].confirmed, rows["代表甲"].five_done) == (2, 1, 2)
    assert (rows["重点乙"].reached, rows["重点乙"].confirmed, rows["重点乙"].five_done) == (1, 1, 0)
    assert rows["重点乙"].study_complete and not rows["代表甲"].study_complete
    assert [bool(c) for c in rows["代表甲"].cells] == [True, True, False, False, False]
    assert {
        r.name
        for r in selectors.board_rows(
            selectors.board_values(selectors.board_figures(org.commissioner_b)), 2026
        )
    } == {"重点乙", "普通丙"}
    assert list(selectors.board_figures(org.member)) == []


def test_the_board_exports_what_it_shows(org, people):
    _board_world(org, people)
    response = client_for(org.commissioner_b).get(reverse("study_board_export") + "?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "单位", "类别", "应学次数", "已学次数")
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"重点乙", "普通丙"}  # the commissioner's unit only
    assert body["重点乙"][3:5] == (1, 1) and body["重点乙"][-1] == 0


def test_the_board_ignores_a_bad_year(org, people):
    response = client_for(org.office).get(reverse("study_board") + "?year=99999")
    assert response.status_code == 200 and response.context["year"] == response.context["years"][-1]


# --- speed ---


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_learning_pages_run_constant_queries(org, people):
    office, leader = client_for(org.office), client_for(org.leader)
    first = _push(org, groups=["figures", "paired_leaders"])
    urls = lambda: [  # noqa: E731
        (office, reverse("study_list")),
        (office, reverse("study_board")),
        (office, first.get_absolute_url()),
        (leader, reverse("my_studies")),
    ]
    before = [_queries(c, u) for c, u in urls()]
    unit = org.branch_b
    for n in range(6):
        figure = _figure(unit, f"新人{n}")
        with time_machine.travel(MONDAY, tick=False):
            study.five_one_record(
                figure=figure,
                year=2026,
                item="book",
                done_on=dt.date(2026, 5, 1),
                title="书",
                by=org.office,
            )
        _push(org, groups=["figures", "paired_leaders"], title=f"第{n}次")
    after = [_queries(c, u) for c, u in urls()]
    assert after == before


def test_the_board_page_ticks_each_item_done_with_its_day_and_title(org, people):
    _board_world(org, people)
    page = client_for(org.office).get(reverse("study_board") + "?year=2026").content.decode()
    row = page[page.index("代表甲") : page.index("</tr>", page.index("代表甲"))]
    assert row.count('title="2026-05-01 内容">✓</span>') == 2
    assert row.count('<span class="text-muted">·</span>') == 3
    assert ">2/5</span>" in row

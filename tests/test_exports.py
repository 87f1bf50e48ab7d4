"""The registers' exports (`portal.exports`): each read back with openpyxl. An export
holds what the list shows the user, never more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Unit
from tests.conftest import client_for
from tests.documents_helpers import draft
from tests.factories import PersonFactory
from tests.sheets import assert_text_cell, export_queries, headers_of, read_sheet, rows_of


def _names(sheet) -> list[str]:
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_units_export_holds_what_the_list_holds(org):
    Unit.objects.filter(pk=org.branch_b.pk).update(name="=HYPERLINK(1)")
    unit_a = org.branch_a
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("unit_export")))
    assert [cell.value for cell in sheet[1]] == ["名称", "简称", "类别", "上级单位", "人数", "在用"]
    names = _names(sheet)
    assert unit_a.name in names and "=HYPERLINK(1)" in names
    row = names.index("=HYPERLINK(1)") + 2
    cell = sheet.cell(row=row, column=1)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)  # text, never a formula
    # The list's filter applies to the export.
    filtered = _names(read_sheet(client.get(reverse("unit_export"), {"q": unit_a.name})))
    assert filtered == [unit_a.name]


def test_a_commissioners_units_export_lacks_the_units_out_of_scope(org):
    client = client_for(org.commissioner_a)
    listed = {unit.name for unit in client.get(reverse("unit_list")).context["page"]}
    names = _names(read_sheet(client.get(reverse("unit_export"))))
    assert set(names) == listed
    assert org.branch_a.name in names and org.branch_b.name not in names


SENSITIVE_HEADERS = {"政治面貌", "留学", "留学经历", "备注"}


def _cells(sheet) -> str:
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row)


def test_the_office_exports_people_with_the_sensitive_columns(org):
    sheet = read_sheet(client_for(org.office).get(reverse("person_export")))
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["姓名", "单位", "职务/职称", "性别"]
    assert set(headers) >= SENSITIVE_HEADERS
    assert "英国曼彻斯特大学访问学者" in _cells(sheet)
    assert "党外甲" in _names(sheet)


def _pair(org, leader, person):
    """`leader` paired with `person` (registered as a figure) since a month ago."""
    from outreach.models import Figure, FriendshipPair

    figure = Figure.objects.create(
        person=person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=timezone.localdate(),
    )
    FriendshipPair.objects.create(
        leader=leader.person,
        figure=figure,
        start_date=timezone.localdate() - dt.timedelta(days=30),
    )


@pytest.fixture
def paired(org):
    """The group leader paired with 党外甲; a Party member and a second non-party person
    (paired with no one) in the same school."""
    from portal.models import PoliticalStatus

    _pair(org, org.leader, org.figure_a)
    PersonFactory(
        name="党员乙",
        unit=org.school_a,
        political_status=PoliticalStatus.CPC,
        overseas_detail="党员的留学经历",
        note="党员的备注",
    )
    PersonFactory(
        name="党外丙",
        unit=org.school_a,
        political_status=PoliticalStatus.NON_PARTY,
        overseas_study=True,
        overseas_detail="党外丙的留学经历",
        note="党外丙的备注",
    )
    return org


# persona -> (sensitive columns?, the people whose sensitive cells are filled)
PEOPLE_EXPORT_BY_ROLE = {
    "office": (True, {"党外甲", "党员乙", "党外丙"}),
    "leader": (True, {"党外甲"}),  # paired with 党外甲
    "deputy": (False, set()),  # a leader paired with no one
    "member": (False, set()),
    "commissioner_a": (False, set()),
}


@pytest.mark.parametrize("persona", sorted(PEOPLE_EXPORT_BY_ROLE))
def test_the_people_export_shows_sensitive_cells_to_the_office_and_the_paired_leader(
    paired, persona
):
    """Row by row as the domain says: the office every person's, a leader the people
    they are paired with; no one else has the columns (a Party member's record, which
    the person page shows leaders and members one at a time, is not in a bulk file)."""
    from portal.models import Person
    from portal.permissions import can_view_sensitive

    org = paired
    user = getattr(org, persona)
    columns, filled = PEOPLE_EXPORT_BY_ROLE[persona]
    sheet = read_sheet(client_for(user).get(reverse("person_export")))
    headers = headers_of(sheet)
    assert headers[:4] == ["姓名", "单位", "职务/职称", "性别"]
    assert bool(set(headers) & SENSITIVE_HEADERS) is columns
    assert len(headers) == (8 if columns else 4)
    rows = {row[0]: row for row in rows_of(sheet)}
    assert {"党外甲", "党员乙", "党外丙"} <= set(rows)
    fresh = type(user).objects.get(pk=user.pk)
    for name in ("党外甲", "党员乙", "党外丙"):
        sensitive_cells = [value for value in rows[name][4:] if value not in (None, "")]
        assert bool(sensitive_cells) is (name in filled), (persona, name)
        if name in filled:  # never more than the person page shows
            assert can_view_sensitive(fresh, Person.objects.get(name=name)), (persona, name)
    text = _cells(sheet)
    assert ("英国曼彻斯特大学访问学者" in text) is ("党外甲" in filled)
    assert ("党外丙的备注" in text) is ("党外丙" in filled)
    assert ("党员的备注" in text) is ("党员乙" in filled)
    if "党外甲" in filled:
        assert rows["党外甲"][4:6] == ("九三学社社员", "有")


def test_a_paired_leaders_people_export_is_logged_for_their_figure_only(paired):
    from portal.models import SensitiveView

    org = paired
    read_sheet(client_for(org.leader).get(reverse("person_export")))
    looks = list(SensitiveView.objects.values_list("viewer", "person__name", "page"))
    assert looks == [(org.leader.pk, "党外甲", reverse("person_export"))]
    read_sheet(client_for(org.office).get(reverse("person_export")))
    assert SensitiveView.objects.count() == 1  # the office's reading is not logged


def test_a_commissioners_people_export_is_their_branchs_people(org):
    client = client_for(org.commissioner_a)
    listed = {person.name for person in client.get(reverse("person_list")).context["page"]}
    names = set(_names(read_sheet(client.get(reverse("person_export")))))
    assert names == listed
    assert "commissioner2-人员" not in names  # branch B's commissioner


# The other registers -------------------------------------------------------------------
# Each read back with openpyxl: headers, a date cell is a date, formula-like text stays
# text, the list's filter applies, the list's scope per role.


def test_the_documents_export_is_the_lists_tab_and_filter(org):
    from tests.documents_helpers import issued

    issued(org, title="=SUM(1,2) 关于报送信息的通知")
    draft(org, title="草稿中的通知")
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("document_export"), {"tab": "issued"}))
    assert headers_of(sheet)[:3] == ["标题", "文号", "文种"]
    rows = rows_of(sheet)
    assert [row[0] for row in rows] == ["=SUM(1,2) 关于报送信息的通知"]
    assert_text_cell(sheet, "=SUM(1,2) 关于报送信息的通知")
    issued_on = sheet.cell(row=2, column=8)
    assert issued_on.is_date and issued_on.value.date() == timezone.localdate()
    every = {
        row[0]
        for row in rows_of(read_sheet(client.get(reverse("document_export"), {"tab": "all"})))
    }
    assert every == {"=SUM(1,2) 关于报送信息的通知", "草稿中的通知"}
    # A commissioner of another unit sees neither (the list's scope).
    theirs = read_sheet(
        client_for(org.commissioner_b).get(reverse("document_export"), {"tab": "all"})
    )
    assert not rows_of(theirs)


def _follow_ups(org):
    from meetings import services as meetings
    from tests.meetings_helpers import decided, make_meeting, make_members

    make_members(org)
    meeting = make_meeting(org)
    decided(org, meeting, [("议程一", "决定一。")])
    item = meeting.agenda_items.first()
    for unit, task, due in (
        (org.branch_a, "=cmd|' /C calc'!A0", dt.date(2026, 6, 30)),
        (org.branch_b, "完成经管学院的信息更新", dt.date(2026, 7, 31)),
    ):
        meetings.follow_up_create(
            agenda_item=item, by=org.office, task=task, owner_unit=unit, due=due
        )
    return meeting


def test_the_meetings_export_holds_the_lists_meetings(org):
    meeting = _follow_ups(org)
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("meeting_export")))
    assert headers_of(sheet)[:4] == ["日期", "时间", "会议名称", "会议类型"]
    rows = rows_of(sheet)
    assert [row[2] for row in rows] == [meeting.title]
    assert sheet.cell(row=2, column=1).is_date
    assert sheet.cell(row=2, column=1).value.date() == timezone.localdate(meeting.starts_at)
    assert not rows_of(read_sheet(client.get(reverse("meeting_export"), {"kind": "office"})))


def test_the_follow_ups_export_is_scoped_to_the_owner_unit(org):
    _follow_ups(org)
    office = read_sheet(client_for(org.office).get(reverse("follow_up_export")))
    assert headers_of(office)[:4] == ["督办内容", "责任单位", "办理期限", "办理状态"]
    assert [row[0] for row in rows_of(office)] == ["=cmd|' /C calc'!A0", "完成经管学院的信息更新"]
    assert_text_cell(office, "=cmd|' /C calc'!A0")
    due = office.cell(row=2, column=3)
    assert due.is_date and due.value.date() == dt.date(2026, 6, 30)
    commissioner = read_sheet(client_for(org.commissioner_b).get(reverse("follow_up_export")))
    assert [row[0] for row in rows_of(commissioner)] == ["完成经管学院的信息更新"]
    closed = read_sheet(
        client_for(org.office).get(reverse("follow_up_export"), {"status": "closed"})
    )
    assert not rows_of(closed)


def test_the_topics_export_holds_the_lists_topics_scoped_and_filtered(org):
    from meetings import services as meetings

    formula = meetings.topic_propose(by=org.commissioner_a, title='=HYPERLINK("x")')
    other = meetings.topic_propose(
        by=org.commissioner_b, title="加强经管学院党外教师联系", description="说明"
    )
    meetings.topic_decide(topic=other, status="accepted", reason="列入下次会议。", by=org.office)
    office = read_sheet(client_for(org.office).get(reverse("topic_export")))
    assert headers_of(office)[:6] == [
        "议题",
        "议题说明",
        "提出单位",
        "提出人",
        "提出时间",
        "办理状态",
    ]
    rows = {row[0]: row for row in rows_of(office)}
    assert set(rows) == {formula.title, other.title}
    assert_text_cell(office, formula.title)
    assert rows[other.title][5:7] == ("已采纳", "列入下次会议。")
    created = office.cell(row=2, column=5)
    assert created.is_date and created.value.date() == timezone.localdate(other.created_at)
    # A commissioner's own unit's only, as the list; the list's status filter holds.
    mine = read_sheet(client_for(org.commissioner_b).get(reverse("topic_export")))
    assert [row[0] for row in rows_of(mine)] == [other.title]
    accepted = read_sheet(
        client_for(org.office).get(reverse("topic_export"), {"status": "accepted"})
    )
    assert [row[0] for row in rows_of(accepted)] == [other.title]
    assert (
        client_for(org.office)
        .get(reverse("topic_list"))
        .content.decode()
        .count(reverse("topic_export"))
    )


def test_the_sensitive_view_log_exports_for_the_office_only(paired):
    """Who looked at whose sensitive data, as the log lists it (its filter held), with
    the local time as a date-time; nobody but the office may have it."""
    from portal.models import Person, SensitiveView

    org = paired
    client_for(org.leader).get(reverse("person_export"))  # logs the paired leader's look
    assert SensitiveView.objects.filter(viewer=org.leader).exists()
    sheet = read_sheet(client_for(org.office).get(reverse("sensitive_view_export")))
    assert headers_of(sheet) == ["查阅时间", "查阅人", "被查阅人", "查阅内容", "查阅位置"]
    rows = rows_of(sheet)
    assert {row[2] for row in rows} == set(
        Person.objects.filter(pk__in=SensitiveView.objects.values("person")).values_list(
            "name", flat=True
        )
    )
    first = SensitiveView.objects.order_by("-at", "-pk").first()
    at = sheet.cell(row=2, column=1)
    assert at.is_date
    assert at.value == timezone.localtime(first.at).replace(tzinfo=None, microsecond=0)
    narrowed = client_for(org.office).get(reverse("sensitive_view_export"), {"person": "党外甲"})
    assert {row[2] for row in rows_of(read_sheet(narrowed))} == {"党外甲"}
    for persona in ("leader", "deputy", "member", "commissioner_a"):
        response = client_for(getattr(org, persona)).get(reverse("sensitive_view_export"))
        assert response.status_code == 403, persona


def test_the_deadlines_export_holds_the_lists_deadlines(org):
    _follow_ups(org)
    client = client_for(org.office)
    sheet = read_sheet(client.get(reverse("deadline_export")))
    assert headers_of(sheet)[:4] == ["事项", "规则", "责任单位/人", "期限"]
    rows = rows_of(sheet)
    assert len(rows) == client.get(reverse("deadline_list")).context["page"].paginator.count
    dues = [row[3] for row in rows]
    assert all(isinstance(value, dt.datetime) for value in dues) and dues == sorted(dues)
    by_unit = read_sheet(client.get(reverse("deadline_export"), {"unit": org.branch_b.pk}))
    assert 0 < len(rows_of(by_unit)) < len(rows)
    theirs = rows_of(read_sheet(client_for(org.commissioner_b).get(reverse("deadline_export"))))
    assert len(theirs) == len(rows_of(by_unit))


LIAISON_BASIS = {"人选条件", "推荐理由"}


@pytest.fixture
def liaisons_appointed(paired):
    """党外甲 (paired with the group leader) the liaison of school A; a young Party
    member, with a reason, the liaison of a department."""
    from liaisons import services as liaisons
    from portal.models import PoliticalStatus

    org = paired
    liaisons.liaison_appoint(
        unit=org.school_a, person=org.figure_a, start_date=dt.date(2026, 3, 1), by=org.office
    )
    dept = Unit.objects.create(name="人事处", kind=Unit.Kind.DEPARTMENT)
    young = PersonFactory(
        name="=1+1 联络员",
        unit=dept,
        political_status=PoliticalStatus.CPC,
        birth_date=dt.date(1996, 1, 1),
    )
    liaisons.liaison_appoint(
        unit=dept, person=young, start_date=dt.date(2026, 3, 1), reason="党员理由", by=org.office
    )
    org.liaison_dept = dept
    return org


# persona -> (basis columns?, the units whose liaison's basis is shown)
LIAISON_EXPORT_BY_ROLE = {
    "office": (True, {"机电工程学院", "人事处"}),
    "leader": (True, {"机电工程学院"}),  # paired with 党外甲: only theirs
    # A leader paired with no one and a group member see no one's: showing them a Party
    # member's basis and hiding a non-party figure's would tell which is which.
    "deputy": (False, set()),
    "member": (False, set()),
    "commissioner_a": (False, set()),  # sees school A only, and no one's basis
}


@pytest.mark.parametrize("persona", sorted(LIAISON_EXPORT_BY_ROLE))
def test_the_liaisons_export_shows_the_basis_as_the_person_page_would(liaisons_appointed, persona):
    org = liaisons_appointed
    user = getattr(org, persona)
    columns, shown = LIAISON_EXPORT_BY_ROLE[persona]
    sheet = read_sheet(client_for(user).get(reverse("liaison_export")))
    assert bool(set(headers_of(sheet)) & LIAISON_BASIS) is columns
    rows = {row[0]: row for row in rows_of(sheet)}
    listed = client_for(user).get(reverse("liaison_list")).context["rows"]
    assert set(rows) == {r.unit.name for r in listed}
    assert rows["机电工程学院"][1] == "党外甲"
    if persona != "commissioner_a":
        assert rows["人事处"][1] == "=1+1 联络员"
        assert_text_cell(sheet, "=1+1 联络员")
        row = list(rows).index("人事处") + 2
        assert sheet.cell(row=row, column=4).value.date() == dt.date(2026, 3, 1)
    for unit in ("机电工程学院", "人事处"):
        if unit not in rows:
            continue
        basis = [value for value in rows[unit][4:] if value not in (None, "")]
        assert bool(basis) is (unit in shown), (persona, unit)
    if "机电工程学院" in shown:
        assert rows["机电工程学院"][4] == "非党人士"
    if "人事处" in shown:
        assert rows["人事处"][4:6] == ("青年党员教师（需说明理由）", "党员理由")
    assert ("非党人士" in _cells(sheet)) is ("机电工程学院" in shown)


def test_a_paired_leaders_liaisons_export_is_logged(liaisons_appointed):
    from portal.models import SensitiveView

    org = liaisons_appointed
    read_sheet(client_for(org.leader).get(reverse("liaison_export")))
    looks = list(SensitiveView.objects.values_list("viewer", "person__name", "page"))
    assert looks == [(org.leader.pk, "党外甲", reverse("liaison_export"))]


# Query counts: an export's queries do not grow with its rows --------------------------


def _more_follow_ups(org, n: int) -> None:
    from meetings import services as meetings
    from meetings.models import AgendaItem

    item = AgendaItem.objects.first() or _follow_ups(org).agenda_items.first()
    units = [org.branch_a, org.branch_b, org.school_a]
    for i in range(n):
        meetings.follow_up_create(
            agenda_item=item,
            by=org.office,
            task=f"事项{n}-{i}",
            owner_unit=units[i % 3],
            due=dt.date(2026, 7, 1 + i % 28),
        )


def _more_meetings(org, n: int) -> None:
    from tests.meetings_helpers import at, make_meeting

    for i in range(n):
        make_meeting(org, start=at(2026, 1 + i % 12, 1 + i % 28), title=f"会议{n}-{i}")


def _more_topics(org, n: int) -> None:
    from meetings import services as meetings

    for i in range(n):
        proposer = (org.commissioner_a, org.commissioner_b, org.office)[i % 3]
        meetings.topic_propose(by=proposer, title=f"议题{n}-{i}")


def _more_deadlines(org, n: int) -> None:
    """`n` follow-up deadlines, half on a unit and half on people, in two years."""
    from tests.deadline_helpers import open_item

    start = Unit.objects.count()
    for i in range(n):
        unit = Unit.objects.create(name=f"单位{start + i}", kind=Unit.Kind.DEPARTMENT)
        extra = {"responsible_users": [org.commissioner_a]} if i % 2 else {}
        open_item(unit, dt.date(2026 + i % 2, 7, 1 + i % 28), subject=unit, **extra)


@pytest.mark.parametrize(
    ("name", "more"),
    [
        (
            "unit_export",
            lambda org, n: [
                Unit.objects.create(name=f"单位{n}-{i}", kind=Unit.Kind.DEPARTMENT)
                for i in range(n)
            ],
        ),
        ("person_export", lambda org, n: PersonFactory.create_batch(n, unit=org.branch_a)),
        ("deadline_export", lambda org, n: _more_deadlines(org, n)),
        ("document_export", lambda org, n: [draft(org, title=f"公文{n}-{i}") for i in range(n)]),
        ("follow_up_export", lambda org, n: _more_follow_ups(org, n)),
        ("meeting_export", lambda org, n: _more_meetings(org, n)),
        ("topic_export", lambda org, n: _more_topics(org, n)),
    ],
)
def test_an_exports_queries_do_not_grow_with_its_rows(org, name, more):
    client = client_for(org.office)
    more(org, 1)  # a row, so that every prefetch runs (none runs on no rows)
    few, _rows = export_queries(client, reverse(name))
    more(org, 30)
    many, _rows = export_queries(client, reverse(name))
    assert many == few

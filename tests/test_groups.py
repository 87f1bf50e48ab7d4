"""The leading group's roster: terms, seats kept over time, the rules that forbid
overlaps, who held which seat on a date, the login roles that follow the seats, and the
org chart and roster pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import selectors, services
from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Office,
    OfficeMember,
)
from groups.services import Category
from groups.tasks import sync_roster_roles
from portal.models import Person, Role, Unit, User
from tests.conftest import client_for, make_user
from tests.groups_helpers import TERM_START, department, make_group, office_login, person

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
JUNE = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)
Member = GroupMembership.Role


@pytest.fixture
def june():
    with time_machine.travel(JUNE, tick=False):
        yield JUNE.date()


def join(p: Person, role: str, unit: Unit, start: dt.date, end: dt.date | None = None, post="职务"):
    return services.group_membership_start(
        by=office_login(), person=p, role=role, unit=unit, post=post, start_date=start, end_date=end
    )


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# Terms -------------------------------------------------------------------------------------


def test_it_refuses_overlapping_terms(org):
    make_group(org)
    clash = LeadingGroup(term_start=dt.date(2023, 1, 1), term_end=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "任期与另一届领导小组" in messages_of(error)


def test_it_refuses_a_term_that_ends_before_it_starts(org):
    with pytest.raises(ValidationError, match="任期结束日期不能早于开始日期"):
        LeadingGroup(term_start=dt.date(2024, 3, 1), term_end=dt.date(2024, 2, 1)).full_clean()


def test_it_ends_the_previous_term_and_its_open_seats_when_a_new_one_starts(org):
    first = make_group(org, dt.date(2021, 4, 1))
    secretary = person(org.ufw_dept, "书记甲")
    dean = person(org.ufw_dept, "院长乙")
    join(secretary, Member.LEADER, org.ufw_dept, dt.date(2021, 4, 1))
    join(dean, Member.LEADER, org.ufw_dept, dt.date(2021, 4, 1), dt.date(2022, 12, 31))
    second = services.leading_group_start_term(
        by=org.office, term_start=TERM_START, basis="院委〔2024〕12号"
    )
    first.refresh_from_db()
    assert first.term_end == dt.date(2024, 2, 29)
    ended = GroupMembership.objects.get(person=secretary)
    assert ended.end_date == dt.date(2024, 2, 29)
    # A seat that had ended already keeps its own end date.
    assert GroupMembership.objects.get(person=dean).end_date == dt.date(2022, 12, 31)
    # The office stays where it was, in a new office of the new term.
    assert second.office.unit == org.ufw_dept
    assert selectors.members_on(TERM_START).count() == 0


def test_it_carries_the_sitting_roster_into_a_new_term_on_request(org):
    make_group(org, dt.date(2021, 4, 1))
    secretary = person(org.ufw_dept, "书记甲")
    join(secretary, Member.LEADER, org.ufw_dept, dt.date(2021, 4, 1), post="党委书记")
    services.office_member_start(
        by=org.office,
        person=secretary,
        role=OfficeMember.Role.DIRECTOR,
        unit=org.ufw_dept,
        post="统战部部长",
        start_date=dt.date(2021, 4, 1),
    )
    second = services.leading_group_start_term(
        by=org.office, term_start=TERM_START, carry_over=True
    )
    carried = selectors.members_on(TERM_START).get()
    assert (carried.person, carried.role, carried.post, carried.group) == (
        secretary,
        Member.LEADER,
        "党委书记",
        second,
    )
    assert OfficeMember.objects.active_on(TERM_START).get().office.group == second
    # The old seats end the day before: on that day the first term's people sat.
    assert selectors.members_on(dt.date(2024, 2, 29)).get().group != second


def test_it_asks_where_the_office_sits_for_the_first_term(org):
    with pytest.raises(ValidationError, match="请选择领导小组办公室所在单位"):
        services.leading_group_start_term(by=org.office, term_start=TERM_START)
    assert not LeadingGroup.objects.exists()


# Who held which seat on a date ------------------------------------------------------------------


def test_it_answers_who_was_a_member_on_a_given_date(org):
    make_group(org)
    publicity = department("党委宣传部")
    old_head = person(publicity, "老部长")
    new_head = person(publicity, "新部长")
    join(old_head, Member.MEMBER, publicity, TERM_START, dt.date(2025, 6, 30), post="宣传部部长")
    join(new_head, Member.MEMBER, publicity, dt.date(2025, 7, 1), post="宣传部部长")

    def names(day: dt.date) -> list[str]:
        return [m.person.name for m in selectors.members_on(day)]

    assert names(dt.date(2024, 2, 29)) == []  # before the term
    assert names(TERM_START) == ["老部长"]
    assert names(dt.date(2025, 6, 30)) == ["老部长"]  # the end date is the last day held
    assert names(dt.date(2025, 7, 1)) == ["新部长"]
    assert list(selectors.people_in_group_on(dt.date(2025, 7, 1))) == [new_head]
    assert selectors.group_on(dt.date(2025, 7, 1)) == selectors.group_on(TERM_START)
    assert selectors.group_on(dt.date(2020, 1, 1)) is None


def test_it_lists_todays_members_by_role(org, june):
    make_group(org)
    leader = person(org.ufw_dept, "组长甲")
    member = person(org.ufw_dept, "成员乙")
    join(leader, Member.LEADER, org.ufw_dept, TERM_START)
    join(member, Member.MEMBER, org.ufw_dept, TERM_START)
    join(
        person(org.ufw_dept, "已离任"), Member.MEMBER, org.ufw_dept, TERM_START, dt.date(2025, 1, 1)
    )
    assert {m.person.name for m in selectors.members_today()} == {"组长甲", "成员乙"}
    leaders = selectors.members_on(june, roles=[Member.LEADER])
    assert [m.person for m in leaders] == [leader]


def test_it_builds_the_org_chart_of_a_day(org):
    make_group(org)
    join(person(org.ufw_dept, "组长甲"), Member.LEADER, org.ufw_dept, TERM_START)
    join(person(org.ufw_dept, "副组长乙"), Member.DEPUTY_LEADER, org.ufw_dept, TERM_START)
    join(person(org.branch_a, "书记丙"), Member.MEMBER, org.branch_a, TERM_START)
    director = person(org.ufw_dept, "主任丁")
    services.office_member_start(
        by=org.office,
        person=director,
        role=OfficeMember.Role.DIRECTOR,
        unit=org.ufw_dept,
        post="统战部部长",
        start_date=TERM_START,
    )
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_a,
        person=person(org.branch_a, "委员戊"),
        start_date=TERM_START,
    )
    roster = selectors.roster_on(dt.date(2025, 1, 1))
    assert [m.person.name for m in roster.leaders] == ["组长甲"]
    assert [m.person.name for m in roster.deputies] == ["副组长乙"]
    assert [m.person.name for m in roster.members] == ["书记丙"]
    assert [s.person for s in roster.office_directors] == [director]
    assert [c.person.name for c in roster.commissioners] == ["委员戊"]
    assert roster.vacant_branches == [org.branch_b]
    assert roster.size == 3


def test_it_names_who_answers_for_a_unit(org):
    make_group(org)
    hr = department("人事处")
    deputy = person(hr, "副处长")
    services.office_member_start(
        by=org.office,
        person=deputy,
        role=OfficeMember.Role.MEMBER,
        unit=hr,
        post="副处长",
        start_date=TERM_START,
    )
    commissioner = person(org.branch_a, "委员")
    services.branch_commissioner_appoint(
        by=org.office, branch=org.branch_a, person=commissioner, start_date=TERM_START
    )
    day = dt.date(2025, 1, 1)
    assert selectors.responsible_people_for(hr, day) == [deputy]
    assert selectors.responsible_people_for(org.school_a, day) == [commissioner]  # via its branch
    assert selectors.responsible_people_for(org.branch_a, day) == [commissioner]
    assert selectors.responsible_people_for(org.branch_b, day) == []


# Seats: the rules --------------------------------------------------------------------------------


def test_it_refuses_the_same_role_twice_at_once(org):
    make_group(org)
    secretary = person(org.ufw_dept, "书记甲")
    join(secretary, Member.LEADER, org.ufw_dept, TERM_START)
    with pytest.raises(ValidationError) as error:
        join(secretary, Member.LEADER, org.ufw_dept, dt.date(2025, 1, 1))
    assert "书记甲 在 2024-03-01 — 至今 已任组长，同一职务的任期不能重叠。" in messages_of(error)
    assert GroupMembership.objects.count() == 1


def test_it_refuses_two_roles_for_one_person_at_once(org):
    make_group(org)
    secretary = person(org.ufw_dept, "书记甲")
    join(secretary, Member.MEMBER, org.ufw_dept, TERM_START, dt.date(2025, 6, 30))
    with pytest.raises(ValidationError, match="同一人员在领导小组中同时只能有一个职务"):
        join(secretary, Member.DEPUTY_LEADER, org.ufw_dept, dt.date(2025, 6, 30))
    # From the next day on the change of role is fine: one seat ends, another starts.
    join(secretary, Member.DEPUTY_LEADER, org.ufw_dept, dt.date(2025, 7, 1))
    roles = [m.role for m in GroupMembership.objects.order_by("start_date")]
    assert roles == [Member.MEMBER, Member.DEPUTY_LEADER]


def test_it_refuses_seats_outside_the_term(org):
    make_group(org)
    with pytest.raises(ValidationError, match="不在任何一届领导小组的任期内"):
        join(person(org.ufw_dept, "甲"), Member.MEMBER, org.ufw_dept, dt.date(2023, 12, 31))
    services.leading_group_start_term(by=org.office, term_start=dt.date(2027, 3, 1))
    with pytest.raises(ValidationError, match="结束日期不在该届领导小组任期"):
        join(
            person(org.ufw_dept, "乙"), Member.MEMBER, org.ufw_dept, TERM_START, dt.date(2027, 3, 1)
        )


def test_it_refuses_an_end_before_the_start(org):
    make_group(org)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        join(
            person(org.ufw_dept, "甲"),
            Member.MEMBER,
            org.ufw_dept,
            dt.date(2025, 3, 1),
            dt.date(2025, 2, 1),
        )


def test_it_requires_the_qualifying_post(org):
    make_group(org)
    with pytest.raises(ValidationError, match="请填写据以任职的职务"):
        join(person(org.ufw_dept, "甲"), Member.MEMBER, org.ufw_dept, TERM_START, post="")


def test_it_allows_one_office_director_at_a_time_from_the_ufw_department(org):
    make_group(org)
    first = person(org.ufw_dept, "部长甲")
    services.office_member_start(
        by=org.office,
        person=first,
        role=OfficeMember.Role.DIRECTOR,
        unit=org.ufw_dept,
        post="部长",
        start_date=TERM_START,
    )
    with pytest.raises(ValidationError, match="已有办公室主任（部长甲），同一时间只能有一位"):
        services.office_member_start(
            by=org.office,
            person=person(org.ufw_dept, "部长乙"),
            role=OfficeMember.Role.DIRECTOR,
            unit=org.ufw_dept,
            post="部长",
            start_date=dt.date(2025, 1, 1),
        )
    with pytest.raises(
        ValidationError, match="办公室主任由办公室所在单位（党委统战部）的负责人兼任"
    ):
        services.office_member_start(
            by=org.office,
            person=person(org.branch_a, "外单位"),
            role=OfficeMember.Role.DIRECTOR,
            unit=org.branch_a,
            post="书记",
            start_date=TERM_START,
        )
    assert OfficeMember.objects.count() == 1


def test_it_allows_one_office_member_per_department_at_a_time(org):
    make_group(org)
    hr = department("人事处")
    services.office_member_start(
        by=org.office,
        person=person(hr, "副处长甲"),
        role=OfficeMember.Role.MEMBER,
        unit=hr,
        post="副处长",
        start_date=TERM_START,
    )
    with pytest.raises(ValidationError, match="每个部门同一时间只有一名"):
        services.office_member_start(
            by=org.office,
            person=person(hr, "副处长乙"),
            role=OfficeMember.Role.MEMBER,
            unit=hr,
            post="副处长",
            start_date=TERM_START,
        )
    # Another department's member at the same time is fine.
    services.office_member_start(
        by=org.office,
        person=person(org.ufw_dept, "副部长"),
        role=OfficeMember.Role.MEMBER,
        unit=org.ufw_dept,
        post="副部长",
        start_date=TERM_START,
    )
    assert OfficeMember.objects.count() == 2


def test_it_allows_one_commissioner_per_branch_at_a_time(org):
    first = person(org.branch_a, "委员甲")
    second = person(org.branch_a, "委员乙")
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_a,
        person=first,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2025, 8, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.branch_commissioner_appoint(
            by=org.office, branch=org.branch_a, person=second, start_date=dt.date(2025, 8, 31)
        )
    assert (
        "机电工程学院党总支 在 2024-01-01 — 2025-08-31 已有统战委员（委员甲），同一时间只能有一位。"
        in messages_of(error)
    )
    services.branch_commissioner_appoint(
        by=org.office, branch=org.branch_a, person=second, start_date=dt.date(2025, 9, 1)
    )
    assert selectors.commissioner_of(org.branch_a, dt.date(2025, 8, 31)).person == first
    assert selectors.commissioner_of(org.branch_a, dt.date(2025, 9, 1)).person == second


def test_it_appoints_commissioners_only_from_their_branch(org):
    outsider = person(org.branch_b, "外总支")
    with pytest.raises(
        ValidationError, match="不在机电工程学院党总支（或其下属单位），不能任该党总支的统战委员"
    ):
        services.branch_commissioner_appoint(
            by=org.office, branch=org.branch_a, person=outsider, start_date=TERM_START
        )
    # A teacher of the school under the branch may be its commissioner.
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_a,
        person=person(org.school_a, "学院老师"),
        start_date=TERM_START,
    )
    with pytest.raises(ValidationError, match="不是党总支"):
        services.branch_commissioner_appoint(
            by=org.office,
            branch=org.school_a,
            person=person(org.school_a, "老师乙"),
            start_date=TERM_START,
        )
    assert BranchCommissioner.objects.count() == 1


def test_it_ends_a_seat_once(org):
    make_group(org)
    seat = join(person(org.ufw_dept, "甲"), Member.MEMBER, org.ufw_dept, TERM_START)
    services.seat_end(by=org.office, seat=seat, end_date=dt.date(2025, 12, 31))
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2025, 12, 31)
    with pytest.raises(ValidationError, match="该任职已于 2025-12-31 结束"):
        services.seat_end(by=org.office, seat=seat, end_date=dt.date(2026, 1, 31))
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        other = join(person(org.ufw_dept, "乙"), Member.MEMBER, org.ufw_dept, dt.date(2025, 3, 1))
        services.seat_end(by=org.office, seat=other, end_date=dt.date(2025, 2, 1))
    # Ending keeps the history: the seat is still there, with its record of changes.
    assert GroupMembership.objects.count() == 2
    assert seat.history.count() == 2


# Login roles follow the seats ---------------------------------------------------------------------


def _groups_of(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_it_makes_an_appointed_commissioner_a_commissioner_login(
    org, june, django_capture_on_commit_callbacks
):
    user = make_user("weiyuan", org.branch_a, None)
    with django_capture_on_commit_callbacks(execute=True):
        seat = services.branch_commissioner_appoint(
            by=org.office, branch=org.branch_a, person=user.person, start_date=june
        )
    assert _groups_of(user) == {Role.COMMISSIONER}
    with django_capture_on_commit_callbacks(execute=True):
        services.seat_end(by=org.office, seat=seat, end_date=june)
    # Ending today: still held today, so the role stays until the day is over.
    assert _groups_of(user) == {Role.COMMISSIONER}
    with time_machine.travel(JUNE + dt.timedelta(days=1), tick=False):
        sync_roster_roles()
    assert _groups_of(user) == set()


def test_it_grants_roles_by_seat_kind_and_leaves_the_office_role_alone(
    org, june, django_capture_on_commit_callbacks
):
    make_group(org)
    leader = make_user("zuzhang", org.ufw_dept, Role.OFFICE)
    member = make_user("chengyuan", org.ufw_dept, None)
    office_member = make_user("bangongshi", org.ufw_dept, None)
    with django_capture_on_commit_callbacks(execute=True):
        join(leader.person, Member.LEADER, org.ufw_dept, TERM_START)
        join(member.person, Member.MEMBER, org.ufw_dept, TERM_START)
        services.office_member_start(
            by=org.office,
            person=office_member.person,
            role=OfficeMember.Role.MEMBER,
            unit=org.ufw_dept,
            post="副部长",
            start_date=TERM_START,
        )
    assert _groups_of(leader) == {Role.OFFICE, Role.LEADER}
    assert _groups_of(member) == {Role.MEMBER}
    assert _groups_of(office_member) == {Role.MEMBER}
    # `leadership` (who signs) is the admin's to set, never the roster's.
    leader.refresh_from_db()
    assert leader.leadership == ""


def test_it_keeps_a_role_another_seat_still_gives(org, june, django_capture_on_commit_callbacks):
    make_group(org)
    user = make_user("liangzhi", org.ufw_dept, None)
    with django_capture_on_commit_callbacks(execute=True):
        membership = join(user.person, Member.MEMBER, org.ufw_dept, TERM_START)
        services.office_member_start(
            by=org.office,
            person=user.person,
            role=OfficeMember.Role.MEMBER,
            unit=org.ufw_dept,
            post="部长",
            start_date=TERM_START,
        )
        services.seat_end(by=org.office, seat=membership, end_date=dt.date(2026, 6, 1))
    assert _groups_of(user) == {Role.MEMBER}  # the office seat still gives it


def test_it_gives_a_seat_entered_in_advance_its_role_on_its_day(
    org, june, django_capture_on_commit_callbacks
):
    user = make_user("xinren", org.branch_a, None)
    start = dt.date(2026, 7, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.branch_commissioner_appoint(
            by=org.office, branch=org.branch_a, person=user.person, start_date=start
        )
    assert _groups_of(user) == set()
    with time_machine.travel(dt.datetime(2026, 7, 1, 0, 20, tzinfo=SHANGHAI), tick=False):
        assert sync_roster_roles() == 1
        assert sync_roster_roles() == 0  # idempotent
    assert _groups_of(user) == {Role.COMMISSIONER}


def test_it_does_not_touch_logins_of_people_never_on_the_roster(org, june):
    """The personas got their roles from the admin and hold no seat: the roster leaves
    them alone, even when asked to sync everyone."""
    before = {u.username: _groups_of(u) for u in User.objects.all()}
    assert services.login_roles_sync(person_ids=Person.objects.values_list("pk", flat=True)) == 0
    assert {u.username: _groups_of(u) for u in User.objects.all()} == before


def test_it_schedules_the_daily_role_sync():
    from portal.celery import app

    assert (
        app.conf.beat_schedule["groups-sync-roster-roles"]["task"]
        == "groups.tasks.sync_roster_roles"
    )


# Pages --------------------------------------------------------------------------------------------


def _seed_small_group(org) -> None:
    make_group(org)
    join(person(org.ufw_dept, "组长甲"), Member.LEADER, org.ufw_dept, TERM_START, post="党委书记")
    join(
        person(org.ufw_dept, "副组长乙"),
        Member.DEPUTY_LEADER,
        org.ufw_dept,
        TERM_START,
        post="副院长",
    )
    publicity = department("党委宣传部", "宣传部")
    join(
        person(publicity, "老部长"),
        Member.MEMBER,
        publicity,
        TERM_START,
        dt.date(2025, 6, 30),
        post="宣传部部长",
    )
    join(
        person(publicity, "新部长"),
        Member.MEMBER,
        publicity,
        dt.date(2025, 7, 1),
        post="宣传部部长",
    )
    services.office_member_start(
        by=org.office,
        person=person(org.ufw_dept, "主任丙"),
        role=OfficeMember.Role.DIRECTOR,
        unit=org.ufw_dept,
        post="统战部部长",
        start_date=TERM_START,
    )
    services.branch_commissioner_appoint(
        by=org.office,
        branch=org.branch_a,
        person=person(org.branch_a, "委员丁"),
        start_date=TERM_START,
        note="经总支委员会推选",
    )


def test_it_shows_the_group_today_as_an_org_chart(org, june):
    _seed_small_group(org)
    response = client_for(org.leader).get("/groups/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "组长甲",
        "党委书记",
        "副组长乙",
        "新部长",
        "主任丙",
        "统战部部长",
        "委员丁",
        "设在党委统战部",
    ):
        assert text in html
    assert "老部长" not in html
    assert "暂缺" in html  # branch B has no commissioner
    assert "任命" not in html  # leaders read; the office manages
    assert 'style="' not in html and "<script>" not in html  # CSP: no inline styles or scripts


def test_it_shows_the_group_on_a_past_date(org, june):
    _seed_small_group(org)
    html = client_for(org.member).get("/groups/?on=2025-06-30").content.decode()
    assert "老部长" in html and "新部长" not in html
    assert "2025年6月30日 的组成情况（历史）" in html
    html = client_for(org.member).get("/groups/?on=2019-01-01").content.decode()
    assert "该日没有在任的领导小组" in html


def test_it_explains_a_bad_date_and_shows_today(org, june):
    _seed_small_group(org)
    html = client_for(org.member).get("/groups/?on=2025-02-30").content.decode()
    assert "“2025-02-30”不是有效日期，已显示今天的情况。" in html
    assert "新部长" in html


def test_it_gives_the_office_the_management_buttons(org, june):
    _seed_small_group(org)
    html = client_for(org.office).get("/groups/").content.decode()
    for label in ("任命", "导入名册", "换届", "导出名册"):
        assert label in html


def test_it_lists_every_seat_ever_held(org, june):
    _seed_small_group(org)
    client = client_for(org.commissioner_a)
    html = client.get("/groups/roster/").content.decode()
    assert "老部长" in html and "已结束" in html and "新部长" in html
    assert "经总支委员会推选" in html  # a seat's note
    current = client.get("/groups/roster/?current=1").content.decode()
    assert "老部长" not in current and "新部长" in current
    commissioners = client.get("/groups/roster/?category=commissioner").content.decode()
    assert "委员丁" in commissioners and "组长甲" not in commissioners
    assert "结束任职" not in html  # only the office ends seats


def test_it_orders_the_roster_history_and_labels_each_row(org, june):
    """Held seats first in org-chart order, then ended ones; each row with its category's
    label, the person's link and the unit's name (rows are read as plain values)."""
    _seed_small_group(org)
    rows = selectors.seat_rows()
    held = [row for row in rows if row.end_date is None]
    assert rows[: len(held)] == held  # every held seat before any ended one
    assert [row.person_name for row in rows][:2] == ["组长甲", "副组长乙"]
    old = next(row for row in rows if row.person_name == "老部长")
    assert old.category_label == "成员" and old.unit_name == "党委宣传部"
    assert old.person_url == Person.objects.get(name="老部长").get_absolute_url()
    html = client_for(org.office).get("/groups/roster/").content.decode()
    assert f'<a href="{old.person_url}">老部长</a>' in html
    assert {label for _value, label in Category.choices()} == {
        Category.label(value) for value, _label in Category.choices()
    }


def test_it_lets_the_office_appoint_through_the_form(org, june, django_capture_on_commit_callbacks):
    make_group(org)
    user = make_user("weiyuanb", org.branch_b, None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.office).post(
            "/groups/seats/new/",
            {
                "category": Category.COMMISSIONER,
                "person": user.person.pk,
                "unit": org.branch_b.pk,
                "post": "",
                "start_date": "2026-06-15",
            },
        )
    assert response.status_code == 302
    assert response.url == "/groups/?on=2026-06-15"
    seat = BranchCommissioner.objects.get()
    assert (seat.branch, seat.person, seat.post) == (org.branch_b, user.person, "统战委员")
    assert _groups_of(user) == {Role.COMMISSIONER}


def test_it_shows_a_rule_broken_by_the_form_in_chinese_and_saves_nothing(org, june):
    make_group(org)
    first = person(org.branch_b, "委员甲")
    services.branch_commissioner_appoint(
        by=org.office, branch=org.branch_b, person=first, start_date=TERM_START
    )
    response = client_for(org.office).post(
        "/groups/seats/new/",
        {
            "category": Category.COMMISSIONER,
            "person": person(org.branch_b, "委员乙").pk,
            "unit": org.branch_b.pk,
            "start_date": "2026-06-15",
        },
    )
    assert response.status_code == 200
    assert "已有统战委员（委员甲），同一时间只能有一位" in response.content.decode()
    assert BranchCommissioner.objects.count() == 1


def test_it_ends_a_seat_through_the_form(org, june):
    make_group(org)
    seat = join(person(org.ufw_dept, "甲"), Member.MEMBER, org.ufw_dept, TERM_START)
    client = client_for(org.office)
    assert client.get(f"/groups/seats/membership/{seat.pk}/end/").status_code == 200
    response = client.post(f"/groups/seats/membership/{seat.pk}/end/", {"end_date": "2026-06-14"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2026, 6, 14)
    again = client.post(f"/groups/seats/membership/{seat.pk}/end/", {"end_date": "2026-06-30"})
    assert "该任职已于 2026-06-14 结束" in again.content.decode()
    assert client.get(f"/groups/seats/nonsense/{seat.pk}/end/").status_code == 404


def test_it_starts_a_new_term_through_the_form(org, june):
    make_group(org)
    response = client_for(org.office).post(
        "/groups/terms/new/",
        {"term_start": "2026-09-01", "basis": "院委〔2026〕9号", "carry_over": "on"},
    )
    assert response.status_code == 302
    group = LeadingGroup.objects.get(term_start=dt.date(2026, 9, 1))
    assert group.basis == "院委〔2026〕9号"
    assert Office.objects.get(group=group).unit == org.ufw_dept


# Query counts -------------------------------------------------------------------------------------


def _many_seats(org, n: int, prefix: str) -> None:
    """n members, n office members and n commissioners of n branches, in bulk."""
    group = LeadingGroup.objects.get()
    units = Unit.objects.bulk_create(
        [Unit(name=f"{prefix}部门{i}", kind=Unit.Kind.DEPARTMENT, sort_order=i) for i in range(n)]
    )
    branches = Unit.objects.bulk_create(
        [
            Unit(name=f"{prefix}总支{i}", kind=Unit.Kind.BRANCH, sort_order=1000 + i)
            for i in range(n)
        ]
    )
    people = Person.objects.bulk_create(
        [Person(name=f"{prefix}人员{i}", unit=units[i], gender="m") for i in range(n)]
    )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                group=group,
                person=p,
                role=Member.MEMBER,
                unit=p.unit,
                post="部长",
                start_date=TERM_START,
            )
            for p in people
        ]
    )
    OfficeMember.objects.bulk_create(
        [
            OfficeMember(
                office=group.office,
                person=p,
                role=OfficeMember.Role.MEMBER,
                unit=p.unit,
                post="副部长",
                start_date=TERM_START,
            )
            for p in people
        ]
    )
    BranchCommissioner.objects.bulk_create(
        [
            BranchCommissioner(branch=b, person=p, start_date=TERM_START)
            for b, p in zip(branches, people, strict=True)
        ]
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # session, user, roles; the term, its memberships, its office, the office's seats,
        # the branches, their commissioners (prefetch); the navbar's two (person, unread).
        ("/groups/", 11),
        # session, user, roles; memberships, office seats, commissioners; whose person
        # pages the user may open; the navbar's two.
        ("/groups/roster/", 9),
        # session, user, roles; the org chart's six reads (no navbar: a file).
        ("/groups/roster.xlsx", 9),
    ],
)
def test_it_reads_the_roster_in_a_constant_number_of_queries(
    org, june, url, expected, django_assert_num_queries
):
    make_group(org)
    client = client_for(org.office)
    _many_seats(org, 5, "少")
    assert _queries(client, url) == expected
    _many_seats(org, 495, "多")  # 500 rows of each kind now
    assert GroupMembership.objects.count() == 500
    with django_assert_num_queries(expected):
        client.get(url)


@pytest.mark.parametrize(
    "model",
    [
        "leadinggroup",
        "office",
        "groupmembership",
        "officemember",
        "branchcommissioner",
        "workpoints",
        "workpointsitem",
        "progressreport",
    ],
)
def test_it_lets_the_office_correct_seats_and_plans_in_the_admin(org, model):
    make_group(org)
    join(person(org.ufw_dept, "甲"), Member.MEMBER, org.ufw_dept, TERM_START)
    client = client_for(org.office)
    assert client.get(f"/admin/groups/{model}/").status_code == 200
    assert client.get(f"/admin/groups/{model}/add/").status_code == 200

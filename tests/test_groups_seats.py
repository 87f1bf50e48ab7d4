"""groups.seats: the six kinds of seat in one table, read by the services, the import,
the roster and the demo."""

from __future__ import annotations

from groups import services
from groups.models import BranchCommissioner, GroupMembership, OfficeMember
from groups.seats import ROSTER_ROLES, SEAT_KINDS, SEAT_ROLES, Category, category_of
from portal.models import Role
from tests.groups_helpers import TERM_START, department, make_group, person


def test_it_names_every_role_of_every_seat_model_once():
    pairs = {(kind.model, str(kind.role)) for kind in SEAT_KINDS.values()}
    expected = {(GroupMembership, str(role)) for role in GroupMembership.Role.values}
    expected |= {(OfficeMember, str(role)) for role in OfficeMember.Role.values}
    expected |= {(BranchCommissioner, "")}
    assert pairs == expected
    assert len(SEAT_KINDS) == len(pairs)


def test_it_finds_the_category_of_a_seat_model_and_role():
    assert category_of(GroupMembership, GroupMembership.Role.DEPUTY_LEADER) == "deputy_leader"
    assert category_of(OfficeMember, "director") == Category.OFFICE_DIRECTOR
    assert category_of(OfficeMember, OfficeMember.Role.MEMBER) == Category.OFFICE_MEMBER
    assert category_of(BranchCommissioner) == Category.COMMISSIONER


def test_it_labels_the_categories_in_org_chart_order():
    assert Category.choices() == [
        ("leader", "组长"),
        ("deputy_leader", "副组长"),
        ("member", "成员"),
        ("office_director", "办公室主任"),
        ("office_member", "办公室成员"),
        ("commissioner", "统战委员"),
    ]
    assert Category.label(Category.COMMISSIONER) == "统战委员"


def test_it_gives_each_seat_its_login_role():
    assert SEAT_ROLES == {
        "leader": Role.LEADER,
        "deputy_leader": Role.LEADER,
        "member": Role.MEMBER,
        "office_director": Role.MEMBER,
        "office_member": Role.MEMBER,
        "commissioner": Role.COMMISSIONER,
    }
    assert {Role.LEADER, Role.MEMBER, Role.COMMISSIONER} == ROSTER_ROLES
    assert services.Category is Category  # still read from the services by the pages


def test_it_starts_finds_and_names_a_seat_of_every_kind(org):
    make_group(org)
    dept = department("宣传部")
    units = {category: dept for category in SEAT_KINDS}
    units[Category.OFFICE_DIRECTOR] = org.ufw_dept  # the office's own unit heads it
    units[Category.COMMISSIONER] = org.branch_a
    started = {
        category: services.seat_start(
            by=org.office,
            category=category,
            person=person(units[category], f"人{index}"),
            unit=units[category],
            post="职务",
            start_date=TERM_START,
        )
        for index, category in enumerate(SEAT_KINDS)
    }
    for category, seat in started.items():
        assert Category.of(seat) == category
        kind = SEAT_KINDS[category]
        assert list(kind.find(unit=units[category], start_date=TERM_START)) == [seat]


def test_it_narrows_a_queryset_of_another_model_to_nothing(org):
    leader = SEAT_KINDS[Category.LEADER]
    assert not leader.narrow(OfficeMember.objects.all()).exists()

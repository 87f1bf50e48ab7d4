"""The service contract in the groups app (issue 9): every write service takes the acting
user as keyword-only `by`, refuses a user who may not take the step with `Forbidden`
(and changes nothing), lets the one who may succeed, and records them in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from groups import imports, services
from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Office,
    OfficeMember,
    ProgressReport,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
)
from groups.seats import Category
from portal.lib.errors import Forbidden
from portal.models import User
from portal.spreadsheets import SheetRow
from tests.conftest import Org
from tests.factories import PersonFactory
from tests.groups_helpers import make_group, make_plan

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

MODELS = (
    LeadingGroup,
    Office,
    GroupMembership,
    OfficeMember,
    BranchCommissioner,
    WorkPoints,
    WorkPointsSection,
    WorkPointsItem,
    ProgressReport,
)


def snapshot() -> list[list[dict[str, Any]]]:
    """Every row (and history row) the groups services write, field by field."""
    rows = []
    for model in MODELS:
        rows.append(list(model.objects.order_by("pk").values()))
        rows.append(list(model.history.order_by("pk").values("pk")))
    return rows


@dataclass
class World:
    org: Org
    membership: GroupMembership
    plan: WorkPoints
    first: WorkPointsSection  # two items, led by branch B
    empty: WorkPointsSection
    item: WorkPointsItem  # number 2


@pytest.fixture
def world(org: Org) -> World:
    make_group(org)
    membership = services.group_membership_start(
        person=PersonFactory(name="韦成员", unit=org.ufw_dept),
        role=GroupMembership.Role.MEMBER,
        unit=org.ufw_dept,
        post="宣传部部长",
        start_date=dt.date(2024, 3, 1),
        by=org.office,
    )
    plan = make_plan(
        2026,
        [
            (
                "以政治建设为统领",
                [("持续强化政治引领", org.branch_b, []), ("开展宣贯", org.branch_b, [])],
            ),
            ("空的部分", []),
        ],
        by=org.office,
    )
    return World(
        org=org,
        membership=membership,
        plan=plan,
        first=plan.sections.get(position=1),
        empty=plan.sections.get(position=2),
        item=plan.items.get(number=2),
    )


Call = Callable[[World], dict[str, Any]]

# Each write service: its arguments other than `by`; the office may, a commissioner may not.
OFFICE_ONLY: dict[str, Call] = {
    "leading_group_start_term": lambda w: {"term_start": dt.date(2027, 3, 1)},
    "group_membership_start": lambda w: {
        "person": PersonFactory(name="覃新", unit=w.org.ufw_dept),
        "role": GroupMembership.Role.MEMBER,
        "unit": w.org.ufw_dept,
        "post": "组织部部长",
        "start_date": dt.date(2025, 1, 1),
    },
    "office_member_start": lambda w: {
        "person": PersonFactory(name="蒙干事", unit=w.org.ufw_dept),
        "role": OfficeMember.Role.MEMBER,
        "unit": w.org.ufw_dept,
        "post": "统战部副部长",
        "start_date": dt.date(2025, 1, 1),
    },
    "branch_commissioner_appoint": lambda w: {
        "branch": w.org.branch_a,
        "person": PersonFactory(name="黄委员", unit=w.org.school_a),
        "start_date": dt.date(2025, 1, 1),
    },
    "seat_start": lambda w: {
        "category": Category.MEMBER,
        "person": PersonFactory(name="陆成员", unit=w.org.ufw_dept),
        "unit": w.org.ufw_dept,
        "post": "人事处处长",
        "start_date": dt.date(2025, 1, 1),
    },
    "seat_end": lambda w: {"seat": w.membership, "end_date": dt.date(2025, 12, 31)},
    "work_points_create": lambda w: {"year": 2030},
    "work_points_update": lambda w: {"plan": w.plan, "title": "改过的标题", "preamble": "新的"},
    "work_points_section_create": lambda w: {"plan": w.plan, "title": "加强自身建设"},
    "work_points_section_update": lambda w: {"section": w.first, "title": "改过的部分"},
    "work_points_section_move": lambda w: {"section": w.empty, "offset": -1},
    "work_points_section_delete": lambda w: {"section": w.empty},
    "work_points_item_create": lambda w: {
        "section": w.first,
        "title": "新事项",
        "body": "内容。",
        "lead_unit": w.org.branch_a,
    },
    "work_points_item_update": lambda w: {
        "item": w.item,
        "section": w.empty,
        "title": "改过的事项",
        "body": "新内容。",
        "lead_unit": w.org.branch_a,
        "co_units": [],
    },
    "work_points_item_move": lambda w: {"item": w.item, "offset": -1},
    "work_points_item_delete": lambda w: {"item": w.item},
}


def _report(w: World) -> dict[str, Any]:
    return {"item": w.item, "unit": w.org.branch_b, "text": "已完成一半", "percent": 50}


ALL: dict[str, Call] = {**OFFICE_ONLY, "progress_report_create": _report}


@pytest.mark.parametrize("name", sorted(OFFICE_ONLY))
def test_it_refuses_a_commissioner_an_office_step_and_changes_nothing(
    world: World, name: str
) -> None:
    kwargs = OFFICE_ONLY[name](world)
    before = snapshot()
    with pytest.raises(Forbidden, match="只有办公室工作人员"):
        getattr(services, name)(**kwargs, by=world.org.commissioner_a)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(OFFICE_ONLY))
def test_it_lets_the_office_take_each_step_and_records_who(world: World, name: str) -> None:
    kwargs = OFFICE_ONLY[name](world)
    before = snapshot()
    getattr(services, name)(**kwargs, by=world.org.office)
    assert snapshot() != before
    latest = max(
        (model.history.order_by("-history_id").first() for model in MODELS),
        key=lambda row: row.history_date if row else dt.datetime.min.replace(tzinfo=dt.UTC),
    )
    assert latest.history_user == world.org.office


@pytest.mark.parametrize("name", sorted(ALL))
def test_it_refuses_a_call_without_by(world: World, name: str) -> None:
    kwargs = ALL[name](world)
    before = snapshot()
    with pytest.raises(TypeError, match="by"):
        getattr(services, name)(**kwargs)
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["commissioner_a", "leader", "outsider"])
def test_it_refuses_a_progress_report_from_outside_the_responsible_unit(
    world: World, persona: str
) -> None:
    before = snapshot()
    with pytest.raises(Forbidden, match="报告第2项"):
        services.progress_report_create(**_report(world), by=getattr(world.org, persona))
    assert snapshot() == before


def test_it_refuses_a_report_for_a_unit_the_item_does_not_name(world: World) -> None:
    kwargs = {**_report(world), "unit": world.org.branch_a}
    with pytest.raises(Forbidden):
        services.progress_report_create(**kwargs, by=world.org.office)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("persona", ["commissioner_b", "office"])
def test_it_takes_a_progress_report_from_the_unit_or_the_office(world: World, persona: str) -> None:
    user: User = getattr(world.org, persona)
    report = services.progress_report_create(
        **_report(world),
        evidence=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        by=user,
    )
    assert report.author == user
    assert report.history.get().history_user == user


def test_it_imports_the_roster_only_for_the_office(world: World) -> None:
    row = SheetRow(
        line=2,
        cells={
            "类别": "成员",
            "单位": world.org.ufw_dept.name,
            "姓名": world.membership.person.name,
            "职务": "宣传部部长",
            "开始日期": "2024-03-01",
            "结束日期": "2025-12-31",
            "备注": "",
        },
    )
    before = snapshot()
    with pytest.raises(Forbidden):
        imports.roster_import(rows=[row], dry_run=False, by=world.org.commissioner_a)
    assert snapshot() == before
    result = imports.roster_import(rows=[row], dry_run=False, by=world.org.office)
    assert result.ok and result.ended == 1
    world.membership.refresh_from_db()
    assert world.membership.end_date == dt.date(2025, 12, 31)
    assert world.membership.history.latest().history_user == world.org.office


def test_it_submits_work_points_only_for_the_office(world: World) -> None:
    before = snapshot()
    with pytest.raises(Forbidden):
        services.work_points_submit(plan=world.plan, by=world.org.member)
    assert snapshot() == before
    document = services.work_points_submit(plan=world.plan, by=world.org.office)
    world.plan.refresh_from_db()
    assert world.plan.document == document
    assert document.history.latest().history_user == world.org.office


def test_it_replaces_the_items_from_a_sheet_only_for_the_office(world: World) -> None:
    row = SheetRow(
        line=2,
        cells={
            "部分": "一、总体部署",
            "事项": "谋划全年工作",
            "内容": "……",
            "牵头部门": "党委统战部",
        },
    )
    before = snapshot()
    with pytest.raises(Forbidden):
        imports.items_import(plan=world.plan, rows=[row], dry_run=False, by=world.org.member)
    assert snapshot() == before
    result = imports.items_import(plan=world.plan, rows=[row], dry_run=False, by=world.org.office)
    assert result.ok, result.messages
    assert [item.title for item in world.plan.items.all()] == ["谋划全年工作"]
    assert world.plan.items.get().history.latest().history_user == world.org.office

"""The leading group and the work points at scale, and their pages to measure.

At scale 1: three terms of the group (2018, 2021, 2024) seated from the organisation's
units: two leaders, four deputies, a member for every department and branch, the office
(a director and a member per department) and a commissioner for every branch, each term's
seats ended when the next began, and a few mid-term changes; five yearly plans of four
sections and 16 items (as in seed 002), each item led by a department with two
co-responsible units; 2,000 progress reports spread over them. Rows go in with
bulk_create (their history too), not through the services: the data is valid by
construction and the services' checks are the tests' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
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
from portal.models import Person, Unit

TERMS = (dt.date(2018, 3, 1), dt.date(2021, 3, 1), dt.date(2024, 3, 1))
SECTION_TITLES = (
    "以政治建设为统领，巩固共同思想政治基础",
    "落实上级决策部署，推动统战工作提质增效",
    "聚焦重点领域，凝聚人心汇聚力量",
    "加强自身建设，提升统战工作水平",
)
ITEM_TITLES = (
    "持续强化政治引领",
    "开展条例宣贯学习",
    "做好党外代表人士队伍建设",
    "加强民主党派基层组织建设",
    "做好少数民族学生管理工作",
    "推进宗教工作规范化",
    "做好港澳台侨工作",
    "发挥党外知识分子作用",
    "开展同心实践活动",
    "做好网络统战工作",
    "开展谈心谈话",
    "落实党外人士联谊交友",
    "加强统战理论研究",
    "完善工作考核机制",
    "加强统战干部培训",
    "做好统战宣传工作",
)
ITEMS_PER_SECTION = (4, 4, 4, 4)


def _seats_of_term(
    ctx: SeedContext,
    group: LeadingGroup,
    office: Office,
    end: dt.date | None,
    departments: Sequence[Unit],
    branches: Sequence[Unit],
    staff: dict[int, list[int]],
) -> tuple[list[GroupMembership], list[OfficeMember]]:
    rng = ctx.rng
    start = group.term_start

    def someone(unit: Unit) -> Person:
        return Person(pk=rng.choice(staff.get(unit.pk) or ctx.data["person_ids"]))

    memberships = [
        GroupMembership(
            group=group,
            person=someone(departments[i % len(departments)]),
            role=GroupMembership.Role.LEADER,
            unit=departments[0],
            post=post,
            start_date=start,
            end_date=end,
        )
        for i, post in enumerate(("党委书记", "院长"))
    ]
    memberships += [
        GroupMembership(
            group=group,
            person=someone(departments[(i + 2) % len(departments)]),
            role=GroupMembership.Role.DEPUTY_LEADER,
            unit=departments[(i + 2) % len(departments)],
            post="副院长",
            start_date=start,
            end_date=end,
        )
        for i in range(4)
    ]
    for unit in [*departments, *branches]:
        post = "党总支书记" if unit.kind == Unit.Kind.BRANCH else "部门负责人"
        seats = [(start, end, "")]
        if end is None and rng.random() < 0.1:
            # A change during the term: one seat ended, its successor's begun.
            change = start + dt.timedelta(days=rng.randrange(200, 700))
            seats = [(start, change - dt.timedelta(days=1), "工作调动"), (change, None, "")]
        memberships += [
            GroupMembership(
                group=group,
                person=someone(unit),
                role=GroupMembership.Role.MEMBER,
                unit=unit,
                post=post,
                start_date=seat_start,
                end_date=seat_end,
                note=note,
            )
            for seat_start, seat_end, note in seats
        ]
    office_seats = [
        OfficeMember(
            office=office,
            person=someone(office.unit),
            role=OfficeMember.Role.DIRECTOR,
            unit=office.unit,
            post="统战部部长",
            start_date=start,
            end_date=end,
        )
    ]
    office_seats += [
        OfficeMember(
            office=office,
            person=someone(unit),
            role=OfficeMember.Role.MEMBER,
            unit=unit,
            post="联络员",
            start_date=start,
            end_date=end,
        )
        for unit in departments
        if unit.pk != office.unit.pk
    ]
    return memberships, office_seats


@seed_part(order=40)
def groups(ctx: SeedContext) -> None:
    rng = ctx.rng
    units = list(Unit.objects.filter(pk__in=ctx.data["unit_ids"]).order_by("pk"))
    departments = [u for u in units if u.kind == Unit.Kind.DEPARTMENT]
    branches = [u for u in units if u.kind == Unit.Kind.BRANCH]
    staff: dict[int, list[int]] = {}  # unit id -> the people in it
    for pk, unit_id in Person.objects.filter(pk__in=ctx.data["person_ids"]).values_list(
        "pk", "unit_id"
    ):
        staff.setdefault(unit_id, []).append(pk)
    ufw = next((u for u in departments if u.name == "党委统战部"), departments[0])

    memberships: list[GroupMembership] = []
    office_seats: list[OfficeMember] = []
    groups_made = bulk_create_with_history(
        [
            LeadingGroup(
                term_start=start,
                term_end=TERMS[i + 1] - dt.timedelta(days=1) if i + 1 < len(TERMS) else None,
                basis=f"院委〔{start.year}〕{5 + i}号",
            )
            for i, start in enumerate(TERMS)
        ],
        LeadingGroup,
    )
    offices = bulk_create_with_history([Office(group=g, unit=ufw) for g in groups_made], Office)
    for group, office in zip(groups_made, offices, strict=True):
        made = _seats_of_term(ctx, group, office, group.term_end, departments, branches, staff)
        memberships += made[0]
        office_seats += made[1]
    bulk_create_with_history(memberships, GroupMembership, batch_size=500)
    bulk_create_with_history(office_seats, OfficeMember, batch_size=500)
    commissioners = []
    for branch in branches:
        # Each branch: its first commissioner, then (for most) a successor in 2023.
        first, second = (
            rng.choice(staff.get(branch.pk) or ctx.data["person_ids"]) for _ in range(2)
        )
        changed = rng.random() < 0.7
        commissioners.append(
            BranchCommissioner(
                branch=branch,
                person=Person(pk=first),
                start_date=TERMS[0],
                end_date=dt.date(2022, 12, 31) if changed else None,
            )
        )
        if changed:
            commissioners.append(
                BranchCommissioner(
                    branch=branch, person=Person(pk=second), start_date=dt.date(2023, 1, 1)
                )
            )
    bulk_create_with_history(commissioners, BranchCommissioner, batch_size=500)

    # Work points: five yearly plans up to this year.
    this_year = timezone.localdate().year
    plans = bulk_create_with_history(
        [
            WorkPoints(year=year, title=f"{year}年统战工作要点", preamble="为深入贯彻……")
            for year in range(this_year - 4, this_year + 1)
        ],
        WorkPoints,
    )
    sections = bulk_create_with_history(
        [
            WorkPointsSection(plan=plan, position=position, title=title)
            for plan in plans
            for position, title in enumerate(SECTION_TITLES, start=1)
        ],
        WorkPointsSection,
    )
    items = []
    for plan in plans:
        number = 0
        for section in (s for s in sections if s.plan_id == plan.pk):
            for _ in range(ITEMS_PER_SECTION[section.position - 1]):
                number += 1
                items.append(
                    WorkPointsItem(
                        plan=plan,
                        section=section,
                        number=number,
                        title=ITEM_TITLES[number - 1],
                        body=f"{ITEM_TITLES[number - 1]}，……（第{number}项的具体内容）",
                        lead_unit=rng.choice(departments),
                    )
                )
    items = bulk_create_with_history(items, WorkPointsItem)
    co_units = WorkPointsItem.co_units.through
    co_units.objects.bulk_create(
        [
            co_units(workpointsitem_id=item.pk, unit_id=unit.pk)
            for item in items
            for unit in rng.sample([u for u in units if u.pk != item.lead_unit_id], 2)
        ]
    )
    reports = []
    for i in range(ctx.n(2000, minimum=20)):
        item = items[i % len(items)]
        reports.append(
            ProgressReport(
                item=item,
                unit_id=item.lead_unit_id,
                text=f"已完成阶段性任务（第{i + 1}次报告）。",
                percent=min(100, 10 * (1 + i // len(items))),
            )
        )
    bulk_create_with_history(reports, ProgressReport, batch_size=500)
    ctx.counts.update(
        seats=len(memberships) + len(office_seats) + len(commissioners),
        work_points_items=len(items),
        progress_reports=len(reports),
    )


# The pages --------------------------------------------------------------------------


def _busiest_item() -> int:
    """This year's first item: the one with the most reports (they are dealt in turn)."""
    item = WorkPointsItem.objects.filter(plan__year=_year()).order_by("number").first()
    assert item is not None
    return item.pk


def _year() -> int:
    return timezone.localdate().year


bench_page("group_org", kind="other", url=lambda: reverse("group_org"))
bench_page("group_org (2022)", kind="other", url=lambda: reverse("group_org") + "?on=2022-06-30")
bench_page("group_roster", kind="list", url=lambda: reverse("group_roster"))
bench_page("group_roster?current", kind="list", url=lambda: reverse("group_roster") + "?current=1")
bench_page(
    "group_roster (commissioner)",
    kind="list",
    url=lambda: reverse("group_roster"),
    persona="bench-commissioner",
)
bench_page("work_points_index", kind="list", url=lambda: reverse("work_points_index"))
bench_page(
    "work_points_detail",
    kind="list",
    url=lambda: reverse("work_points_detail", args=[_year()]),
)
bench_page(
    "work_points_detail (commissioner)",
    kind="list",
    url=lambda: reverse("work_points_detail", args=[_year()]),
    persona="bench-commissioner",
)
bench_page(
    "work_points_summary", kind="list", url=lambda: reverse("work_points_summary", args=[_year()])
)
bench_page("work_points_edit", kind="list", url=lambda: reverse("work_points_edit", args=[_year()]))
bench_page(
    "work_points_item",
    kind="detail",
    url=lambda: reverse("work_points_item", args=[_busiest_item()]),
)
bench_page(
    "work_points_text", kind="detail", url=lambda: reverse("work_points_text", args=[_year()])
)

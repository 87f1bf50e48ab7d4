"""The organisation at scale: units, people (with their change history), the bench users,
and the organisation pages to measure.

At scale 1: 200 units (a quarter each departments, Party general branches, the schools
under them, and departments of those schools) and 2,000 people spread over them as in a
real college (schools large, branches small), of every political status, a tenth with
overseas study. Four users request the pages: bench-office, bench-leader, bench-member,
and bench-commissioner (of the largest branch).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth.models import Group
from django.db.models import Count
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from bench.registry import SeedContext, bench_page, seed_part
from portal import services
from portal.models import Person, PoliticalStatus, Role, Unit, User

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙"
    "黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文蒙农"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯鹏飞晨欣"
    "怡婷雪琳晓东海波宁佳颖鑫瑞翔峰倩丹萌博志远春梅秋冬荣昌盛德厚永福嘉慧思源"
)
DEPARTMENTS = (
    "党委办公室",
    "党委宣传部",
    "党委组织部",
    "党委统战部",
    "人事处",
    "学生工作部",
    "后勤管理处",
    "国际交流处",
    "工会",
    "团委",
    "信息网络中心",
    "教务处",
    "科研处",
    "财务处",
    "国有资产管理处",
    "保卫处",
    "招生就业处",
    "图书馆",
    "档案馆",
    "审计处",
    "纪委办公室",
    "发展规划处",
    "质量管理办公室",
    "继续教育部",
    "实训中心",
)
SUBJECTS = (
    "机电工程",
    "经济管理",
    "信息工程",
    "艺术设计",
    "国际商务",
    "外国语",
    "财务会计",
    "旅游管理",
    "电子商务",
    "物流管理",
    "建筑工程",
    "汽车工程",
    "人工智能",
    "大数据",
    "现代服务",
    "文化传媒",
    "体育",
    "马克思主义",
    "创新创业",
    "东盟商务",
)
SECTIONS = ("教研室", "专业系", "实训室", "研究所")
TITLES = ("教授", "副教授", "讲师", "助教", "高级实验师", "科长", "副科长", "科员", "辅导员", "")
# Political status and its weight among the staff of a college.
STATUS_WEIGHTS = (
    (PoliticalStatus.CPC, 44),
    (PoliticalStatus.CPC_PROBATIONARY, 3),
    (PoliticalStatus.CDL, 3),
    (PoliticalStatus.JIUSAN, 3),
    (PoliticalStatus.CAPD, 2),
    (PoliticalStatus.CNDCA, 1),
    (PoliticalStatus.CPWDP, 1),
    (PoliticalStatus.RCCK, 1),
    (PoliticalStatus.ZGD, 1),
    (PoliticalStatus.TDSGL, 1),
    (PoliticalStatus.NON_PARTY, 8),
    (PoliticalStatus.COMMUNIST_YOUTH, 5),
    (PoliticalStatus.MASSES, 25),
    ("", 2),  # not recorded yet
)
COUNTRIES = (
    "英国",
    "美国",
    "澳大利亚",
    "新加坡",
    "日本",
    "德国",
    "马来西亚",
    "泰国",
    "法国",
    "韩国",
)
BENCH_USERS = ("bench-office", "bench-leader", "bench-member", "bench-commissioner")


def _unit_names(ctx: SeedContext) -> tuple[list[str], list[str], list[str], list[list[str]]]:
    """Names for departments, schools (each with its branch) and school sections."""
    total = ctx.n(200, minimum=8)
    quarter = max(1, total // 4)
    departments = [
        DEPARTMENTS[i]
        if i < len(DEPARTMENTS)
        else f"{DEPARTMENTS[i % len(DEPARTMENTS)]}{i // 25 + 1}分部"
        for i in range(quarter)
    ]
    schools = [
        f"{SUBJECTS[i % len(SUBJECTS)]}学院"
        + (f"（第{i // len(SUBJECTS) + 1}校区）" if i >= len(SUBJECTS) else "")
        for i in range(quarter)
    ]
    sections: list[list[str]] = [[] for _ in schools]
    for i in range(total - 3 * quarter):
        school = i % len(schools)
        sections[school].append(
            f"{schools[school]}{SECTIONS[i // len(schools) % len(SECTIONS)]}{i // len(schools) + 1}"
        )
    return departments, schools, [f"{s}党总支" for s in schools], sections


@seed_part(order=10)
def organisation(ctx: SeedContext) -> None:
    rng = ctx.rng
    departments, schools, branches, sections = _unit_names(ctx)
    top = [
        Unit(name=n, kind=Unit.Kind.DEPARTMENT, sort_order=10 + i)
        for i, n in enumerate(departments)
    ]
    top += [
        Unit(name=n, kind=Unit.Kind.BRANCH, sort_order=200 + 10 * i) for i, n in enumerate(branches)
    ]
    top = bulk_create_with_history(top, Unit)
    branch_units = [u for u in top if u.kind == Unit.Kind.BRANCH]
    school_units = bulk_create_with_history(
        [
            Unit(name=n, kind=Unit.Kind.SCHOOL, parent=branch, sort_order=201 + 10 * i)
            for i, (n, branch) in enumerate(zip(schools, branch_units, strict=True))
        ],
        Unit,
    )
    section_units = bulk_create_with_history(
        [
            Unit(name=n, kind=Unit.Kind.SCHOOL, parent=school, sort_order=school.sort_order)
            for school, names in zip(school_units, sections, strict=True)
            for n in names
        ],
        Unit,
    )
    units = top + school_units + section_units
    # Schools are large, sections middling, departments small, branches a handful.
    weights = {Unit.Kind.DEPARTMENT: 1.0, Unit.Kind.BRANCH: 0.3}
    branch_ids = {b.pk for b in branch_units}
    unit_weights = [weights.get(u.kind, 4.0 if u.parent_id in branch_ids else 1.5) for u in units]
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    people = []
    for i in range(ctx.n(2000, minimum=20)):
        status = rng.choices(statuses, status_weights)[0]
        overseas = rng.random() < 0.1
        people.append(
            Person(
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                unit=rng.choices(units, unit_weights)[0],
                gender=rng.choice(Person.Gender.values),
                birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40)),
                title=rng.choice(TITLES),
                ethnicity=rng.choices(("汉族", "壮族", "瑶族", "苗族"), (70, 22, 5, 3))[0],
                political_status=status,
                overseas_study=overseas,
                overseas_detail=(
                    f"{2000 + rng.randrange(22)}年 {rng.choice(COUNTRIES)} 访问学者"
                    if overseas
                    else ""
                ),
                phone=f"13{rng.randrange(10**9):09d}",
                email=f"staff{i:05d}@example.edu.cn",
                note="关注青年教师职称评审"
                if status not in {"cpc", "cpc_probationary"} and rng.random() < 0.2
                else "",
                is_active=rng.random() < 0.97,
            )
        )
    people = bulk_create_with_history(people, Person, batch_size=500)

    # The commissioner's branch: the one with the most people in it and the units under it.
    parent = {u.pk: u.parent_id for u in units}

    def branch_of(unit_id: int | None) -> int | None:
        while unit_id is not None and unit_id not in branch_ids:
            unit_id = parent[unit_id]
        return unit_id

    sizes = Counter(branch_of(p.unit_id) for p in people)
    largest_branch = max(branch_units, key=lambda b: (sizes[b.pk], -b.pk))
    roles = {
        "bench-office": (Role.OFFICE, units[3] if len(units) > 3 else units[0], ""),
        "bench-leader": (Role.LEADER, units[0], User.Leadership.GROUP_LEADER),
        "bench-member": (Role.MEMBER, units[0], ""),
        "bench-commissioner": (Role.COMMISSIONER, largest_branch, ""),
    }
    for username, (role, unit, leadership) in roles.items():
        # Seeded like the people above (no acting user yet: these are the first accounts).
        (person,) = bulk_create_with_history(
            [Person(name=username, unit=unit, gender="m", political_status="cpc")], Person
        )
        user = User(
            username=username, person=person, leadership=leadership, is_staff=role == Role.OFFICE
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=role))
    office = User.objects.get(username="bench-office")
    # A non-party figure whose record was edited often: the history page has something to show.
    figure = next(p for p in people if p.is_non_party and p.overseas_study)
    for version in range(30):
        services.person_save(
            person=figure, by=office, fields={"title": f"副教授（第{version + 1}次修改）"}
        )

    ctx.data.update(unit_ids=[u.pk for u in units], person_ids=[p.pk for p in people])
    ctx.counts.update(units=len(units), people=len(people))


# The pages --------------------------------------------------------------------------


def _largest_unit() -> int:
    unit = Unit.objects.annotate(size=Count("people")).order_by("-size", "pk").first()
    assert unit is not None
    return unit.pk


def _edited_figure() -> int:
    row = Person.history.values("id").annotate(versions=Count("history_id"))
    most = row.order_by("-versions", "id").first()
    assert most is not None
    return int(most["id"])


# Home and a unit's page gather from every app (a to-do provider, a unit panel each: one
# or two queries apiece, whatever the rows), so their budget grows with the apps.
AGGREGATOR_BUDGET = 24
bench_page("home", kind="other", url=lambda: reverse("home"), max_queries=AGGREGATOR_BUDGET)
bench_page("unit_list", kind="list", url=lambda: reverse("unit_list"))
bench_page(
    "unit_list (commissioner)",
    kind="list",
    url=lambda: reverse("unit_list"),
    persona="bench-commissioner",
)
bench_page("person_list", kind="list", url=lambda: reverse("person_list"))
bench_page("person_list?q=王", kind="list", url=lambda: reverse("person_list") + "?q=王")
bench_page(
    "person_list?political_status",
    kind="list",
    url=lambda: reverse("person_list") + "?political_status=jiusan&overseas_study=true",
)
bench_page("person_list page 10", kind="list", url=lambda: reverse("person_list") + "?page=10")
bench_page(
    "person_list (commissioner)",
    kind="list",
    url=lambda: reverse("person_list"),
    persona="bench-commissioner",
)
bench_page(
    "person_list (leader)", kind="list", url=lambda: reverse("person_list"), persona="bench-leader"
)
bench_page(
    "unit_detail (largest)",
    kind="detail",
    url=lambda: reverse("unit_detail", args=[_largest_unit()]),
    max_queries=AGGREGATOR_BUDGET,
)
bench_page(
    "unit_history", kind="detail", url=lambda: reverse("unit_history", args=[_largest_unit()])
)
bench_page(
    "person_detail", kind="detail", url=lambda: reverse("person_detail", args=[_edited_figure()])
)
bench_page(
    "person_history (31 versions)",
    kind="detail",
    url=lambda: reverse("person_history", args=[_edited_figure()]),
)
bench_page(
    "person_update (form)",
    kind="detail",
    url=lambda: reverse("person_update", args=[_edited_figure()]),
)
bench_page("workday_calendar", kind="other", url=lambda: reverse("workday_calendar"))
bench_page(
    "workday_year_detail", kind="detail", url=lambda: reverse("workday_year_detail", args=[2026])
)
bench_page("unit_export", kind="other", url=lambda: reverse("unit_export"))
bench_page("person_export", kind="other", url=lambda: reverse("person_export"))
bench_page(
    "person_export (commissioner)",
    kind="other",
    url=lambda: reverse("person_export"),
    persona="bench-commissioner",
)
bench_page("sensitive_view_list", kind="list", url=lambda: reverse("sensitive_view_list"))
bench_page("sensitive_view_export", kind="other", url=lambda: reverse("sensitive_view_export"))
bench_page("lockout_export", kind="other", url=lambda: reverse("lockout_export"))

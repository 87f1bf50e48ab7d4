"""Fill the database with a believable demo college, for `make run` and manual testing.

The data is deterministic (a fixed random seed) and the command is idempotent: every row
is keyed on its natural key (unit name; person name and unit; username), so a second run
updates in place and saves only what changed. The nine demo logins get the public demo
password, which is why the command refuses to run unless DEBUG is on.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone, translation

from portal.models import Person, PoliticalStatus, Role, Unit, User

SEED = 2026
LEADERS_UNIT = "学院领导"

M = TypeVar("M", bound=models.Model)

Status = PoliticalStatus
Gender = Person.Gender
Leadership = User.Leadership


@dataclass(frozen=True)
class UnitSpec:
    name: str
    short_name: str
    kind: Unit.Kind
    sort_order: int
    parent: str | None = None


@dataclass(frozen=True)
class PersonSpec:
    name: str
    unit: str
    gender: str
    birth_date: dt.date
    title: str
    political_status: str
    ethnicity: str
    overseas_detail: str
    phone: str


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    leadership: str
    is_staff: bool
    person: str
    unit: str

    @property
    def email(self) -> str:
        """A demo address (the reserved `.test` domain: it can reach no one); with the
        file backend of `make run`, what is sent to it lands in var/mail/."""
        return f"{self.username}@ufw-demo.test"


# Units -------------------------------------------------------------------------------

# The member departments of the leading group, in the order seed 000 (section 一) names
# them, then the academic affairs office. The college's leaders sit in their own unit.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    (LEADERS_UNIT, "院领导"),
    ("党委办公室（院长办公室）", "党院办"),
    ("党委宣传部", "宣传部"),
    ("党委组织部", "组织部"),
    ("党委统战部", "统战部"),
    ("人事处", "人事处"),
    ("学生工作部（学生工作处）", "学工部"),
    ("后勤管理处", "后勤处"),
    ("国际交流处", "国交处"),
    ("工会", "工会"),
    ("团委", "团委"),
    ("信息网络中心", "网络中心"),
    ("教务处", "教务处"),
)

# Schools (二级学院) and their short names; each sits under its Party general branch.
SCHOOLS: tuple[tuple[str, str], ...] = (
    ("机电工程学院", "机电"),
    ("经济管理学院", "经管"),
    ("信息工程学院", "信息"),
    ("艺术设计学院", "艺术"),
    ("国际商务学院", "国商"),
)


def branch_of(school: str) -> str:
    return f"{school}党总支"


def unit_specs() -> list[UnitSpec]:
    specs = [
        UnitSpec(name, short, Unit.Kind.DEPARTMENT, 10 * (index + 1))
        for index, (name, short) in enumerate(DEPARTMENTS)
    ]
    for index, (school, short) in enumerate(SCHOOLS):
        # The branch sorts just before its school: 210/211, 220/221, ...
        order = 200 + 10 * (index + 1)
        branch = branch_of(school)
        specs.append(UnitSpec(branch, f"{short}党总支", Unit.Kind.BRANCH, order))
        specs.append(UnitSpec(school, f"{short}学院", Unit.Kind.SCHOOL, order + 1, branch))
    return specs


# People ------------------------------------------------------------------------------

# (name, unit, gender, age, title, political status, ethnicity, overseas study)
KeyPerson = tuple[str, str, str, int, str, str, str, str]

KEY_PEOPLE: tuple[KeyPerson, ...] = (
    # The college's leaders: the Party secretary and the president lead the group, the
    # Party-member vice presidents are its deputies, a vice secretary is in charge of UFW.
    ("韦国平", LEADERS_UNIT, Gender.MALE, 57, "党委书记", Status.CPC, "壮族", ""),
    ("黄志远", LEADERS_UNIT, Gender.MALE, 55, "党委副书记、院长", Status.CPC, "汉族", ""),
    ("覃丽萍", LEADERS_UNIT, Gender.FEMALE, 53, "党委副书记", Status.CPC, "壮族", ""),
    ("陆文斌", LEADERS_UNIT, Gender.MALE, 52, "党委委员、副院长", Status.CPC, "汉族", ""),
    ("莫晓东", LEADERS_UNIT, Gender.MALE, 50, "党委委员、副院长", Status.CPC, "汉族", ""),
    ("梁碧云", LEADERS_UNIT, Gender.FEMALE, 54, "党委委员、纪委书记", Status.CPC, "汉族", ""),
    (
        "谭启文",
        LEADERS_UNIT,
        Gender.MALE,
        51,
        "副院长、教授",
        Status.CDL,
        "汉族",
        "2009.09—2010.09 美国密苏里大学 访问学者",
    ),
    # Member departments: one responsible person each sits in the group and its office.
    ("黄建华", "党委办公室（院长办公室）", Gender.MALE, 48, "主任", Status.CPC, "汉族", ""),
    ("吴静", "党委办公室（院长办公室）", Gender.FEMALE, 36, "副主任", Status.CPC, "汉族", ""),
    ("罗海燕", "党委宣传部", Gender.FEMALE, 46, "部长", Status.CPC, "汉族", ""),
    ("唐浩然", "党委宣传部", Gender.MALE, 30, "科员", Status.CPC_PROBATIONARY, "汉族", ""),
    ("潘志强", "党委组织部", Gender.MALE, 49, "部长", Status.CPC, "汉族", ""),
    (
        "蒙春梅",
        "党委统战部",
        Gender.FEMALE,
        47,
        "部长、领导小组办公室主任",
        Status.CPC,
        "壮族",
        "",
    ),
    ("卢俊杰", "党委统战部", Gender.MALE, 40, "副部长", Status.CPC, "汉族", ""),
    (
        "梁晓燕",
        "党委统战部",
        Gender.FEMALE,
        33,
        "科员（领导小组办公室工作人员）",
        Status.CPC,
        "汉族",
        "",
    ),
    ("陈建勋", "人事处", Gender.MALE, 50, "处长", Status.CPC, "汉族", ""),
    ("刘思雨", "人事处", Gender.FEMALE, 29, "科员", Status.MASSES, "汉族", ""),
    ("杨振邦", "学生工作部（学生工作处）", Gender.MALE, 47, "部长、处长", Status.CPC, "汉族", ""),
    (
        "邓雪",
        "学生工作部（学生工作处）",
        Gender.FEMALE,
        26,
        "辅导员",
        Status.COMMUNIST_YOUTH,
        "汉族",
        "",
    ),
    ("周建新", "后勤管理处", Gender.MALE, 52, "处长", Status.CPC, "汉族", ""),
    ("谢桂兰", "后勤管理处", Gender.FEMALE, 45, "科员", Status.MASSES, "汉族", ""),
    (
        "廖文静",
        "国际交流处",
        Gender.FEMALE,
        44,
        "处长",
        Status.CPC,
        "汉族",
        "2015.09—2016.09 英国诺丁汉大学 访问学者",
    ),
    (
        "赵启明",
        "国际交流处",
        Gender.MALE,
        38,
        "项目主管",
        Status.ZGD,
        "汉族",
        "2011.09—2013.07 澳大利亚莫纳什大学 硕士研究生",
    ),
    ("张秀英", "工会", Gender.FEMALE, 55, "常务副主席", Status.CPC, "汉族", ""),
    ("王立峰", "团委", Gender.MALE, 32, "书记", Status.CPC, "汉族", ""),
    ("农小燕", "团委", Gender.FEMALE, 26, "干事", Status.COMMUNIST_YOUTH, "壮族", ""),
    ("蓝振华", "信息网络中心", Gender.MALE, 43, "主任", Status.CPC, "瑶族", ""),
    ("何晓峰", "信息网络中心", Gender.MALE, 37, "高级工程师", Status.NON_PARTY, "汉族", ""),
    ("曾凡荣", "教务处", Gender.MALE, 49, "处长", Status.CPC, "汉族", ""),
    ("孙雅琴", "教务处", Gender.FEMALE, 46, "副处长、副教授", Status.CAPD, "汉族", ""),
    # Party general branches: the secretary, and the UFW commissioner (统战委员).
    ("覃振宇", "机电工程学院党总支", Gender.MALE, 50, "党总支书记", Status.CPC, "壮族", ""),
    (
        "黄丽娟",
        "机电工程学院党总支",
        Gender.FEMALE,
        41,
        "党总支委员、统战委员",
        Status.CPC,
        "汉族",
        "",
    ),
    ("许卫东", "经济管理学院党总支", Gender.MALE, 48, "党总支书记", Status.CPC, "汉族", ""),
    (
        "林秀红",
        "经济管理学院党总支",
        Gender.FEMALE,
        39,
        "党总支委员、统战委员",
        Status.CPC,
        "汉族",
        "",
    ),
    ("马文涛", "信息工程学院党总支", Gender.MALE, 46, "党总支书记", Status.CPC, "回族", ""),
    (
        "韦慧",
        "信息工程学院党总支",
        Gender.FEMALE,
        37,
        "党总支委员、统战委员",
        Status.CPC,
        "壮族",
        "",
    ),
    ("苏建军", "艺术设计学院党总支", Gender.MALE, 51, "党总支书记", Status.CPC, "汉族", ""),
    (
        "钟美玲",
        "艺术设计学院党总支",
        Gender.FEMALE,
        35,
        "党总支委员、统战委员",
        Status.CPC,
        "汉族",
        "",
    ),
    ("宋立新", "国际商务学院党总支", Gender.MALE, 49, "党总支书记", Status.CPC, "汉族", ""),
    (
        "郭雅婷",
        "国际商务学院党总支",
        Gender.FEMALE,
        38,
        "党总支委员、统战委员",
        Status.CPC,
        "汉族",
        "",
    ),
    # Deans of the schools, and a young returned scholar (a liaison candidate).
    ("周卫群", "机电工程学院", Gender.MALE, 54, "院长、教授", Status.JIUSAN, "汉族", ""),
    ("陈淑华", "经济管理学院", Gender.FEMALE, 50, "院长、教授", Status.CNDCA, "汉族", ""),
    ("刘振林", "信息工程学院", Gender.MALE, 47, "院长、教授", Status.CPC, "汉族", ""),
    ("包斯琴", "艺术设计学院", Gender.FEMALE, 45, "院长、副教授", Status.CPC, "蒙古族", ""),
    ("黎志明", "国际商务学院", Gender.MALE, 52, "院长、教授", Status.CPC, "汉族", ""),
    (
        "梁诗韵",
        "国际商务学院",
        Gender.FEMALE,
        31,
        "讲师",
        Status.NON_PARTY,
        "汉族",
        "2016.09—2018.06 英国利兹大学 硕士研究生",
    ),
)

# Names for the rank-and-file teachers; the random seed deals them out to the schools.
MALE_TEACHERS = "韦家豪 黄俊峰 梁永康 陆海波 莫志华 蒙东升 覃宏亮 廖建平 谢文龙 卢家明 潘宇航"
MALE_TEACHERS += " 唐志鹏 罗杰锋 何永健 邓国庆"
FEMALE_TEACHERS = "黄美玲 韦秋菊 覃小芳 梁婉婷 陆雪梅 莫丽华 陈思琪 刘晓敏 蒙彩霞 卢佳怡"
FEMALE_TEACHERS += " 杨淑芬 廖春燕 谢雨萱 吴碧霞 甘露莹"
TEACHER_NAMES: tuple[tuple[str, str], ...] = tuple(
    [(name, Gender.MALE) for name in MALE_TEACHERS.split()]
    + [(name, Gender.FEMALE) for name in FEMALE_TEACHERS.split()]
)
TEACHERS_PER_SCHOOL = 4

# The teachers' political statuses: the democratic parties not yet met among the key
# people, and the mix of a real teaching staff.
TEACHER_STATUSES: tuple[str, ...] = (
    Status.RCCK,
    Status.CPWDP,
    Status.TDSGL,
    Status.CDL,
    Status.JIUSAN,
    Status.NON_PARTY,
    Status.NON_PARTY,
    Status.MASSES,
    Status.MASSES,
    Status.MASSES,
    Status.CPC_PROBATIONARY,
    Status.COMMUNIST_YOUTH,
    *(Status.CPC,) * 8,
)

VISITING_SCHOLAR = (
    "2014.02—2015.02 美国俄亥俄州立大学 访问学者",
    "2017.09—2018.09 新加坡南洋理工大学 访问学者",
    "2018.03—2018.09 德国斯图加特大学 访问学者",
    "2012.09—2013.09 日本广岛大学 访问学者",
)
GRADUATE_ABROAD = (
    "2016.09—2018.06 泰国朱拉隆功大学 硕士研究生",
    "2017.09—2018.12 英国格拉斯哥大学 硕士研究生",
)
ZHUANG_SURNAMES = frozenset("韦覃蒙陆莫黄农")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _birth_date(today: dt.date, age: int, rng: random.Random) -> dt.date:
    """A birth date that makes the person exactly `age` today."""
    return _years_before(today, age) - dt.timedelta(days=rng.randint(1, 360))


def _phone(rng: random.Random) -> str:
    return f"0771-{rng.randint(3800000, 3899999)}"


def _teacher_title(age: int, status: str) -> str:
    if status == Status.COMMUNIST_YOUTH:
        return "辅导员"
    if age >= 48:
        return "教授"
    if age >= 38:
        return "副教授"
    if age >= 30:
        return "讲师"
    return "助教"


def build_roster(today: dt.date) -> list[PersonSpec]:
    """Every demo person, the same on every run (only birth dates follow `today`)."""
    rng = random.Random(SEED)
    roster = [
        PersonSpec(
            name=name,
            unit=unit,
            gender=gender,
            birth_date=_birth_date(today, age, rng),
            title=title,
            political_status=status,
            ethnicity=ethnicity,
            overseas_detail=overseas,
            phone=_phone(rng),
        )
        for name, unit, gender, age, title, status, ethnicity, overseas in KEY_PEOPLE
    ]
    names = list(TEACHER_NAMES)
    rng.shuffle(names)
    statuses = list(TEACHER_STATUSES)
    rng.shuffle(statuses)
    for index, (name, gender) in enumerate(names[: len(statuses)]):
        school = SCHOOLS[index // TEACHERS_PER_SCHOOL][0]
        status = statuses[index]
        if status == Status.COMMUNIST_YOUTH:
            age = rng.randint(26, 28)  # the League's age limit is 28
        elif status == Status.CPC_PROBATIONARY:
            age = rng.randint(27, 34)
        else:
            age = rng.randint(29, 59)
        overseas = ""
        if rng.random() < 0.3:
            # Visiting scholars are senior teachers; young ones studied abroad as students.
            if age >= 40:
                overseas = rng.choice(VISITING_SCHOLAR)
            elif age <= 36:
                overseas = rng.choice(GRADUATE_ABROAD)
        ethnicity = "壮族" if name[0] in ZHUANG_SURNAMES and rng.random() < 0.5 else "汉族"
        roster.append(
            PersonSpec(
                name=name,
                unit=school,
                gender=gender,
                birth_date=_birth_date(today, age, rng),
                title=_teacher_title(age, status),
                political_status=status,
                ethnicity=ethnicity,
                overseas_detail=overseas,
                phone=_phone(rng),
            )
        )
    return roster


# Demo logins -------------------------------------------------------------------------

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("office", Role.OFFICE, Leadership.NONE, True, "梁晓燕", "党委统战部"),
    DemoLogin("leader", Role.LEADER, Leadership.GROUP_LEADER, False, "韦国平", LEADERS_UNIT),
    DemoLogin("deputy", Role.LEADER, Leadership.DEPUTY_LEADER, False, "陆文斌", LEADERS_UNIT),
    DemoLogin("incharge", Role.LEADER, Leadership.IN_CHARGE, False, "覃丽萍", LEADERS_UNIT),
    DemoLogin("member", Role.MEMBER, Leadership.NONE, False, "陈建勋", "人事处"),
    DemoLogin(
        "commissioner", Role.COMMISSIONER, Leadership.NONE, False, "黄丽娟", "机电工程学院党总支"
    ),
    DemoLogin(
        "commissioner2", Role.COMMISSIONER, Leadership.NONE, False, "林秀红", "经济管理学院党总支"
    ),
    # Roles that follow an appointment (the liaisons app's demo appoints them).
    DemoLogin("liaison", Role.LIAISON, Leadership.NONE, False, "周卫群", "机电工程学院"),
    DemoLogin("publicity", Role.PUBLICITY, Leadership.NONE, False, "唐浩然", "党委宣传部"),
)


def role_label(login: DemoLogin) -> str:
    label = str(Role(login.role).label)
    if login.leadership:
        label += f"（{Leadership(login.leadership).label}）"
    return label


# Writing -----------------------------------------------------------------------------


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Get or create by natural key; on an existing row save only the fields that differ,
    so a re-run leaves no needless history behind."""
    obj, created = model._default_manager.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
    return obj, created


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


def format_table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_display_width(row[col]) for row in rows) for col in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[col]) for col, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return [line.rstrip() for line in lines]


DemoSeed = Callable[..., str]


def app_demos() -> list[tuple[AppConfig, DemoSeed]]:
    """Each installed app's demo, found through the app registry: an app with a
    ``<app>.demo`` module defining ``seed_demo(*, units, logins, today) -> str`` (its
    summary line) takes part. They run in ``INSTALLED_APPS`` order, except that an app
    may set ``demo_order`` on its AppConfig (default 0; the deadline engine's scan runs
    last). This command names no app: a new app plugs in by adding ``demo.py``."""
    found = []
    for index, config in enumerate(apps.get_app_configs()):
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        seed = getattr(importlib.import_module(name), "seed_demo", None)
        if seed is not None:
            found.append((getattr(config, "demo_order", 0), index, config, seed))
    return [(config, seed) for _order, _index, config, seed in sorted(found)]


class Command(BaseCommand):
    help = "创建演示数据：单位、人员和九个演示账号（仅限 DEBUG 模式，可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="不输出摘要和演示账号表。")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo 只能在 DEBUG 模式下运行：它会创建使用公开演示密码的账号。"
            )
        with transaction.atomic():
            units, new_units = self.seed_units()
            people, new_people = self.seed_people(units)
            self.seed_logins(people)
            logins = User.objects.in_bulk(
                [login.username for login in DEMO_LOGINS], field_name="username"
            )
            today = timezone.localdate()
            summaries = [
                seed(units=units, logins=logins, today=today) for _config, seed in app_demos()
            ]
        if options["quiet"]:
            return
        with translation.override("zh-hans"):
            self.report(len(units), new_units, len(people), new_people)
            for summary in summaries:
                if summary:
                    self.stdout.write(summary)

    def seed_units(self) -> tuple[dict[str, Unit], int]:
        units: dict[str, Unit] = {}
        created_count = 0
        for spec in unit_specs():
            unit, created = upsert(
                Unit,
                {"name": spec.name},
                {
                    "short_name": spec.short_name,
                    "kind": spec.kind,
                    "parent": units[spec.parent] if spec.parent else None,
                    "sort_order": spec.sort_order,
                    "is_active": True,
                },
            )
            units[spec.name] = unit
            created_count += created
        return units, created_count

    def seed_people(self, units: dict[str, Unit]) -> tuple[dict[tuple[str, str], Person], int]:
        people: dict[tuple[str, str], Person] = {}
        created_count = 0
        for spec in build_roster(timezone.localdate()):
            person, created = upsert(
                Person,
                {"name": spec.name, "unit": units[spec.unit]},
                {
                    "gender": spec.gender,
                    "birth_date": spec.birth_date,
                    "title": spec.title,
                    "ethnicity": spec.ethnicity,
                    "political_status": spec.political_status,
                    "overseas_study": bool(spec.overseas_detail),
                    "overseas_detail": spec.overseas_detail,
                    "phone": spec.phone,
                    "is_active": True,
                },
            )
            people[spec.name, spec.unit] = person
            created_count += created
        return people, created_count

    def seed_logins(self, people: dict[tuple[str, str], Person]) -> None:
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
        missing = set(Role.values) - set(groups)
        if missing:
            raise CommandError(
                f"缺少角色组 {', '.join(sorted(missing))}，请先运行 manage.py migrate。"
            )
        for login in DEMO_LOGINS:
            person = people[login.person, login.unit]
            # Another login holding this person would break the one-to-one link.
            User.objects.filter(person=person).exclude(username=login.username).update(person=None)
            user, _ = User.objects.update_or_create(
                username=login.username,
                defaults={
                    "person": person,
                    "leadership": login.leadership,
                    "email": login.email,
                    "is_staff": login.is_staff,
                    "is_superuser": False,
                    "is_active": True,
                },
            )
            if person.email != login.email:
                person.email = login.email
                person.save(update_fields=["email"])
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set([groups[login.role]])

    def report(self, unit_count: int, new_units: int, person_count: int, new_people: int) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：单位 {unit_count} 个（新增 {new_units}），"
                f"人员 {person_count} 名（新增 {new_people}），演示账号 {len(DEMO_LOGINS)} 个。"
            )
        )
        rows: list[tuple[str, ...]] = [("用户名", "角色", "姓名", "单位", "密码")]
        rows += [
            (login.username, role_label(login), login.person, login.unit, settings.DEMO_PASSWORD)
            for login in DEMO_LOGINS
        ]
        self.stdout.write("演示账号（仅供本机演示，切勿用于生产环境）：")
        for line in format_table(rows):
            self.stdout.write(f"  {line}")
        self.stdout.write("再次运行 seed_demo 会把这些账号的密码和角色恢复为演示值。")
        if str(settings.EMAIL_BACKEND).endswith("filebased.EmailBackend"):
            where = settings.EMAIL_FILE_PATH
            self.stdout.write(f"演示环境发出的邮件（提醒、会议通知、签发通知）保存在 {where}/ 下。")

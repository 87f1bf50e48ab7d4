"""Demo data of the leading group and this year's work points, for `seed_demo`.

Idempotent like the rest of the demo: terms are keyed on their start, seats on (kind,
person, unit, start), items on (plan, number), reports on (item, unit, text); a second
run creates nothing. Everything goes through the services the portal uses, so the demo
logins also get the roles their seats give.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from groups import services
from groups.models import (
    LeadingGroup,
    ProgressReport,
    WorkPoints,
    WorkPointsSection,
)
from groups.seats import SEAT_KINDS, Category
from portal.models import Person, PoliticalStatus, Unit, User

LEADERS = "学院领导"
UFW = "党委统战部"
FIRST_TERM = dt.date(2021, 4, 1)
SECOND_TERM = dt.date(2024, 3, 1)
PUBLICITY_CHANGE = dt.date(2025, 7, 1)
COMMISSIONER_CHANGE = dt.date(2025, 9, 1)

# People the roster needs beyond the organisation's demo roster: the deputies who sit
# in the office for their departments, and the holders who were replaced.
# (name, unit, gender, birth year, title)
EXTRA_PEOPLE: tuple[tuple[str, str, str, int, str], ...] = (
    ("李明辉", "党委宣传部", "m", 1966, "调研员（原宣传部部长）"),
    ("韦春燕", "党委宣传部", "f", 1982, "副部长"),
    ("石磊", "党委组织部", "m", 1980, "副部长"),
    ("甘文军", "人事处", "m", 1979, "副处长"),
    ("黄海涛", "学生工作部（学生工作处）", "m", 1983, "副部长"),
    ("陆建新", "后勤管理处", "m", 1977, "副处长"),
    ("李桂芳", "工会", "f", 1975, "副主席"),
    ("韦小龙", "团委", "m", 1990, "副书记"),
    ("梁志诚", "信息网络中心", "m", 1981, "副主任"),
    ("陆春燕", "信息工程学院党总支", "f", 1978, "党总支委员"),
)


@dataclass(frozen=True)
class SeatSpec:
    category: str
    person: str
    person_unit: str
    unit: str
    post: str
    start: dt.date
    end: dt.date | None = None


def _group_seats(start: dt.date, end: dt.date | None, publicity_head: str) -> list[SeatSpec]:
    """The group and its office for a term, as seed 000 §一 composes them."""
    leaders = [
        SeatSpec(Category.LEADER, "韦国平", LEADERS, LEADERS, "党委书记", start, end),
        SeatSpec(Category.LEADER, "黄志远", LEADERS, LEADERS, "院长", start, end),
    ]
    deputies = [
        SeatSpec(Category.DEPUTY_LEADER, name, LEADERS, LEADERS, post, start, end)
        for name, post in (
            ("覃丽萍", "党委副书记（分管统战工作）"),
            ("陆文斌", "党委委员、副院长"),
            ("莫晓东", "党委委员、副院长"),
            ("梁碧云", "党委委员、纪委书记"),
        )
    ]
    heads = (
        ("黄建华", "党委办公室（院长办公室）", "党委（院长）办公室主任"),
        (publicity_head, "党委宣传部", "宣传部部长"),
        ("潘志强", "党委组织部", "组织部部长"),
        ("蒙春梅", UFW, "统战部部长"),
        ("陈建勋", "人事处", "人事处处长"),
        ("杨振邦", "学生工作部（学生工作处）", "学生工作部部长"),
        ("周建新", "后勤管理处", "后勤管理处处长"),
        ("廖文静", "国际交流处", "国际交流处处长"),
        ("张秀英", "工会", "工会常务副主席"),
        ("王立峰", "团委", "团委书记"),
        ("蓝振华", "信息网络中心", "信息网络中心主任"),
    )
    members = [SeatSpec(Category.MEMBER, n, u, u, p, start, end) for n, u, p in heads]
    secretaries = (
        ("覃振宇", "机电工程学院党总支"),
        ("许卫东", "经济管理学院党总支"),
        ("马文涛", "信息工程学院党总支"),
        ("苏建军", "艺术设计学院党总支"),
        ("宋立新", "国际商务学院党总支"),
    )
    members += [
        SeatSpec(Category.MEMBER, name, unit, unit, "党总支书记", start, end)
        for name, unit in secretaries
    ]
    office = [SeatSpec(Category.OFFICE_DIRECTOR, "蒙春梅", UFW, UFW, "统战部部长", start, end)]
    office_members = (
        ("吴静", "党委办公室（院长办公室）", "党委（院长）办公室副主任"),
        ("韦春燕", "党委宣传部", "宣传部副部长"),
        ("石磊", "党委组织部", "组织部副部长"),
        ("卢俊杰", UFW, "统战部副部长"),
        ("甘文军", "人事处", "人事处副处长"),
        ("黄海涛", "学生工作部（学生工作处）", "学生工作部副部长"),
        ("陆建新", "后勤管理处", "后勤管理处副处长"),
        ("廖文静", "国际交流处", "国际交流处处长"),
        ("李桂芳", "工会", "工会副主席"),
        ("韦小龙", "团委", "团委副书记"),
        ("梁志诚", "信息网络中心", "信息网络中心副主任"),
    )
    office += [
        SeatSpec(Category.OFFICE_MEMBER, n, u, u, p, start, end) for n, u, p in office_members
    ]
    return leaders + deputies + members + office


def seat_specs() -> list[SeatSpec]:
    first_end = SECOND_TERM - dt.timedelta(days=1)
    specs = _group_seats(FIRST_TERM, first_end, "李明辉")
    second = _group_seats(SECOND_TERM, None, "罗海燕")
    for spec in second:
        if spec.person == "罗海燕":
            # The publicity head changed mid-term: 李明辉 until 30 June 2025.
            specs.append(
                SeatSpec(
                    Category.MEMBER,
                    "李明辉",
                    "党委宣传部",
                    "党委宣传部",
                    "宣传部部长",
                    SECOND_TERM,
                    PUBLICITY_CHANGE - dt.timedelta(days=1),
                )
            )
            spec = SeatSpec(
                spec.category, spec.person, spec.person_unit, spec.unit, spec.post, PUBLICITY_CHANGE
            )
        specs.append(spec)
    commissioners = (
        ("黄丽娟", "机电工程学院党总支"),
        ("林秀红", "经济管理学院党总支"),
        ("钟美玲", "艺术设计学院党总支"),
        ("郭雅婷", "国际商务学院党总支"),
    )
    specs += [
        SeatSpec(Category.COMMISSIONER, name, unit, unit, "统战委员", FIRST_TERM)
        for name, unit in commissioners
    ]
    info = "信息工程学院党总支"
    specs.append(
        SeatSpec(
            Category.COMMISSIONER,
            "陆春燕",
            info,
            info,
            "统战委员",
            FIRST_TERM,
            COMMISSIONER_CHANGE - dt.timedelta(days=1),
        )
    )
    specs.append(
        SeatSpec(Category.COMMISSIONER, "韦慧", info, info, "统战委员", COMMISSIONER_CHANGE)
    )
    return specs


def _seat_exists(spec: SeatSpec, person: Person, unit: Unit) -> bool:
    kind = SEAT_KINDS[spec.category]
    return kind.find(unit=unit, person=person, start_date=spec.start).exists()


def seed_roster(units: dict[str, Unit], *, by: User) -> int:
    """The two terms, their seats and the commissioners, entered by `by` (the office's
    demo login). Returns the seats created."""
    people = _extra_people(units)
    for start, basis in ((FIRST_TERM, "院委〔2021〕15号"), (SECOND_TERM, "院委〔2024〕12号")):
        if not LeadingGroup.objects.filter(term_start=start).exists():
            services.leading_group_start_term(
                term_start=start, basis=basis, office_unit=units[UFW], by=by
            )
    created = 0
    for spec in seat_specs():
        person = people.get((spec.person, spec.person_unit)) or Person.objects.get(
            name=spec.person, unit=units[spec.person_unit]
        )
        unit = units[spec.unit]
        if _seat_exists(spec, person, unit):
            continue
        services.seat_start(
            category=spec.category,
            person=person,
            unit=unit,
            post=spec.post,
            start_date=spec.start,
            end_date=spec.end,
            by=by,
        )
        created += 1
    return created


def _extra_people(units: dict[str, Unit]) -> dict[tuple[str, str], Person]:
    people = {}
    for name, unit, gender, year, title in EXTRA_PEOPLE:
        person, _created = Person.objects.get_or_create(
            name=name,
            unit=units[unit],
            defaults={
                "gender": gender,
                "birth_date": dt.date(year, 5, 1),
                "title": title,
                "political_status": PoliticalStatus.CPC,
                "ethnicity": "壮族" if name[0] in "韦陆" else "汉族",
                "phone": f"0771-38{sum(map(ord, name)) % 100000:05d}",
            },
        )
        people[name, unit] = person
    return people


# Work points, modelled on seed 002 ----------------------------------------------------------

PREAMBLE = (
    "{year}年学校统战工作的指导思想和总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，"
    "全面贯彻党的二十大和二十届历次全会精神，深入学习习近平总书记关于加强和改进统一战线工作的重要思想，"
    "深入落实《中国共产党统一战线工作条例》，引导学校党外人士坚持“两个确立”，做到“两个维护”，"
    "突出思想政治引领，广泛凝聚共识、汇聚力量，围绕学校“十五五”开局之年工作主题，积极建言献策，"
    "充分发挥统一战线的重要法宝作用，助力学校事业高质量发展。"
)

SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "以政治建设为统领，巩固新时代学校统一战线团结奋斗的共同思想政治基础",
        (
            (
                "持续强化政治引领",
                "引导学校广大党外人士深学细悟笃行习近平新时代中国特色社会主义思想，深入领会习近平总书记关于加强和改进统一战线工作的重要思想，深刻理解“两个确立”的决定性意义，突出加强学校党外人士思想政治工作，建立常态化的线上学习推送机制，不断增进团结、凝聚共识。",
                UFW,
                "",
            ),
            (
                "开展条例宣贯学习",
                "组织学校党外人士深入学习《中国共产党统一战线工作条例》，适时举办学习贯彻条例交流讨论会，全面准确学习领会党的统一战线理论方针政策，提高统战意识，确保条例各项规定得到贯彻落实。",
                UFW,
                "",
            ),
            (
                "扎实开展主题活动",
                "巩固拓展“不忘合作初心，继续携手前进”主题教育活动成果，支持学校党外人士开展“矢志不渝跟党走、携手奋进新时代”主题教育，巩固新时代统一战线团结奋斗的共同思想政治基础。",
                UFW,
                "",
            ),
            (
                "积极组织建言献策",
                "召开一次统战工作座谈会，面向党外人士通报学校{year}年中心工作，引导党外人士围绕学校建设发展参政议政、建言献策、教书育人，调动党外人士主动性、积极性。",
                UFW,
                "",
            ),
        ),
    ),
    (
        "落实决策部署，不断推进和强化学校大统战工作格局高效运行",
        (
            (
                "加强统战队伍建设",
                "支持党外人士参加各级各类培训、调研和社会实践，做好服务保障，为统战队伍建设提供便利和支持。",
                UFW,
                "",
            ),
            (
                "支持履职尽责",
                "全力支持学校党外人士做好参政议政、反映社情民意和建言献策工作。",
                UFW,
                "",
            ),
            (
                "支持调查研究",
                "支持学校党外人士围绕学校中心工作开展调查研究，开展提案议案以及社情民意撰写工作，在推进社会建设和学校发展中贡献学校统战力量。",
                UFW,
                "",
            ),
            (
                "开展“五个一”活动",
                "继续在学校党外人士中开展“读一本好书、听一场报告、参观一处教育基地、进行一项调研、提交一份议案”的“五个一”活动，不断凝聚思想共识。",
                UFW,
                "",
            ),
            (
                "强化宣传教育",
                "加大新时代统战工作宣传，讲好统战故事，对学校优秀统一战线代表人士、中青年党外专家学者、留学归国人员等推出专题报道，抓亮点、出特色，提升学校统战工作影响力。",
                UFW,
                "党委宣传部",
            ),
            (
                "关心留学回国人员",
                "继续完善留学回国人员明细清单，加强与留学回国人员的联络与交流，在工作、学习和生活上关心，维护留学人员的合法权益。",
                "人事处",
                "",
            ),
        ),
    ),
    (
        "强化民族宗教工作，构建和谐稳定的校园环境",
        (
            (
                "深入推进民族团结进步教育",
                "深入学习贯彻习近平总书记关于宗教工作的重要论述和党中央有关文件精神，不断筑牢中华民族共同体意识。继续做好对口援疆工作，支持少数民族地区发展。",
                UFW,
                "党委组织部",
            ),
            (
                "扎实开展抵御宗教渗透和防范校园传教工作",
                "完整、准确、全面贯彻新时代党的宗教工作理论和方针政策，加强马克思主义宗教观教育，抵御利用宗教进行渗透和防范校园传教。开展党员信仰宗教情况排查。",
                UFW,
                "党委宣传部、党委组织部",
            ),
            (
                "做好少数民族学生管理工作",
                "召开1次少数民族学生座谈会，关心少数民族学生思想、学习和生活状况，多渠道了解少数民族学生的意见和建议。发挥好少数民族文艺社团的引导和引领作用，举办1次少数民族学生活动，筑牢师生中华民族共同体意识。",
                "学生工作部（学生工作处）",
                "教务处、团委、各二级学院",
            ),
        ),
    ),
    (
        "加强统战部自身建设，不断提高管理科学化水平",
        (
            (
                "强化统战工作管理",
                "制定统战工作目标责任书，对统战工作开展年度考核。按照相关规定将统战工作经费列入学校经费预算。",
                UFW,
                "",
            ),
            (
                "加强统战自身建设",
                "加强统战部门的政治建设、思想建设、组织建设、作风建设和纪律建设，打造政治坚定、业务精通、作风过硬的统战干部队伍，不断提高统战工作科学化规范化制度化水平。",
                UFW,
                "",
            ),
            (
                "做好统战服务工作",
                "加强联系和沟通，了解党外人士所思所想所需，努力把统战部门建设成为凝聚党外人士的团结之家、民主之家、建言之家。",
                UFW,
                "",
            ),
        ),
    ),
)

# (item number, reporting unit, login, month, day, percent, text, with evidence)
REPORTS: tuple[tuple[int, str, str, int, int, int, str, bool], ...] = (
    (
        1,
        UFW,
        "office",
        3,
        20,
        30,
        "已建立“统战学习”线上推送栏目，每周推送学习材料，覆盖党外人士86人。",
        False,
    ),
    (1, UFW, "office", 6, 28, 60, "上半年推送学习材料24期，组织党外人士集中学习2次。", False),
    (1, UFW, "office", 10, 15, 90, "三季度开展专题学习1次，线上推送保持每周1期。", False),
    (2, UFW, "office", 4, 25, 50, "4月举办条例学习交流会，党外人士32人参加。", False),
    (2, UFW, "office", 9, 10, 100, "完成年度宣贯计划，各党总支均已组织学习。", False),
    (3, UFW, "office", 5, 30, 40, "主题教育方案已印发，开展现场教学1次。", False),
    (
        4,
        UFW,
        "office",
        6,
        5,
        100,
        "6月召开统战工作座谈会，收集意见建议11条，均已转有关部门办理。",
        True,
    ),
    (
        3,
        UFW,
        "office",
        9,
        18,
        75,
        "组织党外人士赴革命教育基地开展现场教学，撰写心得体会31篇。",
        False,
    ),
    (6, UFW, "office", 8, 30, 80, "协助3名党外人士完成市政协提案，报送社情民意信息5条。", False),
    (
        11,
        "党委组织部",
        "",
        6,
        12,
        60,
        "组织援疆干部经验分享会，开展民族团结进步教育月活动。",
        False,
    ),
    (16, UFW, "office", 11, 10, 90, "走访慰问党外人士42人次，“同心之家”活动室已投入使用。", False),
    (5, UFW, "office", 7, 15, 70, "推荐5名党外人士参加上级培训，组织暑期社会实践1次。", False),
    (8, UFW, "office", 5, 20, 35, "“五个一”活动已启动，发放书目，组织报告会1场。", False),
    (9, "党委宣传部", "", 5, 12, 40, "在校园网开设“同心”专栏，已刊发人物专题报道3篇。", False),
    (9, UFW, "office", 10, 30, 85, "专题报道累计8篇，其中2篇被上级统战部门转载。", False),
    (10, "人事处", "member", 7, 3, 70, "已更新留学回国人员清单（共23人），走访慰问5人。", False),
    (12, UFW, "office", 4, 8, 20, "已部署党员信仰宗教情况排查，正在汇总。", False),
    (
        13,
        "机电工程学院",
        "commissioner",
        10,
        28,
        80,
        "学院召开少数民族学生座谈会，21名学生参加，收集意见6条。",
        True,
    ),
    (
        13,
        "经济管理学院",
        "commissioner2",
        6,
        20,
        50,
        "已摸清学院少数民族学生情况，筹备民族文化活动。",
        False,
    ),
    (
        14,
        UFW,
        "office",
        3,
        10,
        100,
        "统战工作目标责任书已与各单位签订，经费已列入年度预算。",
        False,
    ),
    (15, UFW, "office", 9, 25, 75, "组织统战干部业务培训2次，完善内部制度3项。", False),
)


def _tiny_pdf(text: str) -> bytes:
    """A minimal one-page PDF (ASCII text) standing in for a scanned evidence file."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed_work_points(units: dict[str, Unit], today: dt.date, *, by: User) -> tuple[WorkPoints, int]:
    """This year's plan (4 sections, 16 items) and the reports dated before today, drafted
    by `by` (the office's demo login); a report with no login of its own is the office's."""
    year = today.year
    plan = WorkPoints.objects.filter(year=year).first()
    if plan is None:
        plan = services.work_points_create(year=year, preamble=PREAMBLE.format(year=year), by=by)
    if not plan.items.exists():
        for title, items in SECTIONS:
            section = WorkPointsSection.objects.filter(plan=plan, title=title).first()
            if section is None:
                section = services.work_points_section_create(plan=plan, title=title, by=by)
            for item_title, body, lead, co in items:
                co_units = _units(units, co)
                services.work_points_item_create(
                    section=section,
                    title=item_title,
                    body=body.format(year=year),
                    lead_unit=units[lead],
                    co_units=co_units,
                    by=by,
                )
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    created = 0
    by_number = {item.number: item for item in plan.items.all()}
    for number, unit_name, login, month, day, percent, text, evidence in REPORTS:
        when = dt.date(year, month, day)
        if when >= today:
            continue
        item = by_number[number]
        unit = units[unit_name]
        if ProgressReport.objects.filter(item=item, unit=unit, text=text).exists():
            continue
        author = (User.objects.filter(username=login).first() if login else None) or by
        upload = None
        if evidence:
            upload = SimpleUploadedFile(
                f"第{number}项佐证材料.pdf", _tiny_pdf(f"Evidence item {number}"), "application/pdf"
            )
        report = services.progress_report_create(
            item=item, unit=unit, text=text, percent=percent, evidence=upload, by=author
        )
        stamp = dt.datetime.combine(when, dt.time(10, 30), tzinfo=tz)
        ProgressReport.objects.filter(pk=report.pk).update(reported_at=stamp)
        created += 1
    return plan, created


def _units(units: dict[str, Unit], names: str) -> list[Unit]:
    result: list[Unit] = []
    for name in filter(None, names.split("、")):
        if name == "各二级学院":
            result += [u for u in units.values() if u.kind == Unit.Kind.SCHOOL]
        else:
            result.append(units[name])
    return result


def issue_work_points(plan: WorkPoints) -> str:
    """The plan through the documents workflow, as in real life: the office submits it,
    the group leader signs, the office issues it. Idempotent: a plan already issued (or
    in flight) is left where it is. Returns the document's number, or blank."""
    from portal.documents import services as documents
    from portal.documents.transitions import DocumentError

    office = User.objects.filter(username="office").first()
    leader = User.objects.filter(username="leader").first()
    if office is None or leader is None:
        return ""
    if plan.document is None:
        services.work_points_submit(plan=plan, by=office)
        plan.refresh_from_db()
    document = plan.document
    assert document is not None
    if document.state == document.State.AWAITING_SIGNATURE:
        documents.document_sign(document=document, by=leader, opinion="同意印发。")
    if document.state == document.State.SIGNED:
        documents.document_issue(document=document, by=office)
    if document.is_issued:
        # The deadline is met by the document_issued signal after commit; seed_demo runs
        # in one transaction, so meet it here too (idempotent).
        documents.document_backed_issued(document=document)
        # A branch acknowledges receipt (for its school); the others have not yet.
        commissioner = User.objects.filter(username="commissioner").first()
        recipients = list(document.recipients.all())
        if commissioner is not None and not any(r.acknowledged_at for r in recipients):
            with contextlib.suppress(DocumentError):
                documents.document_acknowledge(document=document, by=commissioner)
    return document.reference


def seed(units: dict[str, Unit], *, office: User) -> str:
    """Seed the roster and this year's work points, issued, acting as `office` (the
    office's demo login); a one-line summary."""
    today = timezone.localdate()
    seats = seed_roster(units, by=office)
    plan, reports = seed_work_points(units, today, by=office)
    reference = issue_work_points(plan)
    return (
        f"领导小组：新增任职 {seats} 项；{plan.title}（{reference or '未印发'}）："
        f"{plan.items.count()} 项事项，新增进展报告 {reports} 条。"
    )


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry)."""
    return seed(units, office=logins["office"])

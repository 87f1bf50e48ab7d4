"""Demo data of the outreach app, for `seed_demo`: one section per part, each an
idempotent function through the services the pages use, dates relative to `today`.
Figures first (the other parts pair, talk with and hear from them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.models import Unit, User

# --- figures ---

# (name, unit, gender, political status, title, category, flags, expertise, abroad)
# flags: r = 党外代表人士, k = 重点联系对象; abroad: (country, institution, degree, years)
DEMO_FIGURES: list[tuple[str, str, str, str, str, str, str, str, tuple[str, ...]]] = [
    (
        "白晓峰",
        "机电工程学院",
        "m",
        "jiusan",
        "教授",
        "democratic_party",
        "rk",
        "智能制造",
        ("德国", "亚琛工业大学", "doctor", "2008", "2012"),
    ),
    ("孟雅琴", "机电工程学院", "f", "cdl", "副教授", "democratic_party", "k", "机械设计", ()),
    (
        "乔建华",
        "机电工程学院",
        "m",
        "non_party",
        "讲师",
        "non_party_intellectual",
        "",
        "数控技术",
        (),
    ),
    (
        "宋佳怡",
        "机电工程学院",
        "f",
        "masses",
        "讲师",
        "returned_overseas",
        "",
        "工业机器人",
        ("日本", "九州大学", "master", "2015", ""),
    ),
    ("龙海涛", "经济管理学院", "m", "capd", "教授", "democratic_party", "rk", "区域经济", ()),
    ("包丽娜", "经济管理学院", "f", "masses", "副教授", "minority", "r", "会计学", ()),
    (
        "范志远",
        "经济管理学院",
        "m",
        "non_party",
        "副教授",
        "non_party_intellectual",
        "k",
        "金融学",
        ("英国", "爱丁堡大学", "master", "2010", "2011"),
    ),
    ("于晓雯", "经济管理学院", "f", "zgd", "讲师", "democratic_party", "", "市场营销", ()),
    (
        "高振宇",
        "信息工程学院",
        "m",
        "jiusan",
        "教授",
        "democratic_party",
        "r",
        "人工智能",
        ("美国", "", "doctor", "2009", "2014"),
    ),
    (
        "朱婷婷",
        "信息工程学院",
        "f",
        "masses",
        "讲师",
        "returned_overseas",
        "",
        "软件工程",
        ("澳大利亚", "莫纳什大学", "master", "", "2018"),
    ),
    (
        "石磊",
        "信息工程学院",
        "m",
        "non_party",
        "高级工程师",
        "non_party_intellectual",
        "",
        "网络安全",
        (),
    ),
    ("哈斯其其格", "信息工程学院", "f", "masses", "副教授", "minority", "rk", "蒙古文信息处理", ()),
    ("任卫东", "艺术设计学院", "m", "cpwdp", "教授", "democratic_party", "r", "油画", ()),
    (
        "叶婉清",
        "艺术设计学院",
        "f",
        "masses",
        "讲师",
        "returned_overseas",
        "",
        "视觉传达",
        ("法国", "巴黎国立高等装饰艺术学院", "master", "2014", "2016"),
    ),
    (
        "赵敏",
        "艺术设计学院",
        "f",
        "non_party",
        "副教授",
        "non_party_intellectual",
        "",
        "环境设计",
        (),
    ),
    ("巴特尔", "艺术设计学院", "m", "masses", "讲师", "minority", "", "民族工艺", ()),
    (
        "钟明轩",
        "国际商务学院",
        "m",
        "rcck",
        "教授",
        "democratic_party",
        "k",
        "国际贸易",
        ("新加坡", "南洋理工大学", "", "2011", "2013"),
    ),
    (
        "夏雨桐",
        "国际商务学院",
        "f",
        "masses",
        "讲师",
        "returned_overseas",
        "",
        "商务英语",
        ("英国", "利兹大学", "master", "2016", "2018"),
    ),
    ("韩冬", "国际商务学院", "m", "masses", "企业导师", "new_social_stratum", "", "跨境电商", ()),
    ("姜慧", "国际商务学院", "f", "cndca", "副教授", "democratic_party", "", "物流管理", ()),
    ("祁连山", "后勤管理处", "m", "masses", "工程师", "other", "", "", ()),
    (
        "许文博",
        "信息网络中心",
        "m",
        "non_party",
        "高级工程师",
        "non_party_intellectual",
        "",
        "数据中心",
        (),
    ),
    (
        "林嘉欣",
        "国际交流处",
        "f",
        "masses",
        "科员",
        "returned_overseas",
        "",
        "留学生管理",
        ("韩国", "首尔大学", "master", "2013", "2015"),
    ),
    ("陶然", "人事处", "m", "masses", "科员", "new_social_stratum", "", "", ()),
    ("温雅", "工会", "f", "tdsgl", "科员", "democratic_party", "", "", ()),
]


def _demo_figures(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """The register: the demo's non-party people and those above, every category, with
    positions, sensitive profiles and overseas records (some incomplete, for the
    returned-overseas list)."""
    from outreach.models import Figure
    from outreach.services import figures as services
    from portal import services as portal_services
    from portal.models import CPC_STATUSES, Person

    office = logins["office"]
    if Figure.objects.count() >= 40:
        return ""
    for index, (name, unit, gender, status, title, category, _f, _e, abroad) in enumerate(
        DEMO_FIGURES
    ):
        if unit in units and not Person.objects.filter(name=name).exists():
            portal_services.person_save(
                person=Person(),
                fields={
                    "name": name,
                    "unit": units[unit],
                    "gender": gender,
                    "birth_date": dt.date(today.year - 30 - index % 25, 1 + index % 12, 10),
                    "ethnicity": "蒙古族" if category == "minority" else "汉族",
                    "phone": f"0771-3860{index:03d}",
                    "political_status": status,
                    "title": title,
                    "overseas_study": bool(abroad),
                    "overseas_detail": " ".join(part for part in abroad if part),
                    "is_active": True,
                },
                by=office,
            )
    spec = {row[0]: row for row in DEMO_FIGURES}
    people = Person.objects.exclude(political_status__in=CPC_STATUSES).filter(
        figure__isnull=True, is_active=True
    )
    categories = Figure.Category.values
    made = 0
    for index, person in enumerate(people.order_by("pk")):
        row = spec.get(person.name)
        category = row[5] if row else categories[index % len(categories)]
        flags = row[6] if row else ""
        figure = services.figure_create(
            person=person,
            category=category,
            registered_on=today - dt.timedelta(days=200 + 37 * index),
            is_representative="r" in flags,
            is_key_contact="k" in flags,
            expertise=row[7] if row else "",
            by=office,
        )
        made += 1
        if "r" in flags:
            services.position_add(
                figure=figure,
                kind="cppcc_member",
                level="city",
                title="第十五届市政协委员",
                term_start=dt.date(today.year - 2, 1, 1),
                by=office,
            )
        if person.political_status not in ("masses", "non_party"):
            services.figure_sensitive_update(
                figure=figure,
                affiliation=f"{person.political_status_label}成员",
                opinions="关心学院发展，积极建言献策。" if "k" in flags else "",
                notes="",
                by=office,
            )
        abroad = row[8] if row else ()
        if abroad:
            country, institution, degree, start, end = abroad
            services.overseas_record_add(
                figure=figure,
                kind="study",
                country=country,
                institution=institution,
                degree=degree,
                start_year=int(start) if start else None,
                end_year=int(end) if end else None,
                by=office,
            )
    return f"党外人士：新增 {made} 人" if made else ""


# --- pairs ---


def _demo_pairs(*, logins: dict[str, User], today: dt.date) -> str:
    """The leaders' pairs: each demo leader and the group member paired with three or four
    figures (the key contacts first), with a year of contacts and talks in every state:
    most pairs contacted this academic year, some not yet (amber or grey on the board),
    one key contact not yet talked with this year."""
    from outreach.models import Figure, FriendshipPair
    from outreach.services import pairs as services
    from portal.deadlines import periods
    from portal.models import CPC_STATUSES

    if FriendshipPair.objects.exists():
        return ""
    office = logins["office"]
    leaders = [
        person
        for name in ("leader", "deputy", "incharge", "member")
        if name in logins and (person := logins[name].person) is not None
        if person.political_status in CPC_STATUSES
    ]
    figures = list(
        Figure.objects.active().select_related("person").order_by("-is_key_contact", "pk")
    )
    if not leaders or not figures:
        return ""
    year = periods.academic_year_of(today)
    start = year.start - dt.timedelta(days=400)
    pairs = []
    for index, figure in enumerate(figures[: 4 * len(leaders)]):
        leader = leaders[index % len(leaders)]
        pairs.append(
            services.pair_create(leader=leader, figure=figure, start_date=start, by=office)
        )
    modes = ["one_to_one", "group", "topic", "visit", "ad_hoc", "daily"]
    kinds = ["visit", "call", "invitation", "overseas"]
    contacts = talks = 0
    for index, pair in enumerate(pairs):
        leader_user = pair.leader.user
        last_year = year.start - dt.timedelta(days=30 + 11 * index)
        services.contact_record(
            leader=pair.leader,
            figures=[pair.figure],
            kind=kinds[index % len(kinds)],
            date=last_year,
            place="学院会议室",
            summary="了解教学科研和家庭情况，听取对学院发展的意见。",
            by=office,
        )
        contacts += 1
        if index % 4 == 3:
            continue  # not yet contacted this academic year
        day = min(today, year.start + dt.timedelta(days=7 + 9 * index))
        if (pair.figure.is_key_contact and index % 5 != 4) or index % 3 == 0:
            talk = services.talk_save(
                talk=None,
                leader=pair.leader,
                figures=[pair.figure],
                mode=modes[index % len(modes)],
                date=day,
                place="统战部会议室",
                topic="学院“十五五”规划",
                summary="围绕学科建设和人才引进交流，对方介绍了所在团队的情况。",
                raised="建议学院完善青年教师出国研修支持办法。" if index % 2 else "",
                by=leader_user or office,
            )
            talks += 1
            if index % 3 != 2:
                services.talk_send(talk=talk, by=leader_user or office)
                if index % 3 == 0:
                    services.talk_read(talk=talk, by=office)
                    if index % 2 == 0:
                        services.talk_brief(talk=talk, briefing=True, by=office)
        else:
            services.contact_record(
                leader=pair.leader,
                figures=[pair.figure],
                kind=kinds[(index + 1) % len(kinds)],
                date=day,
                summary="电话联系，通报学校近期重点工作，听取意见建议。",
                by=leader_user or office,
            )
            contacts += 1
    briefing = _demo_briefing(logins=logins, start=year.start, today=today)
    return f"联系交友：结对 {len(pairs)} 对，联系记录 {contacts} 条，谈心谈话 {talks} 次" + (
        f"；工作简报 {briefing}" if briefing else ""
    )


def _demo_briefing(*, logins: dict[str, User], start: dt.date, today: dt.date) -> str:
    """The talks marked for the briefing this academic year, compiled, signed by the
    leader in charge and issued: one issued briefing."""
    from outreach.services import pairs as services
    from portal.documents import services as documents

    if "incharge" not in logins or not services.briefing_talks(start, today).exists():
        return ""
    briefing = services.briefing_submit(start=start, end=today, by=logins["office"])
    assert briefing.document is not None  # submitted with it
    document = documents.document_sign(document=briefing.document, by=logins["incharge"])
    document = documents.document_issue(document=document, by=logins["office"])
    return document.reference


# --- suggestions ---


def _demo_suggestions(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """Suggestions in every state: some from the talks' "raised" words, others brought
    directly; one sent back by a unit, one answered awaiting review, one fed back with
    an unsatisfied figure and reopened, two closed satisfied."""
    from outreach.models import Figure, Suggestion, Talk
    from outreach.services import suggestions as services

    if Suggestion.objects.exists():
        return ""
    office = logins["office"]
    commissioner = logins.get("commissioner")
    if commissioner is not None:  # fresh: roles and units are cached on a user object
        commissioner = User.objects.select_related("person").get(pk=commissioner.pk)
    unit = commissioner.person.unit if commissioner and commissioner.person else None
    other = next((u for name, u in units.items() if name in ("教务处", "人事处")), None)
    if unit is None or other is None:
        return ""
    figures = list(Figure.objects.active().select_related("person").order_by("pk")[:8])
    talks = list(Talk.objects.exclude(raised="").exclude(state="draft").order_by("pk")[:2])
    specs = [
        ("建议完善青年教师出国研修支持办法", "new"),
        ("建议增加实验室开放时间", "assigned"),
        ("建议优化职称评审中的教学业绩认定", "sent_back"),
        ("建议为党外教师搭建社会服务平台", "answered"),
        ("建议改善校园夜间照明", "approved"),
        ("建议增设党外人士参与校务咨询的渠道", "reopened"),
        ("建议完善留学归国人员住房过渡政策", "fed_back"),
        ("建议举办民主党派与学院结对共建活动", "fed_back"),
    ]
    for index, (title, state) in enumerate(specs):
        talk = talks[index] if index < len(talks) else None
        suggestion = services.suggestion_record(
            title=title,
            content=(talk.raised if talk else "") or f"{title}，希望学校相关部门研究落实。",
            source="talk" if talk else ("direct" if index % 2 else "contact"),
            raised_on=today - dt.timedelta(days=40 - 4 * index),
            figure=figures[index % len(figures)] if figures else None,
            raised_by="" if figures else "民盟支部",
            talk=talk,
            by=office,
        )
        if state == "new":
            continue
        lead = unit if index % 2 or state == "sent_back" else other
        services.suggestion_assign(suggestion=suggestion, lead_unit=lead, by=office)
        actor = commissioner if commissioner and lead == unit else office
        if state == "sent_back":
            services.suggestion_send_back(
                suggestion=suggestion, reason="该事项由人事处牵头办理，建议改交。", by=actor
            )
            continue
        if state == "assigned":
            continue
        services.suggestion_answer(
            suggestion=suggestion,
            answer="经研究，已列入下一年度工作计划，由专人负责推进，预计下学期落实。",
            by=actor,
        )
        if state == "answered":
            continue
        services.suggestion_review(suggestion=suggestion, approve=True, by=office)
        if state == "approved":
            continue
        services.suggestion_feed_back(
            suggestion=suggestion,
            feedback_on=today,
            means="in_person",
            feedback_by=office.display_name,
            satisfaction="unsatisfied" if state == "reopened" else "satisfied",
            note="当面通报办理情况，对方表示理解。",
            by=office,
        )
        if state == "reopened":
            services.suggestion_reopen(
                suggestion=suggestion, reason="提出人认为措施不够具体，请细化。", by=office
            )
    states = Suggestion.objects.values_list("state", flat=True)
    return f"意见建议：{len(states)} 条（{len(set(states))} 种办理状态）"


# --- learning ---


def _demo_reserve(*, logins: dict[str, User], today: dt.date) -> str:
    """Five figures in the cadre reserve (one who left it, appointed), each with a
    course or two and one with a certificate."""
    from django.core.files.base import ContentFile

    from outreach.models import Figure, ReserveCadre, TrainingRecord
    from outreach.services import learning

    if ReserveCadre.objects.exists():
        return ""
    office = logins["office"]
    figures = list(Figure.objects.active().select_related("person").order_by("pk")[:5])
    if len(figures) < 5:
        figures += _demo_figures_for_reserve(5 - len(figures), today)
    posts = ["二级学院副院长", "处级", "系主任", "教研室主任", "二级学院副院长"]
    courses = [
        ("自治区党外干部培训班", "region", "自治区党委统战部"),
        ("市党外知识分子研修班", "city", "赤峰市委统战部"),
        ("校党外代表人士理论学习班", "college", "党委统战部"),
    ]
    for index, figure in enumerate(figures):
        cadre = learning.reserve_add(
            figure=figure,
            added_on=today - dt.timedelta(days=700 - 90 * index),
            proposed_post=posts[index],
            assessment="政治立场坚定，热爱教育事业，在本专业领域有一定影响，群众基础较好。",
            by=office,
        )
        for number, (course, level, organiser) in enumerate(courses[: 1 + index % 3]):
            start = today - dt.timedelta(days=500 - 120 * number - 20 * index)
            record = learning.training_record_add(
                person=figure.person,
                course=course,
                level=level,
                organiser=organiser,
                start_on=start,
                end_on=start + dt.timedelta(days=4),
                by=office,
            )
            if index == 0 and number == 0:
                record.certificate.save(
                    "certificate.pdf", ContentFile(_demo_certificate_pdf(figure, course))
                )
        if index == 4:
            learning.reserve_end(
                cadre=cadre,
                removed_on=today - dt.timedelta(days=30),
                outcome=ReserveCadre.Outcome.APPOINTED,
                by=office,
            )
    trainings = TrainingRecord.objects.count()
    return f"党外后备干部 {len(figures)} 人（1 人已提拔任用），培训记录 {trainings} 条"


def _demo_figures_for_reserve(count: int, today: dt.date) -> list[Any]:
    """Register non-party people as figures when the register has too few (until the
    register's own demo data exists)."""
    from outreach.models import Figure
    from portal.models import CPC_STATUSES, Person

    people = Person.objects.exclude(political_status__in=CPC_STATUSES).filter(
        figure__isnull=True, is_active=True
    )
    return [
        Figure.objects.create(
            person=person,
            category=Figure.Category.NON_PARTY_INTELLECTUAL,
            registered_on=today - dt.timedelta(days=800),
        )
        for person in people.order_by("pk")[:count]
    ]


def _demo_certificate_pdf(figure: Any, course: str) -> bytes:
    from django.utils.html import format_html

    from portal.documents import pdf as paper

    return paper.html_to_pdf(
        format_html(
            "<html><body style='font-family: sans-serif; text-align: center'><h1>结业证书</h1>"
            "<p>{} 同志参加{}，学习期满，准予结业。</p></body></html>",
            figure.person.name,
            course,
        )
    )


def _demo_studies(*, logins: dict[str, User], today: dt.date) -> str:
    """A year of learning: three online pushes (the latest still open, so the paired
    leaders have one to confirm), an offline session with attendance and two absences,
    and the "五个一" of ten figures, from none to all five."""
    from outreach.models import Figure, FiveOne, StudyActivity
    from outreach.services import study

    if StudyActivity.objects.exists():
        return ""
    office = logins["office"]
    pushes = [
        ("学习习近平总书记关于做好新时代党的统一战线工作的重要思想", 200, ["figures"]),
        ("《中国共产党统一战线工作条例》导读", 60, ["representatives", "key_contacts"]),
        ("学习全国政协十四届常委会会议精神", 3, ["representatives", "paired_leaders"]),
    ]
    activities = []
    for title, days_ago, groups in pushes:
        held_on = today - dt.timedelta(days=days_ago)
        activities.append(
            study.study_create(
                kind=StudyActivity.Kind.ONLINE,
                title=title,
                material="请认真学习原文，结合本职工作谈体会。",
                held_on=held_on,
                confirm_by=held_on + dt.timedelta(days=10),
                audience=study.Audience(groups=groups),
                by=office,
            )
        )
    session = study.study_create(
        kind=StudyActivity.Kind.OFFLINE,
        title="党外代表人士专题学习会",
        held_on=today - dt.timedelta(days=30),
        place="行政楼三楼会议室",
        material="学习统一战线理论政策，交流履职体会。",
        audience=study.Audience(groups=["representatives"]),
        by=office,
    )
    # The office records the older pushes and the session; the latest is left to its readers.
    for activity in [*activities[:2], session]:
        rows = list(activity.participants.order_by("pk").values_list("pk", flat=True))
        absent = rows[-2:] if activity == session else rows[-(len(rows) // 5) :]
        study.study_record(
            activity=activity,
            shown=rows,
            confirmed=[pk for pk in rows if pk not in absent],
            absences={pk: "外出学术交流" for pk in absent} if activity == session else {},
            by=office,
        )
    items = list(FiveOne.Item)
    titles = {
        FiveOne.Item.BOOK: "《习近平新时代中国特色社会主义思想学习纲要》",
        FiveOne.Item.LECTURE: "统一战线理论政策专题报告",
        FiveOne.Item.BASE: "乌兰夫纪念馆",
        FiveOne.Item.STUDY: "关于青年教师职称评审的调研",
        FiveOne.Item.PROPOSAL: "关于完善校内民主监督渠道的建议",
    }
    figures = list(Figure.objects.active().order_by("pk")[:10])
    start = dt.date(today.year, 1, 1)
    for index, figure in enumerate(figures):
        for number, item in enumerate(items[: (5 - index % 6)]):
            study.five_one_record(
                figure=figure,
                year=today.year,
                item=item,
                done_on=max(start, today - dt.timedelta(days=150 - 25 * number + index)),
                title=titles[item],
                by=office,
            )
    return (
        f"学习活动：线上推送 {len(pushes)} 次，线下集中学习 1 次；"
        f"“五个一”登记 {FiveOne.objects.count()} 项"
    )


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry): each part's summary."""
    lines: list[str] = []
    # --- figures ---
    lines.append(_demo_figures(units=units, logins=logins, today=today))
    # --- pairs ---
    lines.append(_demo_pairs(logins=logins, today=today))
    # --- suggestions ---
    lines.append(_demo_suggestions(units=units, logins=logins, today=today))
    # --- learning ---
    lines.append(_demo_reserve(logins=logins, today=today))
    lines.append(_demo_studies(logins=logins, today=today))
    return "\n".join(line for line in lines if line)

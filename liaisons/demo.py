"""The liaisons app's demo: a liaison officer for every department and school but one
(vacant), each chosen by the rule on the appointment day; one of them a young returned
scholar who turns 35 within the month (the office's eligibility deadline shows it), one
a young Party member with the reason recorded. And four consultations (征求意见), one
in each state: one waiting for the office's answer (on 我的待办), one answered, one
closed with the opinion partly taken, one withdrawn."""

from __future__ import annotations

import datetime as dt

from portal.models import Unit, User


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    from liaisons import services
    from liaisons.eligibility import birthday_of_age, eligibility
    from liaisons.models import LIAISON_UNIT_KINDS, Liaison
    from liaisons.publicity.demo import seed_publicity_demo
    from portal.models import CPC_STATUSES, Person, PoliticalStatus

    if Liaison.objects.exists():
        return ""
    consultations = _demo_consultations(logins=logins)
    office = logins["office"]
    start = today - dt.timedelta(days=400)
    candidates = Unit.objects.filter(kind__in=LIAISON_UNIT_KINDS, is_active=True).order_by(
        "sort_order"
    )
    appointed = 0
    vacant = ""
    ageing = ""
    for index, unit in enumerate(candidates):
        if index == 3:
            vacant = unit.name  # one unit has none
            continue
        people = list(
            Person.objects.filter(unit=unit, is_active=True, user__isnull=True).order_by("pk")
        )
        own = logins.get("liaison")
        if own is not None and own.person is not None and own.person.unit_id == unit.pk:
            people.insert(0, own.person)  # the demo login `liaison` is this unit's
        if index == 1:
            # A young returned scholar who is a Party member: turns 35 in three weeks.
            young = Person.objects.create(
                name="韦晓青",
                unit=unit,
                gender=Person.Gender.FEMALE,
                political_status=PoliticalStatus.CPC,
                birth_date=birthday_of_age(today + dt.timedelta(days=21), -35),
                overseas_study=True,
                overseas_detail="英国利兹大学访问学者",
                title="讲师",
                ethnicity="壮族",
                phone="0771-3860219",
            )
            people.insert(0, young)
            ageing = young.name
        chosen = None
        for person in people:
            basis = eligibility(
                political_status=person.political_status,
                birth_date=person.birth_date,
                overseas_study=person.overseas_study,
                on=start,
            )
            if basis is not None:
                chosen = person
                break
        if chosen is None:
            continue
        young_member = chosen.political_status in CPC_STATUSES and not chosen.overseas_study
        services.liaison_appoint(
            unit=unit,
            person=chosen,
            start_date=start,
            reason="本单位党外教师均已担任其他社会职务，推荐青年党员教师。" if young_member else "",
            by=office,
        )
        appointed += 1
    sessions = _demo_sessions(office=office, today=today)
    reports = _demo_reports(office=office, today=today)
    return (
        f"统战联络员：{appointed} 个单位在任，{vacant or '无'}暂缺"
        + (f"，{ageing} 即将满35周岁" if ageing else "")
        + f"\n{sessions}\n{reports}\n{consultations}"
        + f"\n{seed_publicity_demo(logins=logins, today=today)}"
    )


def _demo_sessions(*, office: User, today: dt.date) -> str:
    """A training session two months ago (two liaisons absent, with reasons) and a
    meeting last week whose attendance is still to be recorded."""
    from liaisons import services
    from liaisons.models import LiaisonAttendance

    training = services.session_record(
        kind="training",
        title="统战联络员业务培训班",
        held_on=today - dt.timedelta(days=60),
        place="行政楼第二会议室",
        organiser="党委统战部",
        content="统一战线政策理论；联络员职责与信息报送；案例交流。",
        by=office,
    )
    rows = list(training.attendance.order_by("pk"))
    absent = {rows[0].pk: "外出参加学术会议", rows[1].pk: "病假"} if len(rows) > 2 else {}
    services.attendance_record(
        session=training,
        attended=[row.pk for row in rows if row.pk not in absent],
        reasons=absent,
        by=office,
    )
    services.session_record(
        kind="meeting",
        title="第四季度联络员工作例会",
        held_on=today - dt.timedelta(days=7),
        place="行政楼第一会议室",
        organiser="党委统战部",
        by=office,
    )
    present = LiaisonAttendance.objects.filter(session=training, attended=True).count()
    return f"联络员培训和会议：2 次（培训出席 {present}/{len(rows)} 人）"


def _demo_consultations(*, logins: dict[str, User]) -> str:
    from django.core.files.base import ContentFile

    from liaisons import services
    from portal.models import Unit

    office, commissioner = logins["office"], logins["commissioner"]
    own = commissioner.person.unit if commissioner.person else None
    personnel = Unit.objects.filter(name="人事处").first() or own
    international = Unit.objects.filter(name="国际交流处").first() or own
    if own is None or personnel is None or international is None:
        return ""
    services.consultation_file(  # waits for the office's answer
        unit=own,
        kind="matter",
        title="关于推荐党外教师参加自治区党外知识分子研修班的意见",
        matter="学院拟推荐两名党外教师参加研修班，人选涉及党外代表人士队伍建设，请提出意见。",
        by=commissioner,
    )
    answered = services.consultation_file(
        unit=international,
        kind="document",
        title="《海外引进人才服务管理办法（征求意见稿）》",
        matter="办法涉及留学归国人员和海外统战工作，请审阅第三章、第五章。",
        draft=ContentFile(b"%PDF-1.4\n% demo draft\n", name="draft.pdf"),
        by=office,
    )
    services.consultation_answer(
        consultation=answered,
        opinion="一、第三章应明确留学归国人员联谊会的联系渠道；二、第五章增加党外人士的推荐程序。",
        by=office,
    )
    closed = services.consultation_file(
        unit=personnel,
        kind="matter",
        title="关于党外干部挂职锻炼人选的意见",
        matter="拟安排一名党外后备干部到地方挂职，请提出意见。",
        by=office,
    )
    services.consultation_answer(
        consultation=closed, opinion="同意推荐，建议挂职期间纳入党外干部培训计划。", by=office
    )
    services.consultation_close(
        consultation=closed,
        adoption="partly",
        note="挂职期间培训安排待与地方统战部门协商后确定。",
        by=office,
    )
    withdrawn = services.consultation_file(
        unit=own,
        kind="matter",
        title="关于邀请民主党派成员参加学院年度总结会的意见",
        matter="拟邀请民主党派成员列席年度总结会。",
        by=commissioner,
    )
    services.consultation_withdraw(
        consultation=withdrawn, reason="会议改为党内会议，不再邀请。", by=commissioner
    )
    return "征求意见：4 件（待答复、已答复、已办结、已撤回各 1 件）"


REPORT_TEXTS = [
    (
        "党外教师普遍关注学院专业群建设和职称评审改革，希望评审标准更多体现教学实绩。",
        "部分青年党外教师反映实训室开放时间短，课余指导学生竞赛不便。",
        "电气自动化教研室党外教师带队获全区职业院校技能大赛一等奖。",
        "",
    ),
    (
        "党外人士对学院年度工作总体评价积极，关注教师培训经费的使用。",
        "",
        "",
        "推荐九三学社社员、副教授一名，业务能力强，可作为党外后备干部培养。",
    ),
    ("党外教师关注学院新校区建设进度和交通安排。", "新校区教职工通勤班车班次不足。", "", ""),
    ("党外人士关注课程思政改革的推进。", "", "", ""),
]


def _demo_reports(*, office: User, today: dt.date) -> str:
    """This semester's round (opened by the schedule): four reports in, two of them read
    (one raised as an outreach suggestion, one recommending a reserve cadre), one
    returned for more, and the rest still due, the `liaison` login's among them."""
    from liaisons import follow_ups, services
    from liaisons.models import LiaisonReport, ReportRound
    from portal.deadlines.periods import semester_of

    services.round_schedule(today)
    report_round = ReportRound.objects.filter(period=semester_of(today).key).first()
    if report_round is None:  # the semester's due day has passed
        return ""
    services.round_fill(report_round, today)
    own = User.objects.filter(username="liaison", person__isnull=False).values("person_id")
    reports = list(
        LiaisonReport.objects.filter(round=report_round)
        .exclude(liaison__person_id__in=own)
        .order_by("liaison__unit__sort_order")
    )
    for report, (views, issues, deeds, recommendations) in zip(reports, REPORT_TEXTS, strict=False):
        fields = {
            "views": views,
            "issues": issues,
            "deeds": deeds,
            "recommendations": recommendations,
        }
        services.report_save(report=report, fields=fields, submit=True, by=office)
    if len(reports) < 4:
        return ""
    raised, recommended, returned = reports[0], reports[1], reports[2]
    for report in (raised, recommended):
        services.report_read(report=report, note="已阅，转有关部门办理。", by=office)
    follow_ups.follow_up_suggestion(
        report=raised,
        title="延长实训室开放时间",
        content=REPORT_TEXTS[0][1],
        by=office,
    )
    candidate = follow_ups.reserve_candidates().first()
    if candidate is not None:
        follow_ups.follow_up_reserve(
            report=recommended, figure=candidate, proposed_post="二级学院副院长", by=office
        )
    services.report_return(report=returned, comment="请补充具体班次和涉及人数。", by=office)
    return f"联络员报告：{report_round.title}，已报送 4 份（阅知 2 份并转办，退回补充 1 份）"

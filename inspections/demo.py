"""The inspections app's demo: three rectifications (整改) and a fourth from a
supervision case. One closed (销号) after an inspection, every measure verified, with
progress and evidence; one after an upper-level check, overdue (escalated by the
deadline scan), one measure verified, one reported and waiting for the office, one sent
back; one after an admonition talk, on track. An admonition talk held two weeks ago,
the unit's written report due. Three supervision cases (督促检查): one closed with its
papers issued and its problem rectified, one with its report overdue, one plan waiting
for the group leader's approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import Unit, User

# A one-page PDF (the evidence's upload check reads its signature).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    from inspections import services
    from inspections.models import Rectification
    from inspections.rules import RECTIFICATION_DUE
    from portal.deadlines.services import deadline_open

    if Rectification.objects.exists():
        return ""
    office, unit_user = logins["office"], logins["commissioner"]
    school = units["机电工程学院"]
    closed = services.rectification_assign(
        unit=school,
        source=Rectification.Source.SUPERVISION,
        title="党外代表人士队伍建设专项检查问题整改",
        problem="党外代表人士档案信息不全，部分人员联系方式、任职情况未更新。",
        measures="逐人核对并补齐党外代表人士档案\n建立每学期更新档案的工作机制",
        due=today + dt.timedelta(days=30),
        by=office,
    )
    for measure in closed.measures.all():
        services.progress_add(
            rectification=closed,
            measure=measure,
            text=f"{measure.text}：已完成，附佐证材料。",
            evidence=ContentFile(PDF, name="佐证材料.pdf"),
            by=unit_user,
        )
        services.measure_report(measure=measure, report="已按要求完成。", by=unit_user)
        services.measure_accept(measure=measure, by=office)
    services.rectification_close(
        rectification=closed, conclusion="各项措施落实到位，同意销号。", by=office
    )

    overdue = services.rectification_assign(
        unit=school,
        source=Rectification.Source.UPPER,
        title="上级统战工作检查反馈问题整改",
        problem="统战联络员履职记录不完整；党外人士意见建议办理情况未及时反馈。",
        measures="补齐联络员履职记录\n建立意见建议办理反馈台账\n每季度向党外人士通报办理情况",
        due=today + dt.timedelta(days=30),
        by=office,
    )
    first, second, third = overdue.measures.all()
    services.measure_report(measure=first, report="履职记录已补齐。", by=unit_user)
    services.measure_accept(measure=first, by=office)
    services.measure_report(measure=second, report="已建立办理反馈台账。", by=unit_user)
    services.measure_report(measure=third, report="已通报一次。", by=unit_user)
    services.measure_reopen(measure=third, reason="须形成季度通报制度并提供通报记录。", by=office)
    services.progress_add(
        rectification=overdue, text="正在落实第三项措施，拟于本季度末通报。", by=unit_user
    )
    # Assigned six weeks ago and due a week ago: the deadline scan marks it overdue.
    Rectification.objects.filter(pk=overdue.pk).update(opened_on=today - dt.timedelta(days=42))
    deadline_open(
        rule=RECTIFICATION_DUE,
        subject=overdue,
        due=today - dt.timedelta(days=7),
        title=f"{school.name}：{overdue.title}",
        responsible_unit=school,
        now=timezone.now() - dt.timedelta(days=42),  # its reminders as if set then
    )

    other = units["经济管理学院"]
    services.rectification_assign(
        unit=other,
        source=Rectification.Source.ADMONITION,
        title="通报约谈后整改",
        problem="未按要求组织党外人士学习活动。",
        measures="制定本学期党外人士学习计划\n组织一次集中学习并报送记录",
        due=today + dt.timedelta(days=45),
        by=office,
    )
    talk = _demo_admonition(units=units, office=office, today=today)
    cases = _demo_supervision(units=units, logins=logins, today=today)
    research = _demo_research(units=units, logins=logins, today=today)
    return (
        f"整改：4 项（2 项已销号，1 项逾期，1 项整改中）；通报约谈：1 次（{talk}）；"
        f"督促检查：{cases}；{research}"
    )


def _demo_admonition(*, units: dict[str, Unit], office: User, today: dt.date) -> str:
    """An admonition talk held two weeks ago with 经济管理学院, its written report due."""
    from inspections import services
    from inspections.models import Admonition, AdmonitionTrigger

    unit = units["经济管理学院"]
    admonition = services.admonition_propose(
        unit=unit,
        triggers=AdmonitionTrigger.objects.filter(position=3),
        facts="本学期党外人士学习活动未按领导小组工作部署组织，进度滞后。",
        partners="党委组织部",
        by=office,
    )
    Admonition.objects.filter(pk=admonition.pk).update(proposed_on=today - dt.timedelta(days=21))
    admonition.refresh_from_db()
    services.admonition_talk(
        admonition=admonition,
        talk_on=today - dt.timedelta(days=14),
        participants="领导小组办公室主任、党委组织部副部长、经济管理学院党总支书记",
        record="通报存在的问题，听取情况说明，提出整改要求：对照问题自查自纠，按时书面报告。",
        by=office,
    )
    return "待报送整改报告"


def _demo_supervision(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """Three supervision cases: last term's, closed, with its report, both letters and
    the notice issued and its problem rectified and verified; this term's, its period
    over six weeks ago and its report overdue; next term's plan waiting for the group
    leader's approval."""
    from inspections import services as rectifications
    from inspections import supervision_services as services
    from inspections.models import InspectionItem

    office, leader, incharge = logins["office"], logins["leader"], logins["incharge"]
    school, other = units["机电工程学院"], units["经济管理学院"]
    items = list(InspectionItem.objects.filter(position__in=[3, 5]).order_by("position"))
    plan: dict[str, Any] = {
        "units": [school, other],
        "team_lead": "梁晓燕（党委统战部）",
        "team": "党委统战部、党委组织部各一名同志",
        "by": office,
    }
    closed = services.case_create(
        title="统战工作责任制落实情况专项督查",
        scope="按照自治区督查检查考核事项清单，检查各学院落实统战工作责任制、联系交友和谈心谈话制度情况。",
        items=items,
        local_items="校园统战宣传阵地建设",
        period_start=today - dt.timedelta(days=120),
        period_end=today - dt.timedelta(days=106),
        **plan,
    )
    services.case_submit(case=closed, by=office)
    services.case_approve(case=closed, note="同意，按方案开展。", by=leader)
    problem = services.finding_add(
        case=closed,
        unit=school,
        item=items[0],
        text="学院党总支统战工作责任清单未及时更新，统战工作台账不全。",
        is_problem=True,
        is_outstanding=True,
        evidence=ContentFile(PDF, name="台账检查记录.pdf"),
        by=office,
    )
    services.finding_add(
        case=closed,
        unit=school,
        item=items[1],
        text="领导班子成员与党外代表人士联系交友覆盖到位，谈心谈话记录完整。",
        by=office,
    )
    services.finding_add(
        case=closed,
        unit=other,
        item=items[0],
        text="责任制落实到位，按学期研究统战工作。",
        by=office,
    )
    _issue(
        services.paper_save(
            case=closed,
            purpose="report",
            body=services.paper_draft(closed, "report"),
            to_party_committee=True,
            by=office,
        ),
        office=office,
        signer=leader,
    )
    services.instruction_add(
        case=closed,
        text="请办公室督促机电工程学院限期整改，并将整改情况报领导小组。",
        given_on=today - dt.timedelta(days=90),
        by=leader,
    )
    for unit in (school, other):
        _issue(
            services.paper_save(
                case=closed,
                purpose="feedback",
                unit=unit,
                body=services.paper_draft(closed, "feedback", unit),
                by=office,
            ),
            office=office,
            signer=incharge,
        )
    _issue(
        services.paper_save(
            case=closed, purpose="notice", body=services.paper_draft(closed, "notice"), by=office
        ),
        office=office,
        signer=incharge,
    )
    rectification = services.finding_assign(
        finding=problem,
        title="统战工作责任清单和台账整改",
        measures="更新学院统战工作责任清单\n补齐统战工作台账",
        due=today + dt.timedelta(days=10),
        by=office,
    )
    for measure in rectification.measures.all():
        rectifications.measure_report(measure=measure, report="已完成。", by=logins["commissioner"])
        rectifications.measure_accept(measure=measure, by=office)
    rectifications.rectification_close(
        rectification=rectification, conclusion="各项措施落实到位，同意销号。", by=office
    )
    services.case_close(case=closed, note="反馈意见和通报已印发，问题已整改销号。", by=office)

    overdue = services.case_create(
        title="联系交友和谈心谈话制度落实情况专项督查",
        scope="检查各学院领导班子成员联系交友、谈心谈话制度落实情况。",
        items=items[1:],
        period_start=today - dt.timedelta(days=56),
        period_end=today - dt.timedelta(days=42),
        **plan,
    )
    services.case_submit(case=overdue, by=office)
    services.case_approve(case=overdue, by=leader)
    services.finding_add(
        case=overdue,
        unit=other,
        item=items[1],
        text="部分领导班子成员谈心谈话记录未及时反馈办公室。",
        is_problem=True,
        by=office,
    )

    pending = services.case_create(
        title="党外代表人士队伍建设情况专项督查",
        scope="检查各学院党外代表人士队伍建设和党外后备干部培养情况。",
        items=InspectionItem.objects.filter(position=4),
        period_start=today + dt.timedelta(days=14),
        period_end=today + dt.timedelta(days=28),
        **plan,
    )
    services.case_submit(case=pending, by=office)
    return "3 项（1 项已办结，1 项督查报告逾期，1 项方案待组长批准）"


def _issue(paper: object, *, office: User, signer: User) -> None:
    """Submit, sign and issue a case's paper; the issued receiver runs after commit, and
    seed_demo runs in one transaction, so call it here as the receiver would."""
    from inspections import supervision_services as services
    from portal.documents import services as documents

    document = services.paper_submit(paper=paper, by=office)  # type: ignore[arg-type]
    document = documents.document_sign(document=document, by=signer)
    document = documents.document_issue(document=document, by=office)
    documents.document_backed_issued(document=document)


def _demo_research(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """Two contact points; this year's research-guidance visit, ended two weeks ago, its
    report due; a research topic completed (a paper, sent upward, an award) and one in
    progress with its due date."""
    from inspections import research_services as research
    from inspections.models import ResearchTopic, ResearchVisit

    office, unit_user = logins["office"], logins["commissioner"]
    school, other = units["机电工程学院"], units["经济管理学院"]
    for unit in (school, other):
        research.contact_point_add(
            unit=unit,
            since=dt.date(today.year, 1, 1),
            contact=office,
            note="每学期至少走访一次，了解党外人士思想动态。",
            by=office,
        )
    ended_on = today - dt.timedelta(days=14)
    visit = research.research_visit_plan(
        year=ended_on.year,
        subject=ResearchVisit._meta.get_field("subject").default,
        plan="听取两个联系点学院工作汇报，召开党外人士座谈会，查阅统战工作台账。",
        units=[school, other],
        starts_on=ended_on - dt.timedelta(days=3),
        ends_on=ended_on,
        by=office,
    )
    research.research_visit_finish(
        visit=visit,
        ends_on=ended_on,
        findings="两个学院均建立了党外人士联系制度；个别学院党外人士台账更新不及时。",
        by=office,
    )

    done = research.research_topic_propose(
        year=today.year,
        title="新时代高校党外知识分子思想政治引领机制研究",
        description="调研党外知识分子思想状况，提出加强思想政治引领的对策建议。",
        unit=school,
        origin="领导小组年度工作要点：持续强化政治引领",
        by=office,
    )
    research.research_topic_assign(topic=done, by=office)
    research.research_topic_complete(
        topic=done,
        outcome_kind=ResearchTopic.OutcomeKind.PAPER,
        outcome="形成论文《新时代高校党外知识分子思想政治引领机制探析》。",
        outcome_file=ContentFile(PDF, name="论文.pdf"),
        by=unit_user,
    )
    research.research_topic_recognise(
        topic=done,
        sent_upward_on=today,
        award="自治区统战理论政策研究优秀成果二等奖",
        by=office,
    )
    going = research.research_topic_propose(
        year=today.year,
        title="民族团结进步教育融入高校统战工作的路径研究",
        description="总结学院开展民族团结进步教育的做法，提出融入统战工作的路径。",
        unit=other,
        origin="实际工作中出现的新问题新情况",
        by=office,
    )
    research.research_topic_assign(topic=going, due=today + dt.timedelta(days=90), by=office)
    return "调研指导联系点：2 个；调研指导：1 次（待报送报告）；调研课题：2 项（1 项已结题获奖）"

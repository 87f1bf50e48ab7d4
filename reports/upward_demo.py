"""Demo data for `seed_demo` (called from `reports.demo`): experiences in every state, a
briefing compiled from the selected ones and issued, information sent upward, adopted
and not adopted. Idempotent: nothing is added once an experience exists."""

from __future__ import annotations

import datetime as dt

from portal.documents import services as documents
from portal.models import Unit, User
from reports import upward_services as services
from reports.models import Experience, InformationReport

BRANCH_A = "机电工程学院党总支"
BRANCH_B = "经济管理学院党总支"

EXPERIENCES = [
    # (title, unit, state)
    ("建立党外教师“三个一”联系制度", BRANCH_A, "published"),
    ("以“同心讲堂”凝聚党外知识分子共识", BRANCH_B, "reported"),
    ("党外人士参与学院治理的实践", BRANCH_A, "selected"),
    ("留学归国人员联谊会建设的做法", BRANCH_B, "submitted"),
    ("少数民族学生统战教育活动", BRANCH_A, "not_selected"),
    ("统战委员履职清单", BRANCH_B, "drafting"),
]
PATHS = {
    "drafting": [],
    "submitted": ["submit"],
    "selected": ["submit", "select"],
    "not_selected": ["submit", "reject"],
    "reported": ["submit", "select", "report_upward"],
    "published": ["submit", "select", "report_upward", "publish"],
}
BODY = (
    "一是建立台账，做到底数清、情况明。\n\n"
    "二是定期走访，每学期至少开展一次谈心谈话。\n\n"
    "三是搭建平台，邀请党外人士参与学院重要事项的协商。"
)


def seed_upward(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    if Experience.objects.exists():
        return ""
    office = logins.get("office")
    in_charge = logins.get("incharge")
    writers = {BRANCH_A: logins.get("commissioner"), BRANCH_B: logins.get("commissioner2")}
    if office is None or in_charge is None or any(w is None for w in writers.values()):
        return ""
    past = today - dt.timedelta(days=30)
    selected = []
    for title, unit_name, state in EXPERIENCES:
        unit, writer = units[unit_name], writers[unit_name]
        assert writer is not None
        experience = services.experience_create(
            unit=unit, title=title, summary="", body=BODY, by=writer
        )
        for step in PATHS[state]:
            if step == "submit":
                services.experience_submit(experience=experience, by=writer)
            elif step == "select":
                services.experience_select(experience=experience, by=office)
            elif step == "reject":
                services.experience_reject(
                    experience=experience, reason="做法尚在探索，成效有待检验。", by=office
                )
            elif step == "report_upward":
                services.experience_report_upward(
                    experience=experience,
                    reported_on=past,
                    reported_to="上级党委统一战线工作领导小组办公室",
                    by=office,
                )
            elif step == "publish":
                services.experience_publish(
                    experience=experience,
                    outlet="自治区党委统战部《统战工作简报》",
                    published_on=past + dt.timedelta(days=14),
                    by=office,
                )
        if state in {"selected", "reported", "published"}:
            selected.append(experience)
    services.experience_arrange_speech(
        experience=selected[0],
        meeting=f"{today.year}年统一战线工作领导小组全体会议（大会发言）",
        speech_on=past,
        by=office,
    )
    briefing = services.briefing_compile(
        title=f"统战工作经验交流材料（{today.year}年第1期）",
        addressee="各党总支、各成员单位",
        foreword="现将各单位报送的典型经验编印交流，供学习借鉴。",
        experiences=selected,
        by=office,
    )
    document = services.briefing_submit(briefing=briefing, by=office)
    documents.document_sign(document=document, by=in_charge)
    documents.document_issue(document=document, by=office)
    documents.document_backed_issued(document=document)

    counts = {"adopted": 0, "not_adopted": 0}
    for n, (state, unit_name) in enumerate(
        [
            ("adopted", BRANCH_A),
            ("adopted", BRANCH_B),
            ("not_adopted", BRANCH_A),
            ("sent", BRANCH_B),
            ("submitted", BRANCH_A),
            ("returned", BRANCH_B),
        ],
        start=1,
    ):
        writer = writers[unit_name]
        assert writer is not None
        report = services.information_create(
            unit=units[unit_name],
            title=f"我院统战工作动态（第{n}则）",
            body="近日，学院组织党外教师开展专题学习，反响良好。",
            by=writer,
        )
        report = services.information_submit(report=report, by=writer)
        if state == "returned":
            services.information_return(report=report, reason="请补充时间、人数等要素。", by=office)
            continue
        if state == "submitted":
            continue
        report = services.information_accept(report=report, by=office)
        report = services.information_send(
            report=report, sent_on=past, sent_to="自治区党委统战部信息处", by=office
        )
        if state == "adopted":
            services.information_adopt(
                report=report,
                level=InformationReport.Level.PROVINCIAL,
                outlet="《统战信息》",
                adopted_on=past + dt.timedelta(days=7),
                by=office,
            )
        elif state == "not_adopted":
            services.information_not_adopt(report=report, by=office)
        if state in counts:
            counts[state] += 1
    briefing.refresh_from_db()
    return (
        f"经验交流：经验做法{len(EXPERIENCES)}篇（各状态各一），"
        f"经验交流材料 {briefing.reference or briefing.get_state_display()}；"
        f"统战信息6则（采用{counts['adopted']}、未采用{counts['not_adopted']}）。"
    )

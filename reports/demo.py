"""Demo data for `seed_demo`: last year's annual report, issued through the documents
workflow (the office drafts and submits, the group leader signs, the office issues); and
an inspection announced this term, its self-report drafted from this year's data and due
in two weeks. Idempotent: keyed on the year (and the inspection); a report already there
is left where it is."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError

from portal.documents import services as documents
from portal.models import Unit, User
from reports import services
from reports.models import AnnualReport, InspectionSelfReport

SECTIONS = {
    "主要工作和成效": (
        "一年来，学院党委认真贯彻落实中央和上级党委关于统一战线工作的决策部署，"
        "统一战线工作领导小组召开全体会议2次、办公室会议4次，各成员单位履职尽责。\n\n"
        "（一）思想政治引领持续加强。组织党外人士专题学习6次，建立线上学习推送机制。\n\n"
        "（二）党外代表人士队伍建设扎实推进。选送3名党外人士参加上级培训，"
        "领导小组成员与重点联系对象谈心谈话全覆盖。"
    ),
    "存在的问题和不足": (
        "一是部分成员单位对统战工作重视程度有待提高；二是党外人士作用发挥的平台和渠道还需拓展。"
    ),
    "下一年度工作打算": (
        "认真落实新一年度统战工作要点，完善领导小组工作制度，推动全院统战工作高质量发展。"
    ),
}


def seed_annual_report(
    *, today: dt.date, office: User | None = None, leader: User | None = None
) -> AnnualReport | None:
    """Last year's report, with the work points' section when last year had a plan."""
    office = office or User.objects.filter(username="office").first()
    leader = leader or User.objects.filter(username="leader").first()
    if office is None or leader is None:
        return None
    year = today.year - 1
    report = AnnualReport.objects.select_related("document").filter(year=year).first()
    if report is None:
        report = services.annual_report_create(year=year, by=office)
        sections = {s.heading: s for s in report.sections.all()}
        services.annual_report_update(
            report=report,
            title=report.title,
            addressee=report.addressee,
            sections={
                sections[heading].pk: {"heading": heading, "body": body}
                for heading, body in SECTIONS.items()
            },
            by=office,
        )
        # Without a plan last year, the report goes without that section.
        with contextlib.suppress(ValidationError):
            services.annual_report_fill(report=report, source="work_points", by=office)
    if report.document is None:
        services.annual_report_submit(report=report, by=office)
        report.refresh_from_db()
    document = report.document
    assert document is not None
    if document.state == document.State.AWAITING_SIGNATURE:
        documents.document_sign(document=document, by=leader, opinion="同意报送。")
    if document.state == document.State.SIGNED:
        documents.document_issue(document=document, by=office)
    if document.is_issued:
        documents.document_backed_issued(document=document)
    return report


DEMO_INSPECTION = "关于做好贯彻落实统一战线工作会议精神情况专项督查准备工作的通知"
DEMO_NEXT_STEPS = (
    "一是进一步压实成员单位责任，把统战工作纳入年度考核；"
    "二是拓展党外人士建言献策的平台和渠道；"
    "三是加强统战干部队伍建设，提升工作能力。"
)


def seed_self_report(*, today: dt.date) -> InspectionSelfReport | None:
    """This year's self-report to an announced inspection: filled from the year's data,
    its last part written, due in two weeks, not yet submitted."""
    office = User.objects.filter(username="office").first()
    if office is None:
        return None
    report = InspectionSelfReport.objects.filter(
        year=today.year, inspection=DEMO_INSPECTION
    ).first()
    if report is not None:
        return report
    report = services.self_report_create(
        year=today.year,
        inspection=DEMO_INSPECTION,
        due_on=today + dt.timedelta(days=14),
        by=office,
    )
    with contextlib.suppress(ValidationError):  # a year with no data yet
        services.self_report_fill(report=report, by=office)
    last = report.sections.get(source="next")
    services.self_report_update(
        report=report,
        title=report.title,
        addressee=report.addressee,
        inspection=report.inspection,
        due_on=report.due_on,
        opening=report.opening,
        sections={last.pk: {"heading": last.heading, "body": DEMO_NEXT_STEPS}},
        by=office,
    )
    return report


def seed(today: dt.date) -> str:
    lines = []
    report = seed_annual_report(today=today)
    if report is not None:
        lines.append(
            f"年度工作汇报：{report.title}（{report.reference or report.get_state_display()}）。"
        )
    return "\n".join(lines)


def seed_current_report(*, today: dt.date) -> AnnualReport | None:
    """This year's report, drafted from the year's data so far (每个数字链接到所统计的
    记录), not yet submitted: what the office edits before 15 January."""
    office = User.objects.filter(username="office").first()
    if office is None:
        return None
    report = AnnualReport.objects.filter(year=today.year).first()
    if report is None:
        report = services.annual_report_create(year=today.year, by=office)
        with contextlib.suppress(ValidationError):  # a year with no data yet
            services.annual_report_fill_all(report=report, by=office)
    return report


def seed_self(today: dt.date) -> str:
    lines = []
    current = seed_current_report(today=today)
    if current is not None:
        filled = current.sections.exclude(source="").count()
        lines.append(f"年度工作汇报（草稿）：{current.title}，已从全年数据生成{filled}个部分。")
    self_report = seed_self_report(today=today)
    if self_report is not None:
        lines.append(
            f"督查汇报提纲：{self_report.title}（{self_report.due_on:%-m月%-d日}前报送）。"
        )
    return "\n".join(lines)


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry)."""
    from reports import review_demo
    from reports.upward_demo import seed_upward  # experiences and information upward

    lines = (
        seed(today),
        review_demo.seed(today, logins),
        seed_upward(units=units, logins=logins, today=today),
        seed_self(today),  # last: it drafts from everything the other parts seeded
    )
    return "\n".join(line for line in lines if line)

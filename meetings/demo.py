"""Demo data of the meetings app, for `seed_demo`: a year of meetings of the leading
group and its office, with topics, attendance, minutes (two issued, one awaiting
signature, one being written) and follow-up items in every state.

Idempotent: meetings are keyed on their title, topics on theirs; a second run creates
nothing. Everything goes through the services the pages use. Dates are relative to
today, so the demo always shows the last twelve months and a meeting coming up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting, Topic
from meetings.rules import ACTION_ITEM
from portal.deadlines.services import (
    deadline_extend_request,
    deadline_meet,
    deadline_open,
    deadline_waive,
)
from portal.documents import services as documents
from portal.models import Person, Unit, User
from portal.workdays import WorkdayCalendar

Kind = Meeting.Kind
Status = Attendance.Status


@dataclass(frozen=True)
class FollowUpSpec:
    task: str
    unit: str
    due_days: int  # after the meeting
    state: str = "open"  # open / in_progress / reported / closed


@dataclass(frozen=True)
class ItemSpec:
    title: str
    discussion: str
    decision: str
    presenter: str = ""
    follow_ups: tuple[FollowUpSpec, ...] = ()


@dataclass(frozen=True)
class MeetingSpec:
    kind: str
    title: str
    days_ago: int  # negative: a meeting still to come
    place: str
    opening: str
    items: tuple[ItemSpec, ...]
    minutes: str  # none / written / awaiting / issued
    absent: tuple[tuple[str, str], ...] = ()  # (name, reason)
    topics: tuple[str, ...] = field(default=())  # scheduled accepted topics


MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        kind=Kind.PLENARY,
        title="领导小组第一次全体会议",
        days_ago=300,
        place="行政楼三楼第一会议室",
        opening="会议传达学习了上级统战工作会议精神，听取了领导小组办公室关于上一年度统战工作情况的汇报，研究了本年度工作要点。现纪要如下。",
        minutes="issued",
        absent=(("陆文斌", "外出学习"),),
        items=(
            ItemSpec(
                title="审议本年度统一战线工作要点",
                presenter="党委统战部",
                discussion="与会同志逐项讨论了工作要点（征求意见稿），认为要点紧扣上级部署，任务明确，责任清晰。",
                decision="原则通过本年度统一战线工作要点，由领导小组办公室修改完善后印发。",
                follow_ups=(
                    FollowUpSpec("修改完善工作要点并按程序印发", "党委统战部", 30, "closed"),
                    FollowUpSpec(
                        "将工作要点任务分解到各党总支并报送分解表",
                        "机电工程学院党总支",
                        45,
                        "closed",
                    ),
                ),
            ),
            ItemSpec(
                title="研究党外代表人士谈心谈话安排",
                presenter="党委统战部",
                discussion="会议认为，谈心谈话是加强同党外人士团结合作的重要方式，要做到全覆盖、有记录。",
                decision="领导小组成员年内与联系的党外代表人士谈心谈话不少于1次，谈话情况报领导小组办公室备案。",
                follow_ups=(
                    FollowUpSpec("汇总领导小组成员谈心谈话记录", "党委统战部", 200, "reported"),
                ),
            ),
        ),
    ),
    MeetingSpec(
        kind=Kind.OFFICE,
        title="领导小组办公室春季学期工作会议",
        days_ago=240,
        place="党委统战部会议室",
        opening="会议通报了上学期统战工作落实情况，研究了本学期重点工作。现纪要如下。",
        minutes="issued",
        items=(
            ItemSpec(
                title="党外人士信息库更新",
                discussion="各成员单位反映部分党外人士信息不全，需要统一核对。",
                decision="各党总支于规定期限内完成本单位党外人士信息核对更新。",
                follow_ups=(
                    FollowUpSpec(
                        "完成本单位党外人士信息核对更新", "机电工程学院党总支", 40, "open"
                    ),
                    FollowUpSpec(
                        "完成本单位党外人士信息核对更新", "经济管理学院党总支", 40, "in_progress"
                    ),
                ),
            ),
        ),
    ),
    MeetingSpec(
        kind=Kind.SPECIAL,
        title="党外代表人士队伍建设专题会议",
        days_ago=120,
        place="行政楼三楼第二会议室",
        opening="会议专题研究党外代表人士队伍建设和党外后备干部培养工作。现纪要如下。",
        minutes="awaiting",
        items=(
            ItemSpec(
                title="党外后备干部培养计划",
                presenter="党委组织部",
                discussion="会议听取了组织部关于党外后备干部队伍现状的汇报。",
                decision="建立党外后备干部培养台账，每年至少安排1次专题培训。",
                follow_ups=(FollowUpSpec("建立党外后备干部培养台账", "党委组织部", 90),),
            ),
        ),
    ),
    MeetingSpec(
        kind=Kind.OFFICE,
        title="领导小组办公室秋季学期工作会议",
        days_ago=30,
        place="党委统战部会议室",
        opening="",
        minutes="written",
        items=(
            ItemSpec(
                title="年度工作总结和工作汇报准备",
                discussion="会议研究了年度工作汇报的材料分工。",
                decision="各成员单位在规定期限内报送本单位年度统战工作总结。",
            ),
        ),
    ),
    MeetingSpec(
        kind=Kind.PLENARY,
        title="领导小组第二次全体会议",
        days_ago=-14,
        place="行政楼三楼第一会议室",
        opening="",
        minutes="none",
        items=(),
        topics=("关于成立党外知识分子联谊会的建议", "关于加强民主党派基层组织建设的建议"),
    ),
)

# (title, proposing unit, status, reason)
TOPICS: tuple[tuple[str, str, str, str], ...] = (
    ("关于成立党外知识分子联谊会的建议", "机电工程学院党总支", Topic.Status.ACCEPTED, ""),
    ("关于加强民主党派基层组织建设的建议", "经济管理学院党总支", Topic.Status.ACCEPTED, ""),
    ("关于开展统战理论专题研讨的建议", "党委宣传部", Topic.Status.ACCEPTED, ""),
    (
        "关于增加党外人士考察调研经费的建议",
        "机电工程学院党总支",
        Topic.Status.DEFERRED,
        "待下年度预算编制时统筹研究。",
    ),
    (
        "关于调整统战委员工作补贴的建议",
        "经济管理学院党总支",
        Topic.Status.DECLINED,
        "不属于领导小组研究事项，建议按学院相关规定办理。",
    ),
    ("关于建立统战工作联系点的建议", "机电工程学院党总支", Topic.Status.PROPOSED, ""),
)


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def seed_topics(users: dict[str, User], units: dict[str, Unit]) -> dict[str, Topic]:
    office = users["office"]
    topics: dict[str, Topic] = {}
    for title, unit_name, status, reason in TOPICS:
        topic = Topic.objects.filter(title=title).first()
        if topic is None:
            topic = services.topic_propose(by=office, title=title, unit=units[unit_name])
            if status != Topic.Status.PROPOSED:
                topic = services.topic_decide(topic=topic, by=office, status=status, reason=reason)
        topics[title] = topic
    return topics


def seed_meeting(
    spec: MeetingSpec,
    *,
    today: dt.date,
    users: dict[str, User],
    units: dict[str, Unit],
    topics: dict[str, Topic],
) -> bool:
    if Meeting.objects.filter(title=spec.title).exists():
        return False
    office = users["office"]
    day = _weekday(today - dt.timedelta(days=spec.days_ago))
    chair = Person.objects.filter(name="韦国平").first()
    meeting = services.meeting_create(
        kind=spec.kind,
        title=spec.title,
        starts_at=_at(day, 15),
        ends_at=_at(day, 17),
        place=spec.place,
        by=office,
        chair=chair if spec.kind != Kind.OFFICE else None,
    )
    for title in spec.topics:
        services.topic_schedule(topic=topics[title], meeting=meeting, by=office)
    for item in spec.items:
        services.agenda_item_create(
            meeting=meeting, by=office, title=item.title, presenter=item.presenter
        )
    clerk = office.person
    if spec.kind == Kind.OFFICE and clerk is not None:
        # The office's clerk sits in (列席) and keeps the minutes.
        services.meeting_invite(meeting=meeting, by=office, people=[clerk])
    if spec.days_ago <= 0:
        return True
    absent = dict(spec.absent)

    def status(attendance: Attendance) -> str:
        if attendance.person.name in absent:
            return Status.ABSENT
        if clerk is not None and attendance.person_id == clerk.pk and spec.kind == Kind.OFFICE:
            return Status.OBSERVER
        return Status.PRESENT

    services.attendance_record(
        meeting=meeting,
        by=office,
        rows=[
            services.AttendanceRow(
                person_id=a.person_id, status=status(a), reason=absent.get(a.person.name, "")
            )
            for a in meeting.attendances.select_related("person")
        ],
    )
    agenda = list(meeting.agenda_items.order_by("position"))
    services.minutes_write(
        meeting=meeting,
        by=office,
        opening=spec.opening,
        items={a.pk: (i.discussion, i.decision) for a, i in zip(agenda, spec.items, strict=True)},
    )
    for agenda_item, item in zip(agenda, spec.items, strict=True):
        for follow in item.follow_ups:
            _seed_follow_up(agenda_item, follow, day, users, units)
    if spec.minutes in {"awaiting", "issued"}:
        document = services.minutes_submit(meeting=meeting, by=office)
        if spec.minutes == "issued":
            document = documents.document_sign(document=document, by=users["incharge"])
            document = documents.document_issue(document=document, by=office)
            # The receiver runs after commit; seed_demo runs in one transaction (and the
            # tests in theirs), so meet the minutes deadline here as the receiver would.
            documents.document_backed_issued(document=document)
            # The first demo login among those it was sent to has acknowledged receipt.
            recipients = set(document.recipients.values_list("person_id", flat=True))
            for username in ("leader", "incharge", "member", "office"):
                if users[username].person_id in recipients:
                    documents.document_acknowledge(document=document, by=users[username])
                    break
    return True


def _seed_follow_up(
    agenda_item: object,
    spec: FollowUpSpec,
    day: dt.date,
    users: dict[str, User],
    units: dict[str, Unit],
) -> None:
    office = users["office"]
    unit = units[spec.unit]
    item = services.follow_up_create(
        agenda_item=agenda_item,  # type: ignore[arg-type]
        by=office,
        task=spec.task,
        owner_unit=unit,
        due=day + dt.timedelta(days=spec.due_days),
    )
    reporter = users["commissioner"] if spec.unit == "机电工程学院党总支" else office
    if spec.unit == "经济管理学院党总支":
        reporter = users["commissioner2"]
    if spec.state in {"in_progress", "reported", "closed"}:
        services.follow_up_update(
            item=item, by=reporter, text="已部署落实，正在推进。", status="in_progress"
        )
    if spec.state in {"reported", "closed"}:
        services.follow_up_update(
            item=item, by=reporter, text="已按要求完成，相关材料已报送办公室。", status="reported"
        )
    if spec.state == "closed":
        services.follow_up_close(item=item, by=office, note="经核实，已按期完成。")


def seed(units: dict[str, Unit]) -> str:
    """Seed the topic pool and a year of meetings; a one-line summary."""
    today = timezone.localdate()
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    topics = seed_topics(users, units)
    made = sum(
        seed_meeting(spec, today=today, users=users, units=units, topics=topics)
        for spec in MEETINGS
    )
    return f"会议：新增 {made} 次（含纪要、督办事项），议题 {len(topics)} 个。"


# The branches' follow-up deadlines (the ACTION_ITEM rule) in every colour of the light:
# one met, one waived, one with an extension request waiting for a leader. -------------


@dataclass(frozen=True)
class DemoItem:
    unit: str  # responsible unit, also the subject
    title: str
    workdays: int  # due date: this many working days from today (negative: overdue)
    then: str = ""  # "met", "waived", "extension"


ITEMS: tuple[DemoItem, ...] = (
    DemoItem("机电工程学院党总支", "报送党外代表人士信息更新表", -4),
    DemoItem("经济管理学院党总支", "落实领导小组全体会议关于统战联络员调整的决定", 2),
    DemoItem("信息工程学院党总支", "组织党外知识分子座谈会并报送情况", 25),
    DemoItem("艺术设计学院党总支", "提交统战工作经验交流材料", 8, then="met"),
    DemoItem("国际商务学院党总支", "报送留学归国人员联谊会筹备方案", 12, then="waived"),
    DemoItem("机电工程学院", "完成党外代表人士队伍建设调研报告", 3, then="extension"),
)


def seed_action_deadlines(units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> None:
    """Idempotent: every step leaves a deadline already in its state alone."""
    calendar = WorkdayCalendar()
    for spec in ITEMS:
        unit = units[spec.unit]
        due = calendar.add_workdays(today, spec.workdays).date if spec.workdays else today
        deadline = deadline_open(
            rule=ACTION_ITEM, subject=unit, title=spec.title, due=due, responsible_unit=unit
        )
        if spec.then == "met":
            deadline_meet(rule=ACTION_ITEM, subject=unit, by=logins["office"])
        elif spec.then == "waived" and not deadline.is_closed:
            deadline_waive(
                deadline=deadline, by=logins["office"], reason="上级通知本年度该项工作暂缓开展"
            )
        elif spec.then == "extension" and not deadline.extension_requests.exists():
            deadline_extend_request(
                deadline=deadline,
                by=logins["commissioner"],
                requested_due=calendar.add_workdays(due, 10).date,
                reason="调研涉及的党外代表人士多在外地参加培训，需延后座谈。",
            )


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry)."""
    summary = seed(units)
    seed_action_deadlines(units, logins, today)
    return summary

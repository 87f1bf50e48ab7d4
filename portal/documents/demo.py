"""Demo documents for `seed_demo`: issued documents of both levels (so a new user sees
real PDFs), a draft, and documents waiting for each signer. Idempotent: keyed on the
title; an existing document is left as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.documents import services
from portal.documents.models import Document
from portal.models import Unit, User

OFFICE_PLAN = """为深入贯彻落实习近平总书记关于加强和改进统一战线工作的重要思想，全面落实中央和
自治区党委关于统一战线的重大决策部署，进一步明确职责要求，完善制度举措，不断提升我院统一战线工作
水平，结合实际，制定本方案。

一、组织机构

学院党委完善统一战线工作领导小组，由党委书记和院长担任组长，党员院级领导担任副组长，党委（院长）
办公室、宣传部、组织部、统战部、人事处、学生工作部、后勤管理处、国际交流处、工会、团委、信息网络
中心等相关部门负责人及各党总支书记担任成员。领导小组下设办公室，办公室设在统战部，承担领导小组的
日常事务。

各党总支履行基层党组织统战工作主体责任，党总支设统战委员，具体抓好统战工作。

二、办公室职责任务

（一）学习贯彻。学习贯彻习近平总书记关于加强和改进统一战线工作的重要思想，学习贯彻统一战线有关法
律法规。

（二）协调推动。贯彻落实上级党委的决策部署以及领导小组的要求，协调推动各成员单位落实统一战线有关
方针政策。

（三）文稿起草。制定领导小组工作要点，研究起草全院统一战线工作规划、重要政策、规范性文件以及有关
文稿。

（四）督办落实。检查督办领导小组各项会议形成的决定、意见和工作部署的贯彻落实，及时向领导小组报告
情况。

三、工作制度

（一）工作部署制度。每年收集议题，筹备召开1至2次以上领导小组全体会议，每学期召开1次以上办公室会
议，根据工作需要不定期召开专题会议，每次会议形成纪要报审印发。每年1月15日前向上级统一战线工作领
导小组汇报上一年工作，每年1至3月起草领导小组工作要点报审印发。领导小组重要政策文件呈报组长签发，
一般文件由分管统战工作的小组领导签发。

（二）调研指导制度。领导小组办公室建立调研指导联系点，加强与各成员单位的日常联系。每年开展1次贯
彻落实情况的调研指导，调研指导结束后1个月内形成报告报领导小组。

（三）述职评议制度。组织各成员单位向领导小组报告贯彻落实《工作要点》和履职情况，领导小组办公室按
“前5后3”原则进行点评，按照“优秀、良好、合格”三个档次进行测评，测评结果单独书面反馈。

（四）谈心谈话制度。组织领导小组成员每年和重点联系的党外代表人士谈心谈话1次以上，有关情况可以简
报形式公布。

（五）督促检查制度。督促检查结束后于20个工作日内形成督查报告，呈领导小组组长和副组长审阅，及时形
成书面意见反馈被督促检查单位，督促限期整改。

四、工作要求

各成员单位要认真贯彻落实领导小组的决定、意见和工作部署，明确责任，细化措施，狠抓落实，确保领导小组各项决策部署落实落细。"""

TALKS_NOTICE = """根据学院统一战线工作领导小组谈心谈话制度，现就做好2026年度领导小组成员与党外代
表人士谈心谈话工作通知如下。

一、谈话对象

领导小组成员每年与本人重点联系的党外代表人士谈心谈话1次以上。

二、谈话方式

可采取“一对一”个别谈心，也可视情举行小范围“一对多”的集体谈心，或通过专题谈心、走访谈心、临时约谈
、日常谈话等方式进行。

三、工作要求

（一）做好记录。谈话结束后请及时在平台“联系交友”栏目中登记谈话情况。

（二）按时反馈。请各党总支于6月30日前将本单位谈心谈话情况报送领导小组办公室。"""

HALF_YEAR_NOTICE = """为做好2026年上半年统战工作总结，请各成员单位于7月10日前报送上半年统战工作
情况。

一、报送内容

贯彻落实领导小组工作要点情况、主要做法和成效、存在的问题和下一步打算。

二、报送方式

通过平台提交，同时报送盖章扫描件。"""

RESEARCH_NOTICE = """根据领导小组调研指导制度，领导小组办公室定于2026年5月开展年度调研指导。

一、调研内容

各单位贯彻落实习近平总书记关于加强和改进统一战线工作的重要思想和上级党委统战工作重大决策部署情况。

二、工作安排

调研组将走访各调研指导联系点，请各单位做好汇报准备。"""

LIAISON_RULES = """为加强统战工作联络员队伍建设，发挥联络员在联系服务党外人士中的作用，制定本办法。

一、选配条件

每个部门选配统战工作联络员1名，原则上从党外人士中选配；无合适人选的，可选配有海外留学经历的35岁
以下青年教师；仍无合适人选的，选配青年党员教师。

二、主要职责

（一）联系服务。经常联系本部门党外人士，了解思想动态，反映意见建议。

（二）信息报送。及时报送本部门统战工作信息和党外人士的意见建议。

三、管理考核

领导小组办公室每年对联络员履职情况进行考核，考核结果作为评先评优的参考。"""


@dataclass(frozen=True)
class DemoDocument:
    kind: str
    title: str
    body: str
    stage: str  # draft / awaiting / issued
    addressee: str = "各党总支，各部门"
    cc: str = ""
    acknowledged_by: tuple[str, ...] = field(default=())


DEMO_DOCUMENTS = (
    DemoDocument(
        "policy",
        "关于进一步加强统一战线工作领导小组办公室建设的方案",
        OFFICE_PLAN,
        "issued",
        cc="学院党委，学院纪委",
        acknowledged_by=("commissioner",),
    ),
    DemoDocument(
        "notice",
        "关于做好2026年度党外代表人士谈心谈话工作的通知",
        TALKS_NOTICE,
        "issued",
        addressee="各党总支，领导小组各成员",
        acknowledged_by=("commissioner2",),
    ),
    DemoDocument("notice", "关于报送2026年上半年统战工作情况的通知", HALF_YEAR_NOTICE, "draft"),
    DemoDocument("notice", "关于开展2026年度统战工作调研指导的通知", RESEARCH_NOTICE, "awaiting"),
    DemoDocument("policy", "统一战线工作联络员管理办法（试行）", LIAISON_RULES, "awaiting"),
)


def seed_documents() -> int:
    """Create the demo documents that do not exist yet; returns how many were made."""
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    office = users["office"]
    signers = {"policy": users["leader"], "notice": users["incharge"]}
    branches = list(Unit.objects.filter(kind=Unit.Kind.BRANCH, is_active=True))
    made = 0
    for spec in DEMO_DOCUMENTS:
        if Document.objects.filter(title=spec.title).exists():
            continue
        document = services.document_create(
            kind=spec.kind,
            title=spec.title,
            body=spec.body,
            addressee=spec.addressee,
            cc=spec.cc,
            by=office,
            recipient_units=branches,
        )
        made += 1
        if spec.stage == "draft":
            continue
        services.document_submit(document=document, by=office)
        if spec.stage == "awaiting":
            continue
        services.document_sign(document=document, by=signers[spec.kind])
        services.document_issue(document=document, by=office)
        for username in spec.acknowledged_by:
            services.document_acknowledge(document=document, by=users[username])
    return made


def seed_demo(*, units: dict[str, Unit], logins: dict[str, User], today: dt.date) -> str:
    """``seed_demo``'s entry point (found through the app registry)."""
    return f"演示公文：新增 {seed_documents()} 份（已印发、待签发和草稿）。"

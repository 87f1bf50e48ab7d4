"""The groups app's part of the access matrix: the records its URLs need (built for
branch B, so commissioner B is inside and commissioner A outside), the URLs, and a
fingerprint of every table its pages could write."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import (
    BranchCommissioner,
    GroupMembership,
    LeadingGroup,
    Office,
    OfficeMember,
    ProgressReport,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
)
from groups.uploads import build_xlsx
from portal.models import Person, Unit, User

TERM_START = dt.date(2024, 3, 1)
PDF = b"%PDF-1.4\n% evidence\n"


class RepeatableUpload:
    """A file the test client can post again and again (it reads it on every request)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    def read(self, *args: object) -> bytes:
        return self.data


ROSTER_FILE = RepeatableUpload(
    "roster.xlsx",
    build_xlsx(
        title="名册",
        headers=("类别", "单位", "姓名", "职务", "开始日期", "结束日期", "备注"),
        rows=[["成员", "党委统战部", "office-人员", "统战部部长", dt.date(2024, 3, 1), None, ""]],
        widths=(10,) * 7,
    ),
)
ITEMS_FILE = RepeatableUpload(
    "items.xlsx",
    build_xlsx(
        title="工作要点",
        headers=("部分", "事项", "内容", "牵头部门", "配合部门"),
        rows=[["一、越权部分", "越权事项", "越权内容", "党委统战部", ""]],
        widths=(10,) * 5,
    ),
)


def targets(unit: Unit, person: Person) -> dict[str, int]:
    """The records of branch B the groups URLs point at, made once per test."""
    group = LeadingGroup.objects.filter(term_start=TERM_START).first()
    if group is None:
        ufw = Unit.objects.get(name="党委统战部")
        group = services.leading_group_start_term(term_start=TERM_START, office_unit=ufw)
        services.group_membership_start(
            person=person,
            role=GroupMembership.Role.MEMBER,
            unit=unit,
            post="党总支书记",
            start_date=TERM_START,
        )
        services.branch_commissioner_appoint(branch=unit, person=person, start_date=TERM_START)
        plan = services.work_points_create(year=timezone.localdate().year)
        section = services.work_points_section_create(plan=plan, title="以政治建设为统领")
        services.work_points_section_create(plan=plan, title="落实决策部署")
        item = services.work_points_item_create(
            section=section, title="持续强化政治引领", body="引导党外人士……", lead_unit=unit
        )
        services.work_points_item_create(
            section=section, title="开展条例宣贯学习", body="组织学习……", lead_unit=unit
        )
        services.progress_report_create(
            item=item,
            unit=unit,
            author=None,
            text="已完成一半",
            percent=50,
            evidence=SimpleUploadedFile("佐证.pdf", PDF, "application/pdf"),
        )
    plan = WorkPoints.objects.get()
    item = plan.items.order_by("number").first()
    assert item is not None
    # The first item has a report; deleting it would be refused anyway, so the item
    # URLs point at the second, unreported one where a delete or a move would succeed.
    item = plan.items.order_by("number").last()
    assert item is not None
    return {
        "year": plan.year,
        "section": plan.sections.get(position=2).pk,  # the empty second one
        "item": item.pk,
        "report": ProgressReport.objects.get().pk,
        "commissioner": BranchCommissioner.objects.get().pk,
    }


def url(name: str, unit: Unit, person: Person) -> str:
    ids = targets(unit, person)
    if name == "group_seat_end":
        return reverse(name, args=["commissioner", ids["commissioner"]])
    if name in {"work_points_evidence"}:
        return reverse(name, args=[ids["report"]])
    if name.startswith("work_points_section_") and name != "work_points_section_create":
        return reverse(name, args=[ids["section"]])
    if name == "work_points_item" or (
        name.startswith("work_points_item_") and name != "work_points_item_create"
    ):
        return reverse(name, args=[ids["item"]])
    if name == "work_points_report_create":
        return reverse(name, args=[ids["item"]])
    if name in {"work_points_index", "work_points_create", "work_points_template"}:
        return reverse(name)
    if name.startswith("work_points_"):
        return reverse(name, args=[ids["year"]])
    return reverse(name)


def fingerprint() -> tuple[object, ...]:
    """Row counts and the fields the groups pages change, history included."""
    models = [
        LeadingGroup,
        Office,
        GroupMembership,
        OfficeMember,
        BranchCommissioner,
        WorkPoints,
        WorkPointsSection,
        WorkPointsItem,
        ProgressReport,
    ]
    counts: list[object] = [m.objects.count() for m in models]
    counts += [m.history.count() for m in models]
    counts.append(User.groups.through.objects.count())
    counts.append(tuple(GroupMembership.objects.order_by("pk").values_list("end_date", flat=True)))
    counts.append(
        tuple(BranchCommissioner.objects.order_by("pk").values_list("end_date", flat=True))
    )
    counts.append(
        tuple(WorkPointsItem.objects.order_by("pk").values_list("number", "title", "section_id"))
    )
    counts.append(tuple(WorkPointsSection.objects.order_by("pk").values_list("position", "title")))
    counts.append(tuple(WorkPoints.objects.order_by("pk").values_list("title", "preamble")))
    return tuple(counts)


# Valid data for each groups form, built from the records above: posted by a role that
# may not, it must change nothing (and posted by the office, it would change something).


def _ids(unit: Unit, person: Person) -> dict[str, int]:
    return targets(unit, person)


PAYLOADS = {
    "group_seat_create": lambda unit, person: {
        "category": "office_member",
        "person": person.pk,
        "post": "党总支副书记",
        "start_date": "2024-03-01",
    },
    "group_seat_end": lambda unit, person: {"end_date": "2026-01-31"},
    "group_term_create": lambda unit, person: {"term_start": "2026-09-01", "basis": "越权"},
    "group_roster_import": lambda unit, person: {"file": ROSTER_FILE},
    "group_roster_import_confirm": lambda unit, person: {"token": "x"},
    "work_points_create": lambda unit, person: {"year": 2031, "title": "越权", "preamble": ""},
    "work_points_update": lambda unit, person: {"title": "越权改名", "preamble": "越权"},
    "work_points_import": lambda unit, person: {"file": ITEMS_FILE},
    "work_points_import_confirm": lambda unit, person: {"token": "x"},
    "work_points_section_create": lambda unit, person: {"title": "越权部分"},
    "work_points_section_update": lambda unit, person: {"title": "越权改名"},
    "work_points_section_move": lambda unit, person: {"direction": "up"},
    "work_points_section_delete": lambda unit, person: {},
    "work_points_item_create": lambda unit, person: {
        "section": _ids(unit, person)["section"],
        "title": "越权事项",
        "body": "越权内容",
        "lead_unit": unit.pk,
    },
    "work_points_item_update": lambda unit, person: {
        "section": _ids(unit, person)["section"],
        "title": "越权改名",
        "body": "越权内容",
        "lead_unit": unit.pk,
    },
    "work_points_item_move": lambda unit, person: {"direction": "up"},
    "work_points_item_delete": lambda unit, person: {},
    "work_points_report_create": lambda unit, person: {
        "percent": 80,
        "text": "越权报告",
        "evidence": RepeatableUpload("越权.pdf", PDF),
    },
}

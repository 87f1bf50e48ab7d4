"""Every URL of the project, requested as every role.

The URL patterns come from the real URLconf, so a new page cannot escape: a pattern
missing from EXPECTED fails the test, and so does one whose path parameters nobody said
how to fill (URL_ARGS) or whose form nobody gave a valid POST for (PAYLOADS). Each app
declares its pages in its own block below (see docs/architecture.md, "Quality gates");
the machinery is in tests/matrix.py.

The table's outcomes: 200, LOGIN (a redirect to the login page), 403, 404 (a record
outside the role's scope), or another status the page answers with (302, 405).
`deputy` and `in_charge` answer as `leader` unless an entry names them. EXPECTED says
what a GET answers; a view that takes only POST (a sign-off button's target, answering
GET with 405) says in POST_EXPECTED what posting its payload answers, e.g. 302.
The admin site (its own permission system) is checked through its index page only.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import resolve
from django.utils import timezone

from groups import imports
from groups import services as groups_services
from groups.models import GroupMembership
from portal import imports as parking
from portal import services
from portal.deadlines.models import Notification
from portal.deadlines.services import deadline_extend_request, deadline_open
from portal.documents import pdf as paper
from portal.documents import services as documents
from portal.documents.models import Document
from portal.exportjobs.services import export_job_run, export_job_start
from portal.models import Person, PoliticalStatus
from portal.spreadsheets import SheetRow, build_xlsx
from reports import services as reports_services
from tests import matrix
from tests.conftest import PASSWORD, build_org, client_for, shared_by_module
from tests.matrix import (
    CORE_PERSONAS,
    FORBIDDEN,
    LOGIN,
    PERSONAS,
    Outcome,
    Outcomes,
    Payload,
    UrlArgs,
    World,
    WorldPart,
    allowed_personas,
    changed_tables,
    client_as,
    every,
    expected_outcome,
    fingerprint,
    forbidden_personas,
    is_html,
    outcome_of,
    path_parameters,
    project_patterns,
    response_text,
    scan,
    unchanged_since,
    url_for,
    writes,
)

# The shifted legs skip it (Makefile); one worker builds its world once; coverage does
# not trace its walks (they repeat every page for every role: a third of the suite's
# time, traced, for lines the apps' own tests reach).
pytestmark = [
    pytest.mark.dateless,
    pytest.mark.xdist_group("access_matrix"),
    pytest.mark.no_cover,
]

ALL: Outcomes = every(200) | {"anon": LOGIN}
ROLES_ONLY: Outcomes = ALL | {"outsider": 403}
OFFICE_ONLY: Outcomes = every(403) | {"anon": LOGIN, "office": 200}
IN_SCOPE_B: Outcomes = ROLES_ONLY | {"commissioner_a": 404}

EXPECTED: dict[str, Outcomes] = {}  # URL name -> outcome per persona
URL_ARGS: dict[str, UrlArgs] = {}  # URL name -> its path parameters, from the world
PAYLOADS: dict[str, Payload] = {}  # URL name -> a valid POST (it succeeds for a role allowed)
POST_EXPECTED: dict[str, Outcomes] = {}  # POST-only URL name -> outcome of posting its payload
NO_PAYLOAD: set[str] = set()  # POST targets that store nothing (language, logout)
DOWNLOADS: set[str] = set()  # URL names that answer with a file to save, not a page
INLINE_FILES: set[str] = set()  # URL names that answer with a file shown inline (an image)
WORLD_PARTS: list[WorldPart] = []  # builders of the records the URLs point at

# Who may see the sensitive data of `world.person`, a non-party figure of unit B.
SENSITIVE_VIEWERS = {"office"}
SENSITIVE_MARKERS = ("台盟盟员", "新加坡国立大学访问学者", "评审意见甲", "评审意见乙")


# portal: organisation, working-day calendar, accounts -----------------------------------


def _organisation(world: World) -> None:
    world.unit = world.org.branch_b
    world.year = 2027
    person = services.person_save(
        person=Person(),
        fields={
            "name": "经管乙",
            "unit": world.unit,
            "gender": Person.Gender.FEMALE,
            "political_status": PoliticalStatus.TDSGL,
            "overseas_study": True,
            "overseas_detail": "新加坡国立大学访问学者",
            "note": "评审意见甲",
        },
        by=world.org.office,
    )
    # A second version, so the history pages show the note changing.
    world.person = services.person_save(
        person=person, fields={"note": "评审意见乙"}, by=world.org.office
    )


WORLD_PARTS.append(_organisation)

# The appointment roles (a liaison, a publicity member) open the home page, their to-dos
# and inbox, and the deadlines that name them (none of the world's: 404).
APPOINTED: Outcomes = {"liaison": 200, "publicity": 200}
APPOINTED_POST: Outcomes = {"liaison": 302, "publicity": 302}
EXPECTED |= {
    "home": ROLES_ONLY | APPOINTED,
    "unit_list": ROLES_ONLY,
    "unit_export": ROLES_ONLY,  # the list's own units (scoped), as Excel
    "unit_create": OFFICE_ONLY,
    "unit_detail": IN_SCOPE_B,
    "unit_update": OFFICE_ONLY,
    "unit_history": IN_SCOPE_B,
    "person_list": ROLES_ONLY,
    "person_export": ROLES_ONLY,  # sensitive cells row by row, as the person page
    "person_create": OFFICE_ONLY | {"commissioner_a": 200, "commissioner_b": 200},
    "person_detail": IN_SCOPE_B,
    "person_update": OFFICE_ONLY | {"commissioner_a": 404, "commissioner_b": 200},
    "person_history": IN_SCOPE_B,
    "sensitive_view_list": OFFICE_ONLY,
    "sensitive_view_export": OFFICE_ONLY,  # the log, as Excel
    "lockout_list": OFFICE_ONLY,
    "lockout_export": OFFICE_ONLY,  # the lockouts, as Excel
    "lockout_reset": every(405),
    "workday_calendar": ROLES_ONLY,
    "workday_year_detail": ROLES_ONLY,
    "workday_year_edit": OFFICE_ONLY,
    "login": every(302) | {"anon": 200},
    "logout": every(405),  # logging out is a POST
    "password_change": ALL,
    "password_change_done": ALL,
    "set_language": every(302),  # GET only redirects back
    "healthz": every(200),
}
POST_EXPECTED |= {
    "logout": every(LOGIN),  # everyone ends on the login page
    "lockout_reset": OFFICE_ONLY | {"office": 302},
}
# (Unlocking writes only axes' own tables, which the fingerprint leaves out as volatile:
# tests/test_security.py checks it.)
NO_PAYLOAD |= {"logout", "set_language", "lockout_reset"}

URL_ARGS |= {
    "unit_detail": lambda w: {"pk": w.unit.pk},
    "unit_update": lambda w: {"pk": w.unit.pk},
    "unit_history": lambda w: {"pk": w.unit.pk},
    "person_detail": lambda w: {"pk": w.person.pk},
    "person_update": lambda w: {"pk": w.person.pk},
    "person_history": lambda w: {"pk": w.person.pk},
    "workday_year_detail": lambda w: {"year": w.year},
    "workday_year_edit": lambda w: {"year": w.year},
}

PAYLOADS |= {
    "unit_create": lambda w: {
        "name": "新建的单位",
        "kind": "department",
        "sort_order": 1,
        "is_active": "on",
    },
    "unit_update": lambda w: {"name": "改名的单位", "kind": "branch", "sort_order": 1},
    "person_create": lambda w: {
        "name": "新来的人",
        "unit": w.unit.pk,
        "gender": "m",
        "political_status": "masses",
        "overseas_study": "on",
        "overseas_detail": "2015—2016 英国爱丁堡大学访问学者",
        "is_active": "on",
    },
    "person_update": lambda w: {
        "name": "改名的人",
        "unit": w.unit.pk,
        "gender": "m",
        "political_status": "non_party",
        "overseas_study": "on",
        "overseas_detail": "2015—2016 英国爱丁堡大学访问学者",
        "is_active": "on",
    },
    "workday_year_edit": lambda w: {
        "notice": "国办发明电〔2026〕1号",
        "schedule": "2027-01-01 休 元旦",
    },
    "login": lambda w: {"username": w.org.office.username, "password": PASSWORD},
    "password_change": lambda w: {
        "old_password": PASSWORD,
        "new_password1": "Tongzhan-2026!",
        "new_password2": "Tongzhan-2026!",
    },
}


# documents: the workflow of official documents (portal/documents) ------------------------


RENDER_PDF = paper.html_to_pdf
_WORLD_PDF: list[bytes] = []


def _world_pdf(html: str) -> bytes:
    """The world's issued document keeps the PDF rendered for the first world built:
    WeasyPrint takes 0.2 s a document and the matrix builds its world some 300 times.
    No test here reads the PDF's text; tests/test_documents_pdf.py does."""
    if not _WORLD_PDF:
        _WORLD_PDF.append(RENDER_PDF(html))
    return _WORLD_PDF[0]


def _documents(world: World) -> None:
    """Unit B's documents, drafted by its commissioner, one in each state a page acts on."""
    org, unit = world.org, world.unit
    clerk = org.commissioner_b

    def unit_draft(title: str, kind: str = "notice") -> Document:
        return documents.document_create(
            kind=kind, title=title, body="正文。", by=clerk, recipient_units=[unit]
        )

    def text_file() -> SimpleUploadedFile:
        return SimpleUploadedFile("名单.txt", "名单内容".encode())

    # Issued (a general notice, signed by the leader in charge) and sent to unit B.
    issued = unit_draft("经济管理学院谈心谈话情况的报告")
    documents.document_attach(document=issued, by=clerk, file=text_file())
    documents.document_submit(document=issued, by=clerk)
    documents.document_pass(document=issued, by=world.org.office)
    documents.document_sign(document=issued, by=org.in_charge)
    with mock.patch.object(paper, "html_to_pdf", _world_pdf):
        world.document = documents.document_issue(document=issued, by=world.org.office)
    world.attachment = world.document.attachments.get()
    world.series = world.document.series
    # Drafts: one to edit and attach to, one to submit (the escaping test posts both).
    world.document_draft = unit_draft("经济管理学院草稿")
    world.draft_attachment = documents.document_attach(
        document=world.document_draft, by=clerk, file=text_file()
    )
    world.draft_to_submit = unit_draft("经济管理学院待报审的草稿")
    # Submitted: the office reviews it.
    world.in_review = documents.document_submit(document=unit_draft("经济管理学院报审稿"), by=clerk)
    # Important: awaits the group leader's signature (or delegation to a deputy).
    awaiting = documents.document_submit(
        document=unit_draft("经济管理学院统战工作实施办法", kind="policy"), by=clerk
    )
    world.awaiting = documents.document_pass(document=awaiting, by=world.org.office)
    # Awaiting signature, delegated by the group leader to a deputy (who has not signed).
    delegated = documents.document_submit(
        document=unit_draft("经济管理学院统战工作考核办法", kind="policy"), by=clerk
    )
    documents.document_pass(document=delegated, by=world.org.office)
    world.delegated = documents.document_delegate(
        document=delegated, by=world.org.leader, to=world.org.deputy
    )
    # Signed: the office numbers and issues it.
    signed = documents.document_submit(document=unit_draft("经济管理学院通知"), by=clerk)
    documents.document_pass(document=signed, by=world.org.office)
    world.signed = documents.document_sign(document=signed, by=org.in_charge)


WORLD_PARTS.append(_documents)
DOWNLOADS |= {"document_pdf", "document_attachment", "unit_export", "person_export"}
DOWNLOADS |= {"lockout_export", "document_series_export"}


# portal.exportjobs: exports prepared in the background -----------------------------------


def _export_jobs(world: World) -> None:
    # The office's job, done: its file is the office's alone (others: 404).
    job = export_job_start(key="units", querystring="", by=world.org.office)
    export_job_run(job_id=job.pk)
    world.export_job = job


WORLD_PARTS.append(_export_jobs)
# An appointed role (a liaison, a publicity member) exports the deadlines list too.
OWNER_ONLY: Outcomes = every(404) | {
    "anon": LOGIN,
    "outsider": 403,
    "office": 200,
    "liaison": 404,
    "publicity": 404,
}
EXPECTED |= {
    "export_job_list": ROLES_ONLY | APPOINTED,  # the user's own jobs
    "export_job_create": every(405)
    | {"anon": LOGIN, "outsider": 403}
    | dict.fromkeys(APPOINTED, 405),
    "export_job_detail": OWNER_ONLY,
    "export_job_status": OWNER_ONLY,
    "export_job_download": OWNER_ONLY,
}
URL_ARGS |= {
    "export_job_detail": lambda w: {"pk": w.export_job.pk},
    "export_job_status": lambda w: {"pk": w.export_job.pk},
    "export_job_download": lambda w: {"pk": w.export_job.pk},
}
PAYLOADS |= {"export_job_create": lambda w: {"key": "units", "query": "kind=branch"}}
# The units may not be exported by an appointed role: its POST is refused.
POST_EXPECTED |= {"export_job_create": every(302) | {"anon": LOGIN, "outsider": 403}}
DOWNLOADS |= {"export_job_download"}
EXPECTED |= {"document_export": ROLES_ONLY, "deadline_export": ROLES_ONLY | APPOINTED}
DOWNLOADS |= {
    "document_export",
    "deadline_export",
    "meeting_export",
    "follow_up_export",
    "topic_export",
    "liaison_export",
    "sensitive_view_export",
}

# Sent to unit B: the office, every leader and unit B's commissioner see it.
ISSUED_TO_B: Outcomes = IN_SCOPE_B | {"member": 404}
# A unit's draft: its drafters only; the office sees it once submitted.
UNIT_DRAFT: Outcomes = every(404) | {"anon": LOGIN, "outsider": 403, "commissioner_b": 302}
# Steps only the office takes; the unit's commissioner sees the document but may not.
OFFICE_STEP: Outcomes = every(404) | {
    "anon": LOGIN,
    "outsider": 403,
    "office": 302,
    "commissioner_b": 403,
}
# The group leader signs an important document; the office and its drafter see it and
# may not; the deputy and the leader in charge do not see it (404).
GROUP_LEADER_STEP: Outcomes = every(404) | {
    "anon": LOGIN,
    "outsider": 403,
    "office": 403,
    "commissioner_b": 403,
    "leader": 302,
    "deputy": 404,
    "in_charge": 404,
}
EXPECTED |= {
    "document_list": ROLES_ONLY,
    "document_create": OFFICE_ONLY | {"commissioner_a": 200, "commissioner_b": 200},
    "document_detail": ISSUED_TO_B,
    "document_history": ISSUED_TO_B,
    "document_pdf": ISSUED_TO_B,
    "document_attachment": ISSUED_TO_B,
    "document_update": every(403)
    | {"anon": LOGIN, "office": 404, "commissioner_a": 404, "commissioner_b": 200},
    "document_issue": OFFICE_ONLY,
    "document_submit": every(405),
    "document_pass": every(405),
    "document_return": every(405),
    "document_delegate": every(405),
    "document_delegation_revoke": every(405),
    "document_sign": every(405),
    "document_acknowledge": every(405),
    "document_revise": every(405),
    "document_attach": every(405),
    "document_detach": every(405),
    # Public: a printed copy is checked without logging in.
    "document_verify_lookup": every(200),
    "document_verify": every(200),
    "document_series_list": OFFICE_ONLY,
    "document_series_export": OFFICE_ONLY,  # the series with this year's numbers, as Excel
    "document_series_update": OFFICE_ONLY,
}
POST_EXPECTED |= {
    "document_submit": UNIT_DRAFT,
    "document_attach": UNIT_DRAFT,
    "document_detach": UNIT_DRAFT,
    "document_pass": OFFICE_STEP,
    "document_return": OFFICE_STEP,
    "document_sign": GROUP_LEADER_STEP,
    "document_delegate": GROUP_LEADER_STEP,
    # The deputy it was delegated to sees the document (and may not revoke: 403).
    "document_delegation_revoke": GROUP_LEADER_STEP | {"deputy": 403},
    # Unit B's commissioner signs for the unit; the office and the leaders see the
    # document but it was not sent to them.
    "document_acknowledge": ISSUED_TO_B | {"office": 403, "leader": 403, "commissioner_b": 302},
    "document_revise": ISSUED_TO_B | {"office": 302, "leader": 403, "commissioner_b": 403},
}
# Checking an uploaded copy against the official file's SHA-256 stores nothing.
NO_PAYLOAD |= {"document_verify"}

URL_ARGS |= {
    "document_detail": lambda w: {"pk": w.document.pk},
    "document_history": lambda w: {"pk": w.document.pk},
    "document_pdf": lambda w: {"pk": w.document.pk},
    "document_attachment": lambda w: {"pk": w.document.pk, "attachment_pk": w.attachment.pk},
    "document_acknowledge": lambda w: {"pk": w.document.pk},
    "document_revise": lambda w: {"pk": w.document.pk},
    "document_update": lambda w: {"pk": w.document_draft.pk},
    "document_attach": lambda w: {"pk": w.document_draft.pk},
    "document_detach": lambda w: {
        "pk": w.document_draft.pk,
        "attachment_pk": w.draft_attachment.pk,
    },
    "document_submit": lambda w: {"pk": w.draft_to_submit.pk},
    "document_pass": lambda w: {"pk": w.in_review.pk},
    "document_return": lambda w: {"pk": w.in_review.pk},
    "document_sign": lambda w: {"pk": w.awaiting.pk},
    "document_delegate": lambda w: {"pk": w.awaiting.pk},
    "document_delegation_revoke": lambda w: {"pk": w.delegated.pk},
    "document_issue": lambda w: {"pk": w.signed.pk},
    "document_verify": lambda w: {"code": w.document.verification_code},
    "document_series_update": lambda w: {"pk": w.series.pk},
}

PAYLOADS |= {
    "document_create": lambda w: {
        "kind": "notice",
        "title": "关于报送统战工作信息的通知",
        "addressee": "各党总支",
        "body": "请于月底前报送。",
        "cc": "",
        "recipient_units": [w.unit.pk],
    },
    "document_update": lambda w: {
        "title": "经济管理学院改过的草稿",
        "addressee": "领导小组办公室",
        "body": "改过的正文。",
        "cc": "",
    },
    "document_issue": lambda w: {"recipient_units": [w.unit.pk]},
    "document_submit": lambda w: {},
    "document_pass": lambda w: {"comment": "审核通过"},
    "document_return": lambda w: {"comment": "请补充谈话人数"},
    "document_delegate": lambda w: {"to": w.org.deputy.pk, "note": "出差期间委托"},
    "document_delegation_revoke": lambda w: {"note": "已返校，由本人签发"},
    "document_sign": lambda w: {"opinion": "同意印发"},
    "document_acknowledge": lambda w: {},
    "document_revise": lambda w: {},
    "document_attach": lambda w: {"file": SimpleUploadedFile("补充.txt", "补充内容".encode())},
    "document_detach": lambda w: {},
    "document_series_update": lambda w: {
        "name": "办公室发文",
        "prefix": "X统办发",
        "header": "统一战线工作领导小组办公室文件",
        "signing_unit": "统一战线工作领导小组办公室",
        "printed_by": "学院党委统战部",
    },
}


# groups: the leading group, its roster, the work points ----------------------------------

GROUPS_TERM_START = dt.date(2024, 3, 1)
EVIDENCE_PDF = b"%PDF-1.4\n% evidence\n"


class RepeatableUpload:
    """A file the test client can post again and again (it reads it on every request),
    for payloads posted by one persona after another."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    def read(self, *args: object) -> bytes:
        return self.data


def _roster_row(w: World) -> list[object]:
    """The office clerk as the UFW department's member of the group."""
    clerk = w.org.office.person
    assert clerk is not None
    return ["成员", w.org.ufw_dept.name, clerk.name, "统战部部长", "2024-03-01"]


def _item_row(w: World) -> list[object]:
    return ["一、以政治建设为统领", "持续强化政治引领", "引导党外人士……", w.unit.name, ""]


def _sheet_rows(headers: tuple[str, ...], row: list[object]) -> list[SheetRow]:
    """One data row as the import reads it from a sheet with these headers."""
    return [SheetRow(line=2, cells={h: str(v) for h, v in zip(headers, row, strict=False)})]


def _groups(world: World) -> None:
    """A term with `world.person` as a member for unit B and as its commissioner; this
    year's plan, whose items unit B leads (the first reported on, with evidence), and
    next year's draft; a roster and an item list parked by the office for confirmation."""
    today = timezone.localdate()
    groups_services.leading_group_start_term(
        by=world.org.office,
        term_start=GROUPS_TERM_START,
        office_unit=world.org.ufw_dept,
        basis="院委〔2024〕3号",
    )
    groups_services.group_membership_start(
        by=world.org.office,
        person=world.person,
        role=GroupMembership.Role.MEMBER,
        unit=world.unit,
        post="党总支书记",
        start_date=GROUPS_TERM_START,
    )
    world.commissioner = groups_services.branch_commissioner_appoint(
        by=world.org.office, branch=world.unit, person=world.person, start_date=GROUPS_TERM_START
    )
    world.plan = groups_services.work_points_create(by=world.org.office, year=today.year)
    first = groups_services.work_points_section_create(
        by=world.org.office, plan=world.plan, title="以政治建设为统领"
    )
    # The second section stays empty, so that deleting or moving it succeeds.
    world.section = groups_services.work_points_section_create(
        by=world.org.office, plan=world.plan, title="落实决策部署"
    )
    reported = groups_services.work_points_item_create(
        by=world.org.office,
        section=first,
        title="持续强化政治引领",
        body="引导党外人士……",
        lead_unit=world.unit,
    )
    # The item URLs point at an unreported one, which may be deleted.
    world.item = groups_services.work_points_item_create(
        by=world.org.office,
        section=first,
        title="开展条例宣贯学习",
        body="组织学习……",
        lead_unit=world.unit,
    )
    world.report = groups_services.progress_report_create(
        item=reported,
        unit=world.unit,
        by=world.org.office,
        text="已完成一半",
        percent=50,
        evidence=SimpleUploadedFile("佐证.pdf", EVIDENCE_PDF, "application/pdf"),
    )
    world.draft = groups_services.work_points_create(by=world.org.office, year=today.year + 1)
    world.roster_token = parking.parked_import_create(
        user=world.org.office,
        kind="roster",
        rows=_sheet_rows(imports.ROSTER_HEADERS, _roster_row(world)),
        filename="名册.xlsx",
    )
    world.items_token = parking.parked_import_create(
        user=world.org.office,
        kind=f"items-{world.draft.year}",
        rows=_sheet_rows(imports.ITEM_HEADERS, _item_row(world)),
        filename="工作要点.xlsx",
    )


WORLD_PARTS.append(_groups)

# Only a responsible unit (unit B leads the items) and the office report progress.
REPORTERS: Outcomes = OFFICE_ONLY | {"commissioner_b": 200}
POST_OFFICE: Outcomes = OFFICE_ONLY | {"office": 302}  # the outcome of a POST-only action

EXPECTED |= {
    "group_org": ROLES_ONLY,
    "group_roster": ROLES_ONLY,
    "group_roster_export": ROLES_ONLY,
    "group_roster_import": OFFICE_ONLY,
    "group_roster_import_confirm": every(405),
    "group_roster_template": OFFICE_ONLY,
    "group_seat_create": OFFICE_ONLY,
    "group_seat_end": OFFICE_ONLY,
    "group_term_create": OFFICE_ONLY,
    "work_points_index": ROLES_ONLY,
    "work_points_create": OFFICE_ONLY,
    "work_points_template": OFFICE_ONLY,
    "work_points_detail": ROLES_ONLY,
    "work_points_edit": OFFICE_ONLY,
    "work_points_update": OFFICE_ONLY,
    "work_points_text": ROLES_ONLY,
    "work_points_summary": ROLES_ONLY,
    "work_points_export": ROLES_ONLY,
    "work_points_import": OFFICE_ONLY,
    "work_points_import_confirm": every(405),
    "work_points_section_create": OFFICE_ONLY,
    "work_points_section_update": OFFICE_ONLY,
    "work_points_section_move": every(405),
    "work_points_section_delete": every(405),
    "work_points_item_create": OFFICE_ONLY,
    "work_points_item": ROLES_ONLY,
    "work_points_item_update": OFFICE_ONLY,
    "work_points_item_move": every(405),
    "work_points_item_delete": every(405),
    "work_points_report_create": REPORTERS,
    "work_points_evidence": IN_SCOPE_B,
}
DOWNLOADS |= {
    "group_roster_export",
    "group_roster_template",
    "work_points_export",
    "work_points_template",
    "work_points_evidence",
}
POST_EXPECTED |= {
    # An upload answers with its preview (the rows parked for the confirmation).
    "group_roster_import": OFFICE_ONLY,
    "work_points_import": OFFICE_ONLY,
    "group_roster_import_confirm": POST_OFFICE,
    "work_points_import_confirm": POST_OFFICE,
    "work_points_section_move": POST_OFFICE,
    "work_points_section_delete": POST_OFFICE,
    "work_points_item_move": POST_OFFICE,
    "work_points_item_delete": POST_OFFICE,
}
URL_ARGS |= {
    "group_seat_end": lambda w: {"kind": "commissioner", "pk": w.commissioner.pk},
    "group_roster_import_confirm": lambda w: {"token": w.roster_token},
    **{
        name: lambda w: {"year": w.plan.year}
        for name in (
            "work_points_detail",
            "work_points_edit",
            "work_points_update",
            "work_points_text",
            "work_points_summary",
            "work_points_export",
            "work_points_section_create",
            "work_points_item_create",
        )
    },
    # An import replaces the items: it goes to next year's draft, which has no reports.
    "work_points_import": lambda w: {"year": w.draft.year},
    "work_points_import_confirm": lambda w: {"year": w.draft.year, "token": w.items_token},
    **{
        name: lambda w: {"pk": w.section.pk}
        for name in (
            "work_points_section_update",
            "work_points_section_move",
            "work_points_section_delete",
        )
    },
    **{
        name: lambda w: {"pk": w.item.pk}
        for name in (
            "work_points_item",
            "work_points_item_update",
            "work_points_item_move",
            "work_points_item_delete",
            "work_points_report_create",
        )
    },
    "work_points_evidence": lambda w: {"pk": w.report.pk},
}
PAYLOADS |= {
    "group_seat_create": lambda w: {
        "category": "office_member",
        "person": w.person.pk,
        "unit": w.unit.pk,
        "post": "党总支副书记",
        "start_date": "2024-03-01",
    },
    "group_seat_end": lambda w: {"end_date": "2026-01-31"},
    "group_term_create": lambda w: {"term_start": "2026-09-01", "basis": "院委〔2026〕12号"},
    "group_roster_import": lambda w: {
        "file": RepeatableUpload(
            "名册.xlsx",
            build_xlsx(
                title="名册",
                headers=imports.ROSTER_HEADERS[:5],
                rows=[_roster_row(w)],
                widths=(10,) * 5,
            ),
        )
    },
    "group_roster_import_confirm": lambda w: {},
    "work_points_create": lambda w: {"year": 2031, "title": "2031年统战工作要点", "preamble": ""},
    "work_points_update": lambda w: {"title": "统战工作要点（修改稿）", "preamble": "为深入贯彻……"},
    "work_points_import": lambda w: {
        "file": RepeatableUpload(
            "工作要点.xlsx",
            build_xlsx(
                title="工作要点",
                headers=imports.ITEM_HEADERS,
                rows=[_item_row(w)],
                widths=(10,) * len(imports.ITEM_HEADERS),
            ),
        )
    },
    "work_points_import_confirm": lambda w: {},
    "work_points_section_create": lambda w: {"title": "加强自身建设"},
    "work_points_section_update": lambda w: {"title": "落实上级决策部署"},
    "work_points_section_move": lambda w: {"direction": "up"},
    "work_points_section_delete": lambda w: {},
    "work_points_item_create": lambda w: {
        "section": w.section.pk,
        "title": "加强队伍建设",
        "body": "举办统战干部培训班。",
        "lead_unit": w.unit.pk,
    },
    "work_points_item_update": lambda w: {
        "section": w.section.pk,
        "title": "开展条例宣贯学习",
        "body": "组织专题学习。",
        "lead_unit": w.unit.pk,
    },
    "work_points_item_move": lambda w: {"direction": "up"},
    "work_points_item_delete": lambda w: {},
    "work_points_report_create": lambda w: {
        "unit": w.unit.pk,
        "percent": 80,
        "text": "已开展两次专题学习。",
        "evidence": RepeatableUpload("佐证.pdf", EVIDENCE_PDF),
    },
}


# portal.deadlines: deadlines, extension requests, the inbox ------------------------------


def _deadlines(world: World) -> None:
    """Two follow-up items of unit B, due in a month: one about `world.person` with
    nothing pending (the pages to waive it or ask for an extension show their forms),
    one with commissioner B's extension request pending (leaders decide it; asking
    them created a message in each leader's inbox). The office has an unread reminder."""
    due = timezone.localdate() + dt.timedelta(days=30)
    world.deadline = deadline_open(
        rule="action_item",
        subject=world.person,
        title="走访经管乙",
        due=due,
        responsible_unit=world.unit,
    )
    requested = deadline_open(
        rule="action_item",
        subject=world.unit,
        title="报送联谊会名单",
        due=due,
        responsible_unit=world.unit,
    )
    world.extension = deadline_extend_request(
        deadline=requested,
        by=world.org.commissioner_b,
        requested_due=due + dt.timedelta(days=30),
        reason="等待学院党委会研究",
    )
    world.message = Notification.objects.create(
        recipient=world.org.office,
        kind=Notification.Kind.REMINDER,
        title="期限提醒：走访经管乙",
        items=[
            {
                "text": "督办事项：走访经管乙，还有21个工作日",
                "url": world.deadline.get_absolute_url(),
                "level": "green",
                "lines": [],
            }
        ],
        url=world.deadline.get_absolute_url(),
    )


WORLD_PARTS.append(_deadlines)

EXPECTED |= {
    "deadline_list": ROLES_ONLY | APPOINTED,
    # The office and leaders see every deadline; others those they answer for.
    "deadline_detail": IN_SCOPE_B | {"member": 404, "liaison": 404, "publicity": 404},
    "deadline_waive": OFFICE_ONLY,
    # Only the responsible unit asks for an extension.
    "deadline_extension_request": IN_SCOPE_B
    | {"member": 404, "office": 403, "leader": 403, "liaison": 404, "publicity": 404},
    # The group leader and the leader in charge decide; not the deputies.
    "deadline_extension_decide": every(403) | {"anon": LOGIN, "leader": 200, "in_charge": 200},
    "inbox": ROLES_ONLY | APPOINTED,
    "inbox_read": every(405) | {"anon": LOGIN, "outsider": 403} | dict.fromkeys(APPOINTED, 405),
    "inbox_read_all": every(405) | {"anon": LOGIN, "outsider": 403} | dict.fromkeys(APPOINTED, 405),
}
# A message is marked read by its recipient only (the office's, here); marking all read
# marks one's own, whoever one is.
POST_EXPECTED |= {
    "inbox_read": every(404)
    | {"anon": LOGIN, "outsider": 403, "office": 302}
    | dict.fromkeys(APPOINTED, 404),
    "inbox_read_all": every(302) | {"anon": LOGIN, "outsider": 403} | APPOINTED_POST,
}

URL_ARGS |= {
    "deadline_detail": lambda w: {"pk": w.deadline.pk},
    "deadline_waive": lambda w: {"pk": w.deadline.pk},
    "deadline_extension_request": lambda w: {"pk": w.deadline.pk},
    "deadline_extension_decide": lambda w: {"pk": w.extension.pk},
    "inbox_read": lambda w: {"pk": w.message.pk},
}

PAYLOADS |= {
    "deadline_waive": lambda w: {"reason": "上级通知本年度不再报送"},
    "deadline_extension_request": lambda w: {
        "requested_due": (w.deadline.due + dt.timedelta(days=14)).isoformat(),
        "reason": "需等学院党委会研究",
    },
    "deadline_extension_decide": lambda w: {"decision": "approve", "note": "同意"},
    "inbox_read": lambda w: {},
    "inbox_read_all": lambda w: {},
}

# meetings: meetings, the topic pool, minutes, follow-up items -----------------------------


def _meetings(world: World) -> None:
    """A plenary meeting this week with `world.person` invited (a member for unit B), held,
    with two agenda items (the first decided, with a follow-up item of unit B), a material,
    and minutes not yet submitted; a topic proposed by unit B."""
    from meetings import services as meetings_services
    from meetings.models import Attendance as MeetingAttendance
    from meetings.models import Meeting

    start = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    office = world.org.office
    # An address, so that sending the invitation has someone to write to.
    Person.objects.filter(pk=world.person.pk).update(email="jingguan@example.edu.cn")
    world.meeting = meetings_services.meeting_create(
        kind=Meeting.Kind.PLENARY,
        title="领导小组全体会议",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="行政楼会议室",
        by=office,
        chair=world.person,
    )
    assert office.person is not None
    meetings_services.meeting_invite(meeting=world.meeting, by=office, people=[office.person])
    world.agenda_item = meetings_services.agenda_item_create(
        meeting=world.meeting, by=office, title="研究年度工作要点"
    )
    world.spare_item = meetings_services.agenda_item_create(
        meeting=world.meeting, by=office, title="其他事项"
    )
    meetings_services.minutes_write(
        meeting=world.meeting,
        by=office,
        opening="",
        items={
            world.agenda_item.pk: ("讨论", "原则通过。"),
            world.spare_item.pk: ("", "同意。"),
        },
    )
    meetings_services.attendance_record(
        meeting=world.meeting,
        by=office,
        rows=[
            meetings_services.AttendanceRow(
                person_id=world.person.pk, status=MeetingAttendance.Status.PRESENT
            )
        ],
    )
    world.follow_up = meetings_services.follow_up_create(
        agenda_item=world.agenda_item,
        by=office,
        task="完成党外人士信息更新",
        owner_unit=world.unit,
        due=timezone.localdate() + dt.timedelta(days=30),
    )
    world.material = meetings_services.material_attach(
        meeting=world.meeting,
        by=office,
        file=SimpleUploadedFile("材料.pdf", EVIDENCE_PDF, "application/pdf"),
    )
    world.topic = meetings_services.topic_propose(by=world.org.commissioner_b, title="联谊会换届")


WORLD_PARTS.append(_meetings)


def _attendance_payload(w: World) -> dict[str, str]:
    """The member for unit B on leave, the office clerk represented by a colleague."""
    absent = w.meeting.attendances.get(person=w.person)
    represented = w.meeting.attendances.get(person=w.org.office.person)
    return {
        f"status_{absent.pk}": "absent",
        f"reason_{absent.pk}": "出差",
        f"represented_{absent.pk}": "",
        f"status_{represented.pk}": "represented",
        f"reason_{represented.pk}": "",
        f"represented_{represented.pk}": "办公室副主任",
    }


def _meeting_payload(w: World) -> dict[str, str]:
    return {
        "kind": "office",
        "title": "办公室会议",
        "starts_at": "2026-05-08T15:00",
        "ends_at": "2026-05-08T17:00",
        "place": "统战部会议室",
        "chair": "",
        "notes": "",
    }


# Units and members propose topics; the leaders review, they do not propose.
PROPOSERS: Outcomes = ROLES_ONLY | {"leader": 403}
# The owner unit (B) reports on its follow-up item, and the office.
FOLLOW_UP_REPORTERS: Outcomes = every(403) | {
    "anon": LOGIN,
    "office": 302,
    "commissioner_a": 404,
    "commissioner_b": 302,
}

EXPECTED |= {
    "meeting_list": ROLES_ONLY,
    "meeting_create": OFFICE_ONLY,
    "meeting_detail": ROLES_ONLY,
    "meeting_edit": OFFICE_ONLY,
    "meeting_attendance": OFFICE_ONLY,
    "meeting_agenda_add": every(405),
    "meeting_material_add": every(405),
    "meeting_invite": every(405),
    "meeting_ics": ROLES_ONLY,
    "minutes_edit": OFFICE_ONLY,
    "minutes_submit": every(405),
    "agenda_item_move": every(405),
    "agenda_item_delete": every(405),
    "follow_up_create": OFFICE_ONLY,
    "meeting_material": ROLES_ONLY,
    "meeting_year": ROLES_ONLY,
    "topic_list": ROLES_ONLY,
    "topic_create": PROPOSERS,
    "topic_decide": OFFICE_ONLY,
    "follow_up_list": ROLES_ONLY,
    "meeting_export": ROLES_ONLY,  # the list's meetings, as Excel
    "follow_up_export": ROLES_ONLY,  # the list's follow-up items (scoped), as Excel
    "topic_export": ROLES_ONLY,  # the list's topics (scoped), as Excel
    "follow_up_detail": IN_SCOPE_B,
    "follow_up_update": every(405),
    "follow_up_close": every(405),
}
DOWNLOADS |= {"meeting_ics", "meeting_material"}
POST_EXPECTED |= {
    "meeting_agenda_add": POST_OFFICE,
    "meeting_material_add": POST_OFFICE,
    "meeting_invite": POST_OFFICE,
    "minutes_submit": POST_OFFICE,
    "agenda_item_move": POST_OFFICE,
    "agenda_item_delete": POST_OFFICE,
    "follow_up_update": FOLLOW_UP_REPORTERS,
    "follow_up_close": POST_OFFICE,
}
URL_ARGS |= {
    **{
        name: lambda w: {"pk": w.meeting.pk}
        for name in (
            "meeting_detail",
            "meeting_edit",
            "meeting_attendance",
            "meeting_agenda_add",
            "meeting_material_add",
            "meeting_invite",
            "meeting_ics",
            "minutes_edit",
            "minutes_submit",
        )
    },
    "agenda_item_move": lambda w: {"pk": w.agenda_item.pk},
    "agenda_item_delete": lambda w: {"pk": w.spare_item.pk},
    "follow_up_create": lambda w: {"pk": w.agenda_item.pk},
    "meeting_material": lambda w: {"pk": w.material.pk},
    "meeting_year": lambda w: {"year": timezone.localdate(w.meeting.starts_at).year},
    "topic_decide": lambda w: {"pk": w.topic.pk},
    **{
        name: lambda w: {"pk": w.follow_up.pk}
        for name in ("follow_up_detail", "follow_up_update", "follow_up_close")
    },
}
PAYLOADS |= {
    "meeting_create": _meeting_payload,
    "meeting_edit": _meeting_payload,
    "meeting_attendance": _attendance_payload,
    "meeting_agenda_add": lambda w: {"title": "通报工作", "presenter": "办公室"},
    "meeting_material_add": lambda w: {"file": RepeatableUpload("议程.pdf", EVIDENCE_PDF)},
    "meeting_invite": lambda w: {},
    "minutes_edit": lambda w: {
        "opening": "会议听取了工作汇报。",
        f"discussion_{w.agenda_item.pk}": "与会同志进行了讨论。",
        f"decision_{w.agenda_item.pk}": "原则通过。",
        f"discussion_{w.spare_item.pk}": "",
        f"decision_{w.spare_item.pk}": "同意。",
    },
    "minutes_submit": lambda w: {},
    "agenda_item_move": lambda w: {"direction": "down"},
    "agenda_item_delete": lambda w: {},
    "follow_up_create": lambda w: {
        "task": "报送落实情况",
        "owner_unit": w.unit.pk,
        "due": "2026-12-31",
    },
    "topic_create": lambda w: {"title": "加强党外知识分子工作", "description": "建议研究"},
    "topic_decide": lambda w: {"status": "accepted", "reason": ""},
    "follow_up_update": lambda w: {"status": "in_progress", "text": "正在落实"},
    "follow_up_close": lambda w: {"note": "经核实已完成"},
}


# groups: work points through the documents workflow, the year-end export ----------------

# Every drafting plan with items shows the office its “提交审核” button; the payload goes
# to a plan of its own (the year after next, one item led by unit B), so that submitting
# it leaves `world.plan` editable for the other forms. The year-end view
# (`work_points_summary`) is in the groups block.


def _work_points_documents(world: World) -> None:
    world.to_submit = groups_services.work_points_create(
        by=world.org.office, year=world.plan.year + 2
    )
    section = groups_services.work_points_section_create(
        by=world.org.office, plan=world.to_submit, title="总体部署"
    )
    groups_services.work_points_item_create(
        by=world.org.office, section=section, title="谋划全年工作", body="……", lead_unit=world.unit
    )


WORLD_PARTS.append(_work_points_documents)
EXPECTED |= {
    "work_points_submit": every(405),
    "work_points_year_end_export": ROLES_ONLY,
}
DOWNLOADS |= {"work_points_year_end_export"}
POST_EXPECTED |= {"work_points_submit": POST_OFFICE}
URL_ARGS |= {
    "work_points_submit": lambda w: {"year": w.to_submit.year},
    "work_points_year_end_export": lambda w: {"year": w.plan.year},
}
PAYLOADS |= {"work_points_submit": lambda w: {}}


# reports: the annual report --------------------------------------------------------------


def _reports(world: World) -> None:
    """This year's annual report, drafting, with a first section written (so that it may
    be submitted) and `world.plan` to fill a section from."""
    world.annual = reports_services.annual_report_create(year=world.plan.year, by=world.org.office)
    first = world.annual.sections.order_by("position").first()
    reports_services.annual_report_update(
        report=world.annual,
        title=world.annual.title,
        addressee=world.annual.addressee,
        sections={first.pk: {"heading": first.heading, "body": "一年来，统战工作稳步推进。"}},
        by=world.org.office,
    )


def _annual_edit_payload(w: World) -> dict[str, object]:
    data: dict[str, object] = {"title": "统一战线工作情况汇报", "addressee": "上级党委统战部"}
    for section in w.annual.sections.all():
        data |= {f"heading_{section.pk}": section.heading, f"body_{section.pk}": "全年工作……"}
    return data


WORLD_PARTS.append(_reports)
READERS_OFFICE_LEADERS: Outcomes = OFFICE_ONLY | {"leader": 200}
EXPECTED |= {
    "annual_report_list": READERS_OFFICE_LEADERS,
    "annual_report_export": READERS_OFFICE_LEADERS,
    "annual_report_create": OFFICE_ONLY,
    "annual_report_detail": READERS_OFFICE_LEADERS,
    "annual_report_edit": OFFICE_ONLY,
    "annual_report_section_add": every(405),
    "annual_report_fill": every(405),
    "annual_report_fill_all": every(405),
    "annual_report_submit": every(405),
}
POST_EXPECTED |= {
    "annual_report_section_add": POST_OFFICE,
    "annual_report_fill": POST_OFFICE,
    "annual_report_fill_all": POST_OFFICE,
    "annual_report_submit": POST_OFFICE,
}
URL_ARGS |= {
    **{
        name: lambda w: {"year": w.annual.year}
        for name in (
            "annual_report_detail",
            "annual_report_edit",
            "annual_report_section_add",
            "annual_report_fill_all",
            "annual_report_submit",
        )
    },
    "annual_report_fill": lambda w: {"year": w.annual.year, "source": "work_points"},
}
PAYLOADS |= {
    "annual_report_create": lambda w: {"year": 2031, "title": "2031年统一战线工作情况汇报"},
    "annual_report_edit": _annual_edit_payload,
    "annual_report_section_add": lambda w: {"heading": "意见建议"},
    "annual_report_fill": lambda w: {},
    "annual_report_fill_all": lambda w: {},
    "annual_report_submit": lambda w: {},
}
DOWNLOADS |= {"annual_report_export"}


# reports: the inspection self-report (督查汇报提纲) -----------------------------------------


def _self_report(world: World) -> None:
    """`world.self_report`: a self-report on the plan's year, its last part written (so
    that it may be submitted) and `world.plan` to fill the outline from."""
    world.self_report = reports_services.self_report_create(
        year=world.plan.year,
        inspection="关于做好统战工作专项督查准备工作的通知",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        by=world.org.office,
    )
    last = world.self_report.sections.get(source="next")
    reports_services.annual_report_section_add(
        report=world.self_report, heading="附件", by=world.org.office
    )
    reports_services.self_report_update(
        report=world.self_report,
        title=world.self_report.title,
        addressee=world.self_report.addressee,
        inspection=world.self_report.inspection,
        due_on=world.self_report.due_on,
        opening=world.self_report.opening,
        sections={last.pk: {"heading": last.heading, "body": "下一步，我们将……"}},
        by=world.org.office,
    )


def _self_report_edit_payload(w: World) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "统一战线工作情况汇报提纲",
        "addressee": "督查组",
        "inspection": "专项督查",
        "due_on": w.self_report.due_on.isoformat(),
        "opening": "各位领导：",
    }
    for section in w.self_report.sections.all():
        data |= {f"heading_{section.pk}": section.heading, f"body_{section.pk}": "……"}
    return data


WORLD_PARTS.append(_self_report)
EXPECTED |= {
    "self_report_list": READERS_OFFICE_LEADERS,
    "self_report_export": READERS_OFFICE_LEADERS,
    "self_report_create": OFFICE_ONLY,
    "self_report_detail": READERS_OFFICE_LEADERS,
    "self_report_edit": OFFICE_ONLY,
    "self_report_section_add": every(405),
    "self_report_fill": every(405),
    "self_report_submit": every(405),
}
POST_EXPECTED |= {
    "self_report_section_add": POST_OFFICE,
    "self_report_fill": POST_OFFICE,
    "self_report_submit": POST_OFFICE,
}
URL_ARGS |= {
    name: lambda w: {"pk": w.self_report.pk}
    for name in (
        "self_report_detail",
        "self_report_edit",
        "self_report_section_add",
        "self_report_fill",
        "self_report_submit",
    )
}
PAYLOADS |= {
    "self_report_create": lambda w: {
        "inspection": "专项督查",
        "year": 2031,
        "due_on": "2031-11-20",  # after any instant the suite runs at
    },
    "self_report_edit": _self_report_edit_payload,
    "self_report_section_add": lambda w: {"heading": "意见建议"},
    "self_report_fill": lambda w: {},
    "self_report_submit": lambda w: {},
}
DOWNLOADS |= {"self_report_export"}


# outreach: the register of non-party figures ---------------------------------------------


def _outreach_figures(world: World) -> None:
    """`world.figure`: the register's profile of `world.person` (a figure of unit B with
    sensitive data), paired with a leader who is none of the personas, so that the
    office alone of them may see the sensitive data."""
    from outreach.models import (
        Figure,
        FriendshipPair,
        OverseasRecord,
        PublicPosition,
        SensitiveProfile,
    )
    from tests.factories import PersonFactory

    world.figure = Figure.objects.create(
        person=world.person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=timezone.localdate(),
    )
    SensitiveProfile.objects.create(figure=world.figure, opinions="评审意见乙")
    world.pair_leader = PersonFactory(
        name="结对领导丁", unit=world.org.ufw_dept, political_status=PoliticalStatus.CPC
    )
    FriendshipPair.objects.create(
        leader=world.pair_leader, figure=world.figure, start_date=timezone.localdate()
    )
    world.position = PublicPosition.objects.create(
        figure=world.figure,
        kind="npc_deputy",
        level="city",
        title="市人大代表",
        term_start=timezone.localdate(),
    )
    world.overseas = OverseasRecord.objects.create(
        figure=world.figure, kind="study", country="新加坡", degree="doctor"
    )
    world.unregistered = PersonFactory(
        name="未登记者", unit=world.unit, political_status=PoliticalStatus.NON_PARTY
    )


WORLD_PARTS.append(_outreach_figures)


# --- learning ---
def _outreach_learning(world: World) -> None:
    """`world.cadre`: `world.figure` in the cadre reserve with a training record and its
    certificate (`world.training`); `world.candidate`: a figure of unit B not in it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.models import Figure
    from outreach.services import learning
    from tests.factories import PersonFactory

    today = timezone.localdate()
    world.cadre = learning.reserve_add(
        figure=world.figure, added_on=today, assessment="考察意见丙", by=world.org.office
    )
    world.training = learning.training_record_add(
        person=world.person,
        course="自治区党外干部培训班",
        level="region",
        organiser="自治区党委统战部",
        start_on=today,
        end_on=today,
        certificate=SimpleUploadedFile("证书.pdf", b"%PDF-1.4 certificate"),
        by=world.org.office,
    )
    world.candidate = Figure.objects.create(
        person=PersonFactory(
            name="后备候选", unit=world.unit, political_status=PoliticalStatus.NON_PARTY
        ),
        category=Figure.Category.NON_PARTY_INTELLECTUAL,
        registered_on=today,
    )


WORLD_PARTS.append(_outreach_learning)


# --- study ---
def _outreach_study(world: World) -> None:
    """`world.study`: an online push with material reaching `world.person` (unit B) and
    the `leader` persona (who may confirm it); `world.five_one`: a "五个一" of
    `world.figure` with its evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.services import study

    today = timezone.localdate()
    reader = world.org.leader.person_id
    assert reader is not None
    world.study = study.study_create(
        kind="online",
        title="统战理论学习",
        material="第一段。\n第二段。",
        link="https://intranet.example.edu/study",
        held_on=today,
        confirm_by=today,
        attachment=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 material"),
        audience=study.Audience(extra=[world.person.pk, reader]),
        by=world.org.office,
    )
    world.five_one = study.five_one_record(
        figure=world.figure,
        year=today.year,
        item="book",
        done_on=today,
        title="《统一战线学》",
        evidence=SimpleUploadedFile("读书笔记.pdf", b"%PDF-1.4 notes"),
        by=world.org.office,
    )


WORLD_PARTS.append(_outreach_study)


# --- pairs ---
def _outreach_pairs(world: World) -> None:
    """The `leader` persona paired with `world.pair_figure` (so they may record); a
    contact and a draft talk of `world.pair_leader` with `world.figure`, recorded by the
    office (`world.contact`, `world.talk`): nobody but the office may open those."""
    from outreach.models import Figure, FriendshipPair
    from outreach.services import pairs
    from tests.factories import PersonFactory

    today = timezone.localdate()
    Person.objects.filter(pk__in=[world.org.leader.person_id, world.org.member.person_id]).update(
        political_status=PoliticalStatus.CPC
    )
    world.pair_figure = Figure.objects.create(
        person=PersonFactory(
            name="结对对象戊", unit=world.unit, political_status=PoliticalStatus.NON_PARTY
        ),
        category=Figure.Category.NON_PARTY_INTELLECTUAL,
        registered_on=today,
        is_key_contact=True,
    )
    world.leader_pair = FriendshipPair.objects.create(
        leader=world.org.leader.person, figure=world.pair_figure, start_date=today
    )
    world.contact = pairs.contact_record(
        leader=world.pair_leader,
        figures=[world.figure],
        kind="visit",
        date=today,
        summary="走访情况己",
        by=world.org.office,
    )
    world.talk = pairs.talk_save(
        talk=None,
        leader=world.pair_leader,
        figures=[world.figure],
        mode="one_to_one",
        date=today,
        summary="谈话情况庚",
        by=world.org.office,
    )
    # A talk sent and marked for the briefing, for `briefing_create` to compile.
    marked = pairs.talk_save(
        talk=None,
        leader=world.pair_leader,
        figures=[world.figure],
        mode="topic",
        date=today,
        summary="谈话情况癸",
        by=world.org.office,
    )
    pairs.talk_send(talk=marked, by=world.org.office)
    pairs.talk_brief(talk=marked, briefing=True, by=world.org.office)
    # A second draft for the edit page (the first is sent by `talk_action`'s payload
    # when a test posts every form in turn).
    world.draft_talk = pairs.talk_save(
        talk=None,
        leader=world.pair_leader,
        figures=[world.figure],
        mode="daily",
        date=today,
        summary="谈话情况辛",
        by=world.org.office,
    )


WORLD_PARTS.append(_outreach_pairs)


# --- suggestions ---
def _outreach_suggestions(world: World) -> None:
    """`world.suggestion`: raised by `world.figure`, assigned to unit B (so
    commissioner_b answers it and commissioner_a may not see it)."""
    from outreach.services import suggestions

    world.suggestion = suggestions.suggestion_record(
        title="建议增设青年教师研修经费",
        content="建议内容壬",
        source="direct",
        raised_on=timezone.localdate(),
        figure=world.figure,
        by=world.org.office,
    )
    suggestions.suggestion_assign(
        suggestion=world.suggestion, lead_unit=world.unit, by=world.org.office
    )


WORLD_PARTS.append(_outreach_suggestions)


# --- figures: the register's import ---
def _figure_import_row(w: World) -> list[object]:
    """`world.candidate` (on the register) with a new expertise: an update."""
    return [w.candidate.person.name, w.unit.name, "无党派知识分子", "否", "是", "统计学"]


def _outreach_imports(world: World) -> None:
    from outreach import imports as figure_imports

    world.figures_token = parking.parked_import_create(
        user=world.org.office,
        kind=figure_imports.KIND,
        rows=_sheet_rows(figure_imports.HEADERS, _figure_import_row(world)),
        filename="党外人士.xlsx",
    )


WORLD_PARTS.append(_outreach_imports)
RESERVE: Outcomes = ROLES_ONLY | {"member": 403}
PAIRS: Outcomes = ROLES_ONLY | {"commissioner_a": 403, "commissioner_b": 403}
RECORDERS: Outcomes = PAIRS | {"member": 403, "deputy": 403, "in_charge": 403}
OFFICE_RECORD: Outcomes = PAIRS | {"leader": 404, "member": 404}
# The activity and the figure are of unit B; the leader persona is among its readers.
STUDY: Outcomes = RESERVE | {"commissioner_a": 404, "member": 404, "outsider": 404}
EXPECTED |= {
    # --- figures ---
    "figure_list": ROLES_ONLY,
    "figure_export": ROLES_ONLY,
    "figure_create": OFFICE_ONLY,
    "figure_import": OFFICE_ONLY,
    "figure_import_template": OFFICE_ONLY,
    "figure_import_confirm": every(405),
    "figure_detail": IN_SCOPE_B,
    "figure_edit": OFFICE_ONLY,
    "figure_sensitive_edit": OFFICE_ONLY,
    "position_add": every(405),
    "position_delete": every(405),
    "overseas_add": every(405),
    "overseas_delete": every(405),
    "overseas_list": OFFICE_ONLY,
    "overseas_export": OFFICE_ONLY,
    # --- pairs ---
    "pair_list": PAIRS,
    "pair_export": PAIRS,
    "pair_create": OFFICE_ONLY,
    "pair_end": OFFICE_ONLY,
    "coverage_board": PAIRS,
    "coverage_export": PAIRS,
    "contact_list": PAIRS,
    "contact_export": PAIRS,
    "contact_create": RECORDERS,
    "contact_detail": OFFICE_RECORD,
    "contact_edit": OFFICE_RECORD,
    "talk_list": PAIRS,
    "talk_export": PAIRS,
    "talk_create": RECORDERS,
    "talk_detail": OFFICE_RECORD,
    "talk_edit": OFFICE_RECORD,
    "talk_action": every(405),
    "briefing_create": OFFICE_ONLY,
    # --- suggestions ---
    "suggestion_list": ROLES_ONLY,
    "suggestion_export": ROLES_ONLY,
    "suggestion_create": OFFICE_ONLY,
    "suggestion_detail": ROLES_ONLY | {"commissioner_a": 404, "member": 404},
    "suggestion_step": ROLES_ONLY | {"commissioner_a": 404, "member": 404, "leader": 403},
    # --- learning ---
    "reserve_list": RESERVE,
    "reserve_export": RESERVE,
    "reserve_create": OFFICE_ONLY,
    "reserve_detail": RESERVE | {"commissioner_a": 404},
    "reserve_card": RESERVE | {"commissioner_a": 404},
    "reserve_edit": OFFICE_ONLY,
    "reserve_end": OFFICE_ONLY,
    "training_create": every(405),
    "training_delete": every(405),
    "training_certificate": RESERVE | {"commissioner_a": 404},
    # --- study ---
    "study_list": RESERVE,
    "study_create": OFFICE_ONLY,
    "my_studies": every(200) | {"anon": LOGIN},
    "study_board": RESERVE,
    "study_board_export": RESERVE,
    "study_detail": STUDY,
    "study_attachment": STUDY,
    "study_confirm": every(405),
    "study_record": every(405),
    "five_ones": STUDY,
    "five_one_delete": every(405),
    "five_one_evidence": STUDY,
}
POST_EXPECTED |= {
    # --- figures ---
    "position_add": OFFICE_ONLY | {"office": 302},
    "position_delete": OFFICE_ONLY | {"office": 302},
    "overseas_add": OFFICE_ONLY | {"office": 302},
    "overseas_delete": OFFICE_ONLY | {"office": 302},
    "figure_import": OFFICE_ONLY,  # an upload answers with its preview
    "figure_import_confirm": POST_OFFICE,
    # --- pairs ---
    "talk_action": OFFICE_RECORD | {"office": 302},
    # --- learning ---
    "training_create": OFFICE_ONLY | {"office": 302},
    "training_delete": OFFICE_ONLY | {"office": 302},
    # --- study ---
    # Only a reader confirms: the leader persona; others who see it are refused.
    "study_confirm": STUDY
    | {"office": 403, "leader": 302, "deputy": 403, "in_charge": 403, "commissioner_b": 403},
    "study_record": OFFICE_ONLY | {"office": 302},
    "five_ones": STUDY | {"office": 302, "leader": 403, "commissioner_b": 403},
    "five_one_delete": STUDY | {"office": 302, "leader": 403, "commissioner_b": 403},
}
DOWNLOADS |= {
    # --- figures ---
    "figure_export",
    "overseas_export",
    "figure_import_template",
    # --- pairs ---
    "pair_export",
    "coverage_export",
    "contact_export",
    "talk_export",
    # --- suggestions ---
    "suggestion_export",
    # --- learning ---
    "reserve_export",
    "reserve_card",
    "training_certificate",
    # --- study ---
    "study_board_export",
    "study_attachment",
    "five_one_evidence",
}
URL_ARGS |= {
    # --- figures ---
    "figure_detail": lambda w: {"pk": w.figure.pk},
    "figure_import_confirm": lambda w: {"token": w.figures_token},
    "figure_edit": lambda w: {"pk": w.figure.pk},
    "figure_sensitive_edit": lambda w: {"pk": w.figure.pk},
    "position_add": lambda w: {"pk": w.figure.pk},
    "position_delete": lambda w: {"pk": w.figure.pk, "position": w.position.pk},
    "overseas_add": lambda w: {"pk": w.figure.pk},
    "overseas_delete": lambda w: {"pk": w.figure.pk, "record": w.overseas.pk},
    # --- pairs ---
    "pair_end": lambda w: {"pk": w.leader_pair.pk},
    "contact_detail": lambda w: {"pk": w.contact.pk},
    "contact_edit": lambda w: {"pk": w.contact.pk},
    "talk_detail": lambda w: {"pk": w.talk.pk},
    "talk_edit": lambda w: {"pk": w.draft_talk.pk},
    "talk_action": lambda w: {"pk": w.talk.pk, "action": "send"},
    # --- suggestions ---
    "suggestion_detail": lambda w: {"pk": w.suggestion.pk},
    "suggestion_step": lambda w: {"pk": w.suggestion.pk, "action": "answer"},
    # --- learning ---
    "reserve_detail": lambda w: {"pk": w.cadre.pk},
    "reserve_card": lambda w: {"pk": w.cadre.pk},
    "reserve_edit": lambda w: {"pk": w.cadre.pk},
    "reserve_end": lambda w: {"pk": w.cadre.pk},
    "training_create": lambda w: {"pk": w.cadre.pk},
    "training_delete": lambda w: {"pk": w.cadre.pk, "training": w.training.pk},
    "training_certificate": lambda w: {"training": w.training.pk},
    # --- study ---
    "study_detail": lambda w: {"pk": w.study.pk},
    "study_attachment": lambda w: {"pk": w.study.pk},
    "study_confirm": lambda w: {"pk": w.study.pk},
    "study_record": lambda w: {"pk": w.study.pk},
    "five_ones": lambda w: {"pk": w.figure.pk},
    "five_one_delete": lambda w: {"pk": w.figure.pk, "record": w.five_one.pk},
    "five_one_evidence": lambda w: {"pk": w.figure.pk, "record": w.five_one.pk},
}
PAYLOADS |= {
    # --- figures ---
    "figure_create": lambda w: {
        "person": w.unregistered.pk,
        "category": "non_party_intellectual",
        "registered_on": timezone.localdate().isoformat(),
    },
    "figure_import": lambda w: {
        "file": RepeatableUpload(
            "党外人士.xlsx",
            build_xlsx(
                title="名册",
                headers=[
                    "姓名",
                    "单位",
                    "类别",
                    "党外代表人士",
                    "重点联系对象",
                    "专业特长",
                ],
                rows=[_figure_import_row(w)],
                widths=(10,) * 6,
            ),
        )
    },
    "figure_import_confirm": lambda w: {},
    "figure_edit": lambda w: {
        "category": "other",
        "expertise": "经济学",
        "registered_on": timezone.localdate().isoformat(),
        "is_active": "on",
    },
    "figure_sensitive_edit": lambda w: {
        "affiliation": "改过的党派情况",
        "opinions": "",
        "notes": "",
    },
    "position_add": lambda w: {
        "kind": "cppcc_member",
        "level": "city",
        "title": "第十三届市政协委员",
        "term_start": "2023-01-01",
    },
    "position_delete": lambda w: {},
    "overseas_add": lambda w: {"kind": "study", "country": "英国", "degree": "master"},
    "overseas_delete": lambda w: {},
    # --- pairs ---
    "pair_create": lambda w: {
        "leader": w.org.member.person_id,
        "figure": w.pair_figure.pk,
        "start_date": timezone.localdate().isoformat(),
    },
    "pair_end": lambda w: {"end_date": timezone.localdate().isoformat(), "reason": "工作调整"},
    "contact_create": lambda w: {
        "leader": w.pair_leader.pk,
        "figures": [w.figure.pk],
        "kind": "call",
        "date": timezone.localdate().isoformat(),
        "summary": "电话了解近况",
    },
    "talk_create": lambda w: {
        "leader": w.pair_leader.pk,
        "figures": [w.figure.pk],
        "mode": "topic",
        "date": timezone.localdate().isoformat(),
        "summary": "专题谈心情况",
    },
    "talk_edit": lambda w: {
        "leader": w.pair_leader.pk,
        "figures": [w.figure.pk],
        "mode": "daily",
        "date": timezone.localdate().isoformat(),
        "summary": "改过的谈话情况",
    },
    "talk_action": lambda w: {},
    "contact_edit": lambda w: {
        "place": "学院会议室",
        "participants": "统战部干事",
        "summary": "改过的走访情况",
    },
    "briefing_create": lambda w: {
        "start": timezone.localdate().isoformat(),
        "end": timezone.localdate().isoformat(),
    },
    # --- suggestions ---
    "suggestion_create": lambda w: {
        "title": "关于改善实验室条件的建议",
        "content": "建议学院加大实验室投入。",
        "source": "direct",
        "figure": w.figure.pk,
        "raised_on": timezone.localdate().isoformat(),
    },
    "suggestion_step": lambda w: {"answer": "已纳入明年预算。"},
    # --- learning ---
    "reserve_create": lambda w: {
        "figure": w.candidate.pk,
        "added_on": timezone.localdate().isoformat(),
        "proposed_post": "二级学院副院长",
    },
    "reserve_edit": lambda w: {"proposed_post": "处级", "assessment": "改过的考察意见"},
    "reserve_end": lambda w: {
        "removed_on": timezone.localdate().isoformat(),
        "outcome": "appointed",
    },
    "training_create": lambda w: {
        "course": "校党外干部研修班",
        "level": "college",
        "organiser": "党委统战部",
        "start_on": timezone.localdate().isoformat(),
        "end_on": timezone.localdate().isoformat(),
    },
    "training_delete": lambda w: {},
    # --- study ---
    "study_create": lambda w: {
        "kind": "online",
        "title": "学习新修订的条例",
        "material": "请学习原文。",
        "held_on": timezone.localdate().isoformat(),
        "confirm_by": timezone.localdate().isoformat(),
        "groups": ["figures"],
    },
    "study_confirm": lambda w: {},
    "study_record": lambda w: {
        "row": [r.pk for r in w.study.participants.all()],
        "confirmed": [w.study.participants.get(person=w.person).pk],
    },
    "five_ones": lambda w: {
        "item": "lecture",
        "done_on": timezone.localdate().isoformat(),
        "title": "统一战线理论报告会",
        "note": "",
    },
    "five_one_delete": lambda w: {},
}


# Liaisons --------------------------------------------------------------------------------
# `world.liaison`: the liaison of a school under unit B (in commissioner B's scope), a young
# Party member appointed with a reason; `world.liaison_unit`: a department without one.


def _liaisons(world: World) -> None:
    from liaisons import services as liaison_services
    from portal.models import Unit
    from tests.factories import PersonFactory, UnitFactory

    school = UnitFactory(name="经济管理学院", kind=Unit.Kind.SCHOOL, parent=world.unit)
    teacher = PersonFactory(
        name="青年教师",
        unit=school,
        political_status=PoliticalStatus.CPC,
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 30, day=1),
    )
    world.liaison = liaison_services.liaison_appoint(
        unit=school,
        person=teacher,
        start_date=timezone.localdate(),
        reason="推荐理由丁",
        by=world.org.office,
    )
    world.liaison_unit = UnitFactory(name="国际交流处", kind=Unit.Kind.DEPARTMENT)
    world.liaison_candidate = PersonFactory(
        name="党外教师", unit=world.liaison_unit, political_status=PoliticalStatus.NON_PARTY
    )


WORLD_PARTS.append(_liaisons)
LIAISONS: Outcomes = ROLES_ONLY
LIAISON: Outcomes = ROLES_ONLY | {"commissioner_a": 404}
EXPECTED |= {
    "liaison_list": LIAISONS,
    "liaison_export": LIAISONS,  # the basis row by row, as the person page
    "liaison_appoint": OFFICE_ONLY,
    "liaison_detail": LIAISON,
    "liaison_end": OFFICE_ONLY,
    "liaison_keep": OFFICE_ONLY,
}
URL_ARGS |= {
    "liaison_detail": lambda w: {"pk": w.liaison.pk},
    "liaison_end": lambda w: {"pk": w.liaison.pk},
    "liaison_keep": lambda w: {"pk": w.liaison.pk},
}
PAYLOADS |= {
    "liaison_appoint": lambda w: {
        "unit": w.liaison_unit.pk,
        "person": w.liaison_candidate.pk,
        "start_date": timezone.localdate().isoformat(),
        "reason": "",
    },
    "liaison_end": lambda w: {"end_date": timezone.localdate().isoformat(), "reason": "工作调整"},
    "liaison_keep": lambda w: {"reason": "留任理由"},
}


# `world.liaison_session`: a training session to which `world.liaison` is invited.


def _liaison_sessions(world: World) -> None:
    from liaisons import services as liaison_services

    world.liaison_session = liaison_services.session_record(
        kind="training", title="联络员培训甲", held_on=timezone.localdate(), by=world.org.office
    )


WORLD_PARTS.append(_liaison_sessions)
EXPECTED |= {
    "liaison_session_list": LIAISONS,
    "liaison_session_export": LIAISONS,  # each session with its attendance, as the list
    "liaison_session_create": OFFICE_ONLY,
    "liaison_session_detail": LIAISONS,
    "liaison_session_attendance": every(405),
}
POST_EXPECTED |= {"liaison_session_attendance": POST_OFFICE}
URL_ARGS |= {
    "liaison_session_detail": lambda w: {"pk": w.liaison_session.pk},
    "liaison_session_attendance": lambda w: {"pk": w.liaison_session.pk},
}
PAYLOADS |= {
    "liaison_session_create": lambda w: {
        "kind": "meeting",
        "title": "联络员例会",
        "held_on": timezone.localdate().isoformat(),
    },
    "liaison_session_attendance": lambda w: {
        "attended": [w.liaison_session.attendance.get().pk],
    },
}


# `world.consultation`: unit B's consultation with its draft, filed by commissioner B and
# waiting for the office's answer.


def _consultations(world: World) -> None:
    from liaisons import services as liaison_services

    world.consultation = liaison_services.consultation_file(
        unit=world.unit,
        kind="document",
        title="征求意见甲",
        matter="请提出意见。",
        draft=SimpleUploadedFile("草稿.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=world.org.commissioner_b,
    )


WORLD_PARTS.append(_consultations)
CONSULTATION: Outcomes = ROLES_ONLY | {"commissioner_a": 404, "member": 404}
EXPECTED |= {
    "consultation_list": ROLES_ONLY,
    "consultation_export": ROLES_ONLY,  # the list's scope: a unit's own consultations
    "consultation_create": ROLES_ONLY | {"leader": 403},
    "consultation_detail": CONSULTATION,
    "consultation_draft": CONSULTATION,
    "consultation_step": CONSULTATION | {"leader": 403, "commissioner_b": 403},
}
URL_ARGS |= {
    "consultation_detail": lambda w: {"pk": w.consultation.pk},
    "consultation_draft": lambda w: {"pk": w.consultation.pk},
    "consultation_step": lambda w: {"pk": w.consultation.pk, "action": "answer"},
}
PAYLOADS |= {
    "consultation_create": lambda w: {
        "unit": w.unit.pk,
        "kind": "matter",
        "title": "关于邀请党外人士参加座谈会的意见",
        "matter": "拟邀请党外人士参加座谈会。",
    },
    "consultation_step": lambda w: {"opinion": "同意。"},
}
DOWNLOADS |= {"consultation_draft", "consultation_export", "liaison_session_export"}
DOWNLOADS |= {"liaison_report_export", "liaison_round_export"}


# `world.liaison_report`: the `liaison` persona's report (school A, in commissioner A's
# scope), still due; `world.submitted_report`: the report of `world.liaison` (unit B's
# school), submitted and waiting for the office; both in `world.report_round`, a round the
# office opened; `world.read_report`: that liaison's report in a second round, read.


def _liaison_reports(world: World) -> None:
    from liaisons import services as liaison_services
    from liaisons.models import LiaisonReport

    person = world.org.liaison.person
    assert person is not None
    person.political_status = PoliticalStatus.NON_PARTY
    person.save()
    own = liaison_services.liaison_appoint(
        unit=world.org.school_a, person=person, start_date=timezone.localdate(), by=world.org.office
    )
    world.report_round = liaison_services.round_open(
        title="专题报告甲",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        by=world.org.office,
    )
    world.liaison_report = LiaisonReport.objects.get(round=world.report_round, liaison=own)
    world.submitted_report = liaison_services.report_save(
        report=LiaisonReport.objects.get(round=world.report_round, liaison=world.liaison),
        fields={"views": "思想动态", "issues": "问题"},
        submit=True,
        by=world.org.office,
    )
    second = liaison_services.round_open(
        title="专题报告乙",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        by=world.org.office,
    )
    world.read_report = liaison_services.report_save(
        report=LiaisonReport.objects.get(round=second, liaison=world.liaison),
        fields={"views": "思想动态", "issues": "问题"},
        submit=True,
        by=world.org.office,
    )
    liaison_services.report_read(report=world.read_report, by=world.org.office)


WORLD_PARTS.append(_liaison_reports)
# Those who see reports: the roles, and a liaison (their own only).
REPORTS: Outcomes = ROLES_ONLY | {"liaison": 200}
OWN_REPORT: Outcomes = REPORTS | {"commissioner_b": 404}  # school A: branch A's
UNIT_B_REPORT: Outcomes = REPORTS | {"commissioner_a": 404, "liaison": 404}
EXPECTED |= {
    "liaison_report_list": REPORTS,
    "liaison_report_export": REPORTS,  # the list's reports (scoped), as Excel
    "liaison_round_list": REPORTS,
    "liaison_round_export": REPORTS,  # each round's reports in and expected (scoped), as Excel
    "liaison_round_create": OFFICE_ONLY,
    "liaison_round_edit": OFFICE_ONLY,
    "liaison_report_detail": OWN_REPORT,
    # Writing: the liaison and the office; the others who see it may not.
    "liaison_report_edit": OWN_REPORT | {"leader": 403, "member": 403, "commissioner_a": 403},
    # Reading and returning: the office.
    "liaison_report_step": UNIT_B_REPORT | {"leader": 403, "member": 403, "commissioner_b": 403},
    "liaison_report_follow": OFFICE_ONLY,
}
URL_ARGS |= {
    "liaison_round_edit": lambda w: {"pk": w.report_round.pk},
    "liaison_report_detail": lambda w: {"pk": w.liaison_report.pk},
    "liaison_report_edit": lambda w: {"pk": w.liaison_report.pk},
    "liaison_report_step": lambda w: {"pk": w.submitted_report.pk, "action": "read"},
    "liaison_report_follow": lambda w: {"pk": w.read_report.pk, "kind": "suggestion"},
}
PAYLOADS |= {
    "liaison_round_create": lambda w: {
        "title": "专题报告丙",
        "due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "topic": "",
    },
    "liaison_round_edit": lambda w: {
        "title": "专题报告甲",
        "due_on": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "topic": "",
    },
    "liaison_report_edit": lambda w: {"views": "本单位党外教师关注职称评审。", "send": "1"},
    "liaison_report_step": lambda w: {"note": "已阅"},
    "liaison_report_follow": lambda w: {"title": "t", "content": "c"},
}


# Publicity (宣传制度) ------------------------------------------------------------------------
# The roster: the `publicity` login's person first, then a teacher of unit B (without a
# login); a weekly rhythm from tomorrow, so the turns ahead are assigned.
# `world.publicity_piece`: the `publicity` member's piece waiting for the office's review;
# `world.publicity_draft`: their draft with an image (`world.publicity_image`).
# Leaders read every piece; the office reviews; a publicity member writes and publishes
# their own; everybody else (the liaison too) has no publicity page.


def _publicity(world: World) -> None:
    from liaisons.models import PublicitySlot
    from liaisons.publicity import services as publicity
    from tests.factories import PersonFactory

    org, today = world.org, timezone.localdate()
    writer = org.publicity
    publicity.member_add(person=writer.person, start_date=today, by=org.office)
    teacher = PersonFactory(name="宣传成员乙", unit=world.unit)
    world.publicity_member = publicity.member_add(person=teacher, start_date=today, by=org.office)
    world.publicity_candidate = PersonFactory(name="宣传候选人", unit=world.unit)
    publicity.rhythm_set(every_days=7, first_due=today + dt.timedelta(days=1), by=org.office)
    world.publicity_slot = PublicitySlot.objects.order_by("due_on").first()
    world.publicity_piece = publicity.piece_create(
        title="宣传稿件甲", text="正文甲", channel="wechat", author=writer.person, by=writer
    )
    publicity.piece_submit(piece=world.publicity_piece, by=writer)
    world.publicity_draft = publicity.piece_create(
        title="宣传稿件乙", text="正文乙", channel="website", author=writer.person, by=writer
    )
    world.publicity_image = publicity.image_add(
        piece=world.publicity_draft,
        image=SimpleUploadedFile("照片.png", PUBLICITY_PNG),
        caption="图片说明",
        by=writer,
    )


PUBLICITY_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WORLD_PARTS.append(_publicity)
PUBLICITY_READ: Outcomes = every(403) | {
    "anon": LOGIN,
    "office": 200,
    "leader": 200,
    "publicity": 200,
}
PUBLICITY_WRITE: Outcomes = PUBLICITY_READ | {"leader": 403}
PUBLICITY_POST: Outcomes = PUBLICITY_WRITE | {"office": 302, "publicity": 302}
EXPECTED |= {
    "publicity_piece_list": PUBLICITY_READ,
    "publicity_piece_export": PUBLICITY_READ,  # a member's own pieces and the published ones
    "publicity_piece_create": PUBLICITY_WRITE,
    "publicity_piece_detail": PUBLICITY_READ,
    "publicity_piece_edit": PUBLICITY_WRITE,
    # Approving is the office's: the author gets a 403 (a step they may never take).
    "publicity_piece_step": PUBLICITY_WRITE | {"publicity": 403},
    "publicity_image_add": every(405),
    "publicity_image": PUBLICITY_READ,
    "publicity_image_remove": every(405),
    "publicity_review_open": PUBLICITY_READ | {"office": 302, "leader": 302, "publicity": 302},
    "publicity_rotation": PUBLICITY_READ,
    "publicity_member_add": OFFICE_ONLY,
    "publicity_member_end": OFFICE_ONLY,
    "publicity_member_move": every(405),
    "publicity_rhythm": OFFICE_ONLY,
    "publicity_slot_step": OFFICE_ONLY,
    "publicity_year": PUBLICITY_READ,
}
INLINE_FILES |= {"publicity_image"}
DOWNLOADS |= {"publicity_piece_export"}
POST_EXPECTED |= {
    "publicity_image_add": PUBLICITY_POST,
    "publicity_image_remove": PUBLICITY_POST,
    "publicity_member_move": POST_OFFICE,
}
URL_ARGS |= {
    "publicity_piece_detail": lambda w: {"pk": w.publicity_piece.pk},
    "publicity_piece_edit": lambda w: {"pk": w.publicity_draft.pk},
    "publicity_piece_step": lambda w: {"pk": w.publicity_piece.pk, "action": "approve"},
    "publicity_image_add": lambda w: {"pk": w.publicity_draft.pk},
    "publicity_image": lambda w: {"pk": w.publicity_image.pk},
    "publicity_image_remove": lambda w: {"pk": w.publicity_image.pk},
    "publicity_review_open": lambda w: {"pk": w.publicity_piece.reviews.get().pk},
    "publicity_member_end": lambda w: {"pk": w.publicity_member.pk},
    "publicity_member_move": lambda w: {"pk": w.publicity_member.pk},
    "publicity_slot_step": lambda w: {"pk": w.publicity_slot.pk, "action": "skip"},
}
PAYLOADS |= {
    "publicity_piece_create": lambda w: {
        "author": w.org.publicity.person_id,
        "title": "统战工作动态",
        "text": "正文。",
        "channel": "wechat",
    },
    "publicity_piece_edit": lambda w: {
        "title": "宣传稿件乙（修改）",
        "text": "正文",
        "channel": "media",
    },
    "publicity_piece_step": lambda w: {"comments": "同意发布。"},
    "publicity_image_add": lambda w: {
        "image": SimpleUploadedFile("新照片.png", PUBLICITY_PNG + b"\x01"),
        "caption": "",
    },
    "publicity_image_remove": lambda w: {},
    "publicity_member_add": lambda w: {
        "person": w.publicity_candidate.pk,
        "start_date": timezone.localdate().isoformat(),
    },
    "publicity_member_end": lambda w: {
        "end_date": timezone.localdate().isoformat(),
        "reason": "工作调整",
    },
    "publicity_member_move": lambda w: {"direction": "up"},
    "publicity_rhythm": lambda w: {
        "every_days": 14,
        "first_due": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    },
    "publicity_slot_step": lambda w: {"reason": "假期"},
}


# inspections: rectification (整改) -------------------------------------------------------
# `world.rectification`: unit B's rectification (commissioner B's), two measures pending
# (`world.rect_measure` the first), a progress report with evidence (`world.rect_progress`).


def _rectifications(world: World) -> None:
    from inspections import services as inspection_services

    world.rectification = inspection_services.rectification_assign(
        unit=world.unit,
        source="supervision",
        title="整改事项甲",
        problem="存在问题甲",
        measures="整改措施甲\n整改措施乙",
        due=timezone.localdate() + dt.timedelta(days=30),
        by=world.org.office,
    )
    world.rect_measure = world.rectification.measures.get(position=1)
    world.rect_progress = inspection_services.progress_add(
        rectification=world.rectification,
        text="进展甲",
        evidence=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=world.org.commissioner_b,
    )


WORLD_PARTS.append(_rectifications)
RECTIFICATION: Outcomes = ROLES_ONLY | {"commissioner_a": 404, "member": 404}
RECTIFICATION_OFFICE: Outcomes = RECTIFICATION | {"leader": 403, "commissioner_b": 403}
EXPECTED |= {
    "rectification_list": ROLES_ONLY,
    "rectification_export": ROLES_ONLY,
    "rectification_create": OFFICE_ONLY,
    "rectification_detail": RECTIFICATION,
    "rectification_edit": RECTIFICATION_OFFICE,
    "rectification_progress_add": every(405),
    "rectification_evidence": RECTIFICATION,
    # Reporting a measure done is the owner unit's (or the office's); a leader reads.
    "measure_step": RECTIFICATION | {"leader": 403},
    "rectification_step": RECTIFICATION_OFFICE,
}
POST_EXPECTED |= {
    "rectification_progress_add": RECTIFICATION
    | {"leader": 403, "office": 302, "commissioner_b": 302},
}
URL_ARGS |= {
    "rectification_detail": lambda w: {"pk": w.rectification.pk},
    "rectification_edit": lambda w: {"pk": w.rectification.pk},
    "rectification_progress_add": lambda w: {"pk": w.rectification.pk},
    "rectification_evidence": lambda w: {"pk": w.rect_progress.pk},
    "measure_step": lambda w: {"pk": w.rect_measure.pk, "action": "report"},
    "rectification_step": lambda w: {"pk": w.rectification.pk, "action": "cancel"},
}
PAYLOADS |= {
    "rectification_create": lambda w: {
        "unit": w.unit.pk,
        "source": "upper",
        "title": "上级检查反馈问题整改",
        "problem": "党外代表人士档案不全。",
        "measures": "补齐档案\n建立更新机制",
        "due": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    },
    "rectification_edit": lambda w: {
        "title": "整改事项甲",
        "problem": "存在问题甲（修改）",
        "due": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
    },
    "rectification_progress_add": lambda w: {"text": "又有进展", "measure": w.rect_measure.pk},
    "measure_step": lambda w: {"report": "已完成整改措施甲"},
    "rectification_step": lambda w: {"reason": "重复交办"},
}
DOWNLOADS |= {"rectification_evidence", "rectification_export"}


# inspections: admonition talks (通报约谈) ------------------------------------------------
# `world.admonition`: unit B's admonition, talked, its report (with a file) sent and
# waiting for the office's verdict; `world.admonition_proposed`: unit B's, not yet held.


def _admonitions(world: World) -> None:
    from inspections import services as inspection_services
    from inspections.models import AdmonitionTrigger

    triggers = AdmonitionTrigger.objects.all()[:1]
    world.admonition = inspection_services.admonition_propose(
        unit=world.unit, triggers=triggers, facts="问题甲", by=world.org.office
    )
    inspection_services.admonition_talk(
        admonition=world.admonition,
        talk_on=timezone.localdate(),
        participants="参加人员甲",
        record="约谈记录甲",
        by=world.org.office,
    )
    inspection_services.admonition_report(
        admonition=world.admonition,
        report="整改报告甲",
        report_file=SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=world.org.commissioner_b,
    )
    world.admonition_proposed = inspection_services.admonition_propose(
        unit=world.unit, triggers=triggers, facts="问题乙", by=world.org.office
    )


WORLD_PARTS.append(_admonitions)
EXPECTED |= {
    "admonition_list": ROLES_ONLY,
    "admonition_export": ROLES_ONLY,
    "admonition_create": OFFICE_ONLY,
    "admonition_detail": RECTIFICATION,
    "admonition_file": RECTIFICATION,
    # Recording the talk is the office's: the unit reads.
    "admonition_step": RECTIFICATION_OFFICE,
}
URL_ARGS |= {
    "admonition_detail": lambda w: {"pk": w.admonition.pk},
    "admonition_file": lambda w: {"pk": w.admonition.pk},
    "admonition_step": lambda w: {"pk": w.admonition_proposed.pk, "action": "talk"},
}
PAYLOADS |= {
    "admonition_create": lambda w: {
        "unit": w.unit.pk,
        "triggers": [w.admonition.triggers.get().pk],
        "facts": "进度滞后。",
    },
    "admonition_step": lambda w: {
        "talk_on": timezone.localdate().isoformat(),
        "participants": "办公室主任",
        "record": "约谈记录",
    },
}
DOWNLOADS |= {"admonition_file", "admonition_export"}


# inspections: supervision cases (督促检查) -----------------------------------------------
# `world.case`: an approved case inspecting unit B (commissioner B's), its period ended,
# with a problem found there with evidence (`world.finding`) and its report drafted
# (`world.case_report`); `world.case_draft`: a plan not yet submitted.


def _supervision(world: World) -> None:
    from inspections import supervision_services as supervision
    from inspections.models import InspectionItem

    today = timezone.localdate()
    items = InspectionItem.objects.filter(position=1)
    plan = {
        "scope": "范围甲",
        "units": [world.unit],
        "items": items,
        "team_lead": "组长甲",
        "team": "成员甲",
        "period_start": today - dt.timedelta(days=20),
        "period_end": today - dt.timedelta(days=1),
        "by": world.org.office,
    }
    world.case = supervision.case_create(title="督查甲", **plan)
    supervision.case_submit(case=world.case, by=world.org.office)
    supervision.case_approve(case=world.case, by=world.org.leader)
    world.finding = supervision.finding_add(
        case=world.case,
        unit=world.unit,
        item=items.get(),
        text="发现甲",
        is_problem=True,
        evidence=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=world.org.office,
    )
    world.case_report = supervision.paper_save(
        case=world.case, purpose="report", body="报告甲", by=world.org.office
    )
    world.case_draft = supervision.case_create(title="督查乙", **plan)


WORLD_PARTS.append(_supervision)
# A plan is the office's and the leaders' until approved; the papers are the office's.
SUPERVISION_DRAFT_OFFICE: Outcomes = RECTIFICATION_OFFICE | {"commissioner_b": 404}
EXPECTED |= {
    "supervision_list": ROLES_ONLY,
    "supervision_export": ROLES_ONLY,
    "supervision_board": ROLES_ONLY,
    "supervision_board_export": ROLES_ONLY,
    "supervision_create": OFFICE_ONLY,
    "supervision_detail": RECTIFICATION,
    "supervision_edit": SUPERVISION_DRAFT_OFFICE,
    "supervision_letter_edit": RECTIFICATION_OFFICE,
    "supervision_paper_edit": RECTIFICATION_OFFICE,
    "supervision_paper_submit": every(405),
    "supervision_evidence": RECTIFICATION,
    "supervision_finding_assign": RECTIFICATION_OFFICE,
    # Recording a finding is the office's: the unit and the leaders read.
    "supervision_step": RECTIFICATION_OFFICE,
}
POST_EXPECTED |= {
    "supervision_paper_submit": ROLES_ONLY
    | {
        "office": 302,
        "leader": 404,
        "member": 404,
        "commissioner_a": 404,
        "commissioner_b": 404,
    },
}
URL_ARGS |= {
    "supervision_detail": lambda w: {"pk": w.case.pk},
    "supervision_edit": lambda w: {"pk": w.case_draft.pk},
    "supervision_letter_edit": lambda w: {"pk": w.case.pk, "unit": w.unit.pk},
    "supervision_paper_edit": lambda w: {"pk": w.case.pk, "purpose": "report"},
    "supervision_paper_submit": lambda w: {"pk": w.case_report.pk},
    "supervision_evidence": lambda w: {"pk": w.finding.pk},
    "supervision_finding_assign": lambda w: {"pk": w.finding.pk},
    "supervision_step": lambda w: {"pk": w.case.pk, "action": "record"},
}
PAYLOADS |= {
    "supervision_create": lambda w: {
        "title": "督查丙",
        "scope": "范围丙",
        "units": [w.unit.pk],
        "items": [w.finding.item_id],
        "team_lead": "组长丙",
        "team": "成员丙",
        "period_start": timezone.localdate().isoformat(),
        "period_end": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    },
    "supervision_edit": lambda w: {
        "title": "督查乙（修改）",
        "scope": "范围乙",
        "units": [w.unit.pk],
        "items": [w.finding.item_id],
        "team_lead": "组长乙",
        "team": "成员乙",
        "period_start": timezone.localdate().isoformat(),
        "period_end": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    },
    "supervision_letter_edit": lambda w: {"body": "反馈意见甲"},
    "supervision_paper_submit": lambda w: {},
    "supervision_paper_edit": lambda w: {"body": "报告甲（修改）", "to_party_committee": "on"},
    "supervision_finding_assign": lambda w: {
        "title": "整改甲",
        "measures": "措施甲",
        "due": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    },
    "supervision_step": lambda w: {
        "unit": w.unit.pk,
        "item_text": "其他事项乙",
        "text": "发现乙",
    },
}
DOWNLOADS |= {"supervision_evidence", "supervision_export", "supervision_board_export"}


# inspections: research guidance (调研指导) and research topics (调研课题) ------------------
# `world.contact_point`: unit B, a current contact point; `world.visit`: a visit to unit B,
# ended, its report (with a file) with the group; `world.visit_planned`: one not yet held;
# `world.research_topic`: taken by `world.person` (a figure of unit B), assigned, with its due
# date; `world.research_topic_done`: unit B's, completed with its outcome file.


def _research(world: World) -> None:
    from inspections import research_services as research

    today = timezone.localdate()
    office = world.org.office
    world.contact_point = research.contact_point_add(
        unit=world.unit, since=today, contact=office, note="联系点备注甲", by=office
    )
    world.visit = research.research_visit_plan(
        year=today.year,
        subject="调研主题甲",
        plan="调研方案甲",
        units=[world.unit],
        starts_on=today,
        ends_on=today,
        by=office,
    )
    research.research_visit_finish(
        visit=world.visit, ends_on=today, findings="调研发现甲", by=office
    )
    research.research_visit_report(
        visit=world.visit,
        report="调研指导报告甲",
        report_file=SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=office,
    )
    world.visit_planned = research.research_visit_plan(
        year=today.year,
        subject="调研主题乙",
        plan="调研方案乙",
        units=[world.unit],
        starts_on=today,
        ends_on=today,
        by=office,
    )
    world.research_topic = research.research_topic_propose(
        year=today.year,
        title="调研课题甲",
        description="研究内容甲",
        person=world.person,
        origin="新问题新情况",
        by=office,
    )
    research.research_topic_assign(
        topic=world.research_topic, due=today + dt.timedelta(days=60), by=office
    )
    world.research_topic_done = research.research_topic_propose(
        year=today.year,
        title="调研课题乙",
        description="研究内容乙",
        unit=world.unit,
        origin="工作要点",
        by=office,
    )
    research.research_topic_assign(topic=world.research_topic_done, by=office)
    research.research_topic_complete(
        topic=world.research_topic_done,
        outcome_kind="report",
        outcome="研究成果乙",
        outcome_file=SimpleUploadedFile("成果.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=office,
    )


WORLD_PARTS.append(_research)
# Contact points: the office keeps them, the leaders read.
CONTACT_POINTS: Outcomes = every(403) | {"anon": LOGIN, "office": 200, "leader": 200}
# Visits: the office acts; the leaders and group members read.
VISITS: Outcomes = every(403) | {"anon": LOGIN, "office": 200, "leader": 200, "member": 200}
VISITS_OFFICE: Outcomes = VISITS | {"leader": 403, "member": 403}
EXPECTED |= {
    "contact_point_list": CONTACT_POINTS,
    "contact_point_export": CONTACT_POINTS,
    "contact_point_create": OFFICE_ONLY,
    "contact_point_edit": CONTACT_POINTS | {"leader": 403},
    "contact_point_end": CONTACT_POINTS | {"leader": 403},
    "research_visit_list": VISITS,
    "research_visit_export": VISITS,
    "research_visit_create": VISITS_OFFICE,
    "research_visit_detail": VISITS,
    "research_visit_file": VISITS,
    "research_visit_step": VISITS_OFFICE,
    # Topics are scoped as rectifications: unit B's commissioner records the outcome.
    "research_topic_list": ROLES_ONLY,
    "research_topic_export": ROLES_ONLY,
    "research_topic_create": OFFICE_ONLY,
    "research_topic_detail": RECTIFICATION,
    "research_topic_file": RECTIFICATION,
    "research_topic_step": RECTIFICATION | {"leader": 403},
}
URL_ARGS |= {
    "contact_point_edit": lambda w: {"pk": w.contact_point.pk},
    "contact_point_end": lambda w: {"pk": w.contact_point.pk},
    "research_visit_detail": lambda w: {"pk": w.visit.pk},
    "research_visit_file": lambda w: {"pk": w.visit.pk},
    "research_visit_step": lambda w: {"pk": w.visit_planned.pk, "action": "finish"},
    "research_topic_detail": lambda w: {"pk": w.research_topic.pk},
    "research_topic_file": lambda w: {"pk": w.research_topic_done.pk},
    "research_topic_step": lambda w: {"pk": w.research_topic.pk, "action": "complete"},
}
PAYLOADS |= {
    "contact_point_create": lambda w: {
        "unit": w.org.branch_a.pk,
        "since": timezone.localdate().isoformat(),
        "contact": w.org.office.pk,
        "note": "新联系点",
    },
    "contact_point_edit": lambda w: {
        "since": timezone.localdate().isoformat(),
        "contact": w.org.office.pk,
        "note": "联系点备注（修改）",
    },
    "contact_point_end": lambda w: {"until": timezone.localdate().isoformat()},
    "research_visit_create": lambda w: {
        "year": timezone.localdate().year,
        "subject": "调研主题丙",
        "plan": "调研方案丙",
        "units": [w.unit.pk],
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": timezone.localdate().isoformat(),
    },
    "research_visit_step": lambda w: {
        "ends_on": timezone.localdate().isoformat(),
        "findings": "调研发现乙",
    },
    "research_topic_create": lambda w: {
        "year": timezone.localdate().year,
        "title": "调研课题丙",
        "description": "研究内容丙",
        "unit": w.unit.pk,
        "origin": "新情况",
    },
    "research_topic_step": lambda w: {"outcome_kind": "paper", "outcome": "研究成果甲"},
}
DOWNLOADS |= {
    "contact_point_export",
    "research_visit_file",
    "research_visit_export",
    "research_topic_file",
    "research_topic_export",
}


# reports: performance review (述职评议) ------------------------------------------------------
# `world.review_round`: this year's annual round of unit B, being rated by the office (its
# rating complete, so it may be locked); `world.review_report`: unit B's report in it, a
# draft (unit B's head on the group is `world.person`, who has no login: the office
# confirms for it); `world.review_locked`: the half-year round, locked, unit B commended, its
# commendation notice drafted (`world.review_notice`) and no letter yet.


def _reviews(world: World) -> None:
    from reports import review_services as reviews

    today = timezone.localdate()
    office = world.org.office
    due = today + dt.timedelta(days=10)
    world.review_round = reviews.review_round_open(
        year=today.year,
        kind="annual",
        title="述职评议甲",
        due_on=due,
        units=[world.unit],
        by=office,
    )
    world.review_report = world.review_round.reports.get()
    reviews.review_start_rating(review=world.review_round, method="office", by=office)
    reviews.ratings_save(
        review=world.review_round,
        rows={world.unit.pk: {"grade": "good", "score": 85, "comment": "点评意见甲"}},
        by=office,
    )
    world.review_locked = reviews.review_round_open(
        year=today.year, kind="half", title="述职评议乙", due_on=due, units=[world.unit], by=office
    )
    reviews.review_start_rating(review=world.review_locked, method="office", by=office)
    reviews.ratings_save(
        review=world.review_locked,
        rows={world.unit.pk: {"grade": "excellent", "score": 95, "comment": "点评意见乙"}},
        by=office,
    )
    reviews.review_lock(review=world.review_locked, by=office)
    world.review_notice = reviews.paper_save(
        review=world.review_locked,
        purpose="commendation",
        unit=None,
        body="通报表扬甲",
        by=office,
    )


WORLD_PARTS.append(_reviews)
# The office runs a round; the unit's commissioner writes its report; leaders and group
# members read; only the group's members vote (no persona sits on the group here).
REVIEW_OFFICE: Outcomes = IN_SCOPE_B | {"leader": 403, "member": 403, "commissioner_b": 403}
NOBODY_IN_B: Outcomes = every(403) | {"anon": LOGIN, "commissioner_a": 404}
EXPECTED |= {
    "review_round_list": ROLES_ONLY,
    "review_round_list_export": ROLES_ONLY,  # the list's scope: a commissioner their unit's
    "review_round_create": OFFICE_ONLY,
    "review_round_detail": IN_SCOPE_B,
    "review_round_edit": REVIEW_OFFICE,
    "review_round_step": REVIEW_OFFICE,
    "review_round_rate": REVIEW_OFFICE,
    "review_round_adopt": every(405),
    "review_ballot": NOBODY_IN_B,
    "review_round_export": OFFICE_ONLY | {"leader": 200},
    "review_papers_draft": every(405),
    "review_feedback_edit": REVIEW_OFFICE,
    "review_paper_edit": REVIEW_OFFICE,
    "review_paper_submit": every(405),
    "performance_report_detail": IN_SCOPE_B,
    # Unit B's head has no login: the office confirms for it (once the report is in).
    "performance_report_step": NOBODY_IN_B | {"office": 302},
}
POST_EXPECTED |= {
    "review_round_adopt": REVIEW_OFFICE | {"office": 302},
    "review_papers_draft": REVIEW_OFFICE | {"office": 302},
    "review_paper_submit": every(404) | {"anon": LOGIN, "outsider": 403, "office": 302},
    "performance_report_detail": REVIEW_OFFICE | {"office": 302, "commissioner_b": 302},
}
URL_ARGS |= {
    "review_round_detail": lambda w: {"pk": w.review_round.pk},
    "review_round_edit": lambda w: {"pk": w.review_round.pk},
    "review_round_step": lambda w: {"pk": w.review_round.pk, "action": "lock"},
    "review_round_rate": lambda w: {"pk": w.review_round.pk},
    "review_round_adopt": lambda w: {"pk": w.review_round.pk},
    "review_ballot": lambda w: {"pk": w.review_round.pk},
    "review_round_export": lambda w: {"pk": w.review_round.pk},
    "review_papers_draft": lambda w: {"pk": w.review_locked.pk},
    "review_feedback_edit": lambda w: {"pk": w.review_locked.pk, "unit": w.unit.pk},
    "review_paper_edit": lambda w: {"pk": w.review_locked.pk, "purpose": "commendation"},
    "review_paper_submit": lambda w: {"pk": w.review_notice.pk},
    "performance_report_detail": lambda w: {"pk": w.review_report.pk},
    "performance_report_step": lambda w: {"pk": w.review_report.pk, "action": "confirm"},
}
PAYLOADS |= {
    "review_round_create": lambda w: {
        "year": timezone.localdate().year + 1,
        "kind": "half",
        "title": "述职评议丙",
        "due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "excellent_cap": 30,
        "units": [w.unit.pk],
    },
    "review_round_edit": lambda w: {
        "title": "述职评议甲（修改）",
        "due_on": (timezone.localdate() + dt.timedelta(days=12)).isoformat(),
        "excellent_cap": 40,
        "note": "述职要求甲",
    },
    "review_round_step": lambda w: {},
    "review_round_rate": lambda w: {
        f"grade_{w.unit.pk}": "qualified",
        f"score_{w.unit.pk}": "70",
        f"comment_{w.unit.pk}": "点评意见丙",
    },
    "review_papers_draft": lambda w: {},
    "review_feedback_edit": lambda w: {"body": "反馈意见乙"},
    "review_paper_edit": lambda w: {"body": "通报表扬乙"},
    "review_paper_submit": lambda w: {},
    "performance_report_detail": lambda w: {"save": "1", "duties": "履职情况甲"},
}
DOWNLOADS |= {"review_round_export", "review_round_list_export"}


# The year at a glance: the office, leaders and members; a unit's card: its commissioner too.
EXPECTED |= {
    "reports_dashboard": OFFICE_ONLY | {"leader": 200, "member": 200},
    "unit_scorecard": IN_SCOPE_B,
    "my_scorecard": every(403) | {"anon": LOGIN, "commissioner_a": 200, "commissioner_b": 200},
}
URL_ARGS |= {"unit_scorecard": lambda w: {"pk": w.unit.pk}}

# `world.statement`: unit B's target statement of this year, a draft.


def _statements(world: World) -> None:
    from reports import review_services as reviews
    from reports.models import TargetStatement

    reviews.statements_prepare(
        year=timezone.localdate().year, units=[world.unit], by=world.org.office
    )
    world.statement = TargetStatement.objects.get(unit=world.unit)


WORLD_PARTS.append(_statements)
EXPECTED |= {
    "target_statement_list": ROLES_ONLY,
    "target_statement_export": ROLES_ONLY,  # the list's scope: a commissioner their unit's
    "target_statements_prepare": OFFICE_ONLY,
    "target_statement_detail": IN_SCOPE_B,
    "target_statement_edit": REVIEW_OFFICE,
    "target_statement_step": REVIEW_OFFICE,
}
URL_ARGS |= {
    "target_statement_detail": lambda w: {"pk": w.statement.pk},
    "target_statement_edit": lambda w: {"pk": w.statement.pk},
    "target_statement_step": lambda w: {"pk": w.statement.pk, "action": "sign"},
}
PAYLOADS |= {
    "target_statements_prepare": lambda w: {
        "year": timezone.localdate().year + 1,
        "units": [w.unit.pk],
    },
    "target_statement_edit": lambda w: {"targets": "统战工作目标甲"},
    "target_statement_step": lambda w: {},
}
DOWNLOADS |= {"target_statement_export"}


# reports: experiences and information upward (经验交流, 统战信息) -----------------------------
# `world.experience`: unit B's, submitted by commissioner B (waiting to be selected), with an
# attachment; `world.experience_draft`: unit B's draft; `world.briefing`: a draft briefing of
# a selected unit B experience; `world.information`: unit B's, submitted (waiting for review);
# `world.information_draft`: unit B's draft.


def _upward(world: World) -> None:
    from reports import upward_services as upward

    office, commissioner = world.org.office, world.org.commissioner_b
    world.experience = upward.experience_create(
        unit=world.unit,
        title="经验做法甲",
        summary="经验摘要甲",
        body="经验正文甲",
        attachment=SimpleUploadedFile("经验.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=commissioner,
    )
    upward.experience_submit(experience=world.experience, by=commissioner)
    world.experience_draft = upward.experience_create(
        unit=world.unit, title="经验做法乙", summary="", body="经验正文乙", by=commissioner
    )
    selected = upward.experience_create(
        unit=world.unit, title="经验做法丙", summary="", body="经验正文丙", by=office
    )
    upward.experience_submit(experience=selected, by=office)
    upward.experience_select(experience=selected, by=office)
    world.experience_selected = selected
    world.briefing = upward.briefing_compile(
        title="经验交流材料甲",
        addressee="各党总支",
        foreword="编者按甲",
        experiences=[selected],
        by=office,
    )
    world.information = upward.information_create(
        unit=world.unit, title="统战信息甲", body="信息正文甲", by=commissioner
    )
    upward.information_submit(report=world.information, by=commissioner)
    world.information_draft = upward.information_create(
        unit=world.unit, title="统战信息乙", body="信息正文乙", by=commissioner
    )


WORLD_PARTS.append(_upward)
# Readers: the office, leaders, group members, commissioners (their own unit's records).
UPWARD_WRITERS: Outcomes = ROLES_ONLY | {"leader": 403, "member": 403}
UNIT_B_DRAFT: Outcomes = IN_SCOPE_B | {"leader": 403, "member": 403}
UPWARD_OFFICE_STEP: Outcomes = IN_SCOPE_B | {"leader": 403, "member": 403, "commissioner_b": 403}
BRIEFINGS: Outcomes = every(403) | {"anon": LOGIN, "office": 200, "leader": 200, "member": 200}
EXPECTED |= {
    "experience_list": ROLES_ONLY,
    "experience_export": ROLES_ONLY,  # the list's scope: a commissioner their unit's
    "experience_create": UPWARD_WRITERS,
    "experience_detail": IN_SCOPE_B,
    "experience_edit": UNIT_B_DRAFT,
    "experience_file": IN_SCOPE_B,
    "experience_step": UPWARD_OFFICE_STEP,
    "experience_briefing_list": BRIEFINGS,
    "experience_briefing_export": BRIEFINGS,
    "experience_briefing_create": BRIEFINGS | {"leader": 403, "member": 403},
    "experience_briefing_detail": BRIEFINGS,
    "experience_briefing_edit": BRIEFINGS | {"leader": 403, "member": 403},
    "experience_briefing_submit": BRIEFINGS | {"office": 405, "leader": 405, "member": 405},
    "information_list": ROLES_ONLY,
    "information_export": ROLES_ONLY,  # the list's scope: a commissioner their unit's
    "information_create": UPWARD_WRITERS,
    "information_summary": ROLES_ONLY,
    "information_summary_export": ROLES_ONLY,
    "information_detail": IN_SCOPE_B,
    "information_edit": UNIT_B_DRAFT,
    "information_step": UPWARD_OFFICE_STEP,
}
POST_EXPECTED |= {
    "experience_briefing_submit": BRIEFINGS | {"office": 302, "leader": 403, "member": 403},
}
URL_ARGS |= {
    "experience_detail": lambda w: {"pk": w.experience.pk},
    "experience_edit": lambda w: {"pk": w.experience_draft.pk},
    "experience_file": lambda w: {"pk": w.experience.pk},
    "experience_step": lambda w: {"pk": w.experience.pk, "action": "reject"},
    "experience_briefing_detail": lambda w: {"pk": w.briefing.pk},
    "experience_briefing_edit": lambda w: {"pk": w.briefing.pk},
    "experience_briefing_submit": lambda w: {"pk": w.briefing.pk},
    "information_detail": lambda w: {"pk": w.information.pk},
    "information_edit": lambda w: {"pk": w.information_draft.pk},
    "information_step": lambda w: {"pk": w.information.pk, "action": "return"},
}
PAYLOADS |= {
    "experience_create": lambda w: {
        "unit": w.unit.pk,
        "title": "经验做法丁",
        "summary": "经验摘要丁",
        "body": "经验正文丁",
    },
    "experience_edit": lambda w: {
        "title": "经验做法乙（修改）",
        "summary": "经验摘要乙",
        "body": "经验正文乙（修改）",
    },
    "experience_step": lambda w: {"reason": "未入选原因甲"},
    "experience_briefing_create": lambda w: {
        "title": "经验交流材料乙",
        "addressee": "各党总支",
        "foreword": "编者按乙",
        "experiences": [w.experience_selected.pk],
    },
    "experience_briefing_edit": lambda w: {
        "title": "经验交流材料甲（修改）",
        "addressee": "各单位",
        "foreword": "编者按甲（修改）",
        "experiences": [w.experience_selected.pk],
    },
    "experience_briefing_submit": lambda w: {},
    "information_create": lambda w: {
        "unit": w.unit.pk,
        "title": "统战信息丙",
        "body": "信息正文丙",
    },
    "information_edit": lambda w: {"title": "统战信息乙（修改）", "body": "信息正文乙（修改）"},
    "information_step": lambda w: {"reason": "退回原因甲"},
}
DOWNLOADS |= {
    "experience_file",
    "experience_export",
    "experience_briefing_export",
    "information_export",
    "information_summary_export",
}

# The tests --------------------------------------------------------------------------------


def build_world(org) -> World:
    """The records every URL of the table points at, for the `org` personas."""
    return matrix.build_world(org, WORLD_PARTS)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module (building it per test took most of the
    suite's time); each test's writes are undone before the next."""
    with shared_by_module(django_db_blocker, tmp_path_factory):
        world = build_world(build_org())
        matrix.log_in_everyone(world)
        yield world


@pytest.fixture
def world(_module_world, db) -> World:
    return _module_world


def _get(world: World, persona: str, name: str) -> matrix.Page:
    return matrix.page(world, persona, name, URL_ARGS)


def posters(name: str) -> list[str]:
    """The personas whose POST to the URL is meant to work."""
    if name in POST_EXPECTED:
        return [p for p in PERSONAS if expected_outcome(POST_EXPECTED[name], p) not in FORBIDDEN]
    return allowed_personas(EXPECTED[name])


def post_success(name: str, persona: str) -> Outcome:
    return expected_outcome(POST_EXPECTED[name], persona) if name in POST_EXPECTED else 302


def test_it_lists_every_url_of_the_project():
    names = set(project_patterns())
    assert names - EXPECTED.keys() == set(), "add the new pages to EXPECTED"
    assert EXPECTED.keys() - names == set(), "EXPECTED names pages that no longer exist"


def test_it_gives_every_page_an_outcome_for_every_role():
    for name, outcomes in [*EXPECTED.items(), *POST_EXPECTED.items()]:
        assert set(CORE_PERSONAS) <= outcomes.keys(), name
        assert outcomes.keys() <= set(PERSONAS), name
    assert POST_EXPECTED.keys() <= EXPECTED.keys()


def test_it_says_who_may_post_to_every_view_that_takes_only_posts():
    post_only = {
        name
        for name, outcomes in EXPECTED.items()
        if all(expected_outcome(outcomes, p) == 405 for p in PERSONAS)
    }
    assert post_only - POST_EXPECTED.keys() == set(), "add these to POST_EXPECTED"


def test_it_knows_how_to_fill_the_path_parameters_of_every_url(world):
    for name, pattern in project_patterns().items():
        given = set(URL_ARGS[name](world)) if name in URL_ARGS else set()
        assert given == path_parameters(pattern), f"URL_ARGS[{name!r}] must give exactly these"
    assert URL_ARGS.keys() <= EXPECTED.keys()
    assert PAYLOADS.keys() <= EXPECTED.keys()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_answers_every_role_as_the_table_says(world, name):
    outcomes = {persona: outcome_of(_get(world, persona, name)) for persona in PERSONAS}
    expected = {persona: expected_outcome(EXPECTED[name], persona) for persona in PERSONAS}
    assert outcomes == expected


@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_it_answers_every_post_as_the_table_says(world, name):
    url = url_for(name, world, URL_ARGS)
    data = PAYLOADS[name](world) if name in PAYLOADS else {}
    outcomes = {}
    for persona in PERSONAS:
        client = client_as(world, persona)
        with transaction.atomic():  # each persona posts to the world as it was
            outcomes[persona] = outcome_of(client.post(url, data))
            transaction.set_rollback(True)
    assert outcomes == {p: expected_outcome(POST_EXPECTED[name], p) for p in PERSONAS}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_changes_nothing_when_a_role_posts_where_it_may_not(world, name):
    url = url_for(name, world, URL_ARGS)
    data = PAYLOADS[name](world) if name in PAYLOADS else {}
    personas = forbidden_personas(POST_EXPECTED.get(name, EXPECTED[name]))
    clients = {persona: client_as(world, persona) for persona in personas}  # logins write
    before = fingerprint()  # nothing may change, so one reading serves every persona
    for persona, client in clients.items():
        mark = writes()
        response = client.post(url, data)
        assert outcome_of(response) in {LOGIN, 403, 404}, (persona, response.status_code)
        assert unchanged_since(before, mark) == [], persona


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_it_accepts_each_payload_from_a_role_allowed_to_post_it(world, name):
    """The payloads are valid, so the test above would catch a forbidden POST that works."""
    persona = posters(name)[0]
    client = client_as(world, persona)
    before = fingerprint()
    response = client.post(url_for(name, world, URL_ARGS), PAYLOADS[name](world))
    # (A view may render other templates too, e.g. an issued PDF's, with a "form" of its own.)
    errors = getattr(response.context and response.context.get("form"), "errors", None)
    assert outcome_of(response) == post_success(name, persona), errors
    assert changed_tables(before, fingerprint()) != []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_has_a_payload_for_every_form_a_page_shows(world, name):
    """Whatever a POST form on any page submits to (the page itself, or a POST-only
    action such as a sign-off) has a valid payload, so the checks above exercise it."""
    url = url_for(name, world, URL_ARGS)
    for persona in allowed_personas(EXPECTED[name]):
        response = _get(world, persona, name)
        if not is_html(response):
            continue
        for target in scan(url, response.content.decode()).post_forms:
            match = resolve(target)
            if match.namespace == "admin":
                continue
            assert match.url_name in PAYLOADS.keys() | NO_PAYLOAD, (
                f"{name} shows {persona} a form posting to {match.url_name}: add it to PAYLOADS"
            )


def test_it_knows_which_pages_are_downloads(world):
    """DOWNLOADS and INLINE_FILES (the browser sweep fetches them instead of opening them)
    are exactly the pages that answer with an attachment, and with a file shown inline."""
    attachments, inline = set(), set()
    for name, outcomes in EXPECTED.items():
        allowed = allowed_personas(outcomes)
        if not allowed:
            continue
        response = _get(world, allowed[0], name)
        disposition = response.get("Content-Disposition", "")
        if disposition.startswith("attachment"):
            attachments.add(name)
        elif disposition.startswith("inline"):
            inline.add(name)
    assert attachments == DOWNLOADS
    assert inline == INLINE_FILES


def _csrf_failed(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = HttpResponseForbidden("csrf")
    response["X-Test-Csrf-Failed"] = reason
    return response


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_requires_a_csrf_token_on_every_post(world, name, settings):
    """Every view refuses a POST without a CSRF token, made by a role that could use it."""
    settings.CSRF_FAILURE_VIEW = f"{__name__}._csrf_failed"
    persona = (posters(name) or ["anon"])[0]
    client = client_as(world, persona, enforce_csrf_checks=True)
    data = PAYLOADS[name](world) if name in PAYLOADS else {}
    before, mark = fingerprint(), writes()
    response = client.post(url_for(name, world, URL_ARGS), data)
    assert response.status_code == 403
    assert "X-Test-Csrf-Failed" in response, "refused, but not by the CSRF check"
    assert unchanged_since(before, mark) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_shows_a_figures_sensitive_data_only_to_those_who_may_see_it(world, name):
    for persona in allowed_personas(EXPECTED[name]):
        if persona in SENSITIVE_VIEWERS:
            continue
        text = response_text(_get(world, persona, name))
        leaked = [marker for marker in SENSITIVE_MARKERS if marker in text]
        assert leaked == [], f"{name} shows {persona} {leaked}"


def test_it_shows_the_sensitive_data_to_those_who_may_see_it(world):
    """The markers are real: the pages that should show them do."""
    for persona in SENSITIVE_VIEWERS:
        html = "".join(
            _get(world, persona, name).content.decode()
            for name in ("person_detail", "person_history")
        )
        assert [m for m in SENSITIVE_MARKERS if m not in html] == [], persona


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_renders_nothing_the_content_security_policy_would_block(world, name):
    url = url_for(name, world, URL_ARGS)
    for persona in allowed_personas(EXPECTED[name]):
        response = _get(world, persona, name)
        policy = response.get("Content-Security-Policy", "")
        # A page allows its own scripts; a download (attachment_response) allows nothing.
        assert "script-src 'self'" in policy or "default-src 'none'" in policy, persona
        assert "unsafe-inline" not in policy, persona
        if is_html(response):
            assert scan(url, response.content.decode()).inline == [], persona


def test_it_lets_only_staff_office_users_into_the_admin(world):
    assert client_for(world.org.office).get("/admin/").status_code == 200
    for persona in PERSONAS:
        if persona == "office":
            continue
        response = client_as(world, persona).get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


# Links a role cannot follow ---------------------------------------------------------------

LINK_CHECKED = ("leader", "member", "commissioner_a", "commissioner_b")


@pytest.mark.dateless
def test_it_shows_no_link_the_role_cannot_follow(world):
    """Probe finding: commissioners, members and leaders saw links to their own 403 or
    404 (minutes and follow-ups on meeting pages, people on the org chart, "new topic"
    for leaders). Every link on every page a role may open leads somewhere that role
    may go."""
    broken: dict[str, set[str]] = {}
    for persona in LINK_CHECKED:
        client = client_as(world, persona)
        seen: dict[str, int] = {}
        for name in sorted(EXPECTED):
            if expected_outcome(EXPECTED[name], persona) != 200:
                continue
            url = url_for(name, world, URL_ARGS)
            response = _get(world, persona, name)
            if not is_html(response):
                continue
            for link in scan(url, response.content.decode()).links:
                if link.startswith(("/static/", "/media/", "/admin/")) or link in seen:
                    continue
                seen[link] = client.get(link).status_code
                if seen[link] in (403, 404):
                    broken.setdefault(f"{persona} {seen[link]} {link}", set()).add(name)
    assert broken == {}, "\n".join(f"{k} (on {sorted(v)[:3]})" for k, v in sorted(broken.items()))


def test_the_cheap_write_counter_sees_every_write(world):
    """`unchanged_since` skips re-reading the tables only when no row was written: the
    counter must move for an insert, an update and a delete."""
    before, mark = fingerprint(), writes()
    assert unchanged_since(before, mark) == []
    person = Person.objects.create(name="计数甲", unit=world.unit)
    assert writes() > mark
    assert "portal_person" in unchanged_since(before, mark)
    mark = writes()
    Person.objects.filter(pk=person.pk).update(name="计数乙")
    assert writes() > mark
    mark = writes()
    person.delete()
    assert writes() > mark

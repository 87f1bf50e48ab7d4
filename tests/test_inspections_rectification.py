"""Rectification (整改, issue 12): the office assigns a unit a problem with its measures
and a due date the deadline engine watches; the unit reports each measure done and its
progress with evidence; the office verifies each measure or sends it back; it closes
(销号) only when every measure is verified. Overdue escalates; an extension granted on
the deadline moves the date; a unit sees only its own; Chinese refusals save nothing;
the list runs a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import selectors, services
from inspections.models import Measure, Progress, Rectification
from inspections.rules import RECTIFICATION_DUE
from portal.deadlines.models import Deadline, Notification
from portal.deadlines.reminders import reminders_scan
from portal.deadlines.services import deadline_extend_decide, deadline_extend_request
from portal.todos import todos_for
from tests.conftest import Org, client_for
from tests.deadline_helpers import at, sent_steps

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def assign(org: Org, *, unit=None, title="实训室安全管理", measures="建立台账\n每月检查", due=None):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.rectification_assign(
            unit=unit or org.school_a,
            source=Rectification.Source.SUPERVISION,
            title=title,
            problem="安全台账不全，检查记录缺失。",
            measures=measures,
            due=due or D(2026, 9, 30),
            by=org.office,
        )


def fresh(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_related("deadline").get(pk=rectification.pk)


# Assigning --------------------------------------------------------------------------------


def test_it_assigns_the_measures_and_a_deadline_the_unit_answers_for(org):
    rectification = assign(org)
    assert [(m.position, m.text, m.state) for m in rectification.measures.all()] == [
        (1, "建立台账", "pending"),
        (2, "每月检查", "pending"),
    ]
    deadline = fresh(rectification).deadline
    assert deadline is not None
    assert (deadline.rule, deadline.due, deadline.state) == (
        RECTIFICATION_DUE,
        D(2026, 9, 30),
        "open",
    )
    assert deadline.responsible_unit == org.school_a
    assert deadline.title == "机电工程学院：实训室安全管理"
    # On the to-dos of the unit's commissioner (school A is under branch A), not branch B's.
    with time_machine.travel(at(2026, 9, 2, 9), tick=False):
        mine = [t for t in todos_for(org.commissioner_a) if "实训室" in t.title + t.detail]
        theirs = [t for t in todos_for(org.commissioner_b) if "实训室" in t.title + t.detail]
    assert [t.due for t in mine] == [D(2026, 9, 30)]
    assert theirs == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"measures": " \n \n"}, "measures", "请至少填写一项整改措施（每行一项）。"),
        ({"title": "  "}, "title", "请填写整改事项。"),
        ({"problem": ""}, "problem", "请填写存在的问题。"),
        ({"due": D(2026, 8, 31)}, "due", "整改时限不能早于今天。"),
        ({"source": "rumour"}, "source", "请选择问题来源。"),
        (
            {"measures": "\n".join(f"措施{i}" for i in range(31))},
            "measures",
            "整改措施最多 30 项。",
        ),
    ],
)
def test_it_refuses_bad_input_in_chinese_and_saves_nothing(org, change, field, message):
    data = {
        "unit": org.school_a,
        "source": "supervision",
        "title": "事项",
        "problem": "问题",
        "measures": "措施",
        "due": D(2026, 9, 30),
        **change,
    }
    with (
        time_machine.travel(at(2026, 9, 1, 9), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.rectification_assign(**data, by=org.office)
    assert error.value.message_dict == {field: [message]}
    assert not Rectification.objects.exists() and not Measure.objects.exists()
    assert not Deadline.objects.filter(rule=RECTIFICATION_DUE).exists()


@pytest.mark.parametrize("persona", ["leader", "member", "commissioner_a", "outsider", "liaison"])
def test_only_the_office_assigns(org, persona):
    with pytest.raises(PermissionDenied):
        services.rectification_assign(
            unit=org.school_a,
            source="supervision",
            title="事项",
            problem="问题",
            measures="措施",
            due=D(2027, 9, 30),
            by=getattr(org, persona),
        )
    assert not Rectification.objects.exists()


def test_a_double_posted_assignment_is_kept_once(org):
    first, second = assign(org), assign(org)
    assert first.pk == second.pk
    assert Rectification.objects.count() == 1 and Measure.objects.count() == 2


def test_the_office_moves_the_due_date_and_the_deadline_follows(org):
    rectification = assign(org)
    with time_machine.travel(at(2026, 9, 10, 9), tick=False):
        services.rectification_update(
            rectification=rectification,
            title="实训室安全",
            problem="问题",
            due=D(2026, 10, 30),
            by=org.office,
        )
        with pytest.raises(ValidationError) as error:
            services.rectification_update(
                rectification=rectification,
                title="实训室安全",
                problem="问题",
                due=D(2026, 9, 1),
                by=org.office,
            )
    assert error.value.message_dict == {"due": ["整改时限不能早于今天。"]}
    rectification = fresh(rectification)
    assert rectification.title == "实训室安全"
    assert rectification.deadline.due == D(2026, 10, 30)
    assert Deadline.objects.filter(rule=RECTIFICATION_DUE).count() == 1
    with pytest.raises(PermissionDenied):
        services.rectification_update(
            rectification=rectification,
            title="x",
            problem="y",
            due=D(2026, 10, 30),
            by=org.commissioner_a,
        )


# The lifecycle ----------------------------------------------------------------------------


def test_it_closes_only_when_every_measure_is_verified_and_a_reopened_one_is_reported_again(org):
    rectification = assign(org)
    first, second = rectification.measures.all()
    services.measure_report(measure=first, report="台账已建立", by=org.commissioner_a)
    services.measure_accept(measure=first, by=org.office)
    services.measure_report(measure=second, report="已检查一次", by=org.commissioner_a)
    services.measure_reopen(measure=second, reason="需连续三个月的检查记录", by=org.office)
    second.refresh_from_db()
    assert (second.state, second.reopen_reason) == ("reopened", "需连续三个月的检查记录")
    with pytest.raises(ValidationError) as error:
        services.rectification_close(rectification=rectification, conclusion="同意", by=org.office)
    assert error.value.messages == ["还有 1 项整改措施未核验，不能销号。"]
    assert fresh(rectification).state == "open"

    services.measure_report(measure=second, report="已连续检查三个月", by=org.commissioner_a)
    services.measure_accept(measure=second, by=org.office)
    with time_machine.travel(at(2026, 9, 28, 10), tick=False):
        services.rectification_close(
            rectification=rectification, conclusion="整改到位，同意销号", by=org.office
        )
    rectification = fresh(rectification)
    assert (rectification.state, rectification.closed_on) == ("closed", D(2026, 9, 28))
    assert rectification.deadline.state == "met"
    # The measures' history keeps the reopening and its reason.
    reasons = list(second.history.values_list("history_change_reason", flat=True))
    assert "需连续三个月的检查记录" in reasons
    # …and the page's 办理过程 shows the measures' steps with the rectification's own.
    page = client_for(org.commissioner_a).get(rectification.get_absolute_url()).content.decode()
    process = page.split("办理过程")[1]
    assert "措施2：退回整改：需连续三个月的检查记录" in process
    assert (
        process.index("措施2：退回整改") < process.index("措施2：已核验") < process.index("已销号")
    )


def test_a_step_asks_for_its_text_in_chinese(org):
    measure = assign(org).measures.first()
    with pytest.raises(ValidationError) as error:
        services.measure_report(measure=measure, report="  ", by=org.commissioner_a)
    assert error.value.message_dict == {"report": ["请填写完成情况。"]}
    measure.refresh_from_db()
    assert measure.state == "pending"


def test_a_second_click_on_accept_is_refused_with_the_state(org):
    measure = assign(org).measures.first()
    services.measure_report(measure=measure, report="完成", by=org.commissioner_a)
    services.measure_accept(measure=measure, by=org.office)
    with pytest.raises(ValidationError) as error:
        services.measure_accept(measure=measure, by=org.office)
    assert error.value.messages == ["当前状态为“已核验”，不能核验通过。"]


def test_cancelling_waives_the_deadline_with_the_reason(org):
    rectification = assign(org)
    services.rectification_cancel(
        rectification=rectification, reason="与另一事项重复", by=org.office
    )
    rectification = fresh(rectification)
    assert (rectification.state, rectification.conclusion) == ("cancelled", "与另一事项重复")
    assert rectification.deadline.state == "waived"
    assert rectification.deadline.waive_reason == "与另一事项重复"


# The deadline engine ----------------------------------------------------------------------


def test_an_overdue_rectification_escalates_to_the_leader_in_charge(org):
    rectification = assign(org, due=D(2026, 9, 30))
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        reminders_scan()
    deadline = fresh(rectification).deadline
    assert deadline.state == "overdue"
    assert ("escalation", "incharge") in sent_steps(deadline)
    note = Notification.objects.get(recipient=org.in_charge, kind="escalation")
    assert "实训室安全管理" in note.items[0]["text"]


def test_an_extension_granted_on_the_deadline_moves_the_rectification(org):
    rectification = assign(org, due=D(2026, 9, 30))
    deadline = fresh(rectification).deadline
    with time_machine.travel(at(2026, 9, 20, 9), tick=False):
        request = deadline_extend_request(
            deadline=deadline,
            requested_due=D(2026, 10, 30),
            reason="设备采购周期长",
            by=org.commissioner_a,
        )
        deadline_extend_decide(request=request, approve=True, by=org.in_charge)
    rectification = fresh(rectification)
    assert rectification.deadline.due == D(2026, 10, 30)
    response = client_for(org.commissioner_a).get(rectification.get_absolute_url())
    assert "整改时限：2026-10-30" in response.content.decode()


# Progress and evidence --------------------------------------------------------------------


def test_the_unit_reports_progress_with_evidence_once_and_only_its_own_unit_reads_it(org):
    rectification = assign(org)
    measure = rectification.measures.first()
    url = reverse("rectification_progress_add", args=[rectification.pk])
    client = client_for(org.commissioner_a)
    for _ in range(2):  # a double click
        response = client.post(
            url,
            {
                "measure": measure.pk,
                "text": "已建立安全台账",
                "evidence": SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response.status_code == 302
    progress = Progress.objects.get()
    assert (progress.measure, progress.text, progress.reported_by) == (
        measure,
        "已建立安全台账",
        org.commissioner_a,
    )
    evidence = reverse("rectification_evidence", args=[progress.pk])
    download = client.get(evidence)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert client_for(org.commissioner_b).get(evidence).status_code == 404
    assert client_for(org.leader).get(evidence).status_code == 200


def test_progress_refuses_a_bad_file_and_a_closed_rectification_in_chinese(org):
    rectification = assign(org, measures="措施")
    client = client_for(org.commissioner_a)
    url = reverse("rectification_progress_add", args=[rectification.pk])
    response = client.post(
        url,
        {
            "text": "进展",
            "evidence": SimpleUploadedFile(
                "x.exe", b"MZ\x90\x00", content_type="application/x-msdownload"
            ),
        },
        follow=True,
    )
    assert not Progress.objects.exists()
    assert "不支持这种文件（.exe），请上传以下格式之一" in response.content.decode()
    measure = rectification.measures.get()
    services.measure_report(measure=measure, report="完成", by=org.commissioner_a)
    services.measure_accept(measure=measure, by=org.office)
    services.rectification_close(rectification=rectification, conclusion="同意", by=org.office)
    with pytest.raises(ValidationError) as error:
        services.progress_add(rectification=rectification, text="又做了", by=org.commissioner_a)
    assert error.value.messages == ["当前状态为“已销号”，不能报告进展。"]
    assert not Progress.objects.exists()


def test_another_units_commissioner_may_not_report_progress(org):
    rectification = assign(org)
    with pytest.raises(PermissionDenied):
        services.progress_add(rectification=rectification, text="进展", by=org.commissioner_b)
    with pytest.raises(ValidationError):
        services.progress_add(
            rectification=rectification,
            text="进展",
            measure=assign(org, title="另一事项").measures.first(),
            by=org.commissioner_a,
        )
    assert not Progress.objects.exists()


# Who sees what ----------------------------------------------------------------------------


def test_a_unit_sees_only_its_own_rectifications(org):
    own = assign(org)
    other = assign(org, unit=org.branch_b, title="经管学院整改")
    assert set(selectors.rectifications_for_user(org.commissioner_a)) == {own}
    assert set(selectors.rectifications_for_user(org.commissioner_b)) == {other}
    assert set(selectors.rectifications_for_user(org.leader)) == {own, other}
    assert not selectors.rectifications_for_user(org.outsider).exists()
    assert not selectors.rectifications_for_user(org.liaison).exists()
    page = client_for(org.commissioner_b).get(reverse("rectification_list")).content.decode()
    assert "经管学院整改" in page and "实训室安全管理" not in page
    assert client_for(org.commissioner_b).get(own.get_absolute_url()).status_code == 404
    measure = own.measures.first()
    step = reverse("measure_step", args=[measure.pk, "report"])
    assert client_for(org.commissioner_b).get(step).status_code == 404


def test_the_page_shows_each_role_its_buttons(org):
    rectification = assign(org)
    measure = rectification.measures.first()
    services.measure_report(measure=measure, report="台账已建立", by=org.commissioner_a)
    office = client_for(org.office).get(rectification.get_absolute_url()).content.decode()
    assert reverse("measure_step", args=[measure.pk, "accept"]) in office
    assert reverse("rectification_step", args=[rectification.pk, "cancel"]) in office
    assert reverse("rectification_edit", args=[rectification.pk]) in office
    unit = client_for(org.commissioner_a).get(rectification.get_absolute_url()).content.decode()
    assert reverse("measure_step", args=[measure.pk, "accept"]) not in unit
    assert reverse("rectification_edit", args=[rectification.pk]) not in unit
    assert "台账已建立" in unit and "报告进展" in unit
    leader = client_for(org.leader).get(rectification.get_absolute_url()).content.decode()
    assert reverse("rectification_progress_add", args=[rectification.pk]) not in leader
    assert "核验通过" not in leader


def test_the_steps_go_through_their_pages(org):
    rectification = assign(org, measures="建立台账")
    measure = rectification.measures.get()
    unit, office = client_for(org.commissioner_a), client_for(org.office)
    report = reverse("measure_step", args=[measure.pk, "report"])
    assert unit.get(report).status_code == 200
    assert unit.post(report, {"report": "台账已建立"}).status_code == 302
    accept = reverse("measure_step", args=[measure.pk, "accept"])
    assert unit.post(accept, {}).status_code == 403
    assert office.post(accept, {}).status_code == 302
    again = office.post(accept, {}, follow=True)  # a second click: the reason, no change
    assert "当前状态为“已核验”，不能核验通过。" in again.content.decode()
    close = reverse("rectification_step", args=[rectification.pk, "close"])
    response = office.post(close, {"conclusion": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert office.post(close, {"conclusion": "整改到位"}).status_code == 302
    assert fresh(rectification).state == "closed"


# Lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "commissioner_a"])
def test_the_list_runs_a_constant_number_of_queries(org, persona):
    client = client_for(getattr(org, persona))
    url = reverse("rectification_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assign(org, title="事项0")
    few = count()
    for number in range(1, 12):
        assign(org, title=f"事项{number}")
    assert count() == few


# The export -------------------------------------------------------------------------------


def _read_back(response) -> list[list[object]]:
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_rows_the_user_may_see_as_filtered_with_their_measures(org):
    own = assign(org, title='=HYPERLINK("x")')  # formula-like text stays text
    measure = own.measures.get(position=1)
    services.measure_report(measure=measure, report="完成", by=org.commissioner_a)
    services.measure_accept(measure=measure, by=org.office)
    other = assign(org, unit=org.branch_b, title="经管学院整改")
    services.rectification_cancel(rectification=other, reason="重复交办", by=org.office)
    url = reverse("rectification_export")
    with time_machine.travel(at(2026, 10, 8, 9), tick=False):  # after 09-30: overdue
        rows = _read_back(client_for(org.office).get(url))
        unit_rows = _read_back(client_for(org.commissioner_a).get(url))
        open_rows = _read_back(client_for(org.office).get(url + "?state=open"))
    assert rows[0][:3] == ["交办日期", "整改单位", "整改事项"]
    by_title = {row[2]: row for row in rows[1:]}
    assert set(by_title) == {'=HYPERLINK("x")', "经管学院整改"}
    mine = by_title['=HYPERLINK("x")']
    assert mine[1] == "机电工程学院" and mine[3] == "督促检查"
    assert mine[5] == "1. 建立台账（已核验）\n2. 每月检查（整改中）"
    assert (mine[6], mine[7], mine[9]) == ("1/2", "整改中", "已逾期")
    assert mine[8].date() == D(2026, 9, 30)
    theirs = by_title["经管学院整改"]
    assert (theirs[7], theirs[9], theirs[11]) == ("已撤销", None, "重复交办")
    assert [row[2] for row in unit_rows[1:]] == ['=HYPERLINK("x")']
    assert [row[2] for row in open_rows[1:]] == ['=HYPERLINK("x")']


def test_the_export_runs_a_constant_number_of_queries(org):
    client = client_for(org.office)
    url = reverse("rectification_export")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assign(org, title="事项0")
    few = count()
    for number in range(1, 8):
        assign(org, title=f"事项{number}")
    assert count() == few


# The unit's page --------------------------------------------------------------------------


def test_the_units_page_lists_its_open_rectifications_to_those_who_may_see_them(org):
    overdue = assign(org, title="逾期的整改", due=D(2026, 9, 10))
    assign(org, title="正常的整改", due=D(2026, 12, 30))
    closed = assign(org, title="已销号的整改", measures="措施")
    measure = closed.measures.get()
    services.measure_report(measure=measure, report="完成", by=org.commissioner_a)
    services.measure_accept(measure=measure, by=org.office)
    services.rectification_close(rectification=closed, conclusion="同意", by=org.office)
    url = org.school_a.get_absolute_url()

    def shown(persona: str) -> list[str]:
        with time_machine.travel(at(2026, 9, 20, 9), tick=False):
            response = client_for(getattr(org, persona)).get(url)
        if response.status_code != 200:
            return []
        return [
            t
            for t in ("逾期的整改", "正常的整改", "已销号的整改")
            if t in response.content.decode()
        ]

    assert shown("office") == ["逾期的整改", "正常的整改"]
    assert shown("commissioner_a") == ["逾期的整改", "正常的整改"]
    assert shown("leader") == ["逾期的整改", "正常的整改"]
    assert shown("commissioner_b") == [] and shown("member") == []
    page = client_for(org.office).get(url).content.decode()
    # The overdue one first, with its red light and a link to it.
    assert page.index("逾期的整改") < page.index("正常的整改")
    assert overdue.get_absolute_url() in page


# The forms --------------------------------------------------------------------------------


def test_the_office_assigns_and_edits_through_the_pages(org):
    client = client_for(org.office)
    create = reverse("rectification_create")
    assert org.school_a.name in client.get(create).content.decode()
    data = {
        "unit": org.school_a.pk,
        "source": "upper",
        "title": "档案整改",
        "problem": "档案不全。",
        "measures": "补齐档案\n建立更新机制",
        "due": "2026-06-14",  # the day before the test instant
    }
    refused = client.post(create, data)
    assert refused.status_code == 200
    assert "整改时限不能早于今天。" in refused.content.decode()
    assert not Rectification.objects.exists()
    response = client.post(create, {**data, "due": "2026-07-15"})
    rectification = Rectification.objects.get()
    assert response["Location"] == rectification.get_absolute_url()
    assert rectification.measures.count() == 2

    edit = reverse("rectification_edit", args=[rectification.pk])
    assert "2026-07-15" in client.get(edit).content.decode()
    response = client.post(
        edit, {"title": "档案整改", "problem": "档案不全。", "due": "2026-08-14"}
    )
    assert response.status_code == 302
    assert fresh(rectification).deadline.due == D(2026, 8, 14)
    services.rectification_cancel(rectification=rectification, reason="重复", by=org.office)
    closed = client.get(edit, follow=True)
    assert "整改事项已撤销，不能修改。" in closed.content.decode()
    assert client_for(org.commissioner_a).get(create).status_code == 403

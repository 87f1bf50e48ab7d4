"""Consultations (征求意见, 001 article 15): a unit asks the UFW department's written
opinion on a matter or a draft; the office answers within LIAISON_CONSULTATION_WORKDAYS
working days (a deadline on 我的待办, counted on the holiday calendar); the unit records
whether the opinion was taken. Who may file, see, answer and close; Chinese refusals that
change nothing; a double post files once; the pages and the draft's download."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaisons import selectors, services
from liaisons.models import Consultation
from liaisons.rules import CONSULTATION_ANSWER
from portal.deadlines.models import Deadline
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def file(org: Org, *, by=None, unit=None, title="关于推荐党外教师参加研修班的意见", **extra):
    return services.consultation_file(
        unit=unit or org.branch_a,
        kind=extra.pop("kind", "matter"),
        title=title,
        matter=extra.pop("matter", "拟推荐两名党外教师，请提出意见。"),
        by=by or org.commissioner_a,
        **extra,
    )


def deadline_of(c: Consultation) -> Deadline:
    return Deadline.objects.get(rule=CONSULTATION_ANSWER, object_id=c.pk)


def test_the_answer_is_due_five_working_days_on_across_the_national_day_holiday(org):
    with time_machine.travel(at(2026, 9, 29, 10), tick=False):  # a Tuesday
        c = file(org)
    deadline = deadline_of(c)
    # 30 September; 1–7 October are the holiday; 8, 9, the adjusted Saturday 10, and 12.
    assert (deadline.due, c.deadline_id, c.state) == (D(2026, 10, 12), deadline.pk, "filed")
    assert deadline.responsible_unit is None  # the office's (responsible_label)
    with time_machine.travel(at(2026, 10, 12, 9), tick=False):
        services.consultation_answer(
            consultation=c, opinion="同意，建议补充推荐程序。", by=org.office
        )
    c.refresh_from_db()
    assert (c.state, c.answered_on, c.answered_by) == ("answered", D(2026, 10, 12), org.office)
    assert deadline_of(c).state == "met"


def test_the_workdays_are_a_setting(org, settings):
    settings.LIAISON_CONSULTATION_WORKDAYS = 1
    with time_machine.travel(at(2026, 12, 4, 10), tick=False):  # a Friday
        c = file(org)
    assert deadline_of(c).due == D(2026, 12, 7)


def test_a_unit_files_for_itself_and_the_office_for_any_unit(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        own = file(org, by=org.commissioner_a, unit=org.school_a)  # a unit under branch A
        for_other = file(org, by=org.office, unit=org.branch_b, title="代部门提交")
        with pytest.raises(PermissionDenied):
            file(org, by=org.commissioner_a, unit=org.branch_b, title="他单位")
        for persona in ("leader", "outsider"):
            with pytest.raises(PermissionDenied):
                file(org, by=getattr(org, persona), unit=org.ufw_dept, title=persona)
    assert (own.unit, for_other.unit) == (org.school_a, org.branch_b)
    assert Consultation.objects.count() == 2


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        with pytest.raises(ValidationError) as blank:
            file(org, title="  ")
        with pytest.raises(ValidationError) as no_draft:
            file(org, kind="document")
        with pytest.raises(ValidationError) as not_pdf:
            file(
                org,
                kind="document",
                draft=SimpleUploadedFile("草稿.pdf", b"MZ\x90\x00 not a pdf"),
            )
    assert blank.value.message_dict == {"title": ["请填写事由。"]}
    assert no_draft.value.message_dict == {"draft": ["起草文件征求意见，请附上文件草稿。"]}
    assert "draft" in not_pdf.value.message_dict
    assert not Consultation.objects.exists()
    assert not Deadline.objects.filter(rule=CONSULTATION_ANSWER).exists()


def test_a_double_post_files_once(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        first = file(org)
        second = file(org)
    assert first.pk == second.pk
    assert Deadline.objects.filter(rule=CONSULTATION_ANSWER).count() == 1


def test_only_the_office_answers_and_a_second_answer_is_refused(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        c = file(org)
        for persona in ("leader", "member", "commissioner_a", "commissioner_b"):
            with pytest.raises(PermissionDenied):
                services.consultation_answer(
                    consultation=c, opinion="意见", by=getattr(org, persona)
                )
        with pytest.raises(ValidationError) as empty:
            services.consultation_answer(consultation=c, opinion=" ", by=org.office)
        services.consultation_answer(consultation=c, opinion="意见一", by=org.office)
        with pytest.raises(ValidationError):
            services.consultation_answer(consultation=c, opinion="意见二", by=org.office)
    c.refresh_from_db()
    assert empty.value.message_dict == {"opinion": ["请填写书面意见。"]}
    assert c.opinion == "意见一"


def test_the_unit_records_whether_the_opinion_was_taken(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        c = file(org)
        services.consultation_answer(consultation=c, opinion="建议修改第三条。", by=org.office)
        with pytest.raises(ValidationError) as no_reason:
            services.consultation_close(
                consultation=c, adoption="not_adopted", by=org.commissioner_a
            )
        with pytest.raises(PermissionDenied):
            services.consultation_close(consultation=c, adoption="adopted", by=org.commissioner_b)
        services.consultation_close(
            consultation=c, adoption="partly", note="第三条另行研究。", by=org.commissioner_a
        )
    c.refresh_from_db()
    assert no_reason.value.message_dict == {"note": ["未采纳或部分采纳的，请说明理由。"]}
    assert (c.state, c.adoption, c.closed_on) == ("closed", "partly", D(2026, 12, 1))


def test_withdrawing_closes_the_offices_deadline(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        c = file(org)
        services.consultation_withdraw(consultation=c, reason="事项取消。", by=org.commissioner_a)
        with pytest.raises(ValidationError):
            services.consultation_answer(consultation=c, opinion="意见", by=org.office)
    c.refresh_from_db()
    assert c.state == "withdrawn"
    assert deadline_of(c).is_closed
    assert c.history.first().history_change_reason == "事项取消。"


# --- pages ---


def test_the_list_shows_the_office_everything_and_a_unit_its_own(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        mine = file(org, title="甲单位的")
        theirs = file(org, by=org.commissioner_b, unit=org.branch_b, title="乙单位的")
        pages = {
            persona: client_for(getattr(org, persona)).get(reverse("consultation_list"))
            for persona in ("office", "leader", "commissioner_a", "member", "outsider")
        }
    seen = {
        p: {c.title for c in r.context["page"]} for p, r in pages.items() if r.status_code == 200
    }
    assert seen["office"] == seen["leader"] == {"甲单位的", "乙单位的"}
    assert seen["commissioner_a"] == {"甲单位的"}
    assert seen["member"] == set()  # the office's own unit filed nothing
    assert pages["outsider"].status_code == 403
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        other = client_for(org.commissioner_a).get(theirs.get_absolute_url())
        own = client_for(org.commissioner_a).get(mine.get_absolute_url())
    assert (other.status_code, own.status_code) == (404, 200)
    assert "2026-12-08" in own.content.decode()  # the answer's due date


def test_a_unit_files_through_the_form_with_its_draft_and_the_office_answers(org):
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        client = client_for(org.commissioner_a)
        form = client.get(reverse("consultation_create"))
        response = client.post(
            reverse("consultation_create"),
            {
                "unit": org.branch_a.pk,
                "kind": "document",
                "title": "《党外人士联系办法》征求意见稿",
                "matter": "请审阅。",
                "draft": SimpleUploadedFile("办法.pdf", PDF, content_type="application/pdf"),
            },
        )
        c = Consultation.objects.get()
        assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
        download = client.get(reverse("consultation_draft", args=[c.pk]))
        office = client_for(org.office)
        answer = office.post(
            reverse("consultation_step", args=[c.pk, "answer"]), {"opinion": "同意。"}
        )
        again = office.post(
            reverse("consultation_step", args=[c.pk, "answer"]), {"opinion": "再次"}, follow=True
        )
        forbidden = client.get(reverse("consultation_step", args=[c.pk, "answer"]))
    assert form.status_code == 200
    assert set(selectors.filing_units(org.commissioner_a)) == {org.branch_a, org.school_a}
    assert selectors.filing_units(org.leader).count() == 0
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert answer.status_code == 302
    c.refresh_from_db()
    assert (c.state, c.opinion) == ("answered", "同意。")
    assert "不能" in again.content.decode() or "已答复" in again.content.decode()
    assert forbidden.status_code == 403


def test_the_list_runs_the_same_queries_for_one_or_many(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(persona: str) -> int:
        client = client_for(getattr(org, persona))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("consultation_list")).status_code == 200
        return len(captured)

    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        file(org, title="第一件")
        before = {p: count(p) for p in ("office", "commissioner_a")}
        for n in range(6):
            c = file(org, title=f"第{n}件")
            if n % 2:
                services.consultation_answer(consultation=c, opinion="意见", by=org.office)
        assert {p: count(p) for p in ("office", "commissioner_a")} == before

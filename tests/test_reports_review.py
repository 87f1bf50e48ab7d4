"""Performance review of member units (述职评议, issue 13, 000 §三(三)): the office opens a
round; each unit's commissioner drafts its report on its work-points items (their
progress read, not retyped) and duties; the unit's head (its member of the leading
group) confirms or returns it; late units are reminded and marked. The office rates
(or the group's members vote by anonymous ballot, shown from five ballots), within the
优秀 cap; the result is locked with ranks and 前5后3 and changes only by a recorded
reopen; each unit gets its own letter, the school a commendation notice."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from groups import services as groups
from groups.models import GroupMembership
from portal.deadlines import services as deadlines
from portal.deadlines.models import Deadline
from portal.documents import services as documents
from portal.documents.models import Document
from reports import review_services as services
from reports.models import (
    Ballot,
    BallotGrade,
    BallotReceipt,
    PerformanceReport,
    Rating,
    ReviewPaper,
    ReviewRound,
    TargetStatement,
)
from reports.rules import PERFORMANCE_REPORT
from tests.conftest import Org, client_for, make_user
from tests.deadline_helpers import at
from tests.groups_helpers import department, make_group, make_plan, read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
OPENED = at(2026, 12, 10, 9)
DUE = D(2026, 12, 25)


def seat(org: Org, user, unit, role=GroupMembership.Role.MEMBER) -> GroupMembership:
    return groups.group_membership_start(
        person=user.person,
        role=role,
        unit=unit,
        post="院长",
        start_date=D(2024, 3, 1),
        by=org.office,
    )


@pytest.fixture
def world(org):
    """The group (the member persona seated for branch B, the leader as 组长), the 2026
    plan with an item led by branch B and shared by branch A."""
    with time_machine.travel(OPENED, tick=False):
        make_group(org)
        seat(org, org.member, org.branch_b)
        seat(org, org.leader, org.ufw_dept, GroupMembership.Role.LEADER)
        plan = make_plan(
            2026,
            [
                (
                    "加强党外代表人士队伍建设",
                    [
                        ("做好党外人士联谊交友", org.branch_b, [org.branch_a]),
                        ("开展统战理论研究", org.ufw_dept, []),
                    ],
                )
            ],
        )
        groups.progress_report_create(
            item=plan.items.get(number=1),
            unit=org.branch_b,
            percent=80,
            text="走访党外教师12人次",
            by=org.commissioner_b,
        )
    return plan


def open_round(org: Org, units=None, **extra) -> ReviewRound:
    with time_machine.travel(OPENED, tick=False):
        return services.review_round_open(
            year=2026,
            kind=ReviewRound.Kind.ANNUAL,
            title="2026年度统战工作述职评议",
            due_on=DUE,
            units=units or [org.branch_a, org.branch_b],
            by=org.office,
            **extra,
        )


def report_of(review: ReviewRound, unit) -> PerformanceReport:
    return review.reports.get(unit=unit)


def rate(org, review, rows):
    return services.ratings_save(
        review=review,
        rows={unit.pk: {"grade": g, "score": s, "comment": c} for unit, g, s, c in rows},
        by=org.office,
    )


# Opening a round ----------------------------------------------------------------------------


def test_the_office_opens_a_round_from_its_page_and_each_unit_owes_a_report(org, world):
    with time_machine.travel(OPENED, tick=False):
        client = client_for(org.office)
        page = client.get(reverse("review_round_create")).content.decode()
        assert "2026年度统战工作述职评议" in page  # the default title
        # The default units: those with a member seated on the group (branch B).
        assert re.search(rf'value="{org.branch_b.pk}"[^>]*checked', page)
        assert not re.search(rf'value="{org.branch_a.pk}"[^>]*checked', page)
        response = client.post(
            reverse("review_round_create"),
            {
                "year": 2026,
                "kind": "annual",
                "title": "2026年度统战工作述职评议",
                "due_on": "2026-12-25",
                "excellent_cap": 30,
                "note": "对照工作要点报告落实情况",
                "units": [org.branch_a.pk, org.branch_b.pk],
            },
        )
        review = ReviewRound.objects.get()
        assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
        # The same round twice: refused in Chinese, nothing added.
        again = client.post(
            reverse("review_round_create"),
            {
                "year": 2026,
                "kind": "annual",
                "title": "重复",
                "due_on": "2026-12-25",
                "excellent_cap": 30,
                "units": [org.branch_a.pk],
            },
        )
        assert "2026年的年度述职已经发起。" in again.content.decode()
    assert ReviewRound.objects.count() == 1
    assert review.state == "reporting" and review.excellent_cap == 30
    reports = {r.unit: r for r in review.reports.select_related("deadline")}
    assert set(reports) == {org.branch_a, org.branch_b}
    for unit, report in reports.items():
        assert report.deadline.rule == PERFORMANCE_REPORT and report.deadline.due == DUE
        assert report.deadline.responsible_unit == unit  # the unit's commissioner is reminded
        # The unit's items of the year: the item branch B leads and A shares.
        assert [entry.item.number for entry in report.items.all()] == [1]
    assert Rating.objects.filter(round=review).count() == 2


def test_opening_refuses_bad_input_in_chinese_and_saves_nothing(org, world):
    with time_machine.travel(OPENED, tick=False):
        with pytest.raises(ValidationError) as error:
            services.review_round_open(
                year=2026,
                kind="annual",
                title="x",
                due_on=D(2026, 12, 1),
                units=[org.branch_a],
                by=org.office,
            )
        assert error.value.message_dict == {"due_on": ["报送截止日期不能早于今天。"]}
        with pytest.raises(ValidationError) as error:
            services.review_round_open(
                year=2026, kind="annual", title="x", due_on=DUE, units=[], by=org.office
            )
        assert error.value.message_dict == {"units": ["请选择参评单位。"]}
        with pytest.raises(PermissionDenied):
            services.review_round_open(
                year=2026,
                kind="annual",
                title="x",
                due_on=DUE,
                units=[org.branch_a],
                by=org.leader,
            )
    assert (
        not ReviewRound.objects.exists()
        and not Deadline.objects.filter(rule=PERFORMANCE_REPORT).exists()
    )


# A unit's report -------------------------------------------------------------------------------


def test_the_unit_drafts_submits_and_its_head_confirms_and_only_it_sees_its_report(org, world):
    review = open_round(org)
    mine, theirs = report_of(review, org.branch_b), report_of(review, org.branch_a)
    entry = mine.items.get()
    with time_machine.travel(at(2026, 12, 15, 10), tick=False):
        b = client_for(org.commissioner_b)
        page = b.get(mine.get_absolute_url()).content.decode()
        assert "本单位最近报告进度 80%" in page  # the progress is read, not retyped
        assert b.get(theirs.get_absolute_url()).status_code == 404
        round_page = b.get(review.get_absolute_url()).content.decode()
        assert org.branch_b.name in round_page and org.branch_a.name not in round_page
        # Empty: refused, nothing sent.
        response = b.post(mine.get_absolute_url(), {"send": "1", f"item_{entry.pk}": ""})
        assert "述职报告还没有内容，不能报送。" in response.content.decode()
        mine.refresh_from_db()
        assert mine.state == "drafting"
        # A draft, then sent.
        b.post(mine.get_absolute_url(), {"save": "1", f"item_{entry.pk}": "牵头组织联谊活动2次"})
        response = b.post(
            mine.get_absolute_url(),
            {"send": "1", f"item_{entry.pk}": "牵头组织联谊活动2次", "duties": "落实联系交友制度"},
        )
        assert response.status_code == 302
        # Another unit's commissioner cannot write it.
        a = client_for(org.commissioner_a)
        assert a.post(mine.get_absolute_url(), {"save": "1"}).status_code == 404
    mine.refresh_from_db()
    assert mine.state == "submitted" and mine.submitted_by == org.commissioner_b
    assert mine.items.get().text == "牵头组织联谊活动2次"
    assert mine.deadline.state == Deadline.State.MET and not mine.is_late

    with time_machine.travel(at(2026, 12, 16, 10), tick=False):
        # The head is the member seated for branch B; the office is not, here.
        confirm = reverse("performance_report_step", args=[mine.pk, "confirm"])
        assert client_for(org.office).post(confirm).status_code == 403
        assert client_for(org.commissioner_b).post(confirm).status_code == 403
        m = client_for(org.member)
        response = m.post(
            reverse("performance_report_step", args=[mine.pk, "return"]), {"note": "补充数据"}
        )
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.state == "returned" and mine.return_note == "补充数据"
        client_for(org.commissioner_b).post(
            mine.get_absolute_url(), {"send": "1", f"item_{entry.pk}": "联谊活动2次，走访12人次"}
        )
        assert m.post(confirm).status_code == 302
        assert m.post(confirm).status_code == 302  # a second click: a message, nothing more
    mine.refresh_from_db()
    assert mine.state == "confirmed" and mine.confirmed_by == org.member
    assert mine.history.filter(history_change_reason="补充数据").exists()

    # Branch A has no seat on the group: the office confirms for it. It is late.
    with time_machine.travel(at(2026, 12, 28, 10), tick=False):
        theirs.refresh_from_db()
        assert theirs.is_late and theirs.deadline.state == Deadline.State.OPEN
        services.performance_report_save(
            report=theirs,
            duties="配合开展交友",
            plans="",
            items={},
            submit=True,
            by=org.commissioner_a,
        )
        services.performance_report_confirm(report=theirs, by=org.office)
        theirs.refresh_from_db()
        assert theirs.state == "confirmed" and theirs.is_late  # marked late for good
        page = client_for(org.office).get(review.get_absolute_url()).content.decode()
        assert page.count('text-bg-danger">逾期') == 1 and "逾期 1" in page


# Rating, the cap, locking and reopening -----------------------------------------------------


def test_the_office_rates_within_the_cap_locks_and_reopens_only_with_a_reason(org, world):
    units = [org.branch_a, org.branch_b] + [department(f"部门{i}") for i in range(8)]
    review = open_round(org, units=units)
    with time_machine.travel(at(2026, 12, 26, 9), tick=False):
        services.review_start_rating(review=review, method="office", by=org.office)
        # Ten units at 30 %: three 优秀 at most; four are refused and nothing is saved.
        rows = [(u, "excellent" if i < 4 else "good", 90 - i, "") for i, u in enumerate(units)]
        with pytest.raises(ValidationError) as error:
            rate(org, review, rows)
        assert error.value.messages == ["“优秀”不能超过参评单位的30%：10个单位最多3个，现有4个。"]
        assert not Rating.objects.filter(round=review).exclude(grade="").exists()
        # A score out of range, in Chinese.
        with pytest.raises(ValidationError) as error:
            rate(org, review, [(units[0], "good", 101, "")])
        assert error.value.messages == [f"{units[0].name}的得分应在0到100之间。"]
        # Incomplete: locking is refused, naming who is missing.
        rate(org, review, [(units[0], "excellent", 95, "成效突出")])
        with pytest.raises(ValidationError) as error:
            services.review_lock(review=review, by=org.office)
        assert "以下单位还没有测评等次或得分" in error.value.messages[0]
        # Complete, with a tie at 5th place.
        scores = [95, 92, 90, 88, 85, 85, 80, 70, 60, 50]
        rows = [
            (u, "excellent" if i < 3 else "good" if i < 7 else "qualified", s, f"点评{i}")
            for i, (u, s) in enumerate(zip(units, scores, strict=True))
        ]
        rate(org, review, rows)
        services.review_lock(review=review, by=org.office)
        with pytest.raises(ValidationError):
            rate(org, review, rows)  # locked: the result does not change
    ratings = {r.unit: r for r in Rating.objects.filter(round=review)}
    assert [ratings[u].rank for u in units] == [1, 2, 3, 4, 5, 5, 7, 8, 9, 10]
    assert [ratings[u].place for u in units] == ["top"] * 6 + [""] + ["bottom"] * 3
    tied = services.paper_draft(review, "feedback", units[5])
    assert "在10个参评单位中并列第5，列入前5名予以表扬。" in tied and "点评5" in tied
    # The reports still out are closed: the round is over.
    assert not Deadline.objects.filter(rule=PERFORMANCE_REPORT, state=Deadline.State.OPEN).exists()

    with time_machine.travel(at(2026, 12, 27, 9), tick=False):
        with pytest.raises(ValidationError) as error:
            services.review_reopen(review=review, reason=" ", by=org.office)
        assert error.value.message_dict == {"reason": ["请填写重新开放的理由。"]}
        with pytest.raises(PermissionDenied):
            services.review_reopen(review=review, reason="x", by=org.leader)
        services.review_reopen(review=review, reason="部门3得分录入有误", by=org.office)
    review.refresh_from_db()
    assert review.state == "rating" and review.locked_at is None
    assert review.history.filter(history_change_reason="重新开放测评：部门3得分录入有误").exists()
    assert not Rating.objects.filter(round=review, place__gt="").exists()


def test_a_unit_sees_its_own_result_once_locked_and_its_own_letter_once_issued(
    org, world, django_capture_on_commit_callbacks
):
    review = open_round(org)
    with time_machine.travel(at(2026, 12, 26, 9), tick=False):
        services.review_start_rating(review=review, method="office", by=org.office)
        rate(
            org,
            review,
            [
                (org.branch_a, "good", 82, "交友台账需完善"),
                (org.branch_b, "excellent", 93, "联谊交友成效突出"),
            ],
        )
        b = client_for(org.commissioner_b)
        page = b.get(review.get_absolute_url()).content.decode()
        assert "联谊交友成效突出" not in page  # not before it is locked
        services.review_lock(review=review, by=org.office)
        page = b.get(review.get_absolute_url()).content.decode()
        assert "联谊交友成效突出" in page and "交友台账需完善" not in page
        assert b.get(reverse("review_round_export", args=[review.pk])).status_code == 403

        # Letters: drafted for every unit, each with its own result only.
        office = client_for(org.office)
        office.post(reverse("review_papers_draft", args=[review.pk]))
        office.post(reverse("review_papers_draft", args=[review.pk]))  # twice: still two
        letters = {p.unit: p for p in ReviewPaper.objects.filter(purpose="feedback")}
        assert set(letters) == {org.branch_a, org.branch_b}
        letter = letters[org.branch_b]
        assert "排名第1" in letter.body and "联谊交友成效突出" in letter.body
        assert "交友台账需完善" not in letter.body and org.branch_a.name not in letter.body
        # The commendation notice names the top (n = 2: one commended).
        office.post(
            reverse("review_paper_edit", args=[review.pk, "commendation"]),
            {"body": services.paper_draft(review, "commendation", None)},
        )
        notice = ReviewPaper.objects.get(purpose="commendation")
        assert org.branch_b.name in notice.body and org.branch_a.name not in notice.body
        # The letter goes through the documents workflow to branch B only.
        with django_capture_on_commit_callbacks(execute=True):
            document = services.paper_submit(paper=letter, by=org.office)
            assert b.get(review.get_absolute_url()).content.decode().count("测评结果反馈") == 0
            document = documents.document_sign(document=document, by=org.in_charge)
            document = documents.document_issue(document=document, by=org.office)
        assert [r.unit for r in document.recipients.all()] == [org.branch_b]
        assert b.get(document.get_absolute_url()).status_code == 200
        assert client_for(org.commissioner_a).get(document.get_absolute_url()).status_code == 404
        page = b.get(review.get_absolute_url()).content.decode()
        assert document.reference in page
        # Once a letter is out, the result stays locked.
        with pytest.raises(ValidationError) as error:
            services.review_reopen(review=review, reason="x", by=org.office)
        assert error.value.messages == ["测评结果反馈或通报已报审，不能重新开放测评。"]

    reader = PdfReader(io.BytesIO(document.pdf.read()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "测评结果的反馈" in text and "联谊交友成效突出" in text and "交友台账" not in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts
    assert Document.objects.get(pk=document.pk).kind == "review_feedback"


def test_the_export_reads_back_with_ranks_grades_and_comments(org, world):
    review = open_round(org)
    with time_machine.travel(at(2026, 12, 26, 9), tick=False):
        services.review_start_rating(review=review, method="office", by=org.office)
        rate(
            org,
            review,
            [
                (org.branch_a, "good", 82, '=HYPERLINK("http://x")'),
                (org.branch_b, "excellent", 93, ""),
            ],
        )
        services.review_lock(review=review, by=org.office)
        response = client_for(org.leader).get(reverse("review_round_export", args=[review.pk]))
    rows = read_xlsx(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert rows[0][:7] == ["排名", "单位", "述职报告", "报送逾期", "测评等次", "得分", "前5后3"]
    assert rows[1][:2] == [1, org.branch_b.name] and rows[1][4] == "优秀"
    assert rows[2][7] == '=HYPERLINK("http://x")'  # text, not a formula


# The anonymous ballot -----------------------------------------------------------------------------


def voters(org: Org, n: int) -> list:
    people = []
    for i in range(n):
        user = make_user(f"voter{i}", org.ufw_dept, "member")
        seat(org, user, department(f"成员单位{i}"))
        people.append(user)
    return people


def test_the_ballot_is_anonymous_once_per_member_and_shows_from_five(org, world):
    units = [org.branch_a, org.branch_b, department("人事处")]
    with time_machine.travel(OPENED, tick=False):
        members = voters(org, 5)
    review = open_round(org, units=units)
    with time_machine.travel(at(2026, 12, 26, 9), tick=False):
        services.review_start_rating(review=review, method="ballot", by=org.office)
        ballot_url = reverse("review_ballot", args=[review.pk])
        # Not a member of the group: no ballot.
        assert client_for(org.commissioner_b).get(ballot_url).status_code == 403
        assert client_for(org.office).get(ballot_url).status_code == 403
        # A ballot over the cap (3 units at 30 %: one 优秀) is refused.
        first = client_for(members[0])
        response = first.post(
            ballot_url,
            {f"unit_{u.pk}": "excellent" for u in units[:2]} | {f"unit_{units[2].pk}": "good"},
        )
        assert "“优秀”不能超过参评单位的30%" in response.content.decode()
        assert not Ballot.objects.exists()
        grades = [
            ("excellent", "good", "qualified"),
            ("good", "excellent", "qualified"),
            ("good", "excellent", "good"),
            ("qualified", "excellent", "good"),
        ]
        for voter, row in zip(members, grades, strict=False):
            client = client_for(voter)
            response = client.post(
                ballot_url, {f"unit_{u.pk}": g for u, g in zip(units, row, strict=True)}
            )
            assert response.status_code == 302
        # Voting twice: refused.
        with pytest.raises(ValidationError) as error:
            services.ballot_cast(
                review=review,
                grades=dict(zip([u.pk for u in units], grades[0], strict=True)),
                by=members[0],
            )
        assert error.value.messages == ["您已经投过票了，每人只能投一次。"]
        # Four ballots: nothing shows, and the office cannot take a result.
        office = client_for(org.office)
        page = office.get(review.get_absolute_url()).content.decode()
        assert "已收到 4 张测评票" in page and "平均得分" not in page
        with pytest.raises(ValidationError) as error:
            services.ratings_from_ballot(review=review, by=org.office)
        assert error.value.messages == ["已收到4张测评票，至少5张后才能统计结果。"]
        services.ballot_cast(
            review=review,
            grades={units[0].pk: "good", units[1].pk: "excellent", units[2].pk: "qualified"},
            by=members[4],
        )
        page = office.get(review.get_absolute_url()).content.decode()
        assert "已收到 5 张测评票" in page and "平均得分" in page
        services.ratings_from_ballot(review=review, by=org.office)
    ratings = {r.unit: r for r in Rating.objects.filter(round=review)}
    # Branch B: four 优秀 and one 良好 → 96.00, 优秀; A: 3×良好, 优秀, 合格 → 80.00, 良好.
    assert ratings[org.branch_b].score == 96 and ratings[org.branch_b].grade == "excellent"
    assert ratings[org.branch_a].score == 80 and ratings[org.branch_a].grade == "good"
    assert ratings[units[2]].grade == "qualified"  # three of five ballots
    # Who voted is known; how they voted is not: no link, no time, no history.
    assert BallotReceipt.objects.filter(round=review).count() == 5
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "round", "grades"}
    assert {f.name for f in BallotGrade._meta.get_fields()} == {"id", "ballot", "unit", "grade"}
    assert not hasattr(Ballot, "history") and not hasattr(BallotReceipt, "history")


def test_taking_the_ballot_puts_the_lowest_excellent_beyond_the_cap_at_good(org, world):
    units = [org.branch_a, org.branch_b, department("人事处"), department("教务处")]
    with time_machine.travel(OPENED, tick=False):
        members = voters(org, 5)
    review = open_round(org, units=units, excellent_cap=25)  # one 优秀 of four
    with time_machine.travel(at(2026, 12, 26, 9), tick=False):
        services.review_start_rating(review=review, method="ballot", by=org.office)
    # Each ballot may hold two 优秀 (50 %); the result is taken at one (25 %).
    review.excellent_cap = 50
    review.save(update_fields=["excellent_cap"])
    with time_machine.travel(at(2026, 12, 26, 10), tick=False):
        ballots = [("excellent", "excellent", "good", "good")] * 3 + [
            ("excellent", "good", "excellent", "good")
        ] * 2
        for voter, row in zip(members, ballots, strict=True):
            services.ballot_cast(
                review=review, grades={u.pk: g for u, g in zip(units, row, strict=True)}, by=voter
            )
        review.excellent_cap = 25
        review.save(update_fields=["excellent_cap"])
        services.ratings_from_ballot(review=review, by=org.office)
    ratings = {r.unit: r for r in Rating.objects.filter(round=review)}
    # A: five 优秀 → 100; B: three 优秀, two 良好 → 92. Both 优秀 by plurality; the cap
    # of one keeps A and puts B at 良好.
    assert ratings[units[0]].score == 100 and ratings[units[0]].grade == "excellent"
    assert ratings[units[1]].score == 92 and ratings[units[1]].grade == "good"


# Pages ---------------------------------------------------------------------------------------


def test_the_round_pages_run_a_constant_number_of_queries(org, world):
    def count(n_units: int) -> tuple[int, int]:
        units = [department(f"单位{n_units}-{i}") for i in range(n_units)]
        review = open_round(org, units=units, **{})
        with time_machine.travel(at(2026, 12, 26, 9), tick=False):
            services.review_start_rating(review=review, method="office", by=org.office)
            client = client_for(org.office)
            client.get(reverse("review_round_list"))  # warm the session
            with CaptureQueriesContext(connection) as listing:
                assert client.get(reverse("review_round_list")).status_code == 200
            with CaptureQueriesContext(connection) as detail:
                assert client.get(review.get_absolute_url()).status_code == 200
        review.delete()
        return len(listing), len(detail)

    assert count(2) == count(12)


# Target statements (目标责任书) ----------------------------------------------------------------


def test_target_statements_are_drafted_signed_and_the_round_reports_against_them(org, world):
    with time_machine.travel(at(2026, 1, 10, 9), tick=False):
        made = services.statements_prepare(
            year=2026, units=[org.branch_a, org.branch_b], by=org.office
        )
        again = services.statements_prepare(year=2026, units=[org.branch_b], by=org.office)
        assert (made, again) == (2, 0)
        mine = TargetStatement.objects.get(unit=org.branch_b)
        theirs = TargetStatement.objects.get(unit=org.branch_a)
        # The items it leads or shares, and the usual duties.
        assert [item.number for item in mine.items.all()] == [1]
        assert "统战工作第一责任人" in mine.targets
        b = client_for(org.commissioner_b)
        assert b.get(mine.get_absolute_url()).status_code == 200
        assert b.get(theirs.get_absolute_url()).status_code == 404
        assert b.get(reverse("target_statement_edit", args=[mine.pk])).status_code == 403
        # Branch A's statement drops the shared item; an item of another year is refused.
        services.statement_update(
            statement=theirs, targets="配合开展联谊交友", items=[], by=org.office
        )
        other_year = make_plan(2027, [("其他", [("明年的事项", org.branch_a, [])])])
        with pytest.raises(ValidationError) as error:
            services.statement_update(
                statement=theirs, targets="x", items=list(other_year.items.all()), by=org.office
            )
        assert error.value.message_dict == {"items": ["只能选择本年度工作要点的事项。"]}
        client_for(org.office).post(reverse("target_statement_step", args=[theirs.pk, "sign"]))
        theirs.refresh_from_db()
        assert theirs.state == "signed" and theirs.signed_by == org.office
        with pytest.raises(ValidationError):
            services.statement_update(statement=theirs, targets="y", items=[], by=org.office)
    review = open_round(org)
    # A's signed statement undertakes no item: its report lists none; B (a draft) all.
    assert not report_of(review, org.branch_a).items.exists()
    assert [e.item.number for e in report_of(review, org.branch_b).items.all()] == [1]
    with time_machine.travel(at(2026, 12, 11, 9), tick=False):
        page = client_for(org.commissioner_a).get(
            report_of(review, org.branch_a).get_absolute_url()
        )
        assert str(theirs) in page.content.decode()
        with pytest.raises(ValidationError) as error:
            services.statement_reopen(statement=theirs, reason="", by=org.office)
        assert error.value.message_dict == {"reason": ["请填写退回理由。"]}
        services.statement_reopen(statement=theirs, reason="补充事项", by=org.office)
    theirs.refresh_from_db()
    assert theirs.state == "drafting" and theirs.signed_at is None
    assert theirs.history.filter(history_change_reason="退回修改：补充事项").exists()


def test_an_extension_moves_the_units_due_date_and_it_is_not_marked_late(org, world):
    """One source of truth: a unit granted more time is late by its own deadline, not
    by the round's date (the other unit keeps the round's)."""
    review = open_round(org)
    mine = report_of(review, org.branch_b)
    with time_machine.travel(at(2026, 12, 22, 9), tick=False):
        asked = deadlines.deadline_extend_request(
            deadline=mine.deadline,
            by=org.commissioner_b,
            requested_due=D(2027, 1, 8),
            reason="年底迎检，申请延期两周",
        )
        deadlines.deadline_extend_decide(request=asked, by=org.in_charge, approve=True)
    with time_machine.travel(at(2026, 12, 28, 10), tick=False):
        mine = PerformanceReport.objects.select_related("deadline", "round").get(pk=mine.pk)
        theirs = report_of(review, org.branch_a)
        assert mine.due == D(2027, 1, 8) and not mine.is_late
        assert theirs.due == DUE and theirs.is_late
        page = client_for(org.office).get(review.get_absolute_url()).content.decode()
        assert page.count('text-bg-danger">逾期') == 1

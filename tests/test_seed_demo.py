"""seed_demo: a believable demo college, safe to run twice, refused outside DEBUG."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from portal.management.commands.seed_demo import build_roster
from portal.models import Person, PoliticalStatus, Role, Unit, User
from tests.conftest import seed_demo

# One seeding for the module (`demo`), on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]

DEMO_USERS = {
    # username: (role, leadership, is_staff)
    "office": (Role.OFFICE, User.Leadership.NONE, True),
    "leader": (Role.LEADER, User.Leadership.GROUP_LEADER, False),
    "deputy": (Role.LEADER, User.Leadership.DEPUTY_LEADER, False),
    "incharge": (Role.LEADER, User.Leadership.IN_CHARGE, False),
    "member": (Role.MEMBER, User.Leadership.NONE, False),
    "commissioner": (Role.COMMISSIONER, User.Leadership.NONE, False),
    "commissioner2": (Role.COMMISSIONER, User.Leadership.NONE, False),
    "liaison": (Role.LIAISON, User.Leadership.NONE, False),
    "publicity": (Role.PUBLICITY, User.Leadership.NONE, False),
}


def row_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "user_groups": User.groups.through.objects.count(),
        "unit_history": Unit.history.count(),
        "person_history": Person.history.count(),
    }


def test_it_refuses_to_run_without_debug():
    before = row_counts()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert row_counts() == before


def test_it_creates_the_college_units(demo):
    assert Unit.objects.count() >= 20
    departments = set(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).values_list("name", flat=True))
    # The member departments that seed 000 names.
    assert {
        "党委办公室（院长办公室）",
        "党委宣传部",
        "党委组织部",
        "党委统战部",
        "人事处",
        "学生工作部（学生工作处）",
        "后勤管理处",
        "国际交流处",
        "工会",
        "团委",
        "信息网络中心",
    } <= departments
    schools = Unit.objects.filter(kind=Unit.Kind.SCHOOL).select_related("parent")
    assert schools.count() >= 5
    for school in schools:
        # The project's convention: a school's parent is its Party general branch.
        assert school.parent is not None
        assert school.parent.kind == Unit.Kind.BRANCH
        assert school.parent.name == f"{school.name}党总支"
    assert Unit.objects.filter(kind=Unit.Kind.BRANCH).count() == schools.count()
    orders = list(Unit.objects.values_list("sort_order", flat=True))
    assert len(set(orders)) == len(orders)


def test_it_creates_people_of_every_political_status(demo):
    people = Person.objects.all()
    assert people.count() >= 60
    assert set(people.values_list("political_status", flat=True)) == set(PoliticalStatus.values)
    today = timezone.localdate()
    for person in people:
        age = person.age_on(today)
        assert age is not None
        assert 26 <= age <= 60, person
        assert person.title
        assert person.phone.startswith("0771-")
        assert person.overseas_study == bool(person.overseas_detail)
        person.full_clean()
    assert people.filter(overseas_study=True).count() >= 3
    assert {"汉族", "壮族", "回族", "蒙古族"} <= set(people.values_list("ethnicity", flat=True))
    assert set(people.values_list("gender", flat=True)) == set(Person.Gender.values)
    # Every branch has a secretary and a UFW commissioner.
    for branch in Unit.objects.filter(kind=Unit.Kind.BRANCH):
        titles = list(branch.people.values_list("title", flat=True))
        assert "党总支书记" in titles
        assert any("统战委员" in title for title in titles)


def test_it_builds_the_same_roster_every_time():
    today = dt.date(2026, 3, 1)
    roster = build_roster(today)
    assert roster == build_roster(today)
    keys = [(person.name, person.unit) for person in roster]
    assert len(set(keys)) == len(keys)


def test_it_handles_a_leap_day():
    roster = build_roster(dt.date(2028, 2, 29))
    assert all(dt.date(1966, 1, 1) < person.birth_date < dt.date(2003, 1, 1) for person in roster)


def test_it_creates_the_demo_users_with_their_roles(demo):
    for username, (role, leadership, is_staff) in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.leadership == leadership
        assert user.is_staff is is_staff
        assert not user.is_superuser
        assert user.person is not None
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.email == user.person.email == f"{username}@ufw-demo.test"
    assert User.objects.get(username="office").person.unit.name == "党委统战部"
    assert User.objects.get(username="leader").person.title == "党委书记"
    assert User.objects.get(username="member").person.unit.name == "人事处"


def test_it_puts_the_commissioners_in_their_branches(demo):
    commissioner = User.objects.get(username="commissioner").person
    commissioner2 = User.objects.get(username="commissioner2").person
    assert commissioner.unit.name == "机电工程学院党总支"
    assert commissioner2.unit.name == "经济管理学院党总支"
    assert commissioner.unit.kind == Unit.Kind.BRANCH


def test_it_lets_every_demo_user_log_in(demo):
    for username in DEMO_USERS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


def test_it_is_idempotent(demo):
    first = row_counts()
    seed_demo(quiet=True)
    assert row_counts() == first


def test_it_resets_the_demo_users_on_a_second_run(demo):
    office = User.objects.get(username="office")
    office.set_password("changed-by-hand")
    office.is_superuser = True
    office.save()
    office.groups.add(Group.objects.get(name=Role.LEADER))
    seed_demo(quiet=True)
    office.refresh_from_db()
    assert office.check_password(settings.DEMO_PASSWORD)
    assert not office.is_superuser
    assert list(office.groups.values_list("name", flat=True)) == [Role.OFFICE]


def test_it_prints_the_demo_logins(demo):
    assert "演示数据已就绪" in demo
    for username in DEMO_USERS:
        assert username in demo
    assert settings.DEMO_PASSWORD in demo
    assert "统战委员" in demo
    assert seed_demo(quiet=True) == ""


def test_it_shares_one_seeding_on_one_worker(request):
    """Under `make test` (pytest-xdist, --dist loadgroup) the module's tests run on one
    worker, so the demo is seeded once: pytest 9.2 silently broke that (pyproject pins)."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@seed_demo")


def test_it_seeds_liaisons_with_a_vacancy_and_one_turning_35_within_the_month(demo):
    from liaisons.models import Liaison
    from liaisons.rules import LIAISON_ELIGIBILITY
    from portal.deadlines.models import Deadline

    assert "统战联络员：" in demo and "暂缺" in demo and "即将满35周岁" in demo
    today = timezone.localdate()
    current = Liaison.objects.current_on(today)
    assert current.count() >= 10
    assert (
        Unit.objects.filter(kind__in=["department", "school"])
        .exclude(pk__in=current.values("unit_id"))
        .exists()
    )
    warned = Deadline.objects.get(rule=LIAISON_ELIGIBILITY)
    assert today < warned.due <= today + dt.timedelta(days=30)


def test_it_seeds_a_consultation_in_every_state_one_waiting_on_the_offices_list(demo):
    from liaisons.models import Consultation
    from liaisons.rules import CONSULTATION_ANSWER
    from portal.deadlines.models import Deadline

    assert "征求意见：4 件" in demo
    assert set(Consultation.objects.values_list("state", flat=True)) == set(
        Consultation.State.values
    )
    waiting = Consultation.objects.get(state="filed")
    deadline = Deadline.objects.get(rule=CONSULTATION_ANSWER, object_id=waiting.pk)
    assert (deadline.state, waiting.deadline_id) == ("open", deadline.pk)
    assert Consultation.objects.get(state="answered").draft


def test_it_seeds_a_training_with_attendance_and_a_meeting_to_record(demo):
    from liaisons.models import LiaisonAttendance, LiaisonSession

    assert "联络员培训和会议：2 次" in demo
    training = LiaisonSession.objects.get(kind="training")
    absent = LiaisonAttendance.objects.filter(session=training, attended=False)
    assert absent.count() == 2 and all(row.absence_reason for row in absent)
    meeting = LiaisonSession.objects.get(kind="meeting")
    assert meeting.attendance.exists() and not meeting.attendance.filter(attended=True).exists()


def test_it_seeds_a_closed_an_overdue_and_an_open_rectification(demo):
    from inspections.models import Measure, Rectification

    assert (
        "整改：4 项（2 项已销号，1 项逾期，1 项整改中）；通报约谈：1 次（待报送整改报告）" in demo
    )
    closed = Rectification.objects.get(title="党外代表人士队伍建设专项检查问题整改")
    assert set(closed.measures.values_list("state", flat=True)) == {"accepted"}
    assert closed.deadline is not None and closed.deadline.state == "met"
    assert all(p.evidence for p in closed.progress.all()) and closed.progress.count() == 2
    overdue = Rectification.objects.get(title="上级统战工作检查反馈问题整改")
    assert overdue.deadline is not None and overdue.deadline.state == "overdue"
    assert sorted(overdue.measures.values_list("state", flat=True)) == sorted(
        [Measure.State.ACCEPTED, Measure.State.REPORTED, Measure.State.REOPENED]
    )
    # The demo's commissioner (机电工程学院党总支) answers for both of 机电工程学院's.
    commissioner = User.objects.get(username="commissioner")
    client = Client()
    client.force_login(commissioner)
    page = client.get(reverse("rectification_list")).content.decode()
    assert "上级统战工作检查反馈问题整改" in page and "通报约谈后整改" not in page


def test_it_seeds_an_admonition_talk_whose_report_is_due(demo):
    from inspections.models import Admonition

    admonition = Admonition.objects.get()
    assert admonition.state == "talked" and admonition.unit.name == "经济管理学院"
    assert admonition.deadline is not None and admonition.deadline.state == "open"
    assert admonition.talk_on == timezone.localdate() - dt.timedelta(days=14)


def test_it_seeds_a_closed_an_overdue_and_a_pending_supervision_case(demo):
    from inspections.models import CasePaper, SupervisionCase

    assert "督促检查：3 项（1 项已办结，1 项督查报告逾期，1 项方案待组长批准）" in demo
    closed = SupervisionCase.objects.get(state="closed")
    papers = CasePaper.objects.filter(case=closed)
    assert sorted(papers.values_list("purpose", flat=True)) == [
        "feedback",
        "feedback",
        "notice",
        "report",
    ]
    assert all(paper.is_issued for paper in papers)
    assert closed.deadline is not None and closed.deadline.state == "met"
    problem = closed.findings.get(is_outstanding=True)
    assert problem.evidence and problem.rectification is not None
    assert problem.rectification.state == "closed"
    assert closed.instructions.count() == 1
    overdue = SupervisionCase.objects.get(state="approved")
    assert overdue.deadline is not None and overdue.deadline.state == "overdue"
    assert SupervisionCase.objects.filter(state="submitted").count() == 1


def test_it_seeds_a_locked_review_round_with_letters_and_one_in_progress(demo):
    """The performance review: this year's target statements; last year's round locked
    with ranks (a tie at fifth place, both commended) and 优秀 within the cap, the letters
    of the demo logins' units and the notice issued, each unit seeing its own letter
    only; this year's round with a report waiting for the 人事处 head on their 我的待办."""
    from reports.models import PerformanceReport, Rating, ReviewPaper, ReviewRound
    from reports.ranking import excellent_cap
    from tests.conftest import client_for

    year = timezone.localdate().year
    assert f"目标责任书：{year}年度16份（已签订14份）；" in demo
    assert (
        f"述职评议：{year - 1}年度统战工作述职评议已锁定（表扬6个单位，已印发反馈和通报4份）"
        in demo
    )
    last = ReviewRound.objects.get(year=year - 1, kind="annual")
    assert last.state == "locked"
    ratings = list(Rating.objects.filter(round=last).order_by("rank", "unit__sort_order"))
    assert len(ratings) == 16 and [r.rank for r in ratings[:7]] == [1, 2, 3, 4, 5, 5, 7]
    excellent = sum(1 for r in ratings if r.grade == "excellent")
    assert 0 < excellent <= excellent_cap(16, last.excellent_cap)
    assert [r.place for r in ratings].count("top") == 6
    assert [r.place for r in ratings].count("bottom") == 3

    letters = {p.unit.name: p for p in ReviewPaper.objects.filter(round=last, purpose="feedback")}
    assert len(letters) == 16
    issued = {name for name, paper in letters.items() if paper.is_issued}
    assert issued == {"机电工程学院党总支", "经济管理学院党总支", "人事处"}
    commissioner = User.objects.get(username="commissioner")
    own = letters["机电工程学院党总支"].document
    other = letters["经济管理学院党总支"].document
    client = client_for(commissioner)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(last.get_absolute_url()).content.decode()
    assert own.reference in page and other.reference not in page
    # The unit's page shows its result of the year.
    unit = letters["机电工程学院党总支"].unit
    rating = Rating.objects.get(round=last, unit=unit)
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "历年评议与表彰" in page and rating.grade_label in page

    current = ReviewRound.objects.get(year=year, kind="annual")
    assert current.state == "reporting"
    waiting = PerformanceReport.objects.get(round=current, unit__name="人事处")
    assert waiting.state == "submitted"
    home = client_for(User.objects.get(username="member")).get(reverse("home")).content.decode()
    assert "确认述职报告：人事处" in home


def test_the_annual_report_is_drafted_from_the_years_data_with_linked_figures(demo):
    """The year from data: each figure of each source equals a count taken here by another
    query, and its link opens the list filtered to exactly those records."""
    from django.contrib.contenttypes.models import ContentType

    from inspections.models import Rectification
    from liaisons.models import Consultation, LiaisonReport, PublicityPiece
    from meetings.models import FollowUpItem, Meeting
    from outreach.models import Contact, Suggestion, Talk
    from portal.deadlines.models import Deadline
    from reports.models import AnnualReport, Rating, ReviewRound
    from reports.year_sources import SOURCES
    from tests.conftest import client_for

    year = timezone.localdate().year
    office = User.objects.get(username="office")
    client = client_for(office)

    def listed(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, url
        if "page" in response.context:
            return int(response.context["page"].paginator.count)
        if "view" in response.context:  # the publicity year view
            return int(response.context["view"].total)
        return len(response.context["ratings"])  # a review round's page

    def independent(key: str, label: str, y: int) -> int:
        if key == "meetings":
            if label.startswith("召开"):
                kind = next(k for k, name in Meeting.Kind.choices if label == f"召开{name}")
                return Meeting.objects.filter(
                    starts_at__year=y, held=True, kind=kind
                ).count()  # the year in UTC is the year here (no meeting at midnight)
            items = FollowUpItem.objects.filter(agenda_item__meeting__starts_at__year=y)
            return items.filter(status="closed").count() if "办结" in label else items.count()
        if key == "inspections":
            state = "closed" if "销号" in label else "open"
            return Rectification.objects.filter(opened_on__year=y, state=state).count()
        if key == "outreach":
            if "覆盖" in label:  # each figure met in a contact or a talk of the year
                met = set(
                    Contact.figures.through.objects.filter(contact__date__year=y).values_list(
                        "figure_id", flat=True
                    )
                )
                met |= set(
                    Talk.figures.through.objects.filter(talk__date__year=y).values_list(
                        "figure_id", flat=True
                    )
                )
                return len(met)
            if "按期" in label:  # every answer-step deadline met by its due date
                on_time = 0
                for suggestion in Suggestion.objects.filter(raised_on__year=y):
                    steps = Deadline.objects.filter(
                        rule="suggestion_answer",
                        content_type=ContentType.objects.get_for_model(Suggestion),
                        object_id=suggestion.pk,
                    )
                    on_time += bool(suggestion.answered_on) and all(
                        step.state != "overdue"
                        and (
                            step.state != "met"
                            or timezone.localtime(step.closed_at).date() <= step.due
                        )
                        for step in steps
                    )
                return on_time
            if "走访" in label:
                return Contact.objects.filter(date__year=y).count()
            if "谈话" in label:
                return Talk.objects.filter(date__year=y).count()
            raised = Suggestion.objects.filter(raised_on__year=y)
            if "满意" in label:
                return raised.filter(satisfaction="satisfied").count()
            return raised.filter(state="fed_back").count() if "反馈" in label else raised.count()
        if key == "liaisons":
            if "联络员" in label:
                return LiaisonReport.objects.filter(round__due_on__year=y, state="read").count()
            filed = Consultation.objects.filter(filed_on__year=y)
            return filed.filter(state="closed").count() if "办结" in label else filed.count()
        if key == "publicity":
            return PublicityPiece.objects.filter(state="published", published_on__year=y).count()
        ratings = Rating.objects.filter(round__year=y, round__kind="annual", round__state="locked")
        if "优秀" in label:
            return ratings.filter(grade="excellent").count()
        if "表扬" in label:
            return ratings.filter(place="top").count()
        return ratings.count()

    seen, labels = set(), set()
    for y in (year - 1, year):
        for source in SOURCES:
            assert source.figures is not None
            for figure in source.figures(y):
                seen.add(source.key)
                labels.add(figure.label)
                assert figure.value == independent(source.key, figure.label, y), figure
                assert listed(figure.url) == figure.value, figure
    assert seen == {  # the demo has each
        "meetings",
        "inspections",
        "outreach",
        "liaisons",
        "publicity",
        "review",
    }
    assert {"联系覆盖党外人士", "牵头单位按期答复"} <= labels  # the rules, not only fields

    # This year's report: the demo drafted it from the data in one step; doing it again
    # from the page gives the same sections, which keep the figures' links.
    report = AnnualReport.objects.get(year=year)
    assert report.document is None  # a draft, for the office to edit
    drafted = [(s.source, s.body) for s in report.sections.exclude(source="").order_by("position")]
    response = client.post(reverse("annual_report_fill_all", args=[year]))
    assert response.status_code == 302
    generated = list(report.sections.exclude(source="").order_by("position"))
    from reports import sources

    expected = [spec.key for spec in sources.all_sources() if spec.build(year)]
    assert [s.source for s in generated] == expected and len(expected) >= 3
    assert [s.position for s in generated] == list(range(1, len(expected) + 1))
    assert [(s.source, s.body) for s in generated] == drafted
    page = client.get(report.get_absolute_url()).content.decode()
    for section in generated:
        for figure in section.figures:
            assert f'href="{figure["url"]}"'.replace("&", "&amp;") in page
    assert ReviewRound.objects.filter(year=year - 1, state="locked").exists()

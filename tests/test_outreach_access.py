"""Who sees a non-party figure's sensitive data: the office, the figure themself, and the
leaders paired with the figure while the pair lasts (`outreach.access`, registered with
`portal.permissions`); every look by someone other than the office is logged
(`portal.SensitiveView`) and the office reads the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach.models import Figure, FriendshipPair, OverseasRecord, SensitiveProfile
from outreach.selectors.sensitive import may_see_any, sensitive_for, visible_figures
from portal.models import PoliticalStatus, SensitiveView
from portal.permissions import can_view_sensitive, sensitive_person_ids
from tests.conftest import client_for, make_user
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _figure(org, name: str = "党外乙", **extra) -> Figure:
    person = PersonFactory(
        name=name, unit=org.branch_b, political_status=PoliticalStatus.JIUSAN, **extra
    )
    figure = Figure.objects.create(
        person=person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=timezone.localdate(),
    )
    SensitiveProfile.objects.create(
        figure=figure, affiliation="九三学社支社副主委", opinions="关注职称"
    )
    return figure


def _pair(leader_user, figure: Figure, start: dt.date, end: dt.date | None = None):
    return FriendshipPair.objects.create(
        leader=leader_user.person, figure=figure, start_date=start, end_date=end
    )


def _fresh(user):
    """The user as a new request sees it (the grants are cached per user object)."""
    return type(user).objects.get(pk=user.pk)


def test_the_office_sees_everyone_and_a_leader_only_their_pairs(org):
    today = timezone.localdate()
    mine, other = _figure(org, "党外乙"), _figure(org, "党外丙")
    _pair(org.leader, mine, today - dt.timedelta(days=30))
    assert sensitive_person_ids(org.office) is None
    leader = _fresh(org.leader)
    assert sensitive_person_ids(leader) == {leader.person_id, mine.person_id}
    assert can_view_sensitive(leader, mine.person)
    assert not can_view_sensitive(leader, other.person)
    assert not can_view_sensitive(_fresh(org.deputy), mine.person)
    assert not can_view_sensitive(_fresh(org.commissioner_b), mine.person)


def test_a_pair_grants_the_view_only_while_it_lasts(org):
    today = timezone.localdate()
    figure = _figure(org)
    _pair(org.leader, figure, today - dt.timedelta(days=60), today - dt.timedelta(days=1))
    assert not can_view_sensitive(_fresh(org.leader), figure.person)
    _pair(org.leader, figure, today + dt.timedelta(days=1))
    assert not can_view_sensitive(_fresh(org.leader), figure.person)  # not yet
    FriendshipPair.objects.filter(start_date__gt=today).update(start_date=today)
    assert can_view_sensitive(_fresh(org.leader), figure.person)  # from its first day


def test_a_figure_sees_their_own_sensitive_data(org):
    figure = _figure(org)
    user = make_user("figure-self", org.branch_b, "commissioner")
    user.person = figure.person
    user.save()
    assert can_view_sensitive(_fresh(user), figure.person)
    assert sensitive_for(_fresh(user), [figure], page="/x")[figure.pk].opinions == "关注职称"
    assert not SensitiveView.objects.exists()  # one's own record is not logged


def test_sensitive_for_returns_only_what_the_user_may_see_and_logs_it(org):
    today = timezone.localdate()
    mine, other = _figure(org, "党外乙"), _figure(org, "党外丙")
    OverseasRecord.objects.create(
        figure=mine, kind=OverseasRecord.Kind.STUDY, country="英国", start_year=2010
    )
    _pair(org.leader, mine, today)
    leader = _fresh(org.leader)
    result = sensitive_for(leader, [mine, other], page="/figures/")
    assert set(result) == {mine.pk}
    assert result[mine.pk].political_status == "九三学社社员"
    assert result[mine.pk].affiliation == "九三学社支社副主委"
    assert [r.country for r in result[mine.pk].overseas] == ["英国"]
    log = SensitiveView.objects.get()
    assert (log.viewer, log.person, log.page) == (leader, mine.person, "/figures/")
    assert "海外经历" in log.fields and "意见倾向与思想动态" in log.fields


def test_the_office_reads_without_being_logged(org):
    figure = _figure(org)
    assert sensitive_for(org.office, [figure], page="/x")[figure.pk].notes == ""
    assert not SensitiveView.objects.exists()


def test_sensitive_for_costs_the_same_queries_for_one_figure_or_many(org):
    figures = [_figure(org, f"党外{n}") for n in range(6)]
    for figure in figures:
        OverseasRecord.objects.create(figure=figure, kind=OverseasRecord.Kind.WORK, country="德国")
    listed = list(Figure.objects.select_related("person"))
    sensitive_person_ids(org.office)  # the roles, read once per request
    with CaptureQueriesContext(connection) as one:
        sensitive_for(org.office, listed[:1], page="/x")
    with CaptureQueriesContext(connection) as many:
        sensitive_for(org.office, listed, page="/x")
    assert len(one) == len(many) == 2


def test_only_who_may_see_some_may_filter_by_it(org):
    figure = _figure(org)
    assert may_see_any(org.office)
    assert not may_see_any(_fresh(org.leader))
    _pair(org.leader, figure, timezone.localdate())
    assert may_see_any(_fresh(org.leader))
    assert list(visible_figures(_fresh(org.leader), Figure.objects.all())) == [figure]
    assert not may_see_any(_fresh(org.commissioner_b))


def test_the_person_page_shows_a_paired_leader_the_data_and_logs_it(org):
    figure = _figure(org, overseas_study=True, overseas_detail="英国曼彻斯特大学")
    url = reverse("person_detail", args=[figure.person.pk])
    assert "曼彻斯特" not in client_for(org.leader).get(url).content.decode()
    assert not SensitiveView.objects.exists()
    _pair(org.leader, figure, timezone.localdate())
    assert "曼彻斯特" in client_for(org.leader).get(url).content.decode()
    client_for(org.leader).get(reverse("person_history", args=[figure.person.pk]))
    assert list(SensitiveView.objects.values_list("viewer__username", "page")) == [
        ("leader", reverse("person_history", args=[figure.person.pk])),
        ("leader", url),
    ]


def test_the_figure_page_logs_a_paired_leaders_look(org):
    figure = _figure(org)
    _pair(org.leader, figure, timezone.localdate())
    html = client_for(org.leader).get(reverse("figure_detail", args=[figure.pk])).content.decode()
    assert "关注职称" in html
    assert SensitiveView.objects.filter(viewer=org.leader, person=figure.person).count() == 1
    html = client_for(org.deputy).get(reverse("figure_detail", args=[figure.pk])).content.decode()
    assert "关注职称" not in html and "九三学社" not in html
    assert SensitiveView.objects.count() == 1


def test_the_office_reads_the_log_with_filters(org):
    figure, other = _figure(org, "党外乙"), _figure(org, "党外丙")
    for f in (figure, other):
        _pair(org.leader, f, timezone.localdate())
    client_for(org.leader).get(reverse("figure_detail", args=[figure.pk]))
    client_for(org.leader).get(reverse("figure_detail", args=[other.pk]))
    url = reverse("sensitive_view_list")
    html = client_for(org.office).get(url, {"person": "党外丙"}).content.decode()
    assert "党外丙" in html and "党外乙" not in html
    html = client_for(org.office).get(url, {"viewer": "nobody"}).content.decode()
    assert "没有查阅记录" in html
    day = timezone.localdate().isoformat()
    html = client_for(org.office).get(url, {"since": day, "until": day}).content.decode()
    assert "党外乙" in html and "党外丙" in html
    assert client_for(org.leader).get(url).status_code == 403


def test_a_bad_date_in_the_log_filter_says_so_in_chinese(org):
    response = client_for(org.office).get(reverse("sensitive_view_list"), {"since": "soon"})
    assert "请输入有效日期" in response.content.decode()


def test_a_party_member_is_not_registered_as_a_figure(org):
    person = PersonFactory(unit=org.branch_b, political_status=PoliticalStatus.CPC)
    figure = Figure(
        person=person, category=Figure.Category.OTHER, registered_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "中共党员不能登记为党外人士" in str(error.value)


def test_a_pair_needs_a_party_leader_and_no_overlap(org):
    figure = _figure(org)
    start = dt.date(2026, 3, 1)
    _pair(org.leader, figure, start, dt.date(2026, 8, 31))
    overlapping = FriendshipPair(
        leader=org.leader.person, figure=figure, start_date=dt.date(2026, 8, 31)
    )
    with pytest.raises(ValidationError, match="已经结对"):
        overlapping.full_clean()
    FriendshipPair(
        leader=org.leader.person, figure=figure, start_date=dt.date(2026, 9, 1)
    ).full_clean()
    with pytest.raises(ValidationError, match="中共党员领导干部"):
        FriendshipPair(leader=figure.person, figure=figure, start_date=start).full_clean()
    with pytest.raises(ValidationError, match="不能早于结对日期"):
        FriendshipPair(
            leader=org.deputy.person, figure=figure, start_date=start, end_date=dt.date(2026, 2, 1)
        ).full_clean()


def test_an_overseas_record_says_what_it_misses(org):
    figure = _figure(org)
    record = OverseasRecord.objects.create(
        figure=figure, kind=OverseasRecord.Kind.STUDY, country="日本", start_year=2001
    )
    assert record.missing == ["学位", "结束年份"]
    assert list(OverseasRecord.objects.filter(OverseasRecord.incomplete_q())) == [record]
    record.degree, record.end_year = OverseasRecord.Degree.DOCTOR, 2005
    record.save()
    assert record.missing == []
    assert not OverseasRecord.objects.filter(OverseasRecord.incomplete_q()).exists()
    record.end_year = 2000
    with pytest.raises(ValidationError, match="不能早于开始年份"):
        record.full_clean()


@pytest.mark.parametrize("persona", ["leader", "deputy", "member"])
def test_the_person_page_looks_the_same_whatever_the_political_status(org, persona):
    """A leader or group member not paired with anyone of these three sees each page
    alike: the sensitive block hidden for a Party member as for a non-party figure and a
    blank status. Were a Party member's shown and the others' hidden, the hiding would
    tell who is non-party."""
    unit = org.school_a
    people = [
        PersonFactory(name="党员甲", unit=unit, political_status=PoliticalStatus.CPC),
        PersonFactory(name="民主党派乙", unit=unit, political_status=PoliticalStatus.JIUSAN),
        PersonFactory(name="未登记丙", unit=unit, political_status=""),
    ]
    client = client_for(getattr(org, persona))
    for person in people:
        page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
        assert "仅统战部和联系领导可见" in page, person.name
        assert 'id="sensitive-status"' not in page, person.name
        history = client.get(reverse("person_history", args=[person.pk])).content.decode()
        if person.political_status:
            assert person.get_political_status_display() not in history, person.name
    office = client_for(org.office)
    for person in people:
        page = office.get(reverse("person_detail", args=[person.pk])).content.decode()
        assert 'id="sensitive-status"' in page, person.name
    assert not SensitiveView.objects.filter(viewer=getattr(org, persona)).exists()

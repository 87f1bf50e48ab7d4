"""The register of non-party figures: the office registers and edits figures and their
sensitive part; everyone with a role sees the register in their scope, filters it and
exports it; an export's sensitive columns are the office's and a paired leader's only
(the roles here are paired with no one; tests/test_outreach_exports.py has the rest)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Figure, OverseasRecord, SensitiveProfile
from outreach.services import figures as services
from portal.lib.errors import Forbidden, Refused
from portal.models import PoliticalStatus, SensitiveView
from tests.conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

NOT_OFFICE = ("leader", "deputy", "member", "commissioner_a", "commissioner_b", "outsider")


def _person(unit, name, status=PoliticalStatus.JIUSAN):
    return PersonFactory(name=name, unit=unit, political_status=status, title="教授")


def _register(org, person, **extra) -> Figure:
    return services.figure_create(
        person=person,
        category=extra.pop("category", Figure.Category.DEMOCRATIC_PARTY),
        registered_on=dt.date(2024, 3, 1),
        by=org.office,
        **extra,
    )


@pytest.fixture
def figure(org):
    figure = _register(org, _person(org.branch_b, "党外丁"), expertise="机械设计")
    services.figure_sensitive_update(
        figure=figure,
        affiliation="九三学社支社委员",
        opinions="关心青年教师",
        notes="",
        by=org.office,
    )
    OverseasRecord.objects.create(
        figure=figure, kind="study", country="德国", institution="亚琛工业大学", degree="doctor"
    )
    return figure


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_keeps_the_register(org, figure, persona):
    by = getattr(org, persona)
    with pytest.raises(Forbidden, match="只有办公室工作人员"):
        services.figure_create(
            person=_person(org.branch_a, "党外乙"),
            category="other",
            registered_on=dt.date(2024, 1, 1),
            by=by,
        )
    with pytest.raises(Forbidden):
        services.figure_update(figure=figure, fields={"expertise": "改"}, by=by)
    with pytest.raises(Forbidden):
        services.figure_sensitive_update(
            figure=figure, affiliation="改", opinions="改", notes="改", by=by
        )
    figure.refresh_from_db()
    assert figure.expertise == "机械设计"
    assert SensitiveProfile.objects.get(figure=figure).affiliation == "九三学社支社委员"
    assert Figure.objects.count() == 1


def test_a_person_is_registered_once_and_never_a_party_member(org, figure):
    with pytest.raises(Refused, match="已在党外人士名册中"):  # a double click
        _register(org, figure.person)
    member = _person(org.branch_a, "党员甲", status=PoliticalStatus.CPC)
    with pytest.raises(Exception, match="中共党员不能登记为党外人士"):
        _register(org, member)
    assert Figure.objects.count() == 1
    form = client_for(org.office).get(reverse("figure_create")).context["form"]
    offered = set(form.fields["person"].queryset)
    assert member not in offered and figure.person not in offered


def test_the_office_edits_through_the_pages_and_history_keeps_who(org, figure):
    client = client_for(org.office)
    response = client.post(
        reverse("figure_edit", args=[figure.pk]),
        {
            "category": "returned_overseas",
            "is_key_contact": "on",
            "expertise": "智能制造",
            "registered_on": "2024-03-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.category, figure.is_key_contact, figure.expertise) == (
        "returned_overseas",
        True,
        "智能制造",
    )
    assert figure.history.first().history_user == org.office
    response = client.post(
        reverse("figure_sensitive_edit", args=[figure.pk]),
        {"affiliation": "九三学社支社副主委", "opinions": "", "notes": "需关注"},
    )
    assert response.status_code == 302
    profile = SensitiveProfile.objects.get(figure=figure)
    assert (profile.affiliation, profile.notes) == ("九三学社支社副主委", "需关注")
    assert profile.history.first().history_user == org.office
    bad = client.post(
        reverse("figure_edit", args=[figure.pk]),
        {"category": "other", "expertise": "一\n二", "registered_on": "2024-03-01"},
    )
    assert bad.status_code == 200 and "不能包含换行" in bad.content.decode()


def test_the_list_filters_and_scopes_without_sensitive_filters(org, figure):
    other = _register(
        org,
        _person(org.branch_a, "党外乙"),
        category=Figure.Category.NON_PARTY_INTELLECTUAL,
        is_representative=True,
    )
    gone = _register(org, _person(org.branch_a, "党外丙"))
    services.figure_update(figure=gone, fields={"is_active": False}, by=org.office)

    def names(persona: str, query: str = "") -> set[str]:
        page = client_for(getattr(org, persona)).get(reverse("figure_list") + query)
        return {f.person.name for f in page.context["page"]}

    assert names("office") == {"党外丁", "党外乙"}  # on the register by default
    assert names("office", "?state=all") == {"党外丁", "党外乙", "党外丙"}
    assert names("office", "?flag=representative") == {"党外乙"}
    assert names("office", "?category=democratic_party") == {"党外丁"}
    assert names("office", "?q=机械") == {"党外丁"}
    assert names("leader") == {"党外丁", "党外乙"}
    assert names("commissioner_a") == {"党外乙"}
    assert names("commissioner_b") == {"党外丁"}
    form = client_for(org.office).get(reverse("figure_list")).context["filter"].form
    assert not {"political_status", "affiliation", "overseas"} & set(form.fields)
    assert other.is_representative


def test_the_list_runs_the_same_queries_for_one_figure_or_many(org, figure):
    client = client_for(org.leader)
    client.get(reverse("figure_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("figure_list"))
    for n in range(15):
        _register(org, _person(org.branch_b, f"党外{n}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("figure_list"))
    assert len(response.context["page"]) == 16
    assert len(many) == len(one)


def _export(client) -> list[tuple]:
    response = client.get(reverse("figure_export"))
    assert response["Content-Disposition"].startswith("attachment")
    return list(
        load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True)
    )


def test_the_export_has_sensitive_columns_for_the_office_only(org, figure):
    office = _export(client_for(org.office))
    assert office[0][-3:] == ("政治面貌", "党派及任职情况", "海外经历")
    assert office[1][0] == "党外丁" and "九三学社支社委员" in office[1]
    assert any("亚琛工业大学" in str(v) for v in office[1])
    for persona in ("leader", "member", "commissioner_b"):
        rows = _export(client_for(getattr(org, persona)))
        text = str(rows)
        assert "政治面貌" not in text and "九三学社" not in text and "亚琛" not in text, persona
        assert rows[1][0] == "党外丁"
    assert len(_export(client_for(org.commissioner_a))) == 1  # the header: no figure of A
    assert not SensitiveView.objects.exists()  # the office's export is not logged


def test_the_profile_shows_the_office_the_sensitive_part_and_its_buttons(org, figure):
    page = client_for(org.office).get(figure.get_absolute_url()).content.decode()
    assert "九三学社支社委员" in page and "编辑敏感信息" in page
    leader = client_for(org.leader).get(figure.get_absolute_url()).content.decode()
    assert "九三学社支社委员" not in leader and "编辑敏感信息" not in leader
    assert "机械设计" in leader


# The returned-overseas list ---------------------------------------------------------------


@pytest.fixture
def overseas(org, figure):
    """党外丁: a complete record (德国, doctor) but no years; 党外乙: complete; 王老师: a
    Party member with overseas study on their person record only."""
    OverseasRecord.objects.filter(figure=figure).update(start_year=None, end_year=None)
    other = _register(org, _person(org.branch_a, "党外乙"))
    OverseasRecord.objects.create(
        figure=other,
        kind="study",
        country="英国",
        institution="爱丁堡大学",
        degree="master",
        start_year=2012,
        end_year=2014,
    )
    PersonFactory(
        name="王老师",
        unit=org.branch_a,
        political_status=PoliticalStatus.CPC,
        overseas_study=True,
        overseas_detail="2015—2016 日本东京大学访问学者",
    )
    _person(org.branch_a, "无留学经历")
    return figure


def test_the_returned_overseas_list_says_what_each_entry_lacks(org, overseas):
    response = client_for(org.office).get(reverse("overseas_list"))
    rows = {row.name: row for row in response.context["rows"]}
    # (党外甲 is the org fixture's person with overseas study on their record only.)
    assert set(rows) == {"党外甲", "党外丁", "党外乙", "王老师"}
    assert rows["党外乙"].complete
    assert rows["党外丁"].missing == ["开始年份", "结束年份"]
    assert "没有结构化的海外经历记录" in rows["王老师"].missing[0]
    assert response.context["incomplete"] == 3
    page = response.content.decode()
    assert "缺开始年份、结束年份" in page and "日本东京大学访问学者" in page

    def names(query: str) -> set[str]:
        context = client_for(org.office).get(reverse("overseas_list") + query).context
        # The page's count (from the list's one aggregate when it can) is its rows';
        # the badge counts everyone's incomplete entries whatever the filter.
        assert context["page"].paginator.count == len(context["rows"])
        assert context["incomplete"] == 3
        return {r.name for r in context["rows"]}

    assert names("?completeness=incomplete") == {"党外甲", "党外丁", "王老师"}
    assert names("?completeness=complete") == {"党外乙"}
    assert names(f"?unit={org.branch_a.pk}") == {"党外乙", "王老师"}  # not its school
    assert names(f"?unit={org.branch_a.pk}&completeness=incomplete") == {"王老师"}
    assert names("?q=党外") == {"党外甲", "党外丁", "党外乙"}
    assert names("?completeness=nonsense") == {"党外甲", "党外丁", "党外乙", "王老师"}


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_sees_the_returned_overseas_list(org, overseas, persona):
    client = client_for(getattr(org, persona))
    assert client.get(reverse("overseas_list")).status_code == 403
    assert client.get(reverse("overseas_export")).status_code == 403


def test_the_returned_overseas_list_exports_one_row_per_record(org, overseas):
    response = client_for(org.office).get(reverse("overseas_export"))
    rows = list(
        load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][0] == "姓名" and rows[0][-1] == "缺少"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["党外乙"][3:8] == ("英国", "爱丁堡大学", "硕士", 2012, 2014)
    assert by_name["党外乙"][-1] in (None, "")
    assert by_name["党外丁"][-1] == "开始年份、结束年份"
    assert "日本东京大学" in by_name["王老师"][8]


def test_the_returned_overseas_list_runs_the_same_queries_for_few_or_many(org, overseas):
    client = client_for(org.office)
    client.get(reverse("overseas_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("overseas_list"))
    for n in range(12):
        figure = _register(org, _person(org.branch_b, f"留学{n}"))
        OverseasRecord.objects.create(figure=figure, kind="work", country="美国")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("overseas_list"))
    assert len(response.context["rows"]) == 16
    assert len(many) == len(few)


def test_the_office_adds_and_removes_positions_and_overseas_records(org, figure):
    client = client_for(org.office)
    url = reverse("position_add", args=[figure.pk])
    bad = client.post(
        url,
        {
            "kind": "cppcc_member",
            "level": "city",
            "title": "市政协委员",
            "term_start": "2023-01-01",
            "term_end": "2022-01-01",
        },
    )
    assert bad.status_code == 400 and "任期结束日期不能早于开始日期" in bad.content.decode()
    assert not figure.positions.exists()
    client.post(
        url,
        {
            "kind": "cppcc_member",
            "level": "city",
            "title": "市政协委员",
            "term_start": "2023-01-01",
        },
    )
    position = figure.positions.get()
    assert "市政协委员" in client_for(org.leader).get(figure.get_absolute_url()).content.decode()
    delete = reverse("position_delete", args=[figure.pk, position.pk])
    assert client.post(delete).status_code == 302
    again = client.post(delete, follow=True)
    assert "该社会职务已删除" in again.content.decode()
    client.post(
        reverse("overseas_add", args=[figure.pk]),
        {"kind": "work", "country": "美国", "start_year": "2016", "end_year": "2017"},
    )
    record = OverseasRecord.objects.get(figure=figure, country="美国")
    assert record.missing == ["学位"]
    too_late = client.post(
        reverse("overseas_add", args=[figure.pk]),
        {"kind": "study", "start_year": "2020", "end_year": "2019"},
    )
    assert too_late.status_code == 400 and "结束年份不能早于开始年份" in too_late.content.decode()
    assert client.post(reverse("overseas_delete", args=[figure.pk, record.pk])).status_code == 302
    assert not OverseasRecord.objects.filter(pk=record.pk).exists()
    assert record.history.first().history_type == "-"

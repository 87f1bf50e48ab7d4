"""Work points: numbering across sections, drafting (add, move, delete), the text handed
to the documents workflow, progress reports by the responsible units (scoping, evidence
upload and download), the plan page's status at a glance and the year-end view."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import selectors, services
from groups.models import (
    Light,
    ProgressReport,
    WorkPoints,
    WorkPointsItem,
    WorkPointsSection,
    chinese_numeral,
    expected_percent,
    progress_light,
)
from portal.models import Unit
from tests.conftest import client_for
from tests.groups_helpers import department, make_plan, numbers, office_login, read_xlsx

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


@pytest.fixture
def june():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield dt.date(2026, 6, 15)


@pytest.fixture
def plan(org):
    """Two sections, four items: 1–2 the UFW department's, 3 led by HR with school A,
    4 led by branch B."""
    hr = department("人事处")
    return make_plan(
        2026,
        [
            (
                "以政治建设为统领",
                [("持续强化政治引领", org.ufw_dept, []), ("开展条例宣贯学习", org.ufw_dept, [])],
            ),
            (
                "强化民族宗教工作",
                [("做好少数民族学生管理工作", hr, [org.school_a]), ("经管专项", org.branch_b, [])],
            ),
        ],
    )


def item(plan: WorkPoints, number: int) -> WorkPointsItem:
    return plan.items.get(number=number)


# Pure rules -------------------------------------------------------------------------------


def test_it_writes_section_numerals_in_chinese():
    assert [chinese_numeral(n) for n in (1, 4, 10, 11, 16, 20, 21, 99)] == [
        "一",
        "四",
        "十",
        "十一",
        "十六",
        "二十",
        "二十一",
        "九十九",
    ]
    with pytest.raises(ValueError):
        chinese_numeral(0)


def test_it_measures_the_year_gone_by():
    assert expected_percent(2026, dt.date(2025, 12, 31)) == 0
    assert expected_percent(2026, dt.date(2026, 1, 1)) == 0
    assert expected_percent(2026, dt.date(2026, 7, 2)) == 50
    assert expected_percent(2026, dt.date(2026, 12, 31)) == 100


@pytest.mark.parametrize(
    ("percent", "day", "light"),
    [
        (None, dt.date(2026, 3, 31), Light.NOT_STARTED),  # 24 % of the year: not yet late
        (None, dt.date(2026, 4, 2), Light.LATE),  # a quarter gone
        (100, dt.date(2026, 2, 1), Light.DONE),
        (35, dt.date(2026, 7, 2), Light.ON_TRACK),  # 50 % expected, 15 behind
        (34, dt.date(2026, 7, 2), Light.BEHIND),
        (15, dt.date(2026, 7, 2), Light.BEHIND),  # 35 behind
        (14, dt.date(2026, 7, 2), Light.LATE),
        (0, dt.date(2025, 12, 1), Light.ON_TRACK),  # next year's plan, drafted in advance
    ],
)
def test_it_colours_an_item_by_its_progress_against_the_year(percent, day, light):
    assert progress_light(percent=percent, year=2026, today=day) == light


def test_it_maps_document_states_onto_the_plan():
    state = WorkPoints.state_from_document
    assert state(None) == WorkPoints.State.DRAFTING
    assert state("draft") == WorkPoints.State.DRAFTING
    assert state("returned") == WorkPoints.State.DRAFTING
    assert state("in_review") == WorkPoints.State.IN_REVIEW
    assert state("awaiting_signature") == WorkPoints.State.IN_REVIEW
    assert state("signed") == WorkPoints.State.IN_REVIEW
    assert state("issued") == WorkPoints.State.ISSUED


# Drafting ------------------------------------------------------------------------------------


def test_it_numbers_items_continuously_across_sections(plan):
    assert numbers(plan) == [
        (1, "一", "持续强化政治引领"),
        (2, "一", "开展条例宣贯学习"),
        (3, "二", "做好少数民族学生管理工作"),
        (4, "二", "经管专项"),
    ]


def test_it_renumbers_later_items_when_one_is_added_to_an_earlier_section(org, plan):
    first = plan.sections.get(position=1)
    added = services.work_points_item_create(
        by=org.office,
        section=first,
        title="积极组织建言献策",
        body="召开座谈会。",
        lead_unit=org.ufw_dept,
    )
    assert added.number == 3
    assert [n for n, _s, _t in numbers(plan)] == [1, 2, 3, 4, 5]
    assert numbers(plan)[3] == (4, "二", "做好少数民族学生管理工作")


def test_it_moves_items_within_their_section(org, plan):
    services.work_points_item_move(by=org.office, item=item(plan, 2), offset=-1)
    assert [t for _n, _s, t in numbers(plan)][:2] == ["开展条例宣贯学习", "持续强化政治引领"]
    # The first item cannot go further up; the last of a section stays in it.
    services.work_points_item_move(by=org.office, item=item(plan, 1), offset=-1)
    services.work_points_item_move(by=org.office, item=item(plan, 2), offset=1)
    assert numbers(plan)[1] == (2, "一", "持续强化政治引领")


def test_it_moves_items_and_sections_by_the_buttons_and_refuses_other_directions(org, plan):
    client = client_for(org.office)
    response = client.post(f"/work-points/items/{item(plan, 2).pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert [t for _n, _s, t in numbers(plan)][:2] == ["开展条例宣贯学习", "持续强化政治引领"]
    first = plan.sections.get(position=1)
    response = client.post(f"/work-points/sections/{first.pk}/move/", {"direction": "down"})
    assert response.status_code == 302
    assert numbers(plan)[0] == (1, "一", "做好少数民族学生管理工作")
    before = numbers(plan)
    for url in (
        f"/work-points/items/{item(plan, 1).pk}/move/",
        f"/work-points/sections/{first.pk}/move/",
    ):
        assert client.post(url, {"direction": "sideways"}).status_code == 400
        assert client.post(url).status_code == 400
    assert numbers(plan) == before


def test_it_moves_sections_and_their_items_follow(org, plan):
    services.work_points_section_move(
        by=org.office, section=plan.sections.get(position=2), offset=-1
    )
    assert numbers(plan) == [
        (1, "一", "做好少数民族学生管理工作"),
        (2, "一", "经管专项"),
        (3, "二", "持续强化政治引领"),
        (4, "二", "开展条例宣贯学习"),
    ]
    assert plan.sections.get(position=1).title == "强化民族宗教工作"


def test_it_moves_an_item_to_another_section_by_editing_it(org, plan):
    moved = services.work_points_item_update(
        by=org.office,
        item=item(plan, 1),
        section=plan.sections.get(position=2),
        title="持续强化政治引领",
        body="新内容。",
        lead_unit=org.ufw_dept,
        co_units=[org.ufw_dept, org.branch_a],  # the lead unit among co-units is dropped
    )
    assert moved.number == 4
    assert numbers(plan)[0] == (1, "一", "开展条例宣贯学习")
    assert list(moved.co_units.all()) == [org.branch_a]


def test_it_deletes_unreported_items_and_empty_sections_only(org, plan):
    services.progress_report_create(
        item=item(plan, 1), unit=org.ufw_dept, by=org.office, text="进展", percent=10
    )
    with pytest.raises(ValidationError, match="已有进展报告，不能删除"):
        services.work_points_item_delete(by=org.office, item=item(plan, 1))
    services.work_points_item_delete(by=org.office, item=item(plan, 2))
    assert [n for n, _s, _t in numbers(plan)] == [1, 2, 3]
    with pytest.raises(ValidationError, match="还有事项"):
        services.work_points_section_delete(by=org.office, section=plan.sections.get(position=1))
    empty = services.work_points_section_create(by=org.office, plan=plan, title="空的部分")
    first_empty = services.work_points_section_create(by=org.office, plan=plan, title="另一个")
    services.work_points_section_delete(by=org.office, section=empty)
    first_empty.refresh_from_db()
    assert first_empty.position == 3


def test_it_refuses_changes_once_the_plan_left_drafting(org, plan, monkeypatch):
    monkeypatch.setattr(WorkPoints, "state", property(lambda self: WorkPoints.State.ISSUED))
    message = "2026年统战工作要点 当前状态为“已印发”，不能再修改。"
    with pytest.raises(ValidationError, match=message):
        services.work_points_section_create(by=org.office, plan=plan, title="新部分")
    with pytest.raises(ValidationError, match=message):
        services.work_points_item_move(by=org.office, item=item(plan, 2), offset=-1)
    assert plan.sections.count() == 2
    assert [n for n, _s, _t in numbers(plan)] == [1, 2, 3, 4]
    # The pages send the office back to the plan with the reason, without the edit button.
    client = client_for(org.office)
    response = client.get("/work-points/2026/edit/")
    assert response.url == "/work-points/2026/"
    page = client.get(response.url).content.decode()
    assert message in page
    assert "/work-points/2026/edit/" not in page


def test_it_refuses_a_second_plan_for_a_year(org, plan):
    with pytest.raises(ValidationError, match="年度"):
        services.work_points_create(by=org.office, year=2026)


def test_it_drafts_through_the_pages(org):
    client = client_for(org.office)
    response = client.post(
        "/work-points/new/", {"year": 2027, "title": "", "preamble": "指导思想。"}
    )
    assert response.url == "/work-points/2027/edit/"
    plan = WorkPoints.objects.get(year=2027)
    assert plan.title == "2027年统战工作要点"
    client.post("/work-points/2027/sections/new/", {"title": "以政治建设为统领"})
    section = plan.sections.get()
    response = client.post(
        "/work-points/2027/items/new/",
        {
            "section": section.pk,
            "title": "持续强化政治引领",
            "body": "引导……",
            "lead_unit": org.ufw_dept.pk,
            "co_units": [org.branch_a.pk],
        },
    )
    assert response.status_code == 302
    added = plan.items.get()
    assert (added.number, added.lead_unit, list(added.co_units.all())) == (
        1,
        org.ufw_dept,
        [org.branch_a],
    )
    page = client.get("/work-points/2027/edit/").content.decode()
    assert "一、以政治建设为统领" in page and "1. 持续强化政治引领" in page


# The text for the documents workflow ----------------------------------------------------------


def test_it_produces_the_text_of_the_plan(org, plan):
    plan.preamble = "2026年学校统战工作的指导思想和总体要求是：……"
    plan.save()
    text = selectors.work_points_text(plan=plan)
    assert text.title == "2026年统战工作要点"
    assert [section.heading for section in text.sections] == [
        "一、以政治建设为统领",
        "二、强化民族宗教工作",
    ]
    assert text.sections[1].items[0] == (
        "3.做好少数民族学生管理工作。做好少数民族学生管理工作的内容。"
        "（责任部门：人事处、机电工程学院）"
    )
    assert text.signer == "group_leader"
    assert text.body.split("\n\n")[:3] == [
        "2026年学校统战工作的指导思想和总体要求是：……",
        "一、以政治建设为统领",
        "1.持续强化政治引领。持续强化政治引领的内容。（责任部门：党委统战部）",
    ]
    page = client_for(org.commissioner_a).get("/work-points/2026/text/").content.decode()
    assert "（责任部门：人事处、机电工程学院）" in page


# Progress reports: who may report --------------------------------------------------------------


def _report(client, target: WorkPointsItem, unit: Unit, **extra):
    data = {"unit": unit.pk, "percent": 40, "text": "已召开座谈会。", **extra}
    return client.post(f"/work-points/items/{target.pk}/report/", data)


def test_it_lets_a_commissioner_report_where_their_unit_is_responsible(org, plan, june):
    target = item(plan, 3)  # school A, under branch A, shares it
    response = _report(client_for(org.commissioner_a), target, org.school_a)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.unit, report.author, report.percent) == (org.school_a, org.commissioner_a, 40)


def test_it_refuses_a_commissioner_on_another_units_item(org, plan, june):
    for number in (1, 3):
        response = _report(client_for(org.commissioner_b), item(plan, number), org.school_a)
        assert response.status_code == 403
    assert not ProgressReport.objects.exists()
    page = (
        client_for(org.commissioner_b)
        .get(f"/work-points/items/{item(plan, 3).pk}/")
        .content.decode()
    )
    assert "报告进展" not in page


def test_it_offers_only_the_users_own_responsible_units(org, plan, june):
    # The office clerk reports for any responsible unit; a commissioner only for theirs.
    response = _report(client_for(org.commissioner_a), item(plan, 3), department("无关部门"))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    response = _report(
        client_for(org.commissioner_a), item(plan, 3), Unit.objects.get(name="人事处")
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert (
        _report(client_for(org.office), item(plan, 3), Unit.objects.get(name="人事处")).status_code
        == 302
    )
    assert ProgressReport.objects.get().unit.name == "人事处"


def test_it_lets_a_member_report_for_their_department_and_not_a_leader(org, plan, june):
    assert _report(client_for(org.member), item(plan, 1), org.ufw_dept).status_code == 302
    assert _report(client_for(org.leader), item(plan, 1), org.ufw_dept).status_code == 403
    assert ProgressReport.objects.count() == 1


def test_it_refuses_a_percentage_out_of_range(org, plan, june):
    response = _report(client_for(org.office), item(plan, 1), org.ufw_dept, percent=120)
    assert "确保该值小于或等于100" in response.content.decode()
    assert not ProgressReport.objects.exists()


# Evidence ------------------------------------------------------------------------------------


def test_it_stores_evidence_under_a_random_name_and_serves_it_only_through_the_check(
    org, plan, june
):
    upload = SimpleUploadedFile("座谈会纪要.pdf", PDF, "application/pdf")
    _report(client_for(org.commissioner_a), item(plan, 3), org.school_a, evidence=upload)
    report = ProgressReport.objects.get()
    assert report.evidence.name.startswith("work_points/2026/")
    assert "座谈会" not in report.evidence.name
    assert report.evidence_name == "座谈会纪要.pdf"
    assert default_storage.exists(report.evidence.name)
    url = f"/work-points/reports/{report.pk}/evidence/"
    response = client_for(org.leader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E5%BA%A7" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(org.commissioner_b).get(url).status_code == 404
    assert client_for(org.outsider).get(url).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("程序.exe", b"MZ\x90\x00", "不支持这种文件（.exe）"),
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名.pdf不符"),
        ("照片.png", b"\xff\xd8\xff\xe0 a jpeg", "文件内容与扩展名.png不符"),
        ("空.pdf", b"", "所提交的是空文件"),
    ],
)
def test_it_refuses_evidence_of_the_wrong_type(org, plan, june, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = _report(client_for(org.office), item(plan, 1), org.ufw_dept, evidence=upload)
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_it_refuses_evidence_over_the_size_limit(org, plan, june, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (1024 * 1024 + 512 * 1024))
    response = _report(client_for(org.office), item(plan, 1), org.ufw_dept, evidence=upload)
    assert "文件太大（1.5 MB），不能超过 1.0 MB。" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_it_refuses_bad_evidence_in_the_service_too(org, plan, settings):
    """The check is the model field's validator: it holds whichever form or import calls."""
    with pytest.raises(ValidationError) as caught:
        services.progress_report_create(
            item=item(plan, 1),
            unit=org.ufw_dept,
            by=org.office,
            text="x",
            percent=5,
            evidence=SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00"),
        )
    assert "文件内容与扩展名.pdf不符" in caught.value.message_dict["evidence"][0]
    assert not ProgressReport.objects.exists()
    assert not any(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_it_removes_the_stored_file_when_the_report_cannot_be_saved(
    org, plan, monkeypatch, settings
):
    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ProgressReport, "save", fail)
    with pytest.raises(RuntimeError):
        services.progress_report_create(
            item=item(plan, 1),
            unit=org.ufw_dept,
            by=org.office,
            text="x",
            percent=5,
            evidence=SimpleUploadedFile("a.pdf", PDF),
        )
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_it_answers_404_for_a_missing_evidence_file(org, plan, june):
    _report(
        client_for(org.office),
        item(plan, 1),
        org.ufw_dept,
        evidence=SimpleUploadedFile("a.pdf", PDF),
    )
    report = ProgressReport.objects.get()
    default_storage.delete(report.evidence.name)
    assert (
        client_for(org.office).get(f"/work-points/reports/{report.pk}/evidence/").status_code == 404
    )


# The plan page and the year-end view --------------------------------------------------------------


def _dated_report(
    target: WorkPointsItem, unit: Unit, percent: int, day: dt.date, text: str = "进展"
):
    report = services.progress_report_create(
        item=target, unit=unit, by=office_login(), text=text, percent=percent
    )
    ProgressReport.objects.filter(pk=report.pk).update(
        reported_at=dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)
    )


def test_it_shows_each_items_latest_status_at_a_glance(org, plan, june):
    _dated_report(item(plan, 1), org.ufw_dept, 30, dt.date(2026, 3, 1))
    _dated_report(item(plan, 1), org.ufw_dept, 50, dt.date(2026, 5, 20))
    _dated_report(item(plan, 2), org.ufw_dept, 100, dt.date(2026, 4, 1))
    _dated_report(item(plan, 3), org.school_a, 5, dt.date(2026, 6, 1))
    statuses = {s.item.number: s for s in selectors.item_statuses(plan)}
    assert (statuses[1].percent, statuses[1].reported_at.date(), statuses[1].light) == (
        50,
        dt.date(2026, 5, 20),
        Light.ON_TRACK,  # 45 % of the year gone
    )
    assert statuses[2].light == Light.DONE
    assert statuses[3].light == Light.LATE
    assert (statuses[4].percent, statuses[4].light) == (None, Light.LATE)
    assert statuses[1].report_count == 2
    html = client_for(org.leader).get("/work-points/2026/").content.decode()
    assert '<progress max="100" value="50"' in html
    assert "2026-05-20" in html
    assert "wp-light wp-late" in html and "明显滞后" in html and "已完成" in html
    assert 'style="' not in html


def test_it_lets_a_commissioner_narrow_the_plan_to_their_units_items(org, plan, june):
    client = client_for(org.commissioner_a)
    page = client.get("/work-points/2026/?mine=1")
    shown = [s.item.number for block in page.context["sections"] for s in block.items]
    assert shown == [3]
    assert "只看本单位" not in client_for(org.office).get("/work-points/2026/").content.decode()


def test_it_hides_report_texts_from_commissioners_of_other_units(org, plan, june):
    _dated_report(item(plan, 4), org.branch_b, 60, dt.date(2026, 6, 1), text="经管的内部情况")
    for url in (f"/work-points/items/{item(plan, 4).pk}/", "/work-points/2026/year-end/"):
        assert "经管的内部情况" not in client_for(org.commissioner_a).get(url).content.decode()
        assert "经管的内部情况" in client_for(org.commissioner_b).get(url).content.decode()
        assert "经管的内部情况" in client_for(org.leader).get(url).content.decode()


def test_a_shared_item_does_not_open_the_other_units_reports(org, plan, june):
    """Probe finding: commissioner B read and downloaded branch A's report on an item both
    units share. A commissioner reads only their own unit's reports and evidence,
    whoever leads the item; the office and leaders read all."""
    shared = item(plan, 4)  # led by branch B; school A (under branch A) shares it
    shared.co_units.add(org.school_a)
    upload = SimpleUploadedFile("机电佐证.pdf", PDF, "application/pdf")
    _report(
        client_for(org.commissioner_a), shared, org.school_a, text="机电的内部情况", evidence=upload
    )
    _report(client_for(org.commissioner_b), shared, org.branch_b, text="经管的内部情况")
    evidence = f"/work-points/reports/{ProgressReport.objects.get(unit=org.school_a).pk}/evidence/"
    pages = (f"/work-points/items/{shared.pk}/", "/work-points/2026/year-end/")
    for persona, own, other in (
        ("commissioner_a", "机电的内部情况", "经管的内部情况"),
        ("commissioner_b", "经管的内部情况", "机电的内部情况"),
    ):
        client = client_for(getattr(org, persona))
        for url in pages:
            html = client.get(url).content.decode()
            assert own in html and other not in html, (persona, url)
        export = str(read_xlsx(client.get("/work-points/2026/year-end.xlsx").content))
        assert own in export and other not in export, persona
    assert client_for(org.commissioner_b).get(evidence).status_code == 404
    assert client_for(org.commissioner_a).get(evidence).status_code == 200
    for persona in ("office", "leader", "member"):
        client = client_for(getattr(org, persona))
        for url in pages:
            html = client.get(url).content.decode()
            assert "机电的内部情况" in html and "经管的内部情况" in html, (persona, url)
        assert client.get(evidence).status_code == 200


def test_it_summarises_the_year_for_the_annual_report(org, plan):
    _dated_report(
        item(plan, 1), org.ufw_dept, 100, dt.date(2026, 11, 1), text="全年推送学习材料48期。"
    )
    _dated_report(item(plan, 2), org.ufw_dept, 70, dt.date(2026, 10, 1))
    outcomes = selectors.work_points_outcomes(2026, today=dt.date(2027, 1, 5))
    assert [(o.item.number, o.percent, o.light) for o in outcomes] == [
        (1, 100, Light.DONE),
        (2, 70, Light.BEHIND),  # the year is over: 30 points short
        (3, None, Light.LATE),
        (4, None, Light.LATE),
    ]
    assert outcomes[0].outcome == "全年推送学习材料48期。"
    assert selectors.work_points_outcomes(2019) == []
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=SHANGHAI), tick=False):
        html = client_for(org.leader).get("/work-points/2026/year-end/").content.decode()
    assert "全年推送学习材料48期。" in html
    assert "2026年统战工作要点完成情况" in html


def test_it_exports_the_items_with_their_status(org, plan, june):
    _dated_report(item(plan, 1), org.ufw_dept, 50, dt.date(2026, 5, 20))
    rows = read_xlsx(client_for(org.member).get("/work-points/2026/items.xlsx").content)
    assert rows[0] == [
        "部分",
        "事项",
        "内容",
        "牵头部门",
        "配合部门",
        "序号",
        "最新进度（%）",
        "最近报告",
        "状态",
    ]
    assert rows[1] == [
        "一、以政治建设为统领",
        "持续强化政治引领",
        "持续强化政治引领的内容。",
        "党委统战部",
        None,
        1,
        50,
        dt.date(2026, 5, 20),
        "正常推进",
    ]
    assert rows[3][3:6] == ["人事处", "机电工程学院", 3]
    assert len(rows) == 5


# Query counts -------------------------------------------------------------------------------------


def _many_items(plan: WorkPoints, n: int, unit: Unit) -> None:
    section = WorkPointsSection.objects.create(
        plan=plan, position=plan.sections.count() + 1, title=f"批量{n}"
    )
    start = plan.items.count()
    items = WorkPointsItem.objects.bulk_create(
        [
            WorkPointsItem(
                plan=plan,
                section=section,
                number=start + i + 1,
                title=f"事项{i}",
                body="…",
                lead_unit=unit,
            )
            for i in range(n)
        ]
    )
    WorkPointsItem.co_units.through.objects.bulk_create(
        [WorkPointsItem.co_units.through(workpointsitem_id=i.pk, unit_id=unit.pk) for i in items]
    )
    ProgressReport.objects.bulk_create(
        [ProgressReport(item=i, unit=unit, text="进展", percent=50) for i in items]
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # session, user, roles; the plan; items with their latest report; co-units;
        # sections; the engine's work-points deadline; the navbar (2). (Others than the
        # office: +1, their own items.)
        ("/work-points/2026/", 10),
        # session, user, roles; the plan; items; co-units; sections; navbar (2).
        ("/work-points/2026/edit/", 9),
        # session, user, roles; the plan; items; co-units; the plan's reports; navbar (2).
        ("/work-points/2026/year-end/", 9),
        # session, user, roles; the plan; items; co-units; the plan's reports.
        ("/work-points/2026/year-end.xlsx", 7),
        # session, user, roles; the plan; sections; items; co-units; navbar (2).
        ("/work-points/2026/text/", 9),
        # session, user, roles; the plan; items; co-units (a file: no navbar).
        ("/work-points/2026/items.xlsx", 6),
        # session, user, roles; count and page of plans with item counts; navbar (2).
        ("/work-points/", 7),
    ],
)
def test_it_reads_plans_in_a_constant_number_of_queries(
    org, june, url, expected, django_assert_num_queries
):
    plan = make_plan(2026, [])
    _many_items(plan, 5, org.ufw_dept)
    for year in range(2000, 2005):
        WorkPoints.objects.create(year=year, title=f"{year}")
    client = client_for(org.office)
    assert _count(client, url) == expected
    _many_items(plan, 495, org.ufw_dept)
    WorkPoints.objects.bulk_create([WorkPoints(year=y, title=f"{y}") for y in range(1500, 1995)])
    assert plan.items.count() == 500
    with django_assert_num_queries(expected):
        client.get(url)


def test_it_reads_an_items_reports_in_a_constant_number_of_queries(
    org, plan, june, django_assert_num_queries
):
    target = item(plan, 1)
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(item=target, unit=org.ufw_dept, text=f"第{i}次", percent=i)
            for i in range(5)
        ]
    )
    client = client_for(org.office)
    url = f"/work-points/items/{target.pk}/"
    # session, user, roles; the item with plan, section and lead unit; its co-units;
    # the reports with unit and author; the navbar (2).
    assert _count(client, url) == 8
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(item=target, unit=org.ufw_dept, text=f"第{i}次", percent=i % 100)
            for i in range(495)
        ]
    )
    with django_assert_num_queries(8):
        client.get(url)


def test_it_reads_the_plan_for_a_commissioner_in_constant_queries(
    org, june, django_assert_num_queries
):
    plan = make_plan(2026, [])
    _many_items(plan, 5, org.branch_a)
    client = client_for(org.commissioner_a)
    # The office's ten, and the commissioner's own units and their items ("only mine").
    assert _count(client, "/work-points/2026/") == 12
    _many_items(plan, 495, org.branch_a)
    with django_assert_num_queries(12):
        client.get("/work-points/2026/?mine=1")


def test_a_report_posted_three_times_at_once_is_one_report(org, plan, june):
    """Probe finding: three simultaneous posts of the same report made three reports."""
    client = client_for(org.commissioner_a)
    target = item(plan, 3)
    for _ in range(3):
        assert _report(client, target, org.school_a).status_code == 302
    assert ProgressReport.objects.count() == 1
    # A different text, or the same text later, is a new report.
    assert _report(client, target, org.school_a, text="又召开了一次座谈会。").status_code == 302
    assert ProgressReport.objects.count() == 2


def test_a_report_is_at_most_5000_characters(org, plan, june):
    response = _report(client_for(org.office), item(plan, 1), org.ufw_dept, text="长" * 100_000)
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not ProgressReport.objects.exists()
    with pytest.raises(ValidationError, match="最多5000字"):
        services.progress_report_create(
            item=item(plan, 1), unit=org.ufw_dept, text="长" * 5001, percent=10, by=org.office
        )


def test_the_admin_links_evidence_through_the_checked_view(org, plan, june):
    """Probe finding: the admin linked the evidence to its storage path (a 404: uploads
    are not served from MEDIA_URL)."""
    org.office.is_staff = True
    org.office.save()
    upload = SimpleUploadedFile("座谈会纪要.pdf", PDF, "application/pdf")
    _report(client_for(org.office), item(plan, 1), org.ufw_dept, evidence=upload)
    report = ProgressReport.objects.get()
    page = client_for(org.office).get(f"/admin/groups/progressreport/{report.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/work-points/reports/{report.pk}/evidence/"' in html
    assert report.evidence.name not in html

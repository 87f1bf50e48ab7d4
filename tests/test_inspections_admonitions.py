"""Admonition talks (通报约谈, issue 12, 000 §三(五)): the office proposes one against a
member unit for listed situations (the six of the seed, kept in the admin); records the
talk, which makes the unit's written report due 20 working days later on the calendar;
the unit reports with its file; the office concludes, done or assigning what is left as
a rectification. A unit sees only its own; Chinese refusals save nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import selectors, services
from inspections.models import Admonition, AdmonitionTrigger, Rectification
from inspections.rules import ADMONITION_REPORT
from portal.deadlines.models import Deadline
from tests.conftest import Org, client_for
from tests.deadline_helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.dateless]  # every date is explicit

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def propose(org: Org, unit=None, facts="工作部署推进不力，进度滞后。") -> Admonition:
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.admonition_propose(
            unit=unit or org.school_a,
            triggers=AdmonitionTrigger.objects.filter(position__in=[3, 4]),
            facts=facts,
            partners="党委组织部",
            by=org.office,
        )


def talked(org: Org, **kwargs) -> Admonition:
    admonition = propose(org, **kwargs)
    with time_machine.travel(at(2026, 9, 25, 15), tick=False):
        return services.admonition_talk(
            admonition=admonition,
            talk_on=D(2026, 9, 25),
            participants="办公室主任、学院党总支书记",
            record="指出问题，提出整改要求。",
            by=org.office,
        )


def test_the_seeds_six_situations_are_there_for_the_office_to_keep():
    names = list(AdmonitionTrigger.objects.values_list("name", flat=True))
    assert len(names) == 6
    assert names[2] == "对领导小组的工作部署推进不力、进度滞后、未按要求完成"
    assert names[5] == "发生涉及民族宗教领域群体性事件"


def test_the_office_keeps_the_list_in_the_admin(org):
    client = client_for(org.office)
    response = client.get(reverse("admin:inspections_admonitiontrigger_changelist"))
    assert (
        response.status_code == 200
        and "发生涉及民族宗教领域群体性事件" in response.content.decode()
    )
    assert (
        client_for(org.commissioner_a)
        .get(reverse("admin:inspections_admonitiontrigger_changelist"))
        .status_code
        == 302
    )  # not staff: the admin's login


def test_the_talk_makes_the_units_report_due_twenty_working_days_later_across_national_day(org):
    admonition = talked(org)
    deadline = Deadline.objects.get(rule=ADMONITION_REPORT, object_id=admonition.pk)
    # 25 September + 20 working days on the 2026 schedule: the National Day holiday
    # (1–7 October) skipped, Saturday 10 October worked: 29 October.
    assert deadline.due == D(2026, 10, 29)
    assert deadline.responsible_unit == org.school_a
    assert admonition.deadline_id == deadline.pk and admonition.state == "talked"


@pytest.mark.parametrize(
    ("talk_on", "message"),
    [
        (D(2026, 9, 26), "约谈日期不能晚于今天：请在约谈后登记。"),
        (D(2026, 8, 31), "约谈日期不能早于提出日期。"),
    ],
)
def test_a_talk_on_an_impossible_day_is_refused_and_nothing_changes(org, talk_on, message):
    admonition = propose(org)
    with time_machine.travel(at(2026, 9, 25, 15), tick=False), pytest.raises(ValidationError) as e:
        services.admonition_talk(
            admonition=admonition, talk_on=talk_on, participants="甲", record="乙", by=org.office
        )
    assert e.value.message_dict == {"talk_on": [message]}
    assert Admonition.objects.get().state == "proposed"
    assert not Deadline.objects.filter(rule=ADMONITION_REPORT).exists()


def test_proposing_asks_for_a_situation_and_the_facts_in_chinese(org):
    with pytest.raises(ValidationError) as error:
        services.admonition_propose(unit=org.school_a, triggers=[], facts="问题", by=org.office)
    assert error.value.message_dict == {"triggers": ["请选择至少一种约谈情形。"]}
    with pytest.raises(ValidationError) as error:
        services.admonition_propose(
            unit=org.school_a, triggers=AdmonitionTrigger.objects.all(), facts=" ", by=org.office
        )
    assert error.value.message_dict == {"facts": ["请填写存在的问题。"]}
    with pytest.raises(PermissionDenied):
        services.admonition_propose(
            unit=org.school_a,
            triggers=AdmonitionTrigger.objects.all(),
            facts="问题",
            by=org.commissioner_a,
        )
    assert not Admonition.objects.exists()
    assert propose(org).pk == propose(org).pk  # a double post is kept once


def test_the_unit_reports_with_its_file_and_the_deadline_is_met(org):
    admonition = talked(org)
    with time_machine.travel(at(2026, 10, 20, 9), tick=False):
        services.admonition_report(
            admonition=admonition,
            report="已对照问题逐项整改。",
            report_file=SimpleUploadedFile("整改报告.pdf", PDF),
            by=org.commissioner_a,
        )
    admonition = Admonition.objects.get()
    assert (admonition.state, admonition.reported_on) == ("reported", D(2026, 10, 20))
    assert Deadline.objects.get(rule=ADMONITION_REPORT).state == "met"
    url = reverse("admonition_file", args=[admonition.pk])
    download = client_for(org.commissioner_a).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(org.commissioner_b).get(url).status_code == 404


def test_the_verdict_can_assign_what_is_left_as_a_rectification(org):
    admonition = talked(org)
    services.admonition_report(admonition=admonition, report="部分整改。", by=org.commissioner_a)
    with time_machine.travel(at(2026, 10, 20, 9), tick=False):
        with pytest.raises(ValidationError) as error:
            services.admonition_conclude(
                admonition=admonition, verdict="rectify", note="仍有问题", by=org.office
            )
        assert error.value.message_dict == {"due": ["转交办整改的，请填写整改时限。"]}
        assert not Rectification.objects.exists()
        services.admonition_conclude(
            admonition=admonition,
            verdict="rectify",
            note="学习活动仍未组织。",
            measures="制定学习计划\n组织集中学习",
            due=D(2026, 11, 30),
            by=org.office,
        )
    admonition = Admonition.objects.select_related("rectification").get()
    rectification = admonition.rectification
    assert admonition.state == "concluded" and rectification is not None
    assert (rectification.unit, rectification.source) == (org.school_a, "admonition")
    assert rectification.title == "通报约谈后整改（2026-09-25）"
    assert rectification.problem == "学习活动仍未组织。"
    assert list(rectification.measures.values_list("text", flat=True)) == [
        "制定学习计划",
        "组织集中学习",
    ]
    page = client_for(org.commissioner_a).get(admonition.get_absolute_url()).content.decode()
    assert rectification.get_absolute_url() in page and "转交办整改" in page


def test_withdrawing_after_the_talk_waives_the_report(org):
    admonition = talked(org)
    services.admonition_withdraw(admonition=admonition, reason="经核实情况不属实", by=org.office)
    assert Admonition.objects.get().state == "withdrawn"
    deadline = Deadline.objects.get(rule=ADMONITION_REPORT)
    assert (deadline.state, deadline.waive_reason) == ("waived", "经核实情况不属实")


def test_a_unit_sees_only_its_own_admonitions(org):
    own = propose(org)
    other = propose(org, unit=org.branch_b, facts="另一单位的问题")
    assert set(selectors.admonitions_for_user(org.commissioner_a)) == {own}
    assert set(selectors.admonitions_for_user(org.commissioner_b)) == {other}
    assert set(selectors.admonitions_for_user(org.leader)) == {own, other}
    assert not selectors.admonitions_for_user(org.member).exists()
    assert not selectors.admonitions_for_user(org.outsider).exists()
    assert client_for(org.commissioner_b).get(own.get_absolute_url()).status_code == 404


def test_the_steps_go_through_their_pages(org):
    admonition = services.admonition_propose(  # on the test instant
        unit=org.school_a, triggers=AdmonitionTrigger.objects.all()[:1], facts="问题", by=org.office
    )
    office, unit = client_for(org.office), client_for(org.commissioner_a)
    talk = reverse("admonition_step", args=[admonition.pk, "talk"])
    assert unit.get(talk).status_code == 403
    assert office.get(talk).status_code == 200
    response = office.post(
        talk, {"talk_on": timezone.localdate().isoformat(), "participants": "甲", "record": "乙"}
    )
    assert response.status_code == 302
    report = reverse("admonition_step", args=[admonition.pk, "report"])
    response = unit.post(
        report,
        {"report": "已整改。", "report_file": SimpleUploadedFile("报告.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Admonition.objects.get().report_file
    conclude = reverse("admonition_step", args=[admonition.pk, "conclude"])
    response = office.post(conclude, {"verdict": "done", "note": "整改到位。"})
    assert response.status_code == 302
    assert Admonition.objects.get().verdict == "done"
    again = office.post(conclude, {"verdict": "done", "note": "整改到位。"}, follow=True)
    assert "当前状态为“已办结”，不能审核办结。" in again.content.decode()


def test_the_office_proposes_through_the_form(org):
    client = client_for(org.office)
    create = reverse("admonition_create")
    assert "发生涉及民族宗教领域群体性事件" in client.get(create).content.decode()
    triggers = list(AdmonitionTrigger.objects.values_list("pk", flat=True)[:2])
    response = client.post(
        create, {"unit": org.school_a.pk, "triggers": triggers, "facts": "进度滞后。"}
    )
    admonition = Admonition.objects.get()
    assert response["Location"] == admonition.get_absolute_url()
    assert admonition.triggers.count() == 2
    assert client_for(org.commissioner_a).get(create).status_code == 403


@pytest.mark.parametrize("persona", ["office", "commissioner_a"])
def test_the_list_runs_a_constant_number_of_queries(org, persona):
    client = client_for(getattr(org, persona))
    url = reverse("admonition_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    talked(org, facts="问题0")
    few = count()
    for number in range(1, 8):
        talked(org, facts=f"问题{number}")
    assert count() == few


def test_the_units_page_says_what_an_open_talk_is_about_and_where_it_stands(org):
    from portal.unit_panels import items_for

    talked(org, facts="本学期党外人士学习活动未按要求组织。\n其他情况。")
    items = [i for i in items_for(org.office, org.school_a, D(2026, 9, 28)) if i.kind == "通报约谈"]
    assert [i.title for i in items] == ["本学期党外人士学习活动未按要求组织。（待报送整改报告）"]
    assert items_for(org.commissioner_b, org.school_a, D(2026, 9, 28)) == []

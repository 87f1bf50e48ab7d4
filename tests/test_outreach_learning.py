"""The cadre reserve (党外后备干部) and training records: the office keeps them; leaders
see the whole reserve and commissioners their unit's; the office's assessment is the
office's alone, on the page, in the export and on the archive card (a one-page A4 PDF)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from outreach.models import Figure, OverseasRecord, ReserveCadre, SensitiveProfile, TrainingRecord
from outreach.services import learning
from portal.lib.errors import Forbidden, Refused
from portal.models import PoliticalStatus, SensitiveView
from tests.conftest import client_for
from tests.factories import PersonFactory

NOT_OFFICE = ("leader", "deputy", "member", "commissioner_a", "commissioner_b", "outsider")


def _figure(unit, name="党外甲", **extra) -> Figure:
    person = PersonFactory(
        name=name,
        unit=unit,
        political_status=PoliticalStatus.JIUSAN,
        birth_date=dt.date(1984, 5, 1),
        title="副教授",
    )
    return Figure.objects.create(
        person=person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=dt.date(2020, 1, 1),
        expertise="机械设计",
        **extra,
    )


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def figure(org):
    figure = _figure(org.branch_b)
    SensitiveProfile.objects.create(figure=figure, affiliation="2015年加入九三学社，任支社委员")
    OverseasRecord.objects.create(
        figure=figure,
        kind=OverseasRecord.Kind.STUDY,
        country="德国",
        institution="亚琛工业大学",
        degree=OverseasRecord.Degree.DOCTOR,
        start_year=2010,
        end_year=2014,
    )
    return figure


@pytest.fixture
def cadre(org, figure, today):
    return learning.reserve_add(
        figure=figure,
        added_on=today,
        proposed_post="二级学院副院长",
        assessment="政治立场坚定，业务能力突出。",
        by=org.office,
    )


def _training(org, person, course="自治区党外干部培训班", start=None, **extra) -> TrainingRecord:
    start = start or timezone.localdate()
    return learning.training_record_add(
        person=person,
        course=course,
        level=TrainingRecord.Level.REGION,
        organiser="自治区党委统战部",
        start_on=start,
        end_on=start + dt.timedelta(days=4),
        by=org.office,
        **extra,
    )


# Services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_keeps_the_reserve_and_the_training_records(org, figure, today, persona):
    by = getattr(org, persona)
    with pytest.raises(Forbidden, match="只有办公室工作人员"):
        learning.reserve_add(figure=figure, added_on=today, by=by)
    cadre = learning.reserve_add(figure=figure, added_on=today, by=org.office)
    with pytest.raises(Forbidden):
        learning.reserve_update(cadre=cadre, proposed_post="改", assessment="改", by=by)
    with pytest.raises(Forbidden):
        learning.reserve_end(cadre=cadre, removed_on=today, outcome="appointed", by=by)
    with pytest.raises(Forbidden):
        learning.training_record_add(
            person=figure.person,
            course="x",
            level="city",
            organiser="y",
            start_on=today,
            end_on=today,
            by=by,
        )
    record = _training(org, figure.person)
    with pytest.raises(Forbidden):
        learning.training_record_delete(record=record, by=by)
    cadre.refresh_from_db()
    assert (cadre.proposed_post, cadre.removed_on) == ("", None)
    assert list(TrainingRecord.objects.values_list("pk", flat=True)) == [record.pk]


def test_a_figure_is_in_the_reserve_once_at_a_time_and_may_come_back(org, figure, today):
    cadre = learning.reserve_add(figure=figure, added_on=today, by=org.office)
    with pytest.raises(Refused, match="已在后备干部名单中"):
        learning.reserve_add(figure=figure, added_on=today, by=org.office)  # a double click
    learning.reserve_end(cadre=cadre, removed_on=today, outcome="transferred", by=org.office)
    with pytest.raises(Refused, match="已于"):
        learning.reserve_end(cadre=cadre, removed_on=today, outcome="retired", by=org.office)
    with pytest.raises(Exception, match="不能早于上次退出日期"):
        learning.reserve_add(figure=figure, added_on=today - dt.timedelta(days=1), by=org.office)
    again = learning.reserve_add(figure=figure, added_on=today, by=org.office)
    assert ReserveCadre.objects.filter(figure=figure).count() == 2
    assert list(ReserveCadre.objects.current_on(today)) == [again]
    cadre.refresh_from_db()
    assert (cadre.outcome, cadre.outcome_label) == ("transferred", "调离")
    assert cadre.history.first().history_user == org.office


def test_it_refuses_an_inactive_figure_a_leaving_date_before_entry_and_no_reason(
    org, figure, today
):
    cadre = learning.reserve_add(figure=figure, added_on=today, by=org.office)
    with pytest.raises(Exception, match="退出日期不能早于列入日期"):
        learning.reserve_end(
            cadre=cadre, removed_on=today - dt.timedelta(days=1), outcome="retired", by=org.office
        )
    with pytest.raises(Exception, match="请选择退出原因"):
        learning.reserve_end(cadre=cadre, removed_on=today, outcome="", by=org.office)
    cadre.refresh_from_db()
    assert cadre.removed_on is None
    other = _figure(org.branch_a, name="不在册", is_active=False)
    with pytest.raises(Refused, match="已不在册"):
        learning.reserve_add(figure=other, added_on=today, by=org.office)
    assert not ReserveCadre.objects.filter(figure=other).exists()


def test_a_training_record_checks_its_dates_and_its_certificate(org, figure, today):
    with pytest.raises(Exception, match="结束日期不能早于开始日期"):
        learning.training_record_add(
            person=figure.person,
            course="研修班",
            level="city",
            organiser="市委统战部",
            start_on=today,
            end_on=today - dt.timedelta(days=1),
            by=org.office,
        )
    with pytest.raises(Exception, match="文件内容与扩展名"):
        _training(
            org, figure.person, certificate=SimpleUploadedFile("证书.pdf", b"not a pdf at all")
        )
    assert not TrainingRecord.objects.exists()
    record = _training(
        org, figure.person, certificate=SimpleUploadedFile("证书.pdf", b"%PDF-1.4 ok")
    )
    assert record.certificate.name.startswith("trainings/") and record.days == 5
    learning.training_record_delete(record=record, by=org.office)
    with pytest.raises(Refused, match="已删除"):  # the second click of a double click
        learning.training_record_delete(record=record, by=org.office)


# Pages ------------------------------------------------------------------------------------


def test_the_list_shows_each_role_its_scope_and_never_the_assessment(org, cadre, today):
    other = learning.reserve_add(
        figure=_figure(org.branch_a, name="党外乙"),
        added_on=today,
        assessment="另一份考察意见",
        by=org.office,
    )
    _training(org, cadre.figure.person)
    seen = {}
    for persona in ("office", "leader", "commissioner_a", "commissioner_b"):
        response = client_for(getattr(org, persona)).get(reverse("reserve_list"))
        assert response.status_code == 200
        seen[persona] = {c.pk for c in response.context["page"]}
        content = response.content.decode()
        assert "政治立场坚定" not in content and "另一份考察意见" not in content
    assert seen == {
        "office": {cadre.pk, other.pk},
        "leader": {cadre.pk, other.pk},
        "commissioner_a": {other.pk},
        "commissioner_b": {cadre.pk},
    }
    assert client_for(org.member).get(reverse("reserve_list")).status_code == 403
    counts = {
        c.pk: (c.training_count, c.last_training)
        for c in client_for(org.office).get(reverse("reserve_list")).context["page"]
    }
    assert counts == {cadre.pk: (1, today + dt.timedelta(days=4)), other.pk: (0, None)}


def test_the_list_filters_by_state_and_search(org, cadre, today):
    gone = learning.reserve_add(
        figure=_figure(org.branch_b, name="已退出者"), added_on=today, by=org.office
    )
    learning.reserve_end(cadre=gone, removed_on=today, outcome="appointed", by=org.office)
    client = client_for(org.office)

    def names(query: str) -> set[str]:
        page = client.get(reverse("reserve_list") + query).context["page"]
        return {c.name for c in page}

    assert names("") == {"党外甲"}  # today's reserve by default
    assert names("?state=ended") == {"已退出者"}
    assert names("?state=all") == {"党外甲", "已退出者"}
    assert names("?state=all&q=副院长") == {"党外甲"}
    assert names(f"?state=all&unit={org.branch_a.pk}") == set()


def test_the_list_runs_the_same_queries_for_one_cadre_or_many(org, cadre, today):
    client = client_for(org.leader)
    client.get(reverse("reserve_list"))  # warm the session and the roles
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reserve_list"))
    for n in range(12):
        extra = learning.reserve_add(
            figure=_figure(org.branch_b, name=f"后备{n}"), added_on=today, by=org.office
        )
        _training(org, extra.figure.person)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reserve_list"))
    assert len(response.context["page"]) == 13
    assert len(many) == len(one)


def test_the_export_reads_back_with_the_assessment_for_the_office_only(org, cadre):
    _training(org, cadre.figure.person)
    for persona, with_assessment in (("office", True), ("leader", False)):
        response = client_for(getattr(org, persona)).get(reverse("reserve_export"))
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("姓名", "单位", "类别")
        assert ("考察意见" in rows[0]) is with_assessment
        assert rows[1][0] == "党外甲" and rows[1][4] == "二级学院副院长" and rows[1][5] == 1
        text = "".join(str(v) for row in rows for v in row if v)
        assert ("业务能力突出" in text) is with_assessment
        assert "九三学社" not in text  # never the sensitive data


def test_the_profile_shows_sensitive_data_only_to_those_who_may_see_it_and_logs(org, cadre):
    url = cadre.get_absolute_url()
    office = client_for(org.office).get(url).content.decode()
    assert "亚琛工业大学" in office and "业务能力突出" in office
    leader = client_for(org.leader).get(url).content.decode()
    assert "亚琛工业大学" not in leader and "业务能力突出" not in leader
    assert "二级学院副院长" in leader
    assert client_for(org.commissioner_a).get(url).status_code == 404
    assert not SensitiveView.objects.exists()  # the office's reading is not logged
    # The paired leader sees it, and the look is logged.
    from outreach.models import FriendshipPair

    FriendshipPair.objects.create(
        leader=org.leader.person, figure=cadre.figure, start_date=timezone.localdate()
    )
    assert "亚琛工业大学" in client_for(org.leader).get(url).content.decode()
    assert SensitiveView.objects.filter(viewer=org.leader, person=cadre.figure.person).count() == 1


def test_the_office_adds_ends_and_records_training_through_the_pages(org, figure, today):
    client = client_for(org.office)
    response = client.post(
        reverse("reserve_create"),
        {"figure": figure.pk, "added_on": today.isoformat(), "proposed_post": "处级"},
    )
    cadre = ReserveCadre.objects.get(figure=figure)
    assert response.status_code == 302 and response["Location"] == cadre.get_absolute_url()
    # The figure is no longer offered, and a second post is refused in Chinese.
    form = client.get(reverse("reserve_create")).context["form"]
    assert figure not in form.fields["figure"].queryset
    response = client.post(
        reverse("reserve_create"), {"figure": figure.pk, "added_on": today.isoformat()}
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    bad = client.post(
        reverse("training_create", args=[cadre.pk]),
        {
            "course": "研修班",
            "level": "college",
            "organiser": "党委统战部",
            "start_on": today.isoformat(),
            "end_on": (today - dt.timedelta(days=2)).isoformat(),
        },
    )
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    assert not TrainingRecord.objects.exists()
    ok = client.post(
        reverse("training_create", args=[cadre.pk]),
        {
            "course": "研修班",
            "level": "college",
            "organiser": "党委统战部",
            "start_on": today.isoformat(),
            "end_on": today.isoformat(),
            "certificate": SimpleUploadedFile("结业证书.pdf", b"%PDF-1.4 cert"),
        },
    )
    assert ok.status_code == 302
    record = TrainingRecord.objects.get()
    download = client_for(org.leader).get(reverse("training_certificate", args=[record.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 cert"
    assert (
        client_for(org.commissioner_a)
        .get(reverse("training_certificate", args=[record.pk]))
        .status_code
        == 404
    )
    response = client.post(
        reverse("reserve_end", args=[cadre.pk]),
        {"removed_on": today.isoformat(), "outcome": "appointed"},
    )
    cadre.refresh_from_db()
    assert response.status_code == 302 and cadre.outcome == "appointed"
    # Deleting twice: the second says it is gone, nothing else happens.
    url = reverse("training_delete", args=[cadre.pk, record.pk])
    assert client.post(url).status_code == 302
    follow = client.post(url, follow=True)
    assert "该培训记录已删除" in follow.content.decode()


# The archive card -------------------------------------------------------------------------


def _card(client, cadre) -> tuple[PdfReader, str]:
    response = client.get(reverse("reserve_card", args=[cadre.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, "".join(text.split())  # a cell's text may wrap anywhere


def test_the_card_is_one_a4_page_with_embedded_cjk_fonts(org, cadre):
    for n in range(14):  # more courses than the card has rows for
        _training(
            org, cadre.figure.person, course=f"第{n + 1}期研修班", start=dt.date(2020, 1, n + 1)
        )
    learning.reserve_update(
        cadre=cadre, proposed_post=cadre.proposed_post, assessment="优秀。" * 400, by=org.office
    )
    reader, text = _card(client_for(org.office), cadre)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert "党外后备干部档案卡" in text and "党外甲" in text and "另有6条" in text
    fonts = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
            fonts.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= fonts


def test_the_card_shows_each_reader_what_they_may_see(org, cadre):
    _, office = _card(client_for(org.office), cadre)
    assert "亚琛工业大学" in office and "九三学社" in office and "业务能力突出" in office
    _, leader = _card(client_for(org.leader), cadre)
    assert "二级学院副院长" in leader
    assert "亚琛工业大学" not in leader and "九三学社" not in leader
    assert "业务能力突出" not in leader and "无权查看" in leader

"""Faults (issue 14): a full disk or an unwritable media folder while a file is uploaded,
an official PDF is issued or an export job writes its workbook. The page shows a Chinese
error (a form comes back with what was typed), no row is left pointing at a missing file,
no half-written file stays behind, nothing moves on (states, deadlines), and an issue
that failed uses no number; once the disk is mended the same post goes through. The
storage really fails: a tmpfs of 16 KiB already full (ENOSPC), or a `MEDIA_ROOT` under a
regular file (the folder cannot be made); the database is real."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
import tempfile
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import ProgressReport
from inspections import research_services as research
from inspections import services as inspections
from inspections.models import (
    Admonition,
    Finding,
    Progress,
    Rectification,
    ResearchTopic,
    ResearchVisit,
    SupervisionCase,
)
from inspections.rules import ADMONITION_REPORT, RESEARCH_REPORT, RESEARCH_TOPIC_DUE
from liaisons import services as liaisons
from liaisons.models import Consultation, PublicityImage, PublicityPiece
from liaisons.rules import CONSULTATION_ANSWER
from meetings.models import Material
from outreach.models import (
    Figure,
    FiveOne,
    ReserveCadre,
    StudyActivity,
    StudyParticipant,
    TrainingRecord,
)
from outreach.services import learning
from portal.deadlines.models import Deadline, Delivery
from portal.documents.models import Document, DocumentAttachment, DocumentStep
from portal.exportjobs.models import ExportJob
from portal.models import PoliticalStatus
from portal.uploads import STORAGE_FAULT_MESSAGE, storing_files
from reports import upward_services as upward
from reports.models import Experience
from tests.conftest import client_for
from tests.documents_helpers import draft, sample_file, signed
from tests.factories import PersonFactory
from tests.groups_helpers import make_plan
from tests.meetings_helpers import make_meeting
from tests.test_inspections_admonitions import talked as admonition_talked
from tests.test_inspections_research import ended as research_ended
from tests.test_inspections_research import topic as research_topic
from tests.test_inspections_supervision import approved as supervision_approved
from tests.test_inspections_supervision import item as inspection_item
from tests.test_liaisons_publicity import PNG
from tests.test_liaisons_publicity import draft as publicity_draft

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 8192
MESSAGE = "文件未能保存：服务器存储空间不足或不可写，请稍后再试或联系管理员。"


class Media:
    """The broken media folder and what is on the disk under it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self) -> set[Path]:
        return {path for path in self.root.rglob("*") if path.is_file()}


def _mount_full_tmpfs(mountpoint: Path) -> bool:
    mount = shutil.which("mount")
    if mount is None:
        return False
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [mount, "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return False
    with contextlib.suppress(OSError):  # full, as meant
        (mountpoint / "filler").write_bytes(b"\0" * 64 * 1024)
    return os.statvfs(mountpoint).f_bavail == 0


@pytest.fixture(params=["disk-full", "not-a-folder"])
def broken_media(request, settings, tmp_path) -> Iterator[Media]:
    if request.param == "disk-full":
        mountpoint = tmp_path / "media"
        mountpoint.mkdir()
        if not _mount_full_tmpfs(mountpoint):
            pytest.skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)")
        try:
            settings.MEDIA_ROOT = str(mountpoint)
            yield Media(mountpoint)
        finally:
            subprocess.run(  # noqa: S603 - fixed arguments
                [shutil.which("umount") or "umount", "-l", str(mountpoint)], check=False
            )
    else:
        blocker = tmp_path / "media"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = str(blocker / "media")
        yield Media(tmp_path)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The mechanism ----------------------------------------------------------------------------


def test_the_storage_raises_the_chinese_error_logs_it_and_leaves_no_partial_file(
    broken_media, caplog
):
    before = broken_media.files()
    with (
        caplog.at_level(logging.ERROR, logger="portal.uploads"),
        pytest.raises(ValidationError) as caught,
    ):
        default_storage.save("evidence/x.pdf", ContentFile(PDF))
    assert caught.value.messages == [MESSAGE]
    assert str(STORAGE_FAULT_MESSAGE) == MESSAGE
    assert "could not store evidence/x.pdf" in caplog.text
    assert broken_media.files() == before


def test_a_failed_service_removes_the_files_it_had_stored(org: object) -> None:
    @storing_files()
    def stores_then_fails() -> None:
        default_storage.save("evidence/first.pdf", ContentFile(PDF))
        raise ValidationError("后面一步失败")

    with pytest.raises(ValidationError):
        stores_then_fails()
    assert not any(Path(default_storage.location).rglob("*.pdf"))


def test_an_inner_service_s_files_go_when_the_outer_one_fails(org: object) -> None:
    @storing_files()
    def inner() -> str:
        return default_storage.save("evidence/inner.pdf", ContentFile(PDF))

    @storing_files()
    def outer() -> None:
        inner()
        raise ValidationError("外层失败")

    kept = inner()
    with pytest.raises(ValidationError):
        outer()
    assert [p.name for p in Path(default_storage.location).rglob("*.pdf")] == [Path(kept).name]


# Official documents --------------------------------------------------------------------------


def test_an_attachment_is_refused_in_chinese_and_nothing_is_kept(org, broken_media):
    document = draft(org)
    before = broken_media.files()
    response = client_for(org.office).post(
        reverse("document_attach", args=[document.pk]),
        {"file": sample_file("安排表.pdf")},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [MESSAGE]
    assert not DocumentAttachment.objects.exists()
    assert broken_media.files() == before


def test_an_issue_that_cannot_store_its_pdf_leaves_the_document_signed_and_its_number_unused(
    org, broken_media, settings, tmp_path_factory
):
    document = signed(org)
    steps = DocumentStep.objects.filter(document=document).count()
    before = broken_media.files()
    client = client_for(org.office)
    response = client.post(
        reverse("document_issue", args=[document.pk]),
        {"recipient_units": [org.branch_a.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [MESSAGE]
    failed = Document.objects.get(pk=document.pk)
    assert failed.state == Document.State.SIGNED
    assert (failed.number, failed.reference, failed.pdf.name) == (None, "", "")
    assert not failed.recipients.exists()
    assert DocumentStep.objects.filter(document=document).count() == steps
    assert broken_media.files() == before

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))  # the disk is fixed
    again = {"recipient_units": [org.branch_a.pk]}
    client.post(reverse("document_issue", args=[document.pk]), again)
    issued = Document.objects.get(pk=document.pk)
    assert issued.state == Document.State.ISSUED
    assert issued.number == 1  # the first of the year: the failed issue used none
    assert issued.pdf.read().startswith(b"%PDF")


# Work points, meetings --------------------------------------------------------------------------


def test_a_progress_report_with_evidence_is_refused_in_chinese(org, broken_media):
    plan = make_plan(2026, [("一", [("事项", org.ufw_dept, [])])])
    target = plan.items.get(number=1)
    before = broken_media.files()
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        response = client_for(org.office).post(
            f"/work-points/items/{target.pk}/report/",
            {
                "unit": org.ufw_dept.pk,
                "percent": 40,
                "text": "已召开座谈会。",
                "evidence": SimpleUploadedFile("台账.pdf", PDF),
            },
        )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert broken_media.files() == before


def test_a_meeting_material_is_refused_in_chinese(org, broken_media):
    meeting = make_meeting(org)
    before = broken_media.files()
    response = client_for(org.office).post(
        f"/meetings/{meeting.pk}/materials/",
        {"file": SimpleUploadedFile("会议议程.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    assert _messages(response) == [MESSAGE]
    assert not Material.objects.exists()
    assert broken_media.files() == before


# Outreach ---------------------------------------------------------------------------------------


def _figure(unit, name: str, **flags) -> Figure:
    person = PersonFactory(name=name, unit=unit, political_status=PoliticalStatus.JIUSAN)
    return Figure.objects.create(
        person=person,
        category=Figure.Category.DEMOCRATIC_PARTY,
        registered_on=dt.date(2020, 1, 1),
        **flags,
    )


def test_a_study_with_its_material_is_refused_in_chinese(org, broken_media):
    _figure(org.school_a, "代表甲", is_representative=True)
    before = broken_media.files()
    response = client_for(org.office).post(
        reverse("study_create"),
        {
            "kind": "online",
            "title": "学习新条例",
            "material": "原文见附件。",
            "held_on": "2026-06-01",
            "confirm_by": "2026-06-10",
            "groups": ["representatives"],
            "attachment": SimpleUploadedFile("条例.pdf", PDF),
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not StudyActivity.objects.exists() and not StudyParticipant.objects.exists()
    assert broken_media.files() == before


def test_a_five_one_with_evidence_is_refused_in_chinese(org, broken_media):
    figure = _figure(org.branch_b, "重点乙", is_key_contact=True)
    before = broken_media.files()
    response = client_for(org.office).post(
        reverse("five_ones", args=[figure.pk]) + "?year=2026",
        {
            "item": "proposal",
            "done_on": "2026-05-20",
            "title": "关于校园停车的建议",
            "evidence": SimpleUploadedFile("建议.pdf", PDF),
        },
    )
    assert response.status_code == 400  # the page's answer to a refused form
    assert MESSAGE in response.content.decode()
    assert not FiveOne.objects.exists()
    assert broken_media.files() == before


def test_a_training_certificate_is_refused_in_chinese(org, broken_media):
    figure = _figure(org.branch_b, "党外甲")
    cadre = learning.reserve_add(
        figure=figure,
        added_on=dt.date(2026, 6, 1),
        proposed_post="二级学院副院长",
        assessment="政治立场坚定。",
        by=org.office,
    )
    before = broken_media.files()
    response = client_for(org.office).post(
        reverse("training_create", args=[cadre.pk]),
        {
            "course": "研修班",
            "level": "college",
            "organiser": "党委统战部",
            "start_on": "2026-06-01",
            "end_on": "2026-06-05",
            "certificate": SimpleUploadedFile("结业证书.pdf", PDF),
        },
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not TrainingRecord.objects.exists()
    assert ReserveCadre.objects.count() == 1
    assert broken_media.files() == before


# Inspections ----------------------------------------------------------------------------------


def test_rectification_progress_with_evidence_is_refused_on_its_page_with_what_was_typed(
    org, broken_media, settings, tmp_path_factory
):
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=SHANGHAI), tick=False):
        rectification = inspections.rectification_assign(
            unit=org.school_a,
            source=Rectification.Source.SUPERVISION,
            title="实训室安全管理",
            problem="安全台账不全。",
            measures="建立台账\n定期检查",
            due=dt.date(2026, 9, 30),
            by=org.office,
        )
        measure = rectification.measures.get(position=2)
        url = reverse("rectification_progress_add", args=[rectification.pk])
        posted = {"measure": measure.pk, "text": "已建立安全台账，每周检查一次"}
        before, rows = broken_media.files(), _rows(Progress, Rectification)
        client = client_for(org.commissioner_a)
        response = client.post(url, {**posted, "evidence": _pdf("台账.pdf")})
        _form_again(response, "已建立安全台账，每周检查一次", "实训室安全管理")
        page = response.content.decode()
        assert f'<option value="{measure.pk}" selected>' in page  # the measure chosen
        assert _messages(response) == []  # on the form, not a message after a redirect
        assert _rows(Progress, Rectification) == rows
        assert not Progress.objects.exists()
        assert Rectification.objects.get().state == rectification.state
        assert broken_media.files() == before

        mended = _mended(settings, tmp_path_factory)
        response = client.post(url, {**posted, "evidence": _pdf("台账.pdf")})
    assert response.status_code == 302
    assert response["Location"] == f"{rectification.get_absolute_url()}#progress"
    progress = Progress.objects.get()
    assert (progress.measure, progress.text) == (measure, "已建立安全台账，每周检查一次")
    assert progress.evidence.read() == PDF
    assert [p.name for p in mended.rglob("*.pdf")] == [Path(progress.evidence.name).name]


# The forms of the other file-storing services: posted as their users ------------------------
#
# Each: with the storage failing, the form comes back (200) with the Chinese message and
# what was typed, and nothing changed (rows, state, deadlines, files); once the disk is
# mended the same post goes through.


def _mended(settings, tmp_path_factory) -> Path:
    """The administrator freed space / fixed the folder: a writable media folder."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(root)
    return root


def _form_again(response, *typed: str) -> None:
    """The service's storage fault is on the form page again, with what was typed."""
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page
    for text in typed:
        assert text in page


def _rows(*models) -> dict[str, int]:
    """Row counts of the models and of their change history (simple-history)."""
    counts = {}
    for model in models:
        counts[model._meta.label] = model.objects.count()
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{model._meta.label} history"] = history.model.objects.count()
    return counts


def _pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_an_experience_with_its_attachment_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    posted = {
        "unit": org.school_a.pk,
        "title": "联系党外教师三个一",
        "summary": "每月一次谈心",
        "body": "一是建立台账。\n\n二是定期走访。",
    }
    before, rows = broken_media.files(), _rows(Experience)
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.commissioner_a)
        response = client.post(
            reverse("experience_create"), {**posted, "attachment": _pdf("台账.pdf")}
        )
        _form_again(response, "联系党外教师三个一", "每月一次谈心", "二是定期走访。")
        assert _rows(Experience) == rows
        assert broken_media.files() == before

        mended = _mended(settings, tmp_path_factory)
        response = client.post(
            reverse("experience_create"), {**posted, "attachment": _pdf("台账.pdf")}
        )
    experience = Experience.objects.get()
    assert response.status_code == 302 and response["Location"] == experience.get_absolute_url()
    assert experience.attachment.read() == PDF
    assert [p.name for p in mended.rglob("*.pdf")] == [Path(experience.attachment.name).name]


def test_a_corrected_experience_with_a_new_attachment_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, tzinfo=SHANGHAI), tick=False):
        experience = upward.experience_create(
            unit=org.school_a, title="原标题", summary="", body="原正文。", by=org.commissioner_a
        )
        posted = {"title": "改后的标题", "summary": "新摘要", "body": "改后的正文。"}
        client = client_for(org.commissioner_a)
        url = reverse("experience_edit", args=[experience.pk])
        before, rows = broken_media.files(), _rows(Experience)
        response = client.post(url, {**posted, "attachment": _pdf()})
        _form_again(response, "改后的标题", "新摘要", "改后的正文。")
        kept = Experience.objects.get()
        assert (kept.title, kept.body, kept.attachment.name, kept.state) == (
            "原标题",
            "原正文。",
            "",
            Experience.State.DRAFTING,
        )
        assert _rows(Experience) == rows
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(url, {**posted, "attachment": _pdf()})
    assert response.status_code == 302
    corrected = Experience.objects.get()
    assert (corrected.title, corrected.body) == ("改后的标题", "改后的正文。")
    assert corrected.attachment.read() == PDF


def test_a_consultation_with_its_draft_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    posted = {
        "unit": org.branch_a.pk,
        "kind": "document",
        "title": "《党外人士联系办法》征求意见稿",
        "matter": "请审阅第三条。",
    }
    before, rows = broken_media.files(), _rows(Consultation, Deadline)
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.commissioner_a)
        response = client.post(
            reverse("consultation_create"), {**posted, "draft": _pdf("办法.pdf")}
        )
        _form_again(response, "《党外人士联系办法》征求意见稿", "请审阅第三条。")
        assert _rows(Consultation, Deadline) == rows  # no request, no deadline for the office
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(
            reverse("consultation_create"), {**posted, "draft": _pdf("办法.pdf")}
        )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.draft.read() == PDF
    assert Deadline.objects.get(rule=CONSULTATION_ANSWER).state == "open"


def test_a_consultation_whose_deadline_fails_after_its_draft_was_stored_leaves_no_file(
    org, settings, monkeypatch
):
    """The draft is stored before the office's deadline is opened: a failure there rolls
    the request back and removes the draft (`storing_files`), not only a full disk."""

    def refuse(**kwargs):
        raise ValidationError("期限未能登记")

    monkeypatch.setattr(liaisons, "deadline_open", refuse)
    with pytest.raises(ValidationError):
        liaisons.consultation_file(
            unit=org.branch_a,
            kind="document",
            title="《党外人士联系办法》征求意见稿",
            matter="请审阅。",
            draft=_pdf("办法.pdf"),
            by=org.commissioner_a,
        )
    assert not Consultation.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_publicity_image_is_refused_on_the_pieces_page_with_its_caption(
    org, broken_media, settings, tmp_path_factory
):
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.publicity)
        piece = publicity_draft(org)
        url = reverse("publicity_image_add", args=[piece.pk])
        before, rows = broken_media.files(), _rows(PublicityImage, PublicityPiece)
        response = client.post(
            url, {"image": SimpleUploadedFile("颁奖.png", PNG, "image/png"), "caption": "颁奖现场"}
        )
        _form_again(response, piece.title, 'value="颁奖现场"')
        assert _rows(PublicityImage, PublicityPiece) == rows
        assert PublicityPiece.objects.get().state == PublicityPiece.State.DRAFT
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(
            url, {"image": SimpleUploadedFile("颁奖.png", PNG, "image/png"), "caption": "颁奖现场"}
        )
    assert response.status_code == 302 and response["Location"] == piece.get_absolute_url()
    image = PublicityImage.objects.get()
    assert (image.caption, image.image.read()) == ("颁奖现场", PNG)


def test_an_admonition_report_with_its_file_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    admonition = admonition_talked(org)
    url = reverse("admonition_step", args=[admonition.pk, "report"])
    before, rows = broken_media.files(), _rows(Admonition, Deadline)
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.commissioner_a)
        response = client.post(
            url, {"report": "已对照问题逐项整改。", "report_file": _pdf("整改报告.pdf")}
        )
        _form_again(response, "已对照问题逐项整改。")
        kept = Admonition.objects.get()
        assert (kept.state, kept.report, kept.report_file.name, kept.reported_on) == (
            "talked",
            "",
            "",
            None,
        )
        assert Deadline.objects.get(rule=ADMONITION_REPORT).state == "open"
        assert _rows(Admonition, Deadline) == rows
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(
            url, {"report": "已对照问题逐项整改。", "report_file": _pdf("整改报告.pdf")}
        )
    assert response.status_code == 302
    reported = Admonition.objects.get()
    assert (reported.state, reported.report_file.read()) == ("reported", PDF)
    assert Deadline.objects.get(rule=ADMONITION_REPORT).state == "met"


def test_a_research_visit_report_with_its_file_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    visit = research_ended(org)
    url = reverse("research_visit_step", args=[visit.pk, "report"])
    before, rows = broken_media.files(), _rows(ResearchVisit, Deadline)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.office)
        response = client.post(url, {"report": "调研指导报告正文。", "report_file": _pdf()})
        _form_again(response, "调研指导报告正文。")
        kept = ResearchVisit.objects.get()
        assert (kept.state, kept.report, kept.report_file.name, kept.reported_on) == (
            "ended",
            "",
            "",
            None,
        )
        assert Deadline.objects.get(rule=RESEARCH_REPORT).state == "open"
        assert _rows(ResearchVisit, Deadline) == rows
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(url, {"report": "调研指导报告正文。", "report_file": _pdf()})
    assert response.status_code == 302
    reported = ResearchVisit.objects.get()
    assert (reported.state, reported.report_file.read()) == ("reported", PDF)
    assert Deadline.objects.get(rule=RESEARCH_REPORT).state == "met"


def test_a_research_topics_outcome_with_its_file_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    topic = research_topic(org, person=org.figure_a)
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=SHANGHAI), tick=False):
        research.research_topic_assign(topic=topic, due=dt.date(2026, 11, 30), by=org.office)
    url = reverse("research_topic_step", args=[topic.pk, "complete"])
    posted = {"outcome_kind": "paper", "outcome": "《高校统战工作融合机制研究》"}
    before, rows = broken_media.files(), _rows(ResearchTopic, Deadline)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.commissioner_a)
        response = client.post(url, {**posted, "outcome_file": _pdf("论文.pdf")})
        _form_again(response, "《高校统战工作融合机制研究》")
        kept = ResearchTopic.objects.get()
        assert (kept.state, kept.outcome, kept.outcome_file.name, kept.completed_on) == (
            "assigned",
            "",
            "",
            None,
        )
        assert Deadline.objects.get(rule=RESEARCH_TOPIC_DUE).state == "open"
        assert _rows(ResearchTopic, Deadline) == rows
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(url, {**posted, "outcome_file": _pdf("论文.pdf")})
    assert response.status_code == 302
    completed = ResearchTopic.objects.get()
    assert (completed.state, completed.outcome_file.read()) == ("completed", PDF)
    assert Deadline.objects.get(rule=RESEARCH_TOPIC_DUE).state == "met"


def test_a_supervision_finding_with_its_evidence_is_refused_on_its_form(
    org, broken_media, settings, tmp_path_factory
):
    case = supervision_approved(org)
    url = reverse("supervision_step", args=[case.pk, "record"])
    posted = {
        "unit": org.school_a.pk,
        "item": inspection_item(3).pk,
        "item_text": "",
        "text": "统战工作台账不全",
        "is_problem": "on",
    }
    before, rows = broken_media.files(), _rows(Finding, SupervisionCase)
    with time_machine.travel(dt.datetime(2026, 9, 18, 10, tzinfo=SHANGHAI), tick=False):
        client = client_for(org.office)
        response = client.post(url, {**posted, "evidence": _pdf("台账照片.pdf")})
        _form_again(response, "统战工作台账不全")
        assert _rows(Finding, SupervisionCase) == rows
        assert SupervisionCase.objects.get().state == "approved"
        assert broken_media.files() == before

        _mended(settings, tmp_path_factory)
        response = client.post(url, {**posted, "evidence": _pdf("台账照片.pdf")})
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.unit, finding.is_problem, finding.evidence.read()) == (org.school_a, True, PDF)


# Export jobs ------------------------------------------------------------------------------------


@pytest.fixture
def export_jobs(settings, eager_tasks):
    """Exports always as jobs, their tasks run here when the request commits."""
    settings.EXPORT_ASYNC_THRESHOLD = 1
    settings.DEADLINE_CHANNELS = ["inbox"]
    return settings


def _export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("export_job_create"), {"key": "units", "query": ""})


def _told_of_the_failure(client, job: ExportJob) -> None:
    assert (job.state, job.error, job.file.name) == (ExportJob.State.FAILED, "storage", "")
    detail = client.get(job.get_absolute_url()).content.decode()
    assert MESSAGE in detail and "生成失败。请回到列表重新导出，或联系办公室。" in detail
    assert reverse("export_job_download", args=[job.pk]) not in detail
    listing = client.get(reverse("export_job_list")).content.decode()
    assert "失败" in listing and MESSAGE in listing
    assert not Delivery.objects.filter(key=f"exports.done/{job.pk}").exists()
    # The inbox, which was to bring the download link, says it failed and why, once.
    told = Delivery.objects.get(key=f"exports.failed/{job.pk}")
    assert told.subject.startswith("导出未能完成") and told.body == MESSAGE


def _export_again_works(client, failed: ExportJob, django_capture_on_commit_callbacks) -> None:
    """重新导出 once the storage is back: a new job, done, announced, downloadable."""
    response = _export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == ExportJob.State.DONE, job.error
    assert Delivery.objects.filter(key=f"exports.done/{job.pk}").count() == 1
    download = client.get(reverse("export_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")  # an xlsx (a zip)
    assert ExportJob.objects.get(pk=failed.pk).state == ExportJob.State.FAILED


def test_an_export_job_that_cannot_store_its_file_fails_in_chinese_and_a_new_one_works(
    org, broken_media, export_jobs, settings, tmp_path_factory, django_capture_on_commit_callbacks
):
    client = client_for(org.office)
    before = broken_media.files()
    response = _export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    _told_of_the_failure(client, job)
    assert broken_media.files() == before  # no half-written workbook

    _mended(settings, tmp_path_factory)
    _export_again_works(client, job, django_capture_on_commit_callbacks)


def test_an_export_job_whose_temporary_workbook_cannot_be_written_fails_the_same_way(
    org, export_jobs, settings, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    blocker = tmp_path / "tmp"
    blocker.write_text("a file where the temporary folder should be")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    client = client_for(org.office)
    _export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    _told_of_the_failure(client, job)
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))

    monkeypatch.undo()  # the temporary folder is back
    _export_again_works(client, job, django_capture_on_commit_callbacks)

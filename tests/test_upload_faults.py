"""Faults (issue 14): a full disk or an unwritable media folder while a file is uploaded
or an official PDF is issued. The page shows a Chinese error, no row is left pointing at
a missing file, no half-written file stays behind, and an issue that failed uses no
number. The storage really fails: a tmpfs of 16 KiB already full (ENOSPC), or a
`MEDIA_ROOT` under a regular file (the folder cannot be made); the database is real."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import subprocess
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
from inspections import services as inspections
from inspections.models import Progress, Rectification
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
from portal.documents.models import Document, DocumentAttachment, DocumentStep
from portal.models import PoliticalStatus
from portal.uploads import STORAGE_FAULT_MESSAGE, storing_files
from tests.conftest import client_for
from tests.documents_helpers import draft, sample_file, signed
from tests.factories import PersonFactory
from tests.groups_helpers import make_plan
from tests.meetings_helpers import make_meeting

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


def test_rectification_progress_with_evidence_is_refused_in_chinese(org, broken_media):
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=SHANGHAI), tick=False):
        rectification = inspections.rectification_assign(
            unit=org.school_a,
            source=Rectification.Source.SUPERVISION,
            title="实训室安全管理",
            problem="安全台账不全。",
            measures="建立台账",
            due=dt.date(2026, 9, 30),
            by=org.office,
        )
        before = broken_media.files()
        response = client_for(org.commissioner_a).post(
            reverse("rectification_progress_add", args=[rectification.pk]),
            {
                "measure": rectification.measures.get().pk,
                "text": "已建立安全台账",
                "evidence": SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf"),
            },
        )
    assert response.status_code == 302
    assert _messages(response) == [MESSAGE]
    assert not Progress.objects.exists()
    assert broken_media.files() == before

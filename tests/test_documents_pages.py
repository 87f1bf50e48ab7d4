"""The document pages: what each role sees and may do, the messages a refused step
shows, attachments, downloads, the public verification page and the series settings."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.documents import services
from portal.documents.models import Document, DocumentRecipient, DocumentSeries
from portal.documents.registry import Importance
from portal.models import Unit
from tests.conftest import client_for
from tests.documents_helpers import TITLE, awaiting, draft, issued, sample_file, snapshot

State = Document.State


def page(user, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def post(user, url: str, data: dict | None = None):
    return client_for(user).post(url, data or {}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# The list ----------------------------------------------------------------------------


def make_issued_rows(org, count: int) -> None:
    """`count` issued documents, half of them sent to branch A (bulk, for the list)."""
    series = DocumentSeries.objects.get(key="ufw-office")
    rows = Document.objects.bulk_create(
        Document(
            kind="notice",
            importance=Importance.GENERAL,
            title=f"第{n}号通知",
            body="正文。",
            drafting_unit=org.ufw_dept,
            drafter=org.office,
            by_office=True,
            state=State.ISSUED,
            series=series,
            year=2026,
            number=n,
            reference=series.format_number(2026, n),
            verification_code=f"{n:012d}",
        )
        for n in range(1, count + 1)
    )
    DocumentRecipient.objects.bulk_create(
        DocumentRecipient(document=row, unit=org.branch_a) for row in rows[::2]
    )


@pytest.mark.parametrize(
    ("persona", "url", "queries"),
    [
        ("office", "/documents/?tab=all", 9),
        ("office", "/documents/?tab=issued&q=号&year=2026&kind=notice", 9),
        ("deputy", "/documents/?tab=issued", 9),
        ("commissioner_a", "/documents/?tab=issued", 8),
        ("commissioner_a", "/documents/", 8),  # 待我处理: receipts to acknowledge
    ],
)
def test_it_lists_documents_in_a_constant_number_of_queries(
    org, persona, url, queries, django_assert_num_queries
):
    client = client_for(getattr(org, persona))
    for count in (5, 500):
        Document.objects.all().delete()
        make_issued_rows(org, count)
        # 1 session, 2 user, 3 the user's roles, 4 the user's person, 5 the unit tree
        # (the user's scope), 6 the paginator's count, 7 the page of rows with their
        # drafting units, 8 the unread messages in the navigation (the inbox), and for
        # the office and leaders 9 the receipt counts of the page's rows.
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        shown = response.content.decode().count('href="/documents/') - 1  # minus the nav
        assert shown >= min(count // 2, 50)


@pytest.mark.parametrize(
    ("year", "count"),
    [("2026", 3), ("２０２６", 3), ("2025", 0), ("-1", 3), ("0", 3), ("99999", 3), ("1.5", 3)],
)
def test_it_filters_by_year_and_ignores_a_year_that_is_none(org, year, count):
    """A year from 1949 to 2100 filters (full-width digits too); -1, 0, 99999 or 1.5 is
    ignored: the whole list, not a server error (an outside probe's finding)."""
    make_issued_rows(org, 3)
    response = client_for(org.office).get(f"/documents/?tab=issued&year={year}")
    assert response.status_code == 200
    assert len(response.context["page"]) == count


def test_it_counts_the_receipts_of_each_listed_document(org):
    document = issued(org, units=[org.branch_a, org.branch_b])
    services.document_acknowledge(document=document, by=org.commissioner_a)
    assert "1/2" in page(org.office, "/documents/?tab=issued")


def test_it_lists_each_users_documents_under_tabs(org):
    issued(org, title="发给机电的通知", units=[org.branch_a])
    awaiting(org, title="待签发的通知")
    draft(org, title="办公室的草稿")
    html = page(org.commissioner_a, "/documents/?tab=issued")
    assert "发给机电的通知" in html
    assert "待签发的通知" not in html and "办公室的草稿" not in html
    html = page(org.in_charge, "/documents/?tab=todo")
    assert "待签发的通知" in html and "发给机电的通知" not in html
    html = page(org.office, "/documents/?tab=mine")
    assert {"发给机电的通知", "待签发的通知", "办公室的草稿"} <= set(
        t for t in ("发给机电的通知", "待签发的通知", "办公室的草稿") if t in html
    )
    html = page(org.office, "/documents/?tab=all&state=draft")
    assert "办公室的草稿" in html and "待签发的通知" not in html
    html = page(org.office, "/documents/?tab=issued")
    assert "0/1" in html  # receipts: none of one


# The document page and its steps -----------------------------------------------------


def test_it_walks_a_notice_through_the_pages(org):
    office = client_for(org.office)
    response = office.post(
        reverse("document_create"),
        {
            "kind": "notice",
            "title": "关于开展调研指导的通知",
            "addressee": "各党总支",
            "body": "一、调研内容\n\n各单位贯彻落实情况。",
            "cc": "",
            "recipient_units": [org.branch_a.pk],
        },
        follow=True,
    )
    document = Document.objects.get(title="关于开展调研指导的通知")
    assert messages_of(response) == ["草稿已保存。核对无误后请点击“报审”。"]
    html = response.content.decode()
    assert "报审" in html and "报送分管统战工作领导签发" in html

    response = office.post(reverse("document_submit", args=[document.pk]), follow=True)
    assert messages_of(response) == ["已报审。"]

    html = page(org.in_charge, document.get_absolute_url())
    assert f'action="/documents/{document.pk}/sign/"' in html
    assert "同意</textarea>" in html
    response = post(org.in_charge, reverse("document_sign", args=[document.pk]), {"opinion": ""})
    assert messages_of(response) == ["已签发。办公室将编号印发。"]

    html = page(org.office, reverse("document_issue", args=[document.pk]))
    assert "未配置数字证书" in html
    response = office.post(
        reverse("document_issue", args=[document.pk]),
        {"recipient_units": [org.branch_a.pk, org.branch_b.pk]},
        follow=True,
    )
    document.refresh_from_db()
    assert messages_of(response) == [f"已印发，文号 {document.reference}，已分发 2 个单位和人员。"]
    html = response.content.decode()
    assert "（2 个未签收）" in html

    response = post(org.commissioner_a, reverse("document_acknowledge", args=[document.pk]))
    assert messages_of(response) == ["已签收。"]
    html = page(org.office, document.get_absolute_url())
    assert "（1 个未签收）" in html
    assert "commissioner-人员 于" in html


def test_it_shows_each_role_only_the_steps_it_may_take(org):
    document = awaiting(org, kind="policy")
    sign_form = f'action="/documents/{document.pk}/sign/"'
    delegate_form = f'action="/documents/{document.pk}/delegate/"'
    assert sign_form in page(org.leader, document.get_absolute_url())
    assert delegate_form in page(org.leader, document.get_absolute_url())
    office_html = page(org.office, document.get_absolute_url())
    assert sign_form not in office_html and delegate_form not in office_html
    assert "退回修改" in office_html  # the office may still pull it back
    for persona in ("in_charge", "deputy", "member", "commissioner_a"):
        response = client_for(getattr(org, persona)).get(document.get_absolute_url())
        assert response.status_code == 404, persona  # not theirs to see yet

    response = post(
        org.leader,
        reverse("document_delegate", args=[document.pk]),
        {"to": org.deputy.pk, "note": ""},
    )
    assert messages_of(response) == ["已委托副组长签发。"]
    assert sign_form in page(org.deputy, document.get_absolute_url())
    revoke_form = f'action="/documents/{document.pk}/delegate/revoke/"'
    assert revoke_form in page(org.leader, document.get_absolute_url())
    assert revoke_form not in page(org.deputy, document.get_absolute_url())

    url = reverse("document_delegation_revoke", args=[document.pk])
    first, second = post(org.leader, url), post(org.leader, url)  # a double click
    assert messages_of(first) == ["已撤销委托，本文件由您签发。"]
    assert messages_of(second) == ["本文件没有委托签发，无需撤销。"]
    html = page(org.leader, document.get_absolute_url())
    assert "撤销委托" in html and revoke_form not in html  # on the timeline, once
    assert document.steps.filter(action="revoke_delegation").count() == 1
    assert client_for(org.deputy).get(document.get_absolute_url()).status_code == 404


def test_it_refuses_a_step_with_its_reason_and_changes_nothing(org):
    document = awaiting(org)
    before = snapshot(document)
    # A role that may never take the step (the page shows it no button): 403, and why.
    response = post(org.office, reverse("document_sign", args=[document.pk]))
    assert response.status_code == 403
    assert "本文件应由分管统战工作领导签发，您不能签发。" in response.content.decode()
    assert snapshot(document) == before
    # A step the signer may take, refused for what was sent: a message on the page.
    response = post(org.in_charge, reverse("document_return", args=[document.pk]), {"comment": ""})
    assert messages_of(response) == ["请填写退回意见，说明需要修改的地方。"]
    assert snapshot(document) == before


def test_it_signs_once_on_a_double_click(org):
    document = awaiting(org)
    url = reverse("document_sign", args=[document.pk])
    first = post(org.in_charge, url, {"opinion": "同意"})
    second = post(org.in_charge, url, {"opinion": "同意"})
    assert messages_of(first) == ["已签发。办公室将编号印发。"]
    assert messages_of(second) == ["该文件已由incharge-人员签发，无需重复签发。"]
    assert document.steps.filter(action="sign").count() == 1


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("document_submit", set()),
        ("document_pass", set()),
        ("document_return", {"in_charge", "office"}),
        ("document_delegate", set()),
        ("document_sign", {"in_charge"}),
        ("document_acknowledge", set()),
        ("document_revise", set()),
    ],
)
def test_it_changes_nothing_when_a_role_posts_a_step_it_may_not_take(org, action, allowed):
    personas = ("leader", "deputy", "in_charge", "office", "member", "commissioner_a", "outsider")
    for persona in personas:
        if persona in allowed:
            continue
        document = awaiting(org, title=f"{action}-{persona}")
        before = snapshot(document)
        data = {"comment": "意见", "opinion": "同意", "to": org.deputy.pk}
        response = client_for(getattr(org, persona)).post(reverse(action, args=[document.pk]), data)
        assert response.status_code in {302, 403, 404}, (persona, response.status_code)
        assert snapshot(document)[:-3] == before[:-3], persona
        assert snapshot(document)[-1] == before[-1]


def test_it_edits_a_draft_and_keeps_its_history(org):
    document = draft(org)
    url = reverse("document_update", args=[document.pk])
    assert "保存草稿" in page(org.office, url)
    response = client_for(org.office).post(
        url,
        {"title": "改过的标题", "addressee": "", "body": "新的正文。", "cc": ""},
        follow=True,
    )
    assert messages_of(response) == ["已保存修改。"]
    html = page(org.office, reverse("document_history", args=[document.pk]))
    assert TITLE in html and "改过的标题" in html
    # Invalid input: a clear error, nothing saved.
    response = client_for(org.office).post(url, {"title": "", "body": "x"})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert Document.objects.get(pk=document.pk).title == "改过的标题"


def test_it_sends_the_issued_pdf_as_stored(org):
    document = issued(org)
    response = client_for(org.office).get(reverse("document_pdf", args=[document.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(content).hexdigest() == document.pdf_sha256
    preview = client_for(org.office).get(reverse("document_pdf", args=[draft(org).pk]))
    assert b"".join(preview.streaming_content)[:5] == b"%PDF-"
    assert "%E8%8D%89%E7%A8%BF" in preview["Content-Disposition"]  # 草稿, URL-encoded


def test_it_shows_the_home_page_to_do_for_the_signer(org):
    awaiting(org, kind="policy", title="请组长签发的文件")
    html = page(org.leader, "/")
    assert "待签发：请组长签发的文件" in html
    assert "待签发" not in page(org.in_charge, "/")


def test_it_puts_documents_in_the_navigation(org):
    html = page(org.member, "/")
    assert 'href="/documents/"' in html


# Attachments -------------------------------------------------------------------------


def upload_file(user, document, file: SimpleUploadedFile):
    return client_for(user).post(
        reverse("document_attach", args=[document.pk]), {"file": file}, follow=True
    )


def upload(user, document, name: str, content: bytes):
    return upload_file(user, document, SimpleUploadedFile(name, content))


def test_it_takes_attachments_of_allowed_types_and_sizes(org, settings):
    document = draft(org)
    response = upload_file(org.office, document, sample_file("安排表.xlsx"))
    assert messages_of(response) == ["已上传附件“安排表.xlsx”。"]
    response = upload(org.office, document, "脚本.exe", b"MZ")
    assert "不支持这种文件（.exe）" in messages_of(response)[0]
    response = upload(org.office, document, "改了扩展名的脚本.pdf", b"MZ\x90\x00")
    assert "文件内容与扩展名.pdf不符" in messages_of(response)[0]
    settings.UPLOAD_MAX_BYTES = 10
    response = upload(org.office, document, "大文件.pdf", b"%PDF-" + b"x" * 20)
    assert "文件太大" in messages_of(response)[0]
    assert [a.name for a in document.attachments.all()] == ["安排表.xlsx"]
    stored = document.attachments.get().file.name
    assert stored.startswith("documents/attachments/") and "安排表" not in stored
    # Refused files leave nothing in storage: only the accepted one is there.
    storage = document.attachments.get().file.storage
    assert storage.listdir(str(PurePosixPath(stored).parent))[1] == [PurePosixPath(stored).name]


def test_it_sends_attachments_only_to_those_who_may_see_the_document(org):
    document = draft(org)
    upload(org.office, document, "名单.txt", "名单内容".encode())
    attachment = document.attachments.get()
    url = attachment.get_absolute_url()
    response = client_for(org.office).get(url)
    assert b"".join(response.streaming_content) == "名单内容".encode()
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    for persona in ("leader", "in_charge", "member", "commissioner_a"):
        assert client_for(getattr(org, persona)).get(url).status_code == 404, persona


def test_it_freezes_attachments_once_issued(org):
    document = draft(org)
    upload(org.office, document, "名单.txt", b"x")
    services.document_submit(document=document, by=org.office)
    response = upload(org.office, document, "补充.txt", b"y")
    assert messages_of(response) == ["文件处于“待签发”状态，不能修改；如需修改，请先退回。"]
    services.document_sign(document=document, by=org.in_charge)
    document = services.document_issue(document=document, by=org.office)
    response = upload(org.office, document, "补充.txt", b"y")
    assert messages_of(response) == ["文件已印发，附件不能再增删。"]
    attachment = document.attachments.get()
    response = post(org.office, reverse("document_detach", args=[document.pk, attachment.pk]))
    assert messages_of(response) == ["文件已印发，附件不能再增删。"]
    assert document.attachments.count() == 1


def test_it_deletes_an_attachment_of_a_draft(org, django_capture_on_commit_callbacks):
    document = draft(org)
    upload(org.office, document, "名单.txt", b"x")
    attachment = document.attachments.get()
    storage = attachment.file.storage
    name = attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(org.office, reverse("document_detach", args=[document.pk, attachment.pk]))
    assert messages_of(response) == ["已删除附件“名单.txt”。"]
    assert not document.attachments.exists()
    assert not storage.exists(name)


# Public verification -----------------------------------------------------------------


def test_it_confirms_an_issued_document_to_anyone_with_its_code(org, client):
    document = issued(org, units=[org.branch_a])
    code = document.verification_code
    response = client.get(reverse("document_verify", args=[code]))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (document.reference, document.title, "incharge-人员", document.pdf_sha256):
        assert shown in html
    for hidden in ("领导小组成员每年与重点联系", org.branch_a.name, "office-人员"):
        assert hidden not in html  # body, recipients, drafter: not for the public
    # Typed by hand, with dashes and in lower case.
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    response = client.get(reverse("document_verify_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response.url == reverse("document_verify", args=[code])


def test_it_checks_an_uploaded_copy_against_the_official_file(org, client):
    document = issued(org)
    url = reverse("document_verify", args=[document.verification_code])
    content = document.pdf.read()
    response = client.post(url, {"file": SimpleUploadedFile("copy.pdf", content)})
    assert "一致：该文件就是印发的正式文件。" in response.content.decode()
    middle = len(content) // 2
    changed = content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]
    response = client.post(url, {"file": SimpleUploadedFile("copy.pdf", changed)})
    assert "不一致" in response.content.decode()


def test_it_knows_no_code_of_a_draft_or_a_made_up_one(org, client):
    assert client.get(reverse("document_verify", args=["ABCDEFGHJKMN"])).status_code == 404
    response = client.get(reverse("document_verify_lookup"), {"code": "12"})
    assert "核验码应为12位字母和数字" in response.content.decode()


# Series settings ---------------------------------------------------------------------


def test_it_lets_the_office_set_a_series_prefix_and_header(org):
    series = DocumentSeries.objects.get(key="ufw")
    url = reverse("document_series_update", args=[series.pk])
    html = page(org.office, reverse("document_series_list"))
    assert "X统〔" in html
    response = client_for(org.office).post(
        url,
        {
            "name": series.name,
            "prefix": "桂商统",
            "header": "广西国际商务职业技术学院\n统一战线工作领导小组文件",
            "signing_unit": series.signing_unit,
            "printed_by": series.printed_by,
        },
        follow=True,
    )
    assert messages_of(response) == ["已保存“领导小组文件”的设置。"]
    document = issued(org, kind="policy")
    assert document.reference.startswith("桂商统〔")
    from portal.documents.pdf import document_html

    html = document_html(document)
    assert "<div>广西国际商务职业技术学院</div><div>统一战线工作领导小组文件</div>" in html


def test_it_keeps_units_out_of_the_unit_filter_of_others(org):
    # A commissioner's draft is not listed anywhere for another unit.
    draft(org, by=org.commissioner_a, title="机电的草稿")
    for persona in ("commissioner_b", "office", "leader", "member"):
        assert "机电的草稿" not in page(getattr(org, persona), "/documents/?tab=all"), persona
    assert Unit.objects.filter(pk=org.branch_a.pk).exists()


HOSTILE = '<script>alert("统战")</script><img src=x onerror=alert(1)>'


def test_it_escapes_hostile_text_on_every_document_page_and_on_paper(org):
    from portal.documents.pdf import document_html

    document = draft(org, title=HOSTILE, body=f"{HOSTILE}\n\n一、{HOSTILE}", cc=HOSTILE)
    services.document_update(document=document, by=org.office, fields={"addressee": HOSTILE})
    upload(org.office, document, f"{HOSTILE[:20]}.txt", b"x")
    services.document_submit(document=document, by=org.office)
    services.document_return(document=document, by=org.office, comment=HOSTILE)
    services.document_submit(document=document, by=org.office)
    services.document_sign(document=document, by=org.in_charge, opinion=HOSTILE)
    services.document_issue(document=document, by=org.office)
    pages = [
        "/documents/?tab=all",
        f"/documents/?tab=all&q={HOSTILE}",
        document.get_absolute_url(),
        reverse("document_history", args=[document.pk]),
        reverse("document_verify", args=[document.verification_code]),
        "/",
    ]
    for viewer in (org.office, org.in_charge):
        for url in pages:
            html = client_for(viewer).get(url).content.decode()
            assert "<script>alert" not in html, (viewer, url)
            assert "<img src=x" not in html, (viewer, url)
    assert "&lt;script&gt;" in page(org.office, document.get_absolute_url())
    paper_html = document_html(document)
    assert "<script>alert" not in paper_html and "<img src=x" not in paper_html
    assert "&lt;script&gt;alert" in paper_html


def test_it_tells_the_history_of_an_issued_document_in_words(org):
    document = issued(org)
    url = reverse("document_history", args=[document.pk])
    client = client_for(org.office)
    html = client.get(url).content.decode()
    # States by their labels, people by their names, the series by its name, the PDF
    # by its file name: never a raw value or a primary key.
    assert "已签发待印发 → 已印发" in html
    assert "awaiting_signature" not in html and "issued</" not in html
    assert f"→ {org.office.display_name}" in html
    assert f"→ {document.series}" in html
    assert f"→ {document.pdf.name.rsplit('/', 1)[-1]}" in html
    assert "documents/issued/" not in html


def test_it_names_related_records_in_the_history_in_a_few_queries(org):
    counts = []
    for edits in (1, 6):
        document = draft(org)
        for n in range(edits):
            services.document_update(document=document, by=org.office, fields={"title": f"标题{n}"})
        client = client_for(org.office)
        url = reverse("document_history", args=[document.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

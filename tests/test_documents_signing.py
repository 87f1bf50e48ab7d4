"""PAdES signatures on issued PDFs: a throwaway certificate is made at test time
(nothing committed), the signed file validates with pyHanko's validator, a tampered copy
does not, and without a certificate the portal issues unsigned and says so."""

from __future__ import annotations

import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal.documents import certificates
from portal.documents import pdf as paper
from portal.documents.checks import check_document_settings
from tests.conftest import client_for
from tests.documents_helpers import issued

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)

PASSWORD = "test-only-" + "pass"


def make_certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    return certificates.make_certificate("统一战线工作领导小组办公室（测试）", "××学院", days=30)


@pytest.fixture(scope="module")
def certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    return make_certificate()


@pytest.fixture
def signing(settings, tmp_path, certificate):
    """A PKCS#12 file in a temporary folder, named by the settings as in production."""
    cert, key = certificate
    path = tmp_path / "signing.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ufw",
            key,
            cert,
            None,
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    settings.DOCUMENT_SIGNING_P12 = str(path)
    settings.DOCUMENT_SIGNING_P12_PASSWORD = PASSWORD
    return cert


def validate(content: bytes, cert: x509.Certificate):
    reader = PdfFileReader(io.BytesIO(content))
    assert len(reader.embedded_signatures) == 1
    trust = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=[trust])
    )


def test_it_signs_the_issued_pdf_so_that_it_validates(org, signing):
    document = issued(org)
    content = document.pdf.read()
    assert document.pdf_signed
    assert hashlib.sha256(content).hexdigest() == document.pdf_sha256
    status = validate(content, signing)
    assert status.intact
    assert status.valid
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "统一战线工作领导小组办公室（测试）"
    # The paper says so, and so does the page.
    assert "本件已加数字签名" in paper.document_html(document)
    page = client_for(org.office).get(document.get_absolute_url()).content.decode()
    assert "已加数字签名（PAdES）" in page


def test_it_shows_a_tampered_copy_as_broken(org, signing):
    content = issued(org).pdf.read()
    producer = content.index(b"WeasyPrint")
    assert producer < content.index(b"/ByteRange")  # in the original file, all of it signed
    tampered = content[:producer] + b"WeasyPrinT" + content[producer + 10 :]
    status = validate(tampered, signing)
    assert not status.intact
    assert not status.bottom_line


def test_it_issues_unsigned_without_a_certificate_and_says_so(org, settings):
    settings.DOCUMENT_SIGNING_P12 = ""
    document = issued(org)
    assert not document.pdf_signed
    assert PdfFileReader(io.BytesIO(document.pdf.read())).embedded_signatures == []
    assert "本件未加数字签名" in paper.document_html(document)
    page = client_for(org.office).get(document.get_absolute_url()).content.decode()
    assert "未加数字签名：未配置数字证书" in page


def test_it_reports_a_certificate_it_cannot_open(settings, tmp_path, signing):
    settings.DOCUMENT_SIGNING_P12_PASSWORD = "wrong"
    assert [e.id for e in check_document_settings()] == ["documents.E002"]
    settings.DOCUMENT_SIGNING_P12 = str(tmp_path / "missing.p12")
    assert [e.id for e in check_document_settings()] == ["documents.E002"]


def test_the_signature_lies_visibly_on_the_red_seal(org, signing):
    """The page draws a red seal over the issuing body's name, and the signature's field
    covers it: a reader shows the signature where the seal is."""
    from pypdf import PdfReader

    document = issued(org)
    content = document.pdf.read()
    reader = PdfReader(io.BytesIO(content))
    widgets = [
        (number, annotation.get_object())
        for number, page in enumerate(reader.pages)
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    number, widget = widgets[0]
    left, bottom, right, top = (float(v) for v in widget["/Rect"])
    assert 100 < right - left < 125 and 100 < top - bottom < 125  # 40 mm ≈ 113 pt
    text = reader.pages[number].extract_text()
    assert "电子签章" in text
    assert document.series.signing_unit in text


def test_an_unsigned_document_has_no_seal(org, settings):
    settings.DOCUMENT_SIGNING_P12 = ""
    document = issued(org)
    assert "电子签章" not in paper.document_html(document)


def test_the_verify_page_reports_a_signature_valid_intact_and_by_whom(org, signing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = issued(org)
    content = document.pdf.read()
    url = f"/documents/verify/{document.verification_code}/"
    client = client_for(None)

    def verify(data: bytes) -> str:
        upload = SimpleUploadedFile("copy.pdf", data, content_type="application/pdf")
        return client.post(url, {"file": upload}).content.decode()

    html = verify(content)
    assert "一致：该文件就是印发的正式文件" in html
    assert "数字签名有效：签名后未被改动" in html
    assert "统一战线工作领导小组办公室（测试）" in html
    producer = content.index(b"WeasyPrint")
    html = verify(content[:producer] + b"WeasyPrinT" + content[producer + 10 :])
    assert "不一致" in html
    assert "数字签名已损坏：文件在签名后被改动过" in html


def test_the_verify_page_says_when_a_copy_has_no_signature(org, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DOCUMENT_SIGNING_P12 = ""
    document = issued(org)
    upload = SimpleUploadedFile("copy.pdf", document.pdf.read(), content_type="application/pdf")
    url = f"/documents/verify/{document.verification_code}/"
    html = client_for(None).post(url, {"file": upload}).content.decode()
    assert "该文件没有数字签名" in html
    upload = SimpleUploadedFile("junk.pdf", b"not a pdf", content_type="application/pdf")
    html = client_for(None).post(url, {"file": upload}).content.decode()
    assert "不一致" in html and "该文件没有数字签名" in html


def test_the_demo_certificate_is_made_once_and_only_in_debug(settings, tmp_path):
    from django.core.management import CommandError, call_command

    settings.DEMO_SIGNING_P12 = tmp_path / "demo-signing.p12"
    settings.DEBUG = False
    with pytest.raises(CommandError, match="只能在 DEBUG 模式下运行"):
        call_command("demo_certificate")
    assert not settings.DEMO_SIGNING_P12.exists()
    settings.DEBUG = True
    call_command("demo_certificate", stdout=io.StringIO())
    made = settings.DEMO_SIGNING_P12.read_bytes()
    out = io.StringIO()
    call_command("demo_certificate", stdout=out)
    assert "已存在" in out.getvalue()
    assert settings.DEMO_SIGNING_P12.read_bytes() == made  # kept, not replaced
    settings.DOCUMENT_SIGNING_P12 = str(settings.DEMO_SIGNING_P12)
    settings.DOCUMENT_SIGNING_P12_PASSWORD = ""
    signer = paper.load_signer()
    assert signer is not None
    assert "演示证书" in signer.signing_cert.subject.native["common_name"]

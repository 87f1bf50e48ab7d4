"""PAdES signatures on issued PDFs: a throwaway certificate is made at test time
(nothing committed), the signed file validates with pyHanko's validator, a tampered copy
does not, and without a certificate the portal issues unsigned and says so."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal.documents import pdf as paper
from portal.documents.checks import check_document_settings
from tests.conftest import client_for
from tests.documents_helpers import issued

PASSWORD = "test-only-" + "pass"


def make_certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "××学院"),
            x509.NameAttribute(NameOID.COMMON_NAME, "统一战线工作领导小组办公室（测试）"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return certificate, key


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

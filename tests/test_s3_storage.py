"""Uploads on an S3-compatible object store (`S3_BUCKET`, `portal.s3storage`): the
store's faults are the same Chinese error as a full disk, logged, with nothing kept;
a service that fails after storing deletes its objects. The store is a real S3 HTTP
server on this machine (moto's), reached through boto3; an unreachable store is a
closed port. The database is real."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from portal.documents.models import DocumentAttachment
from portal.models import Unit
from portal.s3storage import S3UploadStorage
from portal.uploads import storing_files
from tests.conftest import client_for
from tests.documents_helpers import draft, sample_file
from tests.factories import UnitFactory
from tests.test_upload_faults import MESSAGE, PDF

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("s3_server")]

BUCKET = "ufw-media"
CREDENTIALS = {"access_key": "ufw-test", "secret_key": "ufw-test-secret"}
# One attempt, short timeouts: a fault is reported at once, not after boto3's retries.
QUICK = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint) -> Iterator[object]:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _options(endpoint: str, bucket: str = BUCKET) -> dict[str, object]:
    # As portal/settings.py builds them from S3_* (with quick retries for the test).
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        **CREDENTIALS,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "client_config": QUICK,
    }


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_a_stored_object_is_whole_and_read_back(s3_endpoint, bucket):
    storage = S3UploadStorage(**_options(s3_endpoint))
    name = storage.save("evidence/整改报告.pdf", ContentFile(PDF))
    assert _keys(bucket) == [name]
    with storage.open(name) as stored:
        assert stored.read() == PDF


def test_a_service_that_fails_after_storing_deletes_its_objects_and_its_rows(
    s3_endpoint: str, bucket: object, org: object
) -> None:
    storage = S3UploadStorage(**_options(s3_endpoint))

    @storing_files()
    def stores_then_fails() -> None:
        UnitFactory(name="回滚的单位")
        storage.save("evidence/first.pdf", ContentFile(PDF))
        storage.save("evidence/second.pdf", ContentFile(PDF))
        raise ValidationError("后面一步失败")

    with pytest.raises(ValidationError):
        stores_then_fails()
    assert _keys(bucket) == []
    assert not Unit.objects.filter(name="回滚的单位").exists()


@pytest.mark.parametrize("fault", ["unreachable", "no-such-bucket"])
def test_a_store_fault_is_the_chinese_error_logged_and_nothing_is_kept(
    fault: str, s3_endpoint: str, bucket: object, org: object, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = f"http://127.0.0.1:{_free_port()}" if fault == "unreachable" else s3_endpoint
    target = BUCKET if fault == "unreachable" else "no-such-bucket"
    storage = S3UploadStorage(**_options(endpoint, target))

    @storing_files()
    def stores() -> None:
        UnitFactory(name="不应保存的单位")
        storage.save("evidence/x.pdf", ContentFile(PDF))

    with (
        caplog.at_level(logging.ERROR, logger="portal.uploads"),
        pytest.raises(ValidationError) as caught,
    ):
        stores()
    assert caught.value.messages == [MESSAGE]
    assert "could not store evidence/x.pdf" in caplog.text
    assert not Unit.objects.filter(name="不应保存的单位").exists()
    assert _keys(bucket) == []


def test_an_attachment_on_an_unreachable_store_is_refused_in_chinese(org, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.s3storage.S3UploadStorage",
            "OPTIONS": _options(f"http://127.0.0.1:{_free_port()}"),
        },
    }
    document = draft(org)
    response = client_for(org.office).post(
        reverse("document_attach", args=[document.pk]),
        {"file": sample_file("安排表.pdf")},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [MESSAGE]
    assert not DocumentAttachment.objects.exists()

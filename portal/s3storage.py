"""Uploaded and issued files on an S3-compatible object store (`S3_BUCKET`; the optional
extra `s3`, django-storages with boto3), with the store's faults made a user's error as
on a disk (`portal.uploads.FaultsRefused`): an unreachable endpoint, a refused key, a
missing bucket or a timeout while storing is the Chinese `StorageUnavailable`, logged,
and the `storing_files` service around it rolls back and deletes what it had stored.

Imported only when `S3_BUCKET` is set (settings name it by path), so a single-machine
install needs no boto3.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from portal.uploads import FaultsRefused


class S3UploadStorage(FaultsRefused, S3Storage):  # type: ignore[misc]  # untyped
    # BotoCoreError: no connection, a timeout, bad credentials' form; ClientError: the
    # store's refusal (AccessDenied, NoSuchBucket, a quota); OSError: the local file
    # being read for the upload.
    faults = (BotoCoreError, ClientError, OSError)
    # An object is put whole or not at all: a failed save leaves nothing to remove.

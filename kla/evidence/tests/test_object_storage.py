"""Evidence on an S3-compatible object store, tested against a real local server (moto in server mode)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kla.evaluations.models import Entry
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.evidence.tests.conftest import _free_port

pytestmark = pytest.mark.django_db
BUCKET = "kla-bukti"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    binary = shutil.which("moto_server") or str(__import__("pathlib").Path(sys.executable).parent / "moto_server")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.2)
        boto3.client(
            "s3", endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="uji", region_name="us-east-1"
        ).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint: str) -> str:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": "uji",
                "secret_key": "uji",
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    return s3_endpoint


def test_upload_is_stored_in_the_bucket_and_served_only_through_the_view(client_for, s3_storage) -> None:
    entry = Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    question = entry.indicator.questions.order_by("position").first()
    data = files.pdf(pages=2)
    response = client_for("opd").post(
        reverse("evidence:upload", args=[entry.pk, question.pk]),
        {"file": SimpleUploadedFile("rekap.pdf", data), "evidence_type": "report"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.content.decode()
    evidence = Evidence.objects.get()
    s3 = boto3.client(
        "s3", endpoint_url=s3_storage, aws_access_key_id="uji", aws_secret_access_key="uji", region_name="us-east-1"
    )
    stored = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == data and evidence.file.name.startswith("evidence/16.71/")
    # the object is private: no anonymous read from the bucket
    acl = s3.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])
    download = client_for("secretariat").get(reverse("evidence:download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    assert client_for("other_secretariat").get(reverse("evidence:download", args=[evidence.pk])).status_code == 404

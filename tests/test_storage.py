"""Every user file (logos, rendered documents, analysis uploads and tables, backups) goes
through STORAGES["default"]: with an in-memory store nothing lands on this machine's disk,
and with an S3 bucket (moto) the same round trips work and a download is a short-lived
signed link, handed out only after the access check."""

import contextlib
import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws
from PIL import Image

from cxmaturity import backups
from cxmaturity.media_storage import media_storage
from insights import services as insights
from insights.models import SegmentAnalysis
from playbooks.models import Document
from playbooks.services import document_render, document_request
from tests.factories import ClientFactory, MembershipFactory, grant_client
from tests.insights.test_segments import CSV
from workspaces.models import Role, Workspace

pytestmark = pytest.mark.django_db

BUCKET = "cx-media"
# The CI's third leg points these tests at moto's standalone server, so the bucket is
# reached over HTTP as on a real store; otherwise moto answers in-process.
S3_ENDPOINT = os.environ.get("S3_TEST_ENDPOINT", "")


@pytest.fixture
def memory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    store = storages["default"]
    assert isinstance(store, InMemoryStorage)
    yield store
    # Nothing reached the disk behind the store's back.
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.fixture
def s3(settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    endpoint = {"endpoint_url": S3_ENDPOINT} if S3_ENDPOINT else {}
    options = "".join(f"&{key}={value}" for key, value in endpoint.items())
    with contextlib.nullcontext() if S3_ENDPOINT else mock_aws():
        s3_client = boto3.client("s3", region_name="us-east-1", **endpoint)
        with contextlib.suppress(s3_client.exceptions.BucketAlreadyOwnedByYou):
            s3_client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": media_storage(f"s3://{BUCKET}?region_name=us-east-1{options}", "", 60),
        }
        yield storages["default"]
    assert not Path(settings.MEDIA_ROOT).exists()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def _logo_upload(client, workspace) -> None:
    response = client.post(
        reverse("workspace_settings", args=[workspace.id]),
        {
            "name": workspace.name,
            "accent_colour": "#aa3300",
            "logo": SimpleUploadedFile("logo.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302
    workspace.refresh_from_db()


def _playbook(client_row) -> Document:
    requested = document_request(client=client_row, kind="playbook", enqueue=False)
    document = document_render(document_id=requested.id)
    assert document.status == Document.Status.DONE, document.error
    return document


def _analysis(client, acme_client) -> SegmentAnalysis:
    made = client.post(
        reverse("insights", args=[acme_client.workspace_id, acme_client.id]),
        {"file": SimpleUploadedFile("t.csv", CSV), "as_of": "2026-03-31", "k": "2"},
    )
    assert made.status_code == 302
    analysis = SegmentAnalysis.objects.get()
    return insights.analysis_run(analysis_id=analysis.id)


def _read(store, name: str) -> bytes:
    with store.open(name, "rb") as handle:
        return handle.read()


def test_logo_playbook_and_download_go_through_the_store(
    client, owner, workspace, acme_client, memory
):
    client.force_login(owner)
    _logo_upload(client, workspace)
    assert memory.exists(workspace.logo.name)
    document = _playbook(acme_client)
    pdf = _read(memory, document.file.name)
    assert pdf.startswith(b"%PDF")

    response = client.get(reverse("document_download", args=[workspace.id, document.id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    logo = client.get(reverse("workspace_logo", args=[workspace.id]))
    assert b"".join(logo.streaming_content) == _read(memory, workspace.logo.name)


def test_an_analysis_reads_its_upload_and_table_from_the_store(
    client, consultant, acme_client, memory
):
    client.force_login(consultant)
    analysis = _analysis(client, acme_client)
    assert analysis.status == "done", analysis.error
    assert not analysis.upload  # the raw customer file is gone...
    assert memory.listdir(f"uploads/{acme_client.workspace_id}")[1] == []
    assert memory.exists(analysis.table.name)  # ...the per-customer table is kept
    assert insights.analysis_table(analysis).height == 5  # customers a to e


def test_a_backup_export_and_import_carries_the_files_through_the_store(
    workspace, acme_client, memory, django_capture_on_commit_callbacks
):
    document = _playbook(acme_client)
    pdf = _read(memory, document.file.name)
    out = io.BytesIO()
    backups.workspace_export(workspace=workspace, out=out)
    with django_capture_on_commit_callbacks(execute=True):
        workspace.delete()
    assert not memory.exists(document.file.name)

    result = backups.workspace_import(archive=backups.archive_read(out.getvalue()))

    restored = Document.objects.get(id=document.id)
    assert restored.file.name
    assert _read(memory, restored.file.name) == pdf
    assert Workspace.objects.filter(id=result.workspace.id).exists()


def test_the_same_round_trips_work_on_s3(client, owner, workspace, acme_client, s3):
    client.force_login(owner)
    _logo_upload(client, workspace)
    assert s3.exists(workspace.logo.name)
    document = _playbook(acme_client)
    assert _read(s3, document.file.name).startswith(b"%PDF")
    # The logo streams with its sandboxing headers.
    logo = client.get(reverse("workspace_logo", args=[workspace.id]))
    assert b"".join(logo.streaming_content) == _read(s3, workspace.logo.name)

    analysis = _analysis(client, acme_client)
    assert analysis.status == "done", analysis.error
    assert insights.analysis_table(analysis).height == 5
    assert not s3.exists(f"uploads/{acme_client.workspace_id}/{analysis.id}.csv")

    pdf = _read(s3, document.file.name)
    out = io.BytesIO()
    backups.workspace_export(workspace=workspace, out=out)
    Document.objects.filter(id=document.id).delete()
    s3.delete(document.file.name)
    SegmentAnalysis.objects.all().delete()
    Workspace.objects.filter(id=workspace.id).delete()
    backups.workspace_import(archive=backups.archive_read(out.getvalue()))
    assert _read(s3, Document.objects.get(id=document.id).file.name) == pdf


def test_an_s3_download_is_a_short_signed_link_after_the_access_check(
    client, client_viewer, workspace, acme_client, s3
):
    document = _playbook(acme_client)
    url = reverse("document_download", args=[workspace.id, document.id])
    other = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    grant_client(other, ClientFactory(workspace=workspace, name="Contoso"))

    client.force_login(other.user)
    assert client.get(url).status_code == 404

    client.force_login(client_viewer)
    response = client.get(url)
    assert response.status_code == 302
    link = urlsplit(response["Location"])
    query = parse_qs(link.query)
    assert BUCKET in link.netloc + link.path
    assert link.path.endswith(document.file.name)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("url", "bucket", "backend"),
    [
        ("", "", "django.core.files.storage.FileSystemStorage"),
        ("", "cx", "storages.backends.s3.S3Storage"),
        ("s3://cx?endpoint_url=http://127.0.0.1:9000", "", "storages.backends.s3.S3Storage"),
    ],
)
def test_the_store_is_local_disk_unless_a_bucket_is_named(url, bucket, backend):
    config = media_storage(url, bucket, 60)
    assert config["BACKEND"] == backend
    if bucket or url:
        assert config["OPTIONS"]["bucket_name"] == "cx"
        assert config["OPTIONS"]["querystring_expire"] == 60


@pytest.mark.parametrize("url", ["https://cx", "s3://", "s3://cx?secret=1"])
def test_a_bad_media_storage_url_is_refused_naming_the_setting(url):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL"):
        media_storage(url, "", 60)

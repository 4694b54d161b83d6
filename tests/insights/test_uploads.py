"""Big insight files: the chunked upload protocol (resume, idempotent chunks, checks),
expiry, files already in the store, and the streaming analysis they lead to."""

import datetime
import uuid

import polars as pl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from insights import services, streaming
from insights.models import ChunkedUpload, ListeningMonth, SegmentAnalysis
from insights.services import uploads
from tests.factories import ClientFactory, MembershipFactory, grant_client
from tests.insights.test_listening import CSV as LISTENING
from tests.insights.test_segments import AS_OF, CSV
from workspaces.models import ClientRole, Role

pytestmark = pytest.mark.django_db

CHUNK = 64


@pytest.fixture(autouse=True)
def small_chunks(settings, tmp_path):
    settings.INSIGHT_UPLOAD_CHUNK_BYTES = CHUNK
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def _base(workspace):
    return f"/api/v1/workspaces/{workspace.id}/insight-uploads/"


def _start(api, workspace, client, data, kind="transactions"):
    made = api.post(
        _base(workspace),
        {"client": str(client.id), "kind": kind, "file_name": "t.csv", "total_size": len(data)},
        format="json",
    )
    assert made.status_code == 201, made.json()
    return made.json()


def _put(api, workspace, upload_id, index, body):
    return api.put(
        f"{_base(workspace)}{upload_id}/chunks/{index}/",
        data=body,
        content_type="application/octet-stream",
    )


def _pieces(data):
    return [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]


def _upload_all(api, workspace, client, data, kind="transactions"):
    upload = _start(api, workspace, client, data, kind)
    for index, piece in enumerate(_pieces(data)):
        assert _put(api, workspace, upload["id"], index, piece).status_code == 200
    return upload


def _complete(api, workspace, upload_id, body):
    return api.post(f"{_base(workspace)}{upload_id}/complete/", body, format="json")


def test_an_upload_resumes_from_the_chunks_the_server_lists(api, workspace, acme_client):
    upload = _start(api, workspace, acme_client, CSV)
    pieces = _pieces(CSV)
    assert upload["chunk_size"] == CHUNK
    assert upload["chunk_count"] == len(pieces) > 2
    assert upload["received"] == []
    for index in (0, 2):
        assert _put(api, workspace, upload["id"], index, pieces[index]).status_code == 200
    # The connection dropped: the client asks what arrived and sends the rest.
    seen = api.get(f"{_base(workspace)}{upload['id']}/").json()
    assert seen["received"] == [0, 2]
    missing = _complete(api, workspace, upload["id"], {"as_of": "2026-03-31"})
    assert missing.status_code == 400
    assert "1" in missing.json()["chunks"][0]
    assert not SegmentAnalysis.objects.exists()
    for index in range(len(pieces)):
        if index not in seen["received"]:
            assert _put(api, workspace, upload["id"], index, pieces[index]).status_code == 200
    done = _complete(api, workspace, upload["id"], {"as_of": "2026-03-31", "name": "Big"})
    assert done.status_code == 202, done.json()
    assert done.json()["status"] == "queued"


def test_a_chunk_sent_twice_changes_nothing(api, workspace, acme_client):
    upload = _start(api, workspace, acme_client, CSV)
    first = _pieces(CSV)[0]
    assert _put(api, workspace, upload["id"], 0, first).status_code == 200
    again = _put(api, workspace, upload["id"], 0, first)
    assert again.status_code == 200
    assert again.json()["received"] == [0]
    stored = ChunkedUpload.objects.get(id=upload["id"])
    with default_storage.open(stored.chunk_name(0), "rb") as handle:
        assert handle.read() == first


def test_wrong_chunk_size_or_index_answers_400_naming_the_field(api, workspace, acme_client):
    upload = _start(api, workspace, acme_client, CSV)
    short = _put(api, workspace, upload["id"], 0, b"too short")
    assert short.status_code == 400
    assert "size" in short.json()
    beyond = _put(api, workspace, upload["id"], upload["chunk_count"], b"x")
    assert beyond.status_code == 400
    assert "index" in beyond.json()
    assert api.get(f"{_base(workspace)}{upload['id']}/").json()["received"] == []


def test_a_file_over_the_limit_is_refused_before_any_chunk(api, workspace, acme_client, settings):
    settings.INSIGHT_UPLOAD_MAX_BYTES = 1000
    refused = api.post(
        _base(workspace),
        {"client": str(acme_client.id), "kind": "transactions", "file_name": "t.csv",
         "total_size": 1001},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert "total_size" in refused.json()
    assert not ChunkedUpload.objects.exists()


def test_another_clients_upload_or_a_made_up_id_is_404(api, workspace, acme_client):
    upload = _start(api, workspace, acme_client, CSV)
    other = ClientFactory(workspace=workspace)
    member = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    grant_client(member, other, ClientRole.CONTRIBUTOR)
    stranger = APIClient()
    stranger.force_authenticate(member.user)
    url = f"{_base(workspace)}{upload['id']}/"
    assert stranger.get(url).status_code == 404
    assert _put(stranger, workspace, upload["id"], 0, _pieces(CSV)[0]).status_code == 404
    assert api.get(f"{_base(workspace)}{uuid.uuid4()}/").status_code == 404
    assert _put(api, workspace, uuid.uuid4(), 0, b"x").status_code == 404


def test_unfinished_uploads_expire_with_their_chunks(
    api, workspace, acme_client, django_capture_on_commit_callbacks
):
    upload = _start(api, workspace, acme_client, CSV)
    assert _put(api, workspace, upload["id"], 0, _pieces(CSV)[0]).status_code == 200
    name = ChunkedUpload.objects.get(id=upload["id"]).chunk_name(0)
    assert default_storage.exists(name)
    now = datetime.datetime.now(tz=datetime.UTC)
    assert uploads.uploads_expire(now=now) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.uploads_expire(now=now + datetime.timedelta(days=1, minutes=1)) == 1
    assert not ChunkedUpload.objects.exists()
    assert not default_storage.exists(name)


def test_an_upload_whose_analysis_was_deleted_expires_and_one_awaited_stays(
    api, workspace, acme_client, django_capture_on_commit_callbacks
):
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)
    awaited = _upload_all(api, workspace, acme_client, CSV)
    _complete(api, workspace, awaited["id"], {"as_of": "2026-03-31"})
    dropped = _upload_all(api, workspace, acme_client, CSV)
    made = _complete(api, workspace, dropped["id"], {"as_of": "2026-03-31"})
    names = uploads.chunk_names(ChunkedUpload.objects.get(id=dropped["id"]))
    SegmentAnalysis.objects.get(id=made.json()["id"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.uploads_expire(now=later) == 1
    assert list(ChunkedUpload.objects.values_list("id", flat=True)) == [uuid.UUID(awaited["id"])]
    assert not any(default_storage.exists(name) for name in names)


def test_a_deleted_clients_uploads_leave_no_chunks(
    api, workspace, acme_client, django_capture_on_commit_callbacks
):
    upload = _start(api, workspace, acme_client, CSV)
    _put(api, workspace, upload["id"], 0, _pieces(CSV)[0])
    name = ChunkedUpload.objects.get(id=upload["id"]).chunk_name(0)
    with django_capture_on_commit_callbacks(execute=True):
        acme_client.delete()
    assert not default_storage.exists(name)


def _analysed(analysis_id):
    return services.analysis_run(analysis_id=analysis_id)


def test_a_chunked_upload_is_analysed_as_the_simple_upload_of_the_same_file(
    api, workspace, acme_client, django_capture_on_commit_callbacks
):
    upload = _upload_all(api, workspace, acme_client, CSV)
    names = uploads.chunk_names(ChunkedUpload.objects.get(id=upload["id"]))
    done = _complete(api, workspace, upload["id"], {"as_of": "2026-03-31", "k": "2"})
    with django_capture_on_commit_callbacks(execute=True):
        chunked = _analysed(done.json()["id"])
    simple = api.post(
        f"/api/v1/workspaces/{workspace.id}/segment-analyses/",
        {"client": str(acme_client.id), "file": SimpleUploadedFile("t.csv", CSV),
         "as_of": "2026-03-31"},
        format="multipart",
    )  # fmt: skip
    plain = _analysed(simple.json()["id"])
    assert chunked.status == plain.status == SegmentAnalysis.Status.DONE
    assert (chunked.rows, chunked.customers, chunked.window_days) == (
        plain.rows,
        plain.customers,
        plain.window_days,
    )
    assert chunked.summary == plain.summary
    assert services.analysis_table(chunked).equals(services.analysis_table(plain))
    # The chunks went once read; the progress reached its end.
    assert chunked.progress == 100
    assert not ChunkedUpload.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_bad_file_by_chunks_fails_with_the_same_row_and_column_messages(
    api, workspace, acme_client
):
    data = b"customer_id,date,amount\na,2026-01-01,10\nb,2026-13-01,x\n,2026-01-01,-1\n" * 3
    upload = _upload_all(api, workspace, acme_client, data)
    done = _complete(api, workspace, upload["id"], {"as_of": "2026-03-31"})
    analysis = _analysed(done.json()["id"])
    assert analysis.status == SegmentAnalysis.Status.FAILED
    simple = api.post(
        f"/api/v1/workspaces/{workspace.id}/segment-analyses/",
        {"client": str(acme_client.id), "file": SimpleUploadedFile("t.csv", data),
         "as_of": "2026-03-31"},
        format="multipart",
    )  # fmt: skip
    assert simple.status_code == 400
    assert analysis.error == " ".join(simple.json()["file"])
    assert analysis.error.startswith("Row 3, date: is not a date as YYYY-MM-DD.")


def test_progress_is_reported_while_the_analysis_runs(api, workspace, acme_client, monkeypatch):
    upload = _upload_all(api, workspace, acme_client, CSV)
    done = _complete(api, workspace, upload["id"], {"as_of": "2026-03-31"})
    seen = []
    real = streaming.analyse_file

    def watched(*args, **kwargs):
        seen.append(SegmentAnalysis.objects.get(id=done.json()["id"]).progress)
        table = real(*args, **kwargs)
        seen.append(SegmentAnalysis.objects.get(id=done.json()["id"]).progress)
        return table

    monkeypatch.setattr(streaming, "analyse_file", watched)
    _analysed(done.json()["id"])
    assert seen == [40, 85]


def test_a_listening_export_by_chunks_is_imported_by_the_worker(api, workspace, acme_client):
    from insights.services.listening import listening_import_run

    upload = _upload_all(api, workspace, acme_client, LISTENING, kind="listening")
    done = _complete(api, workspace, upload["id"], {"client_brand": "northwind"})
    assert done.status_code == 202, done.json()
    assert (done.json()["status"], done.json()["file_name"]) == ("queued", "t.csv")
    assert not ListeningMonth.objects.exists()  # nothing is read on the web
    job = listening_import_run(import_id=done.json()["id"])
    assert (job.status, job.progress, job.rows, job.months, job.brands) == ("done", 100, 4, 1, 3)
    assert ListeningMonth.objects.count() == 4
    assert not ChunkedUpload.objects.exists()
    read = api.get(f"/api/v1/workspaces/{workspace.id}/listening-imports/{job.id}/").json()
    assert (read["status"], read["rows"], read["problems"]) == ("done", 4, [])


def test_a_file_in_the_workspaces_imports_is_analysed_and_kept(api, workspace, acme_client):
    path = default_storage.save(f"imports/{workspace.id}/big.csv", ContentFile(CSV))
    url = f"/api/v1/workspaces/{workspace.id}/segment-analyses/from-storage/"
    made = api.post(
        url, {"client": str(acme_client.id), "path": path, "as_of": "2026-03-31"}, format="json"
    )
    assert made.status_code == 202, made.json()
    analysis = _analysed(made.json()["id"])
    assert (analysis.status, analysis.customers) == (SegmentAnalysis.Status.DONE, 5)
    assert default_storage.exists(path)  # the workspace's own file stays


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "imports/{other}/big.csv",
        "imports/{ws}/../{other}/big.csv",
        "imports/{ws}/./big.csv",
        "uploads/{ws}/big.csv",
        "imports/{ws}\\..\\big.csv",
        "imports/{ws}/missing.csv",
    ],
)
def test_store_paths_outside_the_workspaces_imports_are_refused(api, workspace, acme_client, path):
    default_storage.save(f"imports/{workspace.id}/big.csv", ContentFile(CSV))
    path = path.format(ws=workspace.id, other=uuid.uuid4())
    refused = api.post(
        f"/api/v1/workspaces/{workspace.id}/segment-analyses/from-storage/",
        {"client": str(acme_client.id), "path": path, "as_of": "2026-03-31"},
        format="json",
    )
    assert refused.status_code == 400
    assert "path" in refused.json()
    assert not SegmentAnalysis.objects.exists()


def test_streaming_checks_name_the_same_problems_as_the_in_memory_read(tmp_path):
    from insights import rfm

    rows = [b"customer_id,date,amount"] + [b"x@y.co,1800-01-01,-5"] * (rfm.MAX_PROBLEMS + 10)
    data = b"\n".join(rows) + b"\n"
    source = tmp_path / "t.csv"
    source.write_bytes(data)
    with pytest.raises(rfm.TransactionsError) as eager:
        rfm.read_transactions(data)
    with pytest.raises(rfm.TransactionsError) as lazy:
        streaming.check_file(str(source), str(tmp_path / "clean.parquet"))
    assert lazy.value.problems == eager.value.problems
    assert len(lazy.value.problems) == rfm.MAX_PROBLEMS


@pytest.mark.parametrize("part_rows", [streaming.PART_ROWS, 3])
def test_the_streaming_analysis_equals_the_in_memory_one(tmp_path, part_rows):
    from insights import rfm

    source = tmp_path / "t.csv"
    source.write_bytes(CSV)
    clean = str(tmp_path / "clean.parquet")
    assert streaming.check_file(str(source), clean) == 8
    # In one slice, or in three (customers split by hash of their id): the same table.
    table, rows, window = streaming.analyse_file(clean, as_of=AS_OF, k=2.0, part_rows=part_rows)
    transactions = rfm.read_transactions(CSV)
    assert table.equals(rfm.analyse(transactions, as_of=AS_OF, k=2.0))
    assert (rows, window) == (transactions.height, rfm.window_days(transactions, AS_OF))
    assert isinstance(table, pl.DataFrame)


def test_the_upload_forms_load_the_chunked_script_and_keep_the_plain_form(
    client, consultant, workspace, acme_client
):
    client.force_login(consultant)
    for name in ("insights", "listening"):
        page = client.get(f"/w/{workspace.id}/clients/{acme_client.id}/{name}/").content.decode()
        assert "js/chunked-upload.js" in page
        assert "data-chunked-upload" in page
        # Without JavaScript the same form posts the file itself.
        assert 'enctype="multipart/form-data"' in page
        assert f"/api/v1/workspaces/{workspace.id}/insight-uploads/" in page


def test_a_chunk_bigger_than_the_form_memory_limit_is_stored_through_the_stack(
    api, workspace, acme_client, settings
):
    # Chunks are read from the request stream: DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB), which
    # request.body enforces, does not apply to them.
    settings.INSIGHT_UPLOAD_CHUNK_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
    data = CSV * (2 * settings.INSIGHT_UPLOAD_CHUNK_BYTES // len(CSV))
    upload = _start(api, workspace, acme_client, data)
    first = data[: upload["chunk_size"]]
    stored = _put(api, workspace, upload["id"], 0, first)
    assert stored.status_code == 200, stored.content[:200]
    with default_storage.open(ChunkedUpload.objects.get().chunk_name(0), "rb") as handle:
        assert handle.read() == first


def test_expiry_runs_in_the_periodic_tasks(settings):
    from insights.tasks import uploads_expire

    assert settings.CELERY_BEAT_SCHEDULE["insight-uploads-expire"]["task"] == uploads_expire.name
    assert uploads_expire.run() == 0  # the task calls the service: nothing stale here


def test_the_upload_script_gets_its_messages_in_the_readers_language(
    client, consultant, workspace, acme_client
):
    consultant.language = "de"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    page = client.get(f"/w/{workspace.id}/clients/{acme_client.id}/insights/").content.decode()
    assert 'data-failed-text="Das Hochladen ist fehlgeschlagen."' in page
    assert "data-lost-text=" in page
    assert "The upload failed." not in page

"""Listening exports of any size (issue 16): checked streaming with problems named by row
and column, added up per month, brand, source and rated-or-not with the very figures a
row-by-row store gives, and imported by the worker under the shared job lease, all rows
or none, never twice."""

import datetime

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from polars.testing import assert_frame_equal
from rest_framework.test import APIClient

from cxmaturity import leases
from insights import listening, selectors
from insights.models import ListeningImport, ListeningMonth
from insights.services import listening_upload
from insights.services.listening import (
    LISTENING_JOB,
    _store_and_finish,
    listening_import_run,
    listening_imports_requeue_stuck,
)
from insights.services.uploads import analysis_from_storage

pytestmark = pytest.mark.django_db

HEADER = "date,brand,source,mentions,positive,negative,shares,reviews,rating\n"
# One brand, month and source with rated and unrated rows, ratings that need rounding,
# a rated row without reviews, another spelling of the brand and a second source.
MIXED = (
    HEADER
    + "2026-09-03,Northwind,twitter,100,40,10,8,5,4.0\n"
    + "2026-09-04,Northwind,twitter,30,10,5,1,0,\n"
    + "2026-09-05,NORTHWIND,twitter,70,20,5,3,7,3.333\n"
    + "2026-09-06,Northwind,twitter,10,1,1,0,0,5\n"
    + "2026-09-07,northwind,reviews,50,20,5,2,20,4.5\n"
    + "2026-09-08,Northwind,reviews,5,1,1,0,3,\n"
    + "2026-09-01,Contoso,twitter,200,60,40,40,10,3.5\n"
    + "2026-09-02,Contoso,twitter,20,6,4,4,9,2.15\n"
    + "2026-10,Contoso,forums,50,30,5,15,,\n"
    + "2026-10-09,Northwind,forums,80,30,5,15,4,4.25\n"
).encode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _problems(data: bytes, mapping=None) -> list[str]:
    with pytest.raises(listening.ListeningError) as caught:
        listening.read_listening(data, mapping)
    return caught.value.problems


def _one_by_one(data: bytes) -> pl.DataFrame:
    """The rows as a row-by-row store kept them: each rating rounded to 2 decimals."""
    with listening.tempfile.TemporaryDirectory() as work:
        source, clean = f"{work}/x.csv", f"{work}/x.parquet"
        with open(source, "wb") as handle:
            handle.write(data)
        listening.check_file(source, clean)
        rows = pl.read_parquet(clean)
    spelling = pl.col("brand").first().over(pl.col("brand").str.to_lowercase())
    return rows.select(
        "month", spelling.alias("brand"), "source", *listening.COUNTS, pl.col("rating").round(2)
    )


def test_added_up_rows_give_the_figures_of_a_row_by_row_store():
    added = listening.read_listening(MIXED)
    # Northwind/twitter rated, Northwind/twitter unrated, Northwind/reviews x2, Contoso
    # twitter, Contoso forums, Northwind forums: 7 rows for 10.
    assert added.height == 7
    rated = added.filter(
        (pl.col("brand") == "Northwind") & (pl.col("source") == "twitter")
    ).drop_nulls("rating")
    assert rated.select("mentions", "reviews", "rating_points").row(0) == (180, 12, 2000 + 2331)
    assert_frame_equal(
        listening.monthly(added), listening.monthly(_one_by_one(MIXED)), check_exact=True
    )
    for month in (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)):
        assert listening.compare(
            listening.monthly(added), client_brand="Northwind", month=month
        ) == listening.compare(
            listening.monthly(_one_by_one(MIXED)), client_brand="Northwind", month=month
        )


def test_the_stored_rows_give_the_page_the_same_figures(acme_client):
    assert listening_upload(client=acme_client, data=MIXED, client_brand="northwind") == 10
    assert ListeningMonth.objects.count() == 7
    stored = selectors.listening_comparison(client=acme_client, month="2026-09")
    expected = listening.monthly(_one_by_one(MIXED))
    september = expected.filter(pl.col("month") == datetime.date(2026, 9, 1))
    by_brand = {b["brand"]: b for b in stored["brands"]}
    for row in september.to_dicts():
        assert by_brand[row["brand"]]["review_rating"] == row["review_rating"]
        assert by_brand[row["brand"]]["share_of_voice"] == row["share_of_voice"]
    assert stored["rows"] == listening.compare(
        expected, client_brand="Northwind", month=datetime.date(2026, 9, 1)
    )


def test_a_byte_order_mark_and_blank_lines_change_nothing():
    marked = b"\xef\xbb\xbf" + MIXED.replace(b"\n2026-10,", b"\n\n2026-10,")
    assert_frame_equal(listening.read_listening(marked), listening.read_listening(MIXED))
    bad = b"\xef\xbb\xbf" + HEADER.encode() + b"\n2026-09-01,,s,1,0,0,0,0,\n"
    assert _problems(bad) == ["Row 3, brand: is empty."]


def test_bad_cells_are_named_by_row_and_column_the_first_100_only():
    bad = HEADER + "".join(f"2026-09-01,B,s,x{n},1,1,1,1,\n" for n in range(150))
    found = _problems((bad + "2026-13-01,,s,1,1,1,1,1,9\n").encode())
    assert len(found) == 100
    assert found[0] == "Row 2, mentions: is not a whole number of 0 or more."
    assert found[-1] == "Row 101, mentions: is not a whole number of 0 or more."
    several = HEADER + "2026-13-01,,s,2,1,1,1,1,9\n"
    assert _problems(several.encode()) == [
        "Row 2, brand: is empty.",
        "Row 2, date: is not a date as YYYY-MM-DD or YYYY-MM.",
        "Row 2, rating: is not 0 to 5.",
    ]


@pytest.mark.parametrize(
    ("data", "mapping", "message"),
    [
        (b"", None, "The file is empty."),
        (b"\n \n", None, "The file is empty."),
        (HEADER.encode(), None, "The file has a header but no rows."),
        (b'date,brand\n2026-01,"Acme,1\n', {}, "Row 1 has no column for mentions"),
        (
            HEADER.encode() + b'2026-09-01,"Acme,s,1,1,1,1,1,\n2026-09-01,B,s,1,1,1,1,1,\n',
            None,
            "This is not a CSV file we can read (",
        ),
        (HEADER.encode(), {"mentions": "Volume"}, "Row 1 has no column for mentions"),
    ],
)
def test_files_that_cannot_be_read_say_why(data, mapping, message):
    assert _problems(data, mapping)[0].startswith(message)


def test_counts_adding_up_past_what_a_month_holds_are_refused_by_month_brand_and_source(
    acme_client,
):
    """Each cell is within its limit, but three of them add up past a stored month's
    count: the upload is refused naming where, and nothing is stored."""
    big = "2026-09-0{d},Northwind,twitter,1000000000,0,0,0,1000000000,5\n"
    data = (HEADER + "".join(big.format(d=d) for d in (1, 2, 3))).encode()
    assert _problems(data) == [
        "2026-09, Northwind, twitter: mentions, reviews add up to more than 2,147,483,647."
    ]
    with pytest.raises(ValidationError) as refused:
        listening_upload(client=acme_client, data=data, client_brand="Northwind")
    assert "2,147,483,647" in refused.value.message_dict["file"][0]
    assert not ListeningMonth.objects.filter(client=acme_client).exists()


def test_a_file_past_the_old_20000_row_limit_is_imported_in_few_rows(workspace, acme_client):
    lines = [
        f"2026-{1 + n % 12:02d}-{1 + n % 28:02d},Brand {n % 3},src{n % 2},10,4,1,1,2,"
        f"{'' if n % 5 else '4.5'}\n"
        for n in range(25_000)
    ]
    path = default_storage.save(
        f"imports/{workspace.id}/big.csv", ContentFile((HEADER + "".join(lines)).encode())
    )
    job = analysis_from_storage(
        client=acme_client,
        path=path,
        fields={"client_brand": "brand 1"},
        kind="listening",
    )
    assert (job.status, job.file_name) == ("queued", "big.csv")
    done = listening_import_run(import_id=job.id)
    assert (done.status, done.rows, done.months, done.brands) == ("done", 25_000, 12, 3)
    assert ListeningMonth.objects.count() <= 12 * 3 * 2 * 2
    assert sum(ListeningMonth.objects.values_list("mentions", flat=True)) == 250_000
    assert default_storage.exists(path)  # the workspace's own file stays


def _queued(client, workspace, data=MIXED, brand="Northwind") -> ListeningImport:
    path = default_storage.save(f"imports/{workspace.id}/l.csv", ContentFile(data))
    return analysis_from_storage(
        client=client, path=path, fields={"client_brand": brand}, kind="listening"
    )


def test_a_refused_file_fails_the_import_with_its_problems_and_stores_nothing(
    workspace, acme_client
):
    bad = HEADER.encode() + b"2026-09-01,Acme,s,x,1,1,1,1,\n"
    job = listening_import_run(import_id=_queued(acme_client, workspace, bad).id)
    assert job.status == "failed"
    assert job.problems == ["Row 2, mentions: is not a whole number of 0 or more."]
    assert not ListeningMonth.objects.exists()
    wrong = listening_import_run(import_id=_queued(acme_client, workspace, brand="Nobody").id)
    assert wrong.status == "failed"
    assert wrong.problems[0].startswith("No brand of that name in the file; it has: Contoso")


def test_a_mistyped_mapping_or_no_brand_is_refused_before_the_queue(workspace, acme_client):
    path = default_storage.save(f"imports/{workspace.id}/l.csv", ContentFile(MIXED))
    with pytest.raises(ValidationError) as caught:
        analysis_from_storage(
            client=acme_client,
            path=path,
            fields={"client_brand": "Northwind", "mapping": "volume"},
            kind="listening",
        )
    assert "mapping" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        analysis_from_storage(client=acme_client, path=path, fields={}, kind="listening")
    assert "client_brand" in caught.value.message_dict
    assert not ListeningImport.objects.exists()


def test_a_worker_that_died_is_replaced_and_the_months_are_stored_once(
    workspace, acme_client, monkeypatch
):
    job = _queued(acme_client, workspace)
    now = timezone.now()
    dead = leases.claim(LISTENING_JOB, job.id, now=now)  # the first worker, then it dies
    assert (dead.status, dead.attempts) == ("running", 1)
    # Its lease runs out: the periodic sweep sends the import again.
    ListeningImport.objects.filter(id=job.id).update(lease_until=now - datetime.timedelta(1))
    sent = []
    monkeypatch.setattr("insights.tasks.listening_import_task.delay", sent.append)
    assert listening_imports_requeue_stuck() == 1
    assert sent == [str(job.id)]
    second = listening_import_run(import_id=job.id)
    assert (second.status, second.attempts) == ("done", 2)
    stored = sorted(ListeningMonth.objects.values_list("id", flat=True))
    assert len(stored) == 7
    # The first worker wakes up and tries to store its outcome: it is no longer its job,
    # so nothing of it is kept (no second copy of the months, the done job unchanged).
    rows, table = 10, listening.read_listening(MIXED)
    assert _store_and_finish(dead, rows, table) is False
    assert sorted(ListeningMonth.objects.values_list("id", flat=True)) == stored
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("done", 2)


def test_an_import_run_twice_stores_once(workspace, acme_client):
    job = _queued(acme_client, workspace)
    assert listening_import_run(import_id=job.id).status == "done"
    assert listening_import_run(import_id=job.id) is None
    assert ListeningMonth.objects.count() == 7


def test_the_page_shows_the_running_import_then_its_problems(
    client, consultant, workspace, acme_client
):
    client.force_login(consultant)
    url = reverse("listening", args=[workspace.id, acme_client.id])
    job = _queued(acme_client, workspace, data=HEADER.encode() + b"2026-09-01,,s,1,1,1,1,1,\n")
    ListeningImport.objects.filter(id=job.id).update(status="running", progress=60)
    page = client.get(url).content.decode()
    assert "data-refresh-when-done" in page
    assert 'value="60"' in page
    assert "Importing “l.csv”" in page
    ListeningImport.objects.filter(id=job.id).update(status="queued", progress=0)
    listening_import_run(import_id=job.id)
    page = client.get(url).content.decode()
    assert "data-refresh-when-done" not in page
    assert "“l.csv” was not imported; nothing was stored." in page
    assert "Row 2, brand: is empty." in page


def test_the_api_lists_and_reads_imports_of_the_client(consultant, workspace, acme_client):
    job = _queued(acme_client, workspace)
    listening_import_run(import_id=job.id)
    api = APIClient()
    api.force_authenticate(consultant)
    base = f"/api/v1/workspaces/{workspace.id}/listening-imports/"
    listed = api.get(base, {"client": str(acme_client.id)}).json()["results"]
    assert [(r["id"], r["status"], r["months"]) for r in listed] == [(str(job.id), "done", 2)]
    made = api.post(
        base + "from-storage/",
        {"client": str(acme_client.id), "path": "/etc/passwd", "client_brand": "X"},
        format="json",
    )
    assert made.status_code == 400
    assert "path" in made.json()


def test_a_small_upload_is_stored_at_once_and_listed_as_a_done_import(
    client, consultant, workspace, acme_client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(consultant)
    url = reverse("listening", args=[workspace.id, acme_client.id])
    sent = client.post(
        url, {"file": SimpleUploadedFile("sept.csv", MIXED), "client_brand": "Northwind"}
    )
    assert sent.status_code == 302
    job = ListeningImport.objects.get()
    assert (job.status, job.file_name, job.rows, job.months, job.brands) == (
        "done",
        "sept.csv",
        10,
        2,
        2,
    )
    assert job.created_by == consultant
    page = client.get(url).content.decode()
    assert "“sept.csv” imported: 10 rows read, 2 months of 2 brands stored." in page


def test_an_api_upload_larger_than_a_chunk_goes_to_the_worker(
    settings, consultant, workspace, acme_client
):
    """Nothing is read on the web: the file is stored as a chunked upload would be (202),
    and the worker's run stores it, all at once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from insights.models import ChunkedUpload

    settings.INSIGHT_UPLOAD_CHUNK_BYTES = 200
    api = APIClient()
    api.force_authenticate(consultant)
    url = reverse("api-client-listening", args=[workspace.id, acme_client.id])
    sent = api.post(
        url,
        {"file": SimpleUploadedFile("big.csv", MIXED), "client_brand": "Northwind"},
        format="multipart",
    )
    assert sent.status_code == 202, sent.content
    job = ListeningImport.objects.get(id=sent.json()["import"]["id"])
    assert (job.status, job.file_name, job.source_upload.chunk_count) == (
        "queued",
        "big.csv",
        -(-len(MIXED) // 200),
    )
    assert not ListeningMonth.objects.exists()
    listening_import_run(import_id=job.id)
    job.refresh_from_db()
    assert (job.status, job.rows, job.months) == ("done", 10, 2)
    assert not ChunkedUpload.objects.exists()  # read, then discarded


def test_a_refused_large_upload_keeps_no_chunk(settings, consultant, workspace, acme_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from insights.models import ChunkedUpload, UploadChunk

    settings.INSIGHT_UPLOAD_CHUNK_BYTES = 200
    api = APIClient()
    api.force_authenticate(consultant)
    url = reverse("api-client-listening", args=[workspace.id, acme_client.id])
    sent = api.post(
        url,
        {"file": SimpleUploadedFile("big.csv", MIXED), "client_brand": "N", "mapping": "x"},
        format="multipart",
    )
    assert sent.status_code == 400
    assert "mapping" in sent.json()
    assert not ChunkedUpload.objects.exists()
    assert not UploadChunk.objects.exists()
    assert not ListeningImport.objects.exists()


def test_a_file_not_saved_as_utf8_is_refused_rather_than_merging_brands():
    """Café and Cafè saved as cp1252 would both read as Caf�: one competitor, wrongly."""
    data = (HEADER + "2026-09-01,Café,web,10,1,1,0,0,\n2026-09-02,Cafè,web,5,1,1,0,0,\n").encode(
        "cp1252"
    )
    assert _problems(data) == [
        "Row 2, brand: is not UTF-8 text: save the file as UTF-8 CSV.",
        "Row 3, brand: is not UTF-8 text: save the file as UTF-8 CSV.",
    ]


def test_blank_looking_rows_and_nul_bytes_read_alike_on_the_web_and_the_worker():
    data = (HEADER + "  ,  , ,,,,,,\n2026-09-01,Acme,web,1\x000,1,1,0,0,\n").encode()
    (row,) = listening.read_listening(data).iter_rows(named=True)
    assert (row["brand"], row["mentions"]) == ("Acme", 10)


def test_an_export_adding_up_to_too_many_stored_rows_is_refused(monkeypatch, acme_client):
    monkeypatch.setattr(listening, "MAX_STORED_ROWS", 3)
    rows = "".join(f"2026-09-01,Acme,source {n},1,0,0,0,0,\n" for n in range(4))
    with pytest.raises(ValidationError) as refused:
        listening_upload(client=acme_client, data=(HEADER + rows).encode(), client_brand="Acme")
    assert refused.value.message_dict["file"] == [
        "The export adds up to 4 rows of month, brand and source; at most 3 are kept an "
        "upload. Leave out sources or months, or upload them in parts."
    ]
    assert not ListeningMonth.objects.exists()


def test_importing_again_replaces_more_brand_months_than_one_statement_binds(acme_client):
    months = [datetime.date(1990 + n // 12, 1 + n % 12, 1) for n in range(460)]
    rows = "".join(
        f"{m:%Y-%m},{brand},web,10,1,1,0,0,\n" for m in months for brand in ("Acme", "Zeta")
    )
    data = (HEADER + rows).encode()
    listening_upload(client=acme_client, data=data, client_brand="Acme")
    listening_upload(client=acme_client, data=data, client_brand="acme")
    assert ListeningMonth.objects.filter(client=acme_client).count() == 920

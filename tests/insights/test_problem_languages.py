"""A refused transactions file or listening export names its problems in the reader's
language (issue 18): on the page in the request's language, and stored by the worker in
the language of the person who uploaded it (else the client's), whatever the worker's."""

import datetime
import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from insights import listening, services
from insights.models import ListeningImport, SegmentAnalysis
from insights.services.listening import listening_import_run, listening_imports_requeue_stuck
from insights.services.uploads import analysis_from_storage
from tests.insights.test_listening_imports import HEADER
from tests.insights.test_segments import AS_OF

pytestmark = pytest.mark.django_db

BAD_DATE = b"customer_id,date,amount\nx,soon,1\n"
BAD_MENTIONS = HEADER.encode() + b"2026-09-01,Acme,s,x,1,1,1,1,\n"
# Three months' counts that each fit but add up past what a stored month holds.
TOO_MANY = (
    HEADER + "".join(f"2026-09-0{d},Acme,,1000000000,0,0,0,0,\n" for d in (1, 2, 3))
).encode()
PROBLEMS = {
    "de": (
        "Zeile 2, date: ist kein Datum im Format JJJJ-MM-TT.",
        "Zeile 2, mentions: ist keine ganze Zahl ab 0.",
    ),
    "fr": (
        "Ligne 2, date : n’est pas une date au format AAAA-MM-JJ.",
        "Ligne 2, mentions : n’est pas un nombre entier positif ou nul.",
    ),
    "en": (
        "Row 2, date: is not a date as YYYY-MM-DD.",
        "Row 2, mentions: is not a whole number of 0 or more.",
    ),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("language", ["de", "fr", "en"])
def test_the_pages_name_a_refused_files_problems_in_the_readers_language(
    client, consultant, acme_client, language
):
    client.force_login(consultant)
    ws = acme_client.workspace_id
    transactions, listening_export = PROBLEMS[language]
    refused = client.post(
        reverse("insights", args=[ws, acme_client.id]),
        {"file": SimpleUploadedFile("t.csv", BAD_DATE), "as_of": "2026-03-31", "k": "2"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert refused.status_code == 400
    assert transactions in html.unescape(refused.text)
    refused = client.post(
        reverse("listening", args=[ws, acme_client.id]),
        {"file": SimpleUploadedFile("l.csv", BAD_MENTIONS), "client_brand": "Acme"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert listening_export in html.unescape(refused.text)
    assert not SegmentAnalysis.objects.exists()
    assert not ListeningImport.objects.exists()


def test_a_saved_language_beats_the_browsers_for_the_problems(client, consultant, acme_client):
    consultant.language = "de"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    refused = client.post(
        reverse("insights", args=[acme_client.workspace_id, acme_client.id]),
        {"file": SimpleUploadedFile("t.csv", BAD_DATE), "as_of": "2026-03-31", "k": "2"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert PROBLEMS["de"][0] in html.unescape(refused.text)


def _stored(client, name: str, data: bytes) -> str:
    return default_storage.save(f"imports/{client.workspace_id}/{name}", ContentFile(data))


def test_the_worker_stores_the_problems_in_the_uploaders_language(consultant, acme_client):
    consultant.language = "fr"
    consultant.save(update_fields=["language"])
    acme_client.language = "de"  # the uploader's own language comes first
    acme_client.save(update_fields=["language"])
    analysis = analysis_from_storage(
        client=acme_client,
        path=_stored(acme_client, "t.csv", BAD_DATE),
        fields={"as_of": AS_OF},
        created_by=consultant,
    )
    job = analysis_from_storage(
        client=acme_client,
        path=_stored(acme_client, "l.csv", BAD_MENTIONS),
        fields={"client_brand": "Acme"},
        created_by=consultant,
        kind="listening",
    )
    with translation.override("en"):  # the worker's own language does not count
        failed = services.analysis_run(analysis_id=analysis.id)
        refused = listening_import_run(import_id=job.id)
    assert (failed.status, failed.error) == ("failed", PROBLEMS["fr"][0])
    assert (refused.status, refused.problems) == ("failed", [PROBLEMS["fr"][1]])


@pytest.mark.parametrize(
    ("client_language", "expected"),
    [
        ("de", "2026-09, Acme, keine Quelle: mentions ergeben zusammen mehr als 2.147.483.647."),
        (
            "fr",
            "2026-09, Acme, sans source : mentions totalisent plus de 2\xa0147\xa0483\xa0647.",
        ),
        ("en", "2026-09, Acme, no source: mentions add up to more than 2,147,483,647."),
    ],
)
def test_without_a_saved_language_the_worker_writes_in_the_clients(
    acme_client, client_language, expected
):
    acme_client.language = client_language
    acme_client.save(update_fields=["language"])
    job = analysis_from_storage(
        client=acme_client,
        path=_stored(acme_client, "l.csv", TOO_MANY),
        fields={"client_brand": "Acme"},
        kind="listening",
    )
    assert listening_import_run(import_id=job.id).problems == [expected]


def test_the_order_of_a_rows_problems_does_not_depend_on_the_language():
    """Within a row the problems follow the columns and the English checks, in every
    language: the same cells in the same places."""
    data = HEADER.encode() + b"2026-13-01,,s,x,-1,1,1,1,9\n"
    orders = {}
    for language in ("en", "de", "fr"):
        with translation.override(language), pytest.raises(listening.ListeningError) as caught:
            listening.read_listening(data)
        orders[language] = [
            problem.split(",")[1].split(":")[0].strip() for problem in caught.value.problems
        ]
    assert orders["en"] == ["brand", "date", "mentions", "positive", "rating"]
    assert orders["de"] == orders["fr"] == orders["en"]


def test_a_job_given_up_says_so_in_the_uploaders_language(settings, consultant, acme_client):
    """By the sweep (a worker died) or by a task delivered once too often: either way
    the page's message is the uploader's to read."""
    consultant.language = "fr"
    consultant.save(update_fields=["language"])
    analysis = analysis_from_storage(
        client=acme_client,
        path=_stored(acme_client, "t.csv", BAD_DATE),
        fields={"as_of": AS_OF},
        created_by=consultant,
    )
    job = analysis_from_storage(
        client=acme_client,
        path=_stored(acme_client, "l.csv", BAD_MENTIONS),
        fields={"client_brand": "Acme"},
        created_by=consultant,
        kind="listening",
    )
    SegmentAnalysis.objects.filter(id=analysis.id).update(attempts=settings.JOB_MAX_ATTEMPTS)
    ListeningImport.objects.filter(id=job.id).update(
        status="running",
        attempts=settings.JOB_MAX_ATTEMPTS,
        started_at=timezone.now() - datetime.timedelta(days=1),
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    with translation.override("en"):
        assert services.analysis_run(analysis_id=analysis.id) is None
        assert listening_imports_requeue_stuck() == 0
    analysis.refresh_from_db()
    job.refresh_from_db()
    assert analysis.error == "L’analyse s’est arrêtée avant la fin. Importez à nouveau le fichier."
    assert job.error == "L’import s’est arrêté avant la fin. Importez à nouveau le fichier."

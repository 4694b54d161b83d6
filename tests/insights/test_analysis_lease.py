"""Segment analyses run under the shared job lease (cxmaturity.leases): nothing stays
'processing' for good, the raw customer file never outlives its analysis, and a long wait
in the queue is not mistaken for a dead worker. Leases are driven by explicit times."""

import datetime
import errno
import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cxmaturity import leases, uploads
from insights import rfm, services
from insights.models import SegmentAnalysis
from tests.insights.test_segments import AS_OF, CSV

pytestmark = pytest.mark.django_db

JOB = services.ANALYSIS_JOB


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(monkeypatch):
    sent = []
    monkeypatch.setattr("insights.tasks.analysis_run_task.delay", sent.append)
    return sent


def _queued(client, name="Q1", data=CSV):
    return services.analysis_request(
        client=client, data=data, name=name, as_of=AS_OF, enqueue=False
    )


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.ANALYSIS_LEASE)


def test_two_workers_cannot_both_claim_an_analysis(acme_client):
    analysis = _queued(acme_client)
    now = timezone.now()
    claimed = leases.claim(JOB, analysis.id, now=now)
    assert (claimed.status, claimed.attempts, claimed.lease_until) == (
        "processing",
        1,
        now + _lease(),
    )
    with pytest.raises(leases.LeaseHeld):
        leases.claim(JOB, analysis.id, now=now + datetime.timedelta(seconds=1))
    with pytest.raises(leases.LeaseHeld):
        services.analysis_run(analysis_id=analysis.id)
    analysis.refresh_from_db()
    assert (analysis.status, analysis.attempts) == ("processing", 1)


def test_an_analysis_queued_long_is_not_failed_while_it_runs(acme_client, sent):
    analysis = _queued(acme_client)
    hours_ago = timezone.now() - datetime.timedelta(hours=5)
    SegmentAnalysis.objects.filter(id=analysis.id).update(created_at=hours_ago)
    # It waited five hours in the queue: sent again, not failed.
    assert services.analyses_requeue_stuck() == 1
    assert sent == [str(analysis.id)]
    started = timezone.now()
    leases.claim(JOB, analysis.id, now=started)
    # Running within its lease: neither failed nor sent again, however old the row is.
    assert services.analyses_requeue_stuck(now=started + _lease()) == 0
    analysis.refresh_from_db()
    assert analysis.status == "processing"
    assert not analysis.error
    # Progress renews the lease.
    assert leases.heartbeat(JOB, analysis, 30, now=started + _lease())
    assert services.analyses_requeue_stuck(now=started + _lease() * 2 - datetime.timedelta(1)) == 0
    assert sent == [str(analysis.id)]


def test_a_worker_dead_mid_analysis_is_taken_over_the_result_kept_and_the_file_removed(
    acme_client, sent
):
    analysis = _queued(acme_client)
    upload = analysis.upload.name
    died = timezone.now() - _lease() - datetime.timedelta(minutes=1)
    dead = leases.claim(JOB, analysis.id, now=died)  # and then its worker was killed
    assert services.analyses_requeue_stuck() == 1
    assert sent == [str(analysis.id)]
    done = services.analysis_run(analysis_id=analysis.id)
    assert (done.status, done.attempts, done.lease_until, done.upload.name) == ("done", 2, None, "")
    assert not default_storage.exists(upload)
    # The first worker waking up later cannot overwrite the outcome.
    assert not leases.finish(JOB, dead, status="failed", error="late")
    done.refresh_from_db()
    assert done.status == "done"


def test_an_analysis_out_of_attempts_fails_with_a_message_and_its_file_is_removed(
    client, consultant, acme_client, sent
):
    analysis = _queued(acme_client)
    upload = analysis.upload.name
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    SegmentAnalysis.objects.filter(id=analysis.id).update(
        status="processing", started_at=long_ago, lease_until=long_ago, attempts=3
    )
    assert services.analyses_requeue_stuck() == 0
    assert sent == []
    analysis.refresh_from_db()
    assert analysis.status == "failed"
    assert "Upload the file again" in analysis.error
    assert (analysis.upload.name, analysis.lease_until) == ("", None)
    assert not default_storage.exists(upload)
    client.force_login(consultant)
    page = client.get(reverse("segment_analysis", args=[acme_client.workspace_id, analysis.id]))
    assert "The analysis failed:" in page.text
    assert "Upload the file again" in page.text


def test_a_redelivered_task_after_the_attempts_fails_the_analysis_too(acme_client):
    analysis = _queued(acme_client)
    SegmentAnalysis.objects.filter(id=analysis.id).update(attempts=3)
    assert services.analysis_run(analysis_id=analysis.id) is None
    analysis.refresh_from_db()
    assert analysis.status == "failed"
    assert "3 times" not in analysis.error  # the analysis message, not the documents'
    assert "stopped before it finished" in analysis.error
    assert not analysis.upload


def test_an_expired_analysis_whose_file_is_gone_fails_instead_of_being_sent(acme_client, sent):
    analysis = _queued(acme_client)
    default_storage.delete(analysis.upload.name)
    SegmentAnalysis.objects.filter(id=analysis.id).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.analyses_requeue_stuck() == 0
    analysis.refresh_from_db()
    assert analysis.status == "failed"
    assert analysis.error


def test_an_outcome_the_database_refuses_fails_the_analysis_with_a_message(
    acme_client, monkeypatch
):
    analysis = _queued(acme_client)
    upload = analysis.upload.name
    monkeypatch.setattr(services, "summarise", lambda table, analysis: {"x": object()})
    assert services.analysis_run(analysis_id=analysis.id) is None
    analysis.refresh_from_db()
    assert analysis.status == "failed"
    assert "could not be completed" in analysis.error
    assert not analysis.upload
    assert not default_storage.exists(upload)
    assert not default_storage.exists(f"insights/{acme_client.workspace_id}/{analysis.id}.parquet")


def test_a_nul_in_a_customer_id_is_stripped_at_read(acme_client):
    data = CSV.replace(b"\nb,", b"\nb\x00,").replace(b"\nd,", b"\n\x00d,")
    assert set(rfm.read_transactions(data)["customer_id"]) == {"a", "b", "c", "d", "e"}
    done = services.analysis_run(analysis_id=_queued(acme_client, data=data).id)
    assert done.status == "done"
    assert "\x00" not in str(done.summary)


def test_a_full_disk_leaves_neither_a_row_nor_a_partial_file(acme_client, monkeypatch):
    def chunks(self, chunk_size=None):
        yield CSV[:20]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ContentFile, "chunks", chunks)
    with pytest.raises(ValidationError) as refused:
        _queued(acme_client)
    assert "file" in refused.value.message_dict
    assert not SegmentAnalysis.objects.exists()
    folder = settings.MEDIA_ROOT / "uploads" / str(acme_client.workspace_id)
    assert not folder.exists() or not list(folder.iterdir())


def test_the_sweeper_removes_old_orphan_uploads_only(acme_client, settings):
    kept = _queued(acme_client)  # a live row names it
    folder = f"uploads/{acme_client.workspace_id}"
    orphan = default_storage.save(f"{folder}/orphan.csv", ContentFile(b"x"))
    in_flight = default_storage.save(f"{folder}/in-flight.csv", ContentFile(b"x"))
    elsewhere = default_storage.save("insights/keep.parquet", ContentFile(b"x"))
    now = timezone.now()
    old = (now - datetime.timedelta(seconds=settings.UPLOADS_ORPHAN_GRACE + 60)).timestamp()
    for name in (kept.upload.name, orphan, elsewhere):
        os.utime(default_storage.path(name), (old, old))
    young = (now - datetime.timedelta(seconds=settings.UPLOADS_ORPHAN_GRACE - 60)).timestamp()
    os.utime(default_storage.path(in_flight), (young, young))
    assert uploads.uploads_sweep_orphans(now=now) == 1
    assert not default_storage.exists(orphan)
    for name in (kept.upload.name, in_flight, elsewhere):
        assert default_storage.exists(name)

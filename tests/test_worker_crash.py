"""A worker killed mid-job: the PDF document, the segment analysis or the listening import
still completes, once, on the next worker (the shared lease, cxmaturity.leases)."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from insights.models import SegmentAnalysis
from insights.services import analysis_request
from playbooks.models import Document
from playbooks.services import document_request
from tests.conftest import database_url_for_subprocess
from tests.factories import ClientFactory
from tests.insights.test_segments import AS_OF, CSV
from workspaces.models import Client

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def _worker(log: Path, queue: str, **settings: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_PDF_QUEUE": queue,  # no other worker of the test session listens here
        "DOCUMENT_RENDER_LEASE": "3",
        "DOCUMENT_QUEUED_PATIENCE": "1",
        "DOCUMENTS_REQUEUE_SECONDS": "1",
        "CELERY_VISIBILITY_TIMEOUT": "5",  # Redis: an unacknowledged task comes back soon
        **settings,
    }
    with log.open("a") as output:
        return subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [sys.executable, "-m", "celery", "-A", "cxmaturity", "worker", "--beat",
             "--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h",
             "--loglevel", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group: the embedded beat is a child process, and a kill must
            # reach it too, or it lives on sending to the broker later runs use.
            start_new_session=True,
        )  # fmt: skip


def _group_alive(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, read from /proc."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            alive.append(int(entry.name))
    return alive


def _stop(process: subprocess.Popen, sig: signal.Signals) -> None:
    """Signal the worker's whole group; then make sure nothing of it is left running."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    if _wait(lambda: not _group_alive(process.pid), 30) is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert _wait(lambda: not _group_alive(process.pid), 30), (
        f"processes of the worker's group still run: {_group_alive(process.pid)}"
    )


def _wait(predicate, seconds: float, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(step)
    return None


def test_a_render_killed_mid_way_completes_after_restart_without_a_duplicate(tmp_path):
    call_command("seed_demo")
    client = Client.objects.get(name="Northwind Retail")
    Document.objects.all().delete()  # seed_demo's own queued version goes to the usual queue
    document = document_request(client=client, kind="playbook", enqueue=False)
    queue = f"pdf-crash-{os.getpid()}"
    log = tmp_path / "worker.log"

    def status():
        return Document.objects.values_list("status", flat=True).get(id=document.id)

    first = _worker(log, queue)
    try:
        # The periodic check finds the queued document and the worker starts rendering it.
        assert _wait(lambda: status() == "rendering", 60), log.read_text()[-3000:]
    finally:
        _stop(first, signal.SIGKILL)  # the worker and its beat, mid-render
    assert status() == "rendering", "the render finished before the worker was killed"

    second = _worker(log, queue)
    try:
        assert _wait(lambda: status() == "done", 90, step=0.3), log.read_text()[-3000:]
    finally:
        _stop(second, signal.SIGTERM)
    document.refresh_from_db()
    assert document.attempts >= 2
    assert document.file.open("rb").read(5) == b"%PDF-"
    assert document.pages >= 30
    versions = Document.objects.filter(client=client, kind="playbook")
    assert list(versions.values_list("version", flat=True)) == [1]


def test_an_analysis_killed_mid_way_completes_after_restart_and_its_upload_goes(tmp_path, settings):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    analysis = analysis_request(
        client=ClientFactory(), data=CSV, name="Q1", as_of=AS_OF, enqueue=False
    )
    upload = Path(analysis.upload.path)
    # The worker's read of the upload blocks on a pipe nobody writes to: it is killed
    # mid-analysis, after its claim, whatever the machine's speed.
    upload.unlink()
    os.mkfifo(upload)
    queue = f"insights-crash-{os.getpid()}"
    log = tmp_path / "worker.log"
    own = {
        "CELERY_DEFAULT_QUEUE": queue,  # where the analysis tasks go
        "MEDIA_ROOT": str(media),
        "ANALYSIS_QUEUED_PATIENCE": "0",  # the periodic check sends the queued analysis
        "ANALYSES_REQUEUE_SECONDS": "1",
    }

    def status():
        return SegmentAnalysis.objects.values_list("status", flat=True).get(id=analysis.id)

    first = _worker(log, queue, **own)
    try:
        assert _wait(lambda: status() == "processing", 60), log.read_text()[-3000:]
    finally:
        _stop(first, signal.SIGKILL)  # the worker and its beat, mid-analysis
    assert status() == "processing"

    # The dead worker's lease runs out (set, not waited for), and its input is readable.
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    SegmentAnalysis.objects.filter(id=analysis.id).update(lease_until=past)
    upload.unlink()
    upload.write_bytes(CSV)
    second = _worker(log, queue, **own)
    try:
        assert _wait(lambda: status() in ("done", "failed"), 90, step=0.3), log.read_text()[-3000:]
    finally:
        _stop(second, signal.SIGTERM)
    analysis.refresh_from_db()
    assert analysis.status == "done", analysis.error
    assert (analysis.customers, analysis.upload.name) == (5, "")
    assert analysis.attempts >= 2
    assert not upload.exists()


def test_a_listening_import_killed_mid_way_completes_after_restart_storing_once(
    tmp_path, settings, monkeypatch
):
    from django.core.files.storage import default_storage

    from insights.models import ListeningImport, ListeningMonth
    from insights.services.uploads import analysis_from_storage
    from tests.insights.test_listening import CSV as LISTENING

    settings.MEDIA_ROOT = media = tmp_path / "media"
    client = ClientFactory()
    path = f"imports/{client.workspace_id}/listening.csv"
    source = media / path
    source.parent.mkdir(parents=True)
    # The worker's read of the file blocks on a pipe nobody writes to: it is killed
    # mid-import, after its claim, whatever the machine's speed.
    os.mkfifo(source)
    assert default_storage.exists(path)
    # Not sent now: the periodic check sends it to this test's own queue.
    monkeypatch.setattr("insights.tasks.listening_import_task.delay_on_commit", lambda *a: None)
    job = analysis_from_storage(
        client=client, path=path, fields={"client_brand": "Northwind"}, kind="listening"
    )
    queue = f"listening-crash-{os.getpid()}"
    log = tmp_path / "worker.log"
    own = {
        "CELERY_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(media),
        "ANALYSIS_QUEUED_PATIENCE": "0",
        "ANALYSES_REQUEUE_SECONDS": "1",
    }

    def status():
        return ListeningImport.objects.values_list("status", flat=True).get(id=job.id)

    first = _worker(log, queue, **own)
    try:
        assert _wait(lambda: status() == "running", 60), log.read_text()[-3000:]
    finally:
        _stop(first, signal.SIGKILL)
    assert status() == "running"
    assert not ListeningMonth.objects.exists()

    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    ListeningImport.objects.filter(id=job.id).update(lease_until=past)
    source.unlink()
    source.write_bytes(LISTENING)
    second = _worker(log, queue, **own)
    try:
        assert _wait(lambda: status() in ("done", "failed"), 90, step=0.3), log.read_text()[-3000:]
    finally:
        _stop(second, signal.SIGTERM)
    job.refresh_from_db()
    assert (job.status, job.rows, job.problems) == ("done", 4, []), job.error
    assert job.attempts >= 2
    assert ListeningMonth.objects.filter(client=client).count() == 4
    assert source.exists()  # the workspace's own file stays

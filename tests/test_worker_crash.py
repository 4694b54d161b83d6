"""A PDF worker killed mid-render: the document still completes, once, on the next worker."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from playbooks.models import Document
from playbooks.services import document_request
from tests.conftest import database_url_for_subprocess
from workspaces.models import Client

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def _worker(log: Path, queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_PDF_QUEUE": queue,  # no other worker of the test session listens here
        "DOCUMENT_RENDER_LEASE": "3",
        "DOCUMENT_QUEUED_PATIENCE": "1",
        "DOCUMENTS_REQUEUE_SECONDS": "1",
        "CELERY_VISIBILITY_TIMEOUT": "5",  # Redis: an unacknowledged task comes back soon
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

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import database_url_for_subprocess
from tests.factories import WorkspaceFactory
from workspaces.models import Client

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def test_two_processes_writing_at_once_never_hit_database_is_locked():
    workspace = WorkspaceFactory()
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                str(ROOT / "tests" / "concurrent_writer.py"),
                str(workspace.id),
                prefix,
                "150",
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix in ("web", "worker")
    ]
    errors = [writer.communicate(timeout=240)[1] for writer in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert Client.objects.filter(workspace=workspace).count() == 300


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only apply to the embedded database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000

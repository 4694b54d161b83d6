import os

# Playwright's sync API leaves an asyncio loop running in the main thread for the rest of
# the session, and Django's async guard would then refuse every ORM call that follows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.conf import settings
from django.db.models.signals import post_save

from tests.factories import ClientFactory, MembershipFactory, WorkspaceFactory, grant_client
from workspaces.models import Client, ClientRole, Role


def pytest_configure(config: pytest.Config) -> None:
    if settings.SECURE_SSL_REDIRECT:
        raise pytest.UsageError(
            "The tests talk plain HTTP: run them with `make test`, or set DEBUG=true."
        )


def require(condition: bool, reason: str) -> None:
    """Skip when a service is missing, except in runs that must exercise every service."""
    if condition:
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; the tests are about access, not about PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _demo_playbook_left_to_a_worker(settings):
    # seed_demo runs in many tests; the one that checks the seeded PDF turns this back on.
    settings.DEMO_RENDER_PLAYBOOK = False


@pytest.fixture(autouse=True)
def _site_language_after():
    # The locale middleware leaves a request's language active on its thread; a later test
    # that calls services directly expects the site's language, whatever ran before it.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _benchmark_rankings_forgotten():
    # Kept per process under a fingerprint of the peers; a test's rolled-back rows may
    # come back in the next test with the same ids and (under a frozen clock) the same
    # timestamps, so no ranking may outlive the test that made it.
    from django.core.cache import caches

    caches["benchmarks"].clear()


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Acme Consulting")


@pytest.fixture
def owner(workspace):
    return MembershipFactory(workspace=workspace, role=Role.OWNER).user


@pytest.fixture
def consultant(workspace):
    return MembershipFactory(workspace=workspace, role=Role.CONSULTANT).user


@pytest.fixture
def viewer(workspace):
    """A client viewer of every client of `workspace`, as migration 0003 made of each
    former workspace viewer; clients added later in the test are granted too."""
    membership = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    for client in Client.objects.filter(workspace=workspace):
        grant_client(membership, client)

    def grant_new(sender, instance, created, **kwargs):
        if created and instance.workspace_id == workspace.id:
            grant_client(membership, instance)

    post_save.connect(grant_new, sender=Client, weak=False, dispatch_uid="viewer-fixture")
    yield membership.user
    post_save.disconnect(sender=Client, dispatch_uid="viewer-fixture")


@pytest.fixture
def client_viewer(acme_client):
    """A client viewer of `acme_client` only."""
    membership = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(membership, acme_client)
    return membership.user


@pytest.fixture
def client_contributor(acme_client):
    """A client contributor of `acme_client` only."""
    membership = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(membership, acme_client, role=ClientRole.CONTRIBUTOR)
    return membership.user


@pytest.fixture
def outsider(db):
    """A member of another workspace: sees none of `workspace`."""
    return MembershipFactory(role=Role.OWNER).user


@pytest.fixture
def acme_client(workspace):
    return ClientFactory(workspace=workspace, name="Northwind")


@pytest.fixture
def mailbox(settings, tmp_path):
    """Emails land as files here, as they do for a local site."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


def database_url_for_subprocess() -> str:
    """DATABASE_URL naming the test database, for a process started by a test."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker_mailbox(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, worker_mailbox, tmp_path_factory):
    """A real `celery worker` process on the configured broker, using the test database."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from cxmaturity.celery import app

    app.control.purge()  # tasks queued by earlier tests name rows that no longer exist
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "EMAIL_URL": "",
        "EMAIL_FILE_PATH": str(worker_mailbox),
    }
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cxmaturity",
                "worker",
                "--pool",
                "solo",
                "--queues",
                "default,pdf",
                "--hostname",
                f"pytest-{os.getpid()}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5, limit=1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}")
    process.log_path = log  # for a failing test to show what the worker did
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()

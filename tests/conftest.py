import os

# Playwright's sync API leaves an asyncio loop running in the main thread for the rest of
# the session, and Django's async guard would then refuse every ORM call that follows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.conf import settings

from tests.factories import ClientFactory, MembershipFactory, WorkspaceFactory
from workspaces.models import Role


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
    return MembershipFactory(workspace=workspace, role=Role.VIEWER).user


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

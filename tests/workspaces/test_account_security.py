"""Account security: the sign-in lockout behind a proxy, respondent tokens kept out of logs,
password-reset rate limits and who may create a workspace."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the proxy in front: every request reaches Django from it
VICTIM = "203.0.113.7"
ATTACKER = "198.51.100.9"


def _sign_in(client, user, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": user.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_lockout_behind_a_proxy_counts_the_address_the_proxy_appended(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    # The attacker forges the victim's address in front; the proxy appends theirs.
    forged = f"{VICTIM}, {ATTACKER}"
    statuses = [_sign_in(attacker, owner, "wrong", forged).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert _sign_in(attacker, owner, PASSWORD, forged).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    victim = Client()
    response = _sign_in(victim, owner, PASSWORD, VICTIM)
    assert response.status_code == 302
    assert "_auth_user_id" in victim.session


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    attacker = Client()
    for n in range(5):
        _sign_in(attacker, owner, "wrong", f"192.0.2.{n}")
    assert _sign_in(attacker, owner, PASSWORD, "192.0.2.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_respondent_tokens_never_reach_the_logs(client, caplog):
    token = "sEcReT-respondent-token-1234567890"
    with caplog.at_level(logging.INFO):
        page = client.get(f"/r/{token}/review/")
        api = APIClient().get(f"/api/v1/respondent/{token}/")
    assert page.status_code >= 400
    assert api.status_code >= 400
    request_records = [r for r in caplog.records if r.name == "django.request"]
    assert len(request_records) >= 2
    assert any("/r/[redacted]/review/" in r.getMessage() for r in request_records)
    assert any("/api/v1/respondent/[redacted]/" in r.getMessage() for r in request_records)
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in repr(record.args)
        assert token not in str(record.msg)


def test_runserver_request_lines_are_redacted():
    token = "another-SeCrEt-token-0987654321"
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    server = logging.getLogger("django.server")
    handler = Keep()
    server.addHandler(handler)
    try:
        # As django.core.servers.basehttp.WSGIRequestHandler.log_message logs a request.
        server.warning('"%s" %s %s', f"GET /r/{token}/autosave/ HTTP/1.1", "404", "179")
    finally:
        server.removeHandler(handler)
    assert len(seen) == 1
    assert seen[0].getMessage() == '"GET /r/[redacted]/autosave/ HTTP/1.1" 404 179'
    assert token not in repr(seen[0].args)


def _reset(client, email, address):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 5
    settings.PASSWORD_RESET_PER_ACCOUNT = 100
    statuses = [_reset(client, f"person{n}@example.com", VICTIM).status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    refused = _reset(client, "someone@example.com", VICTIM)
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.text
    # Another address is not affected.
    assert _reset(client, "someone@example.com", ATTACKER).status_code == 302


def test_password_reset_is_limited_per_account_without_telling_whether_it_exists(
    client, owner, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_PER_ACCOUNT = 3
    settings.PASSWORD_RESET_PER_ADDRESS = 100
    # Each reset email is queued for the worker when the request commits: count those.
    with django_capture_on_commit_callbacks() as queued:
        answers = [_reset(client, owner.email, f"192.0.2.{n}") for n in range(5)]
        unknown = [_reset(client, "nobody@example.com", f"192.0.2.{n}") for n in range(5)]
    # The same answer every time, for a real account or not ...
    assert {(r.status_code, r["Location"]) for r in answers + unknown} == {
        (302, reverse("password_reset_done"))
    }
    # ... but only three emails go out for the account, whatever the addresses.
    assert len(queued) == 3


def test_only_staff_and_owners_create_workspaces(client, consultant, owner, settings):
    from tests.factories import UserFactory
    from workspaces.models import Workspace

    settings.WORKSPACE_CREATION_OPEN = False
    client.force_login(consultant)
    refused = client.post(reverse("workspace_create"), {"name": "Side business"})
    assert refused.status_code == 403
    assert "Only site staff and owners" in refused.text
    assert not Workspace.objects.filter(name="Side business").exists()
    client.force_login(owner)
    assert client.post(reverse("workspace_create"), {"name": "Second"}).status_code == 302
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("workspace_create"), {"name": "Staff's"}).status_code == 302
    assert Workspace.objects.filter(name__in=["Second", "Staff's"]).count() == 2


def test_home_page_hides_the_new_workspace_link_from_those_who_may_not(client, settings):
    from tests.factories import UserFactory

    settings.WORKSPACE_CREATION_OPEN = False
    client.force_login(UserFactory())
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert reverse("workspace_create") not in page.text
    settings.WORKSPACE_CREATION_OPEN = True
    assert reverse("workspace_create") in client.get(reverse("home")).text


def test_open_creation_still_leaves_out_client_members(client, client_viewer, settings):
    from workspaces.services import workspace_create

    settings.WORKSPACE_CREATION_OPEN = True
    client.force_login(client_viewer)
    assert client.get(reverse("workspace_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        workspace_create(name="Mine", owner=client_viewer)

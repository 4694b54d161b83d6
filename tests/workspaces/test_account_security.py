"""Account security: the sign-in lockout behind a proxy, respondent tokens kept out of logs,
password-reset rate limits and who may create a workspace."""

import logging

import pytest
from axes.models import AccessAttempt
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

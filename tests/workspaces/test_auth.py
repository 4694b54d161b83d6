import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_lands_on_the_dashboard(client, owner, workspace):
    response = client.post(
        reverse("login"), {"username": owner.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workspace_dashboard", args=[workspace.id])


def test_wrong_password_says_so(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email address and password" in response.text


def test_five_failed_sign_ins_lock_the_account_with_a_clear_page(client, owner):
    for _ in range(5):
        client.post(reverse("login"), {"username": owner.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post(client, owner):
    client.force_login(owner)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_email_goes_through_a_task(
    client, owner, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": owner.email})
    assert response.status_code == 302
    # CELERY_TASK_ALWAYS_EAGER is off: the task was queued, not run here.
    assert mail.outbox == []


def test_password_reset_link_lets_the_user_set_a_new_password(client, owner):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    token = default_token_generator.make_token(owner)
    response = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new = "a-new-long-passphrase-42"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(new)


def test_expired_or_tampered_reset_link_says_so(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "already used or has expired" in response.text


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text


def test_account_page_makes_an_api_token_that_works_and_can_be_revoked(client, owner, workspace):
    client.force_login(owner)
    response = client.post(reverse("account"), {"name": "Nightly import", "days": 30})
    token = response.context["new_key"]
    assert token in response.text
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/workspaces/{workspace.id}/clients/").status_code == 200
    assert token not in client.get(reverse("account")).text  # shown once
    token_id = response.context["api_tokens"][0].id
    client.post(reverse("api_token_revoke"), {"token": str(token_id)})
    assert api.get(f"/api/v1/workspaces/{workspace.id}/clients/").status_code == 401

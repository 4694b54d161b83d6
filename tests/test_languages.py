"""Three languages: the header's menu (saved on a signed-in person's account and applied
on their next sign-in, on any browser), Accept-Language for everyone else, the page's
`lang` following the active language, API errors in it too, and a client's language
for its documents."""

import pytest
from django.conf import settings
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from rest_framework.test import APIClient

from playbooks import services as playbook_services
from tests.factories import ClientFactory
from workspaces.models import Client

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    html = response.content.decode()
    start = html.index("<html lang=") + len('<html lang="')
    return html[start : html.index('"', start)]


def test_three_languages_each_named_in_its_own():
    assert settings.LANGUAGES == [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
    middleware = settings.MIDDLEWARE
    assert (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
        < middleware.index("django.middleware.locale.LocaleMiddleware")
        < middleware.index("django.middleware.common.CommonMiddleware")
    )
    assert middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") < (
        middleware.index("cxmaturity.middleware.UserLanguageMiddleware")
    )


def test_the_sign_in_page_has_the_language_menu_posting_without_script(client):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert '<label for="language-select"' in page
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page
        assert name in page
    assert '<button type="submit"' in page


@pytest.mark.parametrize("language", ["de", "fr", "en"])
def test_accept_language_chooses_the_signed_out_page_language(client, language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert language == response.wsgi_request.LANGUAGE_CODE
    assert _lang(response) == language
    assert response["Content-Language"] == language


@pytest.mark.parametrize(
    ("language", "word", "foreign"),
    [("de", "Passwort", "Mot de passe"), ("fr", "Mot de passe", "Passwort")],
)
def test_accept_language_gives_a_sign_in_page_in_that_language(client, language, word, foreign):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert word in page
    assert foreign not in page
    # The project's own strings too (Django's catalogue alone translates "Password").
    for english in ["Forgot your password?", "Skip to content", "Change language"]:
        assert english not in page


def test_the_menu_saves_the_choice_on_the_account_and_the_next_sign_in_uses_it(consultant):
    browser = BrowserClient()
    browser.force_login(consultant)
    home = reverse("account")
    response = browser.post(reverse("set_language"), {"language": "de", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    consultant.refresh_from_db()
    assert consultant.language == "de"
    assert _lang(browser.get(home)) == "de"
    # Another browser, no cookie, asking for French: the account's choice wins.
    other = BrowserClient()
    other.force_login(consultant)
    assert _lang(other.get(home, HTTP_ACCEPT_LANGUAGE="fr")) == "de"


def test_without_a_saved_choice_a_signed_in_person_follows_the_browser(consultant):
    browser = BrowserClient()
    browser.force_login(consultant)
    assert consultant.language == ""
    assert _lang(browser.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_signed_out_the_menu_sets_the_cookie_only(client, consultant):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de")) == "fr"
    consultant.refresh_from_db()
    assert consultant.language == ""


def test_an_unknown_language_is_ignored_and_nothing_saved(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    consultant.refresh_from_db()
    assert consultant.language == ""
    assert client.get(reverse("set_language")).status_code == 405


def test_api_errors_are_in_the_requested_language():
    api = APIClient()
    english = api.get("/api/v1/workspaces/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    german = api.get("/api/v1/workspaces/", HTTP_ACCEPT_LANGUAGE="de").json()["detail"]
    assert english == "Authentication credentials were not provided."
    assert german == "Anmeldedaten fehlen."


def test_api_errors_follow_a_signed_in_person_saved_language(consultant, acme_client):
    consultant.language = "fr"
    consultant.save()
    api = APIClient()
    api.force_login(consultant)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/clients/{acme_client.id}/"
    refused = api.patch(url, {"language": "xx"}, format="json")
    assert refused.status_code == 400
    assert "language" in refused.json()
    assert "choix" in str(refused.json()["language"])  # DRF's own French message


def test_a_client_has_a_language_set_by_form_and_api_and_refused_when_unknown(
    client, consultant, acme_client
):
    api = APIClient()
    api.force_login(consultant)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/clients/{acme_client.id}/"
    assert api.get(url).json()["language"] == "en"
    assert api.patch(url, {"language": "de"}, format="json").json()["language"] == "de"
    acme_client.refresh_from_db()
    client.force_login(consultant)
    edit = reverse("client_edit", args=[acme_client.workspace_id, acme_client.id])
    refused = client.post(
        edit, {"name": "Renamed", "language": "xx", "revision": acme_client.revision}
    )
    assert refused.status_code == 400
    assert "language" in refused.context["form"].errors
    acme_client.refresh_from_db()
    assert (acme_client.name, acme_client.language) == ("Northwind", "de")


def test_a_new_client_takes_the_language_most_of_the_workspace_reads(client, consultant, workspace):
    for name in ("A", "B"):
        ClientFactory(workspace=workspace, name=name, language="fr")
    client.force_login(consultant)
    page = client.get(reverse("client_create", args=[workspace.id]))
    assert page.context["form"]["language"].value() == "fr"
    client.post(reverse("client_create", args=[workspace.id]), {"name": "Initech"})
    assert Client.objects.get(name="Initech").language == "fr"


def _german_playbook_html(acme_client) -> str:
    acme_client.language = "de"
    acme_client.region = "DE"
    acme_client.save()
    document = playbook_services.document_request(
        client=acme_client, kind="playbook", enqueue=False
    )
    # Asked for by an English reader: the document is still the client's, in German.
    with translation.override("en"):
        html, _shown = playbook_services.documents.document_html(document)
        assert translation.get_language() == "en"
    return html


def test_a_german_client_playbook_renders_with_german_active(acme_client):
    html = _german_playbook_html(acme_client)
    assert '<html lang="de"' in html


def test_the_pdf_carries_the_client_language(acme_client):
    acme_client.language = "fr"
    acme_client.save()
    document = playbook_services.document_request(
        client=acme_client, kind="playbook", enqueue=False
    )
    done = playbook_services.document_render(document_id=document.id)
    with done.file.open("rb") as handle:
        reader = PdfReader(handle)
        assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_a_german_client_playbook_reads_in_german(acme_client):
    html = _german_playbook_html(acme_client)
    assert "Inhalt" in html
    assert "Contents" not in html


def test_a_german_client_playbook_shows_questionnaire_and_stages_in_german(acme_client):
    from assessments.services import (
        answers_save,
        assessment_close,
        respondent_add,
        respondent_submit,
    )
    from tests.assessments.factories import default_version, open_assessment

    assessment = open_assessment(client=acme_client, version=default_version(), respondents=0)
    respondent = respondent_add(
        assessment=assessment, name="Petra", email="petra@acme.example", role="executive"
    )
    respondent.refresh_from_db()
    keys = assessment.version.questions.values_list("key", flat=True)
    answers_save(respondent=respondent, changes={key: {"value": "3"} for key in keys})
    respondent_submit(respondent=respondent)
    assessment_close(assessment=assessment)

    html = _german_playbook_html(acme_client)

    # The built-in questionnaire's German dimension titles, and the stages' German names.
    assert "Strategie &amp; Ausrichtung" in html
    assert "Strategy &amp; alignment" not in html
    assert "Kunden fürs Leben" in html
    assert "Lifetime customers" not in html


def test_api_errors_follow_the_saved_language_of_a_token_user(consultant, acme_client):
    from workspaces.tokens import api_token_create

    consultant.language = "fr"
    consultant.save()
    key = api_token_create(user=consultant, name="Script", two_factor_verified=False)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/clients/{acme_client.id}/"

    refused = api.patch(url, {"language": "xx"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 400, refused.content
    assert "choix" in str(refused.json()["language"])  # DRF's own French message
    assert refused["Content-Language"] == "fr"

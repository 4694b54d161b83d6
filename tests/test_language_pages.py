"""Each language end to end: a results page read by a consultant who chose German or
French, and a respondent's first question in their language, carry that language's words
and none of the other languages' (issue 18)."""

import pytest
from django.urls import reverse

from assessments.models import Respondent
from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import default_version, open_assessment
from tests.assessments.test_questionnaire_languages import FIRST_QUESTION
from tests.assessments.test_results import _answered
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

# Words each page shows, as each catalogue has them.
RESULTS = {"en": "Overall stage", "de": "Gesamtstufe", "fr": "Stade global"}
DONT_KNOW = {"en": "Don&#x27;t know", "de": "Weiß nicht", "fr": "Je ne sais pas"}


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_results_page_is_in_the_readers_language(client, consultant, workspace, language):
    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    _answered(assessment, 3)
    consultant.language = language
    consultant.save(update_fields=["language"])
    client.force_login(consultant)

    page = client.get(reverse("assessment_results", args=[workspace.id, assessment.id]))

    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.text
    assert RESULTS[language] in page.text
    for other, words in RESULTS.items():
        if other != language:
            assert words not in page.text, other


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_respondents_first_question_is_in_their_language(client, language):
    assessment = open_assessment(version=default_version(), respondents=1)
    Respondent.objects.filter(assessment=assessment).update(language=language)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")

    welcome = client.get(reverse("respondent_start", args=[token]))
    page = client.get(reverse("respondent_page", args=[token, 1]))

    assert welcome.status_code == page.status_code == 200
    assert f'lang="{language}"' in welcome.text
    text = page.text.replace("&#x27;", "'").replace("&#39;", "'")
    assert FIRST_QUESTION[language] in text
    assert DONT_KNOW[language].replace("&#x27;", "'") in text
    for other in ("en", "de", "fr"):
        if other != language:
            assert FIRST_QUESTION[other] not in text, other
            assert DONT_KNOW[other].replace("&#x27;", "'") not in text, other


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_dashboard_and_client_hub_name_stages_in_the_readers_language(
    client, consultant, workspace, language
):
    """Results carry the English stage names; every list that prints them translates."""
    from django.utils import translation

    from assessments.scoring import STAGES
    from assessments.services import assessment_close

    acme = ClientFactory(workspace=workspace)
    assessment = open_assessment(client=acme, respondents=0)
    _answered(assessment, 3)
    assessment = assessment_close(assessment=assessment)
    consultant.language = language
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    english = STAGES[assessment.result_snapshot.scores["overall"]["stage"] - 1].name
    with translation.override(language):
        from assessments.display import stage_label

        shown = stage_label(english)
    ws = workspace.id
    export = reverse("assessment_export", args=[ws, assessment.id, "dimensions", "csv"])
    assert f",{shown}," in client.get(export).content.decode("utf-8-sig")  # the results CSV
    pages = [
        reverse("workspace_dashboard", args=[ws]),
        reverse("client_detail", args=[ws, acme.id]),
        reverse("client_results", args=[ws, acme.id]),
        reverse("client_assessments", args=[ws, acme.id]),
    ]
    for url in pages:
        text = client.get(url).text
        assert f"· {shown}" in text, url
        if language != "en":
            assert shown != english
            assert f"· {english}<" not in text, url
            assert f"· {english} " not in text, url

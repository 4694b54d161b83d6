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

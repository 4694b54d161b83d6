"""The workshop consensus: entered only while a facilitated assessment is open, and its
answers and notes saved together or not at all."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Answer, Respondent
from assessments.services import consensus_save, consensus_start
from tests.assessments.factories import open_assessment


@pytest.mark.django_db
def test_a_survey_takes_no_consensus_and_gets_no_consensus_respondent():
    assessment = open_assessment(respondents=0, mode="survey")
    with pytest.raises(ValidationError) as refused:
        consensus_start(assessment=assessment)
    assert "facilitated" in refused.value.messages[0]
    assert not Respondent.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
def test_notes_too_long_save_neither_the_notes_nor_the_answers():
    assessment = open_assessment(respondents=0, mode="facilitated")
    consensus = consensus_start(assessment=assessment)
    with pytest.raises(ValidationError) as refused:
        consensus_save(respondent=consensus, changes={"q1": {"value": "3"}}, notes="x" * 5001)
    assert "notes" in refused.value.message_dict
    assert not Answer.objects.filter(respondent=consensus).exists()
    consensus.refresh_from_db()
    assert consensus.notes == ""
    assert consensus.submitted_at is None


@pytest.mark.django_db
def test_the_consensus_page_refuses_too_long_notes_with_400_and_saves_nothing(
    client, consultant, acme_client
):
    assessment = open_assessment(client=acme_client, respondents=0, mode="facilitated")
    client.force_login(consultant)
    url = reverse("consensus", args=[acme_client.workspace_id, assessment.id, 1])
    response = client.post(url, {"q1-value": "3", "notes": "x" * 5001})
    assert response.status_code == 400
    assert "notes" in response.context["errors"]
    assert not Answer.objects.filter(respondent__assessment=assessment).exists()


@pytest.mark.django_db
def test_the_consensus_page_of_a_survey_sends_back_to_the_assessment(
    client, consultant, acme_client
):
    assessment = open_assessment(client=acme_client, respondents=1, mode="survey")
    client.force_login(consultant)
    url = reverse("consensus", args=[acme_client.workspace_id, assessment.id, 1])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url()
    assert not assessment.respondents.filter(is_consensus=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Workshop consensus"), ("de", "Workshop-Konsens"), ("fr", "Consensus de l’atelier")],
)
def test_the_consensus_is_named_in_the_assessments_language(language, name):
    """Whoever starts it, and in whatever language their pages are, the workshop's
    consensus reads in the language of the assessment it answers."""
    from django.utils import translation

    with translation.override("fr" if language != "fr" else "de"):
        assessment = open_assessment(respondents=0, mode="facilitated", language=language)
        consensus = consensus_start(assessment=assessment)
    assert consensus.name == name

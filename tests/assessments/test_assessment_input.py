"""AssessmentInput: the one set of field rules the assessment form, the API and scripts
share; the service keeps only what spans rows (targets, previous, settings fixed once
opened)."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from assessments.inputs import AssessmentInput
from assessments.models import Assessment
from assessments.services import assessment_create, assessment_update
from tests.assessments.factories import open_assessment, small_version

pytestmark = pytest.mark.django_db


def test_values_are_cleaned_by_the_model_fields_limits():
    given = AssessmentInput.from_values(
        {"title": "  CX   2027 ", "reminder_interval_days": "7", "purpose": " Why \n\n "}
    )
    assert (given.title, given.reminder_interval_days, given.purpose) == ("CX 2027", 7, "Why")
    assert given.given == {"title", "reminder_interval_days", "purpose"}


def test_every_bad_field_and_every_unknown_name_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        AssessmentInput.from_values(
            {
                "title": " ",
                "mode": "telepathy",
                "reminder_interval_days": 0,
                "targets": "strategy=4",
                "status": "closed",
            }
        )
    assert set(caught.value.message_dict) == {
        "title",
        "mode",
        "reminder_interval_days",
        "targets",
        "status",
    }


def test_a_change_writes_only_the_fields_given(acme_client):
    assessment = open_assessment(client=acme_client, purpose="Baseline")
    Assessment.objects.filter(pk=assessment.pk).update(title="Renamed elsewhere")
    assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"purpose": "Relaunch"}, partial=True),
    )
    assessment.refresh_from_db()
    assert (assessment.title, assessment.purpose, assessment.revision) == (
        "Renamed elsewhere",
        "Relaunch",
        2,
    )


def test_targets_are_checked_against_the_questionnaire(acme_client):
    with pytest.raises(ValidationError) as caught:
        assessment_create(
            client=acme_client,
            data=AssessmentInput.from_values(
                {"title": "T", "version": small_version(), "targets": {"astrology": 4}}
            ),
            created_by=None,
        )
    assert "targets" in caught.value.message_dict
    assert not Assessment.objects.exists()


def test_the_api_refuses_limits_from_the_model_and_names_that_are_no_field(
    consultant, workspace, acme_client
):
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{workspace.id}/assessments/"
    body = {"client": str(acme_client.id), "title": "CX 2027"}
    too_often = api.post(url, {**body, "reminder_interval_days": 366}, format="json")
    assert too_often.status_code == 400
    assert "reminder_interval_days" in too_often.json()
    misspelt = api.post(url, {**body, "titel": "CX 2027"}, format="json")
    assert misspelt.status_code == 400
    assert misspelt.json()["titel"] == ["Not a field here."]
    assert not Assessment.objects.exists()

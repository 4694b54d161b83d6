import pytest
from rest_framework.test import APIClient

from assessments.models import Answer, Assessment
from assessments.services import assessment_close, respondent_invite, respondent_link
from tests.assessments.factories import SMALL, open_assessment, small_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def _base(workspace):
    return f"/api/v1/workspaces/{workspace.id}"


def test_import_list_and_export_a_questionnaire(api, workspace):
    created = api.post(
        f"{_base(workspace)}/questionnaires/", {"content": SMALL.read_text()}, format="json"
    )
    assert created.status_code == 201
    again = api.post(
        f"{_base(workspace)}/questionnaires/", {"content": SMALL.read_text()}, format="json"
    )
    assert again.status_code == 200
    version_id = created.json()["id"]
    detail = api.get(f"{_base(workspace)}/questionnaires/{version_id}/").json()
    assert [d["key"] for d in detail["dimensions"]] == ["strategy", "channels"]
    export = api.get(f"{_base(workspace)}/questionnaires/{version_id}/export/")
    assert export["Content-Type"] == "application/yaml"
    assert b"key: small-model" in export.content


def test_broken_questionnaire_is_400_listing_problems(api, workspace):
    broken = SMALL.read_text().replace("weight: 2", "weight: 0")
    response = api.post(f"{_base(workspace)}/questionnaires/", {"content": broken}, format="json")
    assert response.status_code == 400
    assert response.json()["file"] == ["dimensions[0].weight: must be > 0"]


def test_create_assessment_add_respondents_open_invite_and_progress(api, workspace, acme_client):
    version = small_version()
    body = {
        "client": str(acme_client.id),
        "version": str(version.id),
        "title": "CX 2026",
        "targets": {"strategy": 5},
    }
    created = api.post(f"{_base(workspace)}/assessments/", body, format="json")
    assert created.status_code == 201, created.json()
    aid = created.json()["id"]
    respondents = f"{_base(workspace)}/assessments/{aid}/respondents/"
    person = api.post(
        respondents, {"name": "Ann", "email": "ann@c.example", "role": "sales"}, format="json"
    ).json()
    not_open = api.post(f"{respondents}{person['id']}/invite/")
    assert not_open.status_code == 400
    assert api.post(f"{_base(workspace)}/assessments/{aid}/open/").json()["status"] == "open"
    invited = api.post(f"{respondents}{person['id']}/invite/").json()
    assert invited["invited_at"]
    link = api.get(f"{respondents}{person['id']}/link/").json()["link"]
    assert "/r/" in link
    progress = api.get(f"{_base(workspace)}/assessments/{aid}/progress/").json()
    assert progress[0]["state"] == "invited"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x"}, "client"),
        ({"client": "not-a-uuid", "title": "x"}, "client"),
        ({"title": ""}, "title"),
        ({"title": "x", "targets": {"strategy": 9}}, "targets"),
        ({"title": "x", "reminder_interval_days": 0}, "reminder_interval_days"),
    ],
)
def test_bad_assessment_body_is_400_naming_the_field(api, workspace, acme_client, body, field):
    small_version()
    body = {"client": str(acme_client.id), **body} if field != "client" else body
    response = api.post(f"{_base(workspace)}/assessments/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Assessment.objects.exists()


def test_unknown_target_dimension_is_400(api, workspace, acme_client):
    version = small_version()
    body = {
        "client": str(acme_client.id),
        "version": str(version.id),
        "title": "x",
        "targets": {"nope": 3},
    }
    response = api.post(f"{_base(workspace)}/assessments/", body, format="json")
    assert response.status_code == 400
    assert "targets" in response.json()


def test_respondent_answers_api_by_token():
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = respondent_link(respondent).rstrip("/").rsplit("/", 1)[1]
    api = APIClient()
    url = f"/api/v1/respondent/{token}/"
    questionnaire = api.get(url).json()
    assert questionnaire["progress"]["total"] == 3
    saved = api.patch(url, {"answers": {"q1": {"value": "4"}}}, format="json")
    assert saved.json()["answered"] == 1
    for value in ("0", "8", "high"):
        bad = api.patch(url, {"answers": {"q1": {"value": value}}}, format="json")
        assert bad.status_code == 400
        assert "q1" in bad.json()
    unknown = api.patch(url, {"answers": {"zz": {"value": "4"}}}, format="json")
    assert "zz" in unknown.json()
    long = api.patch(url, {"answers": {"q1": {"comment": "c" * 5001}}}, format="json")
    assert long.status_code == 400
    assert Answer.objects.get().value == "4"
    assert api.post(f"{url}submit/").status_code == 200
    assessment_close(assessment=assessment)
    closed = api.patch(url, {"answers": {"q2": {"value": "3"}}}, format="json")
    assert closed.status_code == 409
    assert api.get("/api/v1/respondent/not-a-real-token/").status_code == 404

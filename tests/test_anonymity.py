"""Roles-only anonymity for the client team: as a client viewer, no page, API answer,
export or PDF holds a respondent's name or email, before or after the assessment closes;
results, comments and exports are theirs once it is closed with 3 submitted."""

import io

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments.models import Action
from assessments.services import answers_save, assessment_close, respondent_add, respondent_submit
from playbooks.models import Document
from playbooks.services import document_render, document_request
from tests.assessments.factories import open_assessment
from tests.test_isolation import ROUTE_CASES, _url

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Zelda Quibble", "zelda.quibble@secret.example", "marketing"),
    ("Yorick Thistlewood", "yorick.t@secret.example", "marketing"),
    ("Xanthe Pomfrey", "x.pomfrey@secret.example", "it"),
    ("Wilbur Quasar", "w.quasar@secret.example", "it"),
]
SECRETS = [word for name, email, _role in PEOPLE for word in (*name.split(), email)]


def _roles_only(acme_client, submitted: int):
    assessment = open_assessment(client=acme_client, respondents=0, anonymity="roles")
    for n, (name, email, role) in enumerate(PEOPLE):
        respondent = respondent_add(assessment=assessment, name=name, email=email, role=role)
        if n < submitted:
            respondent.refresh_from_db()
            answers_save(
                respondent=respondent,
                changes={
                    "q1": {"value": str(3 + n % 3), "comment": "Tools differ by team"},
                    "q2": {"value": "5"},
                    "q3": {"value": "1"},
                },
            )
            respondent_submit(respondent=respondent)
    Action.objects.create(assessment=assessment, title="Name an owner")
    return assessment


def _bodies(user, assessment):
    """Every page and API answer a client viewer can GET about this assessment's client,
    walked from the isolation cases, with its status code."""
    objects = {
        "workspace": assessment.client.workspace,
        "client": assessment.client,
        "assessment": assessment,
        "respondent": assessment.respondents.first(),
        "action": assessment.actions.first(),
    }
    web = WebClient()
    web.force_login(user)
    api = APIClient()
    api.force_login(user)
    seen = {}
    for name, (arguments, _writes) in ROUTE_CASES.items():
        if not set(arguments.values()) <= set(objects) | {"answers", "csv", 1}:
            continue
        if name in ("consensus",):
            continue
        url = _url(name, arguments, objects)
        caller = api if name.startswith("api-") else web
        response = caller.get(url)
        seen[url] = (response.status_code, response.content)
    for kind in ("answers", "respondents", "dimensions", "roadmap"):
        for fmt in ("csv", "xlsx"):
            url = reverse(
                "assessment_export",
                args=[assessment.client.workspace_id, assessment.id, kind, fmt],
            )
            response = web.get(url)
            seen[url] = (response.status_code, response.content)
    return seen


def _assert_nobody_named(seen):
    # The walk reached real pages, not only refusals.
    assert sum(1 for status, _content in seen.values() if status == 200) >= 10
    for url, (status, content) in seen.items():
        assert status < 500, url
        text = content.decode("utf-8", "replace")
        for secret in SECRETS:
            assert secret not in text, (url, secret)


def test_while_open_the_client_team_sees_counts_only_and_no_results(client_viewer, acme_client):
    assessment = _roles_only(acme_client, submitted=4)
    seen = _bodies(client_viewer, assessment)
    _assert_nobody_named(seen)
    detail = seen[assessment.get_absolute_url()]
    assert detail[0] == 200
    assert b"Submitted" in detail[1]
    results = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    assert seen[results][0] == 403
    assert b"at least 3 submitted respondents" in seen[results][1]
    api_results = f"/api/v1/workspaces/{acme_client.workspace_id}/assessments/{assessment.id}/"
    assert seen[api_results + "results/"][0] == 403
    assert seen[api_results + "progress/"][0] == 403
    export = reverse(
        "assessment_export", args=[acme_client.workspace_id, assessment.id, "answers", "csv"]
    )
    assert seen[export][0] == 403


def test_closed_with_too_few_submitted_stays_withheld(client_viewer, acme_client):
    assessment = assessment_close(assessment=_roles_only(acme_client, submitted=2))
    seen = _bodies(client_viewer, assessment)
    _assert_nobody_named(seen)
    results = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    assert seen[results][0] == 403


def test_closed_with_three_submitted_releases_results_by_role_never_by_name(
    client_viewer, acme_client
):
    assessment = assessment_close(assessment=_roles_only(acme_client, submitted=4))
    seen = _bodies(client_viewer, assessment)
    _assert_nobody_named(seen)
    results = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    assert seen[results][0] == 200
    assert b"Tools differ by team" in seen[results][1]  # comments, by role only
    export = reverse(
        "assessment_export", args=[acme_client.workspace_id, assessment.id, "answers", "csv"]
    )
    assert seen[export][0] == 200
    assert b"Tools differ by team" in seen[export][1]


def test_the_consultant_running_it_still_sees_who(consultant, acme_client):
    assessment = _roles_only(acme_client, submitted=2)
    web = WebClient()
    web.force_login(consultant)
    page = web.get(assessment.get_absolute_url()).content.decode()
    assert "Zelda Quibble" in page
    assert "w.quasar@secret.example" in page


def _pdf_text(document: Document) -> str:
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_playbook_pdf_names_nobody_and_holds_results_only_once_released(
    client_viewer, acme_client
):
    assessment = _roles_only(acme_client, submitted=4)
    before = document_request(client=acme_client, kind="playbook", enqueue=False)
    document_render(document_id=before.id)
    text = _pdf_text(before)
    assert "at least 3 submitted respondents" in text.replace("\n", " ")
    assessment_close(assessment=assessment)
    after = document_request(client=acme_client, kind="playbook", enqueue=False)
    document_render(document_id=after.id)
    text = _pdf_text(after)
    assert "Stage and dimensions" in text
    for body in (text, _pdf_text(before)):
        for secret in SECRETS:
            assert secret not in body, secret
    # …and the client viewer downloads exactly those bytes.
    web = WebClient()
    web.force_login(client_viewer)
    response = web.get(reverse("document_download", args=[acme_client.workspace_id, after.id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_facilitated_roles_only_assessment_with_one_individual_is_withheld(
    client_viewer, acme_client
):
    from assessments.services import consensus_respondent_get_or_create

    assessment = open_assessment(
        client=acme_client, respondents=0, anonymity="roles", mode="facilitated"
    )
    name, email, role = PEOPLE[0]
    solo = respondent_add(assessment=assessment, name=name, email=email, role=role)
    solo.refresh_from_db()
    answers_save(respondent=solo, changes={"q1": {"value": "3", "comment": "Only mine"}})
    respondent_submit(respondent=solo)
    consensus_respondent_get_or_create(assessment=assessment)
    Action.objects.create(assessment=assessment, title="Name an owner")
    assessment = assessment_close(assessment=assessment)
    seen = _bodies(client_viewer, assessment)
    _assert_nobody_named(seen)
    results = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    assert seen[results][0] == 403
    for url, (_status, content) in seen.items():
        assert b"Only mine" not in content, url


def test_mode_and_roles_only_cannot_change_once_open(consultant, acme_client):
    assessment = _roles_only(acme_client, submitted=1)
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/assessments/{assessment.id}/"
    for field, value in (("mode", "facilitated"), ("anonymity", "named")):
        response = api.patch(url, {field: value}, format="json")
        assert response.status_code == 400, field
        assert field in response.json()
    assessment.refresh_from_db()
    assert (assessment.mode, assessment.anonymity) == ("survey", "roles")


def test_the_roadmap_is_withheld_with_the_results(client_viewer, acme_client):
    assessment = _roles_only(acme_client, submitted=1)
    ws = acme_client.workspace_id
    web = WebClient()
    web.force_login(client_viewer)
    assert web.get(reverse("roadmap", args=[ws, assessment.id])).status_code == 403
    assert (
        web.get(reverse("assessment_export", args=[ws, assessment.id, "roadmap", "csv"]))
    ).status_code == 403
    api = APIClient()
    api.force_authenticate(client_viewer)
    actions = f"/api/v1/workspaces/{ws}/assessments/{assessment.id}/actions/"
    assert api.get(actions).status_code == 403

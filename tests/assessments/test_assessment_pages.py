import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.inputs import AssessmentInput
from assessments.models import Answer, Assessment, Respondent
from assessments.services import answers_save, respondent_invite
from tests.assessments.factories import SMALL, open_assessment, small_version

pytestmark = pytest.mark.django_db


def test_consultant_creates_an_assessment_with_targets(client, consultant, acme_client):
    version = small_version()
    client.force_login(consultant)
    url = reverse("assessment_create", args=[acme_client.workspace_id, acme_client.id])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "title": "CX 2026",
            "version": version.id,
            "mode": "survey",
            "anonymity": "roles",
            "respondents_may_revise": "on",
            "reminder_interval_days": 3,
            "target_strategy": "5",
        },
    )
    assessment = Assessment.objects.get()
    assert response.url == assessment.get_absolute_url()
    assert assessment.targets == {"strategy": 5}
    assert assessment.status == Assessment.Status.DRAFT


def test_assessment_form_errors_name_the_field(client, consultant, acme_client):
    small_version()
    client.force_login(consultant)
    url = reverse("assessment_create", args=[acme_client.workspace_id, acme_client.id])
    response = client.post(
        url, {"title": "", "mode": "survey", "anonymity": "named", "reminder_interval_days": 0}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors
    assert "reminder_interval_days" in errors
    assert not Assessment.objects.exists()


def test_progress_board_shows_each_respondent_state(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=3)
    first, second, _third = assessment.respondents.order_by("created_at")
    respondent_invite(respondent=first)
    respondent_invite(respondent=second)
    answers_save(respondent=second, changes={"q1": {"value": "4"}})
    client.force_login(consultant)
    board = client.get(assessment.get_absolute_url())
    assert board.status_code == 200
    states = [row.state for row in board.context["progress"]]
    assert states == ["invited", "answering", "not_invited"]
    assert "33%" in board.text


def test_add_respondent_with_a_bad_email_names_the_field(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=0)
    client.force_login(consultant)
    url = reverse("respondent_add", args=[acme_client.workspace_id, assessment.id])
    response = client.post(
        url, {"name": "Ann", "email": "not-an-email", "role": "executive", "weight": "1"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not Respondent.objects.exists()


def test_csv_with_a_bad_email_on_row_7_adds_nobody_and_names_the_row(
    client, consultant, acme_client
):
    assessment = open_assessment(client=acme_client, respondents=0)
    rows = ["name,email,role,department,weight"]
    rows += [f"Exec {n},exec{n}@client.example,executive,Board,1" for n in range(5)]
    rows += ["Broken,not-an-email,sales,,1"]
    client.force_login(consultant)
    url = reverse("respondent_import", args=[acme_client.workspace_id, assessment.id])
    data = SimpleUploadedFile("people.csv", "\n".join(rows).encode(), "text/csv")
    response = client.post(url, {"file": data})
    assert response.status_code == 400
    assert "Row 7, email: Enter a valid email address." in response.text
    assert not Respondent.objects.exists()


def test_pasted_rows_are_all_added(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=0)
    client.force_login(consultant)
    url = reverse("respondent_import", args=[acme_client.workspace_id, assessment.id])
    text = "name,email,role\nAda,ada@c.example,IT\nBo,bo@c.example,Marketing\n"
    assert client.post(url, {"rows": text}).status_code == 302
    assert sorted(assessment.respondents.values_list("role", flat=True)) == ["it", "marketing"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email,role\nx@c.example,it", "Row 1 must be a header"),
        ("name,phone\nAda,123", "unknown column(s) phone"),
        ("name,email\nAda,a@c.example\nBo,a@c.example", "Row 3, email: a@c.example is already"),
        ("name,role\nAda,astronaut", "Row 2, role: Choose one of"),
        ("name,weight\nAda,-1", "Row 2, weight"),
        ("name\n", "no respondents"),
    ],
)
def test_malformed_csv_is_refused_with_a_clear_message(
    client, consultant, acme_client, text, message
):
    assessment = open_assessment(client=acme_client, respondents=0)
    client.force_login(consultant)
    url = reverse("respondent_import", args=[acme_client.workspace_id, assessment.id])
    response = client.post(url, {"rows": text})
    assert message in response.text
    assert not Respondent.objects.exists()


def test_status_changes_open_close_reopen(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client)
    client.force_login(consultant)
    url = reverse("assessment_status", args=[acme_client.workspace_id, assessment.id])
    client.post(reverse("assessment_close", args=[acme_client.workspace_id, assessment.id]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED
    added = client.post(
        reverse("respondent_add", args=[acme_client.workspace_id, assessment.id]),
        {"name": "Late", "role": "executive", "weight": "1"},
    )
    assert "closed" in added.text
    client.post(url, {"action": "open"})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN


def test_open_and_invite_everyone_queues_one_email_each(
    client, consultant, acme_client, django_capture_on_commit_callbacks
):
    from assessments.services import assessment_create

    assessment = assessment_create(
        client=acme_client,
        data=AssessmentInput.from_values({"version": small_version(), "title": "T"}),
        created_by=None,
    )
    for n in range(2):
        Respondent.objects.create(assessment=assessment, name=f"R{n}", email=f"r{n}@c.example")
    client.force_login(consultant)
    url = reverse("assessment_invite", args=[acme_client.workspace_id, assessment.id])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url, {"subject": "Your view", "message": "Please answer.", "go": "send"})
    assert len(callbacks) == 2
    assert assessment.respondents.filter(invited_at__isnull=False, token_hash__gt="").count() == 2


def test_copy_link_page_shows_a_working_link(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    client.force_login(consultant)
    page = client.get(
        reverse("respondent_link", args=[acme_client.workspace_id, assessment.id, respondent.id])
    )
    link = page.context["link"]
    client.logout()
    assert client.get(link.replace("http://localhost:8000", "")).status_code == 200


def test_facilitated_mode_saves_consensus_as_one_respondent(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=0, mode="facilitated")
    client.force_login(consultant)
    url = reverse("consensus", args=[acme_client.workspace_id, assessment.id, 1])
    response = client.post(url, {"q1-value": "3", "q2-value": "5", "notes": "Lively", "go": "next"})
    assert response.status_code == 302
    consensus = assessment.respondents.get()
    assert consensus.is_consensus
    assert consensus.name == "Workshop consensus"
    assert consensus.notes == "Lively"
    assert set(Answer.objects.filter(respondent=consensus).values_list("value", flat=True)) == {
        "3",
        "5",
    }


def test_draft_can_be_deleted_after_confirmation_but_not_an_opened_one(
    client, consultant, acme_client
):
    opened = open_assessment(client=acme_client)
    client.force_login(consultant)
    response = client.post(reverse("assessment_delete", args=[acme_client.workspace_id, opened.id]))
    assert "Only a draft can be deleted" in response.text
    assert Assessment.objects.filter(id=opened.id).exists()


def test_questionnaire_upload_and_download_round_trip(client, consultant, workspace):
    client.force_login(consultant)
    url = reverse("questionnaire_list", args=[workspace.id])
    client.post(url, {"file": SimpleUploadedFile("small.yaml", SMALL.read_bytes())})
    version = workspace.questionnaires.get().versions.get()
    download = client.get(reverse("questionnaire_download", args=[workspace.id, version.id]))
    assert download["Content-Disposition"] == 'attachment; filename="small-model-v1.yaml"'
    response = client.post(
        url, {"file": SimpleUploadedFile("again.yaml", download.content)}, follow=True
    )
    assert "nothing changed" in response.text


def test_broken_questionnaire_upload_lists_every_problem(client, consultant, workspace):
    client.force_login(consultant)
    broken = SMALL.read_text().replace("weight: 2", "weight: 0").replace("key: q3", "key: q1")
    response = client.post(
        reverse("questionnaire_list", args=[workspace.id]),
        {"file": SimpleUploadedFile("bad.yaml", broken.encode())},
    )
    assert "dimensions[0].weight: must be &gt; 0" in response.text
    assert "dimensions[1].questions[0].key: &#x27;q1&#x27; is already used" in response.text
    assert not workspace.questionnaires.exists()

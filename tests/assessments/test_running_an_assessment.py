"""Running an assessment without surprises: links that work on any address, a look before
what reaches people or cannot be undone, and bad input refused early, in place."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.inputs import ActionInput, AssessmentInput
from assessments.models import Action, Assessment, Respondent
from assessments.services import (
    action_create,
    action_update,
    answers_save,
    assessment_create,
    assessment_update,
    respondent_email_send_now,
    respondent_invite,
    respondent_link,
)
from tests.assessments.factories import open_assessment, small_version

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - timedelta(days=1)
NEXT_MONTH = timezone.localdate() + timedelta(days=30)


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def _api(workspace) -> str:
    return f"/api/v1/workspaces/{workspace.id}"


def _draft(acme_client, **fields) -> Assessment:
    return assessment_create(
        client=acme_client,
        data=AssessmentInput.from_values(
            {"version": small_version(), "title": "CX 2026", **fields}
        ),
        created_by=None,
    )


def _form(version, **changes) -> dict:
    return {
        "title": "CX 2026",
        "version": version.id,
        "mode": "survey",
        "anonymity": "named",
        "respondents_may_revise": "on",
        "reminder_interval_days": 3,
        **changes,
    }


# --- Links ------------------------------------------------------------------------------


def test_the_board_warns_when_links_point_to_another_host(
    client, consultant, acme_client, settings
):
    assessment = open_assessment(client=acme_client, respondents=1)
    client.force_login(consultant)
    url = assessment.get_absolute_url()
    settings.SITE_URL = "http://localhost:8000"
    assert "Respondents' links point to localhost:8000" in client.get(url).text
    settings.SITE_URL = "http://testserver"
    assert "Respondents' links point to" not in client.get(url).text


def test_emailed_and_copied_links_use_site_url(client, consultant, acme_client, settings):
    settings.SITE_URL = "http://localhost:8833"
    assessment = open_assessment(client=acme_client, respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    assert respondent_link(respondent).startswith("http://localhost:8833/r/")
    client.force_login(consultant)
    board = client.get(assessment.get_absolute_url()).text
    assert f'data-copy="{respondent_link(respondent)}"' in board
    page = client.get(
        reverse("respondent_link", args=[acme_client.workspace_id, assessment.id, respondent.id])
    ).text
    assert f'value="{respondent_link(respondent)}"' in page
    assert "data-copy " in page


# --- Confirmations ------------------------------------------------------------------------


def test_open_and_invite_previews_the_email_and_sends_the_edited_text(
    client, consultant, acme_client, mailbox, django_capture_on_commit_callbacks
):
    assessment = _draft(acme_client)
    for n in range(2):
        Respondent.objects.create(assessment=assessment, name=f"Exec {n}", email=f"e{n}@c.example")
    client.force_login(consultant)
    url = reverse("assessment_invite", args=[acme_client.workspace_id, assessment.id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Your view is needed: CX 2026" in page.text
    assert "Hello Exec 0," in page.text
    assert "Exec 0, Exec 1" in page.text
    # Updating the preview sends nothing and opens nothing.
    previewed = client.post(url, {"subject": "Ten minutes?", "message": "Dear all", "go": "x"})
    assert previewed.status_code == 200
    assert "Ten minutes?" in previewed.text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert not mailbox.exists()
    with django_capture_on_commit_callbacks() as queued:
        sent = client.post(
            url, {"subject": "Ten minutes?", "message": "Dear all,\nplease answer.", "go": "send"}
        )
    assert len(queued) == 2  # one email task each
    assert sent.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN
    assert assessment.invitation_subject == "Ten minutes?"
    for respondent in assessment.respondents.all():  # as the worker does
        assert respondent_email_send_now(respondent=respondent, kind="invitation")
    # The file backend may append two messages sent in the same second to one file.
    emails = "".join(path.read_text() for path in mailbox.iterdir())
    assert emails.count("Subject: Ten minutes?") == 2
    assert emails.count("please answer.") == 2
    assert emails.count("/r/") == 2


def test_an_empty_invitation_subject_is_refused_and_nothing_is_sent(
    client, consultant, acme_client, mailbox
):
    assessment = _draft(acme_client)
    Respondent.objects.create(assessment=assessment, name="Exec", email="e@c.example")
    client.force_login(consultant)
    url = reverse("assessment_invite", args=[acme_client.workspace_id, assessment.id])
    response = client.post(url, {"subject": "", "message": "Hello", "go": "send"})
    assert response.status_code == 400
    assert "subject" in response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert not mailbox.exists()


def test_the_board_has_no_one_click_invite_or_close(client, consultant, acme_client):
    draft = _draft(acme_client)
    client.force_login(consultant)
    board = client.get(draft.get_absolute_url()).text
    assert 'value="open_and_invite"' not in board
    assert reverse("assessment_invite", args=[acme_client.workspace_id, draft.id]) in board
    status = reverse("assessment_status", args=[acme_client.workspace_id, draft.id])
    client.post(status, {"action": "open_and_invite"})
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT
    opened = open_assessment(client=acme_client)
    board = client.get(opened.get_absolute_url()).text
    assert 'value="close"' not in board
    client.post(
        reverse("assessment_status", args=[acme_client.workspace_id, opened.id]),
        {"action": "close"},
    )
    opened.refresh_from_db()
    assert opened.status == Assessment.Status.OPEN


def test_close_names_who_is_mid_way_and_how_far(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=2)
    midway, idle = assessment.respondents.order_by("name")
    answers_save(respondent=midway, changes={"q1": {"value": "3"}})
    client.force_login(consultant)
    url = reverse("assessment_close", args=[acme_client.workspace_id, assessment.id])
    page = client.get(url)
    assert page.status_code == 200
    assert [row.respondent for row in page.context["midway"]] == [midway]
    assert "Exec 0 · 33% answered" in page.text
    assert "their answers will not count" in page.text
    assert idle.name not in page.text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN
    assert client.post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CLOSED


def test_new_link_is_confirmed_first_and_the_old_link_stops(
    client, consultant, acme_client, settings
):
    assessment = open_assessment(client=acme_client, respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    old_link = respondent_link(respondent)
    client.force_login(consultant)
    ids = [acme_client.workspace_id, assessment.id, respondent.id]
    # The one-click action is gone: a new link only comes through the confirmation.
    client.post(reverse("respondent_action", args=ids), {"action": "reissue"})
    respondent.refresh_from_db()
    assert respondent_link(respondent) == old_link
    url = reverse("respondent_reissue", args=ids)
    page = client.get(url)
    assert "stops working at once" in page.text
    assert respondent.email in page.text
    assert client.post(url).status_code == 302
    respondent.refresh_from_db()
    assert respondent_link(respondent) != old_link
    client.logout()
    assert client.get(old_link.removeprefix(settings.SITE_URL)).status_code == 404
    assert (
        client.get(respondent_link(respondent).removeprefix(settings.SITE_URL)).status_code == 200
    )


# --- Row menu and roles -------------------------------------------------------------------


def test_respondent_actions_sit_in_one_menu_per_row(client, consultant, acme_client):
    assessment = open_assessment(client=acme_client, respondents=2)
    respondent_invite(respondent=assessment.respondents.order_by("name").first())
    client.force_login(consultant)
    board = client.get(assessment.get_absolute_url()).text
    assert board.count('<details class="row-menu">') == 2
    assert '<summary aria-label="Actions for Exec 0">Actions</summary>' in board
    assert board.count('class="row-menu-items"') == 2
    assert 'class="row-actions"' not in board


def test_a_viewer_sees_no_controls_they_cannot_use(client, viewer, acme_client):
    assessment = open_assessment(client=acme_client, respondents=2)
    client.force_login(viewer)
    board = client.get(assessment.get_absolute_url())
    assert board.status_code == 200
    for control in ("row-menu", "Close…", "Settings", "Add a respondent", "Add many"):
        assert control not in board.text
    ids = [acme_client.workspace_id, assessment.id]
    assert client.get(reverse("assessment_close", args=ids)).status_code == 403
    assert client.get(reverse("assessment_invite", args=ids)).status_code == 403


# --- Early validation ---------------------------------------------------------------------


def test_a_past_due_date_is_refused_on_the_page_and_by_the_api(
    client, consultant, api, acme_client, workspace
):
    version = small_version()
    client.force_login(consultant)
    url = reverse("assessment_create", args=[acme_client.workspace_id, acme_client.id])
    page = client.post(url, _form(version, due_date=YESTERDAY.isoformat()))
    assert page.status_code == 400
    assert "has passed" in page.context["form"].errors["due_date"][0]
    response = api.post(
        f"{_api(workspace)}/assessments/",
        {
            "client": str(acme_client.id),
            "version": str(version.id),
            "title": "X",
            "due_date": YESTERDAY.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "has passed" in response.json()["due_date"][0]
    assert not Assessment.objects.exists()


def test_an_assessment_that_ran_late_keeps_its_date_but_takes_no_new_past_one(
    client, consultant, api, acme_client, workspace
):
    assessment = _draft(acme_client, due_date=NEXT_MONTH)
    Assessment.objects.filter(id=assessment.id).update(due_date=YESTERDAY)
    assessment.refresh_from_db()
    assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"title": "Renamed", "due_date": YESTERDAY}, partial=True),
    )
    client.force_login(consultant)
    url = reverse("assessment_edit", args=[acme_client.workspace_id, assessment.id])
    earlier = (YESTERDAY - timedelta(days=1)).isoformat()
    page = client.post(url, _form(assessment.version, due_date=earlier, title="Again"))
    assert page.status_code == 400
    assert "due_date" in page.context["form"].errors
    patch = api.patch(
        f"{_api(workspace)}/assessments/{assessment.id}/", {"due_date": earlier}, format="json"
    )
    assert patch.status_code == 400
    assert "due_date" in patch.json()
    assessment.refresh_from_db()
    assert (assessment.title, assessment.due_date) == ("Renamed", YESTERDAY)


@pytest.mark.parametrize("days", [0, 31, 999_999_999_999])
def test_reminder_interval_outside_1_to_30_days_is_refused(
    client, consultant, api, acme_client, workspace, days
):
    version = small_version()
    client.force_login(consultant)
    url = reverse("assessment_create", args=[acme_client.workspace_id, acme_client.id])
    page = client.post(url, _form(version, reminder_interval_days=days))
    assert page.status_code == 400
    assert "reminder_interval_days" in page.context["form"].errors
    response = api.post(
        f"{_api(workspace)}/assessments/",
        {
            "client": str(acme_client.id),
            "version": str(version.id),
            "title": "X",
            "reminder_interval_days": days,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "reminder_interval_days" in response.json()
    assert not Assessment.objects.exists()


def test_reminder_interval_over_30_days_is_refused_on_change(
    client, consultant, api, acme_client, workspace
):
    assessment = _draft(acme_client)
    client.force_login(consultant)
    url = reverse("assessment_edit", args=[acme_client.workspace_id, assessment.id])
    page = client.post(url, _form(assessment.version, reminder_interval_days=31))
    assert page.status_code == 400
    assert "at most 30 days" in page.context["form"].errors["reminder_interval_days"][0]
    patch = api.patch(
        f"{_api(workspace)}/assessments/{assessment.id}/",
        {"reminder_interval_days": 45},
        format="json",
    )
    assert patch.status_code == 400
    assert "at most 30 days" in patch.json()["reminder_interval_days"][0]
    assessment.refresh_from_db()
    assert assessment.reminder_interval_days == 3


def test_a_roadmap_action_due_in_the_past_is_refused(
    client, consultant, api, acme_client, workspace
):
    assessment = open_assessment(client=acme_client, respondents=0)
    client.force_login(consultant)
    ids = [acme_client.workspace_id, assessment.id]
    page = client.post(
        reverse("action_create", args=ids),
        {"title": "Map", "due_date": "2019-06-30", "status": "open", "horizon": "now"},
    )
    assert page.status_code == 400
    assert "has passed" in page.context["form"].errors["due_date"][0]
    response = api.post(
        f"{_api(workspace)}/assessments/{assessment.id}/actions/",
        {"title": "Map", "due_date": "2019-06-30"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_date" in response.json()
    assert not Action.objects.exists()


def test_an_action_that_ran_late_keeps_its_date_on_other_changes():
    assessment = open_assessment(respondents=0)
    action = action_create(assessment=assessment, data=ActionInput.from_values({"title": "Map"}))
    Action.objects.filter(id=action.id).update(due_date=YESTERDAY)
    action.refresh_from_db()
    kept = ActionInput.from_values(
        {"title": "Map the journey", "due_date": YESTERDAY}, partial=True
    )
    assert action_update(action=action, data=kept).title == "Map the journey"
    earlier = ActionInput.from_values({"due_date": YESTERDAY - timedelta(days=3)}, partial=True)
    with pytest.raises(Exception, match="has passed"):
        action_update(action=action, data=earlier)


BAD_CSV = (
    "name,email,role,weight\n"
    "Ada Lee,ada@c.example,executive,1\n"
    ",not-an-email,astronaut,1\n"
    "Bo Chen,bo@c.example,executive,-2\n"
    "Cy Diaz,ada@c.example,marketing,1\n"
)
BAD_ROWS = [
    "Row 3, name: Enter a name.",
    "Row 3, email: Enter a valid email address.",
    "Row 3, role: Choose one of",
    "Row 4, weight: The weight must be between",
    "Row 5, email: ada@c.example is already a respondent.",
]


def test_a_respondent_csv_lists_every_bad_row_and_column_on_the_board(
    client, consultant, acme_client
):
    assessment = open_assessment(client=acme_client, respondents=0)
    client.force_login(consultant)
    url = reverse("respondent_import", args=[acme_client.workspace_id, assessment.id])
    response = client.post(url, {"rows": BAD_CSV, "from": "board"})
    assert response.status_code == 400
    assert response.templates[0].name == "assessments/assessment_detail.html"
    errors = response.context["import_form"].errors["file"]
    assert len(errors) == len(BAD_ROWS)
    for expected, error in zip(BAD_ROWS, errors, strict=True):
        assert error.startswith(expected)
        assert error in response.content.decode()
    assert not Respondent.objects.exists()


def test_a_respondent_csv_lists_every_bad_row_by_the_api(api, workspace, acme_client):
    assessment = open_assessment(client=acme_client, respondents=0)
    url = f"{_api(workspace)}/assessments/{assessment.id}/respondents/import/"
    response = api.post(url, {"rows": BAD_CSV}, format="json")
    assert response.status_code == 400
    errors = response.json()["file"]
    assert [e[: len(b)] for e, b in zip(errors, BAD_ROWS, strict=True)] == BAD_ROWS
    assert not Respondent.objects.exists()
    good = api.post(url, {"rows": "name,email\nAda Lee,ada@c.example\nBo,"}, format="json")
    assert good.status_code == 201
    assert [r["name"] for r in good.json()] == ["Ada Lee", "Bo"]


def test_a_failed_inline_add_stays_on_the_board_with_the_error_by_the_field(
    client, consultant, api, acme_client, workspace
):
    assessment = open_assessment(client=acme_client, respondents=1)
    client.force_login(consultant)
    url = reverse("respondent_add", args=[acme_client.workspace_id, assessment.id])
    response = client.post(
        url, {"name": "", "email": "exec0@client.example", "role": "executive", "weight": "1",
              "from": "board"}
    )  # fmt: skip
    assert response.status_code == 400
    assert response.templates[0].name == "assessments/assessment_detail.html"
    form = response.context["respondent_form"]
    assert set(form.errors) == {"name"}
    assert "Exec 0" in response.text  # the board itself, not a bare form
    duplicate = client.post(
        url, {"name": "Twin", "email": "exec0@client.example", "role": "executive",
              "weight": "1", "from": "board"}
    )  # fmt: skip
    assert duplicate.status_code == 400
    assert "already a respondent" in duplicate.context["respondent_form"].errors["email"][0]
    api_response = api.post(
        f"{_api(workspace)}/assessments/{assessment.id}/respondents/",
        {"name": "Twin", "email": "exec0@client.example"},
        format="json",
    )
    assert api_response.status_code == 400
    assert "email" in api_response.json()
    assert assessment.respondents.count() == 1


def test_open_and_invite_twice_sends_once(acme_client, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from assessments.services import assessment_open_and_invite

    assessment = _draft(acme_client)
    Respondent.objects.create(assessment=assessment, name="Exec", email="e@c.example")
    with django_capture_on_commit_callbacks() as queued:
        assert assessment_open_and_invite(assessment=assessment, subject="S", message="M") == 1
        with pytest.raises(ValidationError, match="already open"):
            assessment_open_and_invite(assessment=assessment, subject="S2", message="M2")
    assert len(queued) == 1
    assessment.refresh_from_db()
    assert (assessment.invitation_subject, assessment.invitation_message) == ("S", "M")

"""Each event the issue lists lands once in its workspace's trail, with actor, client and
time, whether it came through a page, the API or a sign-in."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from assessments.inputs import AssessmentInput
from assessments.models import Answer
from assessments.services import (
    assessment_create,
    respondent_add,
    respondent_invite,
    respondent_link,
)
from audit.models import AuditAction, AuditEvent
from tests.assessments.factories import open_assessment, small_version
from tests.factories import PASSWORD, ClientFactory, MembershipFactory, UserFactory
from workspaces.models import ClientAccess, Invitation, Membership, Role
from workspaces.services import client_archive, client_delete, client_purge, invitation_token

pytestmark = pytest.mark.django_db


def _only(workspace, action, **filters) -> AuditEvent:
    events = list(AuditEvent.objects.filter(workspace=workspace, action=action, **filters))
    assert len(events) == 1, [(e.action, e.object_label) for e in events]
    event = events[0]
    assert timezone.now() - event.created_at < timedelta(minutes=1)
    return event


# --- Sign-ins -----------------------------------------------------------------------------


def test_sign_in_is_recorded_once_in_each_workspace_of_the_user(client, owner, workspace):
    second = MembershipFactory(user=owner, role=Role.CONSULTANT).workspace
    response = client.post(
        reverse("login"),
        {"username": owner.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    for each in (workspace, second):
        event = _only(each, AuditAction.SIGN_IN)
        assert (event.actor, event.actor_email, event.client) == (owner, owner.email, None)
        assert event.ip_address == "203.0.113.9"


def test_failed_sign_in_is_recorded_on_the_account_and_not_as_a_sign_in(client, owner, workspace):
    client.post(reverse("login"), {"username": owner.email.upper(), "password": "wrong"})
    assert _only(workspace, AuditAction.SIGN_IN_FAILED).actor == owner
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


# --- Invitations, roles, access ------------------------------------------------------------


def test_invitation_sent_then_accepted_by_the_invitee(api, client, owner, workspace):
    url = reverse("api-invitation-list", args=[workspace.id])
    assert api.post(url, {"email": "new@example.com", "role": "consultant"}).status_code == 201
    sent = _only(workspace, AuditAction.INVITATION_SENT)
    assert (sent.actor, sent.client, sent.object_label) == (owner, None, sent.object_label)
    assert "new@example.com" in sent.object_label

    invitee = UserFactory(email="new@example.com")
    client.force_login(invitee)
    invitation = Invitation.objects.get(email="new@example.com")
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 302
    accepted = _only(workspace, AuditAction.INVITATION_ACCEPTED)
    assert accepted.actor == invitee
    assert accepted.changes["status"] == ["Pending", "Accepted"]
    assert _only(workspace, AuditAction.MEMBER_ADDED, actor=invitee).object_label.startswith(
        "new@example.com"
    )


def test_withdrawn_invitation_is_recorded(api, owner, workspace):
    url = reverse("api-invitation-list", args=[workspace.id])
    invitation_id = api.post(url, {"email": "x@example.com", "role": "consultant"}).json()["id"]
    detail = reverse("api-invitation-detail", args=[workspace.id, invitation_id])
    assert api.delete(detail).status_code == 204
    assert _only(workspace, AuditAction.INVITATION_REVOKED).actor == owner


def test_invitation_to_one_client_names_the_client(owner, acme_client):
    with set_actor(owner):
        Invitation.objects.create(
            workspace=acme_client.workspace,
            email="team@northwind.example",
            role=Role.CLIENT,
            client=acme_client,
            client_role="viewer",
            expires_at=timezone.now() + timedelta(days=7),
        )
    event = _only(acme_client.workspace, AuditAction.INVITATION_SENT)
    assert (event.client, event.client_name, event.actor) == (acme_client, "Northwind", owner)


def test_role_change_names_old_and_new_role(api, owner, workspace):
    member = MembershipFactory(workspace=workspace, role=Role.CONSULTANT)
    url = reverse("api-member-detail", args=[workspace.id, member.id])
    assert api.patch(url, {"role": "owner"}, format="json").status_code == 200
    event = _only(workspace, AuditAction.ROLE_CHANGED)
    assert event.actor == owner
    assert event.changes == {"role": ["Consultant", "Owner"]}
    assert member.user.email in event.object_label


def test_client_access_granted_then_removed(owner, acme_client):
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    with set_actor(owner):
        access = ClientAccess.objects.create(membership=member, client=acme_client)
        access.delete()
    for action in (AuditAction.ACCESS_GRANTED, AuditAction.ACCESS_REMOVED):
        event = _only(acme_client.workspace, action)
        assert (event.actor, event.client) == (owner, acme_client)
        assert member.user.email in event.object_label


def test_removing_a_member_records_one_event_not_one_per_client_access(owner, acme_client):
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    ClientAccess.objects.create(membership=member, client=acme_client)
    ClientAccess.objects.create(membership=member, client=ClientFactory(workspace=member.workspace))
    with set_actor(owner):
        Membership.objects.get(id=member.id).delete()
    assert _only(acme_client.workspace, AuditAction.MEMBER_REMOVED).actor == owner
    assert not AuditEvent.objects.filter(action=AuditAction.ACCESS_REMOVED).exists()


# --- Reading and downloading --------------------------------------------------------------


def test_results_viewed_on_the_page_and_through_the_api(client, api, owner, acme_client):
    assessment = open_assessment(client=acme_client, respondents=1)
    client.force_login(owner)
    page = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    assert client.get(page).status_code == 200
    event = _only(acme_client.workspace, AuditAction.RESULTS_VIEWED)
    assert (event.actor, event.client, event.object_id) == (owner, acme_client, str(assessment.id))

    AuditEvent.objects.filter(action=AuditAction.RESULTS_VIEWED).delete()
    url = reverse("api-assessment-results", args=[acme_client.workspace_id, assessment.id])
    assert api.get(url).status_code == 200
    event = _only(acme_client.workspace, AuditAction.RESULTS_VIEWED)
    assert (event.actor, event.client, event.object_id) == (owner, acme_client, str(assessment.id))


def test_answers_export_is_recorded(client, owner, acme_client):
    assessment = open_assessment(client=acme_client, respondents=1)
    client.force_login(owner)
    url = reverse(
        "assessment_export", args=[acme_client.workspace_id, assessment.id, "answers", "csv"]
    )
    assert client.get(url).status_code == 200
    event = _only(acme_client.workspace, AuditAction.EXPORT_DOWNLOADED)
    assert (event.actor, event.client, event.object_label) == (owner, acme_client, assessment.title)


def test_playbook_download_is_recorded(client, owner, acme_client, rendered_playbook):
    client.force_login(owner)
    url = reverse("document_download", args=[acme_client.workspace_id, rendered_playbook.id])
    response = client.get(url)
    assert response.status_code == 200
    event = _only(acme_client.workspace, AuditAction.PLAYBOOK_DOWNLOADED)
    assert (event.actor, event.client, event.object_id) == (
        owner,
        acme_client,
        str(rendered_playbook.id),
    )


# --- Changes and deletions ----------------------------------------------------------------


def test_kpi_change_names_the_field_with_old_and_new_value(api, owner, plan_with_kpi):
    plan, kpi = plan_with_kpi
    url = reverse("api-plan-kpi-detail", args=[plan.client.workspace_id, plan.id, kpi.id])
    assert api.patch(url, {"target": "45.5"}, format="json").status_code == 200
    event = _only(plan.client.workspace, AuditAction.CHANGED, object_type="kpis.kpi")
    assert (event.actor, event.client, event.object_label) == (owner, plan.client, kpi.name)
    assert event.changes == {"target": ["40", "45.5"]}


def test_campaign_change_is_recorded(api, owner, campaign):
    url = reverse("api-campaign-detail", args=[campaign.client.workspace_id, campaign.id])
    assert api.patch(url, {"name": "Relaunch, phase 2"}, format="json").status_code == 200
    event = _only(
        campaign.client.workspace, AuditAction.CHANGED, object_type="playbooks.campaignplan"
    )
    assert (event.actor, event.client) == (owner, campaign.client)
    assert event.changes["name"] == ["Relaunch", "Relaunch, phase 2"]


def test_campaign_deletion_is_recorded(api, owner, campaign):
    url = reverse("api-campaign-detail", args=[campaign.client.workspace_id, campaign.id])
    assert api.delete(url).status_code == 204
    event = _only(campaign.client.workspace, AuditAction.DELETED)
    assert (event.actor, event.client, event.object_label) == (owner, campaign.client, "Relaunch")


def test_assessment_deletion_is_one_event_not_one_per_respondent(api, owner, acme_client):
    assessment = assessment_create(
        client=acme_client,
        data=AssessmentInput.from_values({"version": small_version(), "title": "Draft 2026"}),
        created_by=None,
    )
    for n in range(3):
        respondent_add(assessment=assessment, name=f"Exec {n}", email=f"e{n}@client.example")
    url = reverse("api-assessment-detail", args=[acme_client.workspace_id, assessment.id])
    assert api.delete(url).status_code == 204
    event = _only(acme_client.workspace, AuditAction.DELETED)
    assert (event.actor, event.client, event.object_label) == (owner, acme_client, "Draft 2026")
    assert event.object_type == "assessments.assessment"


def test_deleting_a_client_keeps_its_trail_under_its_name(owner, acme_client, plan_with_kpi):
    workspace = acme_client.workspace
    before = AuditEvent.objects.filter(client=acme_client).count()
    assert before >= 2  # the plan and its KPI were created
    with set_actor(owner):
        client_archive(client=acme_client)
        client_purge(client=client_delete(client=acme_client))
    deleted = _only(workspace, AuditAction.DELETED)
    assert (deleted.object_label, deleted.client_name, deleted.client) == (
        "Northwind",
        "Northwind",
        None,
    )
    kept = AuditEvent.objects.filter(workspace=workspace, client_name="Northwind")
    assert kept.count() == before + 3  # the archiving, the move to the trash, the deletion
    assert not kept.filter(client__isnull=False).exists()


def test_respondents_autosaves_write_no_audit_row(client):
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = respondent_link(respondent).rsplit("/r/", 1)[1].strip("/")
    events, entries = AuditEvent.objects.count(), LogEntry.objects.count()
    for value in ("3", "5", "7"):
        response = client.post(
            reverse("respondent_autosave", args=[token]), {"questions": ["q2"], "q2-value": value}
        )
        assert response.status_code == 200
    assert Answer.objects.get(respondent=respondent, question__key="q2").value == "7"
    assert (AuditEvent.objects.count(), LogEntry.objects.count()) == (events, entries)

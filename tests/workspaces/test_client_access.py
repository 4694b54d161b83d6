"""Client teams: invitations to one client, client roles, limited consultants, and what a
client member reaches (their clients only) and may change (contributors only)."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Action
from kpis.inputs import KPIInput
from kpis.models import Measurement
from kpis.services import kpi_create, plan_create
from tests.assessments.factories import open_assessment
from tests.factories import (
    PASSWORD,
    ClientFactory,
    MembershipFactory,
    UserFactory,
    grant_client,
)
from workspaces.client_team_services import client_invitation_create
from workspaces.models import ClientAccess, ClientRole, Invitation, Membership, Role
from workspaces.services import invitation_send_email, invitation_token

pytestmark = pytest.mark.django_db


def _team_url(client_obj):
    return reverse("client_team", args=[client_obj.workspace_id, client_obj.id])


def test_consultant_invites_a_client_viewer_who_signs_up_and_sees_that_client_only(
    client, consultant, acme_client, mailbox, django_capture_on_commit_callbacks
):
    other = ClientFactory(workspace=acme_client.workspace, name="Globex")
    client.force_login(consultant)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            _team_url(acme_client), {"email": "Ann@Northwind.example", "client_role": "viewer"}
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the email goes out through the worker
    invitation = Invitation.objects.get()
    invitation_send_email(invitation=invitation)  # what the worker's task does
    assert (invitation.client, invitation.client_role, invitation.role) == (
        acme_client,
        ClientRole.VIEWER,
        Role.CLIENT,
    )
    (sent,) = mailbox.iterdir()
    body = sent.read_text()
    assert "Northwind" in body
    assert "Globex" not in body
    assert invitation_token(invitation) in body

    client.logout()
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    response = client.post(url, {"name": "Ann", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ann@northwind.example")
    assert membership.role == Role.CLIENT
    assert list(membership.client_accesses.values_list("client_id", "role")) == [
        (acme_client.id, ClientRole.VIEWER)
    ]
    # Home goes straight to the one client; the dashboard and client list name only it.
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url == acme_client.get_absolute_url()
    for name in ("workspace_dashboard", "client_list"):
        page = client.get(reverse(name, args=[acme_client.workspace_id])).text
        assert "Northwind" in page
        assert "Globex" not in page
    assert client.get(other.get_absolute_url()).status_code == 404


def test_an_existing_client_member_is_added_to_a_second_client_with_another_role(
    client, acme_client
):
    second = ClientFactory(workspace=acme_client.workspace, name="Globex")
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(member, acme_client)
    invitation = client_invitation_create(
        client=second,
        email=member.user.email,
        client_role=ClientRole.CONTRIBUTOR,
        invited_by=None,
    )
    client.force_login(member.user)
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 302
    assert dict(member.client_accesses.values_list("client__name", "role")) == {
        "Northwind": ClientRole.VIEWER,
        "Globex": ClientRole.CONTRIBUTOR,
    }
    assert Membership.objects.filter(user=member.user).count() == 1
    # Two clients: home lists both instead of choosing.
    home = client.get(reverse("home")).text
    assert "Northwind" in home
    assert "Globex" in home


def test_inviting_a_consultant_or_a_team_member_again_is_refused_naming_the_email(
    client, consultant, acme_client
):
    client.force_login(consultant)
    response = client.post(
        _team_url(acme_client), {"email": consultant.email, "client_role": "viewer"}
    )
    assert response.status_code == 400
    assert consultant.email in response.context["form"].errors["email"][0]
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(member, acme_client)
    response = client.post(
        _team_url(acme_client), {"email": member.user.email, "client_role": "viewer"}
    )
    assert "already" in response.context["form"].errors["email"][0]
    bad = client.post(_team_url(acme_client), {"email": "x@example.com", "client_role": "boss"})
    assert bad.status_code == 400
    assert "client_role" in bad.context["form"].errors
    assert not Invitation.objects.exists()


def test_changing_and_removing_a_client_role_and_the_last_client_ends_the_membership(
    client, consultant, acme_client
):
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    access = grant_client(member, acme_client)
    client.force_login(consultant)
    ws = acme_client.workspace_id
    client.post(
        reverse("client_access_edit", args=[ws, acme_client.id, access.id]),
        {"role": "contributor"},
    )
    access.refresh_from_db()
    assert access.role == ClientRole.CONTRIBUTOR
    remove = reverse("client_access_remove", args=[ws, acme_client.id, access.id])
    assert "Remove" in client.get(remove).text  # a confirmation first
    assert ClientAccess.objects.filter(id=access.id).exists()
    client.post(remove)
    assert not ClientAccess.objects.filter(id=access.id).exists()
    assert not Membership.objects.filter(id=member.id).exists()


def test_client_members_may_not_manage_a_team_and_viewers_see_no_members_page(
    client, client_viewer, acme_client
):
    client.force_login(client_viewer)
    assert client.get(_team_url(acme_client)).status_code == 403
    assert client.get(reverse("member_list", args=[acme_client.workspace_id])).status_code == 403
    response = client.post(_team_url(acme_client), {"email": "x@example.com", "client_role": "x"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_team_api_invites_lists_changes_and_removes(consultant, acme_client):
    api = APIClient()
    api.force_authenticate(consultant)
    base = f"/api/v1/workspaces/{acme_client.workspace_id}/clients/{acme_client.id}/"
    created = api.post(
        base + "team-invitations/",
        {"email": "bo@northwind.example", "client_role": "contributor"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["client"] == str(acme_client.id)
    bad = api.post(base + "team-invitations/", {"email": "nope", "client_role": "viewer"})
    assert bad.status_code == 400
    assert "email" in bad.json()
    listed = api.get(base + "team-invitations/").json()["results"]
    assert [i["email"] for i in listed] == ["bo@northwind.example"]
    assert api.delete(base + f"team-invitations/{created.json()['id']}/").status_code == 204
    assert Invitation.objects.get().status == Invitation.Status.REVOKED

    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    access = grant_client(member, acme_client)
    team = api.get(base + "team/").json()["results"]
    assert [(t["user"]["email"], t["role"]) for t in team] == [(member.user.email, "viewer")]
    changed = api.patch(base + f"team/{access.id}/", {"role": "contributor"}, format="json")
    assert changed.json()["role"] == "contributor"
    assert api.patch(base + f"team/{access.id}/", {"role": "owner"}).status_code == 400
    assert api.delete(base + f"team/{access.id}/").status_code == 204
    assert not ClientAccess.objects.filter(id=access.id).exists()


def test_owner_limits_a_consultant_to_assigned_clients(client, owner, consultant, acme_client):
    globex = ClientFactory(workspace=acme_client.workspace, name="Globex")
    membership = consultant.memberships.get()
    client.force_login(owner)
    response = client.post(
        reverse("member_edit", args=[acme_client.workspace_id, membership.id]),
        {"clients_form": "1", "assigned_clients_only": "on", "clients": [str(acme_client.id)]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.assigned_clients_only
    client.force_login(consultant)
    ws = acme_client.workspace_id
    listing = client.get(reverse("client_list", args=[ws])).text
    assert "Northwind" in listing
    assert "Globex" not in listing
    assert client.get(globex.get_absolute_url()).status_code == 404
    # What they add is theirs to work on.
    client.post(reverse("client_create", args=[ws]), {"name": "Initech"})
    assert "Initech" in client.get(reverse("client_list", args=[ws])).text
    # …and an owner gives every client back.
    api = APIClient()
    api.force_authenticate(owner)
    answer = api.patch(
        f"/api/v1/workspaces/{ws}/members/{membership.id}/",
        {"assigned_clients_only": False},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["assigned_clients_only"] is False
    assert client.get(globex.get_absolute_url()).status_code == 200


def test_limiting_needs_a_client_and_a_consultant(owner, consultant, acme_client):
    api = APIClient()
    api.force_authenticate(owner)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/members/"
    membership = consultant.memberships.get()
    answer = api.patch(f"{url}{membership.id}/", {"assigned_clients_only": True}, format="json")
    assert answer.status_code == 400
    assert "clients" in answer.json()
    foreign = ClientFactory()
    answer = api.patch(
        f"{url}{membership.id}/",
        {"assigned_clients_only": True, "clients": [str(foreign.id)]},
        format="json",
    )
    assert answer.status_code == 400
    assert "clients" in answer.json()
    membership.refresh_from_db()
    assert not membership.assigned_clients_only
    own = owner.memberships.get()
    answer = api.patch(
        f"{url}{own.id}/",
        {"assigned_clients_only": True, "clients": [str(acme_client.id)]},
        format="json",
    )
    assert answer.status_code == 400


def _action_and_plan(acme_client):
    assessment = open_assessment(client=acme_client, respondents=1)
    action = Action.objects.create(assessment=assessment, title="Name a digital owner")
    plan = plan_create(client=acme_client, title="Plan")
    kpi = kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name="Repeat rate",
                direction="increase",
                baseline=10,
                target=20,
                start=date(2026, 1, 1),
                due=date(2026, 12, 31),
            )
        ),
    )
    return assessment, action, plan, kpi


def test_a_client_contributor_updates_status_progress_and_notes_and_records_measurements(
    client, client_contributor, acme_client
):
    assessment, action, plan, kpi = _action_and_plan(acme_client)
    ws = acme_client.workspace_id
    client.force_login(client_contributor)
    edit = reverse("action_edit", args=[ws, assessment.id, action.id])
    form = client.get(edit)
    assert form.status_code == 200
    assert 'name="title"' not in form.text  # the plan itself stays the consultant's
    response = client.post(
        edit, {"status": "in_progress", "progress": "40", "notes": "Shortlist of two"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress, action.notes) == ("in_progress", 40, "Shortlist of two")
    assert action.title == "Name a digital owner"
    bad = client.post(edit, {"status": "done", "progress": "140"})
    assert bad.status_code == 400
    assert "progress" in bad.context["form"].errors
    quick = reverse("action_quick", args=[ws, assessment.id, action.id])
    assert client.post(quick, {"move": "1"}).status_code == 403
    client.post(quick, {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    assert client.get(reverse("action_create", args=[ws, assessment.id])).status_code == 403

    page = reverse("plan_measurements", args=[ws, plan.id])
    response = client.post(page, {"kpi": str(kpi.id), "date": "2026-03-01", "value": "12"})
    assert response.status_code == 302
    assert Measurement.objects.filter(kpi=kpi).count() == 1

    api = APIClient()
    api.force_authenticate(client_contributor)
    url = f"/api/v1/workspaces/{ws}/assessments/{assessment.id}/actions/{action.id}/"
    assert api.patch(url, {"progress": 100}, format="json").status_code == 200
    refused = api.patch(url, {"title": "Something else"}, format="json")
    assert refused.status_code == 403
    assert "title" in refused.json()["detail"]
    measured = api.post(
        f"/api/v1/workspaces/{ws}/plans/{plan.id}/measurements/",
        {"measurements": [{"kpi": str(kpi.id), "date": "2026-04-01", "value": "13"}]},
        format="json",
    )
    assert measured.status_code == 201
    assert Measurement.objects.filter(kpi=kpi).count() == 2


def test_a_client_viewer_updates_nothing(client, client_viewer, acme_client):
    assessment, action, plan, _kpi = _action_and_plan(acme_client)
    ws = acme_client.workspace_id
    client.force_login(client_viewer)
    edit = reverse("action_edit", args=[ws, assessment.id, action.id])
    assert client.post(edit, {"status": "done"}).status_code == 403
    assert client.get(reverse("plan_measurements", args=[ws, plan.id])).status_code == 403
    scorecard = client.get(reverse("scorecard", args=[ws, plan.id])).text
    assert "Record measurements" not in scorecard
    api = APIClient()
    api.force_authenticate(client_viewer)
    url = f"/api/v1/workspaces/{ws}/assessments/{assessment.id}/actions/{action.id}/"
    assert api.patch(url, {"status": "done"}, format="json").status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_a_contributor_of_one_client_contributes_nothing_to_another(client, acme_client):
    globex = ClientFactory(workspace=acme_client.workspace, name="Globex")
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(member, acme_client, role=ClientRole.CONTRIBUTOR)
    assessment, action, _plan, _kpi = _action_and_plan(globex)
    client.force_login(member.user)
    edit = reverse("action_edit", args=[acme_client.workspace_id, assessment.id, action.id])
    assert client.post(edit, {"status": "done"}).status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_a_client_member_may_not_create_a_workspace(client, client_viewer):
    client.force_login(client_viewer)
    assert client.post(reverse("workspace_create"), {"name": "Mine"}).status_code == 403


def test_a_user_with_no_workspace_sees_the_empty_home(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "You are not in a workspace yet" in response.text


def test_owners_reach_a_clients_and_a_members_activity_from_their_pages(client, owner, acme_client):
    client.force_login(owner)
    audit = reverse("audit_event_list", args=[acme_client.workspace_id])
    page = client.get(acme_client.get_absolute_url()).text
    assert f"{audit}?client={acme_client.id}" in page
    members = client.get(reverse("member_list", args=[acme_client.workspace_id])).text
    assert f"{audit}?member={owner.id}" in members
    filtered = client.get(f"{audit}?client={acme_client.id}&member={owner.id}")
    assert filtered.status_code == 200


def test_consultants_see_no_activity_links(client, consultant, acme_client):
    client.force_login(consultant)
    audit = reverse("audit_event_list", args=[acme_client.workspace_id])
    assert audit not in client.get(acme_client.get_absolute_url()).text


def test_a_limited_consultant_sees_no_roster_of_other_clients_people(client, acme_client):
    limited = MembershipFactory(
        workspace=acme_client.workspace, role=Role.CONSULTANT, assigned_clients_only=True
    )
    grant_client(limited, acme_client)
    ws = acme_client.workspace_id
    client.force_login(limited.user)
    assert client.get(reverse("member_list", args=[ws])).status_code == 403
    assert "Members" not in client.get(reverse("client_list", args=[ws])).text
    api = APIClient()
    api.force_authenticate(limited.user)
    assert api.get(f"/api/v1/workspaces/{ws}/members/").status_code == 403
    assert api.get(f"/api/v1/workspaces/{ws}/invitations/").status_code == 403
    # Their own client's team is theirs to manage.
    assert client.get(_team_url(acme_client)).status_code == 200


def test_a_contributor_may_not_accept_or_reorder_actions(client, client_contributor, acme_client):
    assessment, action, _plan, _kpi = _action_and_plan(acme_client)
    action.accepted = False
    action.save()
    quick = reverse("action_quick", args=[acme_client.workspace_id, assessment.id, action.id])
    client.force_login(client_contributor)
    for extra in ({"accept": "1"}, {"move": "-1"}):
        response = client.post(quick, {"status": action.status, **extra})
        assert response.status_code == 403, extra
    action.refresh_from_db()
    assert not action.accepted

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, InvitationFactory, MembershipFactory, UserFactory
from workspaces.models import Invitation, Membership, Role
from workspaces.services import invitation_send_email, invitation_token, invitations_expire

pytestmark = pytest.mark.django_db


def _members_url(workspace):
    return reverse("member_list", args=[workspace.id])


def test_owner_invites_a_colleague_and_the_email_goes_through_a_task(
    client, owner, workspace, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            _members_url(workspace), {"email": "New@Example.com", "role": "consultant"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new@example.com"
    assert invitation.role == Role.CONSULTANT
    assert len(callbacks) == 1  # the invitation_send task, queued after commit
    assert "Invitation sent to new@example.com" in client.get(_members_url(workspace)).text


def test_invitation_email_carries_a_working_link(mailbox, workspace, owner):
    invitation = InvitationFactory(workspace=workspace, invited_by=owner)
    invitation_send_email(invitation=invitation)
    (sent,) = mailbox.iterdir()
    body = sent.read_text()
    assert invitation_token(invitation) in body
    assert workspace.name in body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_inviting_an_existing_member_is_refused_naming_the_email(client, owner, workspace, viewer):
    client.force_login(owner)
    response = client.post(_members_url(workspace), {"email": viewer.email, "role": "consultant"})
    assert "already a member" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_inviting_twice_renews_the_same_invitation(client, owner, workspace):
    client.force_login(owner)
    client.post(_members_url(workspace), {"email": "a@example.com", "role": "consultant"})
    client.post(_members_url(workspace), {"email": "a@example.com", "role": "owner"})
    invitation = Invitation.objects.get()
    assert invitation.role == Role.OWNER


def test_new_person_accepts_an_invitation_by_creating_an_account(client, workspace):
    invitation = InvitationFactory(workspace=workspace, role=Role.CONSULTANT)
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    assert "Create your account" in client.get(url).text
    response = client.post(url, {"name": "Ann", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    membership = Membership.objects.get(workspace=workspace, user__email=invitation.email)
    assert membership.role == Role.CONSULTANT
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert client.get(url).status_code == 410  # used once only


def test_weak_password_on_invitation_sign_up_is_refused(client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    response = client.post(url, {"name": "Ann", "password1": "12345", "password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not Membership.objects.filter(workspace=workspace).exists()


def test_existing_user_signs_in_and_accepts(client, workspace):
    user = UserFactory()
    invitation = InvitationFactory(workspace=workspace, email=user.email)
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    assert "Sign in" in client.get(url).text
    client.force_login(user)
    client.post(url)
    assert Membership.objects.filter(workspace=workspace, user=user).exists()


def test_invitation_for_someone_else_is_refused(client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    client.force_login(UserFactory())
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert "This invitation is for" in response.text
    assert not Membership.objects.filter(workspace=workspace).exists()


def test_expired_invitation_link_says_so_and_grants_nothing(client, workspace):
    invitation = InvitationFactory(
        workspace=workspace, expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    url = reverse("invitation_accept", args=[invitation_token(invitation)])
    response = client.post(url, {"name": "Ann", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert "expired" in response.text
    assert not Membership.objects.filter(workspace=workspace).exists()
    assert invitations_expire() == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


@pytest.mark.parametrize(
    "token", ["nonsense", "00000000-0000-0000-0000-000000000000:abc", "a" * 300]
)
def test_tampered_invitation_link_is_refused(client, token):
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "not valid" in response.text


def test_revoked_invitation_stops_working(client, owner, workspace):
    invitation = InvitationFactory(workspace=workspace)
    client.force_login(owner)
    client.post(reverse("invitation_revoke", args=[workspace.id, invitation.id]))
    client.logout()
    response = client.get(reverse("invitation_accept", args=[invitation_token(invitation)]))
    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_owner_changes_a_role(client, owner, workspace, viewer):
    client.force_login(owner)
    membership = viewer.memberships.get()
    client.post(reverse("member_edit", args=[workspace.id, membership.id]), {"role": "consultant"})
    membership.refresh_from_db()
    assert membership.role == Role.CONSULTANT


def test_last_owner_cannot_step_down_or_leave(client, owner, workspace):
    client.force_login(owner)
    membership = owner.memberships.get()
    response = client.post(
        reverse("member_edit", args=[workspace.id, membership.id]), {"role": "consultant"}
    )
    assert "at least one owner" in response.context["form"].errors["role"][0]
    response = client.post(reverse("member_remove", args=[workspace.id, membership.id]))
    assert "at least one owner" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_owner_removes_a_member_after_confirmation(client, owner, workspace, consultant):
    client.force_login(owner)
    membership = consultant.memberships.get()
    url = reverse("member_remove", args=[workspace.id, membership.id])
    assert "They lose access" in client.get(url).text
    assert Membership.objects.filter(id=membership.id).exists()
    client.post(url)
    assert not Membership.objects.filter(id=membership.id).exists()


def test_removed_member_loses_access_at_once(client, owner, workspace, consultant):
    membership = consultant.memberships.get()
    membership.delete()
    client.force_login(consultant)
    assert client.get(reverse("workspace_dashboard", args=[workspace.id])).status_code == 404


def test_consultant_may_not_manage_members(client, consultant, workspace, viewer):
    client.force_login(consultant)
    response = client.post(_members_url(workspace), {"email": "x@example.com", "role": "owner"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    membership = viewer.memberships.get()
    response = client.post(
        reverse("member_edit", args=[workspace.id, membership.id]), {"role": "owner"}
    )
    assert response.status_code == 403


def test_a_second_owner_lets_the_first_step_down(client, owner, workspace):
    MembershipFactory(workspace=workspace, role=Role.OWNER)
    client.force_login(owner)
    membership = owner.memberships.get()
    client.post(reverse("member_edit", args=[workspace.id, membership.id]), {"role": "consultant"})
    membership.refresh_from_db()
    assert membership.role == Role.CONSULTANT

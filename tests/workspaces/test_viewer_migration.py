"""Migration 0005 turns each workspace viewer into a client viewer of every client they
could see, so nobody's reach widens (or silently shrinks) with client-scoped access."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("workspaces", "0002_user_email_any_case")]
AFTER = [("workspaces", "0005_viewers_become_client_viewers")]


@pytest.mark.django_db(transaction=True)
def test_viewers_become_client_viewers_of_every_client_they_could_see():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Workspace = old.get_model("workspaces", "Workspace")
    User = old.get_model("workspaces", "User")
    Membership = old.get_model("workspaces", "Membership")
    Client = old.get_model("workspaces", "Client")
    Invitation = old.get_model("workspaces", "Invitation")

    def user(email):
        return User.objects.create(id=uuid.uuid4(), email=email, password="!")

    ours = Workspace.objects.create(id=uuid.uuid4(), name="Ours")
    theirs = Workspace.objects.create(id=uuid.uuid4(), name="Theirs")
    north = Client.objects.create(id=uuid.uuid4(), workspace=ours, name="North")
    south = Client.objects.create(id=uuid.uuid4(), workspace=ours, name="South", archived=True)
    Client.objects.create(id=uuid.uuid4(), workspace=theirs, name="Elsewhere")
    viewer = Membership.objects.create(
        id=uuid.uuid4(), workspace=ours, user=user("v@x.example"), role="viewer"
    )
    consultant = Membership.objects.create(
        id=uuid.uuid4(), workspace=ours, user=user("c@x.example"), role="consultant"
    )
    from django.utils import timezone

    pending = Invitation.objects.create(
        id=uuid.uuid4(),
        workspace=ours,
        email="p@x.example",
        role="viewer",
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Membership = new.get_model("workspaces", "Membership")
    ClientAccess = new.get_model("workspaces", "ClientAccess")
    Invitation = new.get_model("workspaces", "Invitation")
    assert Membership.objects.get(id=viewer.id).role == "client"
    assert Membership.objects.get(id=consultant.id).role == "consultant"
    assert not Membership.objects.get(id=consultant.id).assigned_clients_only
    granted = set(
        ClientAccess.objects.filter(membership_id=viewer.id).values_list("client_id", "role")
    )
    assert granted == {(north.id, "viewer"), (south.id, "viewer")}
    assert not ClientAccess.objects.filter(membership_id=consultant.id).exists()
    withdrawn = Invitation.objects.get(id=pending.id)
    assert (withdrawn.status, withdrawn.role) == ("revoked", "client")

    # Back to the newest schema for whatever runs next.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

"""Each workspace viewer becomes a client viewer of every client they could see.

Apart from the schema change of 0003: on PostgreSQL a migration that writes rows and then
creates the indexes and foreign keys Django defers to its end fails with "pending trigger
events"."""

from django.db import migrations


def viewers_become_client_viewers(apps, schema_editor):
    """Each workspace viewer becomes a client viewer of every client they could see
    (archived ones included), so nobody's reach widens or silently shrinks."""
    Membership = apps.get_model("workspaces", "Membership")
    Client = apps.get_model("workspaces", "Client")
    ClientAccess = apps.get_model("workspaces", "ClientAccess")
    Invitation = apps.get_model("workspaces", "Invitation")
    for membership in Membership.objects.filter(role="viewer").iterator():
        ClientAccess.objects.bulk_create(
            [
                ClientAccess(membership_id=membership.id, client_id=client_id, role="viewer")
                for client_id in Client.objects.filter(
                    workspace_id=membership.workspace_id
                ).values_list("id", flat=True)
            ],
            ignore_conflicts=True,
        )
    Membership.objects.filter(role="viewer").update(role="client")
    # A pending viewer invitation would grant nothing now: withdraw it, the owner invites
    # the person to their client from the client's page.
    Invitation.objects.filter(role="viewer", status="pending").update(status="revoked")
    Invitation.objects.filter(role="viewer").update(role="client")


def client_members_become_viewers(apps, schema_editor):
    Membership = apps.get_model("workspaces", "Membership")
    Membership.objects.filter(role="client").update(role="viewer")


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0004_api_tokens"),
    ]

    operations = [
        migrations.RunPython(viewers_become_client_viewers, client_members_become_viewers),
    ]

"""Demo data: a consultancy with four logins, clients, the built-in questionnaire,
Northwind Retail's assessments, plan, insight and playbook, and Contoso Insurance's own,
so that client-scoped access shows. Safe to run again."""

import uuid

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cxmaturity.demo_assessments import default_questionnaire, seed_northwind
from cxmaturity.demo_benchmark import seed_benchmark_peers
from cxmaturity.demo_contoso import seed_contoso
from cxmaturity.demo_insights import seed_northwind_insights
from cxmaturity.demo_plan import seed_northwind_plan
from cxmaturity.demo_playbooks import seed_northwind_playbook
from workspaces.models import Client, ClientAccess, ClientRole, Membership, Role, User, Workspace
from workspaces.services import client_create

DEMO_WORKSPACE_ID = uuid.UUID("00000000-0000-4000-8000-00000000de30")
DEMO_PASSWORD = "demo-cx-2026"  # noqa: S105 - a published demo login, local sites only
# email, name, role, the clients a client member views (None: every client)
DEMO_USERS = [
    ("owner@demo.cxmaturity.local", "Olivia Owner", Role.OWNER, None),
    ("consultant@demo.cxmaturity.local", "Carlos Consultant", Role.CONSULTANT, None),
    ("viewer@demo.cxmaturity.local", "Vera Viewer", Role.CLIENT, None),
    ("northwind@demo.cxmaturity.local", "Nora Northwind", Role.CLIENT, ["Northwind Retail"]),
]
DEMO_CLIENTS = [
    {
        "name": "Northwind Retail",
        "industry": "Retail",
        "size_band": "1000-4999",
        "region": "GB",
        "notes": "Omnichannel retailer; loyalty programme relaunch.",
    },
    {
        "name": "Contoso Insurance",
        "industry": "Insurance",
        "size_band": "5000+",
        "region": "FI",
        "notes": "Email is an advanced silo; contact centre outsourced.",
    },
    {
        "name": "Fabrikam Travel",
        "industry": "Travel",
        "size_band": "250-999",
        "region": "FR",
        "notes": "Wants to move from Radiate to Align this year.",
    },
]


class Command(BaseCommand):
    help = "Create the Demo Consulting workspace with an owner, a consultant, a viewer and clients."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # A fixed id: a real workspace that happens to share the name is never touched.
        workspace, _created = Workspace.objects.get_or_create(
            id=DEMO_WORKSPACE_ID, defaults={"name": "Demo Consulting"}
        )
        for fields in DEMO_CLIENTS:
            if not Client.objects.filter(workspace=workspace, name=fields["name"]).exists():
                client_create(workspace=workspace, **fields)
        for email, name, role, client_names in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
            membership, _created = Membership.objects.update_or_create(
                workspace=workspace, user=user, defaults={"role": role}
            )
            if role == Role.CLIENT:
                clients = Client.objects.filter(workspace=workspace)
                if client_names is not None:
                    clients = clients.filter(name__in=client_names)
                for client in clients:
                    ClientAccess.objects.get_or_create(
                        membership=membership,
                        client=client,
                        defaults={"role": ClientRole.VIEWER},
                    )
        default_questionnaire()
        northwind = Client.objects.get(workspace=workspace, name="Northwind Retail")
        consultant = User.objects.get(email=DEMO_USERS[1][0])
        seed_northwind(client=northwind, consultant=consultant)
        seed_northwind_plan(client=northwind)
        seed_northwind_insights(client=northwind, requested_by=consultant)
        seed_northwind_playbook(client=northwind, requested_by=consultant)
        contoso = Client.objects.get(workspace=workspace, name="Contoso Insurance")
        seed_contoso(client=contoso, consultant=consultant)
        seed_benchmark_peers(
            workspace_clients=list(Client.objects.filter(workspace=workspace)),
            consultant=consultant,
        )
        self.stdout.write(self.style.SUCCESS("Demo workspace “Demo Consulting” is ready."))
        self.stdout.write(f"Sign in with any of these (password for all: {DEMO_PASSWORD}):")
        for email, _name, role, client_names in DEMO_USERS:
            reach = ", ".join(client_names) if client_names else _("every client")
            label = _("Client viewer") if role == Role.CLIENT else role.label
            self.stdout.write(f"  {label:<14} {email:<36} {reach}")

"""Demo data: a consultancy with three logins, clients, the built-in questionnaire and
Northwind Retail's assessments. Safe to run again."""

import uuid

from django.core.management.base import BaseCommand
from django.db import transaction

from cxmaturity.demo_assessments import default_questionnaire, seed_northwind
from cxmaturity.demo_insights import seed_northwind_insights
from cxmaturity.demo_plan import seed_northwind_plan
from cxmaturity.demo_playbooks import seed_northwind_playbook
from workspaces.models import Client, Membership, Role, User, Workspace
from workspaces.services import client_create

DEMO_WORKSPACE_ID = uuid.UUID("00000000-0000-4000-8000-00000000de30")
DEMO_PASSWORD = "demo-cx-2026"  # noqa: S105 - a published demo login, local sites only
DEMO_USERS = [
    ("owner@demo.cxmaturity.local", "Olivia Owner", Role.OWNER),
    ("consultant@demo.cxmaturity.local", "Carlos Consultant", Role.CONSULTANT),
    ("viewer@demo.cxmaturity.local", "Vera Viewer", Role.CLIENT),
]
DEMO_CLIENTS = [
    {
        "name": "Northwind Retail",
        "industry": "Retail",
        "size_band": "1000-4999",
        "region": "Western Europe",
        "notes": "Omnichannel retailer; loyalty programme relaunch.",
    },
    {
        "name": "Contoso Insurance",
        "industry": "Insurance",
        "size_band": "5000+",
        "region": "Nordics",
        "notes": "Email is an advanced silo; contact centre outsourced.",
    },
    {
        "name": "Fabrikam Travel",
        "industry": "Travel",
        "size_band": "250-999",
        "region": "France",
        "notes": "Wants to move from Radiate to Align this year.",
    },
]


class Command(BaseCommand):
    help = "Create the Demo Consulting workspace with an owner, a consultant, a viewer and clients."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # A fixed id: a real workspace that happens to share the name is never touched.
        workspace, _ = Workspace.objects.get_or_create(
            id=DEMO_WORKSPACE_ID, defaults={"name": "Demo Consulting"}
        )
        for email, name, role in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
            Membership.objects.update_or_create(
                workspace=workspace, user=user, defaults={"role": role}
            )
        for fields in DEMO_CLIENTS:
            if not Client.objects.filter(workspace=workspace, name=fields["name"]).exists():
                client_create(workspace=workspace, **fields)
        default_questionnaire()
        northwind = Client.objects.get(workspace=workspace, name="Northwind Retail")
        consultant = User.objects.get(email=DEMO_USERS[1][0])
        seed_northwind(client=northwind, consultant=consultant)
        seed_northwind_plan(client=northwind)
        seed_northwind_insights(client=northwind, requested_by=consultant)
        seed_northwind_playbook(client=northwind, requested_by=consultant)
        self.stdout.write(self.style.SUCCESS("Demo workspace “Demo Consulting” is ready."))
        self.stdout.write(f"Sign in with any of these (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in DEMO_USERS:
            self.stdout.write(f"  {role.label:<11} {email}")

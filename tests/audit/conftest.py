from datetime import date

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from kpis.inputs import KPIInput
from kpis.services import kpi_create, plan_create
from playbooks.services import campaign_save, document_request
from tests.factories import MembershipFactory
from workspaces.models import ClientAccess, ClientRole, Role


@pytest.fixture
def client_member(acme_client):
    """A client viewer of `acme_client` only."""
    membership = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    ClientAccess.objects.create(membership=membership, client=acme_client, role=ClientRole.VIEWER)
    return membership.user


@pytest.fixture
def api(owner):
    api = APIClient()
    api.force_authenticate(owner)
    return api


@pytest.fixture
def plan_with_kpi(acme_client):
    plan = plan_create(client=acme_client, title="Plan 2026")
    kpi = kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name="Net promoter score",
                direction="increase",
                baseline=30,
                target=40,
                start=date(2026, 1, 1),
                due=date(2026, 12, 31),
            )
        ),
    )
    return plan, kpi


@pytest.fixture
def campaign(acme_client):
    return campaign_save(
        client=acme_client,
        fields={"name": "Relaunch", "journey": "shopping", "lifecycle_stage": "purchase"},
    )


@pytest.fixture
def rendered_playbook(acme_client):
    """A finished playbook PDF (its bytes need not be a real render here)."""
    document = document_request(client=acme_client, kind="playbook", enqueue=False)
    document.file.save("x.pdf", ContentFile(b"%PDF-1.7 audit"), save=False)
    document.status = "done"
    document.save()
    return document

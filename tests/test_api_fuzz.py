"""Schemathesis fuzzes every operation of the OpenAPI schema, so new endpoints are covered
as soon as they are documented: no 5xx, and every answer matches the schema."""

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.services import respondent_invite, respondent_link
from cxmaturity.wsgi import application
from insights.services import analysis_request, analysis_run
from kpis.inputs import ItemInput, KPIInput
from kpis.services import item_create, kpi_create, period_save, plan_create
from playbooks.services import campaign_save, document_request
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory, InvitationFactory, MembershipFactory
from workspaces.models import Role
from workspaces.tokens import api_token_create

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=25)

# Ids of the rows the current test made; half the generated ids are swapped for them so
# that fuzzing reaches real objects and not only 404s.
REAL_IDS: dict[str, str] = {}
ID_FOR_PATH = {
    "clients": "client",
    "members": "membership",
    "invitations": "invitation",
    "questionnaires": "version",
    "assessments": "assessment",
    "respondents": "respondent",
    "plans": "plan",
    "themes": "theme",
    "strategic-objectives": "objective",
    "marketing-objectives": "marketing",
    "digital-goals": "goal",
    "kpis": "kpi",
    "simulations": "period",
    "campaigns": "campaign",
    "documents": "document",
    "segment-analyses": "analysis",
}


@schema.hook
def map_path_parameters(context, path_parameters):
    if not REAL_IDS or not path_parameters:
        return path_parameters
    for name, value in path_parameters.items():
        if str(value)[:1] not in set("01234567"):
            continue
        if name in ("workspace_id", "assessment_id", "plan_id", "client_id", "token"):
            path_parameters[name] = REAL_IDS[name.removesuffix("_id")]
        elif name in ("pk", "id"):
            segments = context.operation.path.split("/{id}/")[0].split("/")
            path_parameters[name] = REAL_IDS[ID_FOR_PATH.get(segments[-1], "workspace")]
    return path_parameters


@pytest.fixture
def token(db):
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    owner = MembershipFactory(role=Role.OWNER)
    workspace = owner.workspace
    consultant = MembershipFactory(workspace=workspace, role=Role.CONSULTANT)
    client = ClientFactory(workspace=workspace)
    version = small_version(workspace=workspace)
    assessment = open_assessment(client=client, version=version, respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    REAL_IDS.update(
        workspace=str(workspace.id),
        client=str(client.id),
        membership=str(consultant.id),
        invitation=str(InvitationFactory(workspace=workspace).id),
        version=str(version.id),
        assessment=str(assessment.id),
        respondent=str(respondent.id),
        token=respondent_link(respondent).rstrip("/").rsplit("/", 1)[1],
        plan=str((plan := plan_create(client=client, title="Plan")).id),
    )
    theme = item_create(plan=plan, data=ItemInput.from_values("theme", {"name": "T"}))
    objective = item_create(
        plan=plan,
        data=ItemInput.from_values("strategic_objective", {"theme": theme.id, "statement": "S"}),
    )
    marketing = item_create(
        plan=plan,
        data=ItemInput.from_values(
            "marketing_objective", {"strategic_objective": objective.id, "statement": "M"}
        ),
    )
    goal = item_create(
        plan=plan,
        data=ItemInput.from_values(
            "digital_goal", {"marketing_objective": marketing.id, "name": "G"}
        ),
    )
    kpi = kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name="K",
                direction="increase",
                baseline=1,
                target=2,
                start=date(2026, 1, 1),
                due=date(2026, 12, 31),
            )
        ),
    )
    REAL_IDS.update(
        theme=str(theme.id),
        objective=str(objective.id),
        marketing=str(marketing.id),
        goal=str(goal.id),
        kpi=str(kpi.id),
        period=str(period_save(plan=plan, name="March", visits=10, conversions={}).id),
        campaign=str(
            (
                campaign := campaign_save(
                    client=client,
                    fields={"name": "C", "journey": "shopping", "lifecycle_stage": "purchase"},
                )
            ).id
        ),
    )
    analysis = analysis_request(
        client=client,
        data=b"customer_id,date,amount\nc1,2026-01-01,10\nc1,2026-02-01,12\n",
        name="T",
        as_of=date(2026, 3, 1),
        enqueue=False,
    )
    REAL_IDS["analysis"] = str(analysis_run(analysis_id=analysis.id).id)
    REAL_IDS["document"] = str(
        document_request(client=client, kind="campaign_plan", campaign=campaign).id
    )
    yield api_token_create(user=owner.user, name="Fuzz", two_factor_verified=False)[1]
    REAL_IDS.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_answers_every_request_without_5xx_and_as_documented(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ],
    )

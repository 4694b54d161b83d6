"""Tenant walls, generated from the URL conf.

Every route that takes an object id must have a case in ROUTE_CASES: a new route without
one makes `test_every_route_with_an_id_has_a_case` fail, so later issues stay covered.
"""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from assessments.models import Action
from insights.services import analysis_request, analysis_run
from kpis.services import item_create, kpi_create, period_save, plan_create
from playbooks.services import campaign_save, document_request
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory, InvitationFactory, MembershipFactory, WorkspaceFactory
from workspaces.models import Role

pytestmark = pytest.mark.django_db

ID_PATTERN = re.compile(r"<uuid:\w+>|\(\?P<\w+>\[0-9a-fA-F-\]\{36\}\)")
SKIPPED_PREFIXES = ("admin/",)  # staff-only Django admin

ASSESSMENT = {"workspace_id": "workspace", "assessment_id": "assessment"}
RESPONDENT = {**ASSESSMENT, "respondent_id": "respondent"}
API_ASSESSMENT = {"workspace_id": "workspace", "pk": "assessment"}
ACTION = {**ASSESSMENT, "action_id": "action"}
PLAN = {"workspace_id": "workspace", "plan_id": "plan"}
CLIENT = {"workspace_id": "workspace", "client_id": "client"}
CAMPAIGN = {"workspace_id": "workspace", "campaign_id": "campaign"}
DOCUMENT = {"workspace_id": "workspace", "document_id": "document"}
API_RESPONDENT = {**ASSESSMENT, "pk": "respondent"}

# url name → (which object each URL argument names, the methods that write)
ROUTE_CASES = {
    "workspace_dashboard": ({"workspace_id": "workspace"}, []),
    "client_list": ({"workspace_id": "workspace"}, []),
    "client_create": ({"workspace_id": "workspace"}, ["post"]),
    "client_detail": ({"workspace_id": "workspace", "client_id": "client"}, []),
    "client_edit": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "client_archive": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "client_delete": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "member_list": ({"workspace_id": "workspace"}, ["post"]),
    "member_edit": ({"workspace_id": "workspace", "membership_id": "membership"}, ["post"]),
    "member_remove": ({"workspace_id": "workspace", "membership_id": "membership"}, ["post"]),
    "invitation_revoke": ({"workspace_id": "workspace", "invitation_id": "invitation"}, ["post"]),
    "invitation_resend": ({"workspace_id": "workspace", "invitation_id": "invitation"}, ["post"]),
    "workspace_settings": ({"workspace_id": "workspace"}, ["post"]),
    "workspace_logo": ({"workspace_id": "workspace"}, []),
    "workspace-detail": ({"pk": "workspace"}, []),
    "api-client-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-client-detail": ({"workspace_id": "workspace", "pk": "client"}, ["patch", "delete"]),
    "api-member-list": ({"workspace_id": "workspace"}, []),
    "api-member-detail": ({"workspace_id": "workspace", "pk": "membership"}, ["patch", "delete"]),
    "api-invitation-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-invitation-detail": ({"workspace_id": "workspace", "pk": "invitation"}, ["delete"]),
    "questionnaire_list": ({"workspace_id": "workspace"}, ["post"]),
    "questionnaire_detail": ({"workspace_id": "workspace", "version_id": "version"}, []),
    "questionnaire_download": ({"workspace_id": "workspace", "version_id": "version"}, []),
    "assessment_create": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "assessment_detail": (ASSESSMENT, []),
    "assessment_edit": (ASSESSMENT, ["post"]),
    "assessment_status": (ASSESSMENT, ["post"]),
    "assessment_delete": (ASSESSMENT, ["post"]),
    "consensus": ({**ASSESSMENT, "page": 1}, ["post"]),
    "respondent_add": (ASSESSMENT, ["post"]),
    "respondent_import": (ASSESSMENT, ["post"]),
    "respondents_invite_all": (ASSESSMENT, ["post"]),
    "respondent_edit": (RESPONDENT, ["post"]),
    "respondent_remove": (RESPONDENT, ["post"]),
    "respondent_revoke": (RESPONDENT, ["post"]),
    "respondent_action": (RESPONDENT, ["post"]),
    "respondent_link": (RESPONDENT, []),
    "api-questionnaire-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-questionnaire-detail": ({"workspace_id": "workspace", "pk": "version"}, []),
    "api-questionnaire-export": ({"workspace_id": "workspace", "pk": "version"}, []),
    "api-assessment-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-assessment-detail": (API_ASSESSMENT, ["patch", "delete"]),
    "api-assessment-open": (API_ASSESSMENT, ["post"]),
    "api-assessment-close": (API_ASSESSMENT, ["post"]),
    "api-assessment-progress": (API_ASSESSMENT, []),
    "api-respondent-list": (ASSESSMENT, ["post"]),
    "api-respondent-detail": (API_RESPONDENT, ["patch", "delete"]),
    "api-respondent-invite": (API_RESPONDENT, ["post"]),
    "api-respondent-remind": (API_RESPONDENT, ["post"]),
    "api-respondent-revoke": (API_RESPONDENT, ["post"]),
    "api-respondent-reissue": (API_RESPONDENT, ["post"]),
    "api-respondent-link": (API_RESPONDENT, []),
    "api-assessment-results": (API_ASSESSMENT, []),
    "assessment_results": (ASSESSMENT, []),
    "assessment_targets": (ASSESSMENT, ["post"]),
    "roadmap": (ASSESSMENT, []),
    "assessment_run_again": (ASSESSMENT, ["post"]),
    "assessment_compare": (ASSESSMENT, []),
    "assessment_export": ({**ASSESSMENT, "kind": "answers", "fmt": "csv"}, []),
    "api-assessment-compare": (API_ASSESSMENT, []),
    "api-assessment-run-again": (API_ASSESSMENT, ["post"]),
    "api-plan-list": ({"workspace_id": "workspace"}, ["post"]),
    "plan_create": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "plan_detail": (PLAN, []),
    "plan_activate": (PLAN, ["post"]),
    "scorecard": (PLAN, []),
    "plan_kpis": (PLAN, ["post"]),
    "plan_kpi_edit": ({**PLAN, "kpi_id": "kpi"}, ["post"]),
    "alignment_map": (PLAN, []),
    "simulator": (PLAN, ["post"]),
    "plan_scale": (PLAN, ["post"]),
    "plan_measurements": (PLAN, ["post"]),
    "plan_step": ({**PLAN, "step": "themes"}, ["post"]),
    "plan_step_item": ({**PLAN, "step": "themes", "item_id": "theme"}, ["post"]),
    "plan_step_item_edit": ({**PLAN, "step": "themes", "item_id": "theme"}, ["post"]),
    "api-plan-detail": ({"workspace_id": "workspace", "pk": "plan"}, []),
    "api-plan-activate": ({"workspace_id": "workspace", "pk": "plan"}, ["post"]),
    "api-plan-coverage": ({"workspace_id": "workspace", "pk": "plan"}, []),
    "api-plan-scorecard": ({"workspace_id": "workspace", "pk": "plan"}, []),
    "api-plan-themes": (PLAN, ["post"]),
    "api-plan-strategic-objectives": (PLAN, ["post"]),
    "api-plan-marketing-objectives": (PLAN, ["post"]),
    "api-plan-digital-goals": (PLAN, ["post"]),
    "api-plan-kpis": (PLAN, ["post"]),
    "api-plan-kpi-detail": ({**PLAN, "pk": "kpi"}, ["patch", "delete"]),
    "api-plan-themes-detail": ({**PLAN, "pk": "theme"}, ["patch", "delete"]),
    "api-plan-strategic-objectives-detail": ({**PLAN, "pk": "objective"}, ["patch", "delete"]),
    "api-plan-marketing-objectives-detail": ({**PLAN, "pk": "marketing"}, ["patch", "delete"]),
    "api-plan-digital-goals-detail": ({**PLAN, "pk": "goal"}, ["patch", "delete"]),
    "api-plan-measurements": (PLAN, ["post"]),
    "api-plan-scale": (PLAN, ["put"]),
    "api-plan-simulations": (PLAN, ["post"]),
    "api-plan-simulation-detail": ({**PLAN, "pk": "period"}, ["delete"]),
    "roadmap_suggest": (ASSESSMENT, ["post"]),
    "action_create": (ASSESSMENT, ["post"]),
    "action_edit": (ACTION, ["post"]),
    "action_delete": (ACTION, ["post"]),
    "action_quick": (ACTION, ["post"]),
    "api-action-list": (ASSESSMENT, ["post"]),
    "api-action-detail": ({**ASSESSMENT, "pk": "action"}, ["patch", "delete"]),
    "api-action-suggest": (ASSESSMENT, ["post"]),
    "campaign_list": (CLIENT, []),
    "campaign_create": (CLIENT, ["post"]),
    "campaign_draft": (CLIENT, ["post"]),
    "document_list": (CLIENT, ["post"]),
    "campaign_detail": (CAMPAIGN, []),
    "campaign_edit": (CAMPAIGN, ["post"]),
    "campaign_delete": (CAMPAIGN, ["post"]),
    "campaign_document": (CAMPAIGN, ["post"]),
    "document_detail": (DOCUMENT, []),
    "document_download": (DOCUMENT, []),
    "insights": (CLIENT, ["post"]),
    "listening": (CLIENT, ["post"]),
    "listening_tactic": (CLIENT, ["post"]),
    "api-segment-analysis-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-segment-analysis-detail": (
        {"workspace_id": "workspace", "pk": "analysis"},
        ["patch", "delete"],
    ),
    "api-client-listening": (CLIENT, ["post"]),
    "segment_analysis": ({"workspace_id": "workspace", "analysis_id": "analysis"}, ["post"]),
    "segment_analysis_delete": (
        {"workspace_id": "workspace", "analysis_id": "analysis"},
        ["post"],
    ),
    "api-campaign-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-campaign-draft": ({"workspace_id": "workspace"}, ["post"]),
    "api-campaign-detail": ({"workspace_id": "workspace", "pk": "campaign"}, ["patch", "delete"]),
    "api-document-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-document-detail": ({"workspace_id": "workspace", "pk": "document"}, ["delete"]),
}

POST_ONLY = {
    "invitation_resend",
    "assessment_status",
    "respondents_invite_all",
    "respondent_action",
    "api-assessment-open",
    "api-assessment-close",
    "api-respondent-invite",
    "api-respondent-remind",
    "api-respondent-revoke",
    "api-respondent-reissue",
    "assessment_targets",
    "roadmap_suggest",
    "action_quick",
    "api-action-suggest",
    "assessment_run_again",
    "api-assessment-run-again",
    "api-plan-activate",
    "api-plan-measurements",
    "plan_create",
    "plan_activate",
    "campaign_draft",
    "campaign_document",
    "api-campaign-draft",
    "listening_tactic",
}


def _methods(name):
    writes = ROUTE_CASES[name][1]
    return writes if name in POST_ONLY else ["get", *writes]


def _routes_with_ids(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES) or route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _routes_with_ids(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and ID_PATTERN.search(route):
            yield entry.name, route


def test_every_route_with_an_id_has_a_case():
    missing = {name for name, _route in _routes_with_ids()} - set(ROUTE_CASES)
    assert not missing, f"Add tenant-isolation cases for: {sorted(missing)}"


@pytest.fixture
def world():
    """Workspace A with one of everything, and a viewer of A; an outsider owning B."""
    workspace = WorkspaceFactory()
    owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
    viewer = MembershipFactory(workspace=workspace, role=Role.VIEWER)
    other = MembershipFactory(role=Role.OWNER)
    objects = _one_of_everything(workspace, owner)
    own = _one_of_everything(other.workspace, other)
    return {"objects": objects, "own": own, "viewer": viewer.user, "outsider": other.user}


def _one_of_everything(workspace, membership):
    client = ClientFactory(workspace=workspace)
    version = small_version(workspace=workspace)
    assessment = open_assessment(client=client, version=version, respondents=1)
    return {
        "workspace": workspace,
        "client": client,
        "membership": membership,
        "invitation": InvitationFactory(workspace=workspace),
        "version": version,
        "assessment": assessment,
        "respondent": assessment.respondents.get(),
        "action": Action.objects.create(assessment=assessment, title="Name an owner"),
        "plan": (plan := plan_create(client=client, title="Plan")),
        "theme": (theme := item_create(plan=plan, step="theme", name="Theme")),
        "objective": (
            objective := item_create(
                plan=plan, step="strategic_objective", parent_id=theme.id, statement="S"
            )
        ),
        "marketing": (
            marketing := item_create(
                plan=plan, step="marketing_objective", parent_id=objective.id, statement="M"
            )
        ),
        "goal": item_create(plan=plan, step="digital_goal", parent_id=marketing.id, name="G"),
        "kpi": kpi_create(
            plan=plan,
            name="K",
            direction="increase",
            baseline=1,
            target=2,
            start=date(2026, 1, 1),
            due=date(2026, 12, 31),
        ),
        "period": period_save(plan=plan, name="March", visits=10, conversions={}),
        "campaign": (campaign := campaign_save(client=client, fields=CAMPAIGN_FIELDS)),
        "document": _rendered(client, campaign),
        "analysis": _analysed(client),
    }


def _analysed(client):
    analysis = analysis_request(
        client=client,
        data=b"customer_id,date,amount\nc1,2026-01-01,10\nc1,2026-02-01,12\n",
        name="T",
        as_of=date(2026, 3, 1),
        enqueue=False,
    )
    return analysis_run(analysis_id=analysis.id)


CAMPAIGN_FIELDS = {"name": "Relaunch", "journey": "shopping", "lifecycle_stage": "purchase"}


def _rendered(client, campaign):
    """A finished campaign plan PDF (its bytes need not be a real render here)."""
    from django.core.files.base import ContentFile

    document = document_request(client=client, kind="campaign_plan", campaign=campaign)
    document.file.save("x.pdf", ContentFile(b"%PDF-1.7 isolation"), save=False)
    document.status = "done"
    document.save()
    return document


def _url(name, arguments, objects):
    kwargs = {arg: objects[kind].id if kind in objects else kind for arg, kind in arguments.items()}
    return reverse(name, kwargs=kwargs)


def _call(client, method, url):
    kwargs = {"format": "json"} if isinstance(client, APIClient) else {}
    return getattr(client, method)(url, {}, **kwargs) if method != "get" else client.get(url)


def _client_for(name, user):
    client = APIClient() if name.startswith(("api-", "workspace-")) else None
    if client is None:
        from django.test import Client

        client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(ROUTE_CASES))
def test_member_of_another_workspace_gets_404_everywhere(name, world):
    arguments, _writes = ROUTE_CASES[name]
    client = _client_for(name, world["outsider"])
    url = _url(name, arguments, world["objects"])
    for method in _methods(name):
        assert _call(client, method, url).status_code == 404, (method, url)


@pytest.mark.parametrize("name", sorted(n for n, (args, _) in ROUTE_CASES.items() if len(args) > 1))
def test_foreign_object_under_own_workspace_is_404(name, world):
    """The outsider's own workspace id with workspace A's object id still finds nothing."""
    arguments, _writes = ROUTE_CASES[name]
    client = _client_for(name, world["outsider"])
    objects = {**world["objects"], "workspace": world["own"]["workspace"]}
    url = _url(name, arguments, objects)
    for method in _methods(name):
        assert _call(client, method, url).status_code == 404, (method, url)


@pytest.mark.parametrize("name", sorted(n for n, (_, writes) in ROUTE_CASES.items() if writes))
def test_viewer_gets_403_on_every_write(name, world):
    arguments, writes = ROUTE_CASES[name]
    client = _client_for(name, world["viewer"])
    url = _url(name, arguments, world["objects"])
    for method in writes:
        assert _call(client, method, url).status_code == 403, (method, url)


@pytest.mark.parametrize("name", sorted(ROUTE_CASES))
def test_viewer_reads_are_not_server_errors(name, world):
    arguments, _writes = ROUTE_CASES[name]
    client = _client_for(name, world["viewer"])
    response = client.get(_url(name, arguments, world["objects"]))
    assert response.status_code in (200, 302, 403, 404, 405)
    assert response.status_code < 500


def test_malformed_ids_in_page_urls_are_404(client, owner, workspace):
    client.force_login(owner)
    for url in [
        "/w/not-a-uuid/",
        f"/w/{workspace.id}/clients/123/",
        f"/w/{workspace.id}/clients/{workspace.id}x/edit/",
    ]:
        assert client.get(url).status_code == 404, url

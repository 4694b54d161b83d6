"""Tenant and client walls, generated from the URL conf.

Every route that takes an object id must have a case in ROUTE_CASES: a new route without
one makes `test_every_route_with_an_id_has_a_case` fail, so later issues stay covered.
The same cases prove the client wall: every route whose id names a client's object
answers 404 to a member of another client (and to a consultant limited to another
client), and every list (LIST_CASES, also checked for completeness) shows only the
clients a member was granted.
"""

import re
from datetime import date

import pytest
from auditlog.context import disable_auditlog
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from assessments.models import Action
from insights.models import ListeningImport
from insights.services import analysis_request, analysis_run
from insights.services.uploads import upload_start
from kpis.inputs import ItemInput, KPIInput
from kpis.services import item_create, kpi_create, measurement_add, period_save, plan_create
from playbooks.services import campaign_save, document_request
from tests.assessments.factories import open_assessment, small_version
from tests.factories import (
    ClientFactory,
    InvitationFactory,
    MembershipFactory,
    WorkspaceFactory,
    grant_client,
)
from workspaces.models import Client, ClientRole, Role, User
from workspaces.tokens import api_token_create

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
TEAM = {**CLIENT, "access_id": "access"}
TEAM_INVITATION = {**CLIENT, "invitation_id": "client_invitation"}
UPLOAD = {"workspace_id": "workspace", "pk": "upload"}

# url name → (which object each URL argument names, the methods that write)
ROUTE_CASES = {
    "workspace_dashboard": ({"workspace_id": "workspace"}, []),
    "audit_event_list": ({"workspace_id": "workspace"}, []),
    "audit_export": ({"workspace_id": "workspace"}, []),
    "api-audit-list": ({"workspace_id": "workspace"}, []),
    # A user's own token: anyone else's answers 404 (test_someone_elses_token_is_404).
    "api-token-detail": ({"pk": "token"}, []),
    "client_team": (CLIENT, ["post"]),
    "client_access_edit": (TEAM, ["post"]),
    "client_access_remove": (TEAM, ["post"]),
    "client_invitation_revoke": (TEAM_INVITATION, ["post"]),
    "client_invitation_resend": (TEAM_INVITATION, ["post"]),
    "api-client-team-list": (CLIENT, []),
    "api-client-team-detail": ({**CLIENT, "pk": "access"}, ["patch", "delete"]),
    "api-client-invitation-list": (CLIENT, ["post"]),
    "api-client-invitation-detail": ({**CLIENT, "pk": "client_invitation"}, ["delete"]),
    "client_list": ({"workspace_id": "workspace"}, []),
    "client_create": ({"workspace_id": "workspace"}, ["post"]),
    "client_detail": ({"workspace_id": "workspace", "client_id": "client"}, []),
    # The client hub's tabs.
    "client_assessments": (CLIENT, []),
    "client_results": (CLIENT, []),
    "client_roadmap": (CLIENT, []),
    "client_plans": (CLIENT, []),
    "client_edit": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "client_archive": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "client_delete": ({"workspace_id": "workspace", "client_id": "client"}, ["post"]),
    "client_backup": (CLIENT, []),
    "workspace_backup": ({"workspace_id": "workspace"}, []),
    "client_trash": ({"workspace_id": "workspace"}, []),
    # Only a trashed client is found here: the world's live ones answer 404 to owners too.
    "client_restore": (CLIENT, ["post"]),
    "client_purge": (CLIENT, ["post"]),
    "member_list": ({"workspace_id": "workspace"}, ["post"]),
    "member_edit": ({"workspace_id": "workspace", "membership_id": "membership"}, ["post"]),
    "member_remove": ({"workspace_id": "workspace", "membership_id": "membership"}, ["post"]),
    "invitation_revoke": ({"workspace_id": "workspace", "invitation_id": "invitation"}, ["post"]),
    "invitation_resend": ({"workspace_id": "workspace", "invitation_id": "invitation"}, ["post"]),
    "workspace_settings": ({"workspace_id": "workspace"}, ["post"]),
    "workspace_logo": ({"workspace_id": "workspace"}, []),
    "workspace-detail": ({"pk": "workspace"}, []),
    "api-workspace-benchmark-pool": ({"workspace_id": "workspace"}, ["put"]),
    "workspace_benchmark_pool": ({"workspace_id": "workspace"}, ["post"]),
    "api-workspace-roadmap-digest": ({"workspace_id": "workspace"}, ["put"]),
    "workspace_roadmap_digest": ({"workspace_id": "workspace"}, ["post"]),
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
    "assessment_invite": (ASSESSMENT, ["post"]),
    "assessment_close": (ASSESSMENT, ["post"]),
    "assessment_delete": (ASSESSMENT, ["post"]),
    "consensus": ({**ASSESSMENT, "page": 1}, ["post"]),
    "respondent_add": (ASSESSMENT, ["post"]),
    "respondent_import": (ASSESSMENT, ["post"]),
    "respondents_invite_all": (ASSESSMENT, ["post"]),
    "respondent_edit": (RESPONDENT, ["post"]),
    "respondent_remove": (RESPONDENT, ["post"]),
    "respondent_revoke": (RESPONDENT, ["post"]),
    "respondent_reissue": (RESPONDENT, ["post"]),
    "respondent_action": (RESPONDENT, ["post"]),
    "respondent_link": (RESPONDENT, []),
    "respondent_erase": (RESPONDENT, ["post"]),
    "api-respondent-erase": (API_RESPONDENT, ["post"]),
    "personal_data": ({"workspace_id": "workspace"}, []),
    "api-personal-data": ({"workspace_id": "workspace"}, []),
    "api-questionnaire-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-questionnaire-detail": ({"workspace_id": "workspace", "pk": "version"}, []),
    "api-questionnaire-export": ({"workspace_id": "workspace", "pk": "version"}, []),
    "api-assessment-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-assessment-detail": (API_ASSESSMENT, ["patch", "delete"]),
    "api-assessment-open": (API_ASSESSMENT, ["post"]),
    "api-assessment-close": (API_ASSESSMENT, ["post"]),
    "api-assessment-progress": (API_ASSESSMENT, []),
    "api-respondent-list": (ASSESSMENT, ["post"]),
    "api-respondent-import": (ASSESSMENT, ["post"]),
    "api-respondent-detail": (API_RESPONDENT, ["patch", "delete"]),
    "api-respondent-invite": (API_RESPONDENT, ["post"]),
    "api-respondent-remind": (API_RESPONDENT, ["post"]),
    "api-respondent-revoke": (API_RESPONDENT, ["post"]),
    "api-respondent-reissue": (API_RESPONDENT, ["post"]),
    "api-respondent-link": (API_RESPONDENT, []),
    "api-assessment-results": (API_ASSESSMENT, []),
    "assessment_results": (ASSESSMENT, []),
    "assessment_targets": (ASSESSMENT, ["post"]),
    "assessment_benchmark_filters": (ASSESSMENT, ["post"]),
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
    "plan_kpi": ({**PLAN, "kpi_id": "kpi"}, ["post"]),
    "plan_kpi_edit": ({**PLAN, "kpi_id": "kpi"}, ["post"]),
    "plan_measurement_edit": ({**PLAN, "measurement_id": "measurement"}, ["post"]),
    "plan_measurement_delete": ({**PLAN, "measurement_id": "measurement"}, ["post"]),
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
    "api-plan-kpi-measurements": ({**PLAN, "pk": "kpi"}, []),
    "api-plan-measurement-detail": ({**PLAN, "pk": "measurement"}, ["patch", "delete"]),
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
    "document_preflight": (CLIENT, ["post"]),
    "campaign_detail": (CAMPAIGN, []),
    "campaign_edit": (CAMPAIGN, ["post"]),
    "campaign_delete": (CAMPAIGN, ["post"]),
    "campaign_document": (CAMPAIGN, ["post"]),
    "campaign_results": (CAMPAIGN, []),
    "campaign_test_results": (CAMPAIGN, ["post"]),
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
    "api-insight-upload-start": ({"workspace_id": "workspace"}, ["post"]),
    "api-insight-upload-detail": (UPLOAD, []),
    "api-insight-upload-chunk": ({**UPLOAD, "index": 0}, ["put"]),
    "api-insight-upload-complete": (UPLOAD, ["post"]),
    "api-segment-analysis-from-storage": ({"workspace_id": "workspace"}, ["post"]),
    "api-listening-import-list": ({"workspace_id": "workspace"}, []),
    "api-listening-import-detail": ({"workspace_id": "workspace", "pk": "listening_import"}, []),
    "api-listening-import-from-storage": ({"workspace_id": "workspace"}, ["post"]),
    "segment_analysis": ({"workspace_id": "workspace", "analysis_id": "analysis"}, ["post"]),
    "segment_analysis_delete": (
        {"workspace_id": "workspace", "analysis_id": "analysis"},
        ["post"],
    ),
    "segment_analysis_at_risk_csv": ({"workspace_id": "workspace", "analysis_id": "analysis"}, []),
    "segment_analysis_compare": (
        {"workspace_id": "workspace", "analysis_id": "analysis", "other_id": "analysis_later"},
        [],
    ),
    "api-segment-analysis-at-risk": ({"workspace_id": "workspace", "pk": "analysis"}, []),
    "api-segment-analysis-compare": (
        {"workspace_id": "workspace", "pk": "analysis", "other_id": "analysis_later"},
        [],
    ),
    "api-campaign-list": ({"workspace_id": "workspace"}, ["post"]),
    "api-campaign-draft": ({"workspace_id": "workspace"}, ["post"]),
    "api-campaign-detail": ({"workspace_id": "workspace", "pk": "campaign"}, ["patch", "delete"]),
    "api-campaign-results": ({"workspace_id": "workspace", "pk": "campaign"}, []),
    "api-campaign-test-results": ({"workspace_id": "workspace", "pk": "campaign"}, ["put"]),
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
    "assessment_benchmark_filters",
    "api-workspace-benchmark-pool",
    "workspace_benchmark_pool",
    "api-workspace-roadmap-digest",
    "workspace_roadmap_digest",
    "roadmap_suggest",
    "action_quick",
    "api-action-suggest",
    "api-respondent-import",
    "assessment_run_again",
    "api-assessment-run-again",
    "api-plan-activate",
    "api-plan-measurements",
    "plan_create",
    "plan_activate",
    "campaign_draft",
    "campaign_document",
    "api-campaign-draft",
    "campaign_test_results",
    "api-campaign-test-results",
    "listening_tactic",
    "client_invitation_resend",
    "api-respondent-erase",
    "api-insight-upload-start",
    "api-insight-upload-chunk",
    "api-insight-upload-complete",
    "api-segment-analysis-from-storage",
    "api-listening-import-from-storage",
}

# Objects that belong to a client: a route naming one is behind the client wall.
CLIENT_OWNED = {
    "client",
    "assessment",
    "respondent",
    "action",
    "plan",
    "theme",
    "objective",
    "marketing",
    "goal",
    "kpi",
    "measurement",
    "period",
    "campaign",
    "document",
    "analysis",
    "analysis_later",
    "upload",
    "listening_import",
    "access",
    "client_invitation",
}

# Lists of client-owned rows: url name → (URL arguments, whether it is JSON). A client
# member of the other client must find none of the first client's rows in them.
LIST_CASES = {
    "workspace_dashboard": ({"workspace_id": "workspace"}, False),
    "client_list": ({"workspace_id": "workspace"}, False),
    "api-client-list": ({"workspace_id": "workspace"}, True),
    "api-assessment-list": ({"workspace_id": "workspace"}, True),
    "api-plan-list": ({"workspace_id": "workspace"}, True),
    "api-campaign-list": ({"workspace_id": "workspace"}, True),
    "api-document-list": ({"workspace_id": "workspace"}, True),
    "api-segment-analysis-list": ({"workspace_id": "workspace"}, True),
    "api-listening-import-list": ({"workspace_id": "workspace"}, True),
}
# Workspace-level lists that are not of client-owned rows (or not for client members).
NOT_CLIENT_LISTS = {
    "api-member-list",
    "api-invitation-list",
    "api-questionnaire-list",
    "api-token-list",
    "api-audit-list",
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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and deleted after it: every case only asks, and each
    test's own writes roll back, so the hundreds of cases share one world. Built with no
    email or render task sent for a worker, and leaving no audit trail behind for the
    tests that read it."""
    with django_db_blocker.unblock():
        with (
            disable_auditlog(),
            transaction.atomic(),
            TestCase.captureOnCommitCallbacks(execute=False),
        ):
            built = _world()
        yield built
        workspaces = [built["objects"]["workspace"], built["own"]["workspace"]]
        users = User.objects.filter(memberships__workspace__in=workspaces).distinct()
        user_ids = list(users.values_list("id", flat=True))
        with disable_auditlog():
            # Clients first: their assessments hold the questionnaires the workspaces own.
            Client.objects.filter(workspace__in=workspaces).delete()
            for workspace in workspaces:
                workspace.delete()
            User.objects.filter(id__in=user_ids).delete()


def _world():
    """Workspace A with one of everything for client X and again for client Y; a client
    viewer of X; members of Y only (client viewer, client contributor, a consultant
    limited to Y); an outsider owning workspace B."""
    workspace = WorkspaceFactory()
    owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
    other = MembershipFactory(role=Role.OWNER)
    objects = _one_of_everything(workspace, owner)
    neighbours = _one_of_everything(workspace, owner)
    viewer = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    grant_client(viewer, objects["client"])
    neighbour_viewer = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    grant_client(neighbour_viewer, neighbours["client"])
    neighbour_contributor = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    grant_client(neighbour_contributor, neighbours["client"], role=ClientRole.CONTRIBUTOR)
    limited = MembershipFactory(
        workspace=workspace, role=Role.CONSULTANT, assigned_clients_only=True
    )
    grant_client(limited, neighbours["client"])
    own = _one_of_everything(other.workspace, other)
    return {
        "objects": objects,
        "neighbours": neighbours,
        "own": own,
        "viewer": viewer.user,
        "outsider": other.user,
        "other_clients": {
            "client viewer": neighbour_viewer.user,
            "client contributor": neighbour_contributor.user,
            "limited consultant": limited.user,
        },
    }


def _one_of_everything(workspace, membership):
    client = ClientFactory(workspace=workspace)
    team_member = MembershipFactory(workspace=workspace, role=Role.CLIENT)
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
        "theme": (
            theme := item_create(plan=plan, data=ItemInput.from_values("theme", {"name": "Theme"}))
        ),
        "objective": (
            objective := item_create(
                plan=plan,
                data=ItemInput.from_values(
                    "strategic_objective", {"theme": theme.id, "statement": "S"}
                ),
            )
        ),
        "marketing": (
            marketing := item_create(
                plan=plan,
                data=ItemInput.from_values(
                    "marketing_objective", {"strategic_objective": objective.id, "statement": "M"}
                ),
            )
        ),
        "goal": item_create(
            plan=plan,
            data=ItemInput.from_values(
                "digital_goal", {"marketing_objective": marketing.id, "name": "G"}
            ),
        ),
        "kpi": (
            kpi := kpi_create(
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
        ),
        "measurement": measurement_add(kpi=kpi, date=date(2026, 3, 1), value=1.5),
        "period": period_save(plan=plan, name="March", visits=10, conversions={}),
        "campaign": (campaign := campaign_save(client=client, fields=CAMPAIGN_FIELDS)),
        "document": _rendered(client, campaign),
        "analysis": _analysed(client),
        "analysis_later": _analysed(client),
        "upload": upload_start(client=client, kind="transactions", file_name="t.csv", total_size=9),
        "listening_import": ListeningImport.objects.create(
            client=client, file_name="l.csv", client_brand="Northwind"
        ),
        "access": grant_client(team_member, client),
        "token": api_token_create(user=membership.user, name="T", two_factor_verified=True)[0],
        "client_invitation": InvitationFactory(
            workspace=workspace,
            client=client,
            role=Role.CLIENT,
            client_role=ClientRole.VIEWER,
        ),
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

    document = document_request(
        client=client, kind="campaign_plan", campaign=campaign, enqueue=False
    )
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


def _client_owned(name):
    return any(kind in CLIENT_OWNED for kind in ROUTE_CASES[name][0].values())


@pytest.mark.parametrize("name", sorted(n for n in ROUTE_CASES if _client_owned(n)))
@pytest.mark.parametrize("who", ["client viewer", "client contributor", "limited consultant"])
def test_member_of_another_client_gets_404_everywhere(name, who, world):
    """Client X's objects, asked for by people who reach only client Y of the same
    workspace: not found, whatever the method."""
    arguments, _writes = ROUTE_CASES[name]
    client = _client_for(name, world["other_clients"][who])
    url = _url(name, arguments, world["objects"])
    for method in _methods(name):
        assert _call(client, method, url).status_code == 404, (who, method, url)


def _list_routes():
    for name, route in _all_routes():
        if name and name.endswith("-list") and route.count("<") == 1 and "workspace_id" in route:
            yield name


def _all_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _all_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield entry.name, route


def test_every_workspace_list_has_a_client_scope_case():
    missing = set(_list_routes()) - set(LIST_CASES) - NOT_CLIENT_LISTS
    assert not missing, f"Add client-scope list cases for: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(LIST_CASES))
@pytest.mark.parametrize("who", ["client viewer", "limited consultant"])
def test_lists_show_only_the_clients_a_member_reaches(name, who, world):
    arguments, is_api = LIST_CASES[name]
    user = world["other_clients"][who]
    client = _client_for(name if is_api else "page", user)
    response = client.get(_url(name, arguments, world["objects"]))
    assert response.status_code == 200
    body = response.content.decode()
    hidden, shown = world["objects"], world["neighbours"]
    assert str(hidden["client"].id) not in body
    assert hidden["client"].name not in body
    for kind in ("assessment", "plan", "campaign", "document", "analysis", "listening_import"):
        assert str(hidden[kind].id) not in body, kind
    # …and the list is not simply empty: the member's own client is there.
    assert str(shown["client"].id) in body or shown["client"].name in body


def test_someone_elses_token_is_404_to_read_and_to_revoke(world):
    token = world["objects"]["token"]
    api = APIClient()
    api.force_login(world["viewer"])
    url = reverse("api-token-detail", kwargs={"pk": token.id})
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404
    token.refresh_from_db()  # still there

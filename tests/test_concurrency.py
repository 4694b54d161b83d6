"""Two people editing one thing at once (issue 13): nothing silently lost.

Each kind of editable object is changed through the API by two real threads against the
live test server, 20 rounds each: two changes of different fields both land; two
changes from the same revision with If-Match give one success and one 412, never two
successes. Then the same rules one request at a time (409 for a stale `revision` in the
body, 412 for a stale If-Match, ETag on answers), and the edit forms, which keep the
user's input and show the colleague's values beside it.
"""

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
import requests
from django.db import connections
from rest_framework.test import APIClient

from assessments.inputs import ActionInput, AssessmentInput
from assessments.models import Action, Assessment
from assessments.services import roadmap
from kpis import services as kpi_services
from kpis.inputs import ItemInput, KPIInput
from kpis.models import KPI, EngagementCategory, StrategicTheme
from playbooks.models import CampaignPlan
from playbooks.services import campaign_add_tactic, campaign_save
from tests.assessments.factories import open_assessment
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Client, Role
from workspaces.tokens import api_token_create

ROUNDS = 20


@dataclass
class Kind:
    """One kind of editable object: where it is, and two fields two people change."""

    name: str
    url: str
    model: type
    pk: object
    first: tuple[str, Callable[[int], object]]
    second: tuple[str, Callable[[int], object]]


def _world(consultant_user):
    workspace = consultant_user.memberships.get().workspace
    client = ClientFactory(workspace=workspace, name="Contoso")
    assessment = open_assessment(client=client, respondents=0)
    action = roadmap.action_create(
        assessment=assessment, data=ActionInput.from_values({"title": "Map the journey"})
    )
    plan = kpi_services.plan_create(client=client, title="Plan 2027")
    theme = kpi_services.item_create(
        plan=plan, data=ItemInput.from_values("theme", {"name": "Loyalty"})
    )
    kpi = kpi_services.kpi_create(
        plan=plan,
        data=KPIInput.from_values(
            dict(
                name="Repeat rate",
                direction="increase",
                baseline=10,
                target=20,
                start=datetime.date(2026, 1, 1),
                due=datetime.date(2026, 12, 31),
            )
        ),
    )
    campaign = campaign_save(
        client=client,
        fields={"name": "Win back", "journey": "shopping", "lifecycle_stage": "purchase"},
    )
    w = f"/api/v1/workspaces/{workspace.id}"
    kinds = [
        Kind("client", f"{w}/clients/{client.id}/", Client, client.id,
             ("notes", lambda r: f"notes {r}"), ("industry", lambda r: f"Industry {r}")),
        Kind("assessment", f"{w}/assessments/{assessment.id}/", Assessment, assessment.id,
             ("title", lambda r: f"Maturity {r}"), ("purpose", lambda r: f"Purpose {r}")),
        Kind("action", f"{w}/assessments/{assessment.id}/actions/{action.id}/", Action,
             action.id, ("notes", lambda r: f"note {r}"), ("owner_name", lambda r: f"Ann {r}")),
        Kind("plan item", f"{w}/plans/{plan.id}/themes/{theme.id}/", StrategicTheme, theme.id,
             ("name", lambda r: f"Loyalty {r}"), ("description", lambda r: f"Why {r}")),
        Kind("kpi", f"{w}/plans/{plan.id}/kpis/{kpi.id}/", KPI, kpi.id,
             ("owner", lambda r: f"Bo {r}"), ("data_source", lambda r: f"GA4 {r}")),
        Kind("campaign", f"{w}/campaigns/{campaign.id}/", CampaignPlan, campaign.id,
             ("purpose", lambda r: f"Purpose {r}"), ("segment", lambda r: f"Lapsed {r}")),
    ]  # fmt: skip
    return workspace, plan, campaign, kinds


def _value(kind: Kind, field: str):
    return getattr(kind.model.objects.get(pk=kind.pk), field)


def _at_once(*calls: Callable[[], requests.Response]) -> list[requests.Response]:
    """Run the calls in threads released together by a barrier (no sleeps, no timing)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], requests.Response]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - re-raised in the test's own thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own; left open it would outlive the test

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _sessions(user, count: int = 2) -> list[requests.Session]:
    sessions = []
    for n in range(count):
        key = api_token_create(user=user, name=f"Editor {n}", two_factor_verified=False)[1]
        session = requests.Session()
        session.headers["Authorization"] = f"Token {key}"
        sessions.append(session)
    return sessions


@pytest.mark.django_db(transaction=True)
def test_two_editors_at_once_lose_nothing_on_any_kind(live_server):
    consultant = MembershipFactory(role=Role.CONSULTANT).user
    _workspace, _plan, _campaign, kinds = _world(consultant)
    first, second = _sessions(consultant)
    for kind in kinds:
        url = live_server.url + kind.url
        (a_field, a_value), (b_field, b_value) = kind.first, kind.second
        for r in range(ROUNDS):
            # Different fields at once: both changes land.
            answers = _at_once(
                partial(first.patch, url, json={a_field: a_value(r)}, timeout=60),
                partial(second.patch, url, json={b_field: b_value(r)}, timeout=60),
            )
            assert [a.status_code for a in answers] == [200, 200], (kind.name, r, answers)
            assert _value(kind, a_field) == a_value(r), (kind.name, r)
            assert _value(kind, b_field) == b_value(r), (kind.name, r)
            # The same field from the same revision: one wins, the other is told so.
            etag = first.get(url, timeout=60).headers["ETag"]
            mine, theirs = f"mine {r}", f"theirs {r}"
            answers = _at_once(
                partial(first.patch, url, json={a_field: mine}, headers={"If-Match": etag}),
                partial(second.patch, url, json={a_field: theirs}, headers={"If-Match": etag}),
            )
            codes = sorted(a.status_code for a in answers)
            assert codes == [200, 412], (kind.name, r, [a.text for a in answers])
            winner = mine if answers[0].status_code == 200 else theirs
            assert _value(kind, a_field) == winner, (kind.name, r)
            loser = next(a for a in answers if a.status_code == 412)
            assert "changed by" in loser.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_two_scale_edits_at_once_keep_both_categories(live_server):
    consultant = MembershipFactory(role=Role.CONSULTANT).user
    workspace, plan, _campaign, _kinds = _world(consultant)
    url = f"{live_server.url}/api/v1/workspaces/{workspace.id}/plans/{plan.id}/scale/"
    first, second = _sessions(consultant)
    categories = list(plan.engagement_categories.order_by("position", "min_points"))
    low, high = categories[0], categories[-1]
    for r in range(ROUNDS):
        low_max = (low.max_points or 10) - (r % 2)
        high_max = 100000 + r
        low_row = {"key": low.key, "min_points": low.min_points, "max_points": low_max}
        high_row = {"key": high.key, "min_points": high.min_points, "max_points": high_max}
        answers = _at_once(
            partial(first.put, url, json={"categories": [low_row]}, timeout=60),
            partial(second.put, url, json={"categories": [high_row]}, timeout=60),
        )
        assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
        saved = {c.key: c.max_points for c in EngagementCategory.objects.filter(plan=plan)}
        assert (saved[low.key], saved[high.key]) == (low_max, high_max), r


@pytest.mark.django_db(transaction=True)
def test_two_tactics_appended_at_once_both_land():
    consultant = MembershipFactory(role=Role.CONSULTANT).user
    _workspace, _plan, campaign, _kinds = _world(consultant)
    for r in range(ROUNDS):
        CampaignPlan.objects.filter(pk=campaign.pk).update(tactics=[f"Kept {r}"])
        stale = CampaignPlan.objects.get(pk=campaign.pk)
        _at_once(
            partial(campaign_add_tactic, campaign=stale, tactic=f"Tactic A{r}"),
            partial(campaign_add_tactic, campaign=stale, tactic=f"Tactic B{r}"),
        )
        tactics = CampaignPlan.objects.get(pk=campaign.pk).tactics
        assert sorted(tactics) == sorted([f"Kept {r}", f"Tactic A{r}", f"Tactic B{r}"]), r


# --- One request at a time --------------------------------------------------------------


@pytest.fixture
def world(consultant):
    return _world(consultant)


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


@pytest.fixture(params=range(6), ids=["client", "assessment", "action", "plan item", "kpi",
                                     "campaign"])  # fmt: skip
def kind(request, world):
    return world[3][request.param]


def test_a_stale_revision_in_the_body_is_409_and_writes_nothing(api, kind):
    field, value = kind.first
    before = api.get(kind.url)
    assert before.status_code == 200
    assert before["ETag"] == f'"{before.json()["revision"]}"'
    revision = before.json()["revision"]
    assert (
        api.patch(kind.url, {field: value(1), "revision": revision}, format="json").status_code
        == 200
    )
    stale = api.patch(kind.url, {field: value(2), "revision": revision}, format="json")
    assert stale.status_code == 409
    assert "changed by" in stale.json()["detail"]
    assert stale["ETag"] == f'"{revision + 1}"'
    assert _value(kind, field) == value(1)


def test_a_stale_if_match_is_412_and_a_current_one_succeeds(api, kind):
    field, value = kind.first
    etag = api.get(kind.url)["ETag"]
    done = api.patch(kind.url, {field: value(1)}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200
    assert done["ETag"] != etag
    refused = api.patch(kind.url, {field: value(2)}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert refused["ETag"] == done["ETag"]
    assert _value(kind, field) == value(1)
    again = api.patch(kind.url, {field: value(3)}, format="json", HTTP_IF_MATCH=done["ETag"])
    assert again.status_code == 200
    assert _value(kind, field) == value(3)


def test_a_patch_writes_only_the_fields_it_sends(api, kind):
    (a_field, a_value), (b_field, b_value) = kind.first, kind.second
    # Both start from the same read; neither sends a revision.
    api.get(kind.url)
    assert api.patch(kind.url, {a_field: a_value(7)}, format="json").status_code == 200
    assert api.patch(kind.url, {b_field: b_value(7)}, format="json").status_code == 200
    assert (_value(kind, a_field), _value(kind, b_field)) == (a_value(7), b_value(7))


def test_a_malformed_if_match_names_the_header(api, kind):
    answer = api.patch(kind.url, {}, format="json", HTTP_IF_MATCH='"soon"')
    assert answer.status_code == 400
    assert "If-Match" in answer.json()


def test_the_scale_honours_if_match_and_category_revisions(api, world):
    workspace, plan = world[0], world[1]
    url = f"/api/v1/workspaces/{workspace.id}/plans/{plan.id}/scale/"
    scale = api.get(url)
    etag = scale["ETag"]
    last = scale.json()["categories"][-1]
    body = {"categories": [{**last, "max_points": 5000}]}
    assert api.put(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert api.put(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 412
    stale_row = {"categories": [{**last, "max_points": 6000}]}  # carries the old revision
    refused = api.put(url, stale_row, format="json")
    assert refused.status_code == 409
    assert EngagementCategory.objects.get(plan=plan, key=last["key"]).max_points == 5000


def test_the_schema_documents_409_and_412(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = next(
        ops["patch"] for path, ops in schema["paths"].items() if path.endswith("/actions/{id}/")
    )
    assert {"409", "412"} <= set(operation["responses"])


# --- Edit forms -------------------------------------------------------------------------


def _as_posted(form) -> dict:
    """What the browser sends back for an unchanged form: lists stay lists (multiple
    choices), empty values are empty strings."""
    posted = {}
    for name in form.fields:
        value = form[name].value()
        posted[name] = value if isinstance(value, list) else (value or "")
    return posted


def test_an_action_form_opened_before_a_colleague_marked_it_done_does_not_reopen_it(
    client, consultant, world
):
    workspace = world[0]
    action = Action.objects.get()
    url = f"/w/{workspace.id}/assessments/{action.assessment_id}/actions/{action.id}/"
    client.force_login(consultant)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    posted = _as_posted(form)
    posted.update({"status": "open", "notes": "My careful notes"})
    colleague = MembershipFactory(workspace=workspace, role=Role.CONSULTANT).user
    colleague.name = "Dana Colleague"
    colleague.save()
    from audit.context import request_bound

    fake = type("R", (), {"user": colleague})()
    with request_bound(fake):
        roadmap.action_update(
            action=action, data=ActionInput.from_values({"status": "done"}, partial=True)
        )

    refused = client.post(url, posted)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Dana Colleague" in text
    assert "My careful notes" in text  # the user's input is kept
    assert "Done" in text  # the colleague's value, beside it
    assert Action.objects.get().status == "done"
    assert Action.objects.get().notes == ""

    # The page moved on to the current revision: saving again replaces on purpose.
    again = refused.context["form"]
    posted["revision"] = again["revision"].value()
    assert client.post(url, posted).status_code == 302
    assert (Action.objects.get().status, Action.objects.get().notes) == ("open", "My careful notes")


def test_a_client_form_behind_a_colleague_is_409_with_their_values(client, consultant, world):
    workspace = world[0]
    contoso = Client.objects.get(name="Contoso")
    url = f"/w/{workspace.id}/clients/{contoso.id}/edit/"
    client.force_login(consultant)
    form = client.get(url).context["form"]
    posted = _as_posted(form)
    posted["industry"] = "Mine"
    from workspaces.services import client_update

    client_update(client=contoso, industry="Theirs")
    refused = client.post(url, posted)
    assert refused.status_code == 409
    assert "Theirs" in refused.content.decode()
    assert "Mine" in refused.content.decode()
    assert Client.objects.get(pk=contoso.pk).industry == "Theirs"


def test_a_stale_scale_page_keeps_the_input_and_shows_what_is_saved(client, consultant, world):
    workspace, plan = world[0], world[1]
    url = f"/w/{workspace.id}/plans/{plan.id}/scale/"
    client.force_login(consultant)
    assert client.get(url).status_code == 200
    categories = list(plan.engagement_categories.order_by("position", "min_points"))
    posted = {}
    for c in categories:
        posted[f"{c.key}-min"] = c.min_points
        posted[f"{c.key}-max"] = "" if c.max_points is None else c.max_points
        posted[f"{c.key}-revision"] = c.revision
    last = categories[-1]
    kpi_services.scale_update(plan=plan, ranges={last.key: (last.min_points, 7777)})
    posted[f"{last.key}-max"] = 8888
    refused = client.post(url, posted)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "7777" in text
    assert "8888" in text
    assert EngagementCategory.objects.get(pk=last.pk).max_points == 7777


def test_a_stale_targets_form_on_the_results_page_is_409(client, consultant, world):
    workspace = world[0]
    assessment = Assessment.objects.get()
    client.force_login(consultant)
    url = f"/w/{workspace.id}/assessments/{assessment.id}/targets/"
    old = assessment.revision
    from assessments.services import assessment_update

    assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"title": "Renamed by a colleague"}, partial=True),
    )
    answer = client.post(url, {"revision": old})
    assert answer.status_code == 409
    assert Assessment.objects.get().title == "Renamed by a colleague"


def test_every_edit_page_carries_the_revision_it_was_opened_at(client, consultant, world):
    """A page without the hidden revision would save over a colleague's change silently."""
    from django.urls import reverse

    workspace, plan, campaign, kinds = world
    ids = {kind.name: kind.pk for kind in kinds}
    w = workspace.id
    assessment = Assessment.objects.get(pk=ids["assessment"])
    client.force_login(consultant)
    pages = [
        reverse("client_edit", args=[w, ids["client"]]),
        reverse("assessment_edit", args=[w, ids["assessment"]]),
        reverse("action_edit", args=[w, assessment.id, ids["action"]]),
        reverse("plan_step_item_edit", args=[w, plan.id, "themes", ids["plan item"]]),
        reverse("plan_kpi_edit", args=[w, plan.id, ids["kpi"]]),
        reverse("campaign_edit", args=[w, campaign.id]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'name="revision" value="1"' in page.content.decode(), url
    scale = client.get(reverse("plan_scale", args=[w, plan.id])).content.decode()
    for category in plan.engagement_categories.all():
        assert f'name="{category.key}-revision" value="{category.revision}"' in scale

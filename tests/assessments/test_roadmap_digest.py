"""The weekly roadmap digest: once per owner and ISO week on the workspace's day, only
that owner's actions of that workspace, none when nothing is due, none to an address that
opted out (account page or signed unsubscribe link), none when the workspace turned it off."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.inputs import ActionInput
from assessments.models import Action, Assessment, DigestSent
from assessments.services import action_create, roadmap_digests_send
from audit.models import AuditEvent
from tests.factories import ClientFactory, MembershipFactory, WorkspaceFactory, grant_client
from tests.workspaces.test_client_hub import _closed
from workspaces.digest_opt_out import digest_unsubscribe_token
from workspaces.models import Role

pytestmark = pytest.mark.django_db

# A Monday (ISO week 2026-W10), noon UTC: the default digest day.
MONDAY = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TIME_ZONE = "UTC"


def _action(assessment, title, owner, *, due=None, status="open"):
    action = action_create(
        assessment=assessment,
        data=ActionInput.from_values(
            {"title": title, "horizon": "now", "status": status, "owner_email": owner}
        ),
    )
    Action.objects.filter(id=action.id).update(due_date=due)
    return action


@pytest.fixture
def roadmap(acme_client):
    return _closed(acme_client)


def _mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_one_digest_per_owner_and_week_even_when_run_twice(roadmap):
    _action(roadmap, "Map the journey", "ana@example.com", due=datetime.date(2026, 3, 1))
    _action(roadmap, "Hire a lead", "ana@example.com", due=datetime.date(2026, 4, 1))
    _action(roadmap, "Finished", "ana@example.com", status="done")
    assert roadmap_digests_send(now=MONDAY) == 1
    assert roadmap_digests_send(now=MONDAY + datetime.timedelta(hours=1)) == 0
    (email,) = _mail_to("ana@example.com")
    assert DigestSent.objects.get().week == "2026-W10"
    assert "2 open, 1 overdue" in email.subject
    assert "[OVERDUE] Map the journey" in email.body
    assert "- Hire a lead" in email.body
    assert "Finished" not in email.body
    # Not a member: the roadmap's link would not open for them.
    assert "/roadmap/" not in email.body
    # The next week sends again.
    assert roadmap_digests_send(now=MONDAY + datetime.timedelta(days=7)) == 1


def test_nothing_on_other_days_or_when_the_workspace_turned_it_off(roadmap):
    _action(roadmap, "Map the journey", "ana@example.com")
    assert roadmap_digests_send(now=MONDAY + datetime.timedelta(days=1)) == 0
    workspace = roadmap.client.workspace
    workspace.roadmap_digest = False
    workspace.save()
    assert roadmap_digests_send(now=MONDAY) == 0
    assert mail.outbox == []


def test_nothing_for_an_owner_with_nothing_open(roadmap):
    _action(roadmap, "Finished", "ana@example.com", status="done")
    _action(roadmap, "Dropped", "ana@example.com", status="dropped")
    assert roadmap_digests_send(now=MONDAY) == 0
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_the_email_holds_only_that_owners_actions_of_that_workspace(roadmap, acme_client):
    _action(roadmap, "Ana's step", "ana@example.com")
    _action(roadmap, "Ben's step", "ben@example.com")
    other = _closed(ClientFactory(workspace=WorkspaceFactory(name="Rival")), title="Rival's")
    _action(other, "Rival step", "ana@example.com")
    assert roadmap_digests_send(now=MONDAY) == 3
    ana = [m.body for m in _mail_to("ana@example.com")]
    assert len(ana) == 2  # one per workspace, each with its own actions only
    mine = next(body for body in ana if "Ana's step" in body)
    assert "Ben's step" not in mine
    assert "Rival step" not in mine
    assert "Rival's" not in mine


def test_a_member_gets_links_to_roadmaps_they_may_open_and_nothing_else(roadmap, acme_client):
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(member, acme_client)
    email = member.user.email
    _action(roadmap, "Released step", email)
    hidden = _closed(acme_client, anonymity=Assessment.Anonymity.ROLES, title="Withheld")
    _action(hidden, "Withheld step", email)
    roadmap_digests_send(now=MONDAY)
    (sent,) = _mail_to(email)
    assert "Released step" in sent.body
    assert "Withheld step" not in sent.body
    url = reverse("roadmap", args=[acme_client.workspace_id, roadmap.id])
    assert url in sent.body


def test_an_opted_out_member_gets_none(client, roadmap, acme_client):
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    grant_client(member, acme_client)
    _action(roadmap, "Step", member.user.email)
    client.force_login(member.user)
    assert 'id="id_roadmap_digest" checked' in client.get(reverse("account")).text
    client.post(reverse("digest_preference"), {})
    assert 'id="id_roadmap_digest" checked' not in client.get(reverse("account")).text
    assert roadmap_digests_send(now=MONDAY) == 0
    client.post(reverse("digest_preference"), {"roadmap_digest": "on"})
    assert roadmap_digests_send(now=MONDAY) == 1


def test_the_unsubscribe_link_works_without_sign_in_and_refuses_a_changed_token(client, roadmap):
    _action(roadmap, "Step", "ana@example.com")
    roadmap_digests_send(now=MONDAY)
    (sent,) = _mail_to("ana@example.com")
    path = re.search(r"https?://[^/\s]+(/digest/unsubscribe/\S+/)", sent.body)[1]
    assert client.get(path).status_code == 200  # a confirmation page; nothing changed yet
    token = path.split("/")[-2]
    assert token == digest_unsubscribe_token("ana@example.com")
    other = digest_unsubscribe_token("ben@example.com")
    # Another address's payload under this signature, and a changed signature: both refused.
    forged = other.split(":")[0] + ":" + token.split(":")[1]
    for bad in (forged, token[:-1] + ("A" if token[-1] != "A" else "B")):
        assert client.post(path.replace(token, bad)).status_code == 400
    assert roadmap_digests_send(now=MONDAY + datetime.timedelta(days=7)) == 1
    assert client.post(path).status_code == 200
    assert roadmap_digests_send(now=MONDAY + datetime.timedelta(days=14)) == 0


def test_owners_set_the_digest_from_settings_and_api_audited(client, owner, consultant, workspace):
    client.force_login(owner)
    url = reverse("workspace_roadmap_digest", args=[workspace.id])
    client.post(url, {"roadmap_digest_weekday": "5"})
    workspace.refresh_from_db()
    assert (workspace.roadmap_digest, workspace.roadmap_digest_weekday) == (False, 5)
    assert AuditEvent.objects.filter(changes__has_key="roadmap_digest").exists()
    api = APIClient()
    api.force_authenticate(owner)
    api_url = reverse("api-workspace-roadmap-digest", args=[workspace.id])
    answer = api.put(api_url, {"roadmap_digest": True, "roadmap_digest_weekday": 9}, format="json")
    assert answer.status_code == 400
    assert "roadmap_digest_weekday" in answer.json()
    answer = api.put(api_url, {"roadmap_digest": True, "roadmap_digest_weekday": 3}, format="json")
    assert answer.json() == {"roadmap_digest": True, "roadmap_digest_weekday": 3}
    api.force_authenticate(consultant)
    assert (
        api.put(
            api_url, {"roadmap_digest": False, "roadmap_digest_weekday": 3}, format="json"
        ).status_code
        == 403
    )

"""Deleting a client moves it to the trash: hidden everywhere, restorable by an owner,
purged after CLIENT_TRASH_DAYS."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.services import respondent_invite, respondent_link
from tests.assessments.factories import open_assessment
from workspaces.models import Client
from workspaces.services import client_delete, clients_trash_purge
from workspaces.tasks import clients_trash_purge as purge_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def trashed(acme_client, owner):
    assessment = open_assessment(client=acme_client, respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    acme_client.archived = True
    acme_client.save()
    client = client_delete(client=acme_client, by=owner)
    client.link = respondent_link(respondent)
    client.assessment = assessment
    return client


def test_a_trashed_client_is_hidden_everywhere(client, owner, client_viewer, trashed):
    workspace = trashed.workspace
    client.force_login(owner)
    listing = client.get(reverse("client_list", args=[workspace.id]) + "?archived=on")
    assert trashed.name not in listing.text
    detail = reverse("client_detail", args=[workspace.id, trashed.id])
    assert client.get(detail).status_code == 404
    url = reverse("assessment_detail", args=[workspace.id, trashed.assessment.id])
    assert client.get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(owner)
    assert api.get(f"/api/v1/workspaces/{workspace.id}/assessments/").json()["results"] == []
    # Its respondents' links open nothing, and its team does not see it.
    assert client.get(trashed.link).status_code == 404
    client.force_login(client_viewer)
    assert trashed.name not in client.get(reverse("home")).text


def test_an_owner_restores_a_trashed_client_after_confirming(client, owner, trashed):
    workspace = trashed.workspace
    client.force_login(owner)
    page = client.get(reverse("client_trash", args=[workspace.id]))
    assert trashed.name in page.text
    assert ">30<" in page.text  # days left
    url = reverse("client_restore", args=[workspace.id, trashed.id])
    assert "Restore “Northwind”?" in client.get(url).text
    trashed.refresh_from_db()
    assert trashed.deleted_at is not None  # a GET only asks
    response = client.post(url)
    assert response.status_code == 302
    trashed.refresh_from_db()
    assert (trashed.deleted_at, trashed.archived) == (None, True)
    assert client.get(reverse("client_detail", args=[workspace.id, trashed.id])).status_code == 200
    assert client.get(trashed.link).status_code == 200


def test_an_owner_deletes_a_trashed_client_now(client, owner, trashed):
    client.force_login(owner)
    url = reverse("client_purge", args=[trashed.workspace_id, trashed.id])
    assert "for good?" in client.get(url).text
    assert Client.objects.filter(id=trashed.id).exists()
    client.post(url)
    assert not Client.objects.filter(id=trashed.id).exists()


def test_only_owners_reach_the_trash(client, consultant, outsider, trashed):
    workspace = trashed.workspace
    urls = [
        reverse("client_trash", args=[workspace.id]),
        reverse("client_restore", args=[workspace.id, trashed.id]),
        reverse("client_purge", args=[workspace.id, trashed.id]),
    ]
    client.force_login(consultant)
    # The consultant does not see the trashed client at all; the trash page is refused.
    assert [client.get(u).status_code for u in urls] == [403, 404, 404]
    assert [client.post(u).status_code for u in urls[1:]] == [404, 404]
    client.force_login(outsider)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    trashed.refresh_from_db()
    assert trashed.deleted_at is not None


def test_the_trash_is_emptied_after_its_days(settings, trashed, acme_client):
    settings.CLIENT_TRASH_DAYS = 30
    now = timezone.now()
    assert clients_trash_purge(now=now + timedelta(days=29)) == 0
    assert Client.objects.filter(id=trashed.id).exists()
    Client.objects.filter(id=trashed.id).update(deleted_at=now - timedelta(days=31))
    assert purge_task.apply().get() == 1
    assert not Client.objects.filter(id=trashed.id).exists()
    assert "clients-trash-purge" in settings.CELERY_BEAT_SCHEDULE

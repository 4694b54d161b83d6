"""The audit pages and API: owners read, filter and export; nobody else learns they exist."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from audit import display
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = pytest.mark.django_db


def _at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day} 12:00"))


@pytest.fixture
def trail(workspace, owner, consultant, acme_client):
    """Three events: the consultant on Northwind, the owner on Contoso, the owner in the
    workspace; at three dates. Sign-ins of the test's own logins are cleared."""
    contoso = ClientFactory(workspace=workspace, name="Contoso")
    AuditEvent.objects.all().delete()
    events = [
        audit_record(
            actor=consultant,
            workspace=workspace,
            client=acme_client,
            action=AuditAction.CHANGED,
            label="Northwind KPI",
            changes={"target": ["40", "45"]},
        ),
        audit_record(
            actor=owner,
            workspace=workspace,
            client=contoso,
            action=AuditAction.EXPORT_DOWNLOADED,
            label="Contoso export",
        ),
        audit_record(
            actor=owner, workspace=workspace, action=AuditAction.SIGN_IN, label="Owner sign-in"
        ),
    ]
    for event, day in zip(events, ["2026-03-01", "2026-03-15", "2026-04-01"], strict=True):
        AuditEvent.objects.filter(id=event.id).update(created_at=_at(day))
    AuditEvent.objects.filter(id=events[0].id).update(object_type="kpis.kpi")
    return {"northwind": acme_client, "contoso": contoso, "events": events}


def _page(http, workspace, **params):
    return http.get(reverse("audit_event_list", args=[workspace.id]), params)


def _api(user, workspace, **params):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(reverse("api-audit-list", args=[workspace.id]), params)


def _labels(response) -> set[str]:
    return {
        label
        for label in ("Northwind KPI", "Contoso export", "Owner sign-in")
        if label in response.text
    }


# --- The page -------------------------------------------------------------------------------


def test_owner_sees_every_event_newest_first_with_changes(client, owner, workspace, trail):
    client.force_login(owner)
    response = _page(client, workspace)
    assert response.status_code == 200
    text = response.text
    assert text.index("Owner sign-in") < text.index("Contoso export") < text.index("Northwind KPI")
    assert "Target: 40 → 45" in text
    assert "Export downloaded" in text
    assert "Northwind" in text


def test_owner_filters_by_client_member_and_dates(client, owner, consultant, workspace, trail):
    client.force_login(owner)
    assert _labels(_page(client, workspace, client=trail["contoso"].id)) == {"Contoso export"}
    assert _labels(_page(client, workspace, member=consultant.id)) == {"Northwind KPI"}
    assert _labels(_page(client, workspace, date_from="2026-03-10", date_to="2026-03-31")) == {
        "Contoso export"
    }
    # The end date is included whole.
    assert _labels(_page(client, workspace, date_to="2026-03-15")) == {
        "Northwind KPI",
        "Contoso export",
    }
    assert _labels(_page(client, workspace, action=AuditAction.SIGN_IN)) == {"Owner sign-in"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_from": "2026-04-01", "date_to": "2026-03-01"}, "on or after the start date"),
        ({"client": "not-a-client"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_form_errors(client, owner, workspace, trail, params, message):
    client.force_login(owner)
    response = _page(client, workspace, **params)
    assert response.status_code == 400
    assert message in response.text
    assert not _labels(response)


def test_filters_matching_nothing_say_so(client, owner, workspace, trail):
    client.force_login(owner)
    response = _page(client, workspace, date_from="2030-01-01")
    assert "No event matches these filters." in response.text


def test_an_empty_trail_says_what_will_appear(client, owner, workspace):
    client.force_login(owner)
    AuditEvent.objects.all().delete()
    assert "Nothing recorded yet" in _page(client, workspace).text


def test_the_page_shows_25_events_at_a_time(client, owner, workspace):
    client.force_login(owner)
    for n in range(30):
        audit_record(actor=owner, workspace=workspace, action=AuditAction.CREATED, label=f"#{n}")
    first = _page(client, workspace, action=AuditAction.CREATED)
    assert first.text.count("<tr>") == 1 + 25  # the header row and 25 events
    second = _page(client, workspace, action=AuditAction.CREATED, page=2)
    assert second.text.count("<tr>") == 1 + 5
    assert "action=created&amp;page=1" in second.text


# --- The CSV export -------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_has_the_filtered_events_and_is_itself_recorded(client, owner, workspace, trail):
    client.force_login(owner)
    url = reverse("audit_export", args=[workspace.id])
    response = client.get(url, {"client": trail["northwind"].id})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:4] == ["Time", "Actor", "Actor's email", "Action"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Action"] == "Changed"
    assert row["Client"] == "Northwind"
    assert row["Object type"] == "KPI"
    assert row["Object"] == "Northwind KPI"
    assert row["Changes"] == "Target: 40 → 45"
    assert row["Time"].startswith("2026-03-01T12:00:00")
    export = AuditEvent.objects.get(action=AuditAction.EXPORT_DOWNLOADED, client=None)
    assert export.actor == owner


def test_export_escapes_cells_a_spreadsheet_would_run(client, owner, workspace):
    client.force_login(owner)
    contoso = ClientFactory(workspace=workspace, name="+Contoso")
    AuditEvent.objects.all().delete()
    audit_record(
        actor=owner,
        workspace=workspace,
        client=contoso,
        action=AuditAction.CREATED,
        label='=HYPERLINK("http://evil.example")',
        changes={"name": ["+1", "@SUM(A1)"]},
    )
    header, row = _csv(client.get(reverse("audit_export", args=[workspace.id])))
    cells = dict(zip(header, row, strict=True))
    assert cells["Object"] == '\'=HYPERLINK("http://evil.example")'
    assert cells["Client"] == "'+Contoso"
    assert cells["Changes"] == "name: +1 → @SUM(A1)"  # starts with a letter: left alone


def test_export_with_a_bad_date_is_a_form_error(client, owner, workspace):
    client.force_login(owner)
    response = client.get(reverse("audit_export", args=[workspace.id]), {"date_to": "yesterday"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.text


# --- The API --------------------------------------------------------------------------------


def test_api_lists_and_filters_like_the_page(owner, consultant, workspace, trail):
    response = _api(owner, workspace)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert (first["action"], first["object_label"], first["actor"]) == (
        "sign_in",
        "Owner sign-in",
        str(owner.id),
    )
    last = body["results"][-1]
    assert last["changes"] == {"target": ["40", "45"]}
    assert last["client"] == str(trail["northwind"].id)
    assert last["client_name"] == "Northwind"
    assert last["action_display"] == "Changed"

    def labels(**params):
        return {e["object_label"] for e in _api(owner, workspace, **params).json()["results"]}

    assert labels(client=trail["contoso"].id) == {"Contoso export"}
    assert labels(member=consultant.id) == {"Northwind KPI"}
    assert labels(date_from="2026-03-10", date_to="2026-03-31") == {"Contoso export"}
    assert labels(action="sign_in") == {"Owner sign-in"}


def test_api_refuses_a_bad_date_naming_the_field(owner, workspace):
    response = _api(owner, workspace, date_from="2026-02-30")
    assert response.status_code == 400
    assert list(response.json()) == ["date_from"]
    backwards = _api(owner, workspace, date_from="2026-04-01", date_to="2026-03-01")
    assert backwards.status_code == 400
    assert list(backwards.json()) == ["date_to"]


def test_api_is_documented(client):
    schema = client.get("/api/schema/")
    assert b"/api/v1/workspaces/{workspace_id}/audit/" in schema.content
    assert b"date_from" in schema.content


# --- Who may see it ------------------------------------------------------------------------


@pytest.fixture
def others(workspace, consultant, client_member, outsider):
    return {"consultant": consultant, "client member": client_member, "outsider": outsider}


@pytest.mark.parametrize("who", ["consultant", "client member", "outsider"])
def test_anyone_but_an_owner_gets_404_on_the_pages_and_the_api(client, workspace, others, who):
    client.force_login(others[who])
    assert _page(client, workspace).status_code == 404
    assert client.get(reverse("audit_export", args=[workspace.id])).status_code == 404
    assert _api(others[who], workspace).status_code == 404


def test_a_client_members_pages_do_not_link_to_the_trail(client, workspace, client_member):
    client.force_login(client_member)
    response = client.get(reverse("workspace_dashboard", args=[workspace.id]))
    assert response.status_code == 200
    assert reverse("audit_event_list", args=[workspace.id]) not in response.text


def test_signed_out_visitors_are_sent_to_sign_in(client, workspace):
    response = _page(client, workspace)
    assert response.status_code == 302
    assert reverse("login") in response.url
    assert APIClient().get(reverse("api-audit-list", args=[workspace.id])).status_code == 401


def test_an_owner_of_another_workspace_sees_none_of_this_trail(owner, workspace, trail):
    other = MembershipFactory(role=Role.OWNER)
    assert _api(other.user, workspace).status_code == 404
    own_trail = _api(other.user, other.workspace).json()["results"]
    assert own_trail  # their own member_added event, and nothing of `workspace`
    assert not {"Northwind KPI", "Contoso export", "Owner sign-in"} & {
        e["object_label"] for e in own_trail
    }


def test_the_members_page_links_owners_to_the_trail(client, owner, consultant, workspace):
    link = reverse("audit_event_list", args=[workspace.id])
    client.force_login(owner)
    assert link in client.get(reverse("member_list", args=[workspace.id])).text
    client.force_login(consultant)
    response = client.get(reverse("member_list", args=[workspace.id]))
    assert response.status_code == 200
    assert link not in response.text


def test_type_and_field_labels_follow_each_readers_language():
    # Django's own German catalogue names the user model: no compiled project catalogue needed.
    for language, kind, field in [
        ("en", "User", "Email address"),
        ("de", "Benutzer", "E-Mail-Adresse"),
        ("en", "User", "Email address"),
    ]:
        with translation.override(language):
            assert display.object_type_label("workspaces.user") == kind
            assert display.field_label("workspaces.user", "email") == field

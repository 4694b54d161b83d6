"""How values read: the `formats` template tags and the client's country behind them
(dates in its order, money in its currency), and the region field on the client form and
API (a bad code is refused naming the field, nothing saved)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ClientFactory
from workspaces.models import Client

pytestmark = pytest.mark.django_db

MARCH_5 = datetime.date(2026, 3, 5)


def _render(source: str, **context) -> str:
    return Template("{% load formats %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("region", "short", "long"),
    [
        ("GB", "5 Mar 2026", "5 March 2026"),
        ("DE", "5 Mar 2026", "5 March 2026"),
        ("US", "Mar 5, 2026", "March 5, 2026"),
    ],
)
def test_dates_follow_the_client_region(region, short, long):
    client = Client(region=region)
    assert _render("{{ d|day:client }}", d=MARCH_5, client=client) == short
    assert _render("{{ d|longday:client }}", d=MARCH_5, client=client) == long


def test_a_date_without_a_client_reads_the_default_way_and_none_reads_empty():
    assert _render("{{ d|day }}", d=MARCH_5) == "5 Mar 2026"
    assert _render("[{{ d|day }}]", d=None) == "[]"


def test_a_moment_is_shown_in_local_time_in_the_region_order(settings):
    settings.TIME_ZONE = "UTC"
    at = datetime.datetime(2026, 3, 5, 14, 7, tzinfo=datetime.UTC)
    assert _render("{{ t|moment:c }}", t=at, c=Client(region="GB")) == "5 Mar 2026, 14:07"
    assert _render("{{ t|moment:c }}", t=at, c=Client(region="US")) == "Mar 5, 2026, 2:07 PM"


def test_ago_says_just_now_within_the_minute_and_minutes_after():
    now = timezone.now()
    assert _render("{{ t|ago }}", t=now) == "just now"
    assert _render("{{ t|ago }}", t=now - datetime.timedelta(seconds=59)) == "just now"
    assert _render("{{ t|ago }}", t=now - datetime.timedelta(minutes=5)) == "5\xa0minutes ago"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.306, "30.6\xa0%"), (Decimal("1"), "100.0\xa0%"), (-0.05, "-5.0\xa0%"), (None, "—")],
)
def test_ratios_read_as_percentages(value, shown):
    assert _render("{{ v|percent }}", v=value) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1200"), "GBP", "£1,200.00"),
        (Decimal("80.5"), "EUR", "€80.50"),
        (Decimal("-3"), "USD", "-$3.00"),
        (Decimal("1200"), "CHF", "CHF\xa01,200.00"),
        (None, "EUR", "—"),
    ],
)
def test_money_shows_its_currency(amount, currency, shown):
    assert _render("{{ a|money:c }}", a=amount, c=currency) == shown


@pytest.mark.parametrize(
    ("region", "shown"), [("GB", "£5.00"), ("DE", "€5.00"), ("CH", "CHF\xa05.00"), ("US", "$5.00")]
)
def test_money_given_a_client_is_in_its_region_currency(region, shown):
    assert _render("{{ a|money:c }}", a=5, c=Client(region=region)) == shown


def test_no_breadcrumb_ends_with_a_separator():
    dangling = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
        if "›</div>" in path.read_text(encoding="utf-8")
    ]
    assert dangling == []


def test_a_new_client_takes_the_country_most_of_the_workspace_is_in(client, consultant, workspace):
    for name in ("A", "B"):
        ClientFactory(workspace=workspace, name=name, region="DE")
    ClientFactory(workspace=workspace, name="C", region="US")
    client.force_login(consultant)
    page = client.get(reverse("client_create", args=[workspace.id]))
    assert page.context["form"]["region"].value() == "DE"
    client.post(reverse("client_create", args=[workspace.id]), {"name": "Initech"})
    assert Client.objects.get(name="Initech").region == "DE"


def test_an_empty_workspace_starts_clients_in_the_uk(client, consultant, workspace):
    client.force_login(consultant)
    client.post(reverse("client_create", args=[workspace.id]), {"name": "Initech"})
    assert Client.objects.get(name="Initech").region == "GB"


def test_the_client_form_refuses_an_unknown_country_naming_the_field(
    client, consultant, acme_client
):
    client.force_login(consultant)
    url = reverse("client_edit", args=[acme_client.workspace_id, acme_client.id])
    response = client.post(
        url, {"name": "Renamed", "region": "XX", "revision": acme_client.revision}
    )
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    acme_client.refresh_from_db()
    assert (acme_client.name, acme_client.region) == ("Northwind", "GB")


def test_the_api_sets_the_country_and_refuses_an_unknown_one(consultant, acme_client):
    api = APIClient()
    api.force_login(consultant)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/clients/{acme_client.id}/"
    refused = api.patch(url, {"name": "Renamed", "region": "Narnia"}, format="json")
    assert refused.status_code == 400
    assert "region" in refused.json()
    acme_client.refresh_from_db()
    assert (acme_client.name, acme_client.region) == ("Northwind", "GB")
    assert api.patch(url, {"region": "US"}, format="json").json()["region"] == "US"
    created = api.post(
        f"/api/v1/workspaces/{acme_client.workspace_id}/clients/", {"name": "Globex"}, format="json"
    )
    assert created.json()["region"] == "US"  # the country the workspace's clients are in

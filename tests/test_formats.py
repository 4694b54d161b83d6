"""How values read: the `formats` template tags, in the active language as written in the
client's country (Django's locale formats for dates, Babel for money), and the region and
language fields on the client form and API (a bad code is refused naming the field,
nothing saved)."""

import datetime
import html
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tests.factories import ClientFactory
from workspaces.models import Client

pytestmark = pytest.mark.django_db

MARCH_5 = datetime.date(2026, 3, 5)


def _render(source: str, **context) -> str:
    # Unescaped: Swiss amounts carry an apostrophe, which a page escapes.
    return html.unescape(Template("{% load formats %}" + source).render(Context(context)))


@pytest.mark.parametrize(
    ("language", "region", "shown"),
    [
        ("en", "GB", "5 Mar 2026"),
        ("en", "US", "March 5, 2026"),
        ("de", "DE", "5. März 2026"),
        ("de", "CH", "5. März 2026"),
        ("fr", "FR", "5 mars 2026"),
    ],
)
def test_dates_follow_the_language_as_written_in_the_client_region(language, region, shown):
    client = Client(region=region)
    with translation.override(language):
        assert _render("{{ d|day:client }}", d=MARCH_5, client=client) == shown
        assert _render("{{ d|longday:client }}", d=MARCH_5, client=client) == shown


def test_a_date_without_a_client_reads_the_default_way_and_none_reads_empty():
    assert _render("{{ d|day }}", d=MARCH_5) == "5 Mar 2026"
    assert _render("[{{ d|day }}]", d=None) == "[]"


def test_a_moment_is_shown_in_local_time_in_the_region_order(settings):
    settings.TIME_ZONE = "UTC"
    at = datetime.datetime(2026, 3, 5, 14, 7, tzinfo=datetime.UTC)
    assert _render("{{ t|moment:c }}", t=at, c=Client(region="GB")) == "5 Mar 2026, 2:07 p.m."
    assert _render("{{ t|moment:c }}", t=at, c=Client(region="US")) == "March 5, 2026, 2:07 p.m."
    with translation.override("de"):
        assert _render("{{ t|moment:c }}", t=at, c=Client(region="DE")) == "5. März 2026 14:07"


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


def test_a_ratio_reads_with_the_language_decimal_comma():
    with translation.override("de"):
        assert _render("{{ v|percent }}", v=0.306) == "30,6\xa0%"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1200"), "GBP", "£1,200.00"),
        (Decimal("80.5"), "EUR", "€80.50"),
        (Decimal("-3"), "USD", "-$3.00"),
        (Decimal("1200"), "CHF", "CHF1,200.00"),  # CLDR's English: no space
        (None, "EUR", "—"),
    ],
)
def test_money_shows_its_currency(amount, currency, shown):
    assert _render("{{ a|money:c }}", a=amount, c=currency) == shown


@pytest.mark.parametrize(
    ("language", "region", "shown"),
    [
        ("en", "GB", "£1,234.50"),
        ("en", "US", "$1,234.50"),
        ("en", "CH", "CHF\xa01'234.50"),
        ("de", "DE", "1.234,50\xa0€"),
        ("de", "CH", "CHF\xa01'234.50"),
        ("fr", "FR", "1\u202f234,50\xa0€"),
        ("fr", "CH", "1'234,50\xa0CHF"),
    ],
)
def test_money_given_a_client_is_in_its_region_currency_as_the_language_writes_it(
    language, region, shown
):
    with translation.override(language):
        assert _render("{{ a|money:c }}", a=Decimal("1234.5"), c=Client(region=region)) == shown


def test_money_in_a_currency_alone_is_written_the_active_language_way():
    with translation.override("de"):
        assert _render("{{ a|money:c }}", a=Decimal("1234.5"), c="EUR") == "1.234,50\xa0€"
    with translation.override("fr"):
        assert _render("{{ a|money:c }}", a=Decimal("1234.5"), c="EUR") == "1\u202f234,50\xa0€"


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

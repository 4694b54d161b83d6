"""The KPI page (chart, history, owner and status comment), correcting and deleting a
reading, and the early checks of what is entered: each case on the page and in the API,
nothing saved on refusal."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from kpis.models import KPI, DigitalGoal, Measurement, SimulationPeriod
from tests.kpis.factories import (
    DigitalGoalFactory,
    KPIFactory,
    StrategyPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(acme_client):
    return StrategyPlanFactory(client=acme_client, active=True)


@pytest.fixture
def kpi(plan):
    # Baseline 10 → target 20 over 2026: its range is 10.
    return KPIFactory(plan=plan, name="Repeat purchase rate", unit="%", measurements=2)


@pytest.fixture
def signed_in(client, consultant):
    client.force_login(consultant)
    return client


@pytest.fixture
def api(consultant):
    api = APIClient()
    api.force_authenticate(consultant)
    return api


def _url(name, plan, *more):
    return reverse(name, args=[plan.client.workspace_id, plan.id, *more])


def _api(plan):
    return f"/api/v1/workspaces/{plan.client.workspace_id}/plans/{plan.id}/"


# --- The KPI page --------------------------------------------------------------------------


def test_the_kpi_page_shows_chart_history_with_who_and_when_and_saves_owner_and_comment(
    signed_in, consultant, plan, kpi
):
    consultant.name = "Dana Whitfield"
    consultant.save()
    recorded = signed_in.post(
        _url("plan_measurements", plan), {"kpi": kpi.id, "date": "2026-03-01", "value": "13"}
    )
    assert recorded.url == _url("plan_kpi", plan, kpi.id)
    page = signed_in.get(recorded.url)
    assert page.status_code == 200
    assert "<polyline" in page.text
    assert "kpi-chart" in page.text
    history = page.context["measurements"]
    assert [m.date for m in history] == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 1, 1),
    ]
    assert [m.recorded_by for m in history] == [consultant, None, None]
    assert "Dana Whitfield" in page.text
    assert 'class="row-menu"' in page.text
    saved = signed_in.post(
        _url("plan_kpi", plan, kpi.id),
        {
            "owner": "Dana Reyes",
            "status_comment": "Behind: the campaign starts late",
            "revision": 1,
        },
    )
    assert saved.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.owner, kpi.status_comment) == ("Dana Reyes", "Behind: the campaign starts late")
    assert kpi.revision == 2
    stale = signed_in.post(_url("plan_kpi", plan, kpi.id), {"owner": "Someone else", "revision": 1})
    assert stale.status_code == 409
    kpi.refresh_from_db()
    assert kpi.owner == "Dana Reyes"


def test_the_status_comment_is_limited_by_the_model_on_the_page_and_in_the_api(
    signed_in, api, plan, kpi
):
    too_long = "x" * 301
    page = signed_in.post(_url("plan_kpi", plan, kpi.id), {"status_comment": too_long})
    assert page.status_code == 400
    assert "status_comment" in page.context["form"].errors
    answer = api.patch(f"{_api(plan)}kpis/{kpi.id}/", {"status_comment": too_long}, format="json")
    assert answer.status_code == 400
    assert "status_comment" in answer.json()
    kpi.refresh_from_db()
    assert kpi.status_comment == ""


def test_a_measurement_is_corrected_on_its_page_and_in_the_api(signed_in, api, plan, kpi):
    reading = kpi.measurements.order_by("date").first()
    url = _url("plan_measurement_edit", plan, reading.id)
    assert signed_in.get(url).status_code == 200
    saved = signed_in.post(url, {"date": "2026-03-15", "value": "12.5", "note": "Re-counted"})
    assert saved.url == _url("plan_kpi", plan, kpi.id)
    reading.refresh_from_db()
    assert (reading.date, reading.value, reading.note) == (
        datetime.date(2026, 3, 15),
        Decimal("12.5"),
        "Re-counted",
    )
    assert LogEntry.objects.get_for_object(reading).count() >= 2  # added, then changed
    answer = api.patch(f"{_api(plan)}measurements/{reading.id}/", {"value": "13"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["value"] == "13.0000"
    assert answer.json()["date"] == "2026-03-15"  # what was not sent stays
    listed = api.get(f"{_api(plan)}kpis/{kpi.id}/measurements/").json()["results"]
    assert [m["date"] for m in listed] == ["2026-03-15", "2026-02-01"]
    assert set(listed[0]) >= {"id", "kpi", "date", "value", "note", "recorded_by", "created_at"}


def test_deleting_a_measurement_asks_first_then_deletes_and_is_audited(signed_in, api, plan, kpi):
    first, second = kpi.measurements.order_by("date")
    url = _url("plan_measurement_delete", plan, first.id)
    asked = signed_in.get(url)
    assert asked.status_code == 200
    assert "Delete the reading of" in asked.text
    assert Measurement.objects.filter(id=first.id).exists()  # asking deletes nothing
    done = signed_in.post(url)
    assert done.url == _url("plan_kpi", plan, kpi.id)
    assert not Measurement.objects.filter(id=first.id).exists()
    assert LogEntry.objects.filter(object_pk=str(first.id), action=LogEntry.Action.DELETE).exists()
    assert api.delete(f"{_api(plan)}measurements/{second.id}/").status_code == 204
    assert not kpi.measurements.exists()


# --- Roles: controls a role cannot use are not shown ----------------------------------------


@pytest.mark.parametrize(
    ("who", "records", "edits_kpi"),
    [
        ("owner", True, True),
        ("consultant", True, True),
        ("client_contributor", True, False),
        ("client_viewer", False, False),
        ("viewer", False, False),
    ],
)
def test_each_role_sees_only_the_controls_it_may_use(
    client, request, plan, kpi, who, records, edits_kpi
):
    client.force_login(request.getfixturevalue(who))
    reading = kpi.measurements.first()
    scorecard = client.get(_url("scorecard", plan))
    page = client.get(_url("plan_kpi", plan, kpi.id))
    assert scorecard.status_code == page.status_code == 200
    assert ("Record measurements" in scorecard.text) is records
    assert ("Record a measurement" in page.text) is records
    assert (_url("plan_measurement_edit", plan, reading.id) in page.text) is records
    assert (_url("plan_measurement_delete", plan, reading.id) in page.text) is records
    assert (_url("plan_kpi_edit", plan, kpi.id) in page.text) is edits_kpi
    assert ('name="status_comment"' in page.text) is edits_kpi
    # What is shown works; what is hidden is refused.
    expected = 200 if records else 403
    assert client.get(_url("plan_measurement_edit", plan, reading.id)).status_code == expected
    assert client.get(_url("plan_measurements", plan)).status_code == expected
    assert client.post(_url("plan_measurement_delete", plan, reading.id)).status_code == (
        302 if records else 403
    )


def test_a_client_viewer_cannot_change_readings_in_the_api(client_viewer, plan, kpi):
    api = APIClient()
    api.force_authenticate(client_viewer)
    reading = kpi.measurements.first()
    assert api.get(f"{_api(plan)}measurements/{reading.id}/").status_code == 200
    assert api.delete(f"{_api(plan)}measurements/{reading.id}/").status_code == 403
    patched = api.patch(f"{_api(plan)}measurements/{reading.id}/", {"value": 1}, format="json")
    assert patched.status_code == 403
    assert kpi.measurements.count() == 2


# --- Stale only after the start --------------------------------------------------------------


def test_a_kpi_starting_in_the_future_is_not_started_not_stale(signed_in, plan):
    today = timezone.localdate()
    KPIFactory(
        plan=plan,
        name="Next year's NPS",
        start=today + datetime.timedelta(days=60),
        due=today + datetime.timedelta(days=400),
    )
    page = signed_in.get(_url("scorecard", plan))
    row = next(r for g in page.context["groups"] for r in g["rows"])
    assert (row["not_started"], row["stale"]) == (True, False)
    assert "No measurement for 45 days" not in page.text
    assert "Starts " in page.text
    rows = APIClient()
    rows.force_login(page.wsgi_request.user)
    answer = rows.get(
        f"/api/v1/workspaces/{plan.client.workspace_id}/plans/{plan.id}/scorecard/"
    ).json()["kpis"]
    assert (answer[0]["not_started"], answer[0]["stale"]) == (True, False)


# --- Early validation: page and API, nothing saved on refusal --------------------------------


def _record(client, plan, kpi, date, value):
    return client.post(
        _url("plan_measurements", plan), {"kpi": kpi.id, "date": date, "value": value}
    )


def _api_record(api, plan, kpi, date, value):
    return api.post(
        f"{_api(plan)}measurements/",
        {"measurements": [{"kpi": str(kpi.id), "date": date, "value": value}]},
        format="json",
    )


def test_a_reading_dated_outside_the_kpis_period_is_refused_naming_the_date(
    signed_in, api, plan, kpi
):
    page = _record(signed_in, plan, kpi, "2099-01-01", "15")
    assert page.status_code == 400
    assert "period" in page.context["form"].errors["date"][0]
    answer = _api_record(api, plan, kpi, "2099-01-01", "15")
    assert answer.status_code == 400
    assert "Row 1, date:" in answer.json()["measurements"][0]
    reading = kpi.measurements.first()
    edit = signed_in.post(
        _url("plan_measurement_edit", plan, reading.id), {"date": "2025-12-31", "value": "15"}
    )
    assert edit.status_code == 400
    assert "date" in edit.context["form"].errors
    patched = api.patch(
        f"{_api(plan)}measurements/{reading.id}/", {"date": "2099-01-01"}, format="json"
    )
    assert patched.status_code == 400
    assert "date" in patched.json()
    assert kpi.measurements.count() == 2
    assert not kpi.measurements.filter(date__year__in=[2025, 2099]).exists()


def test_an_absurd_value_is_refused_naming_the_value(signed_in, api, plan, kpi):
    # 99,999,999 against a range of 10: ten million ranges away.
    page = _record(signed_in, plan, kpi, "2026-06-01", "99999999")
    assert page.status_code == 400
    assert "range" in page.context["form"].errors["value"][0]
    answer = _api_record(api, plan, kpi, "2026-06-01", "99999999")
    assert answer.status_code == 400
    assert "Row 1, value:" in answer.json()["measurements"][0]
    reading = kpi.measurements.first()
    patched = api.patch(
        f"{_api(plan)}measurements/{reading.id}/", {"value": "99999999"}, format="json"
    )
    assert patched.status_code == 400
    assert "value" in patched.json()
    assert kpi.measurements.count() == 2
    assert not kpi.measurements.filter(value__gt=1000).exists()


def test_an_outlier_is_saved_with_a_warning(signed_in, api, plan, kpi):
    # 250 lies 23 ranges above the target of 20: suspicious, not impossible.
    page = _record(signed_in, plan, kpi, "2026-06-01", "250")
    assert page.status_code == 302
    warnings = [str(m) for m in get_messages(page.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "far outside its range" in warnings[0]
    answer = _api_record(api, plan, kpi, "2026-07-01", "250")
    assert answer.status_code == 201
    assert "far outside its range" in answer.json()["warnings"][0]
    fine = _api_record(api, plan, kpi, "2026-08-01", "21")
    assert fine.json()["warnings"] == []
    assert kpi.measurements.filter(value=250).count() == 2


def test_goal_points_outside_their_category_are_refused_naming_points(signed_in, api, plan):
    lead = plan.engagement_categories.get(key="lead")  # 20 to 49 points
    page = signed_in.post(
        _url("plan_step", plan, "digital-goals"),
        {"name": "Webinar", "category": lead.id, "points": "80"},
    )
    assert page.status_code == 400
    assert "20 to 49" in page.context["form"].errors["points"][0]
    answer = api.post(
        f"{_api(plan)}digital-goals/",
        {"name": "Webinar", "category": "lead", "points": 80},
        format="json",
    )
    assert answer.status_code == 400
    assert "points" in answer.json()
    assert not DigitalGoal.objects.filter(name="Webinar").exists()
    goal = DigitalGoalFactory(plan=plan, category=lead, points=30)
    changed = api.patch(f"{_api(plan)}digital-goals/{goal.id}/", {"points": 5}, format="json")
    assert changed.status_code == 400
    assert "points" in changed.json()
    goal.refresh_from_db()
    assert goal.points == 30


def test_more_conversions_than_visits_are_refused_naming_conversions(signed_in, api, plan):
    goal = DigitalGoalFactory(plan=plan, name="Newsletter sign-up", points=10)
    form = {"visits": "100", f"goal-{goal.id}": "300"}
    calculated = signed_in.post(_url("simulator", plan), form)
    assert calculated.status_code == 400
    assert calculated.context["result"] is None
    assert "<strong>Conversions</strong>" in calculated.text
    assert "Newsletter sign-up: 300 conversions from 100 visits" in calculated.text
    saved = signed_in.post(_url("simulator", plan), {**form, "save": "1", "name": "March"})
    assert saved.status_code == 400
    answer = api.post(
        f"{_api(plan)}simulations/",
        {"name": "March", "visits": 100, "conversions": {str(goal.id): 300}},
        format="json",
    )
    assert answer.status_code == 400
    assert "conversions" in answer.json()
    assert not SimulationPeriod.objects.exists()
    # Equal is fine, and no visits entered means nothing to compare with.
    assert signed_in.post(_url("simulator", plan), {**form, "visits": "300"}).status_code == 200
    assert signed_in.post(_url("simulator", plan), {**form, "visits": "0"}).status_code == 200


# --- Plans -------------------------------------------------------------------------------------


def test_the_parent_defaults_to_the_only_one_then_to_the_last_used(signed_in, plan):
    from kpis.inputs import ItemInput
    from kpis.services import item_create

    only = item_create(plan=plan, data=ItemInput.from_values("theme", {"name": "Loyalty"}))
    page = signed_in.get(_url("plan_step", plan, "strategic-objectives"))
    assert page.context["form"].initial["parent"] == only.id
    newer = item_create(plan=plan, data=ItemInput.from_values("theme", {"name": "Growth"}))
    item_create(
        plan=plan,
        data=ItemInput.from_values("strategic_objective", {"theme": only.id, "statement": "Keep"}),
    )
    page = signed_in.get(_url("plan_step", plan, "strategic-objectives"))
    assert page.context["form"].initial["parent"] == only.id  # the last used, not the newest
    assert newer.id != only.id
    assert "---------" not in page.text
    assert "(none: an orphan)" in page.text  # still there to choose on purpose


def test_no_dash_placeholders_in_the_plan_forms(signed_in, plan, kpi):
    for url in (
        _url("plan_step", plan, "marketing-objectives"),
        _url("plan_step", plan, "digital-goals"),
        _url("plan_kpis", plan),
        _url("plan_kpi_edit", plan, kpi.id),
        _url("plan_measurements", plan),
    ):
        page = signed_in.get(url)
        assert page.status_code == 200
        assert "---------" not in page.text, url


def test_an_empty_plan_says_what_is_missing_instead_of_complete(signed_in, plan):
    page = signed_in.get(_url("plan_detail", plan))
    assert not page.context["complete"]
    assert ">Complete<" not in page.text
    assert "Nothing yet in" in page.text
    assert "Strategic themes" in page.text
    api = APIClient()
    api.force_login(page.wsgi_request.user)
    checks = api.get(
        f"/api/v1/workspaces/{plan.client.workspace_id}/plans/{plan.id}/coverage/"
    ).json()["checks"]
    steps = next(c for c in checks if c["key"] == "steps")
    assert steps["ok"] is False
    assert steps["missing"] == [
        "Strategic themes",
        "Strategic objectives",
        "Marketing objectives",
        "Digital goals",
        "KPIs",
    ]


def test_the_simulator_keeps_the_result_after_saving_and_compare_highlights_changes(
    signed_in, plan
):
    goal = DigitalGoalFactory(plan=plan, name="Newsletter sign-up", points=10)
    other = DigitalGoalFactory(plan=plan, name="Brochure download", points=5)
    url = _url("simulator", plan)
    values = {f"goal-{goal.id}": "40", f"goal-{other.id}": "10"}
    saved = signed_in.post(url, {"visits": "400", **values, "save": "1", "name": "March"})
    assert saved.status_code == 302
    shown = signed_in.get(saved.url)
    assert shown.context["result"]["engagement_value"] == 450
    assert shown.context["visits"] == "400"
    assert "Saved period “March”" in shown.text
    signed_in.post(
        url, {"visits": "500", **values, f"goal-{goal.id}": "60", "save": "1", "name": "April"}
    )
    march, april = SimulationPeriod.objects.order_by("created_at")
    compared = signed_in.get(url, {"compare": [march.id, april.id]})
    lines = {line["label"]: line for line in compared.context["differences"]}
    assert lines["Visits"]["change"] == 100
    assert lines["Visits"]["changed"]
    assert lines["Engagement value"]["change"] == 200
    assert lines["Newsletter sign-up conversions"]["change"] == 20
    assert not lines["Brochure download conversions"]["changed"]
    assert compared.text.count('class="changed"') == sum(1 for x in lines.values() if x["changed"])
    assert "<mark>+100</mark>" in compared.text


def test_kpi_owner_is_kept_by_a_kpi_edit_that_does_not_send_the_comment(api, plan, kpi):
    KPI.objects.filter(id=kpi.id).update(status_comment="On track")
    answer = api.patch(f"{_api(plan)}kpis/{kpi.id}/", {"owner": "Bo"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status_comment"] == "On track"

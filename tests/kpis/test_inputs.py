"""KPIInput: the one set of field rules the KPI form, the API and scripts share."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from kpis.forms import KPIForm
from kpis.inputs import KPIInput
from kpis.models import KPI
from kpis.services import kpi_update
from tests.kpis.factories import KPIFactory, StrategyPlanFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "name": "  Repeat   rate ",
    "direction": "increase",
    "baseline": "10",
    "target": "20",
    "start": "2026-01-01",
    "due": date(2026, 12, 31),
}


def test_values_are_cleaned_by_the_model_fields_limits():
    given = KPIInput.from_values(VALUES)
    assert (given.name, given.baseline, given.start) == (
        "Repeat rate",
        Decimal("10"),
        date(2026, 1, 1),
    )
    assert given.unit == ""
    assert given.digital_goal is None


def test_every_bad_field_and_every_unknown_name_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        KPIInput.from_values(
            {
                **VALUES,
                "name": "x" * 201,
                "direction": "sideways",
                "baseline": "1" * 15,
                "position": 1,
            }
        )
    assert set(caught.value.message_dict) == {"name", "direction", "baseline", "position"}


def test_a_new_kpi_needs_its_numbers_but_a_change_does_not():
    with pytest.raises(ValidationError) as caught:
        KPIInput.from_values({"name": "K"})
    assert set(caught.value.message_dict) == {"baseline", "target", "start", "due"}
    change = KPIInput.from_values({"owner": "Ana"}, partial=True)
    assert change.given == {"owner"}
    assert change.changes() == {"owner": "Ana"}


def test_a_change_writes_only_the_fields_given():
    kpi = KPIFactory(owner="Jonas")
    KPI.objects.filter(pk=kpi.pk).update(name="Renamed elsewhere")
    kpi_update(kpi=kpi, data=KPIInput.from_values({"owner": "Ana"}, partial=True))
    kpi.refresh_from_db()
    assert (kpi.name, kpi.owner, kpi.revision) == ("Renamed elsewhere", "Ana", 2)


def test_a_change_is_checked_against_the_saved_numbers():
    kpi = KPIFactory(baseline=10, target=20)
    with pytest.raises(ValidationError) as caught:
        kpi_update(kpi=kpi, data=KPIInput.from_values({"target": "5"}, partial=True))
    assert "target" in caught.value.message_dict
    kpi.refresh_from_db()
    assert kpi.target == 20


def test_the_form_and_the_api_build_the_same_input(consultant, workspace):
    plan = StrategyPlanFactory(client__workspace=workspace)
    body = {**VALUES, "due": "2026-12-31", "digital_goal": "", "marketing_objective": ""}
    form = KPIForm(body, plan=plan)
    assert form.is_valid(), form.errors
    # The form sends every field (`given`), the values are what count.
    assert {**asdict(form.kpi_input()), "given": None} == {
        **asdict(KPIInput.from_values(VALUES)),
        "given": None,
    }
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{workspace.id}/plans/{plan.id}/kpis/"
    answer = api.post(url, {**VALUES, "due": "2026-12-31"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert KPI.objects.get().name == "Repeat rate"
    too_long = api.post(url, {**VALUES, "owner": "x" * 151}, format="json")
    assert too_long.status_code == 400
    assert "owner" in too_long.json()
    assert KPI.objects.count() == 1

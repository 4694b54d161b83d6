"""SCORING.md §4: a KPI's status at its latest measurement."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.status import kpi_status

KPI = {
    "baseline": 2.0,
    "target": 3.5,
    "direction": "increase",
    "start": "2026-01-01",
    "due": "2026-12-31",
}


def _status(*measurements, **changes):
    return kpi_status({**KPI, **changes, "measurements": list(measurements)})


def test_the_scoring_md_example_is_at_risk():
    assert _status({"date": "2026-06-30", "value": 2.6}) == {
        "status": "at_risk",
        "latest": 2.6,
        "progress": 0.4,
        "expected": 0.4945,
    }


def test_no_measurement_is_no_data():
    assert _status() == {"status": "no_data", "latest": None, "progress": None, "expected": None}


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (3.5, "met"),
        (4.0, "met"),
        (2.8, "on_track"),
        (2.55, "at_risk"),
        (2.3, "off_track"),
        (1.5, "off_track"),
    ],
)
def test_each_status(value, status):
    assert _status({"date": "2026-06-30", "value": value})["status"] == status


def test_latest_by_date_and_the_last_given_on_a_tie():
    result = _status(
        {"date": "2026-06-30", "value": 3.0},
        {"date": "2026-03-01", "value": 1.0},
        {"date": "2026-06-30", "value": 2.0},
    )
    assert result["latest"] == 2.0
    assert result["progress"] == 0.0


def test_a_decreasing_kpi():
    result = kpi_status(
        {
            "baseline": 40,
            "target": 30,
            "direction": "decrease",
            "start": "2026-01-01",
            "due": "2027-01-01",
            "measurements": [{"date": "2027-02-01", "value": 35}],
        }
    )
    assert (result["progress"], result["expected"], result["status"]) == (0.5, 1.0, "off_track")


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"target": 2.0}, "target: must differ"),
        ({"target": 1.0}, "target: must lie above"),
        ({"direction": "up"}, "direction"),
        ({"due": "2025-12-31"}, "due: must come after start"),
        ({"start": "01/01/2026"}, "start: must be a date"),
        ({"baseline": "x"}, "baseline"),
    ],
)
def test_bad_input_raises_value_error_naming_the_item(changes, named):
    with pytest.raises(ValueError, match=named):
        _status(**changes)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-1000, 1000),
    st.integers(1, 1000),
    st.integers(1, 800),
    st.integers(-50, 900),
    st.integers(-2000, 2000),
    st.booleans(),
)
def test_properties(baseline, distance, length, day, value, decrease):
    target = baseline - distance if decrease else baseline + distance
    start = date(2026, 1, 1)
    data = {
        "baseline": baseline,
        "target": target,
        "direction": "decrease" if decrease else "increase",
        "start": start.isoformat(),
        "due": (start + timedelta(days=length)).isoformat(),
        "measurements": [{"date": (start + timedelta(days=day)).isoformat(), "value": value}],
    }
    result = kpi_status(data)
    assert 0 <= result["expected"] <= 1
    # Moving the measurement toward the target never worsens the status.
    order = ["off_track", "at_risk", "on_track", "met"]
    better = dict(
        data, measurements=[{**data["measurements"][0], "value": value + (-1 if decrease else 1)}]
    )
    assert order.index(kpi_status(better)["status"]) >= order.index(result["status"])
    # Reaching the target is always "met".
    reached = dict(data, measurements=[{**data["measurements"][0], "value": target}])
    assert kpi_status(reached)["status"] == "met"

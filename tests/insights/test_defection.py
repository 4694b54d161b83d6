"""Acting on the defection list: the whole at-risk list as CSV and paged API, and two
analyses of one client compared (segment migration, at-risk change)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cxmaturity.demo_insights import AS_OF, transactions_csv
from insights.services import analysis_update, defection
from tests.insights.factories import SegmentAnalysisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant_client(client, consultant):
    client.force_login(consultant)
    return client


@pytest.fixture
def consultant_api(consultant):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(consultant)
    return api


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_at_risk_export_is_complete_for_5000_demo_customers(consultant_client, workspace):
    analysis = SegmentAnalysisFactory(
        client__workspace=workspace, data=transactions_csv(customers=5000), as_of=AS_OF
    )
    expected = analysis.summary["at_risk_count"]
    assert expected > 50  # more than the page's top of the list
    response = consultant_client.get(
        reverse("segment_analysis_at_risk_csv", args=[workspace.id, analysis.id])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert len(rows) == expected
    assert len({row["customer_id"] for row in rows}) == expected
    values = [float(row["value_at_stake"]) for row in rows]
    assert values == sorted(values, reverse=True)
    assert round(sum(values), 0) == pytest.approx(analysis.summary["at_risk_value"], abs=len(rows))


def test_the_api_pages_the_whole_list_in_order(consultant_api, workspace):
    analysis = SegmentAnalysisFactory(
        client__workspace=workspace, data=transactions_csv(customers=400), as_of=AS_OF
    )
    url = reverse("api-segment-analysis-at-risk", args=[workspace.id, analysis.id])
    seen = []
    page = consultant_api.get(url, {"page_size": 30}).json()
    assert page["count"] == analysis.summary["at_risk_count"]
    while True:
        seen += page["results"]
        if not page["next"]:
            break
        page = consultant_api.get(page["next"]).json()
    assert len(seen) == analysis.summary["at_risk_count"]
    assert len({row["customer_id"] for row in seen}) == len(seen)
    top = [row["customer_id"] for row in analysis.summary["at_risk"]]
    assert [row["customer_id"] for row in seen[: len(top)]] == top
    assert set(seen[0]) == {
        "customer_id",
        "segment",
        "usual_gap_days",
        "days_silent",
        "value_at_stake",
    }


def test_changing_k_changes_the_exported_list(consultant_client, workspace):
    analysis = SegmentAnalysisFactory(client__workspace=workspace, k=1)
    url = reverse("segment_analysis_at_risk_csv", args=[workspace.id, analysis.id])
    before = len(_csv(consultant_client.get(url)))
    analysis_update(analysis=analysis, fields={"k": 10})
    after = len(_csv(consultant_client.get(url)))
    assert after < before
    assert after == analysis.summary["at_risk_count"]


EARLIER = b"""customer_id,date,amount
a,2026-01-01,10
a,2026-01-20,10
a,2026-02-10,10
b,2026-02-01,10
c,2025-06-01,10
d,2026-02-15,10
"""
LATER = b"""customer_id,date,amount
a,2026-01-01,10
a,2026-01-20,10
a,2026-02-10,10
b,2026-02-01,10
d,2026-02-15,10
e,2026-05-20,10
"""


def test_the_migration_matrix_counts_moves_new_and_gone():
    earlier = SegmentAnalysisFactory(data=EARLIER, as_of=datetime.date(2026, 3, 1))
    later = SegmentAnalysisFactory(
        client=earlier.client, data=LATER, as_of=datetime.date(2026, 6, 1)
    )
    import polars as pl

    def segments(analysis):
        table = defection.local_table(analysis)
        with table as path:
            return dict(pl.read_parquet(path).select("customer_id", "segment").iter_rows())

    before, after = segments(earlier), segments(later)
    found = defection.comparison(earlier, later)
    matrix = {row["from"]: row["to"] for row in found["matrix"]}
    expected: dict = {}
    for customer in set(before) | set(after):
        key = (before.get(customer, defection.NEW), after.get(customer, defection.GONE))
        expected[key] = expected.get(key, 0) + 1
    counted = {(s, t): n for s, row in matrix.items() for t, n in row.items() if n}
    assert counted == expected
    assert counted[(before["c"], defection.GONE)] == 1  # c is not in the later file
    assert counted[(defection.NEW, after["e"])] == 1  # e is not in the earlier one
    assert sum(counted.values()) == 5
    change = found["at_risk_value"]
    assert change["change"] == pytest.approx(change["later"] - change["earlier"], abs=0.01)


def test_the_compare_page_and_api(consultant_client, consultant_api, workspace):
    earlier = SegmentAnalysisFactory(
        client__workspace=workspace, data=EARLIER, as_of=datetime.date(2026, 3, 1)
    )
    later = SegmentAnalysisFactory(
        client=earlier.client, data=LATER, as_of=datetime.date(2026, 6, 1)
    )
    page = consultant_client.get(
        reverse("segment_analysis_compare", args=[workspace.id, later.id, earlier.id])
    )
    assert page.status_code == 200
    assert "Segment migration" in page.content.decode()
    answer = consultant_api.get(
        reverse("api-segment-analysis-compare", args=[workspace.id, later.id, earlier.id])
    ).json()
    assert answer["earlier"] == str(earlier.id)  # ordered by as-of date
    assert sum(n for row in answer["matrix"] for n in row["to"].values()) == 5


def test_comparing_analyses_of_two_clients_or_tampered_ids_is_not_found(
    consultant_client, consultant_api, workspace
):
    mine = SegmentAnalysisFactory(client__workspace=workspace)
    theirs = SegmentAnalysisFactory(client__workspace=workspace)  # another client
    for other in (theirs.id, "00000000-0000-0000-0000-000000000000", mine.id):
        page = reverse("segment_analysis_compare", args=[workspace.id, mine.id, other])
        api = reverse("api-segment-analysis-compare", args=[workspace.id, mine.id, other])
        assert consultant_client.get(page).status_code == 404
        assert consultant_api.get(api).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    for name in ("segment_analysis_at_risk_csv", "api-segment-analysis-at-risk"):
        client = consultant_api if name.startswith("api") else consultant_client
        assert client.get(reverse(name, args=[workspace.id, missing])).status_code == 404

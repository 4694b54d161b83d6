"""Insight feeds KPIs: segment analyses and listening uploads record measurements on the
KPIs linked to their metrics, once per analysis and date, for their own client only."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from insights import services
from insights.services import analysis_delete, analysis_update, listening_upload
from kpis.models import Measurement
from tests.insights.factories import SegmentAnalysisFactory
from tests.kpis.factories import KPIFactory, StrategyPlanFactory

pytestmark = pytest.mark.django_db

LAST_PURCHASE = datetime.date(2026, 3, 20)  # the latest transaction in the factory's file


def _kpi(client, metric, **fields):
    return KPIFactory(plan=StrategyPlanFactory(client=client), insight_metric=metric, **fields)


def test_an_analysis_records_its_figures_on_linked_kpis_dated_by_the_latest_transaction():
    client = StrategyPlanFactory().client
    repeat = _kpi(client, "repeat_rate", baseline=30, target=60)
    active = _kpi(client, "active_customers", baseline=1, target=10)
    at_risk = _kpi(client, "customers_at_risk", direction="decrease", baseline=5, target=1)
    unlinked = _kpi(client, "")
    analysis = SegmentAnalysisFactory(client=client)

    (reading,) = repeat.measurements.all()
    assert (reading.date, reading.value) == (LAST_PURCHASE, Decimal("40.0000"))  # a, c of 5
    assert reading.source_analysis == analysis
    assert reading.recorded_by is None
    total = active.measurements.get().value + at_risk.measurements.get().value
    assert total == 5
    assert not unlinked.measurements.exists()


def test_rerunning_or_changing_k_replaces_and_deleting_the_analysis_removes():
    client = StrategyPlanFactory().client
    kpi = _kpi(client, "customers_at_risk", direction="decrease", baseline=5, target=1)
    analysis = SegmentAnalysisFactory(client=client, k=1)
    before = kpi.measurements.get().value
    analysis_update(analysis=analysis, fields={"k": 10})
    (after,) = kpi.measurements.all()  # replaced, not added
    assert after.value < before
    services.analysis_measurements_record(analysis)
    assert kpi.measurements.count() == 1
    analysis_delete(analysis=analysis)
    assert not kpi.measurements.exists()


def test_a_hand_typed_reading_of_the_same_date_is_replaced_other_dates_kept():
    client = StrategyPlanFactory().client
    kpi = _kpi(client, "repeat_rate", baseline=30, target=60)
    Measurement.objects.create(kpi=kpi, date=LAST_PURCHASE, value=1)
    Measurement.objects.create(kpi=kpi, date=datetime.date(2026, 2, 1), value=2)
    SegmentAnalysisFactory(client=client)
    assert sorted(kpi.measurements.values_list("value", flat=True)) == [2, 40]


def test_a_kpi_of_another_client_is_never_touched():
    other = _kpi(StrategyPlanFactory().client, "repeat_rate", baseline=30, target=60)
    SegmentAnalysisFactory(client=StrategyPlanFactory().client)
    assert not other.measurements.exists()


def test_measurements_failing_leaves_the_analysis_failed_with_nothing_half_done():
    client = StrategyPlanFactory().client
    kpi = _kpi(client, "repeat_rate", baseline=30, target=60)
    with mock.patch.object(services, "analysis_measurements_record", side_effect=RuntimeError):
        analysis = SegmentAnalysisFactory(client=client)
    assert analysis is None  # its outcome was not kept
    assert not kpi.measurements.exists()
    stored = client.segment_analyses.get()
    assert stored.status == "failed"
    assert not stored.table.name


LISTENING = b"""date,brand,source,mentions,positive,negative,shares,reviews,rating
2026-08-03,Northwind,twitter,10,5,1,1,1,3.0
2026-09-03,Northwind,twitter,100,40,10,8,5,4.0
2026-09-10,Northwind,reviews,50,20,5,2,20,4.5
2026-09-01,Contoso,twitter,200,60,40,40,10,3.5
2026-09,Fabrikam,forums,50,30,5,15,,
"""


def test_a_listening_upload_records_the_clients_brand_at_the_exports_period_end():
    client = StrategyPlanFactory().client
    voice = _kpi(client, "share_of_voice", baseline=20, target=50)
    rating = _kpi(client, "review_rating", baseline=3, target=5)
    sentiment = _kpi(client, "net_sentiment", baseline=10, target=50)
    segments = _kpi(client, "repeat_rate", baseline=30, target=60)
    other = _kpi(StrategyPlanFactory().client, "share_of_voice", baseline=20, target=50)

    listening_upload(client=client, data=LISTENING, client_brand="northwind")
    listening_upload(client=client, data=LISTENING, client_brand="northwind")  # again: replaces

    (reading,) = voice.measurements.all()
    assert reading.date == datetime.date(2026, 9, 30)
    assert reading.from_listening
    assert reading.value == Decimal("37.5000")  # 150 of 400 mentions
    assert rating.measurements.get().value == Decimal("4.4000")  # (4*5 + 4.5*20) / 25
    assert sentiment.measurements.get().value == Decimal("30.0000")  # (60 - 15) / 150
    assert not segments.measurements.exists()
    assert not other.measurements.exists()


def test_the_review_rating_measurement_is_the_pages_exact_figure():
    """Rows of one source add up with their exact rating points, so the measurement is the
    page's figure, not one from the added-up row's rounded rating: (4.00 + 4.01 + 3 x 3) / 5."""
    client = StrategyPlanFactory().client
    rating = _kpi(client, "review_rating", baseline=3, target=5)
    export = b"""date,brand,source,mentions,positive,negative,shares,reviews,rating
2026-09-01,Northwind,web,10,1,1,0,1,4.00
2026-09-02,Northwind,web,10,1,1,0,1,4.01
2026-09-03,Northwind,app,10,1,1,0,3,3.00
"""
    listening_upload(client=client, data=export, client_brand="Northwind")
    assert rating.measurements.get().value == Decimal("3.4020")

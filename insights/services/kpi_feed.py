"""Insight that feeds KPIs: a KPI linked to an insight metric (KPI.insight_metric) gets a
measurement from each completed segment analysis or listening upload of its client,
dated by the data's as-of date, replacing the KPI's measurement of that date. Called
inside the transaction that completes the analysis or stores the upload, so a dead
worker leaves neither half."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from kpis.models import KPI, LISTENING_METRICS, InsightMetric, Measurement, StrategyPlan
from workspaces.models import Client

from ..models import SegmentAnalysis

if TYPE_CHECKING:
    import polars as pl

SEGMENT_METRICS = frozenset(InsightMetric.values) - LISTENING_METRICS


def segment_metrics(flagged: pl.DataFrame, segments: pl.DataFrame) -> dict:
    """The segment figures a KPI may take, from the per-customer table (with `at_risk`)
    and rfm.lifetime_value's segments. "Active" customers are those not past their
    defection trigger; the as-of date is the latest transaction's."""
    import polars as pl

    customers = flagged.height
    if not customers:
        return {}
    revenue = flagged["monetary"].sum()
    champions = flagged.filter(pl.col("segment") == "champions")["monetary"].sum()
    at_risk = flagged.filter(pl.col("at_risk"))
    weighted = (segments["lifetime_value"] * segments["customers"]).sum()
    return {
        "as_of": flagged["last_purchase"].max().isoformat(),
        "active_customers": customers - at_risk.height,
        "repeat_rate": 100 * flagged.filter(pl.col("frequency") >= 2).height / customers,
        "customers_at_risk": at_risk.height,
        "value_at_stake": at_risk["value_at_stake"].sum(),
        "lifetime_value": weighted / customers,
        "champions_share": 100 * champions / revenue if revenue else None,
    }


def _linked(client: Client, metrics: frozenset[str]):
    return KPI.objects.filter(plan__client=client, insight_metric__in=metrics).exclude(
        plan__status=StrategyPlan.Status.ARCHIVED
    )


def _record(kpis, when: datetime.date, values: dict, **source) -> int:
    """One measurement per KPI whose metric has a value, replacing that KPI's of `when`."""
    rows = [
        Measurement(
            kpi=kpi,
            date=when,
            value=Decimal(str(round(values[kpi.insight_metric], 4))),
            note=str(InsightMetric(kpi.insight_metric).label)[:300],
            **source,
        )
        for kpi in kpis
        if values.get(kpi.insight_metric) is not None
    ]
    Measurement.objects.filter(kpi__in=[row.kpi for row in rows], date=when).delete()
    Measurement.objects.bulk_create(rows)
    return len(rows)


def analysis_measurements_record(analysis: SegmentAnalysis) -> int:
    """The analysis's figures on every linked KPI of its client; re-running (or changing
    k) replaces what this analysis recorded before."""
    Measurement.objects.filter(source_analysis=analysis).delete()
    metrics = (analysis.summary or {}).get("metrics") or {}
    if analysis.status != SegmentAnalysis.Status.DONE or not metrics:
        return 0
    when = datetime.date.fromisoformat(metrics["as_of"])
    kpis = list(_linked(analysis.client, SEGMENT_METRICS))
    return _record(kpis, when, metrics, source_analysis=analysis)


def listening_measurements_record(client: Client, month: datetime.date) -> int:
    """The client's own brand's figures for `month` (all its stored sources and the
    competitors' mentions that month), dated by the month's last day."""
    import polars as pl

    from ..listening import COUNTS, monthly
    from ..models import ListeningMonth

    kpis = list(_linked(client, LISTENING_METRICS))
    stored = list(
        ListeningMonth.objects.filter(client=client, month=month).values(
            "brand", "is_client", "month", *COUNTS, "rating", "rating_points"
        )
    )
    own = {row["brand"] for row in stored if row["is_client"]}
    if not kpis or not own:
        return 0
    table = monthly(
        pl.DataFrame(
            [
                {**row, "rating": None if row["rating"] is None else float(row["rating"])}
                for row in stored
            ],
            # The exact rating points: the rating the page shows, not one of rounded rows.
            schema_overrides={"rating": pl.Float64, "rating_points": pl.Int64},
        )
    )
    mine = table.filter(pl.col("brand").is_in(list(own))).to_dicts()[0]
    values = {metric: mine.get(metric) for metric in LISTENING_METRICS}
    for ratio in ("share_of_voice", "net_sentiment", "sharing_rate"):
        if values[ratio] is not None:
            values[ratio] *= 100
    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return _record(kpis, end, values, from_listening=True)

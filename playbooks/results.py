"""A campaign's results as the page, the API and the PDFs show them: its KPIs since the
launch, its spend against the plan, its test results and its status history.

"Since launch" measures each KPI from its value at launch (the last measurement on or
before the day the campaign first went live, else the KPI's baseline) to the KPI's own
target and due date, with the same rule as the KPI's status (kpi_status). Where that line
cannot be drawn (the value at launch already past the target, or the KPI due before the
launch) the KPI's own status stands in. The KPI's own status is never changed."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxnumbers.ab_test import ab_results
from kpis.charts import sparkline
from kpis.models import KPI, Measurement
from kpis.selectors import STATUS_WORDS
from kpis.status import kpi_status

from .models import CampaignPlan, CampaignStatusChange

# The status history as the results read it: who made each change, in one query.
HISTORY = Prefetch("status_changes", CampaignStatusChange.objects.select_related("changed_by"))

VERDICTS = {
    "no_data": gettext_lazy("No test results yet."),
    "waiting": gettext_lazy("No winner yet: each variant needs %(n)s visitors."),
    "no_difference": gettext_lazy("No significant difference (p ≥ 0.05)."),
    "winner": gettext_lazy("“%(name)s” wins."),
    "control_wins": gettext_lazy("The control “%(name)s” wins."),
}


def launch_date(history: list[CampaignStatusChange]) -> date | None:
    """The day the campaign first went live, in the site's time zone."""
    for change in history:
        if change.status == CampaignPlan.Status.RUNNING:
            return timezone.localdate(change.changed_at)
    return None


def _status(kpi: KPI, baseline: Decimal, start: date, measurements: list) -> str:
    return kpi_status(
        {
            "baseline": str(baseline),
            "target": str(kpi.target),
            "direction": kpi.direction,
            "start": start,
            "due": kpi.due,
            "measurements": [{"date": m.date, "value": str(m.value)} for m in measurements],
        }
    )["status"]


def measurement_series(kpi_ids: list) -> dict:
    """The measurements of these KPIs, oldest first, by KPI id; 1 query."""
    series = defaultdict(list)
    for m in Measurement.objects.filter(kpi__in=kpi_ids).order_by("date", "created_at"):
        series[m.kpi_id].append(m)
    return series


def kpi_rows(kpis: list[KPI], launched: date | None, series: dict) -> list[dict]:
    """Each KPI at launch, now, and its status since launch with a sparkline."""
    rows = []
    for kpi in kpis:
        measured = series[kpi.id]
        own = _status(kpi, kpi.baseline, kpi.start, measured)
        row = {
            "kpi": kpi,
            "own": own,
            "own_word": STATUS_WORDS[own],
            "at_launch": None,
            "now": measured[-1].value if measured else None,
            "status": None,
            "from_baseline": False,
            "spark": "",
            "since_own": False,
        }
        if launched is not None:
            before = [m for m in measured if m.date <= launched]
            after = [m for m in measured if m.date > launched]
            start_value = before[-1].value if before else kpi.baseline
            row.update(at_launch=start_value, from_baseline=not before)
            try:
                row["status"] = _status(kpi, start_value, launched, after)
            except ValueError:
                row.update(status=own, since_own=True)
            values = [float(start_value), *(float(m.value) for m in after)]
            row["spark"] = sparkline(values) if len(values) > 1 else ""
            row["word"] = STATUS_WORDS[row["status"]]
            row["spark_label"] = _("%(name)s since launch: %(values)s") % {
                "name": kpi.name,
                "values": ", ".join(f"{v:g}" for v in values),
            }
        rows.append(row)
    return rows


def spend(campaign: CampaignPlan, activities: list) -> dict:
    """Actual spend against the planned budget per activity and in total."""
    rows = [
        {
            "title": a.title,
            "budget": a.budget,
            "actual": a.actual_spend,
            "over": a.actual_spend is not None
            and a.budget is not None
            and a.actual_spend > a.budget,
        }
        for a in activities
    ]
    planned = sum((a.budget or 0 for a in activities), Decimal(0))
    actual = sum((a.actual_spend or 0 for a in activities), Decimal(0))
    limit = campaign.total_budget if campaign.total_budget is not None else planned
    return {
        "rows": rows,
        "planned": planned,
        "actual": actual,
        "entered": any(a.actual_spend is not None for a in activities),
        "over": actual > limit,
        "limit": limit,
    }


def test(campaign: CampaignPlan) -> dict | None:
    """The test's variants with their rates, lifts and z-tests, and the verdict; the
    first variant is the control."""
    if not campaign.test_kind:
        return None
    given = campaign.test_results or {}
    counts = [
        (name, given.get(name, {}).get("visitors", 0), given.get(name, {}).get("conversions", 0))
        for name in campaign.test_variants
    ]
    result = ab_results(counts, min_sample=campaign.test_min_sample)
    verdict = result["verdict"]
    if not given:
        verdict = "no_data"
    name = result["winner"] or ""
    text = VERDICTS[verdict] % {"n": campaign.test_min_sample, "name": name}
    variants = [
        {
            "name": v.name,
            "visitors": v.visitors,
            "conversions": v.conversions,
            "entered": v.name in given,
            "control": v.control,
            "rate": None if v.rate is None else round(v.rate * 100, 2),
            "lift": None if v.lift is None else round(v.lift * 100, 1),
            "z": None if v.z is None else round(v.z, 3),
            "p": None if v.p_value is None else round(v.p_value, 4),
        }
        for v in result["variants"]
    ]
    return {
        "variants": variants,
        "verdict": verdict,
        "verdict_text": text,
        "winner": name or None,
        "sample_reached": result["sample_reached"],
    }


def _who(user: object) -> str:
    return (user.get_full_name() or str(user)) if user is not None else ""


def campaign_results(campaign: CampaignPlan, series: dict | None = None) -> dict:
    """Everything the results tab and the PDFs' results section show. The history, KPIs
    and activities come from the campaign's prefetch (HISTORY for the history) when there
    is one; `series` are the KPIs' measurements (measurement_series) when read for many
    campaigns at once."""
    history = list(campaign.status_changes.all())
    launched = launch_date(history)
    kpis = list(campaign.kpis.all())
    if series is None:
        series = measurement_series([k.id for k in kpis])
    return {
        "launched": launched,
        "history": [
            {
                "status": h.status,
                "label": CampaignPlan.Status(h.status).label,
                "at": h.changed_at,
                "by": _who(h.changed_by),
            }
            for h in history
        ],
        "kpis": kpi_rows(kpis, launched, series),
        "spend": spend(campaign, list(campaign.activities.all())),
        "test": test(campaign),
    }

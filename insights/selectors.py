"""Reads for customer insight, always within one workspace."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity.formats import percent
from workspaces.models import Client
from workspaces.scope import ClientScope

from .models import ChunkedUpload, ListeningImport, SegmentAnalysis


def analysis_list(*, scope: ClientScope, client: Client | None = None) -> QuerySet:
    analyses = scope.filter(SegmentAnalysis.objects.select_related("client"))
    if client is not None:
        analyses = analyses.filter(client=client)
    return analyses.order_by("-created_at")


def analysis_get(*, scope: ClientScope, analysis_id: UUID) -> SegmentAnalysis:
    return get_object_or_404(
        scope.filter(SegmentAnalysis.objects.select_related("client")), id=analysis_id
    )


def analysis_summary(*, analysis: SegmentAnalysis, scope: ClientScope) -> dict:
    """The analysis summary this member may read: the client team reads the grid, segments
    and counts, never per-customer rows (the defection list)."""
    summary = dict(analysis.summary or {})
    if scope.is_client_member:
        summary.pop("at_risk", None)
    return summary


def customer_rows_allowed(*, scope: ClientScope) -> None:
    """Per-customer rows (the defection list, its export) are the consultants' only."""
    if scope.is_client_member:
        raise PermissionDenied(_("The client team reads segments and counts, not customers."))


def analysis_pair(*, scope: ClientScope, analysis_id: UUID, other_id: UUID) -> tuple:
    """Two analyses the member may read, the earlier (by as-of date) first; not found
    when they belong to different clients (or are one)."""
    first = analysis_get(scope=scope, analysis_id=analysis_id)
    second = analysis_get(scope=scope, analysis_id=other_id)
    if first.client_id != second.client_id or first.id == second.id:
        raise Http404(_("Compare two analyses of the same client."))
    return tuple(sorted((first, second), key=lambda a: (a.as_of, a.created_at)))


# Inside the finding sentence; separate msgids so each language chooses its own casing.
METRIC_IN_SENTENCE = {
    "net_sentiment": gettext_lazy("net sentiment"),
    "share_of_voice": gettext_lazy("share of voice"),
    "sharing_rate": gettext_lazy("sharing rate"),
    "review_rating": gettext_lazy("review rating"),
    "reviews_per_1000": gettext_lazy("reviews per 1,000 mentions"),
}
JOURNEY_NAMES = {
    "shopping": gettext_lazy("Shopping"),
    "sharing": gettext_lazy("Sharing"),
    "advocacy": gettext_lazy("Advocacy"),
}
FINDING_ADVICE = {
    "net_sentiment": gettext_lazy(
        "Learn what people praise in %(brand)s; fix what they criticise in us."
    ),
    "share_of_voice": gettext_lazy(
        "Find where %(brand)s is talked about and which topics it owns."
    ),
    "sharing_rate": gettext_lazy(
        "Study what people share from %(brand)s: formats, timing, places."
    ),
    "review_rating": gettext_lazy("Study %(brand)s's review prompts and replies after purchase."),
    "reviews_per_1000": gettext_lazy(
        "Ask buyers for reviews at the right moment, as %(brand)s does."
    ),
}


def finding_text(row: dict) -> str:
    """The sentence for a metric where a competitor leads, with what to learn from it: the
    one wording of the page, the API, the tactic it becomes and the playbook."""
    from .listening import RATIOS  # polars loads only where listening data is read

    shown = percent if row["metric"] in RATIOS else (lambda value: f"{value:.2f}")
    return _("%(journey)s, %(metric)s: %(brand)s %(best)s against our %(ours)s. %(advice)s") % {
        "journey": JOURNEY_NAMES[row["journey"]],
        "metric": METRIC_IN_SENTENCE[row["metric"]],
        "brand": row["best_brand"],
        "best": shown(row["best"]),
        "ours": shown(row["client"]),
        "advice": FINDING_ADVICE[row["metric"]] % {"brand": row["best_brand"]},
    }


def latest_analysis(client: Client) -> SegmentAnalysis | None:
    return (
        client.segment_analyses.filter(status=SegmentAnalysis.Status.DONE)
        .order_by("-as_of", "-created_at")
        .first()
    )


def listening_comparison(*, client: Client, month: str | None = None) -> dict | None:
    """The months on file, the chosen (or latest) month's comparison per journey, and the
    findings where competitors lead (each with its `text`); None when nothing is uploaded."""
    import datetime

    import polars as pl

    from .listening import COUNTS, compare, monthly
    from .models import ListeningMonth

    stored = list(
        ListeningMonth.objects.filter(client=client).values(
            "month", "brand", "source", "is_client", "rating", "rating_points", *COUNTS
        )
    )
    if not stored:
        return None
    client_brand = next((r["brand"] for r in stored if r["is_client"]), None)
    frame = pl.DataFrame(
        [{**r, "rating": None if r["rating"] is None else float(r["rating"])} for r in stored],
        schema_overrides={"rating": pl.Float64, "rating_points": pl.Int64},
    )
    table = monthly(frame.drop("is_client"))
    months = sorted(table["month"].unique().to_list(), reverse=True)
    chosen = months[0]
    if month:
        try:
            wanted = datetime.date.fromisoformat(f"{month}-01")
        except ValueError:
            wanted = None
        if wanted in months:
            chosen = wanted
    rows = compare(table, client_brand=client_brand, month=chosen) if client_brand else []
    brands = table.filter(pl.col("month") == chosen).sort("mentions", descending=True)
    return {
        "client_brand": client_brand,
        "months": months,
        "month": chosen,
        "rows": rows,
        "findings": [{**r, "text": finding_text(r)} for r in rows if r["competitors_lead"]],
        "brands": brands.to_dicts(),
    }


def listening_import_list(*, scope: ClientScope, client: Client | None = None) -> QuerySet:
    imports = scope.filter(ListeningImport.objects.select_related("client"))
    if client is not None:
        imports = imports.filter(client=client)
    return imports.order_by("-created_at")


def listening_import_get(*, scope: ClientScope, import_id: UUID) -> ListeningImport:
    return get_object_or_404(
        scope.filter(ListeningImport.objects.select_related("client")), id=import_id
    )


def listening_import_shown(*, scope: ClientScope, client: Client) -> ListeningImport | None:
    """The import the listening page reports: the latest, unless it was done over a day ago
    (its months are on the page by then)."""
    import datetime

    from django.utils import timezone

    latest = listening_import_list(scope=scope, client=client).first()
    if latest is None or latest.status != ListeningImport.Status.DONE:
        return latest
    recent = latest.finished_at and latest.finished_at > timezone.now() - datetime.timedelta(1)
    return latest if recent else None


def upload_get(*, scope: ClientScope, upload_id: UUID) -> ChunkedUpload:
    return get_object_or_404(
        scope.filter(ChunkedUpload.objects.select_related("client")), id=upload_id
    )

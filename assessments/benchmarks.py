"""Benchmarks: an assessment's scores against comparable closed assessments, overall and
per dimension, read from stored results in one query however many peers there are.

Peers are closed assessments of the same questionnaire (by key) of the workspace's
other clients (never the client's own), sharing the traits chosen on the assessment
(industry, size band, region). A workspace that joined the anonymous pool also sees the
pooled figures: peers from every workspace that joined, only when enough assessments from
enough workspaces stand behind them, and never naming one. The arithmetic is
`cxnumbers.benchmark`'s.
"""

from django.conf import settings
from django.db.models import JSONField, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxnumbers.benchmark import benchmark

from .models import Assessment, QuestionnaireVersion
from .scoring import SCORING_VERSION

# The client traits a benchmark may be narrowed to, in the order they are printed.
FILTERS = ("industry", "size_band", "region")
BENCHMARK_FILTER_CHOICES = (
    ("industry", gettext_lazy("industry")),
    ("size_band", gettext_lazy("size band")),
    ("region", gettext_lazy("region")),
)


def filters_clean(value: object) -> list[str]:
    """The chosen traits from a list of names (an API's) or a mapping of name to flag (a
    form's); ValueError naming what is unknown."""
    if isinstance(value, dict):
        value = [name for name, on in value.items() if on]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("Give a list of: %(names)s.") % {"names": ", ".join(FILTERS)})
    unknown = sorted(set(value) - set(FILTERS))
    if unknown:
        raise ValueError(
            _("Unknown benchmark filter %(unknown)s; choose from %(names)s.")
            % {"unknown": ", ".join(unknown), "names": ", ".join(FILTERS)}
        )
    return [name for name in FILTERS if name in value]


def _described(assessment: Assessment) -> tuple[dict, str]:
    """The filters that apply (a chosen trait the client has) and how they read."""
    client = assessment.client
    chosen = set(assessment.benchmark_filters or [])
    applied = {name: getattr(client, name) for name in FILTERS if name in chosen}
    applied = {name: value for name, value in applied.items() if value}
    parts = [
        _("same industry (%(v)s)") % {"v": applied["industry"]}
        if "industry" in applied
        else _("any industry"),
        _("same size (%(v)s)") % {"v": client.get_size_band_display()}
        if "size_band" in applied
        else _("any size"),
        _("same region (%(v)s)") % {"v": client.get_region_display()}
        if "region" in applied
        else _("any region"),
    ]
    return applied, ", ".join(parts)


def _peer_rows(assessment: Assessment, applied: dict, pooled: bool) -> list[tuple]:
    """(workspace id, overall exact, {dimension key: exact}) of every peer, one query (and,
    once, the scoring of peers not stored yet or stored by another scoring version)."""
    key = QuestionnaireVersion.objects.filter(id=assessment.version_id).values("questionnaire__key")
    workspace_id = assessment.client.workspace_id
    where = Q(client__workspace_id=workspace_id)
    if pooled:
        # Other workspaces' own questionnaires may reuse a key with other dimensions:
        # the pool holds the shipped questionnaires only.
        where |= Q(client__workspace__benchmark_pool=True, version__questionnaire__workspace=None)
    peers = (
        Assessment.objects.filter(
            where,
            client__deleted_at=None,
            version__questionnaire__key=Subquery(key),
            status=Assessment.Status.CLOSED,
            **{f"client__{name}": value for name, value in applied.items()},
        )
        .exclude(client_id=assessment.client_id)
        .order_by()  # a benchmark needs no order: no sort of every peer
    )
    # Results stored before the per-dimension column existed still hold the exact scores
    # in their dimension rows: read there, in the same query, rather than written now.
    dims = Coalesce(
        "result_snapshot__dimensions_exact",
        "result_snapshot__scores__dimensions",
        output_field=JSONField(),
    )
    peers = peers.annotate(dims=dims)
    columns = (
        "id",
        "client__workspace_id",
        "result_snapshot__scoring_version",
        "result_snapshot__overall_exact",
        "dims",
    )
    rows = [(*row[:4], _by_key(row[4])) for row in peers.values_list(*columns)]
    stale = [row[0] for row in rows if row[2] != SCORING_VERSION or row[4] is None]
    if stale:
        from .services.results import results_snapshots_complete

        results_snapshots_complete(stale)
        rows = [(*row[:4], _by_key(row[4])) for row in peers.values_list(*columns)]
    # A peer nobody answered has no score to compare with: it is no peer.
    return [(ws, exact, dims) for _id, ws, _v, exact, dims in rows if exact]


def _by_key(dims: dict | list | None) -> dict | None:
    """{dimension key: exact} from the column, or from stored dimension rows (None when a
    row lacks its exact score: stored before those were kept)."""
    if dims is None or isinstance(dims, dict):
        return dims
    if not all(isinstance(d, dict) and "exact" in d for d in dims):
        return None
    return {d["key"]: d["exact"] for d in dims}


def stored_current(version: int | None, dimensions: list | None) -> bool:
    """A stored result of this scoring version that holds each dimension's exact score
    (results stored before those were kept lack them)."""
    return version == SCORING_VERSION and all(
        "exact" in d for d in dimensions or [] if isinstance(d, dict)
    )


def _own(scores: dict) -> dict:
    return {
        "overall": scores["overall"]["exact"],
        "dimensions": {d["key"]: d.get("exact") for d in scores["dimensions"]},
    }


def _figures(own: dict, peers: list[tuple], minimum: int) -> dict:
    figures = benchmark(own, [{"overall": p[1], "dimensions": p[2]} for p in peers])
    for row in [figures["overall"], *figures["dimensions"].values()]:
        if row["count"] < minimum:  # a stricter minimum than §9's five
            row["percentile"] = row["band"] = None
    return figures


def assessment_benchmark(assessment: Assessment, scores: dict) -> tuple[dict, list[str]]:
    """The benchmark of these scores (score_assessment's output for the assessment) as the
    results show it, and the workspace peers' exact overall scores for SCORING.md §9's
    percentile (empty when there are too few to show)."""
    applied, described = _described(assessment)
    minimum = settings.BENCHMARK_MIN_PEERS
    workspace = assessment.client.workspace
    rows = _peer_rows(assessment, applied, workspace.benchmark_pool)
    own = _own(scores)
    local = [row for row in rows if row[0] == workspace.id]
    shown = len(local) >= minimum
    result = {
        "shown": shown,
        "reason": None if shown else _("Fewer than %(n)d comparable assessments.") % {"n": minimum},
        "peer_count": len(local),
        "filters": list(applied),
        "filters_text": described,
        **(_figures(own, local, minimum) if shown else {"overall": None, "dimensions": {}}),
        "pool": _pool(own, rows, minimum) if workspace.benchmark_pool else None,
    }
    return result, [exact for _ws, exact, _d in local] if shown else []


def _pool(own: dict, rows: list[tuple], minimum: int) -> dict:
    """Pooled figures, with counts only: a workspace or client is never named."""
    needed = max(minimum, settings.BENCHMARK_POOL_MIN_ASSESSMENTS)
    workspaces = len({row[0] for row in rows})
    if len(rows) < needed or workspaces < settings.BENCHMARK_POOL_MIN_WORKSPACES:
        return {
            "shown": False,
            "reason": _(
                "The pool needs at least %(n)d comparable assessments from %(w)d workspaces."
            )
            % {"n": needed, "w": settings.BENCHMARK_POOL_MIN_WORKSPACES},
            "peer_count": None,
            "overall": None,
            "dimensions": {},
        }
    return {"shown": True, "reason": None, "peer_count": len(rows), **_figures(own, rows, minimum)}


def benchmark_rows(dimensions: list[dict], figures: dict) -> None:
    """Each dimension row gets its benchmark figures (None when none is shown)."""
    for row in dimensions:
        row["benchmark"] = figures["dimensions"].get(row["key"])

"""Benchmarks: an assessment's scores against comparable closed assessments, overall and
per dimension, read from stored results in one query however many peers there are.

Peers are closed assessments of the same questionnaire (by key) of the workspace's
other clients (never the client's own), sharing the traits chosen on the assessment
(industry, size band, region). A workspace that joined the anonymous pool also sees the
pooled figures: peers from every workspace that joined, only when enough assessments from
enough workspaces stand behind them, and never naming one. The arithmetic is
`cxnumbers.benchmark`'s.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, JSONField, Max, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxnumbers.benchmark import PeerScores, benchmark, population

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


def _peers(assessment: Assessment, applied: dict, pooled: bool) -> QuerySet:
    """The peers: closed assessments of the same questionnaire key, the workspace's other
    clients' (and, pooled, the pool's), sharing the chosen traits."""
    key = QuestionnaireVersion.objects.filter(id=assessment.version_id).values("questionnaire__key")
    where = Q(client__workspace_id=assessment.client.workspace_id)
    if pooled:
        # Other workspaces' own questionnaires may reuse a key with other dimensions:
        # the pool holds the shipped questionnaires only.
        where |= Q(client__workspace__benchmark_pool=True, version__questionnaire__workspace=None)
    return (
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


def _fingerprint(peers: QuerySet) -> tuple:
    """What changes whenever the set of peers does, in one aggregate query that reads no
    stored result: a peer joins (closing sets its closed_at, the latest; a client edited
    into the filters or out of the trash changes its updated_at) or leaves (the count, or
    the count of workspaces). Read from the assessments, not their stored results: those
    rows hold big JSON columns before the timestamp, costly to reach for thousands.

    Not seen: a closed peer's result stored again because its respondents changed after
    it closed (an erasure); BENCHMARK_CACHE_SECONDS bounds that."""
    found = peers.aggregate(
        count=Count("id"),
        closed=Max("closed_at"),
        clients=Max("client__updated_at"),
        workspaces=Count("client__workspace_id", distinct=True),
    )
    return (found["count"], str(found["closed"]), str(found["clients"]), found["workspaces"])


def _population(assessment: Assessment, applied: dict, pooled: bool) -> dict:
    """The peers' scores ranked for `cxnumbers.benchmark`: the workspace's ("local", with
    their count) and, pooled, everyone's ("pool", with the count of workspaces).

    Ranking thousands of peers costs more than the rest of a results page, and they
    change far less often than results are read, so a ranking is kept in this process's
    cache under a fingerprint of the peers (one aggregate query); a changed fingerprint
    is a new key, and BENCHMARK_CACHE_SECONDS bounds what a fingerprint cannot see."""
    peers = _peers(assessment, applied, pooled)
    fingerprint = _fingerprint(peers)
    if fingerprint[0] == 0:
        return _ranked([], assessment.client.workspace_id, pooled)
    scope = (SCORING_VERSION, assessment.version_id, assessment.client_id, pooled)
    name = repr((*scope, sorted(applied.items()), *fingerprint))
    key = "benchmark:" + hashlib.sha256(name.encode()).hexdigest()
    cache = caches["benchmarks"]
    found = cache.get(key)
    if found is None:
        rows, complete = _peer_rows(peers)
        found = _ranked(rows, assessment.client.workspace_id, pooled)
        # Kept only when nothing changed while the rows were read (a peer closing in
        # between would be kept under a fingerprint that did not count it) and no peer
        # had to be scored first.
        if complete and _fingerprint(peers) == fingerprint:
            cache.set(key, found, settings.BENCHMARK_CACHE_SECONDS)
    return found


def _ranked(rows: list[tuple], workspace_id: object, pooled: bool) -> dict:
    local = [row for row in rows if row[0] == workspace_id]
    return {
        "local": population(_as_peers(local)),
        "local_count": len(local),
        "pool": population(_as_peers(rows)) if pooled else None,
        "pool_count": len(rows),
        "pool_workspaces": len({row[0] for row in rows}),
    }


def _as_peers(rows: list[tuple]) -> list[dict]:
    return [{"overall": exact, "dimensions": dims} for _ws, exact, dims in rows]


def _peer_rows(peers: QuerySet) -> tuple[list[tuple], bool]:
    """(workspace id, overall exact, {dimension key: exact}) of every peer, in one query,
    and whether they were all stored already (peers not stored yet, or stored by another
    scoring version, are scored and stored first)."""
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
    return [(ws, exact, dims) for _id, ws, _v, exact, dims in rows if exact], not stale


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


def _figures(own: dict, ranked: dict, minimum: int) -> dict:
    figures = benchmark(own, ranked)
    for row in [figures["overall"], *figures["dimensions"].values()]:
        if row["count"] < minimum:  # a stricter minimum than §9's five
            row["percentile"] = row["band"] = None
    return figures


def assessment_benchmark(assessment: Assessment, scores: dict) -> tuple[dict, PeerScores | list]:
    """The benchmark of these scores (score_assessment's output for the assessment) as the
    results show it, and the workspace peers' overall scores for SCORING.md §9's
    percentile (empty when there are too few to show)."""
    applied, described = _described(assessment)
    minimum = settings.BENCHMARK_MIN_PEERS
    pooled = assessment.client.workspace.benchmark_pool
    ranked = _population(assessment, applied, pooled)
    own = _own(scores)
    shown = ranked["local_count"] >= minimum
    result = {
        "shown": shown,
        "reason": None if shown else _("Fewer than %(n)d comparable assessments.") % {"n": minimum},
        "peer_count": ranked["local_count"],
        "filters": list(applied),
        "filters_text": described,
        **(
            _figures(own, ranked["local"], minimum)
            if shown
            else {"overall": None, "dimensions": {}}
        ),
        "pool": _pool(own, ranked, minimum) if pooled else None,
    }
    return result, ranked["local"]["overall"] if shown else []


def _pool(own: dict, ranked: dict, minimum: int) -> dict:
    """Pooled figures, with counts only: a workspace or client is never named."""
    needed = max(minimum, settings.BENCHMARK_POOL_MIN_ASSESSMENTS)
    if (
        ranked["pool_count"] < needed
        or ranked["pool_workspaces"] < settings.BENCHMARK_POOL_MIN_WORKSPACES
    ):
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
    return {
        "shown": True,
        "reason": None,
        "peer_count": ranked["pool_count"],
        **_figures(own, ranked["pool"], minimum),
    }


def benchmark_rows(dimensions: list[dict], figures: dict) -> None:
    """Each dimension row gets its benchmark figures (None when none is shown)."""
    for row in dimensions:
        row["benchmark"] = figures["dimensions"].get(row["key"])

"""Results page and results API at 10, 100 and 1,000 submitted respondents, and with 0,
200 and 2,000 closed peer assessments to benchmark against.

Builds closed assessments of the built-in questionnaire on a fresh SQLite database (their
results stored, as closing stores them), then times the results page and the results API
in-process and counts their queries. Peers are made in bulk with stored results only: the
benchmark reads nothing else of them.

    .venv/bin/python benchmarks/results.py [--repeat 3] [--respondents 10,100,1000]
        [--peers 0,200,2000]

Ends with one JSON line:
{"queries": {"10": q, "100": q, "1000": q}, "page_ms": {...}, "api_ms": {...},
 "peers_page_ms": {"0": t, "200": t, "2000": t}, "peers_queries": {"0": q, ...}}
Goals: the same query count at every size and every number of peers; 1,000 respondents
under 300 ms; 2,000 peers within 1.5x of none. Figures are of warm requests (the fastest
of --repeat); the first view after the peers changed, which ranks them once for every
later view, is printed beside them.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = "10,100,1000"
PEERS = "0,200,2000"
PEERS_RESPONDENTS = 100


def _setup(prefix: str = "cxm-results-") -> Path:
    """Django on a fresh SQLite database in a VAR_DIR of its own, migrated; returns it."""
    var_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update({
        "VAR_DIR": str(var_dir), "DEBUG": "false", "HTTPS": "false",
        "STATIC_FROM_FINDERS": "true", "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost", "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "cxmaturity.settings",
    })  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var_dir


def _build(size: int, workspace, owner, version):
    from django.utils import timezone

    from assessments.models import Answer, Assessment, Respondent
    from workspaces.services import client_create

    client = client_create(workspace=workspace, name=f"Client {size}")
    assessment = Assessment.objects.create(
        client=client, version=version, title=f"{size} respondents", created_by=owner,
        status=Assessment.Status.CLOSED,
    )  # fmt: skip
    now = timezone.now()
    roles = ["executive", "marketing", "sales", "service", "it", "other"]
    respondents = Respondent.objects.bulk_create([
        Respondent(assessment=assessment, name=f"R{n}", email=f"r{n}@bench.example",
                   role=roles[n % len(roles)], submitted_at=now)
        for n in range(size)
    ])  # fmt: skip
    questions = list(version.questions.all())
    rng = random.Random(size)
    values = ["1", "2", "3", "4", "5", "6", "7", "dont_know"]
    Answer.objects.bulk_create(
        [Answer(respondent=r, question=q, value=rng.choice(values)) for r in respondents
         for q in questions],
        batch_size=2000,
    )  # fmt: skip
    return assessment


def _add_peers(count: int, assessment, owner) -> None:
    """`count` more closed assessments of the same questionnaire in the same workspace,
    each with a stored result (the measured one's, with another overall score)."""
    from fractions import Fraction

    from django.utils import timezone

    from assessments.models import Assessment, ResultSnapshot
    from cxnumbers.scoring import SCORING_VERSION
    from workspaces.services import client_create

    if count <= 0:
        return
    peer_client = client_create(workspace=assessment.client.workspace, name=f"Peers +{count}")
    peers = Assessment.objects.bulk_create(
        [
            Assessment(client=peer_client, version=assessment.version, title=f"Peer {n}",
                       created_by=owner, status=Assessment.Status.CLOSED)
            for n in range(count)
        ],
        batch_size=500,
    )  # fmt: skip
    scores = assessment.result_snapshot.scores
    keys = [d["key"] for d in scores["dimensions"]]
    rng = random.Random(count)
    now = timezone.now()
    ResultSnapshot.objects.bulk_create(
        [
            ResultSnapshot(assessment=p, scores=scores, scoring_version=SCORING_VERSION,
                           overall_exact=str(Fraction(rng.randint(7, 49), 7)),
                           dimensions_exact={key: str(Fraction(rng.randint(7, 49), 7))
                                             for key in keys},
                           computed_at=now)
            for p in peers
        ],
        batch_size=500,
    )  # fmt: skip


def _measure(client, url: str, repeat: int) -> tuple[int, float, int, float]:
    """(queries, ms) of a warm request, the fastest of `repeat`, and of the cold first
    one: the first view after the peers changed ranks them (one query more, and their
    ranking's cost); every later view reuses the ranking kept under their fingerprint."""
    from django.db import connection

    # Counted with a wrapper: Django empties its own query log at each request's start.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        response = client.get(url)
        cold_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    cold = len(queries)
    times = []
    for _ in range(repeat):
        queries.clear()
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    return len(queries), min(times), cold, cold_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--respondents", default=SIZES, help="sizes, comma-separated")
    parser.add_argument("--peers", default=PEERS, help="numbers of peers, comma-separated")
    args = parser.parse_args()
    sizes = [int(n) for n in args.respondents.split(",")]
    peer_counts = [int(n) for n in args.peers.split(",")]
    _setup()
    from django.test import Client

    from assessments.services import results_snapshots_store
    from cxmaturity.demo_assessments import default_questionnaire
    from workspaces.models import User
    from workspaces.services import workspace_create

    # Site staff: only staff and existing owners create workspaces.
    owner = User.objects.create_user("bench@example.com", "bench-password-123", is_staff=True)
    workspace = workspace_create(name="Benchmark", owner=owner)
    version = default_questionnaire()
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    out = {"queries": {}, "page_ms": {}, "api_ms": {}, "peers_page_ms": {}, "peers_queries": {}}
    # Built first, so every assessment has the same peers (the others) when measured.
    built = {size: _build(size, workspace, owner, version) for size in sizes}
    results_snapshots_store(list(built.values()))  # as closing them would
    for size, assessment in built.items():
        page = f"/w/{workspace.id}/assessments/{assessment.id}/results/"
        api = f"/api/v1/workspaces/{workspace.id}/assessments/{assessment.id}/results/"
        page_queries, page_ms, _cold, _cold_ms = _measure(client, page, args.repeat)
        api_queries, api_ms, _cold, _cold_ms = _measure(client, api, args.repeat)
        print(
            f"{size:>5} respondents: page {page_ms:7.1f} ms ({page_queries} queries), "
            f"API {api_ms:7.1f} ms ({api_queries} queries)"
        )
        out["queries"][str(size)] = page_queries
        out["page_ms"][str(size)] = round(page_ms, 1)
        out["api_ms"][str(size)] = round(api_ms, 1)
    # Peers: a workspace of its own, so "0" means none at all.
    peers_workspace = workspace_create(name="Peers benchmark", owner=owner)
    measured = _build(PEERS_RESPONDENTS, peers_workspace, owner, version)
    results_snapshots_store([measured])
    page = f"/w/{peers_workspace.id}/assessments/{measured.id}/results/"
    api = f"/api/v1/workspaces/{peers_workspace.id}/assessments/{measured.id}/results/"
    have = 0
    for count in sorted(peer_counts):
        _add_peers(count - have, measured, owner)
        have = count
        page_queries, page_ms, cold, cold_ms = _measure(client, page, args.repeat)
        api_queries, api_ms, _cold, _cold_ms = _measure(client, api, args.repeat)
        print(
            f"{count:>5} peers: page {page_ms:7.1f} ms ({page_queries} queries), "
            f"API {api_ms:7.1f} ms ({api_queries} queries); first view after the peers "
            f"changed {cold_ms:.1f} ms ({cold} queries)"
        )
        out["peers_page_ms"][str(count)] = round(page_ms, 1)
        out["peers_queries"][str(count)] = page_queries
    print(json.dumps(out))


if __name__ == "__main__":
    main()

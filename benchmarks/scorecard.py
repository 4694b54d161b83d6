"""The KPI scorecard at 20 and 200 KPIs with 50 measurements each: page and API timed,
queries counted, in-process on a fresh SQLite database.

    .venv/bin/python benchmarks/scorecard.py [--repeat 3]

Ends with one JSON line: {"queries": {"20": q, "200": q}, "page_ms": {"20": t, "200": t}}
Goal: the same query count at both sizes.
"""

import argparse
import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import _measure, _setup


def _plan(size: int, client):
    from kpis.models import KPI, Measurement
    from kpis.services import plan_create

    plan = plan_create(client=client, title=f"{size} KPIs")
    start = date(2026, 1, 1)
    kpis = KPI.objects.bulk_create(
        [
            KPI(
                plan=plan,
                name=f"KPI {n}",
                direction="increase",
                baseline=Decimal(10),
                target=Decimal(20),
                start=start,
                due=start + timedelta(days=365),
                position=n,
                journey=["shopping", "sharing", "advocacy"][n % 3],
            )
            for n in range(size)
        ]
    )
    Measurement.objects.bulk_create(
        [
            Measurement(kpi=k, date=start + timedelta(days=7 * w), value=Decimal(10 + w / 5))
            for k in kpis
            for w in range(50)
        ],
        batch_size=2000,
    )
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from django.test import Client

    from workspaces.models import User
    from workspaces.services import client_create, workspace_create

    # Site staff: only staff and existing owners create workspaces.
    owner = User.objects.create_user("bench@example.com", "bench-password-123", is_staff=True)
    workspace = workspace_create(name="Benchmark", owner=owner)
    browser = Client(HTTP_HOST="localhost")
    browser.force_login(owner)
    out = {"queries": {}, "page_ms": {}, "api_ms": {}}
    for size in (20, 200):
        plan = _plan(size, client_create(workspace=workspace, name=f"Client {size}"))
        page = f"/w/{workspace.id}/plans/{plan.id}/scorecard/"
        api = f"/api/v1/workspaces/{workspace.id}/plans/{plan.id}/scorecard/"
        queries, page_ms = _measure(browser, page, args.repeat)
        api_queries, api_ms = _measure(browser, api, args.repeat)
        print(
            f"{size:>4} KPIs × 50 measurements: page {page_ms:6.1f} ms ({queries} queries), "
            f"API {api_ms:6.1f} ms ({api_queries} queries)"
        )
        out["queries"][str(size)] = queries
        out["page_ms"][str(size)] = round(page_ms, 1)
        out["api_ms"][str(size)] = round(api_ms, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""The seeded Northwind Retail playbook rendered 20 times in one process, as a worker
renders one document after another: seconds and memory per render.

Seeds the demo (migrate, seed_demo) on a fresh SQLite database in its own VAR_DIR, then
makes each render through the services the worker and render_document use
(document_request(enqueue=False), then document_render): 20 new playbook versions.

    .venv/bin/python benchmarks/pdf.py [--renders 20]

Ends with one JSON line: {"pages": n, "pages_per_s": x, "rss_mb": [after render 1, ...]}
Goals: at least 30 pages; 10 pages/s or more; RSS under 400 MB throughout; RSS after the
last render within 20 % of RSS after render 2 (no growth from render to render).
"""

import argparse
import io
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import _setup as results_setup

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
GOAL_PAGES = 30
GOAL_PAGES_PER_S = 10
GOAL_RSS_MB = 400
GOAL_GROWTH = 0.20


def _rss_mb() -> float:
    """Resident memory now (ru_maxrss would be the peak so far)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES / 2**20


def _setup() -> Path:
    var_dir = results_setup(prefix="cxm-pdf-")
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())  # its sign-in lines are not figures
    return var_dir


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    if args.renders < 1:
        parser.error("--renders must be 1 or more")
    var_dir = _setup()
    try:
        run(args.renders)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(renders: int) -> None:
    from cxmaturity.management.commands.seed_demo import DEMO_WORKSPACE_ID
    from playbooks.models import Document
    from workspaces.models import Client

    client = Client.objects.get(workspace_id=DEMO_WORKSPACE_ID, name="Northwind Retail")
    seeded = Document.objects.get(client=client, kind=Document.Kind.PLAYBOOK, version=1)
    print(
        f"Seeded playbook v1: {seeded.status}, {seeded.pages} pages, {seeded.size:,} bytes; "
        f"RSS {_rss_mb():.1f} MB before the first render"
    )
    seconds, pages, rss = _renders(client, renders)
    _report(renders, seconds, pages, rss)


def _report(renders: int, seconds: list[float], pages: list[int], rss: list[float]) -> None:
    total_pages, total_seconds = sum(pages), sum(seconds)
    pages_per_s = total_pages / total_seconds
    print(
        f"total: {renders} renders, {total_pages} pages in {total_seconds:.2f} s: "
        f"{pages_per_s:.1f} pages/s, {total_seconds / renders:.2f} s a render "
        f"(fastest {min(seconds):.2f} s, slowest {max(seconds):.2f} s); "
        f"RSS {rss[0]:.1f} MB after render 1, {max(rss):.1f} MB at most, "
        f"{rss[-1]:.1f} MB after render {renders}"
    )
    if len(set(pages)) > 1:
        print(f"note: page counts differ between renders: {sorted(set(pages))}")
    print(
        f"goal: at least {GOAL_PAGES} pages: {pages[0]} pages, {_verdict(pages[0] >= GOAL_PAGES)}"
    )
    print(
        f"goal: {GOAL_PAGES_PER_S} pages/s or more: {pages_per_s:.1f} pages/s, "
        f"{_verdict(pages_per_s >= GOAL_PAGES_PER_S)}"
    )
    print(
        f"goal: RSS under {GOAL_RSS_MB} MB: {max(rss):.1f} MB at most, "
        f"{_verdict(max(rss) < GOAL_RSS_MB)}"
    )
    if renders >= 2:
        growth = (rss[-1] - rss[1]) / rss[1]
        print(
            f"goal: RSS after render {renders} within {GOAL_GROWTH:.0%} of after render 2: "
            f"{rss[1]:.1f} → {rss[-1]:.1f} MB ({growth:+.1%}), "
            f"{_verdict(abs(growth) <= GOAL_GROWTH)}"
        )
    else:
        print("goal: RSS growth: needs --renders 2 or more, not measured")
    print(
        json.dumps(
            {
                "pages": pages[0],
                "pages_per_s": round(pages_per_s, 1),
                "rss_mb": [round(value, 1) for value in rss],
            }
        )
    )


def _renders(client, renders: int) -> tuple[list[float], list[int], list[float]]:
    """Render the playbook `renders` times: seconds, pages and RSS after each."""
    from playbooks.models import Document
    from playbooks.services import document_render, document_request

    seconds, pages, rss = [], [], []
    for n in range(1, renders + 1):
        start = time.perf_counter()
        document = document_request(client=client, kind=Document.Kind.PLAYBOOK, enqueue=False)
        done = document_render(document_id=document.id)
        took = time.perf_counter() - start
        if done is None or done.status != Document.Status.DONE:
            document.refresh_from_db()
            raise SystemExit(f"render {n} (v{document.version}) failed: {document.error}")
        seconds.append(took)
        pages.append(done.pages)
        rss.append(_rss_mb())
        print(
            f"render {n:>2} (v{done.version:>2}): {took:6.2f} s, {done.pages} pages, "
            f"{done.size:,} bytes, RSS {rss[-1]:6.1f} MB"
        )
    return seconds, pages, rss


if __name__ == "__main__":
    main()

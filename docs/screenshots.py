"""Refresh the README's screenshots from the demo site.

Run a demo site first (`make run`, or runserver after seed_demo), then, with the same
settings environment: `python docs/screenshots.py http://127.0.0.1:8000`. Chromium is
Debian's; pages are shot at 1366x900 (desktop) and 390x844 (a respondent's phone)."""

import os
import sys
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from assessments.models import Assessment, Respondent  # noqa: E402
from assessments.services import respondent_link  # noqa: E402
from kpis.models import StrategyPlan  # noqa: E402
from workspaces.models import Client  # noqa: E402

OUT = BASE_DIR / "docs" / "screenshots"
PASSWORD = "demo-cx-2026"  # noqa: S105 - the demo accounts' published password
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def pages() -> tuple[dict[str, str], str]:
    """The consultant's pages by screenshot name, and one respondent's link path."""
    client = Client.objects.get(name="Northwind Retail")
    ws = client.workspace_id
    current = Assessment.objects.filter(client=client).order_by("-created_at").first()
    closed = (
        Assessment.objects.filter(client=client, status="closed").order_by("-closed_at").first()
    )
    plan = StrategyPlan.objects.filter(client=client, status="active").first()
    shown = {
        "dashboard": reverse("workspace_dashboard", args=[ws]),
        "client-hub": reverse("client_detail", args=[ws, client.id]),
        "progress-board": reverse("assessment_detail", args=[ws, current.id]),
        "results": reverse("assessment_results", args=[ws, (closed or current).id]),
        "roadmap": reverse("roadmap", args=[ws, (closed or current).id]),
    }
    if plan is not None:
        shown["scorecard"] = reverse("scorecard", args=[ws, plan.id])
        shown["alignment-map"] = reverse("alignment_map", args=[ws, plan.id])
    respondent = Respondent.objects.filter(
        assessment=current, submitted_at__isnull=True, is_consensus=False
    ).first()
    link = respondent_link(respondent) if respondent and respondent.token_nonce else ""
    return shown, link.split("/r/", 1)[-1] if link else ""


def main(base: str) -> None:
    shown, token = pages()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        desk = browser.new_page(viewport={"width": 1366, "height": 900})
        desk.goto(f"{base}/accounts/login/")
        desk.get_by_label("Email address").fill("consultant@demo.cxmaturity.local")
        desk.get_by_label("Password").fill(PASSWORD)
        desk.locator("main form button[type=submit]").click()
        desk.wait_for_load_state()
        for name, path in shown.items():
            desk.goto(base + path)
            desk.wait_for_load_state("networkidle")
            desk.screenshot(path=OUT / f"{name}.png")
            print(f"{name}: {path}")  # noqa: T201 - a command-line tool
        if token:
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(f"{base}/r/{token}")
            # The welcome page's one action: start, or continue where they stopped.
            phone.locator("main a.button, main form button[type=submit]").first.click()
            phone.wait_for_load_state()
            phone.screenshot(path=OUT / "respondent-phone.png")
            print("respondent-phone")  # noqa: T201
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")

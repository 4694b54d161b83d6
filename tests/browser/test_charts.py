"""Charts that fit, measured in Chromium: the heat map's seven columns inside the window
on a laptop and on a phone, no chart text drawn outside its SVG (or its box), and each
target stage shown whole in its choice."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from kpis.models import StrategyPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every <text> of each chart: its drawn box (getBBox, in the SVG's own units) against the
# view box, and for the alignment map against the node's rectangle too.
OUTSIDE = """svg => {
  const vb = svg.viewBox.baseVal, out = [];
  for (const text of svg.querySelectorAll("text")) {
    const b = text.getBBox();
    const inside = (r) => b.x >= r.x - 0.5 && b.y >= r.y - 0.5
      && b.x + b.width <= r.x + r.width + 0.5 && b.y + b.height <= r.y + r.height + 0.5;
    const node = text.parentNode;
    const rect = node.matches("g.map-node") ? node.querySelector("rect") : null;
    if (!inside(vb) || (rect && !inside(rect.getBBox())))
      out.push(text.textContent);
  }
  return out;
}"""

# A stage choice is wide enough for its longest option ("7 · Lifetime customers") and the
# arrow beside it: text measured in the select's own font.
SELECT_FITS = """sel => {
  const ctx = document.createElement("canvas").getContext("2d"), cs = getComputedStyle(sel);
  ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const widest = Math.max(...[...sel.options].map(o => ctx.measureText(o.text).width));
  return widest + 24 <= sel.clientWidth;
}"""


def _sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("consultant@demo.cxmaturity.local")
    page.get_by_label("Password").fill("demo-cx-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_heat_map_fits_seven_dimensions_and_chart_text_stays_inside(
    live_server, page, screenshot, width, height
):
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    plan = StrategyPlan.objects.get(client=baseline.client, status="active")
    workspace = baseline.client.workspace_id
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/{workspace}/assessments/{baseline.id}/results/")

    heads = page.locator("table.heatmap thead th[scope=col]")
    expect(heads).to_have_count(7)
    cells = page.locator("table.heatmap tbody tr").first.locator("td")
    expect(cells).to_have_count(7)
    for locator in (heads, cells):
        for i in range(7):
            box = locator.nth(i).bounding_box()
            assert box["x"] >= 0, (i, box)
            assert box["x"] + box["width"] <= width, (i, box)
    scroller = page.locator(".table-scroll:has(table.heatmap)")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")

    targets = page.locator(".dimension-card select")
    expect(targets).to_have_count(7)
    assert all(targets.nth(i).evaluate(SELECT_FITS) for i in range(7))

    radar = page.locator("svg.radar")
    expect(radar.locator("tspan").first).to_be_visible()
    assert radar.evaluate(OUTSIDE) == []
    screenshot(f"charts-results-{width}")

    page.goto(f"{live_server.url}/w/{workspace}/plans/{plan.id}/map/")
    chart = page.locator("svg.alignment-map")
    expect(chart.locator("tspan").first).to_be_visible()
    assert chart.locator("text").count() > 20
    assert chart.evaluate(OUTSIDE) == []

"""Chart labels are printed whole: every SVG the site and the playbook draw keeps every word
of every label (wrapped onto <tspan> lines), never an ellipsis, and the radar's view box
holds its labels."""

import datetime
import html
import re

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.charts import LABEL_FONT, radar
from assessments.models import Assessment
from cxmaturity.svg_text import text_width, wrap
from kpis.charts import alignment_map
from kpis.models import StrategyPlan
from playbooks.charts import gantt
from playbooks.models import Document
from playbooks.services import document_request
from playbooks.services.documents import document_html
from workspaces.models import User

DEMO_DIMENSIONS = [
    "Strategy & alignment",
    "Customer data & profiles",
    "Content & personalisation",
    "Cross-channel integration",
    "Testing & optimisation",
    "Analytics & measurement",
    "People, process & culture",
]
LONG = [
    "Customer data, profiles, identity resolution and consent management across brands",
    "Omnichannelcustomerjourneyorchestrationcapabilities",  # one word longer than a line
    "People, process & culture",
    "Analytics, measurement & attribution of marketing spend",
    "Testing & optimisation",
]


def _svgs(page: str) -> list[str]:
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert svgs, "no chart drawn"
    return svgs


def _texts(svg: str) -> list[str]:
    """The text of every <text> and <tspan> (their own text, markup removed)."""
    return [html.unescape(t) for t in re.findall(r"<(?:text|tspan)\b[^>]*>([^<]*)", svg)]


def _assert_whole(page: str, labels: list[str]) -> None:
    """No chart text is shortened, and every word of every label is drawn."""
    words = []
    for svg in _svgs(page):
        texts = _texts(svg)
        assert not [t for t in texts if "…" in t or "..." in t], texts
        words += " ".join(texts).split()
    for label in labels:
        for word in html.unescape(label).split():
            assert word in words, f"{word!r} of {label!r} is not drawn"


def test_wrap_keeps_every_word_and_never_adds_an_ellipsis():
    for label in DEMO_DIMENSIONS + LONG:
        lines = wrap(label, 18)
        assert " ".join(lines) == label
        assert all(len(line) <= 18 or " " not in line for line in lines)


@pytest.mark.parametrize("labels", [DEMO_DIMENSIONS, LONG], ids=["demo", "long"])
def test_radar_labels_wrap_whole_inside_the_view_box(labels):
    chart = radar(labels, {"score": [3] * len(labels), "target": [4] * len(labels)})
    page = render_to_string("assessments/includes/radar.html", {"radar": chart})
    _assert_whole(page, labels)
    left, top, width, height = (float(v) for v in chart["view_box"].split())
    for axis in chart["axes"]:
        assert " ".join(line["text"] for line in axis["lines"]) == axis["label"]
        for line in axis["lines"]:
            drawn = text_width(line["text"], LABEL_FONT)
            start = {"start": axis["lx"], "end": axis["lx"] - drawn}.get(
                axis["anchor"], axis["lx"] - drawn / 2
            )
            assert left <= start <= start + drawn <= left + width, line
            assert top <= line["y"] - LABEL_FONT <= line["y"] <= top + height, line


@pytest.mark.parametrize("labels", [DEMO_DIMENSIONS, LONG], ids=["demo", "long"])
def test_alignment_map_nodes_wrap_whole_inside_their_boxes(labels):
    columns = [
        [{"id": f"a{i}", "label": label, "orphan": False} for i, label in enumerate(labels)],
        [{"id": "k", "label": labels[0], "orphan": True}],
    ]
    chart = alignment_map(columns, [(f"a{i}", "k") for i in range(len(labels))])
    page = render_to_string("kpis/includes/alignment_map_svg.html", {"map": chart, "headings": []})
    _assert_whole(page, labels)
    for box in chart["boxes"]:
        assert box["lines"][0]["y"] - 11 >= box["y"]
        assert box["lines"][-1]["y"] <= box["y"] + box["h"]
        assert box["y"] + box["h"] <= chart["height"]
    for a, b in zip(chart["boxes"], chart["boxes"][1 : len(labels)], strict=False):
        assert b["y"] >= a["y"] + a["h"]  # wrapped boxes never overlap


def test_gantt_titles_wrap_whole():
    start = datetime.date(2027, 1, 4)
    rows = [
        {"title": label, "start": start, "end": start + datetime.timedelta(days=9 * i + 3),
         "channel": "web"}
        for i, label in enumerate(LONG)
    ]  # fmt: skip
    page = render_to_string("playbooks/includes/gantt.html", {"chart": gantt(rows)})
    _assert_whole(page, LONG)


@pytest.mark.django_db
def test_the_demo_pages_and_playbook_draw_every_label_whole(client):
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    workspace_id = baseline.client.workspace_id
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    results = client.get(reverse("assessment_results", args=[workspace_id, baseline.id]))
    titles = list(baseline.version.dimensions.values_list("title", flat=True))
    _assert_whole(results.content.decode(), titles)

    plan = StrategyPlan.objects.get(client=baseline.client, status="active")
    names = [k.name for k in plan.kpis.all()] + [
        o.statement for o in plan.marketing_objectives.all()
    ]
    page = client.get(reverse("alignment_map", args=[workspace_id, plan.id]))
    _assert_whole(page.content.decode(), names)

    document = document_request(client=baseline.client, kind=Document.Kind.PLAYBOOK, enqueue=False)
    playbook, _snapshot = document_html(document)
    activities = [a.title for c in baseline.client.campaigns.all() for a in c.activities.all()]
    _assert_whole(playbook, titles + names + activities + [baseline.client.name])

"""Playbooks and campaign plans are tagged PDFs a screen reader can follow: a structure tree
with headings, table headers and charts with their alternative text, a title and the
document's language."""

import subprocess

import pytest
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from playbooks import pdf, services
from playbooks.models import Document
from tests.playbooks.test_playbook_pdf import playbook  # noqa: F401 - the seeded playbook
from tests.playbooks.test_services import ACTIVITY, FIELDS

pytestmark = pytest.mark.django_db


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _elements(node) -> list[dict]:
    """Every structure element under node (the catalog's /StructTreeRoot), in reading order."""
    found = []
    kids = _resolve(_resolve(node).get("/K", []))
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = _resolve(kid)
        if isinstance(kid, dict) and "/S" in kid:
            found += [kid, *_elements(kid)]
    return found


def _tagged(path: str, *, lang: str, title: str) -> list[dict]:
    """Check the catalog, metadata and pdfinfo's verdict; the structure elements."""
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == lang
    assert reader.metadata.title.startswith(title)
    info = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        ["pdfinfo", path],  # noqa: S607 - poppler-utils is installed by .ci/run
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Tagged:          yes" in info, info
    return _elements(catalog["/StructTreeRoot"])


def _tags(elements: list[dict]) -> list[str]:
    return [element["/S"] for element in elements]


def test_the_playbook_is_tagged_with_headings_table_headers_and_described_charts(playbook):  # noqa: F811
    elements = _tagged(
        playbook.file.path, lang="en", title="Northwind Retail · Customer experience playbook"
    )
    tags = _tags(elements)
    assert tags.count("/H1") >= 12
    assert "/H2" in tags
    assert tags.count("/Table") >= 10
    assert tags.count("/TH") >= 40
    figures = [element for element in elements if element["/S"] == "/Figure"]
    alts = {str(figure.get("/Alt", "")) for figure in figures}
    assert "" not in alts  # every figure is described
    assert any(alt.startswith("Radar of dimension scores") for alt in alts), alts
    assert "Timeline of the campaign activities" in alts
    assert "Alignment map from themes to KPIs" in alts


def test_a_campaign_plan_is_tagged_in_the_language_it_is_rendered_in(acme_client):
    campaign = services.campaign_save(client=acme_client, fields=FIELDS, activities=[ACTIVITY])
    if hasattr(acme_client, "language"):
        acme_client.language = "de"
        acme_client.save()
    document = services.document_request(
        client=acme_client, kind="campaign_plan", campaign=campaign, enqueue=False
    )
    with translation.override("de"):
        done = services.document_render(document_id=document.id)
    assert done.status == Document.Status.DONE, done.error
    elements = _tagged(done.file.path, lang="de", title=f"Northwind · {campaign.name} · ")
    tags = _tags(elements)
    assert tags.index("/H1") < tags.index("/H2")
    assert "/H3" not in tags[: tags.index("/H2")]  # no level skipped
    assert "/TH" in tags
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert len(figures) == 1
    assert figures[0]["/Alt"]


def test_a_chart_that_is_not_xml_on_its_own_stays_inline_and_unlabelled_ones_too():
    html = (
        '<p>a</p><svg class="gantt" role="img" aria-label="Plan &amp; more"><rect/></svg>'
        '<svg class="sparkline" viewBox="0 0 1 1"><rect/></svg>'
        '<svg class="radar" role="img" aria-label="Broken">&nbsp;</svg>'
    )
    out, charts = pdf.charts_as_images(html)
    assert list(charts) == [f"{pdf.BASE_URL}charts/0.svg"]
    assert f'<img class="gantt" src="{pdf.BASE_URL}charts/0.svg" alt="Plan &amp; more">' in out
    assert '<svg class="sparkline"' in out
    assert 'aria-label="Broken">&nbsp;</svg>' in out
    assert charts[f"{pdf.BASE_URL}charts/0.svg"].startswith(
        b'<svg xmlns="http://www.w3.org/2000/svg"'
    )
